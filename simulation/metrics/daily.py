"""The daily series (DESIGN.md section 6): what is counted at the end of each day.

People counts are shares 0-1 of head-count, except ``wau_of_registered`` and
``dau_of_registered`` (shares of registered people: seed 002 asks for these); ``posts`` and
``cross_department_interactions`` are counts. Lurkers, contributors and heavy contributors are among the week's active (visited in the last 7 days) by their posts in
those 7 days: none, 1 to ``heavy_per_week - 1``, at least ``heavy_per_week``.
"""

from __future__ import annotations

import numpy as np

from simulation.people import Stage

# The contract of daily.parquet, in order, after ``scenario, replicate, seed, day``.
DAILY_COLUMNS = [
    "aware",
    "registered",
    "dau",
    "wau",
    "mau",
    "wau_of_registered",
    "lurkers",
    "contributors",
    "heavy_contributors",
    "posts",
    "cross_department_interactions",
    "mobile_visit_share",
    "shadow_channel_users",
    "facilitator_load",
    # appended after the first contract: share 0-1 of registered people who visited today
    "dau_of_registered",
]


class DailyRecorder:
    """Per-day, per-replicate values of every daily column, in arrays of shape (days, replicates)."""

    def __init__(self, days: int, replicates: int):
        self.values = {c: np.zeros((days, replicates), np.float64) for c in DAILY_COLUMNS}
        self.days_recorded = 0

    def record(
        self,
        engine,
        day: int,
        visited: np.ndarray,
        cross_reads: np.ndarray,
        mobile_visits: np.ndarray,
    ) -> dict[str, np.ndarray]:
        """Count the end-of-day state of ``engine`` for ``day``; return the day's row per column."""
        people = engine.people
        size = people.size
        stage = people.stage
        heavy = engine.scenario.posting.heavy_per_week
        registered = np.count_nonzero(stage >= Stage.REGISTERED, axis=1)
        weekly = people.active_within(day, 7)
        wau = np.count_nonzero(weekly, axis=1)
        week_posts = people.week_posts
        lurkers = np.count_nonzero(weekly & (week_posts == 0), axis=1)
        heavy_count = np.count_nonzero(week_posts >= heavy, axis=1)
        contributors = np.count_nonzero(weekly & (week_posts > 0), axis=1) - heavy_count
        dau = np.count_nonzero(visited, axis=1)
        row = {
            "aware": np.count_nonzero(stage != Stage.UNAWARE, axis=1) / size,
            "registered": registered / size,
            "dau": dau / size,
            "wau": wau / size,
            "mau": np.count_nonzero(people.active_within(day, 30), axis=1) / size,
            "wau_of_registered": np.divide(
                wau, registered, out=np.zeros(len(wau), np.float64), where=registered > 0
            ),
            "lurkers": lurkers / size,
            "contributors": contributors / size,
            "heavy_contributors": heavy_count / size,
            "posts": people.posts_today.sum(axis=1, dtype=np.int64).astype(np.float64),
            "cross_department_interactions": cross_reads,
            "mobile_visit_share": np.divide(
                mobile_visits, dau, out=np.zeros(len(dau), np.float64), where=dau > 0
            ),
            "shadow_channel_users": engine.shadow_users() / size,
            "facilitator_load": engine.facilitator_load(),
            "dau_of_registered": np.divide(
                dau, registered, out=np.zeros(len(dau), np.float64), where=registered > 0
            ),
        }
        for column, value in row.items():
            self.values[column][day] = value
        self.days_recorded = day + 1
        return row

    def trimmed(self) -> dict[str, np.ndarray]:
        """The recorded days only."""
        return {c: v[: self.days_recorded] for c, v in self.values.items()}
