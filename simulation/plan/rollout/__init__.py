"""Rollout strategies: who is invited or registered, and when. One file per strategy."""

import operator
from functools import reduce
from typing import Annotated

from pydantic import Field

from simulation.plan.rollout.announcement import Announcement
from simulation.plan.rollout.base import Rollout
from simulation.plan.rollout.cascade import Cascade
from simulation.plan.rollout.champions import Champions
from simulation.plan.rollout.grassroots import Grassroots
from simulation.plan.rollout.hub_seeding import HubSeeding
from simulation.plan.rollout.mandate import Mandate
from simulation.plan.rollout.members import Members
from simulation.plan.rollout.phases import STRATEGIES, Phases
from simulation.plan.rollout.pilot import Pilot
from simulation.plan.rollout.random_seeds import RandomSeeds
from simulation.plan.rollout.waves import Wave, Waves

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
    "Members",
    "Phases",
    "Pilot",
    "RandomSeeds",
    "Rollout",
    "RolloutStrategy",
    "Wave",
    "Waves",
]
