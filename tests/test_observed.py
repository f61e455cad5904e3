"""Observed files: the formats and their one-line errors (issue 14, item 1); weekly posters,
the head-count and holidays (issues 26 and 27)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulation import Organisation, Scenario, Sim
from simulation.analysis.observed import MODEL_COLUMN, ObservedDataError, load_observed
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
    # in a larger organisation the model's shares are of more people: the output says so
    larger = load_observed(path, launch="2026-01-05", default_population=lambda: 10)
    assert any("the organisation has 10: run on 4 people" in n for n in larger.notes)
    assert not any("run on" in n for n in obs.notes)
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
        "date,weekly_active\n2026-01-12,0.1\n2026-01-05,0.2\n2026-01-12,0.3\n",
        {},
        "obs.csv:4: date: date repeated",
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


def test_weekly_posters_in_a_generic_series_are_compared_with_the_models(tmp_path):
    path = _write(tmp_path, "day,posters,weekly_posters\n0,12,30\n7,5,20\n")
    obs = load_observed(path, population=100)
    assert obs.series["weekly_posters"].tolist() == [0.3, 0.2]
    assert MODEL_COLUMN["weekly_posters"] == "weekly_posters"
    assert MODEL_COLUMN["posters"] == "posts"  # the day's posters: a person posts once a day


def test_the_models_weekly_posters_are_the_weeks_active_less_its_lurkers():
    org = Organisation.generate(200, seed=3)
    scenario = Scenario.load(EXAMPLE / "pilot.yaml")
    daily = Sim(scenario, org=org, seed=5, days=40, replicates=3, workers=1).run().daily
    posting = daily["contributors"] + daily["heavy_contributors"]
    np.testing.assert_allclose(daily["weekly_posters"], posting)
    np.testing.assert_allclose(daily["weekly_posters"] + daily["lurkers"], daily["wau"])
    assert daily["weekly_posters"].max() > 0


def test_the_head_count_says_where_it_comes_from(tmp_path):
    counts = EXAMPLE / "activity_user_counts.csv"
    from_org = load_observed(counts, default_population=lambda: 2000)
    assert from_org.head_count.startswith("shares of 2,000 people (the organisation's head-count")
    named = load_observed(counts, population=600, default_population=2000)
    assert named.head_count == "shares of 600 people (--population)"
    assert "the organisation has 2,000: run on 600 people" in named.lines()[1]
    assert named.series["readers"][0] == pytest.approx(from_org.series["readers"][0] * 2000 / 600)
    shares = load_observed(_write(tmp_path, "day,weekly_active\n0,0.5\n"))
    assert shares.lines() == ["shares as given in the file"]


def test_a_user_detail_export_listing_more_users_than_the_organisation(tmp_path):
    header = "Report Refresh Date,User Principal Name,Last Activity Date\n"
    rows = "".join(f"2026-03-02,u{k}@x.com,2026-03-01\n" for k in range(5))
    path = _write(tmp_path, header + rows)
    assert load_observed(path, launch="2026-01-05", default_population=5).population == 5
    with pytest.raises(ObservedDataError) as error:
        load_observed(path, launch="2026-01-05", default_population=lambda: 4)
    assert (
        "obs.csv: User Principal Name: the export lists 5 users, more than the organisation's 4"
        in (str(error.value))
    )


def test_holidays_of_a_series_by_day_need_the_launch_date(tmp_path):
    path = _write(tmp_path, "day,daily_active\n0,0.2\n1,0.3\n2,0.02\n3,0.3\n")
    with pytest.raises(ObservedDataError, match="--holidays needs dates"):
        load_observed(path, holidays="2026-12-25")
    obs = load_observed(path, launch="2026-12-23", holidays="2026-12-25")
    assert obs.days.tolist() == [0, 1, 3] and obs.holidays == (2,)
    times = _write(tmp_path, "id,toa\n1,1\n2,2\n", "t.csv")
    with pytest.raises(ObservedDataError, match="not adoption times"):
        load_observed(times, holidays="GB")
