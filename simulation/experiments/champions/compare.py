"""The searched champions against the heuristics, and the outcome against the number seeded.

Both on *fresh* seeds, not the search's: the search picked the set that did best on its own
seeds, so its score there is optimistic (the winner's curse); the check re-runs every set on
other seeds, the same for every set (paired, common random numbers).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.experiments.champions.candidates import heuristics, random_sets
from simulation.metrics.replicates import LEVEL, mean_interval

SEARCHED = "searched"
RANDOM = "random"


#: the curve's coarse tail, shares 0-1 of the head-count (log-spaced): over-seeding, if the
#: model has it, shows at numbers far above the budget (Iyer & Adamic 2019)
TAIL_SHARES = (0.01, 0.02, 0.05, 0.10, 0.25, 0.50, 1.0)
#: the methods run on the tail: cheap to choose at any number
TAIL_METHODS = ("top degree", RANDOM)


def grid(budget: int, most: int) -> list[int]:
    """Numbers of champions on the curve: 0 to ``most`` (about a dozen points)."""
    points = {0, 1, 2, 3, 5, budget}
    points |= {int(round(budget * f)) for f in (0.5, 1.5, 2, 3, 4, 6, 8)}
    points |= {int(round(most * f)) for f in (0.25, 0.5, 0.75, 1.0)}
    return sorted(p for p in points if 0 <= p <= most)


def tail(size: int, most: int) -> list[int]:
    """The tail's numbers of champions: :data:`TAIL_SHARES` of ``size`` people above ``most``."""
    return sorted({int(round(size * f)) for f in TAIL_SHARES} - set(range(most + 1)))


def curve(
    scorer, org, scores, searched: tuple, budget: int, most: int, seed: int,
    at_budget=None, tail_points: list[int] | None = None,
):  # fmt: skip
    """Per-replicate outcomes of every method at every point of :func:`grid`, and of
    :data:`TAIL_METHODS` at every point of ``tail_points``.

    ``searched`` is ``(order, final)``: the search's first ``k`` people below the budget come
    from ``order`` (the final set, the biggest contribution first), the set at the budget is
    ``final`` (after the swaps).
    ``at_budget`` scores the sets at the budget (default ``scorer``): more runs there, where the
    methods are compared, than at the curve's other points (the paired comparison at the budget
    uses ``at_budget``'s runs only).

    Returns
    -------
    runs : DataFrame
        ``method, k, replicate, sustained_wau``: the searched champions' first ``k`` (up to the
        budget), each heuristic's ``k`` and ``k`` random people (a different draw in each
        replicate); ``k = 0`` is the plan without champions, shared by all.
    """
    at_budget = scorer if at_budget is None else at_budget
    points = grid(budget, most)
    jobs: dict[int, list] = {id(scorer): [], id(at_budget): []}  # (method, k, set) per scorer
    jobs[id(scorer)].append(("none", 0, np.zeros(0, dtype=np.int64)))
    for k in [*points, *(tail_points or [])]:
        if k == 0:
            continue
        judge = at_budget if k == budget else scorer
        todo = jobs[id(judge)]
        order, final = searched
        if k <= len(final):
            todo.append((SEARCHED, k, final if k == len(final) else order[:k]))
        for name, people in heuristics(org, scores, k).items():
            if k in points or name in TAIL_METHODS:
                todo.append((name, k, people))
        todo.append((RANDOM, k, random_sets(org.size, k, judge.replicates, seed + k)))
    methods = [SEARCHED, *heuristics(org, scores, 1), RANDOM]
    rows = []
    for judge in dict.fromkeys([scorer, at_budget]):
        todo = jobs[id(judge)]
        values = judge.score([people for _, _, people in todo])
        for (method, k, _), row in zip(todo, values, strict=True):
            targets = methods if method == "none" else [method]
            for target in targets:
                for replicate, value in enumerate(row):
                    rows.append((target, k, replicate, float(value)))
    return pd.DataFrame(rows, columns=["method", "k", "replicate", "sustained_wau"])


def curve_table(runs: pd.DataFrame) -> pd.DataFrame:
    """Mean and 90 % interval of the mean per method and k: ``method, k, mean, low, high``."""
    rows = []
    for (method, k), group in runs.groupby(["method", "k"], sort=False):
        mean, low, high = mean_interval(group["sustained_wau"].to_numpy())
        rows.append((method, int(k), mean, low, high))
    table = pd.DataFrame(rows, columns=["method", "k", "mean", "low", "high"])
    return table.sort_values(["method", "k"], kind="stable").reset_index(drop=True)


def paired(runs: pd.DataFrame, budget: int, level: float = LEVEL) -> pd.DataFrame:
    """The searched champions minus each heuristic at the budget, replicate by replicate.

    ``method, mean, difference, low, high, beats``: the heuristic's mean, the mean paired
    difference (searched - heuristic, share 0-1) and its ``level`` Student-t interval; ``beats``
    is True when the whole interval is above 0.
    """
    at = runs[runs["k"] == budget]
    wide = at.pivot_table(index="replicate", columns="method", values="sustained_wau")
    ours = wide[SEARCHED].to_numpy()
    rows = []
    for method in wide.columns:
        if method == SEARCHED:
            continue
        theirs = wide[method].to_numpy()
        difference, low, high = mean_interval(ours - theirs, level)
        rows.append((method, float(theirs.mean()), difference, low, high, bool(low > 0)))
    return pd.DataFrame(rows, columns=["method", "mean", "difference", "low", "high", "beats"])


def turning_points(table: pd.DataFrame, method: str) -> dict[str, int | None]:
    """Where ``method``'s curve stops rising (``best_k``: its highest mean), whether it falls
    after (``falls_after``: the first k past the best whose interval lies wholly below the best
    point's mean: over-seeding), and where the curve ends (``end``: its largest k)."""
    part = table[table["method"] == method].sort_values("k")
    if part.empty:
        return {"best_k": None, "falls_after": None, "end": None}
    best = part.loc[part["mean"].idxmax()]
    later = part[(part["k"] > best["k"]) & (part["high"] < best["mean"])]
    return {
        "best_k": int(best["k"]),
        "falls_after": int(later["k"].iloc[0]) if not later.empty else None,
        "end": int(part["k"].max()),
    }
