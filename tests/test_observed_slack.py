"""Slack's workspace analytics export, weekly posters, the head-count and holidays (issue 27
item 4, issue 26 item 4)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.analysis.observed import ObservedDataError, load_observed
from simulation.base.errors import InputError
from simulation.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
PILOT = ROOT / "examples" / "viva_engage" / "pilot.yaml"
ESNSIM = Path(sys.executable).parent / "esnsim"
#: Slack's export header as downloaded (en-GB), the columns this reader does not use included
HEADER = [
    "Date", "Total enabled membership", "Enabled full members", "Enabled guests",
    "Daily active members", "Daily members posting messages", "Weekly active members",
    "Weekly members posting messages", "Messages in public channels",
    "Messages in private channels", "Messages in shared channels", "Messages in DMs",
    "Percentage of messages, public channels", "Name", "Messages posted",
]  # fmt: skip
START = date(2026, 3, 2)  # a Monday


def export_rows(days: int = 28, members: int = 80) -> list[dict]:
    """A pilot of ``members`` people: a launch, a weekday rhythm, a slow ebb (counts)."""
    rows = []
    for day in range(days):
        weekday = (START + timedelta(days=day)).weekday() < 5
        level = 0.6 * np.exp(-day / 20) + 0.15
        dau = round(members * level * (1.0 if weekday else 0.2))
        wau = round(members * min(1.0, level * 1.8))
        rows.append(
            {
                "day": day, "members": members, "dau": dau, "posters": dau // 3,
                "wau": wau, "weekly_posters": wau // 3,
            }
        )  # fmt: skip
    return rows


def write_export(path: Path, rows: list[dict], style: str = "gb", header=HEADER) -> Path:
    """Write ``rows`` as Slack does, dates in the exporter's ``style``: gb, us or iso."""
    formats = {"gb": "%d/%m/%Y", "us": "%m/%d/%Y", "iso": "%Y-%m-%d"}
    lines = [",".join(f'"{h}"' if "," in h else h for h in header)]
    for r in rows:
        when = (START + timedelta(days=r["day"])).strftime(formats[style])
        values = {
            "Date": when, "Total enabled membership": r["members"],
            "Enabled full members": r["members"], "Daily active members": r["dau"],
            "Daily members posting messages": r["posters"], "Weekly active members": r["wau"],
            "Weekly members posting messages": r["weekly_posters"], "Name": "pilot",
        }  # fmt: skip
        lower = {k.lower(): v for k, v in values.items()}
        lines.append(",".join(str(lower.get(h.lower(), 0)) for h in header))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_three_date_styles_read_the_same_days_and_shares(tmp_path):
    rows = export_rows()
    read = [
        load_observed(write_export(tmp_path / f"{s}.csv", rows, s)) for s in ("gb", "us", "iso")
    ]
    for obs in read:
        assert obs.kind == "slack"
        assert obs.dates[0] == START and obs.days.tolist() == list(range(28))
        assert set(obs.series) == {"daily_active", "weekly_active", "posters", "weekly_posters"}
        np.testing.assert_allclose(obs.series["weekly_active"], read[0].series["weekly_active"])
    assert read[0].series["weekly_active"][0] == pytest.approx(rows[0]["wau"] / 80)
    assert read[0].series["weekly_posters"][5] == pytest.approx(rows[5]["weekly_posters"] / 80)


def test_a_short_export_is_read_in_the_order_that_makes_it_daily(tmp_path):
    # 01/02 - 05/02: day-first is 1-5 February (daily), month-first 2 January - 2 May
    path = write_export(tmp_path / "s.csv", export_rows(days=5), "gb")
    obs = load_observed(path)
    assert obs.dates[0] == START and obs.days.tolist() == [0, 1, 2, 3, 4]


def test_newest_first_rows_and_old_header_spellings(tmp_path):
    rows = export_rows()
    header = [h.title() if h.startswith("Total") else h for h in HEADER]  # Total Enabled Membership
    newest_first = write_export(tmp_path / "n.csv", rows[::-1], "iso", header)
    assert load_observed(newest_first).days.tolist() == list(range(28))
    older = [("Total membership" if h == "Total enabled membership" else h) for h in HEADER]
    text = write_export(tmp_path / "o.csv", rows, "iso").read_text(encoding="utf-8")
    (tmp_path / "o.csv").write_text(text.replace(HEADER[1], older[1], 1), encoding="utf-8")
    assert load_observed(tmp_path / "o.csv").kind == "slack"


