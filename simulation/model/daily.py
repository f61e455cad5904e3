"""The daily series (the README's Outputs section): what is counted at the end of each day.

People counts are shares 0-1 of head-count (the staff employed that day, ``employed``, a count
of people: :mod:`simulation.model.workforce`), except ``wau_of_registered`` and
``dau_of_registered`` (shares of registered people: Uncommon Business 2014 asks for these); ``posts`` and
``cross_department_interactions`` are counts. Lurkers, contributors and heavy contributors are among the week's active (visited in the last 7 days) by their posts in
those 7 days: none, 1 to ``heavy_per_week - 1``, at least ``heavy_per_week``. ``weekly_posters``
(share of head-count who posted in the 7 days: contributors and heavy contributors) is the
week's active minus its lurkers.
"""

from __future__ import annotations

import numpy as np

from simulation.model.person_day import COUNTS, Count

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
    # appended: share 0-1 of head-count who posted in the 7 days to today (Slack's "Weekly
    # members posting messages"): the contributors and heavy contributors together
    "weekly_posters",
    # appended: people employed that day (simulation.model.workforce), the divisor of the shares
    "employed",
]
# the columns that are counts of people, divided by head-count: the kernel's counts up to posts
_HEAD_COUNT = COUNTS[: COUNTS.index("posts")]


# where each daily column comes from in the kernel's counts (simulation.model.person_day.Count)
_SHARES = [DAILY_COLUMNS.index(c) for c in _HEAD_COUNT]
_SHARE_COUNTS = [Count[c] for c in _HEAD_COUNT]
_RATIOS = [
    DAILY_COLUMNS.index(c) for c in ("wau_of_registered", "mobile_visit_share", "dau_of_registered")
]
_POSTS, _CROSS = DAILY_COLUMNS.index("posts"), DAILY_COLUMNS.index("cross_department_interactions")
_WEEKLY_POSTERS = DAILY_COLUMNS.index("weekly_posters")
_EMPLOYED = DAILY_COLUMNS.index("employed")
_POSTING = [DAILY_COLUMNS.index(c) for c in ("contributors", "heavy_contributors")]
_NUMERATORS = [Count.wau, Count.mobile_visits, Count.dau]
_DENOMINATORS = [Count.registered, Count.dau, Count.registered]


class DailyRecorder:
    """Per-day, per-replicate values of every daily column, in arrays of shape (days, replicates).

    ``values[column]`` is a view of one table of shape (days, columns, replicates). The columns
    are :data:`DAILY_COLUMNS`, then ``extra``: daily results that components declare beyond the
    contract (:mod:`simulation.model.components`). Columns components report (``shadow_channel_users``,
    ``facilitator_load``...) are collected from ``engine.daily_results()``; they are 0 on a run
    without a component reporting them.
    """

    def __init__(self, days: int, replicates: int, extra: list[str] | None = None):
        self.columns = [*DAILY_COLUMNS, *(extra or [])]
        self.table = np.zeros((days, len(self.columns), replicates), np.float64)
        self.values = {c: self.table[:, k, :] for k, c in enumerate(self.columns)}
        self._index = {c: k for k, c in enumerate(self.columns)}
        self.days_recorded = 0

    def record(self, engine, day: int, counts: np.ndarray) -> dict[str, np.ndarray]:
        """Record ``day`` from the kernel's end-of-day ``counts`` (replicates x Count).

        Returns the day's row per column (arrays over replicates; views: do not modify).
        """
        block, by_count = self.table[day], counts.T
        # shares are of the staff employed today (joiners and leavers: simulation.model.workforce)
        staff = np.count_nonzero(engine.people.employed, axis=1)
        block[_EMPLOYED] = staff
        block[_SHARES] = by_count[_SHARE_COUNTS] / np.maximum(staff, 1)
        # a post needs a visit, so everyone who posted in the 7 days is weekly active: the
        # week's posters are its contributors and heavy contributors (shares, same divisor)
        block[_WEEKLY_POSTERS] = block[_POSTING].sum(axis=0)
        block[_POSTS] = by_count[Count.posts]
        block[_CROSS] = by_count[Count.cross_reads]
        whole = by_count[_DENOMINATORS]
        block[_RATIOS] = np.divide(
            by_count[_NUMERATORS], whole, out=np.zeros_like(whole), where=whole > 0
        )
        for column, value in engine.daily_results().items():
            block[self._index[column]] = value
        self.days_recorded = day + 1
        return dict(zip(self.columns, block, strict=True))

    def trimmed(self) -> dict[str, np.ndarray]:
        """The recorded days only."""
        return {c: v[: self.days_recorded] for c, v in self.values.items()}
