"""``--fit auto``'s screening (issue 26, item 2): candidates, the p <= rate coupling, and a
known answer: on a history the model made with one field moved, that field is chosen first."""

from __future__ import annotations

import numpy as np
import pytest

import simulation as esn
from simulation.analysis.fit_screen import candidates, raise_with, screen
from simulation.analysis.fit_space import Parameter, Space
from simulation.analysis.losses import simulate
from simulation.analysis.observed import Observed
from simulation.base.errors import InputError

BASE = {"name": "s", "days": 28, "adoption": {"rule": "threshold"},
        "rollout": {"strategy": "announcement"}}  # fmt: skip


def test_candidates_are_the_model_s_numeric_fields_within_their_bounds():
    scenario = esn.Scenario.from_dict(BASE)
    found = {p.path: p for p in candidates(scenario)}
    assert {"adoption.p", "habit.decay", "visits.weekend_factor", "need.share"} <= set(found)
    assert not any(path.startswith(("costs.", "rollout", "interventions")) for path in found)
    for p in found.values():
        assert 0 < p.low < p.high and p.log
    assert found["need.share"].high == 1.0  # clipped to the schema's range
    assert found["adoption.p"].high == 1.0  # with the rate raised to it
    assert "adoption.p" not in {p.path for p in candidates(scenario, exclude={"adoption.p"})}
    # with the rate fixed, p stays at or below it
    fixed = {p.path: p for p in candidates(scenario, exclude={"adoption.rate"})}
    assert fixed["adoption.p"].high == scenario.adoption.rate


def test_a_p_above_the_rate_raises_the_rate_with_it():
    scenario = esn.Scenario.from_dict(BASE)
    space = Space(scenario, [Parameter("adoption.p", 1e-3, 1.0, True)], {},
                  raise_with=raise_with(scenario))  # fmt: skip
    high = space.scenario({"adoption.p": 0.6})
    assert high.adoption.p == 0.6 and high.adoption.rate == 0.6
    low = space.scenario({"adoption.p": 0.01})
    assert low.adoption.rate == scenario.adoption.rate


@pytest.fixture(scope="module")
def org():
    return esn.Organisation.generate(200, seed=3)


def test_an_explicit_fit_of_p_raises_the_rate_with_it_too(org):
    """--fit adoption.p=...:0.9 on a plan whose rate is 0.15 stopped with 'adoption: p (0.18) is
    above rate', naming the plan's file for a value nobody wrote."""
    from simulation.analysis.calibrate import Settings, calibrate

    scenario = esn.Scenario.from_dict(BASE)
    days = np.arange(0, 28, 7)
    observed = Observed("x.csv", "series", days, {"registered": np.array([0.5, 0.8, 0.9, 0.95])})
    quick = Settings(replicates=2, final_replicates=2, screening=4, evaluations=6, bootstrap=0,
                     forecast_sets=1, forecast_replicates=2)  # fmt: skip
    cal = calibrate(scenario, observed, org=org, fit=["adoption.p=1e-3:0.9:log"], settings=quick)
    assert cal.space.raise_with == {"adoption.rate": "adoption.p"}
    assert cal.best_scenario.adoption.rate >= cal.best_scenario.adoption.p


def test_the_field_that_made_the_difference_is_chosen_first(org):
    scenario = esn.Scenario.from_dict(BASE)
    truth = scenario.model_copy(deep=True)
    truth.adoption.p, truth.adoption.rate = 0.3, 0.3  # a launch: most join in the first days
    days = np.arange(28)
    shell = Observed("model", "series", days, {"daily_active": np.zeros(28)})
    made = simulate(org, truth, shell, [7, 8, 9])["daily_active"].mean(axis=1)
    observed = Observed("model", "series", days, {"daily_active": made})
    result = screen(org, scenario, observed, k=3, trajectories=2, replicates=2)
    assert result.chosen[0].path == "adoption.p", result.reasons
    assert result.reasons[0].startswith("fit adoption.p")
    assert result.raise_with == {"adoption.rate": "adoption.p"}
    assert result.runs == 2 * 2 * (len(result.ranking) + 1)
    record = result.to_dict()
    assert record["chosen"][0]["path"] == "adoption.p"


def test_auto_refuses_adoption_times(org):
    from simulation.analysis.observed_record import AdoptionTimes

    scenario = esn.Scenario.from_dict(BASE)
    times = Observed("x", "adoption", np.arange(3), {"registered": np.zeros(3)})
    times.adoption = AdoptionTimes.__new__(AdoptionTimes)
    with pytest.raises(InputError, match="--fit auto works on usage series"):
        screen(org, scenario, times)
