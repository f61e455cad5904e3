"""The verdict on a fit (issue 26, item 1) and what its intervals say (item 3), on tables with a
known answer: no simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.analysis.fit_screen import allowed_range
from simulation.analysis.fit_space import Parameter, Space
from simulation.analysis.fit_verdict import judge
from simulation.analysis.intervals import flag_lines, interval_flags, trade_offs
from simulation.plan.scenario import Scenario


def _table(observed, fitted, half_width):
    days = np.arange(observed.size)
    return pd.DataFrame({"day": days, "series": "readers", "model_column": "dau",
                         "observed": observed, "fitted": fitted,
                         "low": fitted - half_width, "high": fitted + half_width})  # fmt: skip


def _pilot_shape(days=56):
    """Weekdays falling from 28 % to 18 %, weekends 2 %, a launch week from 65 %."""
    day = np.arange(days)
    shape = np.where(day % 7 >= 5, 0.02, 0.28 - 0.10 * day / days)
    shape[:5] = [0.65, 0.48, 0.40, 0.35, 0.31]
    return shape


def test_a_model_that_made_the_data_is_good():
    rng = np.random.default_rng(0)
    truth = _pilot_shape()
    observed = truth + rng.normal(0, 0.01, truth.size)
    verdict = judge(_table(observed, truth, 0.0165))  # 1.645 sd: a 90 % band
    assert verdict.grade == "good", verdict.headline
    assert 0.8 <= verdict.inside <= 1 and verdict.skill > 0.9
    assert not [c for c in verdict.checks if c.missed]
    assert verdict.headline.startswith("Good fit")


def test_a_flat_model_is_poor_and_names_what_it_misses():
    observed = _pilot_shape()
    flat = np.full(observed.size, 0.12)  # the README recipe: tops out far below, no rhythm
    verdict = judge(_table(observed, flat, 0.02), flagged=("adoption.p",))
    assert verdict.grade == "poor"
    assert verdict.headline.startswith("Poor fit:")
    missed = {c.name for c in verdict.checks if c.missed}
    assert {"level", "weekly rhythm", "launch peak"} <= missed
    assert verdict.skill < 0  # no better than the observed mean
    assert any("--fit auto" in s for s in verdict.suggestions)
    assert any("adoption.p" in s for s in verdict.suggestions)


def test_a_fit_that_misses_only_the_decline_says_trend_not_level():
    observed = np.linspace(0.40, 0.10, 56)
    flat = np.full(56, observed.mean())  # the right level, no decline
    verdict = judge(_table(observed, flat, 0.03))
    missed = {c.name for c in verdict.checks if c.missed}
    assert "trend" in missed and "level" not in missed
    assert verdict.grade == "poor" and "trend" in verdict.headline


def test_excluded_days_are_left_out_and_counted():
    observed = _pilot_shape()
    model = observed.copy()
    observed[[17, 32, 35]] = 0.02  # three holidays the model does not know
    kept = judge(_table(observed, model, 0.01))
    left = judge(_table(observed, model, 0.01), excluded_days=[17, 32, 35])
    assert left.inside == 1.0 and kept.inside == pytest.approx(53 / 56)
    assert left.points == 53 and left.excluded == 3


def _space():
    base = Scenario.from_dict({"name": "s", "adoption": {"rule": "threshold"}})
    return Space(base, [Parameter.parse("adoption.p=5e-4:0.02:log"),
                        Parameter.parse("adoption.threshold_mean=0.1:0.5")], {})  # fmt: skip


def test_intervals_on_a_bound_or_of_zero_width_are_flagged_in_one_line_each():
    space = _space()
    best = {"adoption.p": 0.02, "adoption.threshold_mean": 0.3}
    intervals = {"adoption.p": (0.02, 0.02), "adoption.threshold_mean": (0.1, 0.35)}
    flags = interval_flags(space, best, intervals)
    assert flags["adoption.p"] == ["on high bound", "zero width", "touches high bound"]
    assert flags["adoption.threshold_mean"] == ["touches low bound"]
    lines = flag_lines(space, best, intervals, flags)
    assert len(lines) == 2 and all("\n" not in line for line in lines)
    assert "optimum 0.02, 90 % interval [0.02, 0.02]" in lines[0]


def test_the_count_noise_is_on_each_days_members_when_the_shares_are_of_them():
    """A community of 4 members on its first days and 400 later: 0.2 off the model is the noise
    of a count on 4 people (1.645 sqrt(0.25 / 4) = 0.41), a miss on 400 (0.04)."""
    fitted = np.full(20, 0.5)
    observed = fitted + 0.2
    members = pd.Series(np.r_[np.full(10, 4.0), np.full(10, 400.0)], index=np.arange(20))
    by_day = judge(_table(observed, fitted, 0.0), population=members)
    assert by_day.inside == pytest.approx(0.5)
    assert by_day.band.endswith("a count on each day's members")
    alike = judge(_table(observed, fitted, 0.0), population=400)
    assert alike.inside == 0.0 and alike.band.endswith("the head-count, 400 people")


def test_a_fit_on_a_bound_says_which_wider_fit_to_run_or_that_the_field_cannot_go_further():
    """The advice is the ``--fit`` to run: five times wider on a log scale, by the range's width
    on a linear one, within the field's own limits; at a limit, that the data ask for more."""
    space = _space()
    best = {"adoption.p": 0.02, "adoption.threshold_mean": 0.1}
    intervals = {"adoption.p": (0.019, 0.02), "adoption.threshold_mean": (0.1, 0.2)}
    flags = interval_flags(space, best, intervals)
    base = space.base
    limits = {p.path: allowed_range(base, p.path) for p in space.parameters}
    assert limits["adoption.threshold_mean"][0] >= 0 and limits["adoption.p"][1] <= 1
    lines = flag_lines(space, best, intervals, flags, limits)
    assert lines[0].endswith("widen the range (--fit adoption.p=0.0005:0.1:log) or fix it")
    # linear: 0.1:0.5 widened by its width downwards, clipped at the field's lowest value (> 0)
    lowest = limits["adoption.threshold_mean"][0]
    assert 0 < lowest < 1e-3
    assert lines[1].endswith(f"(--fit adoption.threshold_mean={lowest:.4g}:0.5) or fix it")
    at_limit = Space(base, [Parameter("adoption.threshold_mean", lowest, 0.5)], {})
    best, intervals = (
        {"adoption.threshold_mean": lowest},
        {"adoption.threshold_mean": (lowest, 0.1)},
    )
    flags = interval_flags(at_limit, best, intervals)
    line = flag_lines(at_limit, best, intervals, flags, limits)[0]
    assert f"the data ask for a value below the lowest the field allows ({lowest:g})" in line


def test_refits_that_move_together_are_reported_as_a_trade_off():
    space = _space()
    rng = np.random.default_rng(1)
    u = rng.uniform(0.2, 0.8, 20)
    p = [space.parameters[0].value(x) for x in u]
    t = [space.parameters[1].value(1 - x + rng.normal(0, 0.02)) for x in u]
    pairs = trade_offs(space, pd.DataFrame({"adoption.p": p, "adoption.threshold_mean": t}))
    assert len(pairs) == 1 and pairs[0][:2] == ("adoption.p", "adoption.threshold_mean")
    assert pairs[0][2] < -0.9
    independent = pd.DataFrame({"adoption.p": p,
                                "adoption.threshold_mean": rng.uniform(0.1, 0.5, 20)})  # fmt: skip
    assert trade_offs(space, independent) == []
