"""Interventions: levers that act on each day besides the rollout. One file per lever.

To add a lever: write its file (a subclass of :class:`Intervention` with a ``type`` tag) and add
its class to :data:`LEVERS` (``docs/extending.md``).
"""

from typing import Annotated, Union

from pydantic import Field

from simulation.plan.levers.base import Intervention
from simulation.plan.levers.facilitation import Facilitation
from simulation.plan.levers.gamification import Gamification
from simulation.plan.levers.holdouts import Holdouts
from simulation.plan.levers.interest_communities import InterestCommunities
from simulation.plan.levers.jam import Jam
from simulation.plan.levers.manager_nudge import ManagerNudge
from simulation.plan.levers.mobile_app import MobileApp
from simulation.plan.levers.onboarding import Onboarding
from simulation.plan.levers.shadow_channel import ShadowChannel
from simulation.plan.levers.sponsorship import Sponsorship
from simulation.plan.levers.work_integration import WorkIntegration

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
    Onboarding,
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
    "Onboarding",
    "ShadowChannel",
    "Sponsorship",
    "WorkIntegration",
]
