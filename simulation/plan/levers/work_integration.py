"""Work integration: a business process moves onto the platform from ``start_day`` (Uncommon Business 2014).

"The second generation of ESNs ... integrating sales, planning, communication and HR tools ...
giving your employees a reason to use it on a daily basis" (Uncommon Business 2014 point 1). For the audience,
each day in the window (one line):

    visit_boost += share;  reward_boost += reward.work_weight x share
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from simulation.model.components import MONTH_DAYS, CostBasis, CostItem, EngineView, StateArray
from simulation.plan.levers.base import Intervention
from simulation.plan.selection import department_mask

_F = np.float32


class WorkIntegration(Intervention):
    """An added share of daily work carried by the platform."""

    type: Literal["work_integration"] = "work_integration"
    share: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Added share 0-1 of daily work the platform carries. Default 0.2 "
        "(assumption: one business tool, e.g. project or document management, integrated).",
    )
    departments: list[str] = Field(
        default_factory=list,
        description="Departments concerned (names or roles); empty: everyone. Default everyone.",
    )
    training_hours: float = Field(
        1.0,
        ge=0,
        le=200,
        description="Hours of training per person concerned, once, to work the integrated "
        "process on the platform (hours). Priced at costs.employee_per_hour. Default 1 "
        "(assumption: one short session per person).",
    )

    cost_items: ClassVar = (
        CostItem("integration_build", "integration build", "set_up", "builds", "integration_build"),
        CostItem(
            "integration_upkeep",
            "integration upkeep",
            "running",
            "months",
            "integration_upkeep_per_month",
        ),
        CostItem("training", "training", "set_up", "hours", "employee_per_hour"),
    )

    run_state: ClassVar = (StateArray("boost", np.float32, "people"),)  # added share of work

    def prepare(self, engine: EngineView) -> None:
        mask = department_mask(engine.org, self.departments, "interventions.departments")
        engine.state(self).boost = (mask * _F(self.share)).astype(_F)

    def cost_quantities(self, basis: CostBasis) -> dict[str, float]:
        """One build and its upkeep while the window runs, and the training of those concerned
        (nothing when the lever carries no work or starts after the run)."""
        days = self.active_days(basis.days)
        if self.share == 0 or days == 0:
            return {}
        people = int(
            department_mask(basis.org, self.departments, "interventions.departments").sum()
        )
        return {
            "integration_build": 1.0,
            "integration_upkeep": days / MONTH_DAYS,
            "training": people * self.training_hours,
        }

    def act(self, engine: EngineView, day: int) -> None:
        if self.share == 0:
            return
        boost = engine.state(self).boost
        engine.today.add("visit_boost", boost)
        engine.today.add("reward_boost", boost * _F(engine.scenario.reward.work_weight))
