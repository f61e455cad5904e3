"""The forecast checked on held-out observations (simulation.analysis.holdout, --fit-until)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulation.analysis.calibration_inputs import fit_until_day
from simulation.analysis.holdout import check
from simulation.analysis.observed import ObservedDataError
from simulation.analysis.observed_record import Observed
from simulation.cli.main import main
from tests.cli_helpers import installed
from tests.community_export import Shape, export

ROOT = Path(__file__).resolve().parents[1]


def history(values, members=None) -> Observed:
    days = np.arange(len(values))
    return Observed("h.csv", "slack", days, {"weekly_active": np.asarray(values, dtype=float)},
                    1000, membership=None if members is None else np.asarray(members, float))  # fmt: skip


def forecast(days, mean, half) -> pd.DataFrame:
    return pd.DataFrame({"day": days, "column": "wau", "mean": mean,
                         "low": np.asarray(mean) - half, "high": np.asarray(mean) + half})  # fmt: skip


def test_inside_share_and_mean_error_are_a_direct_count():
    observed = [0.5] * 10 + [0.30, 0.31, 0.40, 0.29, 0.20, 0.30]
    curve = forecast(np.arange(16), np.full(16, 0.30), 0.02)
    # a head-count so large that the count noise adds nothing measurable
    held = check(history(observed), 9, curve, population=10**9)
    row = held.headline
    assert (held.first_day, held.last_day, row.points) == (10, 15, 6)
    inside = [0.28 <= v <= 0.32 for v in observed[10:]]
    assert row.inside == pytest.approx(np.mean(inside))
    assert row.mean_error == pytest.approx(0.30 - np.mean(observed[10:]))
    assert row.rmse == pytest.approx(np.sqrt(np.mean((0.30 - np.asarray(observed[10:])) ** 2)))
    assert len(held.table) == 6 and held.to_dict()["headline"] == "weekly_active"
    # 4 of 6 days inside: the forecast holds on part of them only, and the output says so
    assert held.grade == "partly" and held.to_dict()["grade"] == "partly"
    assert "use it with care" in held.lines()[1]


@pytest.mark.parametrize(("late", "grade"), [(0.30, "holds"), (0.45, "misses")])
def test_the_grade_says_whether_the_forecast_holds(late, grade):
    # every held-out day on the forecast (all inside) or far off it (none inside)
    observed = [0.3] * 10 + [late] * 10
    held = check(history(observed), 9, forecast(np.arange(20), np.full(20, 0.30), 0.02), 10**9)
    assert held.grade == grade
    assert ("do not use it as is" in held.lines()[1]) == (grade == "misses")


def test_the_band_holds_the_count_noise_of_each_days_members():
    # 0.35 against a forecast of 0.30 +- 0.01: outside for a model band alone, inside once a
    # count on 100 members is allowed for (1.645 * sqrt(0.3 * 0.7 / 100) = 0.075)
    observed = [0.3] * 5 + [0.35] * 5
    curve = forecast(np.arange(10), np.full(10, 0.30), 0.01)
    few = check(history(observed, members=[100] * 10), 4, curve, population=None)
    many = check(history(observed, members=[10**9] * 10), 4, curve, population=None)
    assert few.headline.inside == 1.0 and many.headline.inside == 0.0
    assert "each day's members" in few.band


@pytest.mark.parametrize("spec, message", [
    ("soon", "a day number or a date"),
    ("0", None),
    ("9", "must leave observations on both sides"),
    ("2025-01-01", "counts days, not dates"),
])  # fmt: skip
def test_fit_until_is_a_day_inside_the_history(spec, message):
    observed = history([0.3] * 10)
    if message is None:
        assert fit_until_day(spec, observed) == 0
        return
    with pytest.raises(ObservedDataError, match=message):
        fit_until_day(spec, observed)


def test_a_bad_fit_until_exits_2_and_writes_nothing(tmp_path, capsys):
    series = tmp_path / "series.csv"
    series.write_text("day,weekly_active\n" + "".join(f"{d},0.3\n" for d in range(20)))
    out = tmp_path / "out"
    code = main(["calibrate", "scenarios/all_staff_announcement.yaml", "--observed", str(series),
                 "--org", "generate:size=100", "--fit", "habit.decay=0.01:0.1",
                 "--fit-until", "25", "--out", str(out)])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "series.csv" in err[0] and "--fit-until 25" in err[0]
    assert not out.exists()


@pytest.mark.parametrize("fit_until, fields", [("0", 1), ("3", 5)])
def test_a_fit_to_too_few_points_exits_2_and_writes_nothing(tmp_path, capsys, fit_until, fields):
    """One day, or fewer points than fields: refused before any run, not a 'fit' whose skill
    is -inf."""
    series = tmp_path / "series.csv"
    series.write_text("day,weekly_active\n" + "".join(f"{d},0.3\n" for d in range(20)))
    out = tmp_path / "out"
    paths = ["habit.decay=0.01:0.1", "habit.novelty=0.1:0.9", "visits.base=0.05:0.5",
             "adoption.p=0.001:0.1:log", "posting.base=0.02:0.3:log"][:fields]  # fmt: skip
    fits = [x for path in paths for x in ("--fit", path)]
    code = main(["calibrate", "scenarios/all_staff_announcement.yaml", "--observed", str(series),
                 "--org", "generate:size=100", *fits, "--fit-until", fit_until,
                 "--out", str(out)])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "series.csv" in err[0]
    assert f"up to --fit-until {fit_until}" in err[0] and "more points than fields" in err[0]
    assert not out.exists()


def test_the_slack_recipe_through_the_installed_command(tmp_path):
    """docs/how-to/calibrate.md's recipe as a user runs it (a small budget: the wiring, not the
    fit's quality, which benchmarks/community_forecast.py measures): no --org, the organisation
    generated for the members to come, the membership followed, the held-out days checked."""
    shape = Shape(first=120, second=90, intake_day=49, trickle=0.2)
    path = tmp_path / "slack.csv"
    export(weeks=16, seed=5, shape=shape).to_csv(path, index=False)
    out = tmp_path / "out"
    # a plan shorter than the export (100 days against 112): the run reaches the export's end
    plan = yaml.safe_load((ROOT / "scenarios" / "community_launch.yaml").read_text("utf-8"))
    (tmp_path / "plan.yaml").write_text(yaml.safe_dump({**plan, "days": 100}), "utf-8")
    done = installed(
        "calibrate", tmp_path / "plan.yaml", "--observed", path,
        "--fit", "posting.base=0.02:0.3:log", "--fit-until", "2025-02-23",
        "--bootstrap", "2", "--evaluations", "6", "--replicates", "4", "--out", out,
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "organisation: generated" in text and "held out to check the forecast" in text
    assert "the model's head-count follows the membership: 120 members on day 0" in text
    assert "held-out check, days 49-111 (after the fit's last day, 48): weekly_active" in text
    # two bootstrap histories give 33 % intervals (interval_level), and the output says so
    assert "33 % interval" in text and "90 % interval" not in text
    assert "--bootstrap 2: the intervals are 33 % intervals, not 90 %" in text
    table = pd.read_parquet(out / "holdout.parquet")
    assert table["day"].min() == 49 and table["day"].max() == 111
    assert set(table["series"]) >= {"weekly_active", "weekly_posters"}
    inside = (table["low"] <= table["observed"]) & (table["observed"] <= table["high"])
    assert (inside == table["inside"]).all()
    held = json.loads((out / "fit.json").read_text())["holdout"]
    weekly = next(c for c in held["checks"] if c["series"] == "weekly_active")
    rows = table[table["series"] == "weekly_active"]
    assert weekly["inside"] == pytest.approx(rows["inside"].mean())
    assert weekly["mean_error"] == pytest.approx((rows["mean"] - rows["observed"]).mean())
    # the report says what the terminal says: the check's lines, the head-count the shares are of
    page = (out / "calibration.html").read_text("utf-8")
    assert "Held-out check, days 49-111 (after the fit&#x27;s last day, 48)" in page
    assert held["lines"][1].strip().split(":")[0] in page
    assert "the model&#x27;s head-count follows the membership: 120 members on day 0" in page
    assert (held["grade"] == "misses") == ("<p><b>Held-out check: the forecast misses" in page)


def test_the_figure_shows_the_held_out_observations_beside_the_forecast():
    """calibration.png: the held-out days (never fitted) are drawn, after a line at the fit's
    last day, so the forecast is seen against what happened."""
    from types import SimpleNamespace

    from simulation.analysis.calibration_output import figure
    from simulation.analysis.holdout import Holdout

    days = np.arange(40)
    values = np.linspace(0.5, 0.2, 40)
    fitted = pd.DataFrame({"day": days[:30], "series": "weekly_active", "model_column": "wau",
                           "observed": values[:30], "fitted": values[:30],
                           "low": values[:30] - 0.05, "high": values[:30] + 0.05})  # fmt: skip
    table = pd.DataFrame({"day": days[30:], "series": "weekly_active", "observed": values[30:],
                          "mean": values[30:], "low": values[30:] - 0.05,
                          "high": values[30:] + 0.05, "inside": True})  # fmt: skip
    cal = SimpleNamespace(
        fitted=fitted,
        forecast=forecast(days, values, 0.05),
        observed=SimpleNamespace(period_days=1),
        holdout=Holdout(29, 30, 39, "replicates", table=table),
    )
    ax = figure(cal).axes[0]
    held = [line for line in ax.get_lines() if line.get_label() == "held out (not fitted)"]
    assert len(held) == 1
    np.testing.assert_array_equal(held[0].get_xdata(), days[30:])
    np.testing.assert_allclose(held[0].get_ydata(), values[30:])
    assert any(list(line.get_xdata()) == [29, 29] for line in ax.get_lines())  # the fit's edge
    cal.holdout = None
    labels = [line.get_label() for line in figure(cal).axes[0].get_lines()]
    assert "held out (not fitted)" not in labels


def test_a_snapshot_export_is_one_date_by_design_and_still_fits():
    """Viva Engage's per-user detail export is one date (weekly active and ever active): two
    points fit one field; a daily series cut to one day does not."""
    from simulation.analysis.calibrate import enough_points

    def one_day(kind):
        return Observed("x.csv", kind, np.array([56]),
                        {"weekly_active": np.array([0.25]), "registered": np.array([0.5])}, 400)  # fmt: skip

    enough_points(one_day("viva_engage_users"), 1, None)
    with pytest.raises(ObservedDataError, match="2 point"):
        enough_points(one_day("viva_engage_users"), 2, None)
    with pytest.raises(ObservedDataError, match=r"1 observed day\(s\) up to --fit-until 56"):
        enough_points(one_day("series"), 1, 56)
