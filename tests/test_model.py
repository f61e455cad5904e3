"""ESNModel is a real Mesa model; Employee agents are views onto the arrays."""

from __future__ import annotations

import mesa
import numpy as np

from simulation.experiments.mesa_model import ESNModel
from simulation.model.people import Stage
from tests.conftest import scenario


def test_model_is_a_mesa_model_with_a_datacollector(org_1000):
    model = ESNModel(org_1000, scenario(days=30), seed=4)
    assert isinstance(model, mesa.Model)
    model.run()
    assert model.steps == 30 and model.day == 30 and not model.running
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 30
    np.testing.assert_allclose(frame["wau"].to_numpy(), model.engine.records.values["wau"][:, 0])


def test_employees_are_lazy_views_onto_the_arrays(org_1000):
    model = ESNModel(org_1000, scenario(days=20), seed=1)
    assert len(model.agents) == 0  # nothing made until asked for
    model.run(10)
    people = model.engine.people
    registered = np.flatnonzero(people.stage[0] >= Stage.REGISTERED)
    person = model.employee(int(registered[0]))
    assert isinstance(person, mesa.Agent)
    assert person.stage >= Stage.REGISTERED
    model.run(10)  # the view follows the arrays
    assert person.habit == float(people.habit[0, person.index])
    assert person.posts == int(people.total_posts[0, person.index])
    assert len(model.agents) == 1
    assert len(model.employees()) == org_1000.size


def test_weekly_rhythm_lowers_weekend_visits(org_1000):
    model = ESNModel(org_1000, scenario(days=63), seed=2, replicates=5).run()
    dau = model.engine.records.values["dau"].mean(axis=1)
    days = np.arange(63)
    weekend = days % 7 >= 5
    late = days >= 28
    assert dau[late & weekend].mean() < 0.5 * dau[late & ~weekend].mean()


def test_feed_value_saturates_then_falls_under_overload():
    from simulation.model.activity import Visits

    visits = Visits()
    posts = np.array([0.0, 1.0, 2.0, 5.0, 10.0, 30.0, 100.0], np.float32)
    value = visits.feed_value(posts)
    assert value[0] == 0 and np.all(value <= 1)
    peak = int(np.argmax(value))
    assert 0 < peak < len(posts) - 1
    assert np.all(np.diff(value[: peak + 1]) > 0) and np.all(np.diff(value[peak:]) < 0)
    assert value[-1] < 0.5 * value[peak]


def test_fear_lowers_posting_not_reading(org_1000):
    from simulation.model.engine import Engine
    from simulation.plan.names import resolve_names

    calm = Engine(org_1000, resolve_names(scenario(days=1), org_1000), seeds=[0])
    afraid = Engine(
        org_1000, resolve_names(scenario(days=1, posting={"fear_weight": 1.0}), org_1000), seeds=[0]
    )
    assert np.all(afraid.post_propensity <= calm.post_propensity)
    assert afraid.post_propensity.mean() < 0.9 * calm.post_propensity.mean()
    np.testing.assert_array_equal(afraid.effort, calm.effort)  # visiting is unchanged
