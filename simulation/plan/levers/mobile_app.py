"""Mobile app launch: from ``launch_day`` staff have a true mobile app (Uncommon Business 2014 point 4).

Before the launch, frontline staff carry the high effort cost the engine applies when
``platform.mobile_app`` is false (``visits.frontline_factor``) and desk staff visit little at
weekends. On the launch day the lever replaces the engine's effort and mobile-share arrays
(``engine.set_rhythm``) by
those of a platform with an app, computed by the engine's own formula
(:func:`simulation.model.engine.visit_rhythm`), so the two can never disagree:

    effort(frontline) = 1;  effort(desk, weekend) = min(1, weekend_factor + weekend_push)
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from simulation.base.counts import Count
from simulation.model.components import MONTH_DAYS, Component, CostBasis, CostItem, EngineView


def with_app_rhythm(engine: EngineView) -> tuple[np.ndarray, np.ndarray]:
    """The engine's (effort, mobile share) arrays as if ``platform.mobile_app`` were true."""
    from simulation.model.engine import visit_rhythm

    scenario = engine.scenario
    platform = scenario.platform.model_copy(update={"mobile_app": True})
    with_app = scenario.model_copy(update={"platform": platform})
    return visit_rhythm(with_app, engine.org.frontline)


def has_app(engine: EngineView) -> bool:
    """Whether staff have a true mobile app today (frontline visits are then all mobile)."""
    return bool(engine.mobile_share[0].any())


class MobileApp(Component, BaseModel):
    """A true mobile app (push notifications) launched on ``launch_day``; once launched, it stays
    (no window of days)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["mobile_app"] = "mobile_app"
    launch_day: Count = Field(
        0,
        ge=0,
        le=36500,
        description="Day the app launches (days from day 0). Default 0.",
    )

    cost_items: ClassVar = (
        CostItem("mobile_app", "mobile app", "running", "months", "mobile_app_per_month"),
    )

    def cost_quantities(self, basis: CostBasis) -> dict[str, float]:
        """``mobile_app``: months from the launch to the end of the run; none when staff already
        have an app then (``platform.mobile_app``, priced with the platform, or an earlier
        launch: one app is paid for once)."""
        scenario = basis.scenario
        if scenario.platform.mobile_app:
            return {}
        launches = [lever for lever in scenario.interventions if isinstance(lever, MobileApp)]
        first = min(launches, key=lambda lever: lever.launch_day, default=self)
        if first is not self:
            return {}
        return {"mobile_app": max(0, basis.days - self.launch_day) / MONTH_DAYS}

    def apply(self, engine: EngineView, day: int) -> None:
        if day == self.launch_day and not has_app(engine):
            engine.set_rhythm(*with_app_rhythm(engine))
