"""What one's contacts did: the day's network signals, kept up to date from the day's changes.

Every day each person sees three things of their contacts (phase 2 of the day, :mod:`simulation.model.day`):

* **exposure** ``E``: the tie-weighted share 0-1 of contacts who are registered users;
* **activity** ``A``: the tie-weighted share 0-1 who visited in the last 7 days;
* **the feed** ``F``: the tie-weighted count of posts contacts wrote yesterday.

Each contact's state is packed into one 64-bit integer, its *code* (registered, active and posted
yesterday, 21 bits each), and tie weights are held as integers (``weight x scale``, ``scale`` per
person: the largest power of two that lets their total weight fit in 21 bits; weights of 0.5 and 1
are exact, others within one part in about two million of the person's total). Each person's
three sums then make one integer, ``sum of weight x code`` over their contacts: exact, the same on
every machine and in any order. So it is kept up to date instead of recomputed: each day only the
people whose code changed since yesterday (a few per cent: who registered, lapsed, came back,
started or stopped visiting, posted yesterday or the day before) add the change to their
contacts' sums, and the signals are read off the sums. The result is exactly what a pass over the
whole tie matrix gives (:func:`full_sums`, used when the ties change and by the tests), at a
fraction of its cost.

The cross-department interactions count (tie-weighted posts read across departments by today's
visitors) only reads the rows of yesterday's posters, a few per cent of the people.

A position without a holder (:mod:`simulation.model.workforce`: a leaver not yet replaced, a
cohort not yet taken in) is no contact: its code is 0 (stage ``vacant``, no visit, no post), and
once anyone has been away, the shares ``E`` and ``A`` are of each person's *employed* contacts:
their weight (the same integers) is kept up to date in a second sum as people join and leave.
Until then it is the whole degree, so a run without joiners or leavers computes exactly what it
did before.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np
import scipy.sparse as sp

from simulation.model import windows
from simulation.model.people import Stage

_I = np.int64
_BITS = 21  # per field of the packed state
_FIELD = _I((1 << _BITS) - 1)
_ACTIVE, _POSTED = _I(_BITS), _I(2 * _BITS)
_REGISTERED = np.int8(Stage.REGISTERED)


class QuantisedTies:
    """The tie matrix as integer weights, ready for :meth:`DaySignals.compute`.

    Parameters
    ----------
    ties : scipy.sparse matrix, (people, people)
        Symmetric tie weights > 0.
    department : ndarray of int, (people,)
        Department code of each person (for the cross-department interactions).
    """

    def __init__(self, ties: sp.spmatrix, department: np.ndarray):
        ties = sp.csr_matrix(ties, dtype=np.float64)
        ties.sort_indices()
        rows = np.repeat(np.arange(ties.shape[0]), np.diff(ties.indptr))
        total = np.asarray(ties.sum(axis=1)).ravel()
        # per person: the largest power of two that keeps their total weight within a field
        exponent = np.zeros(total.size, np.int64)
        tied = total > 0
        exponent[tied] = np.floor(np.log2(float(_FIELD) / total[tied])).astype(np.int64)
        while True:  # rounding may push a total over the field: then halve that person's scale
            self.scale = np.ldexp(1.0, exponent)
            self.weight = np.maximum(np.rint(ties.data * self.scale[rows]), 1).astype(np.int32)
            running = np.concatenate([[0], np.cumsum(self.weight, dtype=np.int64)])
            self.degree = running[ties.indptr[1:]] - running[ties.indptr[:-1]]
            over = self.degree > _FIELD
            if not over.any():
                break
            exponent[over] -= 1
        self.inv_scale = 1.0 / self.scale
        self.inv_degree = np.divide(
            1.0, self.degree, out=np.zeros(self.degree.size), where=self.degree > 0
        )
        # the weight person i gives contact j, stored at the entry (j, i) of j's row: what j's
        # change adds to i's sum (the pattern is symmetric; with per-person scales the two
        # directions of a tie may differ by rounding)
        quantised = sp.csr_matrix((self.weight, ties.indices, ties.indptr), shape=ties.shape)
        mirrored = sp.csr_matrix(quantised.T)
        mirrored.sort_indices()
        if not (
            np.array_equal(mirrored.indptr, ties.indptr)
            and np.array_equal(mirrored.indices, ties.indices)
        ):
            raise ValueError("ties: every tie must go both ways (a symmetric pattern)")
        self.column_weight = mirrored.data.astype(np.int32)
        # unsigned offsets and indices: numba then needs no check for negative indices
        self.indptr = ties.indptr.astype(np.uint64)
        self.indices = ties.indices.astype(np.uint32)
        self.department = np.asarray(department, dtype=np.int32)
        # the weights of ties between departments (0 within one), for the cross-department count
        crosses = self.department[rows] != self.department[ties.indices]
        self.cross_weight = np.where(crosses, self.weight, 0).astype(np.int32)

    def weights(self) -> np.ndarray:
        """The weights the kernels use, entry by entry (``weight / scale`` of the entry's row)."""
        rows = np.repeat(np.arange(self.size), np.diff(self.indptr.astype(np.int64)))
        return self.weight / self.scale[rows]

    @property
    def size(self) -> int:
        return int(self.indptr.size - 1)


_weekly_active = numba.njit(inline="always")(windows.weekly_active)


class Signals(NamedTuple):
    """Today's signals by name, as the day kernel takes them: float32 (replicates, people)."""

    exposure: np.ndarray
    activity: np.ndarray
    feed: np.ndarray


@numba.njit(inline="always")
def _code(stage, last_visit, posted, day):
    """A person's packed state at the start of ``day`` (see the module docstring): active
    means weekly active at the end of yesterday."""
    active = _weekly_active(last_visit, day - 1)
    return _I(stage == _REGISTERED) | (_I(active) << _ACTIVE) | (_I(posted) << _POSTED)


@numba.njit(cache=True, nogil=True)
def _update(indptr, indices, column_weight, stage, last_visit, posted, day, codes, sums, who, by):
    """Bring every person's sum up to date with the codes of ``day``, replicate by replicate."""
    for r in range(codes.shape[0]):
        # first list who changed, then spread their changes: the second loop has no branch to
        # mispredict, so the processor fetches several changed people's ties at once
        n = 0
        for j in range(codes.shape[1]):
            code = _code(stage[r, j], last_visit[r, j], posted[r, j], day)
            who[n] = j
            by[n] = code - codes[r, j]
            n += code != codes[r, j]
            codes[r, j] = code
        for m in range(n):
            j, change = who[m], by[m]
            for k in range(indptr[j], indptr[j + 1]):
                sums[r, indices[k]] += column_weight[k] * change


@numba.njit(cache=True, nogil=True)
def full_sums(indptr, indices, weight, stage, last_visit, posted, day, codes, sums):
    """Every person's sum from scratch: one pass over the whole tie matrix."""
    for r in range(codes.shape[0]):
        for j in range(codes.shape[1]):
            codes[r, j] = _code(stage[r, j], last_visit[r, j], posted[r, j], day)
        for i in range(codes.shape[1]):
            total = _I(0)
            for k in range(indptr[i], indptr[i + 1]):
                total += weight[k] * codes[r, indices[k]]
            sums[r, i] = total


@numba.njit(cache=True, nogil=True)
def _read(sums, inv_degree, inv_scale, E, A, F):
    """The three signals from the sums."""
    for r in range(sums.shape[0]):
        for i in range(sums.shape[1]):
            total = sums[r, i]
            E[r, i] = np.float32((total & _FIELD) * inv_degree[i])
            A[r, i] = np.float32(((total >> _ACTIVE) & _FIELD) * inv_degree[i])
            F[r, i] = np.float32((total >> _POSTED) * inv_scale[i])


@numba.njit(cache=True, nogil=True)
def _read_present(sums, present, inv_scale, E, A, F):
    """The three signals from the sums, ``E`` and ``A`` as shares of the employed contacts'
    weight ``present`` (0 without any)."""
    for r in range(sums.shape[0]):
        for i in range(sums.shape[1]):
            total, weight = sums[r, i], present[r, i]
            inv = 1.0 / weight if weight > 0 else 0.0
            E[r, i] = np.float32((total & _FIELD) * inv)
            A[r, i] = np.float32(((total >> _ACTIVE) & _FIELD) * inv)
            F[r, i] = np.float32((total >> _POSTED) * inv_scale[i])


@numba.njit(cache=True, nogil=True)
def _present_full(indptr, indices, weight, employed, was, present):
    """Each person's weight of employed contacts from scratch."""
    for r in range(employed.shape[0]):
        for j in range(employed.shape[1]):
            was[r, j] = employed[r, j]
        for i in range(employed.shape[1]):
            total = _I(0)
            for k in range(indptr[i], indptr[i + 1]):
                total += weight[k] * employed[r, indices[k]]
            present[r, i] = total


@numba.njit(cache=True, nogil=True)
def _present_update(indptr, indices, column_weight, employed, was, present):
    """Bring the weights of employed contacts up to date with who joined or left."""
    for r in range(employed.shape[0]):
        for j in range(employed.shape[1]):
            if employed[r, j] == was[r, j]:
                continue
            change = _I(1) if employed[r, j] else _I(-1)
            was[r, j] = employed[r, j]
            for k in range(indptr[j], indptr[j + 1]):
                present[r, indices[k]] += column_weight[k] * change


@numba.njit(cache=True, nogil=True)
def _cross_reads(indptr, indices, cross_weight, posters, visited, inv_scale, out):
    """Per replicate, tie-weighted posts read across departments (posters x visitors)."""
    for r in range(posters.shape[0]):
        total = 0.0
        for n in range(1, posters[r, 0] + 1):
            j = posters[r, n]
            read = _I(0)
            for k in range(indptr[j], indptr[j + 1]):
                read += cross_weight[k] * visited[r, indices[k]]
            total += read * inv_scale[j]
        out[r] = total


class DaySignals:
    """Today's network signals of a batch, float32 arrays of shape (replicates, people).

    Attributes
    ----------
    exposure, activity : shares 0-1 (see the module docstring).
    feed : tie-weighted posts of contacts yesterday (posts).
    posters : int32 (2, replicates, people + 1): per replicate, the number of the day's
        posters then who they are; two days, today's (``day % 2``) and yesterday's.
    """

    def __init__(self, replicates: int, size: int):
        shape = (replicates, size)
        self.exposure = np.zeros(shape, np.float32)
        self.activity = np.zeros(shape, np.float32)
        self.feed = np.zeros(shape, np.float32)
        self.posters = np.zeros((2, replicates, size + 1), np.int32)
        # each person's code as last counted in the sums, and the sums (see the module docstring)
        self.codes = np.zeros(shape, np.int64)
        self.sums = np.zeros(shape, np.int64)
        self._ties: QuantisedTies | None = None
        self._who = np.empty(size, np.int64)  # who changed today, and by how much
        self._by = np.empty(size, np.int64)
        # the weight of each person's employed contacts, and who was employed when it was
        # counted: None until a position is first without a holder (then the degree is it)
        self.present: np.ndarray | None = None
        self._was_employed: np.ndarray | None = None

    @property
    def named(self) -> Signals:
        """``exposure``, ``activity`` and ``feed`` as :class:`Signals`."""
        return Signals(self.exposure, self.activity, self.feed)

    def compute(self, ties: QuantisedTies, people, day: int) -> DaySignals:
        """Fill the signals from the state at the start of ``day`` (``people``: :class:`People`).

        Activity counts visits on days ``day - 7`` to ``day - 1``; the feed counts
        ``people.posts_yesterday``; exposure and activity are shares of the contacts employed
        today (``people.employed``).
        """
        state = (people.stage, people.last_visit, people.posts_yesterday, day, self.codes)
        employed = people.employed
        if self.present is None and not employed.all():  # the first vacancy: track presence
            self.present = np.zeros(self.sums.shape, np.int64)
            self._was_employed = np.zeros(employed.shape, bool)
            self._ties = None  # count everything from scratch
        if ties is not self._ties:  # new ties (a lever reweighted them): count from scratch
            full_sums(ties.indptr, ties.indices, ties.weight, *state, self.sums)
            if self.present is not None:
                _present_full(
                    ties.indptr, ties.indices, ties.weight, employed, self._was_employed,
                    self.present,
                )  # fmt: skip
            self._ties = ties
        else:
            _update(
                ties.indptr, ties.indices, ties.column_weight, *state, self.sums, self._who,
                self._by,
            )  # fmt: skip
            if self.present is not None:
                _present_update(
                    ties.indptr, ties.indices, ties.column_weight, employed, self._was_employed,
                    self.present,
                )  # fmt: skip
        signals = (self.exposure, self.activity, self.feed)
        if self.present is None:
            _read(self.sums, ties.inv_degree, ties.inv_scale, *signals)
        else:
            _read_present(self.sums, self.present, ties.inv_scale, *signals)
        return self

    def cross_reads(self, ties: QuantisedTies, day: int, visited: np.ndarray) -> np.ndarray:
        """Per replicate: tie-weighted posts of yesterday read across departments by ``visited``."""
        out = np.zeros(visited.shape[0])
        _cross_reads(
            ties.indptr, ties.indices, ties.cross_weight, self.posters[(day - 1) % 2], visited,
            ties.inv_scale, out,
        )  # fmt: skip
        return out
