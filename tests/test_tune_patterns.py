"""The tuning script looks at the tuned patterns only; the held-out ones stay unseen."""

from __future__ import annotations

import numpy as np

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


def test_the_shipped_defaults_meet_every_tuned_pattern():
    assert tp.loss({}, QUICK) == 0.0


def test_every_tuned_parameter_starts_inside_its_range():
    for lo, hi, start in tp.PARAMETERS.values():
        assert lo <= start <= hi
