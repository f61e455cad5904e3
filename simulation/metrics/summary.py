"""Per-run figures (the README's Outputs section), from a run's daily series and final state."""

from __future__ import annotations

import numpy as np

from simulation.metrics.costs import COST_COLUMNS, cost_columns, plan_cost_lines
from simulation.metrics.inequality import gini, top_share
from simulation.model.windows import SUSTAINED_DAYS, sustained_window
from simulation.plan.adoption.one_shot import NOT_REPORTED, is_one_shot

SUMMARY_COLUMNS = [
    "peak_wau",
    "peak_day",
    "sustained_wau",
    "mean_wau",
    "day_wau_25",
    "day_wau_50",
    "ebb_ratio",
    "registered_final",
    "never_registered",
    "lurker_share",
    "contributor_share",
    "heavy_share",
    "top1pct_post_share",
    "gini_posts",
    "cost",
]
#: every column of ``summary.parquet`` after the run's keys: the figures, then the cost items
ALL_SUMMARY_COLUMNS = [*SUMMARY_COLUMNS, *COST_COLUMNS]

__all__ = ["SUMMARY_COLUMNS", "SUSTAINED_DAYS", "first_day", "summarise"]


def first_day(series: np.ndarray, level: float) -> float:
    """First day on which ``series`` reaches ``level``; NaN if never."""
    hits = np.flatnonzero(series >= level)
    return float(hits[0]) if hits.size else float("nan")


def summarise(daily: dict[str, np.ndarray], engine) -> list[dict[str, float]]:
    """One dict of :data:`ALL_SUMMARY_COLUMNS` per replicate of ``engine``.

    Parameters
    ----------
    daily : dict of str to ndarray (days, replicates)
        The recorded daily series.
    engine : Engine
        The engine after its run (for posts per person and who ever registered).
    """
    people = engine.people
    days = daily["wau"].shape[0]
    window = sustained_window(days)
    per_registered = engine.scenario.costs.licensing == "per_registered"
    # the head-count changes when people join and leave (the ``employed`` series, if recorded)
    employed = daily.get("employed")
    # the plan's costs follow from the plan, unless licences follow the people
    fixed = cost_columns(plan_cost_lines(engine.scenario, engine.org, days))
    rows = []
    for r in range(people.replicates):
        wau = daily["wau"][:, r]
        peak = float(wau.max()) if days else float("nan")
        sustained = float(wau[window].mean()) if days else float("nan")
        weekly_total = float(daily["wau"][window, r].sum())
        # the staff employed at the end (joiners and leavers: simulation.model.workforce); a
        # leaver's posts left with them
        ever = (people.registered_day[r] >= 0)[people.employed[r]]
        posts = people.total_posts[r][people.employed[r]][ever]

        def among_weekly(column: str, r: int = r, weekly_total: float = weekly_total) -> float:
            if weekly_total <= 0:
                return float("nan")
            return float(daily[column][window, r].sum() / weekly_total)

        items = fixed
        if per_registered or (employed is not None and (employed[:, r] != engine.org.size).any()):
            # registered people, day by day: shares of the staff employed that day; per seat,
            # the staff employed day by day when people join and leave
            staff = engine.org.size if employed is None else employed[:, r]
            registered_days = float((daily["registered"][:, r] * staff).sum())
            employed_days = None if employed is None else float(np.sum(staff))
            lines = plan_cost_lines(
                engine.scenario, engine.org, days, registered_days, employed_days
            )
            items = cost_columns(lines)
        rows.append(
            {
                "peak_wau": peak,
                "peak_day": float(np.argmax(wau)) if days else float("nan"),
                "sustained_wau": sustained,
                # the whole run's use: what a late lever or a slow start costs in the meantime
                "mean_wau": float(wau.mean()) if days else float("nan"),
                "day_wau_25": first_day(wau, 0.25),
                "day_wau_50": first_day(wau, 0.50),
                "ebb_ratio": sustained / peak if peak > 0 else float("nan"),
                "registered_final": float(daily["registered"][-1, r]),
                "never_registered": float(1.0 - ever.mean()),
                "lurker_share": among_weekly("lurkers"),
                "contributor_share": among_weekly("contributors"),
                "heavy_share": among_weekly("heavy_contributors"),
                "top1pct_post_share": top_share(posts, 0.01),
                "gini_posts": gini(posts),
                "cost": sum(items.values()),
                **items,
            }
        )
    if is_one_shot(engine.scenario):  # no use after adoption: no posts, Gini or licences
        for row in rows:
            row.update(dict.fromkeys([*NOT_REPORTED, *COST_COLUMNS], float("nan")))
    return rows
