"""Manager nudge: a manager's post yesterday brings their direct reports to the platform today.

Managers who use the platform visibly draw their teams in: people look at what their manager
wrote (leaders as role models for the use of a new tool; Hot Spots Movement 2013, "transparent and authentic
leaders ... are invaluable"). For a registered user whose manager posted yesterday, each day in
the window (one line):

    visit_boost += nudge

It reads yesterday's posts, which phase 3 of the day (the levers, :mod:`simulation.model.day`) may
read, and reports the share of head-count nudged today as the daily column ``nudged``. This is
the worked example of ``docs/extending.md``.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from simulation.model.components import CostBasis, CostItem, EngineView, StateArray
from simulation.model.people import Stage
from simulation.plan.levers.base import Intervention
from simulation.plan.selection import team_leads

_F = np.float32


class ManagerNudge(Intervention):
    """Direct reports visit more the day after their manager posted."""

    type: Literal["manager_nudge"] = "manager_nudge"
    nudge: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Added daily visit probability 0-1 of a registered user whose manager posted "
        "yesterday. Default 0.1 (assumption).",
    )
    hours_per_week: float = Field(
        0.5,
        ge=0,
        le=60,
        description="Hours a week each manager spends posting for their team (hours/week). "
        "Priced at costs.manager_per_hour. Default 0.5 (assumption).",
    )

    run_state: ClassVar = (
        StateArray("manager", np.int64, "people"),  # one's manager (0 at the top, masked out)
        StateArray("has_manager", bool, "people"),
        StateArray("nudged", bool),  # nudged today
    )
    daily_results: ClassVar = ("nudged",)
    cost_items: ClassVar = (
        CostItem("manager_time", "managers' time", "running", "hours", "manager_per_hour"),
    )

    def prepare(self, engine: EngineView) -> None:
        state, manager = engine.state(self), engine.org.manager
        state.has_manager = manager >= 0
        state.manager = np.where(state.has_manager, manager, 0)

    def apply(self, engine: EngineView, day: int) -> None:
        engine.state(self).nudged[:] = False  # nobody is nudged outside the window
        super().apply(engine, day)

    def act(self, engine: EngineView, day: int) -> None:
        state, people = engine.state(self), engine.people
        manager_posted = people.posts_yesterday[:, state.manager] & state.has_manager
        state.nudged = manager_posted & (people.stage == Stage.REGISTERED)
        if self.nudge > 0:
            engine.today.add("visit_boost", state.nudged * _F(self.nudge))

    def daily(self, engine: EngineView) -> dict[str, np.ndarray]:
        """``nudged``: share 0-1 of head-count nudged today, per replicate."""
        return {"nudged": engine.state(self).nudged.mean(axis=1)}

    def cost_quantities(self, basis: CostBasis) -> dict[str, float]:
        """``manager_time``: every manager's hours a week while the window runs."""
        managers = int(team_leads(basis.org).sum())
        return {"manager_time": managers * self.hours_per_week * self.active_days(basis.days) / 7}
