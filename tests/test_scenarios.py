"""Every named scenario in scenarios/ loads, validates and runs."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model.engine import Engine
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Scenario
from tests.conftest import SCENARIOS

NAMED = [
    "all_staff_announcement",
    "top_down_mandate",
    "top_down_cascade",
    "grassroots",
    "grassroots_facilitated",
    "hub_seeding",
    "pilot_use_case",
    "waves_by_department",
    "full_support",
    "no_mobile_frontline_heavy",
    "jam",
    "it_announced_mandate",
    "first_generation_social",
    "integrated_platform",
]


def test_every_named_scenario_ships():
    shipped = {p.stem for p in SCENARIOS.glob("*.yaml")}
    assert set(NAMED) <= shipped, set(NAMED) - shipped


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_scenario_file_loads_and_runs_30_days(path, org_1000):
    sc = Scenario.load(path)
    assert sc.name == path.stem
    assert sc.description, "each scenario says what rollout it represents"
    assert path.read_text().startswith("#"), "each file opens with a comment on the real rollout"
    engine = Engine(
        org_1000, resolve_names(sc.with_overrides(days=30), org_1000), seeds=[0, 1]
    ).run()
    registered = engine.records.values["registered"]
    assert registered.shape == (30, 2)
    assert registered[-1].min() > 0, "someone has registered within 30 days"
    assert np.all(np.isfinite(engine.records.values["wau"]))
