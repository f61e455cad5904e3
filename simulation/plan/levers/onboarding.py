"""Onboarding: new hires are told of the platform in their first week and pushed to register.

With joiners and leavers (:mod:`simulation.model.workforce`), a rollout that told everyone on day
0 never reaches the people hired after it: they hear of the platform only from their contacts.
Induction is where a new hire learns the organisation's tools and ways of working (Bauer 2010,
Onboarding New Employees: Maximizing Success, SHRM Foundation: the first days and weeks set how a
newcomer adjusts); introducing the platform there is the assumption of this lever. For an employed
holder in their first ``first_days`` days (hired on day ``h``, today ``h <= day < h +
first_days``), each day in the window (one line each):

    awareness_boost += awareness          (told of the platform: heard by the end of the day)
    adoption_boost  += registration_push  (the aware are helped to register, from the next day)

The staff there on day 0 are not new hires; the cohorts of ``workforce.intakes`` are, on their
day. Its cost is ``hours_per_hire`` of employee time per expected new hire who starts in the
window (priced at ``costs.employee_per_hour``): the expected number, so that the cost follows
from the plan, not from the random numbers.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from simulation.base.counts import Count
from simulation.model.components import CostBasis, CostItem, EngineView
from simulation.model.workforce import expected_hires
from simulation.plan.levers.base import Intervention

_F = np.float32


class Onboarding(Intervention):
    """New hires told of the platform, and helped to register, in their first days."""

    type: Literal["onboarding"] = "onboarding"
    first_days: Count = Field(
        7,
        ge=1,
        le=365,
        description="Days from a new hire's first day during which they are onboarded (days). "
        "Default 7 (the first week).",
    )
    awareness: float = Field(
        1.0,
        ge=0,
        le=1,
        description="Added daily probability 0-1 that an onboarded new hire who has not heard "
        "of the platform hears of it. Default 1 (told on the first day).",
    )
    registration_push: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Added daily probability 0-1 that an aware onboarded new hire registers "
        "(an account set up with them). Default 0.15 (assumption: about 60 % of new hires "
        "registered by the end of the first week).",
    )
    hours_per_hire: float = Field(
        1.0,
        ge=0,
        le=40,
        description="Employee hours per new hire: the platform's place in induction and the "
        "time to set up an account (hours, priced at costs.employee_per_hour). Default 1 "
        "(assumption).",
    )

    cost_items: ClassVar = (
        CostItem("onboarding", "onboarding of new hires", "running", "hours", "employee_per_hour"),
    )

    def act(self, engine: EngineView, day: int) -> None:
        people = engine.people
        since = day - people.hired_day.astype(np.int32)
        new = people.employed & (since >= 0) & (since < self.first_days)
        if not new.any():
            return
        if self.awareness > 0:
            engine.today.add("awareness_boost", new * _F(self.awareness))
        if self.registration_push > 0:
            engine.today.add("adoption_boost", new * _F(self.registration_push))

    def cost_quantities(self, basis: CostBasis) -> dict[str, float]:
        """``onboarding``: hours for the new hires expected to start in the window."""
        days = self.active_days(basis.days)
        if days == 0 or self.hours_per_hire == 0:
            return {}
        end = self.start_day + days
        hires = expected_hires(basis.scenario.workforce, basis.org.size, self.start_day, end)
        return {"onboarding": hires * self.hours_per_hire}
