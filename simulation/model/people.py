"""Employees' state as arrays of shape (replicates, people).

The lifecycle (docs/ODD.md, entities and state variables) is ``unaware -> aware -> registered <-> lapsed``, plus
``never`` (aware and decided against it, for rules that need it) and ``dormant`` (registered on
paper because registration was required, never visiting). "Active" is not a stage: it is
counted as daily / weekly / monthly active from each person's last visit day.

The people are *positions* of the organisation (:mod:`simulation.model.workforce`): a position
without a holder (a leaver not yet replaced, a cohort not yet taken in) is not ``employed`` and
has stage ``vacant``, which no phase of the day acts on and no count includes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

import numpy as np

NEVER_VISITED = np.int16(-32000)
#: ``hired_day`` of the staff already there on day 0 (before any day of the run)
ON_STAFF = np.int16(-32000)


class Stage(IntEnum):
    """Lifecycle stage codes, ordered so that ``stage >= REGISTERED`` means registered (and
    ``stage > UNAWARE`` aware: a vacant position is neither)."""

    VACANT = -1  # a position without a holder (simulation.model.workforce): no state, no contact
    UNAWARE = 0
    AWARE = 1
    NEVER = 2
    REGISTERED = 3  # registered and using: visits with a probability that rises with habit
    LAPSED = 4  # registered, stopped visiting; may come back
    DORMANT = 5  # registered on paper only (a required sign-up): an account, never a visit


class DayState(NamedTuple):
    """The state arrays the day kernel reads and writes (:mod:`simulation.model.person_day`), by name:
    views of the :class:`People` arrays of the same names."""

    stage: np.ndarray
    habit: np.ndarray
    last_visit: np.ndarray
    registered_day: np.ndarray
    posts_today: np.ndarray
    posts_yesterday: np.ndarray
    week_posts: np.ndarray
    post_ring: np.ndarray
    total_posts: np.ndarray


@dataclass
class People:
    """State and traits of every person in every replicate of a batch.

    All arrays have shape (replicates, people). Traits are drawn once per replicate from
    their own streams; state changes day by day.

    Attributes
    ----------
    stage : int8
        :class:`Stage` code.
    habit : float32
        Habit / interest level, share 0-1: rises with rewarding visits, decays otherwise.
    last_visit : int16
        Day of the last visit (``NEVER_VISITED`` if none).
    posts_today : uint8
        Posts written today (0 or 1 per person per day).
    posts_yesterday : bool
        Who posted yesterday: today's content for one's contacts.
    week_posts : int16
        Posts in the last 7 days (kept with a 7-day ring buffer).
    total_posts : int32
        Posts since the start (participation inequality).
    threshold : float32
        Share 0-1 of one's contacts who must be active before one registers (threshold rule).
    sharing : float32
        Disposition to share: multiplier of the base posting probability (lognormal, median 1).
    fear : float32
        Fear of being observed, share 0-1 (lowers posting, not reading).
    need : float32
        Multiplier 0-1 of one's own reasons to visit: 1 with a recurring need, less without
        (:mod:`simulation.model.need`).
    employed : bool
        Whether the position has a holder today (:mod:`simulation.model.workforce`); every share
        of the daily output is of the positions employed that day.
    hired_day : int16
        Day the current holder started (``ON_STAFF`` for the staff there on day 0).
    """

    stage: np.ndarray
    habit: np.ndarray
    last_visit: np.ndarray
    posts_today: np.ndarray
    posts_yesterday: np.ndarray
    week_posts: np.ndarray
    post_ring: np.ndarray
    total_posts: np.ndarray
    registered_day: np.ndarray
    threshold: np.ndarray
    sharing: np.ndarray
    fear: np.ndarray
    need: np.ndarray
    employed: np.ndarray
    hired_day: np.ndarray

    @classmethod
    def empty(cls, replicates: int, size: int) -> People:
        """Everyone unaware, no history; traits zero until drawn."""
        shape = (replicates, size)
        return cls(
            stage=np.zeros(shape, np.int8),
            habit=np.zeros(shape, np.float32),
            last_visit=np.full(shape, NEVER_VISITED, np.int16),
            posts_today=np.zeros(shape, np.uint8),
            posts_yesterday=np.zeros(shape, bool),
            week_posts=np.zeros(shape, np.int16),
            post_ring=np.zeros((7, *shape), np.uint8),
            total_posts=np.zeros(shape, np.int32),
            registered_day=np.full(shape, -1, np.int16),
            threshold=np.zeros(shape, np.float32),
            sharing=np.ones(shape, np.float32),
            fear=np.zeros(shape, np.float32),
            need=np.ones(shape, np.float32),
            employed=np.ones(shape, bool),
            hired_day=np.full(shape, ON_STAFF, np.int16),
        )

    def day_state(self) -> DayState:
        """The arrays of :class:`DayState` (the same objects: the kernel writes into them)."""
        return DayState(*(getattr(self, name) for name in DayState._fields))

    @property
    def replicates(self) -> int:
        return int(self.stage.shape[0])

    @property
    def size(self) -> int:
        return int(self.stage.shape[1])

    def active_within(self, day: int, days: int) -> np.ndarray:
        """Boolean (replicates, people): visited on one of the last ``days`` days up to ``day``
        (:func:`simulation.model.windows.active_within`)."""
        from simulation.model.windows import active_within

        return active_within(self.last_visit, day, days)
