"""Viva Engage, Slack and generic files as users bring them: the Viva reader takes what the
Slack reader takes (dates in either order, any case, extra columns, weekly rows said), a Slack
export's first rows without members, a Slack export without one of its series, a generic series
out of order or with ``Date``, a per-person log named as unsupported; and a Viva export with US
dates and an extra column through the installed command."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from simulation.analysis.observed import ObservedDataError, load_observed
from tests.cli_helpers import installed

ROOT = Path(__file__).resolve().parents[1]
VIVA = ["Report Refresh Date", "Liked", "Posted", "Read", "Report Date", "Report Period"]
LAUNCH = date(2026, 3, 2)
SLACK = (
    "Date,Total enabled membership,Daily active members,Weekly active members,"
    "Daily members posting messages,Weekly members posting messages\n"
)


def viva_export(path: Path, days=30, style="%Y-%m-%d", header=VIVA, extra=None, step=1):
    """A report, newest first as exported: Read = 10 + day, Posted = day // 3 (people)."""
    refresh = LAUNCH + timedelta(days=(days - 1) * step + 1)
    lines = [",".join(header + ([extra] if extra else []))]
    for day in range(days - 1, -1, -1):
        when = LAUNCH + timedelta(days=day * step)
        row = [refresh.strftime(style), "0", str(day // 3), str(10 + day), when.strftime(style)]
        lines.append(",".join(row + [str(7 if step == 7 else 30)] + (["9"] if extra else [])))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check_viva(obs, days=30, population=200):
    assert obs.kind == "viva_engage" and obs.dates[0] == LAUNCH
    assert obs.days.tolist() == list(range(days))
    assert (obs.series["readers"] * population).round().tolist() == [10 + d for d in range(days)]
    assert (obs.series["posters"] * population).round().tolist() == [d // 3 for d in range(days)]


@pytest.mark.parametrize("style", ["%m/%d/%Y", "%d/%m/%Y"])
def test_viva_dates_in_either_order(tmp_path, style):
    obs = load_observed(viva_export(tmp_path / "v.csv", style=style), population=200)
    _check_viva(obs)
    assert not any("dates read as" in n for n in obs.notes)  # told from the file: no doubt


def test_viva_dates_that_read_either_way_say_which_order_was_read(tmp_path):
    # 2 to 11 March: every day and month is 12 or less
    obs = load_observed(viva_export(tmp_path / "v.csv", days=10, style="%m/%d/%Y"), 200)
    _check_viva(obs, days=10)
    assert any("Report Date: dates read as MM/DD/YYYY" in n for n in obs.notes)


def test_viva_headers_in_any_case_and_an_extra_column(tmp_path):
    lower = viva_export(tmp_path / "l.csv", header=[h.lower() for h in VIVA])
    _check_viva(load_observed(lower, population=200))
    extra = load_observed(viva_export(tmp_path / "e.csv", extra="Reacted"), population=200)
    _check_viva(extra)
    assert "note: column(s) 'Reacted' not of a Viva Engage activity report: ignored" in extra.notes


def test_viva_rows_a_week_apart_are_said(tmp_path):
    obs = load_observed(viva_export(tmp_path / "w.csv", days=8, step=7), population=200)
    assert obs.days.tolist() == [7 * k for k in range(8)]
    assert any("the rows are 7 days apart and their Report Period is 7" in n for n in obs.notes)
    daily = load_observed(viva_export(tmp_path / "d.csv"), population=200)
    assert not any("7 days apart" in n for n in daily.notes)


def test_a_per_person_daily_log_is_named_as_unsupported(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Date,User,Posted,Read\n2026-03-02,u1,0,1\n2026-03-02,u2,1,1\n", "utf-8")
    with pytest.raises(ObservedDataError) as error:
        load_observed(path, default_population=100)
    message = str(error.value)
    assert "log.csv: User: one row per person and day is not a format read here" in message
    assert "Slack's analytics export, Viva Engage's activity report" in message
    assert "\n" not in message


def test_slack_rows_before_the_first_member_are_left_out(tmp_path):
    rows = ["2026-02-28,0,0,0,0,0", "2026-03-01,0,0,0,0,0"]
    rows += [f"2026-03-{d:02d},50,{10 + d},30,{d},8" for d in range(2, 9)]
    path = tmp_path / "s.csv"
    path.write_text(SLACK + "\n".join(rows) + "\n", "utf-8")
    obs = load_observed(path, default_population=60)
    assert obs.dates[0] == LAUNCH and obs.days.tolist() == list(range(7))
    assert obs.membership.tolist() == [50] * 7
    assert (obs.series["daily_active"] * 50).round().tolist() == [10 + d for d in range(2, 9)]
    assert (
        "note: the first 2 rows have no members (Total enabled membership 0): the history "
        "starts on 2026-03-02, the first day with members"
    ) in obs.notes
    assert obs.lines()[-1] == "day 0 is 2026-03-02 (Monday)"  # the output says what days count from
    path.write_text(SLACK + "\n".join(rows[:2]) + "\n", "utf-8")
    with pytest.raises(ObservedDataError, match=r"s.csv: Total enabled membership: no row has"):
        load_observed(path)


def test_slack_days_with_no_members_later_on_are_left_out_not_fitted_as_zeros(tmp_path):
    rows = [f"2026-03-{d:02d},50,{10 + d},30,{d},8" for d in range(2, 9)]
    rows[3] = "2026-03-05,0,0,0,0,0"  # an export's gap: the workspace did not lose everyone
    path = tmp_path / "s.csv"
    path.write_text(SLACK + "\n".join(rows) + "\n", "utf-8")
    obs = load_observed(path, default_population=60)
    assert obs.days.tolist() == [0, 1, 2, 4, 5, 6]
    assert obs.membership.tolist() == [50] * 6 and (obs.series["weekly_active"] > 0).all()
    assert any("1 later day(s) with no members" in n and "2026-03-05" in n for n in obs.notes)


def test_slack_without_one_of_its_series_is_read_with_the_others(tmp_path):
    header = SLACK.rsplit(",", 1)[0] + "\n"  # no Weekly members posting messages
    rows = "".join(f"2026-03-{d:02d},50,{10 + d},30,{d}\n" for d in range(2, 9))
    path = tmp_path / "s.csv"
    path.write_text(header + rows, "utf-8")
    obs = load_observed(path)
    assert set(obs.series) == {"daily_active", "weekly_active", "posters"}
    assert (obs.series["posters"] * 50).round().tolist() == list(range(2, 9))
    assert any("no column 'Weekly members posting messages'" in n for n in obs.notes)
    path.write_text("Date,Total enabled membership\n2026-03-02,50\n", "utf-8")
    with pytest.raises(ObservedDataError, match=r"s.csv:1: a Slack analytics export without any"):
        load_observed(path)


def test_a_generic_series_in_reverse_order_and_date_with_a_capital(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("Date,Weekly_Active\n2026-03-16,0.3\n2026-03-09,0.2\n2026-03-02,0.1\n", "utf-8")
    obs = load_observed(path)
    assert obs.days.tolist() == [0, 7, 14] and obs.series["weekly_active"].tolist() == [
        0.1,
        0.2,
        0.3,
    ]
    assert "note: the rows were not in time order: read in time order" in obs.notes
    by_day = tmp_path / "d.csv"
    by_day.write_text("day,registered\n14,0.3\n7,0.2\n0,0.1\n", "utf-8")
    assert load_observed(by_day).series["registered"].tolist() == [0.1, 0.2, 0.3]
    by_day.write_text("day,registered\n14,0.3\n7,0.2\n14,0.1\n", "utf-8")
    with pytest.raises(ObservedDataError, match=r"d.csv:4: day: day repeated"):
        load_observed(by_day)


def test_a_viva_export_with_us_dates_and_an_extra_column_through_the_installed_command(tmp_path):
    """``esnsim calibrate --observed`` a Viva report re-saved by Excel (MM/DD/YYYY) with a
    column the reader does not know: fitted, and the output says what was ignored."""
    path = viva_export(tmp_path / "viva.csv", days=21, style="%m/%d/%Y", extra="Reacted")
    out = tmp_path / "out"
    done = installed(
        "calibrate", ROOT / "examples" / "viva_engage" / "pilot.yaml", "--observed", path,
        "--org", "generate:size=200", "--fit", "adoption.p=1e-3:0.05:log", "--evaluations", "2",
        "--bootstrap", "2", "--replicates", "2", "--days", "28", "--out", out, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "column(s) 'Reacted' not of a Viva Engage activity report: ignored" in done.stdout
    fitted = pd.read_parquet(out / "fit.parquet")
    readers = fitted[fitted["series"] == "readers"].sort_values("day")
    assert readers["day"].tolist() == list(range(21))
    assert (readers["observed"] * 200).round().tolist() == [10 + d for d in range(21)]
    assert json.loads((out / "fit.json").read_text())["observed"]["format"] == "viva_engage"
