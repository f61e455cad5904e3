"""Informal ties built on top of a reporting tree: team, homophilous cross-team and long-range.

Shared by the synthetic generator and the HR-export importer, so that a generated organisation
written to CSV and read back (same seed) gets exactly the same ties.

Tie weights (an assumption, stated in docs/ODD.md): 1.0 for a manager tie or a tie between two
members of one team, 0.5 for a cross-team or long-range tie (weaker, less frequent contact;
Granovetter's weak ties). When the same pair is drawn twice, the weights are merged by taking the
**maximum**, so a teammate who is also drawn as a cross-team partner keeps weight 1.0.

Everything is drawn as index arrays and assembled into one CSR matrix: no networkx, no loop over
people (building a 100,000-person graph in networkx costs more than a year of simulation).
"""

from __future__ import annotations

from numbers import Real

import numpy as np
import scipy.sparse as sp

from simulation.base.errors import OrgDataError
from simulation.org.tree import children_csr, concat_ranges

STRONG = 1.0  # weight of a manager or teammate tie
WEAK = 0.5  # weight of a cross-team or long-range tie

#: Workgroup size cap: a team bigger than this (a flat export with 3,000 people under one
#: manager) is split into workgroups of at most this many for teammate ties, because nobody
#: has 3,000 teammates and all pairs would not fit in memory.
MAX_WORKGROUP = 50

#: Tie options and their defaults, with the units used in the docstrings.
TIE_DEFAULTS: dict[str, float] = {
    "team_tie_prob": 0.6,  # probability two teammates are tied, 0-1
    "cross_ties": 4.0,  # mean cross-team ties per person (degree), ties
    "long_range_ties": 0.5,  # mean uniformly random ties per person (degree), ties
    "homophily_department": 6.0,  # odds of a same-department partner vs. another, >= 1
    "homophily_site": 3.0,  # odds of a same-site partner vs. another, >= 1
}

#: Stream number of the tie generator under the organisation's seed (see :func:`tie_rng`).
TIES_STREAM = 3


def tie_rng(seed: int) -> np.random.Generator:
    """The random stream for informal ties under ``seed``.

    Independent of the streams that draw the tree, sites and frontline flags, so that the same
    tree read back from a CSV with the same seed gets the same ties.
    """
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(TIES_STREAM,)))


def check_tie_options(options: dict) -> dict[str, float]:
    """Fill defaults and check ranges; raise :class:`OrgDataError` naming a bad option."""
    unknown = sorted(set(options) - set(TIE_DEFAULTS))
    if unknown:
        raise OrgDataError(f"{unknown[0]}: unknown tie option (known: {', '.join(TIE_DEFAULTS)})")
    merged = {**TIE_DEFAULTS, **options}
    for key, value in merged.items():
        if isinstance(value, bool) or not isinstance(value, Real) or not np.isfinite(value):
            raise OrgDataError(f"{key}: must be a number, got {value!r}")
        merged[key] = float(value)
    if not 0.0 <= merged["team_tie_prob"] <= 1.0:
        raise OrgDataError(f"team_tie_prob: must be in 0-1, got {merged['team_tie_prob']}")
    for key in ("cross_ties", "long_range_ties"):
        if merged[key] < 0:
            raise OrgDataError(f"{key}: must be >= 0, got {merged[key]}")
    for key in ("homophily_department", "homophily_site"):
        if merged[key] < 1:
            raise OrgDataError(f"{key}: must be >= 1 (1 = no homophily), got {merged[key]}")
    return merged


