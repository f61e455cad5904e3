"""Facilitation: community managers who introduce people and re-engage those at risk (Hot Spots Movement 2013).

"You need someone facilitating interactions. Someone to introduce them to others and reveal
common interests they can talk about" (Hot Spots Movement 2013). Each day, ``community_managers x
introductions_per_day`` people at most are picked among those at risk: lapsed within
``lapsed_within_days`` (first), newcomers (registered within ``newcomer_days``) and registered
users whose habit is under ``at_risk_below``, lowest habit first, ties broken at random by the
lever's own stream. A picked person gets (one line each):

    visit_boost  += introduction_visit        (the introduction brings them to the platform)
    reward_boost += reward_per_introduction   (someone with common interests to talk to)
    return_boost += return_chance             (lapsed: a personal invitation back)

Capacity is finite, so the effect saturates once every person at risk is reached each day.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numba
import numpy as np
from pydantic import Field

from simulation.base.counts import Count
from simulation.base.streams import day_key, uniform_at
from simulation.model.components import CostBasis, CostItem, EngineView, StateArray
from simulation.model.people import Stage
from simulation.plan.levers.base import Intervention

_F = np.float32
_REGISTERED, _LAPSED = np.int8(Stage.REGISTERED), np.int8(Stage.LAPSED)


class Facilitation(Intervention):
    """Community managers with a daily capacity of introductions."""

    type: Literal["facilitation"] = "facilitation"
    community_managers: Count = Field(
        2,
        ge=0,
        le=100_000,
        description="Community managers (people). Default 2 (Hot Spots Movement 2013).",
    )
    introductions_per_day: Count = Field(
        15,
        ge=0,
        le=10_000,
        description="People each manager reaches per day (people/day). Default 15 (assumption: "
        "a few minutes per personal introduction or re-engagement message).",
    )
    at_risk_below: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Habit level 0-1 under which a registered user counts as at risk. Default 0.3 "
        "(assumption: a little above habit.lapse_below, to act before people lapse).",
    )
    newcomer_days: Count = Field(
        14,
        ge=0,
        le=365,
        description="Days after registering a user counts as a newcomer. Default 14.",
    )
    lapsed_within_days: Count = Field(
        30,
        ge=0,
        le=3650,
        description="A lapsed user whose last visit is within this many days can be re-engaged "
        "(days). Default 30 (assumption: older lapses no longer answer).",
    )
    introduction_visit: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Added visit probability 0-1 on the day of an introduction. Default 0.5 "
        "(assumption: about half of personal notifications are opened the same day).",
    )
    reward_per_introduction: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Added reward 0-1 of a visit on the day of an introduction (a conversation "
        "with someone who shares an interest). Default 0.5 (assumption).",
    )
    return_chance: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Added probability 0-1 that a picked lapsed user comes back that day. "
        "Default 0.3 (assumption).",
    )
    cost_per_manager_day: float | None = Field(
        None,
        ge=0,
        description="Cost of one community manager for one day (currency units), for this lever "
        "only. Default none: the scenario's costs.community_manager_per_day.",
    )

    run_state: ClassVar = (StateArray("load", np.float64, "replicate"),)
    daily_results: ClassVar = ("facilitator_load",)
    cost_items: ClassVar = (
        CostItem(
            "community_managers",
            "community managers",
            "running",
            "manager-days",
            price="community_manager_per_day",
            override="cost_per_manager_day",
        ),
    )

    @property
    def capacity(self) -> int:
        """People reached per day at most."""
        return self.community_managers * self.introductions_per_day

    def facilitating(self, day: int) -> bool:
        """Facilitating conditions (for the utility adoption rule): managers at work today."""
        return self.active(day) and self.capacity > 0

    def act(self, engine: EngineView, day: int) -> None:
        state = engine.state(self)
        state.load = np.zeros(engine.replicates)
        if self.capacity == 0:
            return
        people = engine.people
        chosen = np.zeros(people.stage.shape, dtype=bool)
        _pick(
            people.stage, people.habit, people.last_visit, people.registered_day,
            engine.streams.keys("lever.facilitation"), day, self.capacity,
            self.lapsed_within_days, self.newcomer_days, _F(self.at_risk_below), chosen,
        )  # fmt: skip
        state.load = chosen.sum(axis=1).astype(np.float64)
        registered = people.stage == Stage.REGISTERED
        effects = engine.today
        effects.add("visit_boost", (chosen & registered) * _F(self.introduction_visit))
        effects.add("reward_boost", chosen * _F(self.reward_per_introduction))
        effects.add("return_boost", (chosen & ~registered) * _F(self.return_chance))

    def daily(self, engine: EngineView) -> dict[str, np.ndarray]:
        """``facilitator_load``: people reached today, per replicate."""
        return {"facilitator_load": engine.state(self).load}

    def cost_quantities(self, basis: CostBasis) -> dict[str, float]:
        """``community_managers``: manager-days in the window (managers x active days)."""
        return {"community_managers": float(self.community_managers * self.active_days(basis.days))}


@numba.njit(cache=True, nogil=True)
def _pick(
    stage, habit, last_visit, registered_day, keys, day, capacity, within, newcomer, below, out
):
    """Mark in ``out`` the ``capacity`` people at risk with the lowest keys, per replicate.

    At risk: lapsed with a visit within ``within`` days (key -1), newcomers and registered users
    under ``below`` (key: their habit); plus 1e-3 x the person's number of the day from the
    ``lever.facilitation`` stream (random tie-break). One pass keeps the current best
    ``capacity`` (a bounded selection), so the cost follows the people, not the ranking.
    """
    for r in range(stage.shape[0]):
        today = day_key(keys[r], day)
        best = np.full(capacity, np.inf)
        who = np.full(capacity, -1)
        worst, worst_key = 0, np.inf
        for i in range(stage.shape[1]):
            s = stage[r, i]
            lapsed = s == _LAPSED and last_visit[r, i] > day - within
            if not lapsed:
                if s != _REGISTERED:
                    continue
                if registered_day[r, i] <= day - newcomer and habit[r, i] >= below:
                    continue
            key = (-1.0 if lapsed else np.float64(habit[r, i])) + 1e-3 * uniform_at(today, i)
            if key < worst_key:
                best[worst], who[worst] = key, i
                worst = np.argmax(best)
                worst_key = best[worst]
        for n in who:
            if n >= 0:
                out[r, n] = True