def test_shares_of_each_days_members_or_of_a_named_head_count(tmp_path):
    rows = export_rows()
    for k, r in enumerate(rows):  # members join during the first week
        r["members"] = min(80, 40 + 10 * k)
        for key in ("dau", "posters", "wau", "weekly_posters"):
            r[key] = r[key] * r["members"] // 80
    path = write_export(tmp_path / "s.csv", rows)
    obs = load_observed(path, default_population=100)
    assert obs.series["weekly_active"][1] == pytest.approx(rows[1]["wau"] / 50)
    assert obs.head_count.startswith("shares of each day's Total enabled membership")
    assert "40 to 80 members" in obs.head_count
    assert any("organisation has 100 people" in n for n in obs.notes)
    # the head-count the model follows (simulation.analysis.membership): each day's members
    np.testing.assert_array_equal(obs.membership[:6], [40, 50, 60, 70, 80, 80])
    named = load_observed(path, population=120)
    assert named.membership is None  # shares of a fixed head-count: nothing to follow
    assert named.head_count == "shares of 120 people (--population)"
    assert named.series["weekly_active"][1] == pytest.approx(rows[1]["wau"] / 120)
    np.testing.assert_allclose(named.series["registered"][:3], [40 / 120, 50 / 120, 60 / 120])
    with pytest.raises(ObservedDataError, match="80 members on 2026-03-06, more than the"):
        load_observed(path, population=120, default_population=70)  # members fit no head-count


def _bad(rows, change) -> list[dict]:
    rows = [dict(r) for r in rows]
    change(rows)
    return rows


BAD = [
    (lambda p: write_export(p, export_rows(), header=[h for h in HEADER if "membership" not in h]),
     {}, "slack.csv:1: a Slack analytics export without its column 'Total enabled membership'"),
    (lambda p: p.write_text(write_export(p, export_rows()).read_text().replace("05/03/2026", "35/03/2026")),
     {}, "slack.csv:5: Date: not a date"),
    (lambda p: write_export(p, _bad(export_rows(), lambda r: r[2].update(wau=-3))),
     {}, "slack.csv:4: Weekly active members: negative value -3"),
    (lambda p: write_export(p, _bad(export_rows(), lambda r: r[6].update(dau=500))),
     {}, "slack.csv:8: Daily active members: 500 above the day's Total enabled membership 80"),
    (lambda p: write_export(p, export_rows()),
     {"population": 60}, "slack.csv:2: Total enabled membership: 80 members, more than the head-count 60"),
    (lambda p: write_export(p, export_rows()),
     {"default_population": 50}, "more than the organisation's 50 people"),
]  # fmt: skip


@pytest.mark.parametrize(("make", "options", "message"), BAD)
def test_a_bad_export_is_one_line_naming_file_line_and_column(tmp_path, make, options, message):
    path = tmp_path / "slack.csv"
    make(path)
    with pytest.raises(ObservedDataError) as error:
        load_observed(path, **options)
    assert message in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize(("make", "options", "message"), [*BAD[:3], BAD[5]])
