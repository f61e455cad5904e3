"""Cheap scores of people, the heuristics' champions, and the pool the search draws from.

Scores (one array per score, people):

- ``degree``: contacts (informal ties, unweighted count);
- ``betweenness``: sampled betweenness (Brandes 2001, estimated from ``k`` sources as
  networkx's ``betweenness_centrality(k=...)``; :func:`simulation.org.analysis.betweenness`,
  the same estimate as sparse products);
- ``managers``: direct reports (span of control), ties broken by the people under them;
- the people under each person (``under``), for the "why" of a champion.

When the informal ties are generated (an HR export without a ties file: the ties are not real
people's relations), ``degree`` and ``betweenness`` are those of the reporting tree, and the
heuristics are the tree's and the departments' only (no communities).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from simulation.org import tree
from simulation.org.analysis import betweenness

#: sources of the sampled betweenness (above this head-count it is estimated)
BETWEENNESS_SOURCES = 256


def reporting_matrix(org) -> sp.csr_matrix:
    """The reporting tree as a symmetric 0/1 matrix (person - manager)."""
    reports = np.flatnonzero(org.manager >= 0)
    bosses = org.manager[reports]
    rows = np.concatenate([reports, bosses])
    cols = np.concatenate([bosses, reports])
    data = np.ones(rows.size, dtype=np.float64)
    return sp.csr_matrix((data, (rows, cols)), shape=(org.size, org.size))


def people_under(org) -> np.ndarray:
    """How many people each person has under them (direct and indirect reports)."""
    # depth in the tree, not the ``level`` column: an HR export's levels may be grades
    depth = tree.depths(org.manager)[0]
    under = np.zeros(org.size, dtype=np.int64)
    for d in range(int(depth.max(initial=0)), 0, -1):  # deepest first: reports before bosses
        rows = np.flatnonzero(depth == d)
        np.add.at(under, org.manager[rows], under[rows] + 1)
    return under


@dataclass
class Scores:
    """Cheap per-person scores (arrays over people) and what they were computed on."""

    degree: np.ndarray
    betweenness: np.ndarray
    span: np.ndarray
    under: np.ndarray
    communities: np.ndarray | None  # community code per person, None on the tree alone
    tree_only: bool

    @property
    def managers(self) -> np.ndarray:
        """Rank key of managers: direct reports, then people under them."""
        return self.span * (self.under.max() + 1.0) + self.under


def scores(org, tree_only: bool, seed: int = 0) -> Scores:
    """The cheap scores of ``org`` (see the module docstring)."""
    graph = reporting_matrix(org) if tree_only else org.ties
    binary = sp.csr_matrix(graph, dtype=np.float64)
    binary.data[:] = 1.0
    degree = np.asarray(binary.sum(axis=1)).ravel()
    sources = None
    if org.size > BETWEENNESS_SOURCES:
        rng = np.random.default_rng(seed)
        sources = np.sort(rng.choice(org.size, BETWEENNESS_SOURCES, replace=False))
    between = betweenness(binary, sources)
    communities = None
    if not tree_only and binary.nnz:
        found = nx.community.louvain_communities(nx.from_scipy_sparse_array(binary), seed=seed)
        communities = np.zeros(org.size, dtype=np.int64)
        for code, members in enumerate(sorted(found, key=lambda c: (-len(c), min(c)))):
            communities[list(members)] = code
    span = np.asarray(org.span, dtype=np.float64)
    return Scores(degree, between, span, people_under(org), communities, tree_only)


def top(score: np.ndarray, count: int) -> np.ndarray:
    """The ``count`` highest of ``score`` (ties to the lower index)."""
    return np.argsort(-score, kind="stable")[:count]


def one_per_group(groups: np.ndarray, score: np.ndarray, count: int) -> np.ndarray:
    """``count`` people spread over ``groups``: the best of each group (biggest groups first),
    then the second best of each, and so on."""
    codes, sizes = np.unique(groups, return_counts=True)
    codes = codes[np.argsort(-sizes, kind="stable")]
    ranked = [
        members[np.argsort(-score[members], kind="stable")]
        for members in (np.flatnonzero(groups == code) for code in codes)
    ]
    picked: list[int] = []
    depth = 0
    while len(picked) < count and depth < max(len(r) for r in ranked):
        picked += [int(r[depth]) for r in ranked if depth < len(r)]
        depth += 1
    return np.asarray(picked[:count], dtype=np.int64)


def heuristics(org, s: Scores, count: int) -> dict[str, np.ndarray]:
    """The heuristics' ``count`` champions, by name (random is drawn per replicate apart).

    Managers only where someone has reports, one per department (or community) only where
    there are several.
    """
    sets = {"top degree": top(s.degree, count), "betweenness": top(s.betweenness, count)}
    # managers and departments only where the organisation has them (not a bare edge list)
    if (s.span > 0).any():
        sets["managers"] = top(s.managers, count)
    if np.unique(org.department).size > 1:
        sets["one per department"] = one_per_group(org.department, s.degree, count)
    if s.communities is not None and np.unique(s.communities).size > 1:
        sets["one per community"] = one_per_group(s.communities, s.degree, count)
    return sets


def random_sets(size: int, count: int, replicates: int, seed: int) -> np.ndarray:
    """(replicates, count) people drawn at random, a different set in each replicate."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(7,)))
    return np.stack([rng.choice(size, size=count, replace=False) for _ in range(replicates)])


def pool(org, s: Scores, budget: int, per_score: int | None = None) -> np.ndarray:
    """The candidates the search considers: the best ``per_score`` people by each score, and
    the best of each department (and community), in that order, without repeats.

    ``per_score`` defaults to ``max(10, 2 x budget)``; the pool is everyone on an organisation
    smaller than it.
    """
    per_score = max(10, 2 * budget) if per_score is None else int(per_score)
    groups = [top(s.degree, per_score), top(s.betweenness, per_score), top(s.managers, per_score)]
    departments = np.unique(org.department).size
    groups.append(one_per_group(org.department, s.degree, departments))
    if s.communities is not None:
        groups.append(one_per_group(s.communities, s.degree, np.unique(s.communities).size))
    order = np.concatenate(groups)
    _, first = np.unique(order, return_index=True)
    chosen = order[np.sort(first)]
    if chosen.size < budget:  # a tiny organisation: everyone
        chosen = np.arange(org.size)
    return chosen
