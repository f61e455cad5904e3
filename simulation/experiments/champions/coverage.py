"""Greedy max coverage of footprints: K champions whose reaches overlap least.

A set's surrogate value in replicate ``r`` is the union of its members' footprints
(:mod:`.footprints`): each person counts the most days they are weekly active under any one
member, ``max over s in S of f_s[r, i]``, summed over people. For 0/1 footprints this is the
size of the union, the coverage that sketch-based influence maximisation maximises (Borgs et al.
2014; Tang, Shi & Xiao 2015; Cohen et al. 2014); a max of non-negative functions is monotone
and submodular, so the greedy is within ``1 - 1/e`` of the best set *of the surrogate*
(Nemhauser, Wolsey & Fisher 1978). The surrogate is not the model (see :mod:`.footprints`), so
its sets are proposals, re-scored by simulation.
"""

from __future__ import annotations

import numpy as np


def surrogate(prints: np.ndarray, members) -> np.ndarray:
    """The surrogate value per replicate of the set ``members`` (indices into ``prints``).

    ``prints`` is (candidates, replicates, people), days (or 0/1); returns the mean over people
    per replicate, in the units of ``prints``.
    """
    members = np.asarray(members, dtype=np.int64)
    if members.size == 0:
        return np.zeros(prints.shape[1])
    return prints[members].max(axis=0).mean(axis=-1, dtype=np.float64)


def greedy_cover(prints: np.ndarray, count: int, exclude=()) -> tuple[list[int], list[float]]:
    """Greedy max coverage: ``count`` candidates (indices into ``prints``), each adding the most
    to the mean over replicates of the union so far.

    Returns the chosen indices in order and each one's gain (mean over replicates of the union's
    growth, people x units of ``prints``). Ties go to the lower index. ``exclude``: indices never
    chosen.
    """
    candidates, replicates, people = prints.shape
    count = min(int(count), candidates - len(set(exclude)))
    covered = np.zeros((replicates, people), dtype=prints.dtype)
    allowed = np.ones(candidates, dtype=bool)
    allowed[list(exclude)] = False
    chosen, gains = [], []
    for _ in range(count):
        # gain of c: sum over replicates and people of max(f_c - covered, 0); in blocks of
        # candidates to bound the temporary array
        gain = np.full(candidates, -1.0)
        for start in range(0, candidates, 32):
            block = prints[start : start + 32].astype(np.int32) - covered.astype(np.int32)
            gain[start : start + 32] = np.clip(block, 0, None).sum(axis=(1, 2))
        gain[~allowed] = -1.0
        best = int(np.argmax(gain))
        chosen.append(best)
        gains.append(float(gain[best]) / replicates)
        allowed[best] = False
        np.maximum(covered, prints[best], out=covered)
    return chosen, gains


def variants(prints: np.ndarray, first: list[int], count: int) -> list[list[int]]:
    """Near variants of the greedy cover ``first``: the greedy run again with each of its
    members in turn left out (a different choice where the greedy was close), without repeats.

    Each variant has ``count`` members; together with ``first`` they are the proposals scored by
    simulation.
    """
    out, seen = [], {tuple(sorted(first))}
    for member in first:
        other, _ = greedy_cover(prints, count, exclude=(member,))
        key = tuple(sorted(other))
        if key not in seen:
            seen.add(key)
            out.append(other)
    return out


#: near variants of the coverage set proposed besides it (the best by the surrogate)
COVER_VARIANTS = 2


def cover_proposals(prints: np.ndarray, pool: np.ndarray, budget: int) -> dict[str, np.ndarray]:
    """The greedy max coverage of the footprints (``"coverage"``) and its best
    :data:`COVER_VARIANTS` near variants by the surrogate (``"coverage 2"``...), as people."""
    first, _ = greedy_cover(prints, budget)
    others = variants(prints, first, budget)
    others.sort(key=lambda v: -surrogate(prints, v).mean())
    out = {"coverage": pool[first]}
    for k, other in enumerate(others[:COVER_VARIANTS]):
        out[f"coverage {k + 2}"] = pool[other]
    return out
