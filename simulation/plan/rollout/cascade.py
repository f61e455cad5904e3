"""Top-down cascade: registration required level by level, executives first.

Level 0 (the top of the reporting tree) on ``start_day``, level k on ``start_day + k x
days_between_levels``: the classic "leaders first, then their teams" rollout that vendors
recommend and Uncommon Business 2014 (point 2) doubts. Each level's announcement works like a mandate's
(:meth:`simulation.plan.rollout.base.Required.require`, set by ``announced_by``).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from simulation.base.counts import Count
from simulation.model.components import EngineView
from simulation.plan.rollout.base import ANNOUNCED_BY_DESCRIPTION, RELUCTANCE_DESCRIPTION, Required


class Cascade(Required):
    """One level of the reporting tree every ``days_between_levels`` days, top first."""

    strategy: Literal["cascade"] = "cascade"
    days_between_levels: Count = Field(
        14,
        ge=1,
        le=365,
        description="Days between two levels' announcements (days). Default 14 (assumption: "
        "each layer of managers takes about two weeks to brief the next).",
    )
    announced_by: Literal["ceo", "it", "peers"] = Field("ceo", description=ANNOUNCED_BY_DESCRIPTION)
    reluctance: float = Field(0.088, ge=0, le=1, description=RELUCTANCE_DESCRIPTION)

    def act(self, engine: EngineView, day: int) -> None:
        offset = day - self.start_day
        if offset >= 0 and offset % self.days_between_levels == 0:
            level = offset // self.days_between_levels
            in_level = engine.org.level == level
            if in_level.any():
                target = np.broadcast_to(in_level, engine.people.stage.shape)
                self.require(engine, target, "rollout.cascade")
        self.after_effects(engine, day)
