"""Random seeding: a number of people chosen at random register on the launch day.

The baseline against which targeted seeding (hubs, enthusiasts) is judged (Hinz et al. 2011).
Everyone else hears of the platform by word of mouth from registered contacts.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from simulation.base.counts import Count
from simulation.model.components import EngineView
from simulation.plan.rollout.base import Rollout
from simulation.plan.selection import random_people


class RandomSeeds(Rollout):
    """``seeds`` people chosen at random (per replicate) register on ``start_day``."""

    strategy: Literal["random_seeds"] = "random_seeds"
    seeds: Count = Field(50, ge=1, le=10_000_000, description="People seeded (registered).")

    def act(self, engine: EngineView, day: int) -> None:
        if day == self.start_day:
            engine.register(random_people(engine, "rollout.random_seeds", self.seeds))