def team_ties(
    manager: np.ndarray, prob: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Manager ties (everyone to their manager) and teammate ties.

    Parameters
    ----------
    manager : ndarray of int
        Manager index per person, -1 for a root.
    prob : float
        Probability (0-1) that two people with the same manager (and in the same workgroup of
        at most :data:`MAX_WORKGROUP`) are tied.
    rng : numpy.random.Generator

    Returns
    -------
    manager_rows, manager_cols, mate_rows, mate_cols : ndarray of int64
        One entry per tie (each pair once).
    """
    indptr, reports = children_csr(manager)
    manager_rows = reports.astype(np.int64)
    manager_cols = np.asarray(manager, dtype=np.int64)[reports]
    # Rank of each report within its team, then cut teams into workgroups of MAX_WORKGROUP.
    team_sizes = np.diff(indptr)
    rank = np.arange(reports.size, dtype=np.int64) - np.repeat(indptr[:-1], team_sizes)
    group_end = np.minimum(
        np.repeat(indptr[1:], team_sizes),
        np.repeat(indptr[:-1], team_sizes) + (rank // MAX_WORKGROUP + 1) * MAX_WORKGROUP,
    )
    # Every pair (p, q) with p before q in the same workgroup: q runs from p+1 to group end.
    position = np.arange(reports.size, dtype=np.int64)
    partners = group_end - position - 1
    mate_rows = np.repeat(position, partners)
    mate_cols = concat_ranges(position + 1, partners)
    keep = rng.random(mate_rows.size) < prob
    return manager_rows, manager_cols, reports[mate_rows[keep]], reports[mate_cols[keep]]


def _uniform_member(key: np.ndarray, of: np.ndarray, u: np.ndarray) -> np.ndarray:
    """For each person in ``of``, a uniformly drawn person with the same ``key`` (using ``u``)."""
    order = np.argsort(key, kind="stable")
    sizes = np.bincount(key)
    starts = np.cumsum(sizes) - sizes
    group = key[of]
    return order[starts[group] + (u * sizes[group]).astype(np.int64)]


def homophilous_ties(
    department: np.ndarray,
    site: np.ndarray,
    count: int,
    homophily_department: float,
    homophily_site: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` cross-team ties whose partners favour the same department and site.

    A source is drawn uniformly; the partner j of source i is drawn with weight
    ``hd**[same department] * hs**[same site]``. That weight splits into four non-negative
    parts, ``1 + (hd-1)[same dept] + (hs-1)[same site] + (hd-1)(hs-1)[same dept and site]``,
    so the partner is drawn exactly by first choosing a part in proportion to its mass
    (everyone, the department, the site, the department-site cell) and then a uniform member of
    it: exact for any number of departments and sites, with no department x site matrix.

    Returns
    -------
    rows, cols : ndarray of int64
        May contain self-pairs and repeats; :func:`assemble` drops and merges them.
    """
    n = department.size
    department = np.asarray(department, dtype=np.int64)
    site = np.asarray(site, dtype=np.int64)
    cell = department * (int(site.max(initial=0)) + 1) + site
    source = rng.integers(0, n, count)
    u_part, u_member = rng.random(count), rng.random(count)
    extra_d, extra_s = homophily_department - 1.0, homophily_site - 1.0
    # Cumulative masses of the four parts; the part drawn is how many thresholds u passes.
    upto_department = float(n) + extra_d * np.bincount(department)[department[source]]
    upto_site = upto_department + extra_s * np.bincount(site)[site[source]]
    total = upto_site + extra_d * extra_s * np.bincount(cell)[cell[source]]
    drawn = u_part * total
    part = (drawn >= n).astype(np.int8) + (drawn >= upto_department) + (drawn >= upto_site)
    target = (u_member * n).astype(np.int64)  # part 0: anyone
    for index, key in ((1, department), (2, site), (3, cell)):
        chosen = np.flatnonzero(part == index)
        target[chosen] = _uniform_member(key, source[chosen], u_member[chosen])
    return source, target


def long_range_ties(n: int, count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``count`` ties between uniformly random pairs (may include self-pairs; dropped later)."""
    return rng.integers(0, n, count), rng.integers(0, n, count)


def assemble(n: int, parts: list[tuple[np.ndarray, np.ndarray, float]]) -> sp.csr_matrix:
    """Symmetric CSR tie matrix from ``(rows, cols, weight)`` parts.

    Pairs are made mutual, self-pairs dropped, and repeats merged by the maximum weight.

    Parameters
    ----------
    n : int
        Head-count.
    parts : list of (rows, cols, weight)
        Index arrays of one tie kind and its weight (> 0).

    Returns
    -------
    scipy.sparse.csr_matrix of float32, shape (n, n)
    """
    by_weight: dict[float, list[tuple[np.ndarray, np.ndarray]]] = {}
    for rows, cols, weight in parts:
        by_weight.setdefault(float(weight), []).append((rows, cols))
    total = sp.csr_matrix((n, n), dtype=np.float32)
    for weight, pairs in sorted(by_weight.items()):
        rows = np.concatenate([np.asarray(r, dtype=np.int64) for r, _ in pairs])
        cols = np.concatenate([np.asarray(c, dtype=np.int64) for _, c in pairs])
        off_diagonal = rows != cols
        rows, cols = rows[off_diagonal], cols[off_diagonal]
        both_ways = (np.concatenate([rows, cols]), np.concatenate([cols, rows]))
        # Summing duplicates in compiled code, then overwriting with the weight, is a fast "or".
        layer = sp.csr_matrix(
            (np.ones(2 * rows.size, dtype=np.float32), both_ways), shape=(n, n), dtype=np.float32
        )
        layer.sum_duplicates()
        layer.data[:] = weight
        total = layer if total.nnz == 0 else total.maximum(layer).tocsr()
    total.sort_indices()
    return total.astype(np.float32, copy=False)


def build_informal_ties(
    manager: np.ndarray,
    department: np.ndarray,
    site: np.ndarray,
    rng: np.random.Generator,
    **options: float,
) -> sp.csr_matrix:
    """All informal ties of an organisation from its tree, departments and sites.

    Parameters
    ----------
    manager, department, site : ndarray
        The organisation's arrays (see :class:`~simulation.org.model.Organisation`).
    rng : numpy.random.Generator
        Usually :func:`tie_rng` of the organisation's seed.
    **options
        Any of :data:`TIE_DEFAULTS`: ``team_tie_prob`` (0-1), ``cross_ties`` and
        ``long_range_ties`` (mean ties per person, counted as degree, so ``n * x / 2`` ties),
        ``homophily_department`` and ``homophily_site`` (odds ratios >= 1).

    Returns
    -------
    scipy.sparse.csr_matrix of float32
        Symmetric, no self-loops; weights :data:`STRONG` and :data:`WEAK`, merged by maximum.
    """
    opts = check_tie_options(options)
    n = np.asarray(manager).size
    boss_r, boss_c, mate_r, mate_c = team_ties(manager, opts["team_tie_prob"], rng)
    cross_r, cross_c = homophilous_ties(
        department,
        site,
        int(round(opts["cross_ties"] * n / 2)),
        opts["homophily_department"],
        opts["homophily_site"],
        rng,
    )
    far_r, far_c = long_range_ties(n, int(round(opts["long_range_ties"] * n / 2)), rng)
    return assemble(
        n,
        [
            (boss_r, boss_c, STRONG),
            (mate_r, mate_c, STRONG),
            (cross_r, cross_c, WEAK),
            (far_r, far_c, WEAK),
        ],
    )


def symmetrise(
    n: int, rows: np.ndarray, cols: np.ndarray, weights: np.ndarray | None = None
) -> sp.csr_matrix:
    """Symmetric CSR tie matrix from directed, possibly repeated pairs with their own weights.

    Each pair is made mutual, self-pairs and weights <= 0 dropped, and repeats of a pair (in
    either direction) merged by the **maximum** weight, as in :func:`assemble`.

    Parameters
    ----------
    n : int
        Head-count.
    rows, cols : array of int
        Person indices of each listed pair.
    weights : array of float, optional
        Weight of each pair (default 1.0).
    """
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    weights = (
        np.ones(rows.size, dtype=np.float32)
        if weights is None
        else np.asarray(weights, dtype=np.float32)
    )
    keep = (rows != cols) & (weights > 0)
    low, high, weights = np.minimum(rows, cols)[keep], np.maximum(rows, cols)[keep], weights[keep]
    key = low * n + high
    order = np.lexsort((-weights, key))  # each pair's strongest mention first
    first = np.ones(order.size, dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    chosen = order[first]
    low, high, weights = low[chosen], high[chosen], weights[chosen]
    matrix = sp.csr_matrix(
        (
            np.concatenate([weights, weights]),
            (np.concatenate([low, high]), np.concatenate([high, low])),
        ),
        shape=(n, n),
        dtype=np.float32,
    )
    matrix.sort_indices()
    return matrix
