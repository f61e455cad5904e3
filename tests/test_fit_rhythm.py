"""The weekly rhythm read off the data (issue 26): the weekend-to-weekday ratio and the two
visit fields that give it, on the hand-made pilot's shape (no simulation)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pilot_export import holiday_days, shares

from simulation.analysis.fit_rhythm import FRONTLINE, WEEKEND, observed_ratio, weekly_rhythm
from simulation.analysis.fit_verdict import judge
from simulation.analysis.observed import Observed
from simulation.plan.scenario import Scenario


def _observed(values):
    """The series with the holidays left out, as ``--holidays`` does."""
    days = np.array([d for d in range(len(values)) if d not in holiday_days()])
    return Observed(source="pilot", kind="daily", days=days,
                    series={"readers": np.asarray(values, float)[days]}, population=600,
                    period_days=1)  # fmt: skip


def _ratio(f, ff, wf):
    """The model's weekend-to-weekday ratio of visits (fit_rhythm's docstring)."""
    return (f * ff + (1 - f) * wf) / (f * ff + 1 - f)


def test_the_ratio_is_read_after_the_launch_week():
    shape = shares()
    r = observed_ratio(_observed(shape))
    late = [d for d in range(7, shape.size) if d not in holiday_days()]
    weekday = [shape[d] for d in late if d % 7 < 5]
    assert r == pytest.approx(0.02 / np.mean(weekday), rel=1e-9)
    assert observed_ratio(_observed(np.full(56, 0.2))) == pytest.approx(1.0)


@pytest.mark.parametrize("frontline_share", [0.0, 0.1, 0.3, 0.6])
def test_the_fields_set_give_the_data_s_ratio(frontline_share):
    shape = shares()
    r = observed_ratio(_observed(shape))
    scenario = Scenario(name="rhythm")
    values, line = weekly_rhythm(_observed(shape), scenario, frontline_share)
    assert line and WEEKEND in values and 0 <= values[WEEKEND] <= 1
    ff = values.get(FRONTLINE, scenario.visits.frontline_factor)
    assert _ratio(frontline_share, ff, values[WEEKEND]) == pytest.approx(r, rel=1e-9)
    # at 30 % frontline staff the default frontline effort alone is too high a floor
    assert (FRONTLINE in values) == (frontline_share >= 0.3)


def test_nothing_is_set_when_a_field_is_given_or_the_data_are_short():
    shape, scenario = shares(), Scenario(name="rhythm")
    assert weekly_rhythm(_observed(shape), scenario, 0.3, exclude={WEEKEND}) == ({}, None)
    assert weekly_rhythm(_observed(shape[:10]), scenario, 0.3) == ({}, None)


def test_the_band_holds_the_count_noise_of_the_head_count():
    rng = np.random.default_rng(1)
    truth = shares()
    observed = rng.binomial(600, truth) / 600
    table = pd.DataFrame({"day": np.arange(truth.size), "series": "readers",
                          "model_column": "dau", "observed": observed, "fitted": truth,
                          "low": truth, "high": truth})  # fmt: skip
    bare = judge(table)  # a band of no width: only exact points inside
    counted = judge(table, population=600)
    assert bare.inside < 0.2
    assert 0.8 <= counted.inside <= 1, counted.headline  # binomial draws: about 90 % inside
    assert "binomial" in counted.band and any("600 people" in r for r in counted.reasons)


def test_calibrate_fixes_the_rhythm_when_asked_and_says_so(tmp_path):
    import warnings
    from pathlib import Path

    from pilot_export import HOLIDAYS, write

    from simulation.analysis.calibrate import Settings, calibrate
    from simulation.analysis.observed import load_observed

    pilot = Path(__file__).resolve().parents[1] / "examples" / "viva_engage" / "pilot.yaml"
    observed = load_observed(write(tmp_path / "activity.csv"), default_population=600,
                             holidays=",".join(d.isoformat() for d in HOLIDAYS))  # fmt: skip
    settings = Settings(bootstrap=0, evaluations=4, replicates=2, final_replicates=2,
                        screening=2, forecast_sets=1, forecast_replicates=2,
                        screen_trajectories=2, screen_replicates=2, auto_parameters=2,
                        weekly_rhythm=True)  # fmt: skip
    with warnings.catch_warnings():  # a bound, perhaps, with so small a budget: not the point
        warnings.simplefilter("ignore")
        cal = calibrate(pilot, observed, org="generate:size=600", fit="auto", settings=settings)
    fixed = cal.space.fixed
    assert {WEEKEND, FRONTLINE} <= set(fixed) and WEEKEND not in cal.space.names
    r = observed_ratio(observed)
    assert _ratio(0.3, fixed[FRONTLINE], fixed[WEEKEND]) == pytest.approx(r, rel=0.05)
    assert cal.best_scenario.visits.weekend_factor == pytest.approx(fixed[WEEKEND])
    assert cal.screen.lines()[-1].startswith(f"set {WEEKEND} = ")
