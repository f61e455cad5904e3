"""Gamification: points and badges raise visits for a while (Uncommon Business 2014 point 3).

The lift is novelty, not value: it decays exponentially from ``start_day`` and builds no reward
of its own, so without real value it does not hold use. For registered users on day ``d`` in the
window (one line):

    visit_boost += lift x 0.5 ** ((d - start_day) / half_life_days)
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from simulation.model.components import MONTH_DAYS, CostBasis, CostItem, EngineView
from simulation.plan.levers.base import Intervention


class Gamification(Intervention):
    """Points and badges: a fading lift of the visit probability."""

    type: Literal["gamification"] = "gamification"
    lift: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Added daily visit probability 0-1 on the first day. Default 0.15 "
        "(assumption).",
    )
    half_life_days: float = Field(
        14.0,
        gt=0,
        le=3650,
        description="Days for the lift to halve (days). Default 14 (assumption: badges lose "
        "their appeal within weeks; Hamari et al. 2014 report novelty effects).",
    )

    cost_items: ClassVar = (
        CostItem(
            "gamification_setup", "gamification set-up", "set_up", "set-ups", "gamification_setup"
        ),
        CostItem(
            "gamification", "gamification add-on", "running", "months", "gamification_per_month"
        ),
    )

    def cost_quantities(self, basis: CostBasis) -> dict[str, float]:
        """One set-up, and the add-on's months while the window runs."""
        days = self.active_days(basis.days)
        if days == 0:
            return {}
        return {"gamification_setup": 1.0, "gamification": days / MONTH_DAYS}

    def act(self, engine: EngineView, day: int) -> None:
        if self.lift == 0:
            return
        lift = self.lift * 0.5 ** ((day - self.start_day) / self.half_life_days)
        engine.today.add("visit_boost", np.float32(lift))
