"""Announcement: everyone hears of the platform on the launch day; nobody is made to register.

The plainest launch: an all-staff message on ``start_day`` makes everyone aware, and each person
then registers by the adoption rule. Used by the Bass-limit check and the ebb check.
"""

from __future__ import annotations

from typing import Literal

from simulation.model.components import EngineView
from simulation.plan.rollout.base import Rollout


class Announcement(Rollout):
    """Everyone aware on ``start_day``."""

    strategy: Literal["announcement"] = "announcement"

    def act(self, engine: EngineView, day: int) -> None:
        if day == self.start_day:
            engine.make_aware(slice(None))
