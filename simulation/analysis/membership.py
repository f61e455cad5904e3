"""The model's head-count follows a community's membership (a Slack export's members).

A Slack export counts its shares of each day's ``Total enabled membership``, and a community
grows: a second intake doubles it, a trickle of joiners adds a few a week. For the model's shares
to be of the same people, its head-count must grow with the members: so, when the observed
shares are of each day's members (:attr:`Observed.membership`), the scenario has no intakes of
its own and the organisation holds exactly the most members of the observed days, each rise of
the membership becomes an intake on its day (:class:`simulation.model.workforce.Intake`,
``count`` people): the members of the first day are employed from day 0, every later one from
the day they appear. After the last observed day the membership goes on growing at its recent
pace (``after="trend"``, the default: the mean daily rise over the last :data:`RECENT` observed
days, leaving out single-day jumps of an intake, taken in as weekly cohorts up to the end of the
forecast), or stays as it was (``after="flat"``): new members are the most active, so a forecast
that leaves out the joiners a community keeps getting reads its share too low. The organisation
then holds the most members plus the joiners to come. A fall of the membership (accounts
deactivated) is not followed: it is counted and said.

Paired with the ``members`` rollout (:mod:`simulation.plan.rollout.members`: joining is
registering), the model's registered share stays 1 as the export's does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.analysis.observed_record import Observed
from simulation.model.workforce import Intake

#: a membership that moves less than this share (of its most) is taken as flat
FLAT = 0.02
#: days of the recent pace of joiners, extrapolated after the last observed day
RECENT = 56
#: a day's rise above this share of the membership (and 5 people) is an intake, not the pace
JUMP = 0.02


def most_members(observed: Observed) -> int | None:
    """The most members on any observed day (people), or None without a membership."""
    if observed.membership is None or not len(observed.membership):
        return None
    return int(np.max(observed.membership))


def members_by_day(observed: Observed):
    """Each observed day's members (people) as a Series indexed by day, or None without a
    membership: the head-counts the shares are of, when they are of each day's members."""
    if observed.membership is None or not len(observed.membership):
        return None
    members = np.asarray(observed.membership, dtype=float)
    if not np.all(np.isfinite(members)):
        return None
    return pd.Series(members, index=np.asarray(observed.days, dtype=np.int64))


def _rises(observed: Observed) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each observed day's ``(day, members, most members so far, rise of that most)``, people:
    a fall of the membership is no rise, and the members who come back after it are none
    either."""
    members = np.asarray(observed.membership, dtype=float).round().astype(np.int64)
    so_far = np.maximum.accumulate(members)
    rises = np.diff(so_far, prepend=so_far[0])
    return np.asarray(observed.days, dtype=np.int64), members, so_far, rises


def recent_rate(observed: Observed) -> float:
    """Joiners a day (people) over the last :data:`RECENT` observed days, intakes left out."""
    days, _, so_far, rises = _rises(observed)
    recent = days > days[-1] - RECENT
    steady = rises <= np.maximum(5.0, JUMP * so_far)
    span = max(1, min(RECENT, int(days[-1] - days[0])))
    return float(rises[recent & steady].sum() / span)


def future_cohorts(rate: float, last: int, horizon: int) -> list[tuple[int, int]]:
    """Weekly ``(day, people)`` cohorts at ``rate`` joiners a day after day ``last`` until the
    day before ``horizon`` (what is left over from rounding carried to the next week)."""
    out, owed = [], 0.0
    for day in range(last + 7, horizon, 7):
        owed += 7 * rate
        count = int(owed)
        if count > 0:
            out.append((day, count))
            owed -= count
    return out


def joiners_to_come(observed: Observed, horizon: int, after: str = "trend") -> int:
    """People who join after the last observed day up to ``horizon`` (0 when flat)."""
    if after == "flat" or most_members(observed) is None:
        return 0
    rate = recent_rate(observed)
    return sum(n for _, n in future_cohorts(rate, int(observed.days[-1]), horizon))


def intakes(observed: Observed) -> tuple[list[Intake], int]:
    """The intakes that make a head-count follow the membership, and the members lost.

    Each observed day's rise above the most members so far is a cohort on that day; a fall is
    not followed (returned as the members lost, people).
    """
    days, members, so_far, rises = _rises(observed)
    cohorts = [
        Intake(day=int(d), count=int(n))
        for d, n in zip(days, rises, strict=True)
        if n > 0 and d > 0
    ]
    lost = int(np.maximum(so_far - members, 0).max(initial=0))
    return cohorts, lost


def follow(
    observed: Observed, scenario, size: int, horizon: int | None = None, after: str = "trend"
) -> tuple[object, list[str]]:
    """``scenario`` with intakes that follow ``observed``'s membership, and what was done.

    Unchanged (with a line saying why) when the membership is flat, the scenario has intakes
    of its own, or the organisation's head-count is neither the most members nor the most
    members plus the joiners to come (:func:`joiners_to_come`, to ``horizon``).
    """
    most = most_members(observed)
    if most is None:
        return scenario, []
    first = int(round(float(observed.membership[0])))
    if most - first <= FLAT * most:
        return scenario, []
    if scenario.workforce.intakes:
        return scenario, [
            "note: the membership grows, and the scenario's own workforce intakes are kept "
            "(the model's head-count does not follow the export)"
        ]
    horizon = int(horizon or scenario.days)
    last = int(observed.days[-1])
    rate = recent_rate(observed) if after == "trend" else 0.0
    coming = future_cohorts(rate, last, horizon)
    if size != most + sum(n for _, n in coming):
        coming = []  # an organisation given without room for the joiners to come: flat
    if size != most and not coming:
        return scenario, [
            f"note: the membership grows from {first:,} to {most:,}: the model's head-count "
            f"follows it only on an organisation of {most:,} people (--org "
            f"generate:size={most}); this one has {size:,}"
        ]
    cohorts, lost = intakes(observed)
    largest = sorted(sorted(cohorts, key=lambda c: -c.count)[:3], key=lambda c: c.day)
    later = [Intake(day=d, count=n) for d, n in coming]
    workforce = scenario.workforce.model_copy(update={"intakes": [*cohorts, *later]})
    # the run reaches the last intake: an export longer than the scenario's days lengthens it
    days = max(int(scenario.days), horizon)
    followed = scenario.model_copy(update={"workforce": workforce, "days": days})
    if later:
        after_text = (
            f"after day {last} it grows at its pace of the last {RECENT} days, {rate:.2g} a "
            f"day, to {size:,} by day {horizon - 1} (--membership-after flat to hold it)"
        )
    else:
        after_text = f"after day {last} it stays at {most:,}"
    lines = [
        f"the model's head-count follows the membership: {first:,} members on day 0, "
        f"{len(cohorts)} intake(s) to {most:,} by day {last} (the largest: "
        + ", ".join(f"day {c.day} +{c.count:,}" for c in largest)
        + f"); {after_text}"
    ]
    if scenario.rollout.strategy != "members":
        lines.append(
            f"note: the shares are of the members, and rollout {scenario.rollout.strategy!r} "
            "does not register people as they join: the rollout 'members' does "
            "(scenarios/community_launch.yaml)"
        )
    if scenario.workforce.annual_turnover > 0:
        lines.append(
            f"note: workforce.annual_turnover {scenario.workforce.annual_turnover:g}: leavers "
            "also change the model's head-count (a community's: 0)"
        )
    if lost:
        lines.append(
            f"note: the membership falls by up to {lost:,} members on some days (accounts "
            "deactivated): the model keeps them"
        )
    return followed, lines
