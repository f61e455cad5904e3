"""Interventions: levers that act on each day besides the rollout. One file per lever.

To add a lever: write its file (a subclass of :class:`Intervention` with a ``type`` tag) and add
its class to :data:`LEVERS` (``docs/extending.md``).
"""

from typing import Annotated, Union

from pydantic import Field

from simulation.interventions.base import Intervention
from simulation.interventions.facilitation import Facilitation
from simulation.interventions.gamification import Gamification
from simulation.interventions.holdouts import Holdouts
from simulation.interventions.interest_communities import InterestCommunities
from simulation.interventions.jam import Jam
from simulation.interventions.manager_nudge import ManagerNudge
from simulation.interventions.mobile_app import MobileApp
from simulation.interventions.shadow_channel import ShadowChannel
from simulation.interventions.sponsorship import Sponsorship
from simulation.interventions.work_integration import WorkIntegration

#: the registry: every lever a scenario's ``interventions:`` may name (by its ``type``)
LEVERS = (
    Facilitation,
    Sponsorship,
    MobileApp,
    ShadowChannel,
    InterestCommunities,
    WorkIntegration,
    Jam,
    Holdouts,
    Gamification,
    ManagerNudge,
)

AnyIntervention = Annotated[Union[LEVERS], Field(discriminator="type")]  # noqa: UP007

__all__ = [
    "LEVERS",
    "AnyIntervention",
    "Facilitation",
    "Gamification",
    "Holdouts",
    "InterestCommunities",
    "Intervention",
    "Jam",
    "ManagerNudge",
    "MobileApp",
    "ShadowChannel",
    "Sponsorship",
    "WorkIntegration",
]
