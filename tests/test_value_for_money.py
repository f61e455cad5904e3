"""Value for money: the budget's answer, the extra cost per extra person, the lever table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import simulation as esn
from simulation.base.errors import InputError
from simulation.cli.main import main
from simulation.metrics.value import value_for_money
from simulation.org import Organisation
from simulation.org.combine import disjoint_union
from tests.conftest import SCENARIOS

ESNSIM = Path(sys.executable).with_name("esnsim")


def _runs(plans: dict[str, tuple[list[float], list[float]]]) -> pd.DataFrame:
    rows = []
    for name, (wau, cost) in plans.items():
        for k, (w, c) in enumerate(zip(wau, cost, strict=True)):
            rows.append({"scenario": name, "replicate": k, "sustained_wau": w, "cost": c})
    return pd.DataFrame(rows)


RUNS = _runs(
    {
        "cheap": ([0.10, 0.12, 0.11, 0.09], [1000, 1000, 1000, 1000]),
        "middle": ([0.20, 0.22, 0.19, 0.21], [5000, 5200, 4800, 5000]),
        "best": ([0.30, 0.33, 0.29, 0.32], [9000, 9000, 9000, 9000]),
        "wasteful": ([0.08, 0.10, 0.09, 0.09], [6000, 6000, 6000, 6000]),
    }
)
NAMES = ["cheap", "middle", "best", "wasteful"]


def test_a_better_plan_over_budget_is_not_the_answer():
    value = value_for_money(RUNS, NAMES, "sustained_wau", 1000, budget=5100)
    assert value.leader == "best" and value.best == "middle"
    middle = value.row("middle")
    assert middle["within_budget"] and not value.row("best")["within_budget"]
    assert middle["budget_chance"] == pytest.approx(0.75)  # 5200 > 5100 in one run of four
    assert middle["budget_chance_low"] < 0.75 < middle["budget_chance_high"]
    # without a budget the answer is the leader
    assert value_for_money(RUNS, NAMES, "sustained_wau", 1000).best == "best"


def test_extra_cost_per_extra_person_is_paired_against_the_cheapest():
    value = value_for_money(RUNS, NAMES, "sustained_wau", 1000)
    assert value.cheapest == "cheap"
    assert list(value.plans["scenario"]) == ["best", "middle", "cheap", "wasteful"]
    best = value.row("best")
    people = (np.array([0.30, 0.33, 0.29, 0.32]) - [0.10, 0.12, 0.11, 0.09]) * 1000
    assert best["extra_people"] == pytest.approx(people.mean())
    assert best["extra_cost"] == pytest.approx(8000)
    assert best["cost_per_extra_person"] == pytest.approx(8000 / people.mean())
    # no clear extra people: no ratio; more money for less: dominated
    wasteful = value.row("wasteful")
    assert np.isnan(wasteful["cost_per_extra_person"]) and wasteful["dominated"]
    assert not best["dominated"] and not value.row("cheap")["dominated"]
    stats = value.statistics()
    assert set(stats["metric"]) == {"extra_cost", "extra_people", "cost_per_extra_person"}


def test_a_budget_below_the_cheapest_plan_is_refused():
    with pytest.raises(InputError, match="below the cheapest plan, cheap"):
        value_for_money(RUNS, NAMES, "sustained_wau", 1000, budget=999)
    with pytest.raises(InputError, match="finite amount"):
        value_for_money(RUNS, NAMES, "sustained_wau", 1000, budget=-1)
    # before any run, when the levers alone cost more than the budget
    plans = [SCENARIOS / "grassroots_facilitated.yaml", SCENARIOS / "full_support.yaml"]
    with pytest.raises(InputError, match="below the cheapest plan, grassroots_facilitated"):
        esn.MultiSim(plans, org="generate:size=200", replicates=2, days=30, budget=1000)


@pytest.fixture(scope="module")
def two_firms():
    """Two firms with no tie between, each with departments of its own."""
    a = Organisation.generate(200, seed=1, departments=["sales", "marketing"])
    b = Organisation.generate(200, seed=2, departments=["operations", "finance"])
    return disjoint_union(a, b)


def test_the_lever_table_adds_up_when_the_levers_cannot_interact(two_firms):
    """One lever in each firm: by common random numbers each firm's people do exactly what they
    would do with its lever alone, so the effects add up to the plan minus no levers."""
    plan = {
        "name": "two",
        "days": 90,
        "interventions": [
            {"type": "work_integration", "share": 0.3, "departments": ["sales", "marketing"]},
            {"type": "work_integration", "share": 0.3, "departments": ["operations", "finance"]},
        ],
    }
    other = {"name": "none", "days": 90}
    ms = esn.compare([plan, other], org=two_firms, replicates=4, seed=0, lever_table=True)
    table = ms.result.value.levers
    assert table.plan == "two"
    assert list(table.rows["lever"]) == ["work_integration #1", "work_integration #2"]
    assert (table.rows["effect_low"] > 0).all()  # each lever does something
    assert table.remainder["mean"] == pytest.approx(0.0, abs=1e-9)
    assert table.sum_of_effects == pytest.approx(table.total["mean"], abs=1e-9)
    # each lever's cost is its own items: its build, upkeep and training
    firm = int((two_firms.department != two_firms.department_names.index("executive")).sum())
    assert table.rows["cost"].sum() == pytest.approx(table.total["cost"])
    assert table.total["cost"] == pytest.approx(2 * (50000 + 800 * 3) + firm * 33.5)


def test_the_lever_table_of_full_support_reports_its_interaction():
    org = Organisation.generate(300, seed=4)
    ms = esn.compare(
        [SCENARIOS / "full_support.yaml", SCENARIOS / "grassroots.yaml"],
        org=org,
        replicates=4,
        days=120,
        seed=0,
        lever_table=True,
    )
    value = ms.result.value
    table = value.levers
    assert table.plan == value.best == "full_support"
    assert len(table.rows) == 5 and table.rows["n"].eq(4).all()
    # every run counted: 2 plans and the 5 levers' variants plus the plan with none, 4 each
    assert ms.runs_done == 4 * (2 + 5 + 1)
    # the remainder is the total minus the sum of the effects, with its interval around it
    assert table.remainder["mean"] == pytest.approx(table.total["mean"] - table.sum_of_effects)
    assert table.remainder["low"] <= table.remainder["mean"] <= table.remainder["high"]
    # facilitation is the costly lever: its cost is its managers' days
    facilitation = table.rows.set_index("lever").loc["facilitation"]
    assert facilitation["cost"] == pytest.approx(2 * 400 * 120)
    plan_cost = ms.runs.loc[ms.runs["scenario"] == "full_support", "cost"].mean()
    assert facilitation["without_cost"] == pytest.approx(plan_cost - facilitation["cost"])
    statistics = ms.statistics()
    assert (statistics["section"] == "value").any()


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ESNSIM), *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


def test_compare_with_a_budget_on_the_command_line(tmp_path):
    common = ["--org", "generate:size=200", "--replicates", "3", "--days", "60"]
    plans = [str(SCENARIOS / "full_support.yaml"), str(SCENARIOS / "grassroots.yaml")]
    out = tmp_path / "within"
    done = _cli("compare", *plans, *common, "--budget", "20000", "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Within EUR 20,000: grassroots" in done.stdout
    # which organisation the figures are of, as the report says it
    assert "2 plans on generated-200 (200 people), 60 days, 3 replicates each:" in done.stdout
    assert "full_support does better but is over the budget" in done.stdout
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="answer-budget" data-best="grassroots"' in html
    assert 'id="value-for-money"' in html and 'id="costs"' in html
    # the extra cost is shown with its paired interval, as the column's header says
    extra = html.split('<tr data-scenario="full_support">', 1)[1].split("</tr>", 1)[0]
    assert extra.count('class="interval"') >= 3, extra
    assert "not the answer" in html


def test_a_budget_below_the_cheapest_plan_is_one_line_and_nothing_written(tmp_path, capsys):
    plans = [str(SCENARIOS / "full_support.yaml"), str(SCENARIOS / "grassroots.yaml")]
    common = ["--org", "generate:size=150", "--replicates", "2", "--days", "30"]
    for budget, plans_here in (
        ("100", [plans[0], str(SCENARIOS / "grassroots_facilitated.yaml")]),  # before any run
        ("10", plans),  # the cheapest plan's licences alone are over it: after the runs
    ):
        out = tmp_path / f"out{budget}"
        status = main(["compare", *plans_here, *common, "--budget", budget, "--out", str(out)])
        err = capsys.readouterr().err.strip()
        assert status == 2 and "\n" not in err and "below the cheapest plan" in err, err
        assert not out.exists() and list(tmp_path.iterdir()) == []


def test_plans_in_different_currencies_are_refused_before_any_run(tmp_path, capsys):
    """No exchange rate is known: a budget, the costs and the value for money across EUR and USD
    would compare numbers that are not comparable (they were, silently, labelled EUR)."""
    usd = (SCENARIOS / "grassroots.yaml").read_text(encoding="utf-8")
    (tmp_path / "usd.yaml").write_text(
        usd.replace("name: grassroots", "name: grassroots_usd") + "\ncosts: {currency: USD}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    status = main(["compare", str(SCENARIOS / "full_support.yaml"), str(tmp_path / "usd.yaml"),
                   "--org", "generate:size=100", "--replicates", "2", "--days", "20",
                   "--out", str(out)])  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert status == 2 and "\n" not in err, err
    assert "different currencies (full_support: EUR, grassroots_usd: USD)" in err
    assert not out.exists()
