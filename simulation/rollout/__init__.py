"""Rollout strategies: who is invited or registered, and when. One file per strategy."""

from typing import Annotated

from pydantic import Field

from simulation.rollout.announcement import Announcement
from simulation.rollout.base import Rollout
from simulation.rollout.champions import Champions
from simulation.rollout.random_seeds import RandomSeeds

RolloutStrategy = Annotated[Announcement | RandomSeeds | Champions, Field(discriminator="strategy")]

__all__ = ["Announcement", "Champions", "RandomSeeds", "Rollout", "RolloutStrategy"]
