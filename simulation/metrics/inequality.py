"""Participation inequality: who writes the posts (Nielsen 2006; the 90-9-1 pattern)."""

from __future__ import annotations

import numpy as np


def gini(values: np.ndarray) -> float:
    """Gini coefficient 0-1 of non-negative ``values`` (0: all equal; near 1: one has all).

    NaN when there are no values or they sum to zero.
    """
    x = np.sort(np.asarray(values, dtype=np.float64))
    n = x.size
    total = x.sum()
    if n == 0 or total <= 0:
        return float("nan")
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float((2.0 * np.dot(ranks, x) / (n * total)) - (n + 1.0) / n)


def top_share(values: np.ndarray, share: float = 0.01) -> float:
    """Share 0-1 of the total held by the top ``share`` of people (at least one person)."""
    x = np.asarray(values, dtype=np.float64)
    total = x.sum()
    if x.size == 0 or total <= 0:
        return float("nan")
    k = max(1, int(np.ceil(share * x.size)))
    top = np.partition(x, x.size - k)[x.size - k :]
    return float(top.sum() / total)
