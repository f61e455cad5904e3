"""The counter-based daily draws (simulation.base.streams): reproducible, independent, uniform.

Person ``i``'s number for decision ``name`` on day ``t`` of the run with seed ``s`` is a fixed
function of ``(s, name, t, i)`` (SplitMix64). These tests check that it is reproducible, that it
does not depend on the batch or on the organisation's size, that different decisions, days and
seeds give unrelated numbers, that the numbers look uniform, and that the kernels draw exactly
the numbers :meth:`Streams.uniform` returns.

Tolerances: with 100,000-200,000 numbers the standard error of a correlation is about
1/sqrt(N) = 0.002-0.003, so the bounds below (|r| < 0.01 at 200,000, < 0.02 at 100,000) are
4-6 standard errors; p-values of the goodness-of-fit tests must exceed 0.001. The seeds are
fixed, so the tests are deterministic.
"""

from __future__ import annotations

import zlib

import numba
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from simulation.base.streams import Streams, day_key, decision_key, uniform_at
from simulation.model.person_day import DECISIONS

N = 200_000  # numbers per statistical test


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a.astype(np.float64), b.astype(np.float64))[0, 1])


# ----------------------------------------------------------------------- reproducibility
def test_same_seed_same_numbers_across_objects():
    a = Streams([11], 5000).uniform("visit", 17)
    b = Streams([11], 5000).uniform("visit", 17)
    np.testing.assert_array_equal(a, b)
    # asking twice from the same object (cached keys) gives the same numbers too
    s = Streams([11], 5000)
    np.testing.assert_array_equal(s.uniform("visit", 17), s.uniform("visit", 17))


def test_replicate_alone_equals_replicate_in_a_batch():
    alone = Streams([5], 3000)
    batch = Streams([3, 5, 9], 3000)
    for name in DECISIONS:
        for day in (0, 1, 364):
            np.testing.assert_array_equal(
                alone.uniform(name, day)[0], batch.uniform(name, day)[1], f"{name} day {day}"
            )
    np.testing.assert_array_equal(alone.keys("post")[0], batch.keys("post")[1])
    np.testing.assert_array_equal(
        batch.keys("lapse"), [decision_key(s, "lapse") for s in (3, 5, 9)]
    )


def test_uniform_shape_and_dtype():
    u = Streams([1, 2], 7).uniform("awareness", 0)
    assert u.shape == (2, 7)
    assert u.dtype == np.float32


# ---------------------------------------------------------------------- independence
def test_different_names_days_and_seeds_give_unrelated_numbers():
    n = 100_000
    s = Streams([42], n)
    visit = s.uniform("visit", 10)[0]
    # |r| < 0.02 at 100,000 numbers (standard error 0.0032: over 6 standard errors)
    pairs = {
        "visit vs post (same day)": (visit, s.uniform("post", 10)[0]),
        "visit day 10 vs day 11": (visit, s.uniform("visit", 11)[0]),
        "seed 42 vs seed 43": (visit, Streams([43], n).uniform("visit", 10)[0]),
    }
    names = list(DECISIONS)
    for a, b in zip(names, names[1:], strict=False):
        pairs[f"{a} vs {b}"] = (s.uniform(a, 3)[0], s.uniform(b, 3)[0])
    for what, (a, b) in pairs.items():
        assert not np.array_equal(a, b), what
        assert abs(_corr(a, b)) < 0.02, what
        # and not merely shifted: the share of equal numbers is what chance gives (~n / 2^24)
        assert np.count_nonzero(a == b) < 20, what


def test_all_decision_keys_differ():
    keys = [decision_key(s, name) for s in range(5) for name in DECISIONS]
    assert len(set(keys)) == len(keys)


# ------------------------------------------------------------------ statistical quality
@pytest.fixture(scope="module")
def sample() -> np.ndarray:
    return Streams([2024], N).uniform("adoption", 123)[0]


def test_values_in_unit_interval_float32(sample):
    assert sample.dtype == np.float32
    assert sample.min() >= 0.0
    assert sample.max() < 1.0
    # 24 random bits: every number is a multiple of 2^-24
    scaled = sample.astype(np.float64) * 2.0**24
    np.testing.assert_array_equal(scaled, np.round(scaled))


def test_kolmogorov_smirnov_uniform(sample):
    p = stats.kstest(sample.astype(np.float64), "uniform").pvalue
    assert p > 0.001, p


