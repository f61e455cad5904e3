"""Mobile app launch: from ``launch_day`` staff have a true mobile app (seed 002 point 4).

Before the launch, frontline staff carry the high effort cost the engine applies when
``platform.mobile_app`` is false (``visits.frontline_factor``) and desk staff visit little at
weekends. On the launch day the lever replaces the engine's effort and mobile-share arrays by
those of a platform with an app, computed by the engine's own formula
(:func:`simulation.engine.visit_rhythm`), so the two can never disagree:

    effort(frontline) = 1;  effort(desk, weekend) = min(1, weekend_factor + weekend_push)
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from simulation.interventions.base import Intervention


def with_app_rhythm(engine) -> tuple[np.ndarray, np.ndarray]:
    """The engine's (effort, mobile share) arrays as if ``platform.mobile_app`` were true."""
    from simulation.engine import visit_rhythm

    scenario = engine.scenario
    platform = scenario.platform.model_copy(update={"mobile_app": True})
    with_app = scenario.model_copy(update={"platform": platform})
    return visit_rhythm(with_app, engine.org.frontline)


def has_app(engine) -> bool:
    """Whether staff have a true mobile app today (frontline visits are then all mobile)."""
    return bool(engine.mobile_share[0].any())


class MobileApp(Intervention):
    """A true mobile app (push notifications) launched on ``launch_day``."""

    type: Literal["mobile_app"] = "mobile_app"
    launch_day: int = Field(
        0,
        ge=0,
        le=36500,
        description="Day the app launches (days from day 0). Default 0. ``start_day`` and "
        "``end_day`` are not used: an app, once launched, stays.",
    )

    def apply(self, engine, day: int) -> None:
        if day == self.launch_day and not has_app(engine):
            engine.effort, engine.mobile_share = with_app_rhythm(engine)
