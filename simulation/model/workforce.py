"""Joiners and leavers: the organisation's people are positions, and their holders change.

Organisations lose and hire 10-20 % of their staff a year (CIPD 2013, Resourcing and Talent
Planning survey: UK labour turnover a median 12.5 % and a mean 15.6 % a year; CIPD 2002, Labour
Turnover: 18.2 % in 2001). A rollout that takes a year meets new hires who were never told and
leavers whose accounts stop counting. So the people of a run are the organisation's *positions*
(its rows: a place in the reporting tree, a team, a department, ties), and each day, at the end of
the day (phase 12 of :data:`simulation.model.day.DAY_PLAN`):

- the holder of an employed position leaves with probability ``annual_turnover / 365`` (a
  constant hazard whose expected leavers per average head-count and year is the published rate);
  the position is then vacant (stage ``vacant``: no state, no visits, not seen as a contact, not
  counted) for ``vacancy_days`` days;
- a position whose vacancy is over, or whose cohort's intake day has come, gets a new hire with a
  fresh state: never heard of the platform, not registered, no habit, no posts. The new hire
  takes the position's team, ties and traits (need, threshold, disposition to share, fear: a
  simplification, stated in docs/ODD.md).

Intakes (``intakes``) are cohorts taken in on given days: their positions are not employed from
day 0 to the day before their intake. Which positions they are is drawn once per replicate from
the ``workforce.intake`` stream. A constant daily hazard makes a holder's days in post geometric,
so each holder's last day is drawn once, when they start (day 0 for the staff already there):
``start + floor(log(1 - u) / log(1 - annual_turnover / 365))`` with ``u`` the position's
counter-based number of the ``workforce.leave`` stream on the start day
(:mod:`simulation.base.streams`). The daily pass then only compares days (no random number per
person and day), and two plans with the same seed lose the same holders on the same days as long
as those holders started on the same day under both.
"""

from __future__ import annotations

import numba
import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulation.base.counts import Count
from simulation.base.errors import ScenarioError
from simulation.base.streams import day_key, generator, uniform_at
from simulation.model.people import NEVER_VISITED, People, Stage

YEAR_DAYS = 365.0  # days in the year a turnover rate is quoted for
_NOT_DUE = np.int32(2**31 - 1)  # ``due`` when nothing is due (no leaving, no hire pending)
_VACANT, _UNAWARE = np.int8(Stage.VACANT), np.int8(Stage.UNAWARE)


class Intake(BaseModel):
    """One cohort taken in on a given day: a share of the positions or a count of them."""

    model_config = ConfigDict(extra="forbid")

    day: Count = Field(
        ...,
        ge=1,
        le=30_000,
        description="Day the cohort starts (day 0 is the launch; must be before the run's last "
        "day). Required.",
    )
    share: float | None = Field(
        None,
        gt=0,
        le=1,
        description="Share 0-1 of the organisation's positions the cohort fills (positions not "
        "employed until ``day``). Give ``share`` or ``count``. Default none.",
    )
    count: Count | None = Field(
        None,
        ge=1,
        le=10_000_000,
        description="Positions (people) the cohort fills, instead of a share. Default none.",
    )

    @model_validator(mode="after")
    def _one_size(self):
        if (self.share is None) == (self.count is None):
            raise ValueError("give one of share (0-1 of the positions) or count (people)")
        return self


