"""The daily series (DESIGN.md section 6): what is counted at the end of each day.

People counts are shares 0-1 of head-count, except ``wau_of_registered`` and
``dau_of_registered`` (shares of registered people: seed 002 asks for these); ``posts`` and
``cross_department_interactions`` are counts. Lurkers, contributors and heavy contributors are among the week's active (visited in the last 7 days) by their posts in
those 7 days: none, 1 to ``heavy_per_week - 1``, at least ``heavy_per_week``.
"""

from __future__ import annotations

import numpy as np

from simulation.person_day import COUNTS

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

    def record(self, engine, day: int, counts: np.ndarray) -> dict[str, np.ndarray]:
        """Record ``day`` from the kernel's end-of-day ``counts`` (replicates x COUNTS).

        Returns the day's row per column (arrays over replicates).
        """
        size = engine.people.size
        c = dict(zip(COUNTS, counts.T, strict=True))
        registered, dau, wau = c["registered"], c["dau"], c["wau"]
        row = {
            "aware": c["aware"] / size,
            "registered": registered / size,
            "dau": dau / size,
            "wau": wau / size,
            "mau": c["mau"] / size,
            "wau_of_registered": _share(wau, registered),
            "lurkers": c["lurkers"] / size,
            "contributors": c["contributors"] / size,
            "heavy_contributors": c["heavy_contributors"] / size,
            "posts": c["posts"].copy(),
            "cross_department_interactions": c["cross_reads"].copy(),
            "mobile_visit_share": _share(c["mobile_visits"], dau),
            "shadow_channel_users": engine.shadow_users() / size,
            "facilitator_load": engine.facilitator_load(),
            "dau_of_registered": _share(dau, registered),
        }
        for column, value in row.items():
            self.values[column][day] = value
        self.days_recorded = day + 1
        return row

    def trimmed(self) -> dict[str, np.ndarray]:
        """The recorded days only."""
        return {c: v[: self.days_recorded] for c, v in self.values.items()}


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """``part / whole``, 0 where ``whole`` is 0."""
    return np.divide(part, whole, out=np.zeros(len(whole), np.float64), where=whole > 0)
