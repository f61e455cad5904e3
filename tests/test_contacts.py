"""The day's network signals (simulation.model.contacts) against a plain scipy reference.

Reference, in float64 with scipy, for every person::

    exposure = (T @ registered) / T.sum(1)      registered: stage == REGISTERED (3)
    activity = (T @ active) / T.sum(1)          active: last_visit > day - 8
    feed     = T @ posted_yesterday

and 0 for isolates. The kernel keeps the sums up to date from the day's changes; they must equal
the sums from scratch (``full_sums``) and the reference, day after day.

The kernel holds each weight as ``rint(w x scale)`` with ``scale`` a power of two per person (the
row's), so that each person's total fits in 21 bits. Weights that are multiples of ``1 / scale``
(0.5, 1, 0.25...) are exact, and the signals then match the reference to float32 rounding (rtol
1e-6). Other weights are each off by at most ``0.5 / scale <= the person's total / (2^21 - 1)``;
a share (exposure, activity) is then off by at most ``sum |error| / total`` = ``0.5 k / degree``
in the integer units (``k`` ties, ``degree`` the quantised total), the feed by ``0.5 / scale``
per contact who posted. Those bounds are asserted, plus an absolute 1e-5 on the shares for ties
weighted 0.05-3 (measured: about 4e-6).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from simulation.model.contacts import DaySignals, QuantisedTies, full_sums
from simulation.model.engine import Engine
from simulation.model.people import NEVER_VISITED, People, Stage
from simulation.org.model import Organisation
from simulation.plan.names import resolve_names
from tests.conftest import scenario

FIELD = 2**21 - 1  # the largest integer total of one person (21 bits)
F32 = 1e-6  # relative tolerance of float32 rounding (float32 epsilon is 1.2e-7)


# ------------------------------------------------------------------------------ helpers
def random_symmetric(n: int, density: float, low: float, high: float, seed: int) -> sp.csr_matrix:
    """A symmetric tie matrix with weights uniform in [low, high], no self-loops."""
    rng = np.random.default_rng(seed)
    upper = sp.triu(sp.random(n, n, density=density, random_state=seed, format="csr"), 1).tocsr()
    upper.data = rng.uniform(low, high, upper.nnz)
    return (upper + upper.T).tocsr()


def random_people(replicates: int, n: int, day: int, seed: int) -> People:
    """Every stage, visits on the last 20 days (or never), a third posted yesterday."""
    rng = np.random.default_rng(seed)
    people = People.empty(replicates, n)
    people.stage[:] = rng.integers(0, 6, (replicates, n))
    people.last_visit[:] = rng.integers(day - 20, day, (replicates, n))
    people.last_visit[rng.random((replicates, n)) < 0.2] = NEVER_VISITED
    people.posts_yesterday[:] = rng.random((replicates, n)) < 0.3
    return people


def reference(ties, stage, last_visit, posted, day):
    """(exposure, activity, feed) of every replicate in float64, from the formulas above."""
    T = sp.csr_matrix(ties, dtype=np.float64)
    total = np.asarray(T.sum(axis=1)).ravel()
    out = np.zeros((3, *stage.shape))
    for r in range(stage.shape[0]):
        reads = total > 0
        registered = (stage[r] == Stage.REGISTERED).astype(np.float64)
        active = (last_visit[r].astype(np.int64) > day - 8).astype(np.float64)
        share = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
        out[0, r] = np.where(reads, (T @ registered) * share, 0.0)
        out[1, r] = np.where(reads, (T @ active) * share, 0.0)
        out[2, r] = np.where(reads, T @ posted[r].astype(np.float64), 0.0)
    return out


def cross_reference(ties, department, posted, visited) -> np.ndarray:
    """Per replicate: sum over visited i and posted j of other departments of T[i, j]."""
    T = sp.coo_matrix(ties, dtype=np.float64)
    across = department[T.row] != department[T.col]
    return np.array(
        [
            np.sum(T.data * (visited[r][T.row] & posted[r][T.col] & across))
            for r in range(len(posted))
        ]
    )


def compute(ties, department, people, day):
    q = QuantisedTies(ties, department)
    signals = DaySignals(people.replicates, people.size).compute(q, people, day)
    return q, signals


def got(signals: DaySignals) -> np.ndarray:
    return np.stack([signals.exposure, signals.activity, signals.feed]).astype(np.float64)


def set_posters(signals: DaySignals, day: int, posted: np.ndarray) -> None:
    """Yesterday's posters the way the engine's day kernel writes them: count, then who."""
    buffer = signals.posters[(day - 1) % 2]
    buffer[:] = -1  # garbage past the count must not be read
    for r, row in enumerate(posted):
        who = np.flatnonzero(row)
        buffer[r, 0] = who.size
        buffer[r, 1 : who.size + 1] = who


# ------------------------------------------------------------------ generated organisations
@pytest.fixture(scope="module")
def org() -> Organisation:
    return Organisation.generate(1500, seed=3)


def test_generated_org_weights_are_half_and_one_and_exact(org):
    assert set(np.unique(org.ties.data)) <= {0.5, 1.0}
    q = QuantisedTies(org.ties, org.department)
    np.testing.assert_array_equal(q.weights(), sp.csr_matrix(org.ties).data)
    assert q.degree.max() <= FIELD


def test_signals_match_reference_exactly_for_half_and_one_weights(org):
    day = 40
    people = random_people(3, org.size, day, seed=1)
    _, signals = compute(org.ties, org.department, people, day)
    expected = reference(org.ties, people.stage, people.last_visit, people.posts_yesterday, day)
    np.testing.assert_allclose(got(signals), expected, rtol=F32, atol=0)
    for a in (signals.exposure, signals.activity, signals.feed):
        assert a.dtype == np.float32


def test_every_stage_sees_its_contacts(org):
    # never and dormant people included: the signals are the network's, whoever reads them
    day = 40
    people = random_people(2, org.size, day, seed=2)
    _, signals = compute(org.ties, org.department, people, day)
    quiet = np.isin(people.stage, (Stage.NEVER, Stage.DORMANT))
    assert quiet.any() and signals.activity[quiet].any() and signals.feed[quiet].any()
    expected = reference(org.ties, people.stage, people.last_visit, people.posts_yesterday, day)
    np.testing.assert_allclose(got(signals), expected, rtol=F32, atol=0)


def test_sums_kept_from_the_changes_equal_the_sums_from_scratch():
    # random days of random changes (a few per cent of people, then everyone at once) on
    # weights that are not exact: the kept sums must equal a full recount, to the integer
    n = 1200
    ties = random_symmetric(n, 0.01, 0.05, 3.0, seed=21)
    q = QuantisedTies(ties, np.zeros(n, int))
    people = random_people(3, n, 0, seed=22)
    signals = DaySignals(3, n)
    rng = np.random.default_rng(23)
    for day in range(1, 30):
        share = 1.0 if day == 15 else 0.04
        change = rng.random(people.stage.shape) < share
        people.stage[change] = rng.integers(0, 6, change.sum())
        people.last_visit[change] = rng.integers(day - 12, day, change.sum())
        people.posts_yesterday[:] = rng.random(people.stage.shape) < 0.05
        signals.compute(q, people, day)
        codes, sums = np.zeros_like(signals.codes), np.zeros_like(signals.sums)
        full_sums(
            q.indptr, q.indices, q.weight, people.stage, people.last_visit,
            people.posts_yesterday, day, codes, sums,
        )  # fmt: skip
        np.testing.assert_array_equal(signals.codes, codes)
        np.testing.assert_array_equal(signals.sums, sums)
    expected = reference(ties, people.stage, people.last_visit, people.posts_yesterday, day)
    np.testing.assert_allclose(got(signals)[:2], expected[:2], atol=1e-5)


def test_new_ties_are_counted_from_scratch(org):
    # a lever may replace the ties (presets): the next day's sums follow the new weights
    day = 12
    people = random_people(1, org.size, day, seed=24)
    signals = DaySignals(1, org.size)
    signals.compute(QuantisedTies(org.ties, org.department), people, day)
    heavier = sp.csr_matrix(org.ties, copy=True)
    heavier.data = heavier.data * 2.0
    heavier[0, heavier.indices[heavier.indptr[0]]] = 0.25  # one tie lighter, both directions
    heavier[heavier.indices[heavier.indptr[0]], 0] = 0.25
    signals.compute(QuantisedTies(heavier, org.department), people, day)
    expected = reference(heavier, people.stage, people.last_visit, people.posts_yesterday, day)
    np.testing.assert_allclose(got(signals), expected, rtol=F32, atol=0)


def test_activity_window_is_the_seven_days_before_today():
    # one pair of contacts: B's last visit on day - 7 counts for A today, day - 8 does not
    ties = sp.csr_matrix(np.array([[0, 1.0], [1.0, 0]]))
    people = People.empty(1, 2)
    day = 30
    for last, active in ((day - 1, 1.0), (day - 7, 1.0), (day - 8, 0.0), (NEVER_VISITED, 0.0)):
        people.last_visit[0, 1] = last
        _, signals = compute(ties, np.zeros(2, int), people, day)
        assert signals.activity[0, 0] == active, last


def test_registered_means_stage_registered_only():
    # a hub tied to one person of each stage: exposure counts REGISTERED (3) only
    n = 7
    ties = sp.lil_matrix((n, n))
    for j in range(1, n):
        ties[0, j] = ties[j, 0] = 1.0
    people = People.empty(1, n)
    people.stage[0, 1:] = [0, 1, 2, 3, 4, 5]
    _, signals = compute(ties.tocsr(), np.zeros(n, int), people, day=5)
    assert signals.exposure[0, 0] == np.float32(1 / 6)


# -------------------------------------------------------------------------- any weights
def test_arbitrary_weights_within_the_quantisation_bound():
    n, day = 2000, 25
    ties = random_symmetric(n, 0.01, 0.05, 3.0, seed=4)
    department = np.random.default_rng(4).integers(0, 6, n)
    people = random_people(2, n, day, seed=5)
    q, signals = compute(ties, department, people, day)
    heaviest = np.asarray(ties.sum(axis=1)).max()
    # each weight within half a unit, i.e. one part in 2^21 of its person's total
    rows = np.repeat(np.arange(n), np.diff(ties.indptr))
    total = np.asarray(ties.sum(axis=1)).ravel()
    error = np.abs(q.weights() - ties.data)
    assert (error <= 0.5 / q.scale[rows]).all()
    assert (0.5 / q.scale <= total / FIELD).all()
    assert (q.scale > 1).all()  # these weights are not all exact
    assert not np.array_equal(q.weights(), ties.data)

    expected = reference(ties, people.stage, people.last_visit, people.posts_yesterday, day)
    actual = got(signals)
    k = np.diff(ties.indptr)
    share_bound = np.divide(0.5 * k, q.degree, out=np.zeros(n), where=q.degree > 0)
    for field in (0, 1):
        diff = np.abs(actual[field] - expected[field])
        assert (diff <= share_bound + F32 * expected[field] + 1e-12).all()
        assert diff.max() < 1e-5  # measured about 4e-6
    posted_contacts = np.stack(
        [ties.astype(bool).astype(np.int64) @ p.astype(np.int64) for p in people.posts_yesterday]
    )
    feed_bound = posted_contacts * 0.5 / q.scale + F32 * expected[2]
    assert (np.abs(actual[2] - expected[2]) <= feed_bound + 1e-12).all()
    np.testing.assert_allclose(actual[2], expected[2], rtol=1e-3, atol=heaviest * 2e-6)


def test_quarter_weights_are_exact():
    n, day = 800, 12
    ties = random_symmetric(n, 0.02, 0, 1, seed=6)
    ties.data = np.random.default_rng(6).choice([0.25, 0.5, 1.0, 2.0], ties.nnz)
    ties = ((ties + ties.T) / 2).tocsr()  # symmetric again, still multiples of 1/8
    ties.data = np.round(ties.data * 4) / 4  # back to multiples of 0.25
    ties.eliminate_zeros()
    assert (ties != ties.T).nnz == 0
    q = QuantisedTies(ties, np.zeros(n, int))
    np.testing.assert_array_equal(q.weights(), ties.data)
    people = random_people(2, n, day, seed=7)
    _, signals = compute(ties, np.zeros(n, int), people, day)
    expected = reference(ties, people.stage, people.last_visit, people.posts_yesterday, day)
    np.testing.assert_allclose(got(signals), expected, rtol=F32, atol=0)


def test_heaviest_total_fits_in_21_bits_and_heavy_people_work():
    # a hub with 1,500 ties weighted in the thousands: total ~4.5 million > 2^21, scale < 1
    n, day = 1600, 9
    rng = np.random.default_rng(8)
    ties = sp.lil_matrix((n, n))
    spokes = np.arange(1, 1501)
    ties[0, spokes] = rng.uniform(1000, 5000, spokes.size)
    ties = ties.tocsr()
    ties = (ties + ties.T + random_symmetric(n, 0.005, 500, 3000, seed=8)).tocsr()
    q = QuantisedTies(ties, rng.integers(0, 3, n))
    heaviest = np.asarray(ties.sum(axis=1)).max()
    total = np.asarray(ties.sum(axis=1)).ravel()
    rows = np.repeat(np.arange(n), np.diff(ties.indptr))
    assert heaviest > 2**21
    assert q.scale[0] < 1 and (q.scale[1:] >= 1).all()  # only the hub is coarse
    assert q.degree.max() < 2**21
    assert (q.degree > 0).all()
    assert (np.abs(q.weights() - ties.data) <= 0.5 / q.scale[rows]).all()
    assert (0.5 / q.scale <= total / FIELD).all()

    people = random_people(2, n, day, seed=9)
    _, signals = compute(ties, q.department, people, day)
    expected = reference(ties, people.stage, people.last_visit, people.posts_yesterday, day)
    actual = got(signals)
    assert np.isfinite(actual).all()
    k = np.diff(ties.indptr)
    share_bound = 0.5 * k / q.degree
    for field in (0, 1):
        assert (np.abs(actual[field] - expected[field]) <= share_bound + F32).all()
    # the feed: half a unit of the reader's own scale per contact who posted. Scales are per
    # person, so the hub costs only its own precision: everyone else's feed is within 5e-5
    # relative (with one scale for the whole matrix it was off by up to 0.4 %)
    posted_contacts = np.stack(
        [ties.astype(bool).astype(np.int64) @ p.astype(np.int64) for p in people.posts_yesterday]
    )
    assert (
        np.abs(actual[2] - expected[2]) <= posted_contacts * 0.5 / q.scale + F32 * expected[2]
    ).all()
    np.testing.assert_allclose(actual[2][:, 1:], expected[2][:, 1:], rtol=5e-5)


def test_rounding_over_the_field_halves_the_scale():
    # a hub with 996 ties of weight 2105.55: total 2,097,127.8 <= 2^21 - 1, so scale 1 first;
    # but every weight rounds up to 2106 and the integer total 2,097,576 no longer fits in 21
    # bits: QuantisedTies must halve the scale (weights 1053, total 1,048,788)
    k = 996
    n = k + 1
    ties = sp.lil_matrix((n, n))
    ties[0, 1:] = 2105.55
    ties = ties.tocsr()
    ties = (ties + ties.T).tocsr()
    assert ties.sum(axis=1).max() <= FIELD < k * 2106
    q = QuantisedTies(ties, np.zeros(n, int))
    assert q.scale[0] == 0.5  # the hub's scale only
    assert q.degree[0] == k * 1053 and q.degree.max() <= FIELD


def test_isolates_get_zero_and_no_nan():
    n, day = 300, 20
    ties = random_symmetric(n, 0.03, 0.1, 2.0, seed=10).tolil()
    isolated = [0, 17, 299]
    for i in isolated:
        ties[i, :] = 0
        ties[:, i] = 0
    ties = ties.tocsr()
    ties.eliminate_zeros()
    people = random_people(2, n, day, seed=11)
    people.stage[:, isolated] = Stage.REGISTERED
    people.posts_yesterday[:] = True
    people.last_visit[:] = day - 1
    q, signals = compute(ties, np.zeros(n, int), people, day)
    assert (q.degree[isolated] == 0).all() and (q.inv_degree[isolated] == 0).all()
    actual = got(signals)
    assert np.isfinite(actual).all()
    assert not actual[:, :, isolated].any()


def test_no_ties_at_all():
    people = random_people(1, 5, 3, seed=0)
    q, signals = compute(sp.csr_matrix((5, 5)), np.zeros(5, int), people, 3)
    assert q.degree.max() == 0
    assert not got(signals).any()


# ---------------------------------------------------------- cross-department interactions
@pytest.mark.parametrize("weights", ["half_one", "any"])
def test_cross_reads_match_reference(org, weights):
    n, day = org.size, 33
    if weights == "half_one":
        ties, department = org.ties, org.department
    else:
        ties = random_symmetric(n, 0.01, 0.05, 3.0, seed=12)
        department = np.random.default_rng(12).integers(0, 8, n)
    rng = np.random.default_rng(13)
    posted = rng.random((3, n)) < 0.1
    visited = rng.random((3, n)) < 0.4
    q = QuantisedTies(ties, department)
    signals = DaySignals(3, n)
    set_posters(signals, day, posted)
    signals.posters[day % 2] = 12345  # today's buffer: must not be read
    actual = signals.cross_reads(q, day, visited)
    expected = cross_reference(ties, np.asarray(department), posted, visited)
    assert (expected > 0).all()
    if weights == "half_one":
        np.testing.assert_array_equal(actual, expected)
    else:
        # at most half a unit of the poster's scale per tie counted
        units = sp.csr_matrix(ties, copy=True)
        units.data = 0.5 / q.scale[np.repeat(np.arange(n), np.diff(units.indptr))]
        bound = cross_reference(units, department, posted, visited)
        assert (np.abs(actual - expected) <= bound + 1e-9).all()
        np.testing.assert_allclose(actual, expected, rtol=1e-5)


def test_cross_reads_without_posters_is_zero(org):
    q = QuantisedTies(org.ties, org.department)
    signals = DaySignals(2, org.size)
    visited = np.ones((2, org.size), bool)
    np.testing.assert_array_equal(signals.cross_reads(q, 1, visited), [0.0, 0.0])


# ---------------------------------------------------------------------------- the engine
def test_engine_signals_and_cross_reads_equal_the_reference():
    org = Organisation.generate(600, seed=5)
    # an announcement on day 0, nothing from the rollout afterwards; posts frequent enough
    # that there are cross-department reads to count
    # a fixed head-count: the reference counts every position (vacancies: test_workforce.py)
    sc = scenario(days=20, posting={"base": 0.3}, workforce={"annual_turnover": 0})
    engine = Engine(org, resolve_names(sc, org), seeds=[4, 8])
    engine.run(10)
    day = engine.day
    before = {
        k: getattr(engine.people, k).copy() for k in ("stage", "last_visit", "posts_yesterday")
    }
    row = engine.step()
    expected = reference(
        org.ties, before["stage"], before["last_visit"], before["posts_yesterday"], day
    )
    assert expected[0].any() and expected[1].any() and expected[2].any()
    actual = np.stack([engine.exposure_today, engine.activity_today, engine.signals.feed])
    np.testing.assert_allclose(actual, expected, rtol=F32, atol=0)
    cross = cross_reference(org.ties, org.department, before["posts_yesterday"], engine.visited)
    np.testing.assert_allclose(row["cross_department_interactions"], cross, rtol=1e-12)
    assert (cross > 0).all()


def test_one_way_ties_are_refused():
    # the kept sums spread a change along the mirror of each tie: one-way ties would be lost
    ties = sp.csr_matrix(np.array([[0, 1.0, 0], [1.0, 0, 1.0], [0, 0, 0]]))
    with pytest.raises(ValueError, match="both ways"):
        QuantisedTies(ties, np.zeros(3, int))
