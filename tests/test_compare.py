"""Comparing plans: common random numbers, statistics that match the raw runs, the command."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import simulation as esn
from simulation.base.errors import InputError
from simulation.cli.main import main
from simulation.metrics.targets import Target
from simulation.org import Organisation
from tests.conftest import SCENARIOS

PLANS = [str(SCENARIOS / "top_down_mandate.yaml"), str(SCENARIOS / "grassroots_facilitated.yaml")]
TARGETS = ["wau>=0.3@60", "sustained_wau>=0.2", "cost_per_sustained_wau<300"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A small comparison run once and saved: (MultiSim, output folder)."""
    org = Organisation.generate(300, seed=2)
    ms = esn.compare(PLANS, org=org, replicates=8, seed=5, days=90, targets=TARGETS)
    out = tmp_path_factory.mktemp("compare")
    ms.save(out)
    return ms, out


def _managers(count: int) -> esn.Scenario:
    base = esn.Scenario.load(SCENARIOS / "grassroots_facilitated.yaml")
    data = base.model_dump(mode="python")
    data["interventions"][0]["community_managers"] = count
    data["name"] = f"{count}_community_managers"
    data["days"] = 120
    return esn.Scenario.from_dict(data)


def test_common_random_numbers_make_the_paired_interval_at_least_twice_narrower(tmp_path):
    org = Organisation.generate(400, seed=1)
    ms = esn.compare([_managers(2), _managers(3)], org=org, replicates=20, seed=3)
    runs = ms.runs
    a = runs[runs["scenario"] == "3_community_managers"].sort_values("replicate")
    b = runs[runs["scenario"] == "2_community_managers"].sort_values("replicate")
    assert list(a["seed"]) == list(b["seed"])  # replicate k of both plans: the same seed
    for metric in ("sustained_wau", "peak_wau"):
        x, y = a[metric].to_numpy(), b[metric].to_numpy()
        paired = 2 * 1.729 * (x - y).std(ddof=1) / np.sqrt(len(x))  # t(0.95, 19 dof)
        unpaired = 2 * 1.729 * np.sqrt(x.var(ddof=1) / len(x) + y.var(ddof=1) / len(y))
        assert unpaired >= 2 * paired, (metric, paired, unpaired)
        row = ms.differences().set_index("metric").loc[metric]
        assert row["high"] - row["low"] == pytest.approx(paired, rel=0.01)
        assert row["unpaired_high"] - row["unpaired_low"] == pytest.approx(unpaired, rel=0.05)
    # the report says which interval it shows, and how much wider the other would be
    text = ms.to_html(tmp_path / "report.html").read_text()
    assert "<b>paired</b>" in text and "times wider" in text


def test_statistics_match_the_raw_runs(saved):
    ms, out = saved
    daily = pd.read_parquet(out / "daily.parquet")
    summary = pd.read_parquet(out / "summary.parquet")
    stats = pd.read_parquet(out / "compare.parquet")
    for name in ms.names:
        mine = daily[daily["scenario"] == name]
        by_day = mine.pivot(index="day", columns="replicate", values="wau").to_numpy()
        expected = pd.DataFrame(
            {
                "mean": by_day.mean(axis=1),
                "low": np.quantile(by_day, 0.05, axis=1),
                "high": np.quantile(by_day, 0.95, axis=1),
            }
        )
        got = stats[(stats["section"] == "daily") & (stats["scenario"] == name)]
        got = got[got["metric"] == "wau"].sort_values("day")
        np.testing.assert_allclose(got[["mean", "low", "high"]].to_numpy(), expected.to_numpy())

        runs = summary[summary["scenario"] == name]["sustained_wau"].to_numpy()
        row = stats[(stats["section"] == "summary") & (stats["scenario"] == name)]
        row = row.set_index("metric").loc["sustained_wau"]
        assert row["mean"] == pytest.approx(runs.mean())
        assert row["low"] == pytest.approx(np.quantile(runs, 0.05))
        assert row["high"] == pytest.approx(np.quantile(runs, 0.95))

        reached = (by_day[:61] >= 0.3).any(axis=0).mean()
        target = stats[(stats["section"] == "target") & (stats["scenario"] == name)]
        assert target.set_index("metric").loc["wau>=0.3@60", "mean"] == pytest.approx(reached)
        use = mine[mine["day"] >= 60].groupby("replicate")["dau_of_registered"].mean()
        row = stats[(stats["section"] == "sustained") & (stats["scenario"] == name)]
        row = row.set_index("metric").loc["dau_of_registered"]
        assert row["mean"] == pytest.approx(use.mean())
        assert row["high"] == pytest.approx(np.quantile(use, 0.95))

        share = (runs >= 0.2).mean()
        assert target.set_index("metric").loc["sustained_wau>=0.2", "mean"] == pytest.approx(share)


