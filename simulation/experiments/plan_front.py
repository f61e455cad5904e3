"""The front of a plan search: which plans no other beats, its knee, and the three picks.

Pure arithmetic on a table of plans' mean cost and outcome (no runs): :func:`pareto_mask`,
:func:`knee` (the plan farthest from the line joining the front's two ends, both axes scaled
0-1: past it each extra euro buys less), :func:`target_level` and :func:`picks` (the cheapest
plan meeting the target, the best within the budget, the knee), used by
:class:`~simulation.experiments.optimise_plans.PlanOptimiser` and its report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.experiments.plan_search import SearchSpace
from simulation.metrics.replicates import mean_interval

#: outcomes where lower is better (the search minimises them)
LOWER_IS_BETTER = {"peak_day", "day_wau_25", "day_wau_50", "never_registered", "gini_posts",
                   "top1pct_post_share"}  # fmt: skip
PICKS = ("cheapest_meeting_target", "best_within_budget", "knee")
PICK_LABELS = {
    "cheapest_meeting_target": "the cheapest plan that meets the target",
    "best_within_budget": "the best plan within the budget",
    "knee": "the knee of the front (past it, each extra euro buys less)",
}


def pareto_mask(cost, outcome) -> np.ndarray:
    """Plans no other plan beats on both (cost no higher, outcome no lower, one strictly)."""
    cost, outcome = np.asarray(cost, float), np.asarray(outcome, float)
    keep = np.ones(len(cost), dtype=bool)
    for i in range(len(cost)):
        better = (
            (cost <= cost[i])
            & (outcome >= outcome[i])
            & ((cost < cost[i]) | (outcome > outcome[i]))
        )
        keep[i] = not better.any()
    return keep


def knee(cost, outcome) -> int:
    """Index of the front's knee: the point farthest from the chord between its two ends, both
    axes scaled 0-1 (the cheapest when the front has fewer than three plans)."""
    cost, outcome = np.asarray(cost, float), np.asarray(outcome, float)
    if len(cost) < 3:
        return int(np.argmin(cost))
    c = (cost - cost.min()) / ((cost.max() - cost.min()) or 1.0)
    o = (outcome - outcome.min()) / ((outcome.max() - outcome.min()) or 1.0)
    order = np.argsort(c)
    a, b = np.array([c[order[0]], o[order[0]]]), np.array([c[order[-1]], o[order[-1]]])
    chord = b - a
    norm = np.hypot(*chord) or 1.0
    distance = np.abs(chord[0] * (o - a[1]) - chord[1] * (c - a[0])) / norm
    above = o - (a[1] + (c - a[0]) * (chord[1] / chord[0] if chord[0] else 0.0)) >= 0
    return int(np.argmax(np.where(above, distance, -1.0)))


def target_level(space: SearchSpace, front: pd.DataFrame) -> tuple[float, str]:
    """The target's level and its words: the search file's ``target``, else 90 % of the best
    re-scored outcome (lower-is-better outcomes: 110 % of the best)."""
    if space.target is not None:
        return space.target.level, space.target.text
    if space.objective in LOWER_IS_BETTER:
        level = float(front["outcome"].min()) * 1.1
        return level, f"{space.objective} within 110 % of the best plan's ({level:.3g})"
    level = float(front["outcome"].max()) * 0.9
    return level, f"{space.objective} at least 90 % of the best plan's ({level:.3g})"


def picks(front: pd.DataFrame, budget: float, level: float, lower: bool = False) -> dict:
    """Row indices of ``front`` (re-scored means): the cheapest meeting ``level``, the best
    whose mean cost is within ``budget``, the knee of the plans still on the front."""
    sign = -1.0 if lower else 1.0
    better = sign * front["outcome"]
    meets = front[better >= sign * level - 1e-12]
    within = front[front["cost"] <= budget]
    out: dict[str, int | None] = {
        "cheapest_meeting_target": int(meets["cost"].idxmin()) if len(meets) else None,
        "best_within_budget": int(better[within.index].idxmax()) if len(within) else None,
    }
    on = front[front["on_front"]]
    out["knee"] = int(on.index[knee(on["cost"], sign * on["outcome"])]) if len(on) else None
    return out


def front_to_rescore(trials: pd.DataFrame, names: list[str], limit: int):
    """The search's front (distinct plans, by cost), at most ``limit`` of them evenly by cost,
    and a note when some were left out (else None)."""
    front = trials[trials["on_front"]].sort_values("cost").drop_duplicates(names)
    if len(front) <= limit:
        return front, None
    keep = np.unique(np.linspace(0, len(front) - 1, limit).round().astype(int))
    note = f"{len(front)} plans on the search's front: {len(keep)} re-scored, evenly by cost"
    return front.iloc[keep], note


def rescored_table(
    front: pd.DataFrame, results: list[pd.DataFrame], names: list[str], budget: float, lower: bool
) -> pd.DataFrame:
    """The re-scored front: per plan (``results``: its runs' ``cost`` and ``outcome``) the means
    with 90 % intervals, the share of runs within ``budget`` and whether it is still on the
    front (``lower``: the outcome is better low)."""
    rows = []
    for (_, row), result in zip(front.iterrows(), results, strict=True):
        out = {"trial": int(row["trial"]), **{n: row[n] for n in names}}
        out.update(search_cost=row["cost"], search_outcome=row["outcome"])
        for column in ("cost", "outcome"):
            mean, low, high = mean_interval(result[column].to_numpy())
            out.update({column: mean, f"{column}_low": low, f"{column}_high": high})
        out["within_budget"] = float((result["cost"] <= budget).mean())
        rows.append(out)
    table = pd.DataFrame(rows).reset_index(drop=True)
    sign = -1.0 if lower else 1.0
    table["on_front"] = pareto_mask(table["cost"], sign * table["outcome"])
    return table
