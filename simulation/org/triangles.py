"""Triangles through chosen people of a tie graph, without forming ``A[S] @ A``.

The sparse product behind the clustering coefficient lists every contact of a contact: with one
manager tied to 200,000 reports that is 2,000 x 200,000 entries (41 s and 5 GB for ``org
inspect``). Counting instead, for each tie (i, j), the contacts i and j share by walking the
shorter of the two sorted contact lists and looking each up in the longer costs
``sum min(deg i, deg j) log(max)`` and no memory beyond the graph.
"""

from __future__ import annotations

import numba
import numpy as np
import scipy.sparse as sp


@numba.njit(cache=True)
def _shared(indptr, indices, a, b) -> int:
    """Contacts people ``a`` and ``b`` share (sorted contact lists)."""
    if indptr[a + 1] - indptr[a] > indptr[b + 1] - indptr[b]:
        a, b = b, a
    row = indices[indptr[b] : indptr[b + 1]]
    count = 0
    for k in range(indptr[a], indptr[a + 1]):
        c = indices[k]
        if c == a or c == b:  # a self-tie is not a shared contact
            continue
        position = np.searchsorted(row, c)
        if position < row.size and row[position] == c:
            count += 1
    return count


@numba.njit(cache=True)
def _triangles(indptr, indices, chosen) -> np.ndarray:
    out = np.zeros(chosen.size, dtype=np.float64)
    for s in range(chosen.size):
        i = chosen[s]
        total = 0
        for k in range(indptr[i], indptr[i + 1]):
            if indices[k] != i:
                total += _shared(indptr, indices, i, indices[k])
        out[s] = total / 2
    return out


def triangles_through(ties: sp.csr_matrix, chosen: np.ndarray) -> np.ndarray:
    """Triangles (unweighted, self-ties ignored) through each person of ``chosen``."""
    graph = ties if ties.has_sorted_indices else ties.sorted_indices()
    return _triangles(graph.indptr, graph.indices, np.asarray(chosen, dtype=np.int64))