def test_a_bad_export_exits_2_and_writes_nothing(tmp_path, capsys, make, options, message):
    path, out = tmp_path / "slack.csv", tmp_path / "out"
    make(path)
    size = options.get("default_population", 300)
    code = main(
        ["calibrate", str(PILOT), "--observed", str(path), "--org", f"generate:size={size}",
         "--fit", "adoption.p=1e-4:0.01:log", "--out", str(out)]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_holidays_leave_their_days_out(tmp_path):
    path = write_export(tmp_path / "s.csv", export_rows())
    # 2026: Good Friday 3 April and Easter Monday 6 April (GB) fall after the export's 29 March
    obs = load_observed(path, holidays="2026-03-09,GB,2026-03-20")
    assert obs.days.size == 26 and 7 not in obs.days and 18 not in obs.days
    assert obs.holidays == (7, 18)
    assert obs.holiday_dates == [date(2026, 3, 9), date(2026, 3, 20)]
    assert "2 observed day(s) on public holidays of GB and 2 given dates" in obs.lines()[1]
    assert obs.truncated(10).holidays == (7,)
    de = load_observed(write_export(tmp_path / "d.csv", export_rows(days=60)), holidays="DE")
    assert [str(d) for d in de.holiday_dates] == ["2026-04-03", "2026-04-06"]
    for spec, message in [("XX", "--holidays 'XX'"), ("2026-13-01", "not a date"), (",", "")]:
        with pytest.raises(InputError) as error:
            load_observed(path, holidays=spec)
        assert message in str(error.value) and "\n" not in str(error.value)


def test_installed_command_fits_a_slack_export(tmp_path):
    """``esnsim calibrate ... --observed slack.csv``: the fit, its files, what it says."""
    path = write_export(tmp_path / "slack.csv", export_rows(days=21, members=120))
    out = tmp_path / "out"
    result = subprocess.run(
        [str(ESNSIM), "calibrate", str(PILOT), "--observed", str(path), "--org",
         "generate:size=120", "--fit", "adoption.p=1e-3:0.05:log", "--evaluations", "2",
         "--bootstrap", "2", "--replicates", "2", "--days", "28", "--holidays", "2026-03-09",
         "--out", str(out)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "MPLBACKEND": "Agg"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    said = result.stdout
    assert "shares of each day's Total enabled membership (the export: 120 to 120 members" in said
    assert "left out of the fit and the band coverage: 1 observed day(s) on 1 given date" in said
    fitted = pd.read_parquet(out / "fit.parquet")
    assert set(fitted["series"]) == {"daily_active", "weekly_active", "posters", "weekly_posters"}
    posters = fitted[fitted["series"] == "weekly_posters"]
    assert (posters["model_column"] == "weekly_posters").all() and len(posters) == 20
    assert 7 not in set(posters["day"])
    assert json.loads((out / "fit.json").read_text())["observed"]["format"] == "slack"


def test_the_nhs_r_communitys_export():
    """The real export (README of ../shared/data/communities): its long ebb as 28-day means."""
    path = Path(os.environ.get("ESNSIM_DATA", "/nonexistent")) / "communities" / "nhs_r_slack.csv"
    if not path.is_file():
        pytest.skip(f"{path} is not here: set ESNSIM_DATA to a folder laid out like ../shared/data")
    obs = load_observed(path, default_population=2461)
    assert obs.kind == "slack" and obs.dates[0] == date(2019, 11, 5)
    assert obs.dates[-1] == date(2024, 4, 24) and obs.days[-1] == 1632 and obs.days.size == 1354
    assert obs.series["weekly_active"][-1] == pytest.approx(149 / 2461)  # the last row
    steps = np.diff(obs.membership)  # 19 February 2020 (the README): +44, a step of the top 2
    assert steps[list(obs.days).index(106) - 1] == 44 and np.sort(steps)[-2] == 44
    counts = load_observed(path, population=2461)  # shares of one head-count: counts kept
    frame = pd.DataFrame({"date": pd.to_datetime(counts.dates), **counts.series})

    def quarter(start: str) -> pd.Series:
        """The README's 28-day means from a quarter's first day (ratios of the means)."""
        days = frame.set_index("date").loc[start : pd.Timestamp(start) + pd.Timedelta(days=27)]
        return days.mean()

    # the README's table: 0.27 and 0.28 in April 2020 (its 306 members are the quarter's end:
    # the 28-day mean is 283, so 0.29), 0.056 and 0.24 in April 2024
    for start, active, posting in [("2020-04-01", 0.27, 0.28), ("2024-04-01", 0.056, 0.24)]:
        means = quarter(start)
        assert means["weekly_active"] / means["registered"] == pytest.approx(active, rel=0.1)
        assert means["weekly_posters"] / means["weekly_active"] == pytest.approx(posting, abs=0.01)
    with pytest.raises(ObservedDataError, match="2,461 members on 2024-04-21, more than"):
        load_observed(path, default_population=2000)


def test_a_bad_holidays_option_exits_2_and_writes_nothing(tmp_path, capsys):
    path, out = write_export(tmp_path / "slack.csv", export_rows()), tmp_path / "out"
    code = main(
        ["calibrate", str(PILOT), "--observed", str(path), "--org", "generate:size=100",
         "--fit", "adoption.p=1e-4:0.01:log", "--holidays", "GB,XX", "--out", str(out)]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "--holidays 'XX': Country XX not available" in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()
