"""Vectorised operations on a reporting tree given as a ``manager`` index array.

A reporting tree (strictly a forest: an edge list or a flat HR export can have many roots) is
stored as ``manager[i]``, the index of i's manager or -1 for a root. Everything here works on
whole arrays: pointer doubling for depths and cycles, a children CSR for subtrees and teams, so
that a million-person organisation takes milliseconds, not a Python loop per person.
"""

from __future__ import annotations

import numpy as np


def concat_ranges(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenate ``arange(s, s + c)`` for each pair, without a Python loop.

    Parameters
    ----------
    starts, counts : ndarray of int
        Start and length of each range (same shape).

    Returns
    -------
    ndarray of int64
        ``[starts[0], ..., starts[0] + counts[0] - 1, starts[1], ...]``.
    """
    starts = np.asarray(starts, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    total = int(counts.sum())
    if total == 0:
        return np.empty(0, dtype=np.int64)
    # Position within the output minus the offset where each range begins, plus its start.
    offsets = np.cumsum(counts) - counts
    return np.arange(total, dtype=np.int64) + np.repeat(starts - offsets, counts)


def depths(manager: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Depth of everyone in the tree by pointer doubling, and who cannot reach a root.

    Parameters
    ----------
    manager : ndarray of int
        Manager index per person, -1 for a root; indices assumed in range.

    Returns
    -------
    depth : ndarray of int64
        Number of reporting steps up to a root (0 for a root). Meaningless where stuck.
    stuck : ndarray of bool
        True for people on a reporting cycle or reporting (indirectly) into one.

    Notes
    -----
    Each round replaces every pointer by its pointer's pointer, so a tree of depth d resolves in
    about log2(d) rounds; after log2(size) + 1 rounds anyone left has no root above them.
    """
    ancestor = np.asarray(manager, dtype=np.int64).copy()
    distance = (ancestor >= 0).astype(np.int64)
    active = np.flatnonzero(ancestor >= 0)
    for _ in range(max(ancestor.size, 1).bit_length() + 1):
        if active.size == 0:
            break
        up = ancestor[active]
        # Right-hand sides are read before assignment: a synchronous jump for all at once.
        distance[active] += distance[up]
        ancestor[active] = ancestor[up]
        active = active[ancestor[active] >= 0]
    stuck = np.zeros(ancestor.size, dtype=bool)
    stuck[active] = True
    return distance, stuck


def find_cycle(manager: np.ndarray, start: int) -> list[int]:
    """The reporting cycle reached by walking up from ``start`` (for error messages only).

    Parameters
    ----------
    manager : ndarray of int
        Manager index per person.
    start : int
        A person flagged ``stuck`` by :func:`depths`.

    Returns
    -------
    list of int
        The people on the cycle, in reporting order (each reports to the next).
    """
    seen: dict[int, int] = {}
    path: list[int] = []
    node = int(start)
    while node >= 0 and node not in seen:
        seen[node] = len(path)
        path.append(node)
        node = int(manager[node])
    return path[seen[node] :] if node >= 0 else []


def children_csr(manager: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Direct reports of everyone as a CSR pair ``(indptr, reports)``.

    ``reports[indptr[m]:indptr[m + 1]]`` are m's direct reports in index order.
    """
    manager = np.asarray(manager)
    n = manager.size
    has_manager = manager >= 0
    people = np.flatnonzero(has_manager)
    # A stable sort keeps reports in index order, so results do not depend on the sort kind.
    reports = people[np.argsort(manager[has_manager], kind="stable")]
    counts = np.bincount(manager[has_manager], minlength=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return indptr, reports


def subtree(indptr: np.ndarray, reports: np.ndarray, root: int) -> np.ndarray:
    """Everyone under ``root`` (direct and indirect reports, not ``root`` itself).

    One vectorised step per level of the tree, breadth-first order.
    """
    found = []
    frontier = np.array([root], dtype=np.int64)
    while frontier.size:
        frontier = reports[concat_ranges(indptr[frontier], indptr[frontier + 1] - indptr[frontier])]
        found.append(frontier)
    return np.concatenate(found).astype(np.int64) if found else np.empty(0, dtype=np.int64)


def top_of_largest_tree(manager: np.ndarray) -> int | None:
    """The root heading the most people (lowest index on a tie), or None when everyone is a root.

    Parameters
    ----------
    manager : ndarray of int
        Manager index per person, -1 for a root; no cycles.
    """
    manager = np.asarray(manager, dtype=np.int64)
    if manager.size == 0 or not (manager >= 0).any():
        return None
    top = np.where(manager >= 0, manager, np.arange(manager.size))
    for _ in range(max(manager.size, 1).bit_length() + 1):
        up = top[top]
        if np.array_equal(up, top):
            break
        top = up
    return int(np.argmax(np.bincount(top, minlength=manager.size)))
