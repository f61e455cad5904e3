"""The component contract: declared per-run state on the engine, writes through engine methods,
declared results collected generically."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from simulation.metrics.costs import plan_cost_lines
from simulation.model.components import Component, StateArray
from simulation.model.engine import Engine
from simulation.org.model import Organisation
from simulation.plan.levers import LEVERS
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Scenario

FULL = {
    "name": "full",
    "days": 40,
    "rollout": {"strategy": "mandate", "announced_by": "it"},
    "interventions": [
        {"type": "facilitation", "community_managers": 1},
        {"type": "shadow_channel"},
        {"type": "jam", "start_day": 5},
        {"type": "holdouts"},
    ],
}


@pytest.fixture(scope="module")
def org() -> Organisation:
    return Organisation.generate(400, seed=0, frontline_share=0.5)


def test_state_is_per_engine_and_undeclared_names_are_refused(org):
    sc = Scenario.from_dict(FULL)
    one, two = (
        Engine(org, resolve_names(sc, org), seeds=[0]),
        Engine(org, resolve_names(sc, org), seeds=[1, 2]),
    )
    shadow = sc.interventions[1]
    assert one.state(shadow) is not two.state(shadow)
    assert one.state(shadow).shadow.shape == (1, org.size)
    assert two.state(shadow).shadow.shape == (2, org.size)
    with pytest.raises(AttributeError, match="not declared"):
        one.state(shadow).scratch = np.zeros(3)


def test_every_registered_lever_is_a_component_with_a_type():
    for lever in LEVERS:
        assert issubclass(lever, Component)
        assert "type" in lever.model_fields
        for spec in lever.run_state:
            assert isinstance(spec, StateArray)


def test_declared_results_and_costs_are_collected(org):
    engine = Engine(org, resolve_names(Scenario.from_dict(FULL), org), seeds=[0, 1]).run()
    values = engine.records.values
    assert values["facilitator_load"].max() > 0
    assert values["shadow_channel_users"].max() > 0
    lines = plan_cost_lines(engine.scenario, org, engine.day)
    costs = {line.item: line.amount for line in lines if line.source != "platform"}
    assert set(costs) == {"community_managers", "events"}
    assert costs["community_managers"] == 1 * 400.0 * 40
    assert costs["events"] == 3 * 2000.0


def test_replace_ties_rebuilds_the_kernels_ties(org):
    engine = Engine(
        org, resolve_names(Scenario.from_dict({"name": "t", "days": 5}), org), seeds=[0]
    )
    before = engine.quantised_ties
    halved = sp.csr_matrix(org.ties * 0.5)
    engine.replace_ties(halved)
    after = engine.quantised_ties
    assert after is not before
    np.testing.assert_allclose(after.weights(), halved.data, rtol=1e-6)
    engine.run()  # the signals recount from the new ties


def test_set_rhythm_checks_shapes(org):
    engine = Engine(
        org, resolve_names(Scenario.from_dict({"name": "t", "days": 5}), org), seeds=[0]
    )
    with pytest.raises(ValueError, match="shape"):
        engine.set_rhythm(np.ones(org.size), np.zeros(org.size))
    engine.set_rhythm(np.ones((2, org.size)), np.zeros((2, org.size)))
    assert engine.effort.dtype == np.float32 and (engine.effort == 1).all()


def test_the_engine_offers_everything_engine_view_lists(org):
    from simulation.model.components import EngineView

    engine = Engine(
        org, resolve_names(Scenario.from_dict({"name": "t", "days": 5}), org), seeds=[0]
    )
    members = set(EngineView.__annotations__) | {
        n for n, v in vars(EngineView).items() if not n.startswith("_") and callable(v)
    }
    members |= {n for n, v in vars(EngineView).items() if isinstance(v, property)}
    assert members >= {"ties", "effort", "register", "replace_ties", "set_rhythm", "state"}
    for name in members:
        assert hasattr(engine, name), name


def test_parts_of_a_component_get_their_own_state(org):
    rollout = [
        {"strategy": "pilot", "teams": 3},
        {"strategy": "mandate", "start_day": 10, "announced_by": "it"},
    ]
    engine = Engine(
        org,
        resolve_names(Scenario.from_dict({"name": "p", "days": 20, "rollout": rollout}), org),
        [0],
    )
    engine.run()
    pilot, mandate = engine.scenario.rollout.phases
    assert engine.state(pilot).members.any()
    assert engine.state(mandate).on_paper.any() and engine.state(mandate).compelled.any()
