"""Sobol results that break the indices' identities carry a note saying N is too small.

The true indices obey 0 <= S1 <= ST <= 1 and sum(S1) <= 1; estimates from a small base sample
break them by more than their own intervals. Known cases are built by hand; then a real analysis
of a cheap analytic function (SALib's Ishigami) at a small and a large N.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami

from simulation.analysis.sobol_checks import RECOMMENDED_N, base_samples, implausible


def _rows(s1, st, conf=0.05):
    """Rows of a Sobol table from ``{parameter: value}`` of S1 and ST, with half-widths."""
    conf_s1 = conf if isinstance(conf, dict) else dict.fromkeys(s1, conf)
    conf_st = conf if isinstance(conf, dict) else dict.fromkeys(st, conf)
    return _table([("S1", s1, conf_s1), ("ST", st, conf_st)])


def _table(blocks) -> pd.DataFrame:
    rows = [
        {"parameter": name, "index": index, "value": value, "conf": half[name],
         "low": value - half[name], "high": value + half[name]}
        for index, values, half in blocks
        for name, value in values.items()
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_plausible_indices_carry_no_note():
    rows = _rows({"a": 0.5, "b": 0.2}, {"a": 0.6, "b": 0.25})
    assert implausible("wau", rows, 64) == []


def test_each_broken_identity_is_named_with_the_advice():
    below = implausible("wau", _rows({"a": 0.5}, {"a": -0.2}), 64)
    assert len(below) == 1 and "total index whose whole interval is below 0 (a)" in below[0]
    assert f"design.samples >= {RECOMMENDED_N}" in below[0] and "N = 64" in below[0]
    above = implausible("wau", _rows({"a": 0.9, "b": 0.1}, {"a": 0.5, "b": 0.1}), 64)
    assert "first-order index above its total index (a)" in above[0]
    wide = implausible("wau", _rows({"a": 0.5}, {"a": 0.6}, conf=0.3), 2048)
    assert "intervals wider than" in wide[0] and "larger design.samples" in wide[0]
    summed = implausible("wau", _rows({"a": 0.7, "b": 0.7}, {"a": 0.8, "b": 0.8}), 64)
    assert "summing above 1" in summed[0]
    # a first-order index above its total one *within* the intervals is noise, not a note
    assert implausible("wau", _rows({"a": 0.62}, {"a": 0.6}), 64) == []


def test_base_samples_from_the_design_size():
    assert base_samples(64 * 5, 3, False) == 64
    assert base_samples(128 * 8, 3, True) == 128


def _ishigami_notes(n: int) -> list[str]:
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    x = sobol_sample.sample(problem, n, calc_second_order=False, seed=3)
    result = sobol_analyze.analyze(
        problem, Ishigami.evaluate(x), calc_second_order=False, seed=3, num_resamples=200
    )
    names = problem["names"]
    blocks = [
        (
            i,
            dict(zip(names, result[i], strict=True)),
            dict(zip(names, result[f"{i}_conf"], strict=True)),
        )
        for i in ("S1", "ST")
    ]
    return implausible("y", _table(blocks), n)


def test_a_small_sample_of_a_known_function_is_flagged_and_a_large_one_is_not():
    assert _ishigami_notes(16), "N = 16 of Ishigami: intervals far too wide"
    assert _ishigami_notes(4096) == []
