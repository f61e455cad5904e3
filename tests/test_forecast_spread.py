"""The long run's unfitted fields spread over a forecast's parameter sets (forecast_spread)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np

from simulation.analysis.fit_space import Parameter, Space
from simulation.analysis.forecast_spread import (
    LONG_RUN,
    long_run_parameter,
    spread,
    unidentified,
)
from simulation.experiments.sim import resolve_scenario
from simulation.plan.scenario import Scenario

ALL = set(LONG_RUN)
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def community_space(fixed=None) -> Space:
    base = resolve_scenario(SCENARIOS / "community_launch.yaml")
    fitted = [Parameter("posting.base", 0.01, 0.2), Parameter("need.duration", 5, 200)]
    return Space(base, fitted, fixed or {})


def test_unfitted_long_run_fields_are_drawn_within_the_factor_in_every_set_but_the_best():
    space = community_space(fixed={"habit.return_tau": 60.0})
    sets = [{"posting.base": 0.1, "need.duration": 40.0} for _ in range(200)]
    out, line = spread(space, sets, factor=2.0, unfixed=ALL, seed=3)
    assert out[0] == sets[0]  # the best fit's set keeps the assumed values
    drawn = {path for s in out[1:] for path in s} - {"posting.base", "need.duration"}
    # fitted (need.duration) and fixed (habit.return_tau) fields are not spread
    assert drawn == set(LONG_RUN) - {"need.duration", "habit.return_tau"}
    for path in drawn:
        value = {"need.duration_shape": 1.0, "need.lapse_factor": 0.15}.get(path)
        values = np.array([s[path] for s in out[1:]])
        if value is not None:
            assert values.min() >= value / 2 - 1e-12 and values.max() <= value * 2 + 1e-12
        # log-uniform: about half the draws below the assumed value (200 draws, +-0.12)
        centre = value or float(np.exp(np.mean(np.log(values))))
        assert abs(np.mean(values < centre) - 0.5) < 0.12, path
    assert all(s["posting.base"] == 0.1 for s in out)  # the fitted values are kept
    assert "need.duration_shape (1)" in line and "habit.return_tau" not in line
    again, _ = spread(space, sets, factor=2.0, unfixed=ALL, seed=3)
    assert again == out  # seeded: the same draws
    # a field with a clear effect on the observed days is not moved: the fit made up for it
    clear = set(LONG_RUN) - {"habit.lapse_rate"}
    out, line = spread(space, sets, factor=2.0, unfixed=clear, seed=3)
    assert all("habit.lapse_rate" not in s for s in out) and "habit.lapse_rate" not in line


def test_a_mechanism_that_is_off_stays_off_and_factor_one_turns_it_off():
    base = Scenario.from_dict({"name": "x"})  # need.duration 0 and need.lapse_factor 0: off
    space = Space(base, [Parameter("posting.base", 0.01, 0.2)], {})
    sets = [{"posting.base": 0.1}] * 5
    out, line = spread(space, sets, factor=2.0, unfixed=ALL)
    assert all("need.duration" not in s and "need.lapse_factor" not in s for s in out)
    assert "habit.return_rate" in out[1] and "need.duration" not in line
    assert spread(space, sets, factor=1.0, unfixed=ALL) == (sets, None)
    assert spread(space, sets[:1], factor=2.0, unfixed=ALL) == (sets[:1], None)


def test_the_fields_without_a_clear_effect_are_those_below_the_screens_threshold():
    ranking = [{"path": "a", "mu_star": 0.5}, {"path": "b", "mu_star": 0.06},
               {"path": "c", "mu_star": 0.04}, {"path": "d", "mu_star": 0.01}]  # fmt: skip
    # clear: at least 0.02 and a tenth of the strongest (0.05)
    assert unidentified(SimpleNamespace(ranking=ranking)) == {"c", "d"}
    assert unidentified(None) == set()


def test_how_long_needs_last_is_fitted_beside_auto_when_needs_end():
    space = community_space()
    fitted, line = long_run_parameter(space.base, taken=set())
    (p,) = fitted
    assert (p.path, p.low, p.high, p.log) == ("need.duration", 4.0, 400.0, True)
    assert "need.duration in [4, 400]" in line
    assert long_run_parameter(space.base, taken={"need.duration"}) == ([], None)  # given or fixed
    default = Scenario.from_dict({"name": "x"})  # needs never end: nothing to fit
    assert long_run_parameter(default, taken=set()) == ([], None)