def test_chi_square_100_bins(sample):
    counts, _ = np.histogram(sample, bins=100, range=(0.0, 1.0))
    p = stats.chisquare(counts).pvalue
    assert p > 0.001, p


def test_mean(sample):
    # standard error of the mean: 1/sqrt(12 N) = 0.00065; tolerance 0.005 (7.7 standard errors)
    assert abs(float(sample.mean(dtype=np.float64)) - 0.5) < 0.005


def test_lag_one_correlation_between_neighbours(sample):
    # person i and i + 1 on the same day: |r| < 0.01 (standard error 0.0022)
    assert abs(_corr(sample[:-1], sample[1:])) < 0.01


def test_correlation_between_consecutive_days():
    s = Streams([2024], N)
    for day in (0, 123, 1000):
        r = _corr(s.uniform("visit", day)[0], s.uniform("visit", day + 1)[0])
        assert abs(r) < 0.01, (day, r)


def test_many_days_pooled_per_person_look_uniform():
    # one person's numbers over many days (the kernel's loop order): mean and KS test
    s = Streams([7], 50)
    days = np.stack([s.uniform("lapse", d)[0] for d in range(4000)])  # (days, people)
    person = days[:, 13].astype(np.float64)
    assert stats.kstest(person, "uniform").pvalue > 0.001
    assert abs(_corr(person[:-1], person[1:])) < 0.05  # 4000 numbers: standard error 0.016


# --------------------------------------------------- the documented algorithm, in Python
_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def _mix(z: int) -> int:
    """SplitMix64's output function (Steele, Lea & Flood 2014), on Python integers."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def _python_uniform(seed: int, name: str, day: int, person: int) -> float:
    """Person ``person``'s number as the module docstring describes it, written independently."""
    entropy = np.random.SeedSequence(entropy=seed, spawn_key=(zlib.crc32(name.encode()), 1))
    key = int(entropy.generate_state(1, np.uint64)[0])
    today = _mix(key ^ _mix((day * _GOLDEN + _GOLDEN) & _MASK))
    state = (today + (person + 1) * _GOLDEN) & _MASK  # output ``person`` of SplitMix64 at today
    return (_mix(state) >> 40) * 2.0**-24  # the top 24 bits


@numba.njit
def _uniform_at(today, person):
    return uniform_at(today, person)


def test_splitmix64_known_answer():
    # the reference outputs of SplitMix64 from state 0: 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4,
    # 0x06C45D188009454F; uniform_at(0, i) is output i's top 24 bits
    for i, output in enumerate((0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F)):
        assert _mix((i + 1) * _GOLDEN & _MASK) == output
        assert _uniform_at(np.uint64(0), i) == np.float32((output >> 40) * 2.0**-24)


def test_numbers_are_the_documented_splitmix64():
    seeds, size = [0, 99, 2**31 + 5], 64
    s = Streams(seeds, size)
    for name in ("visit", "adoption", "lever.x"):
        for day in (0, 1, 400):
            u = s.uniform(name, day)
            for r, seed in enumerate(seeds):
                for person in (0, 1, 31, 63):
                    assert u[r, person] == _python_uniform(seed, name, day, person)


# ------------------------------------------------- the kernels draw these same numbers
@numba.njit
def _draws(keys, day, replicates, persons):
    out = np.empty(replicates.size, np.float32)
    for n in range(replicates.size):
        out[n] = uniform_at(day_key(keys[replicates[n]], day), persons[n])
    return out


def test_kernels_draw_the_numbers_streams_returns():
    seeds, size = [0, 17, 123456789], 1000
    s = Streams(seeds, size)
    rng = np.random.default_rng(0)
    replicates = rng.integers(0, len(seeds), 200)
    persons = rng.integers(0, size, 200)
    for name in (*DECISIONS, "some.lever"):
        for day in (0, 5, 3649):
            expected = s.uniform(name, day)[replicates, persons]
            got = _draws(s.keys(name), day, replicates, persons)
            np.testing.assert_array_equal(got, expected, f"{name} day {day}")


# ------------------------------------------------ a person's number ignores the head-count
@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    day=st.integers(0, 3650),
    m=st.integers(1, 200),
    extra=st.integers(0, 2000),
    name=st.sampled_from([*DECISIONS, "lever.x"]),
)
def test_first_people_numbers_do_not_depend_on_organisation_size(seed, day, m, extra, name):
    small = Streams([seed], m).uniform(name, day)
    large = Streams([seed], m + extra).uniform(name, day)
    np.testing.assert_array_equal(small[0], large[0, :m])
