"""The windows and the classes of people every count uses, defined once.

Each is a small numba-compatible function of a person's state: the compiled kernels
(:mod:`simulation.model.person_day`, :mod:`simulation.model.contacts`) compile it with
``numba.njit(inline="always")`` and call it on one person; numpy code
(:mod:`simulation.metrics.groups`, :class:`simulation.experiments.mesa_model.Employee`, the validation) calls it
as it is, on whole arrays or one value. So the kernel's counts, the group breakdown and the agent
view cannot disagree. (This file names numba, so :mod:`simulation.base.kernel_cache` hashes it: a
change here recompiles the kernels that inline it.)

``day`` is always the day the state is read *at the end of*: at the end of day ``d`` the week is
days ``d - 6`` to ``d``; at the start of day ``d`` (yesterday's end) it is ``d - 7`` to ``d - 1``.

Windows (days):

- :data:`ACTIVE_DAYS` = 7: weekly active (visited in the last 7 days);
- :data:`MONTHLY_DAYS` = 30: monthly active;
- :data:`SUSTAINED_DAYS` = 30: the *sustained* window, the last 30 days of a run (per-run figures,
  breakdowns, pockets).

Classes of people (``stage`` a :class:`simulation.model.people.Stage` code, ``week_posts`` the posts of
the last 7 days, ``heavy`` ``posting.heavy_per_week``):

- aware: heard of the platform (any stage but unaware, and not a vacant position);
- registered: holds an account (registered, lapsed or dormant);
- active: weekly active;
- lurker: weekly active, no post in the 7 days;
- contributor: weekly active, 1 to ``heavy - 1`` posts in the 7 days;
- heavy contributor: ``heavy`` posts or more in the 7 days (posting needs a visit, so they are
  weekly active too).
"""

from __future__ import annotations

import numpy as np

from simulation.model.people import Stage

ACTIVE_DAYS = 7  # days: weekly active
MONTHLY_DAYS = 30  # days: monthly active
SUSTAINED_DAYS = 30  # days: the sustained window, the last 30 days of a run

_UNAWARE, _REGISTERED = np.int8(Stage.UNAWARE), np.int8(Stage.REGISTERED)


def active_within(last_visit, day, days):
    """Visited on one of the ``days`` days up to the end of ``day`` (``last_visit``: day)."""
    return last_visit > day - days


def weekly_active(last_visit, day):
    """Visited in the :data:`ACTIVE_DAYS` days up to the end of ``day``."""
    return last_visit > day - ACTIVE_DAYS


def monthly_active(last_visit, day):
    """Visited in the :data:`MONTHLY_DAYS` days up to the end of ``day``."""
    return last_visit > day - MONTHLY_DAYS


def is_aware(stage):
    """Heard of the platform: every stage but unaware (and vacant, a position without a holder,
    whose code is below unaware's)."""
    return stage > _UNAWARE


def is_registered(stage):
    """Holds an account: registered, lapsed or dormant."""
    return stage >= _REGISTERED


def is_lurker(weekly, week_posts):
    """Weekly active without a post in the 7 days."""
    return weekly & (week_posts == 0)


def is_contributor(weekly, week_posts, heavy):
    """Weekly active with 1 to ``heavy - 1`` posts in the 7 days."""
    return weekly & (week_posts > 0) & (week_posts < heavy)


def is_heavy(week_posts, heavy):
    """``heavy`` posts or more in the 7 days."""
    return week_posts >= heavy


def is_posting(weekly, week_posts):
    """Weekly active with at least one post in the 7 days (contributors and heavy ones)."""
    return weekly & (week_posts > 0)


def sustained_window(days: int) -> slice:
    """The sustained window of a run of ``days`` days: its last :data:`SUSTAINED_DAYS` days."""
    return slice(max(0, days - SUSTAINED_DAYS), days)
