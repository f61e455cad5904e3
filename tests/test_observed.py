"""Observed files: the four formats and their one-line errors (issue 14, item 1)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulation.analysis.observed import ObservedDataError, load_observed
from simulation.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "viva_engage"


def _write(tmp_path, text, name="obs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_generic_series_of_shares_and_counts(tmp_path):
    path = _write(
        tmp_path, "date,weekly_active,registered\n2026-01-05,0.1,0.2\n2026-01-12,0.2,0.3\n"
    )
    obs = load_observed(path)
    assert obs.days.tolist() == [0, 7]
    assert obs.series["weekly_active"].tolist() == [0.1, 0.2]
    counts = _write(tmp_path, "day,registered,posts\n0,10,3\n7,50,12\n", "c.csv")
    obs = load_observed(counts, population=100)
    assert obs.series["registered"].tolist() == [0.1, 0.5]
    assert obs.series["posts"].tolist() == [0.03, 0.12]


def test_viva_engage_activity_report_sample():
    obs = load_observed(EXAMPLE / "activity_user_counts.csv", default_population=2000)
    assert obs.kind == "viva_engage"
    assert obs.days.tolist() == list(range(56))  # newest-first export put in time order
    assert set(obs.series) == {"readers", "posters"}
    assert (obs.series["readers"] >= obs.series["posters"]).all()


def test_viva_engage_user_detail(tmp_path):
    header = (
        "Report Refresh Date,User Principal Name,Display Name,User State,State Change Date,"
        "Last Activity Date,Posted Count,Read Count,Liked Count,Assigned Products,Report Period\n"
    )
    rows = [
        "2026-03-02,a@x.com,A,active,,2026-03-01,1,5,0,,30",
        "2026-03-02,b@x.com,B,active,,2026-02-10,0,2,0,,30",
        "2026-03-02,c@x.com,C,active,,,0,0,0,,30",
        "2026-03-02,d@x.com,D,active,,,0,0,0,,30",
    ]
    path = _write(tmp_path, header + "\n".join(rows) + "\n")
    obs = load_observed(path, launch="2026-01-05")
    assert obs.days.tolist() == [56]
    assert obs.series["weekly_active"].tolist() == [0.25]
    assert obs.series["registered"].tolist() == [0.5]
    with pytest.raises(ObservedDataError, match="launch date"):
        load_observed(path)


def test_adoption_times_with_never_code(tmp_path):
    path = _write(tmp_path, "id,toa,adopted\n1,1,1\n2,2,1\n3,3,0\n4,,1\n")
    obs = load_observed(path, period_days=30)
    assert obs.adoption.period.tolist() == [1, 2, 0, 0]
    assert obs.days.tolist() == [29, 59]
    np.testing.assert_allclose(obs.series["registered"], [0.25, 0.5])
    coded = _write(tmp_path, "id,toa\n1,1\n2,9\n", "n.csv")
    assert load_observed(coded, never_code=9).adoption.period.tolist() == [1, 0]


BAD = [
    ("date,weekly_active,likes\n2026-01-05,0.1,3\n", {}, "obs.csv: likes: unknown column"),
    (
        "date,weekly_active\n2026-01-12,0.1\n2026-01-05,0.2\n",
        {},
        "obs.csv:3: date: date out of order",
    ),
    ("day,registered\n0,5\n7,-2\n", {"population": 100}, "obs.csv:3: registered: negative value"),
    ("day,weekly_active\n0,0.5\n7,1.5\n", {}, "obs.csv:3: weekly_active: share 1.5 above 1"),
    (
        "day,registered\n0,50\n7,150\n",
        {"population": 100},
        "obs.csv:3: registered: count 150 above",
    ),
    ("day,registered\n", {}, "obs.csv: empty series"),
    ("day,weekly_active\n0,abc\n", {}, "obs.csv:2: weekly_active: not a number"),
]


@pytest.mark.parametrize(("text", "options", "message"), BAD)
def test_bad_files_are_one_line_errors(tmp_path, text, options, message):
    path = _write(tmp_path, text)
    with pytest.raises(ObservedDataError) as error:
        load_observed(path, **options)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize(("text", "options", "message"), BAD[:4])
def test_bad_files_exit_2_and_write_nothing(tmp_path, capsys, text, options, message):
    path = _write(tmp_path, text)
    out = tmp_path / "out"
    extra = [f"--population={options['population']}"] if options else []
    code = main(
        ["calibrate", str(EXAMPLE / "pilot.yaml"), "--observed", str(path), "--org",
         "generate:size=200", "--fit", "adoption.p=1e-4:0.01:log", "--out", str(out), *extra]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
