"""One-at-a-time sensitivity of the validation patterns (small runs)."""

from __future__ import annotations

import pytest

from simulation.analysis import sensitivity as s
from simulation.analysis.validate import Settings


def test_defaults_and_bounds_come_from_the_schema():
    default, low, high = s.default_and_bounds("habit.novelty")
    assert 0 < default <= 1 and (low, high) == (0, 1)
    _, low, high = s.default_and_bounds("adoption.threshold_mean")
    assert 0 < low < 1e-3 and 1 - 1e-3 < high < 1


def test_every_parameter_named_is_a_numeric_parameter_of_the_default_scenario():
    for path in s.PARAMETERS:
        default, low, high = s.default_and_bounds(path)
        assert isinstance(default, float) and low <= default <= high, path


def test_one_at_a_time_reports_changes_per_pattern_and_which_fail():
    base, frame = s.one_at_a_time(
        Settings(size=300, replicates=2), ["posting.base", "habit.lapse_rate"]
    )
    assert len(frame) == 4 and set(frame["factor"]) == set(s.FACTORS)
    assert {f"d_{k}" for k in base} <= set(frame.columns)
    more_posts = frame[(frame.parameter == "posting.base") & (frame.factor == 1.5)].iloc[0]
    assert more_posts["d_lurkers"] < 0  # more posting: fewer lurkers
    text = s.markdown(base, frame)
    assert text.startswith("| pattern |") and "posting.base" in text
    assert pytest.approx(frame["value"].iloc[0]) == frame["default"].iloc[0] * 0.5