class Workforce(BaseModel):
    """Joiners and leavers: turnover, vacancies and intakes (:mod:`simulation.model.workforce`)."""

    model_config = ConfigDict(extra="forbid")

    annual_turnover: float = Field(
        0.15,
        ge=0,
        le=3,
        description="Leavers per year as a share of the head-count (a rate per year, 0-3; each "
        "employed holder leaves on a day with probability annual_turnover / 365). Default 0.15 "
        "(CIPD 2013, Resourcing and Talent Planning: UK labour turnover a median 12.5 % and a "
        "mean 15.6 % a year; CIPD 2002, Labour Turnover: 18.2 % in 2001). 0 keeps the staff "
        "fixed.",
    )
    vacancy_days: Count = Field(
        42,
        ge=0,
        le=3650,
        description="Days a leaver's position stays vacant before a new hire takes it (days). "
        "Default 42 (SHRM 2016, Human Capital Benchmarking: an average time to fill of 42 days; "
        "assumption: the notice period overlaps the search).",
    )
    intakes: list[Intake] = Field(
        default_factory=list,
        description="Cohorts taken in on given days, e.g. [{day: 120, share: 0.5}]: their "
        "positions are not employed before their day. Default none.",
    )

    @model_validator(mode="after")
    def _someone_at_the_start(self):
        shares = sum(i.share for i in self.intakes if i.share is not None)
        if shares >= 1:
            raise ValueError(f"the intakes' shares add up to {shares:g}: must be below 1")
        return self

    @property
    def active(self) -> bool:
        """Whether the head-count ever changes."""
        return self.annual_turnover > 0 or bool(self.intakes)

    def check_days(self, days: int, where) -> None:
        """A :class:`ScenarioError` if an intake is on or after the run's last day ``days``.

        ``where(path)`` gives ``file:line`` of a field path (:meth:`Scenario.where`).
        """
        for k, intake in enumerate(self.intakes):
            if intake.day >= days:
                raise ScenarioError(
                    f"{where(('workforce', 'intakes', k, 'day'))}: workforce.intakes[{k}].day: "
                    f"{intake.day} is beyond the run's last day ({days - 1})"
                )


def expected_hires(workforce: Workforce, size: int, first: int, end: int) -> float:
    """The expected number of new hires who start on days ``first`` to ``end - 1`` (people).

    The intakes' cohorts on their days, and the replacements of leavers: a holder employed on day
    ``d`` leaves with probability ``annual_turnover / 365`` and is replaced ``vacancy_days + 1``
    days later (replacements of replacements are left out: a second-order term, under 1 % of
    hires at the default rates). Deterministic, for costs that follow from the plan
    (:class:`simulation.model.components.CostBasis`).
    """
    cohorts = [
        (i.day, i.count if i.count is not None else round(i.share * size))
        for i in workforce.intakes
    ]
    hires = float(sum(n for day, n in cohorts if first <= day < end))
    hazard = workforce.annual_turnover / YEAR_DAYS
    lag = workforce.vacancy_days + 1
    for day in range(max(first, lag), end):
        left = day - lag  # the day the leaver replaced today left
        employed = size - sum(n for start, n in cohorts if start > left)
        hires += hazard * employed
    return hires


