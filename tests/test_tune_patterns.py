"""The tuning script looks at the tuned patterns only; the held-out ones stay unseen."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.analysis import tune_patterns as tp
from simulation.analysis.patterns import BY_KEY
from simulation.analysis.validate import QUICK


def test_the_tuned_and_held_out_sets_are_disjoint_and_at_least_four_are_held_out():
    tuned, held = set(tp.tuned_keys()), set(tp.held_out_keys())
    assert not tuned & held and len(held) + 1 >= 4  # the Bass limit is held out too
    assert all(BY_KEY[k].role == "tuned" for k in tuned)
    assert BY_KEY["bass_limit"].role == "held-out"


def test_distance_is_zero_inside_the_range_and_grows_outside():
    d = tp.distances({"lurkers": np.array([0.85]), "heavy": np.array([0.05])}, ["lurkers", "heavy"])
    assert d["lurkers"] == 0.0 and d["heavy"] > 0.0


def test_the_margin_keeps_the_tuned_point_off_the_edges():
    values = {"lurkers": np.array([0.805]), "overambitious": np.array([0.02])}
    assert tp.distances(values, ["lurkers", "overambitious"]) == {
        "lurkers": 0.0,
        "overambitious": 0.0,
    }
    near = tp.distances(values, ["lurkers", "overambitious"], margin=0.1)
    # lurkers 0.8-0.9: 0.01 kept clear; overambitious 0.01-1: 0.02 (the width capped at WIDE)
    assert near["lurkers"] == pytest.approx(0.005 / 0.1)
    assert near["overambitious"] == pytest.approx(0.01 / 0.99)


def test_the_noise_margin_keeps_a_noisy_mean_one_standard_error_inside():
    # overambitious 0.01-1: replicates 0.0 and 0.06 have mean 0.03 and standard error 0.03,
    # so one standard error puts the mean 0.02 short of the range; a steady 0.03 is inside
    noisy, steady = np.array([0.0, 0.06]), np.array([0.03, 0.03])
    assert tp.distances({"overambitious": steady}, ["overambitious"], noise=1.0) == {
        "overambitious": 0.0
    }
    far = tp.distances({"overambitious": noisy}, ["overambitious"], noise=1.0)
    assert far["overambitious"] == pytest.approx(0.01 / 0.99)
    assert tp.distances({"overambitious": noisy}, ["overambitious"]) == {"overambitious": 0.0}


def test_integer_parameters_are_searched_as_integers():
    values = tp._values(
        np.array([0.5, 0.5]),
        {"habit.abandon_within": (14, 60, 30), "habit.novelty": (0.3, 1.0, 0.5)},
    )
    assert values["habit.abandon_within"] == 37 and isinstance(values["habit.abandon_within"], int)
    assert values["habit.novelty"] == pytest.approx(0.65)


def test_a_rollout_parameter_applies_only_where_the_rollout_has_it():
    from simulation.analysis.validate import scenario

    assert scenario("top_down_mandate", {"rollout.reluctance": 0.3}).rollout.reluctance == 0.3
    assert not hasattr(scenario("grassroots", {"rollout.reluctance": 0.3}).rollout, "reluctance")
    with pytest.raises(KeyError):
        scenario("grassroots", {"habit.no_such_field": 1})


def test_the_shipped_defaults_meet_every_tuned_pattern():
    assert tp.loss({}, QUICK, margin=0.0, noise=0.0) == 0.0


def test_every_tuned_parameter_starts_inside_its_range():
    for lo, hi, start in tp.PARAMETERS.values():
        assert lo <= start <= hi
