"""Interventions: levers that act on each day besides the rollout. One file per lever."""

from typing import Annotated

from pydantic import Field

from simulation.interventions.base import Intervention
from simulation.interventions.facilitation import Facilitation
from simulation.interventions.gamification import Gamification
from simulation.interventions.holdouts import Holdouts
from simulation.interventions.interest_communities import InterestCommunities
from simulation.interventions.jam import Jam
from simulation.interventions.mobile_app import MobileApp
from simulation.interventions.shadow_channel import ShadowChannel
from simulation.interventions.sponsorship import Sponsorship
from simulation.interventions.work_integration import WorkIntegration

AnyIntervention = Annotated[
    Facilitation
    | Sponsorship
    | MobileApp
    | ShadowChannel
    | InterestCommunities
    | WorkIntegration
    | Jam
    | Holdouts
    | Gamification,
    Field(discriminator="type"),
]

__all__ = [
    "AnyIntervention",
    "Facilitation",
    "Gamification",
    "Holdouts",
    "InterestCommunities",
    "Intervention",
    "Jam",
    "MobileApp",
    "ShadowChannel",
    "Sponsorship",
    "WorkIntegration",
]
