"""A rollout may be a list of phases, each from its own start day."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.base.errors import ScenarioError
from simulation.experiments.sim import Sim
from simulation.model.engine import Engine
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Scenario
from tests.conftest import SCENARIOS, scenario

R = 2


def _run(org, rollout, days=40):
    return Engine(
        org, resolve_names(scenario(days=days, rollout=rollout), org), seeds=range(R)
    ).run()


@pytest.mark.parametrize(
    "rollout",
    [
        {"strategy": "grassroots", "seeds_per_department": 4},
        {"strategy": "pilot", "teams": 3, "start_day": 2},
        {"strategy": "mandate", "announced_by": "it"},
        {
            "strategy": "waves",
            "waves": [{"day": 0, "departments": ["sales"]}, {"day": 9, "departments": ["rest"]}],
        },  # fmt: skip
    ],
    ids=lambda r: r["strategy"],
)
def test_a_one_phase_list_equals_the_plain_rollout_exactly(org_1000, rollout):
    plain = _run(org_1000, rollout).records.values
    listed = _run(org_1000, [rollout]).records.values
    for column in ("aware", "registered", "wau", "posts"):
        np.testing.assert_array_equal(plain[column], listed[column])


def test_the_second_phase_starts_on_its_day(org_1000):
    pilot = {"strategy": "pilot", "teams": 3, "departments": ["commercial"]}
    later = {"strategy": "waves", "start_day": 20, "waves": [{"day": 5, "departments": ["hr"]}]}
    engine = _run(org_1000, [pilot, later], days=30)
    hr = org_1000.department == org_1000.department_names.index("hr")
    alone = _run(org_1000, [pilot], days=30).records.values["aware"]
    both = engine.records.values["aware"]
    np.testing.assert_array_equal(both[:25], alone[:25])  # identical until day 25
    assert (both[25] - alone[25] >= 0.9 * hr.mean()).all()  # the HR wave on day 20 + 5


def test_the_shipped_pilot_then_waves_invites_the_waves_after_the_pilot(org_1000):
    sim = Sim(SCENARIOS / "pilot_then_waves.yaml", org=org_1000, days=160, replicates=1).run()
    aware = sim.daily.set_index("day")["aware"]
    assert aware[59] < 0.6 and aware[60] - aware[59] > 0.2  # customer-facing and technical
    # the rest, on day 60 + 90 (most have heard by word of mouth by then: 97 %)
    assert aware[150] - aware[149] > 0.01 and aware[150] > 0.99
    phases = sim.scenario.rollout.phases
    assert phases[0].departments == ["sales"] and phases[1].waves[2].departments == [
        "executive", "finance", "hr", "legal"]  # fmt: skip


def test_a_phase_error_names_the_phase_as_written(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: p\nrollout:\n  - {strategy: grassroots}\n  - {strategy: hub_seeding, seeds: 0}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"p.yaml:4: rollout\[1\].seeds: must be >= 1"):
        Scenario.load(path)
