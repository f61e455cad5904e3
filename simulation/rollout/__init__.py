"""Rollout strategies: who is invited or registered, and when. One file per strategy."""

import operator
from functools import reduce
from typing import Annotated

from pydantic import Field

from simulation.rollout.announcement import Announcement
from simulation.rollout.base import Rollout
from simulation.rollout.cascade import Cascade
from simulation.rollout.champions import Champions
from simulation.rollout.grassroots import Grassroots
from simulation.rollout.hub_seeding import HubSeeding
from simulation.rollout.mandate import Mandate
from simulation.rollout.phases import STRATEGIES, Phases
from simulation.rollout.pilot import Pilot
from simulation.rollout.random_seeds import RandomSeeds
from simulation.rollout.waves import Wave, Waves

RolloutStrategy = Annotated[
    reduce(operator.or_, (*STRATEGIES, Phases)), Field(discriminator="strategy")
]

__all__ = [
    "Announcement",
    "Cascade",
    "Champions",
    "Grassroots",
    "HubSeeding",
    "Mandate",
    "Phases",
    "Pilot",
    "RandomSeeds",
    "Rollout",
    "RolloutStrategy",
    "Wave",
    "Waves",
]
