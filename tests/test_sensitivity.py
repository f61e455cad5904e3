"""SALib analysis of a sweep's runs (simulation.analysis.sensitivity) on functions of known form.

The model-level check (a real sweep with an inert and two interacting parameters) is in
``tests/test_sensitivity_structure.py``; these use closed-form responses so that each claim is
exact: ``y = a * b + noise`` with a third, inert parameter.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from SALib.sample import latin
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from simulation.analysis import sensitivity as s
from simulation.base.errors import InputError

PROBLEM = {"num_vars": 3, "names": ["a", "b", "inert"], "bounds": [[0.0, 1.0]] * 3}


def runs_of(x: np.ndarray, replicates: int, noise: float, shared_seeds: bool = False):
    """Runs of ``y = a*b + noise`` (``noise``: its standard deviation) at the points ``x``."""
    rng = np.random.default_rng(5)
    rows = []
    for point, (a, b, _) in enumerate(x):
        for r in range(replicates):
            seed = r if shared_seeds else point * replicates + r
            rows.append(
                {
                    "point": point,
                    "replicate": r,
                    "seed": seed,
                    "y": a * b + noise * rng.normal(),
                    "flat": 1.0,
                }
            )
    return pd.DataFrame(rows)


def sobol_problem(n: int = 256) -> s.Problem:
    x = sobol_sample.sample(PROBLEM, n, calc_second_order=False, seed=1)
    return s.Problem("sobol", PROBLEM, x, {"calc_second_order": False})


def test_sobol_recovers_inert_and_interacting_parameters_despite_replicate_noise():
    problem = sobol_problem()
    runs = runs_of(problem.unit, replicates=3, noise=0.1)
    table, notes = s.analyse(runs, problem, ["y", "flat"])
    assert notes == ["flat: left out, the same value at every point"]
    w = s.wide(table).set_index("parameter")
    # y = a*b on [0,1]^2: S1 = 3/7 each, ST = 4/7 each (the a*b interaction is 1/7)
    for name in ("a", "b"):
        assert w.loc[name, "ST"] > w.loc[name, "S1"]
        assert abs(w.loc[name, "ST"] - 4 / 7) < 0.1 and abs(w.loc[name, "S1"] - 3 / 7) < 0.1
    inert = w.loc["inert"]
    assert inert["ST"] - inert["ST_conf"] <= 0 <= inert["ST"] + inert["ST_conf"]
    noise = table[table["parameter"] == ""].set_index("index")["value"]
    # noise variance 0.01 against Var(a*b) = 7/144: about 17 % of one run's variance
    assert 0.1 < noise["noise_share"] < 0.25
    assert noise["noise_share_of_mean"] < noise["noise_share"]


def test_without_the_noise_correction_an_inert_parameter_would_look_influential():
    problem = sobol_problem()
    runs = runs_of(problem.unit, replicates=3, noise=0.1)
    from SALib.analyze import sobol

    raw = sobol.analyze(PROBLEM, s.point_means(runs, "y", len(problem.unit)), False, seed=0)
    assert raw["ST"][2] - raw["ST_conf"][2] > 0  # the bias the correction removes


def test_common_random_numbers_across_points_are_not_corrected():
    problem = sobol_problem(64)
    assert not s.independent_noise(runs_of(problem.unit, 2, 0.1, shared_seeds=True))
    assert s.independent_noise(runs_of(problem.unit, 2, 0.1))


def test_noise_shares_match_the_variance_decomposition():
    # two points, four replicates each: within variance 1, point means 0 and 10
    runs = pd.DataFrame(
        {"point": [0] * 4 + [1] * 4, "y": [-1, 1, -1, 1, 9, 11, 9, 11]}, dtype=float
    )
    share, of_mean = s.noise_shares(runs, "y")
    within = 4 / 3  # ddof=1 of (-1, 1, -1, 1)
    assert share == pytest.approx(within / runs["y"].var(ddof=1))
    assert of_mean == pytest.approx((within / 4) / 50.0)
    one = pd.DataFrame({"point": [0, 1], "y": [1.0, 2.0]})
    assert np.isnan(s.noise_shares(one, "y")[0])


def test_morris_screening_gives_the_inert_parameter_no_effect():
    x = morris_sample.sample(PROBLEM, 20, num_levels=4, seed=2)
    table, _ = s.analyse(runs_of(x, 1, 0.0), s.Problem("morris", PROBLEM, x), ["y"])
    w = s.wide(table).set_index("parameter")
    assert w.loc["inert", "mu_star"] == 0 and w.loc["inert", "sigma"] == 0
    assert w.loc["a", "mu_star"] > 0.2 and w.loc["b", "mu_star"] > 0.2
    assert set(table["index"]) >= {"mu_star", "sigma", "mu", "noise_share"}
    assert "mu_star (95% CI)" in s.text_table(table)


@pytest.mark.parametrize("method", ["rbd-fast", "delta"])
def test_given_data_methods_read_any_design_and_leave_numpy_and_warnings_alone(method):
    x = latin.sample(PROBLEM, 100, seed=3)
    np.random.seed(123)  # noqa: NPY002
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    formatter = warnings.formatwarning
    problem = s.Problem("lhs", PROBLEM, x)
    # few resamples: SALib 1.6's delta fits kernel densities per bin, mode and resample (slow)
    table, _ = s.analyse(runs_of(x, 1, 0.0), problem, ["y"], method=method, resamples=10)
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002
    assert warnings.formatwarning is formatter
    w = s.wide(table).set_index("parameter")
    assert w.loc["a", "S1"] > w.loc["inert", "S1"] + 0.15
    again, _ = s.analyse(runs_of(x, 1, 0.0), problem, ["y"], method=method, resamples=10)
    pd.testing.assert_frame_equal(table, again)  # the bootstrap is seeded


def test_a_method_the_design_cannot_support_is_refused_naming_the_field():
    x = latin.sample(PROBLEM, 50, seed=3)
    with pytest.raises(InputError, match=r"^sw\.yaml: design\.method: sobol indices need a sobol"):
        s.analyse(
            runs_of(x, 1, 0.0), s.Problem("lhs", PROBLEM, x), ["y"], "sobol", source="sw.yaml"
        )
    with pytest.raises(InputError, match="method: 'fast' is not one of"):
        s.analyse(runs_of(x, 1, 0.0), s.Problem("lhs", PROBLEM, x), ["y"], "fast")
    with pytest.raises(InputError, match="rbd-fast analysis of y: needs more than 40 points"):
        small = x[:30]
        s.analyse(runs_of(small, 1, 0.0), s.Problem("lhs", PROBLEM, small), ["y"], "rbd-fast")


def test_an_unfinished_sweep_or_unknown_outcome_is_refused():
    problem = sobol_problem(16)
    runs = runs_of(problem.unit, 1, 0.0)
    with pytest.raises(InputError, match="runs: 3 of 80 points have no completed run"):
        s.analyse(runs[runs["point"] > 2], problem, ["y"])
    with pytest.raises(InputError, match="outcome: 'wau' is not a column"):
        s.analyse(runs, problem, ["wau"])


def test_points_without_a_value_leave_out_their_whole_saltelli_block_or_trajectory():
    problem = sobol_problem(16)  # 16 blocks of 5 points
    runs = runs_of(problem.unit, 2, 0.0)
    gaps = runs.assign(y=runs["y"].where(~((runs["point"] == 7) & (runs["replicate"] == 1))))
    table, notes = s.analyse(gaps, problem, ["y"])
    assert notes[0] == (
        "y: 1 of 80 points have runs without a value; 1 of 16 Saltelli blocks left out"
    )
    assert all("Sobol indices implausible at N = 16" in n for n in notes[1:])  # N is small
    kept = runs[runs["point"] // 5 != 1]
    x = problem.unit[np.arange(80) // 5 != 1]
    same, _ = s.analyse(
        kept.assign(point=kept["point"].rank(method="dense").astype(int) - 1),
        s.Problem("sobol", PROBLEM, x, problem.options),
        ["y"],
    )
    pd.testing.assert_frame_equal(table, same)
    x = morris_sample.sample(PROBLEM, 5, num_levels=4, seed=2)  # 5 trajectories of 4 points
    runs = runs_of(x, 1, 0.0)
    table, notes = s.analyse(runs.assign(y=np.nan), s.Problem("morris", PROBLEM, x), ["y"])
    assert table.empty and notes == [
        "y: 20 of 20 points have runs without a value; 5 of 5 trajectories left out"
    ]


def test_the_shipped_morris_screening_is_centred_on_the_current_defaults():
    """Each range of ``core_parameters_morris.yaml`` spans half to one and a half times the
    parameter's default in its base scenario (one side may be clipped at the field's bound):
    a re-tuned default fails this until the screening is brought along."""
    from pathlib import Path

    from simulation.analysis.fit_space import get_value
    from simulation.base.safe_yaml import load_yaml
    from simulation.plan.scenario import Scenario

    folder = Path(__file__).resolve().parents[1] / "scenarios" / "sweeps"
    spec = load_yaml(folder / "core_parameters_morris.yaml").data
    base = Scenario.load(folder / spec["base"])
    assert {"need.share", "habit.abandon_within"} <= set(spec["parameters"])
    for path, box in spec["parameters"].items():
        default = get_value(base, path)
        assert box["low"] <= default <= box["high"], path
        reach = max(default - box["low"], box["high"] - default)
        assert reach == pytest.approx(0.5 * default, rel=0.05), path