def test_paired_differences_are_taken_replicate_by_replicate(saved):
    ms, out = saved
    summary = pd.read_parquet(out / "summary.parquet")
    first, second = ms.names
    a = summary[summary["scenario"] == second].set_index("replicate")["cost"]
    b = summary[summary["scenario"] == first].set_index("replicate")["cost"]
    stats = pd.read_parquet(out / "compare.parquet")
    row = stats[(stats["section"] == "difference") & (stats["metric"] == "cost")].iloc[0]
    assert row["scenario"] == second and row["reference"] == first
    assert row["mean"] == pytest.approx((a - b).mean())


def test_every_output_of_a_comparison_is_written(saved):
    ms, out = saved
    for name in ["daily_by_group.parquet", "pockets.parquet", "manifest.json", "adoption.png"]:
        assert (out / name).stat().st_size > 0
    by_group = pd.read_parquet(out / "daily_by_group.parquet")
    assert set(by_group["group_by"]) == {"department", "level", "site", "frontline"}
    pockets = pd.read_parquet(out / "pockets.parquet")
    assert set(pockets["kind"]) == {"team", "site", "department"}
    assert (pockets.groupby(["scenario", "kind"])["rank"].min() == 1).all()
    assert list(ms.probability("wau>=0.3@60")["scenario"]) == ms.names


@pytest.mark.parametrize(
    "text",
    ["wau>0.4@", "wau=>0.4", "__import__('os')>1", "sustained_wau>=0.3@10", "wau>=0.4", "nope<1"],
)
def test_bad_target_expressions_are_input_errors_naming_them(text):
    with pytest.raises(InputError, match="target"):
        Target.parse(text, days=365)


def test_a_target_beyond_the_run_is_refused():
    with pytest.raises(InputError, match="beyond"):
        Target.parse("wau>=0.4@400", days=365)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "wau>>0.4@180"], "wau>>0.4@180"),
        (["--target", "sustained_wau>=0.3@10"], "daily series"),
    ],
)
def test_compare_with_a_bad_target_exits_2_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "out"
    code = main(["compare", *PLANS, "--org", "generate:size=100", "--out", str(out), *args])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_compare_with_an_invalid_scenario_exits_2_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ndays: -3\n")
    out = tmp_path / "out"
    code = main(["compare", PLANS[0], str(bad), "--org", "generate:size=100", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "bad.yaml" in err and "days" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_compare_needs_two_plans(tmp_path, capsys):
    code = main(["compare", PLANS[0], "--out", str(tmp_path / "out")])
    assert code == 2 and "2 to 6 plans" in capsys.readouterr().err


def test_compare_command_prints_the_answer_and_writes_the_report(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(
        ["compare", *PLANS, "--org", "generate:size=200,seed=1", "--days", "60"]
        + ["--replicates", "3", "--workers", "1", "--target", "wau>=0.2@30", "--out", str(out)]
    )
    printed = capsys.readouterr().out
    assert code == 0 and "chance of 20 % weekly active by day 30" in printed
    assert "report.html" in printed
    assert " leads on sustained weekly active (last 30 days):" in printed and "paired" in printed
    assert (out / "report.html").exists() and (out / "compare.parquet").exists()
