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

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from simulation.model.components import Component, EngineView


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
    launch_day: int = Field(
        0,
        ge=0,
        le=36500,
        description="Day the app launches (days from day 0). Default 0.",
    )

    def apply(self, engine: EngineView, day: int) -> None:
        if day == self.launch_day and not has_app(engine):
            engine.set_rhythm(*with_app_rhythm(engine))