class WorkforceFlow:
    """The per-run flow of one engine: who is employed, and when each vacancy is filled.

    Parameters
    ----------
    workforce : Workforce
    seeds : list of int
        One per replicate.
    keys : ndarray of uint64, (replicates,)
        The daily-draw keys of the ``workforce.leave`` decision.
    people : People
        The state it changes (``employed``, ``stage`` and the rest of a holder's state).
    where : callable
        ``where(path)``: ``file:line`` of a scenario field, for errors.
    """

    def __init__(self, workforce: Workforce, seeds, keys: np.ndarray, people: People, where):
        self.workforce = workforce
        self.keys = keys
        self.people = people
        self.hazard = float(workforce.annual_turnover / YEAR_DAYS)
        self.vacancy = int(workforce.vacancy_days)
        # per position: an employed holder's last day; a vacant position's next holder's first
        self.due = np.full(people.stage.shape, _NOT_DUE, np.int32)
        self.changed = False  # whether anyone joined or left at the end of the last day
        self._take_in_later(seeds, where)
        _draw_last_days(self.keys, 0, self.hazard, people.employed, self.due)

    def _take_in_later(self, seeds, where) -> None:
        """Positions of the intakes: not employed from day 0, due on their intake's day."""
        intakes = self.workforce.intakes
        if not intakes:
            return
        size = self.people.size
        counts = []
        for k, intake in enumerate(intakes):
            count = intake.count if intake.count is not None else round(intake.share * size)
            counts.append(int(count))
            if sum(counts) >= size:
                raise ScenarioError(
                    f"{where(('workforce', 'intakes', k))}: workforce.intakes: the cohorts "
                    f"fill {sum(counts)} of the organisation's {size} positions: nobody would be "
                    "employed on day 0"
                )
        starts = np.concatenate([[0], np.cumsum(counts)])
        for r, seed in enumerate(seeds):
            order = generator(seed, "workforce.intake").permutation(size)
            for k, intake in enumerate(intakes):
                chosen = order[starts[k] : starts[k + 1]]
                self.due[r, chosen] = intake.day
        later = self.due != _NOT_DUE
        self.people.employed[later] = False
        self.people.stage[later] = _VACANT

    def step(self, day: int) -> bool:
        """At the end of ``day``: leavers go, due positions get new hires (from ``day + 1``).

        Returns whether anyone left or joined.
        """
        p = self.people
        moved = _flow(
            day, self.keys, self.hazard, self.vacancy, self.due, p.employed, p.hired_day, p.stage,
            p.habit, p.last_visit, p.registered_day, p.posts_today, p.posts_yesterday,
            p.week_posts, p.post_ring, p.total_posts,
        )  # fmt: skip
        self.changed = bool(moved)
        return self.changed


@numba.njit(inline="always")
def _last_day(key, start, person, hazard):
    """The last day in post of a holder who starts on ``start`` (days in post are geometric with
    the daily ``hazard``); :data:`_NOT_DUE` if nobody leaves."""
    if hazard <= 0.0:
        return _NOT_DUE
    u = np.float64(uniform_at(day_key(key, start), person))
    stay = np.floor(np.log1p(-u) / np.log1p(-hazard))
    return np.int32(min(start + stay, 2.0**31 - 2))


@numba.njit(cache=True, nogil=True)
def _draw_last_days(keys, start, hazard, employed, due):
    """The last days of the holders employed on day ``start`` (the staff there on day 0)."""
    for r in range(employed.shape[0]):
        for i in range(employed.shape[1]):
            if employed[r, i]:
                due[r, i] = _last_day(keys[r], start, i, hazard)


@numba.njit(cache=True, nogil=True)
def _flow(
    day, keys, hazard, vacancy, due, employed, hired_day, stage, habit, last_visit,
    registered_day, posts_today, posts_yesterday, week_posts, post_ring, total_posts,
):  # fmt: skip
    """One end of day's leavers and joiners in place; returns how many positions changed."""
    start = day + 1  # a new hire's first day, and a leaver's first day away
    changed = 0
    for r in range(stage.shape[0]):
        for i in range(stage.shape[1]):
            if employed[r, i]:
                if due[r, i] > day:  # not their last day
                    continue
                # the holder leaves: their account stops counting, their ties go (code 0)
                employed[r, i] = False
                stage[r, i] = _VACANT
                habit[r, i] = 0.0
                last_visit[r, i] = NEVER_VISITED
                registered_day[r, i] = -1
                posts_today[r, i] = 0
                posts_yesterday[r, i] = False
                week_posts[r, i] = 0
                for slot in range(post_ring.shape[0]):
                    post_ring[slot, r, i] = 0
                total_posts[r, i] = 0
                due[r, i] = start + vacancy
                changed += 1
            if due[r, i] <= start:
                # a new hire, fresh: the leaver's state was cleared when they left
                employed[r, i] = True
                stage[r, i] = _UNAWARE
                hired_day[r, i] = start
                due[r, i] = _last_day(keys[r], start, i, hazard)
                changed += 1
    return changed
