"""Lazy-greedy (CELF) search for the champions, made safe for a noisy outcome.

CELF (Leskovec, Krause, Guestrin, Faloutsos, VanBriesen & Glance 2007, "Cost-effective outbreak
detection in networks", KDD) adds, one at a time, the candidate with the largest marginal gain,
and re-evaluates a candidate's gain only when it reaches the top of the queue: for a submodular
outcome an old gain is an upper bound of the current one, so a fresh gain at the top beats all.

Here the outcome (sustained weekly active with lapse and abandonment) is a mean over replicates:
it is noisy, and need not be submodular (two champions in one community may do more than twice
one). So, in each round:

- every gain is a paired difference with common random numbers (the same seeds for every set),
  which removes most of the noise between candidates;
- the top ``recheck`` entries of the queue are all re-evaluated against the current set before
  one is chosen, not only the top one: a candidate whose old gain was lucky falls back, and the
  winner has beaten its nearest rivals on the same seeds in the same round;
- stale entries are re-evaluated in batches (``batch`` sets per round trip), which keeps the
  worker processes busy.

An entry far down the queue whose gain would have grown since it was scored is not seen: the
price of laziness. ``lazy=False`` re-evaluates every candidate in every round (plain greedy), as
a check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from simulation.metrics.replicates import mean_interval


@dataclass
class Step:
    """One champion added by the search."""

    person: int
    gain: float  # mean marginal gain in sustained weekly active (share 0-1 of head-count)
    gain_low: float  # 90 % paired interval of the gain
    gain_high: float
    value: float  # mean sustained weekly active with the champions so far
    evaluations: int  # sets scored so far


@dataclass
class SearchResult:
    """The champions in the order chosen, the empty plan's value, and the search's cost."""

    steps: list[Step]
    empty: np.ndarray  # sustained weekly active per replicate with no champions
    evaluations: int
    replicate_years: int
    pool_size: int
    first_gains: dict[int, float] = field(default_factory=dict)  # candidate -> gain alone
    last_gains: dict[int, float] = field(default_factory=dict)  # candidate -> latest gain

    @property
    def people(self) -> np.ndarray:
        return np.array([s.person for s in self.steps], dtype=np.int64)


def celf(
    scorer,
    pool: np.ndarray,
    budget: int,
    recheck: int = 3,
    batch: int | None = None,
    lazy: bool = True,
    on_step: Callable[[Step], None] | None = None,
    singles: np.ndarray | None = None,
) -> SearchResult:
    """Choose ``budget`` champions from ``pool`` by lazy greedy on ``scorer``.

    Parameters
    ----------
    scorer : SetScorer
        Scores sets (sustained weekly active per replicate, common random numbers).
    pool : ndarray of int
        Candidate people (indices), pre-ranked by cheap scores.
    budget : int
        Champions to choose (K).
    recheck : int
        Entries at the top of the queue re-evaluated in each round before one is chosen.
    batch : int, optional
        Stale entries re-evaluated per round trip (default twice the scorer's workers, at
        least ``recheck``): in the later rounds most stale entries need re-evaluating anyway
        (their old gains, from smaller sets, exceed the fresh ones), so a round trip that keeps
        every worker busy costs little.
    lazy : bool
        False: re-evaluate every candidate in every round (plain greedy).
    on_step : callable, optional
        Called with each :class:`Step` as it is chosen (progress).
    singles : ndarray, optional
        (pool, replicates): each candidate's outcome alone on ``scorer``'s seeds, when already
        run (the footprints, :mod:`.footprints`); the first round then scores nothing.
    """
    pool = np.asarray(pool, dtype=np.int64)
    budget = min(int(budget), pool.size)
    recheck = max(1, int(recheck))
    batch = max(recheck, int(batch or 2 * scorer.workers))
    empty = scorer.score([np.zeros(0, dtype=np.int64)])[0]
    current = empty
    chosen: list[int] = []
    steps: list[Step] = []
    # per candidate: its latest per-replicate gain and the round it was measured in
    if singles is None:
        singles = scorer.score([np.array([c]) for c in pool])
    gains = np.asarray(singles, dtype=np.float64) - current
    fresh_in = np.zeros(pool.size, dtype=np.int64)
    first_gains = {int(c): float(g.mean()) for c, g in zip(pool, gains, strict=True)}
    available = np.ones(pool.size, dtype=bool)
    for round_ in range(budget):
        while True:
            order = [k for k in np.argsort(-gains.mean(axis=1), kind="stable") if available[k]]
            if not lazy:
                stale = [k for k in order if fresh_in[k] != round_]
            else:
                top = order[:recheck]
                if all(fresh_in[k] == round_ for k in top):
                    break
                stale = [k for k in order if fresh_in[k] != round_][:batch]
            if not stale:
                break
            sets = [np.array([*chosen, pool[k]], dtype=np.int64) for k in stale]
            gains[stale] = scorer.score(sets) - current
            fresh_in[stale] = round_
        best = order[0]
        mean, low, high = mean_interval(gains[best])
        current = current + gains[best]
        chosen.append(int(pool[best]))
        available[best] = False
        step = Step(
            int(pool[best]),
            mean,
            float(low),
            float(high),
            float(current.mean()),
            scorer.evaluations,
        )
        steps.append(step)
        if on_step is not None:
            on_step(step)
        fresh_in[best] = -1
    last_gains = {int(c): float(g.mean()) for c, g in zip(pool, gains, strict=True)}
    return SearchResult(
        steps, empty, scorer.evaluations, scorer.replicate_years, int(pool.size), first_gains,
        last_gains,
    )  # fmt: skip
