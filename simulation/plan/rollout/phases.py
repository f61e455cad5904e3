"""Phases: several rollouts in one plan, e.g. a pilot in one department, then waves.

Written in a scenario as a list, ``rollout: [{strategy: pilot, ...}, {strategy: waves,
start_day: 60, ...}]``, or as ``{strategy: phases, phases: [...]}``. Each phase is an ordinary
rollout strategy with its own ``start_day`` (a wave's ``day`` counts from its phase's
``start_day``); every day the phases act in the order written. A plan of one phase gives exactly
the results of that rollout on its own: the phase draws from the same random streams and is
called at the same points of the day.
"""

from __future__ import annotations

import operator
from functools import reduce
from typing import Annotated, Literal

from pydantic import Field, model_validator

from simulation.plan.rollout.announcement import Announcement
from simulation.plan.rollout.base import Rollout
from simulation.plan.rollout.cascade import Cascade
from simulation.plan.rollout.champions import Champions
from simulation.plan.rollout.grassroots import Grassroots
from simulation.plan.rollout.hub_seeding import HubSeeding
from simulation.plan.rollout.mandate import Mandate
from simulation.plan.rollout.members import Members
from simulation.plan.rollout.pilot import Pilot
from simulation.plan.rollout.random_seeds import RandomSeeds
from simulation.plan.rollout.waves import Waves

#: every single strategy, in the schema's order; ``RolloutStrategy`` adds ``Phases`` to them
STRATEGIES = (
    Announcement,
    RandomSeeds,
    Champions,
    Mandate,
    Cascade,
    Grassroots,
    Pilot,
    HubSeeding,
    Waves,
    Members,
)
Phase = Annotated[reduce(operator.or_, STRATEGIES), Field(discriminator="strategy")]


class Phases(Rollout):
    """The phases of a rollout, each acting from its own ``start_day``, in the order written."""

    strategy: Literal["phases"] = "phases"
    phases: list[Phase] = Field(
        min_length=1,
        max_length=50,
        description="The rollout strategies, in order, each with its own start_day (days).",
    )

    @model_validator(mode="after")
    def _own_start_days(self):
        if self.start_day != 0:
            raise ValueError("start_day: give each phase its own start_day instead")
        return self

    def prepare(self, engine) -> None:
        for phase in self.phases:
            prepare = getattr(phase, "prepare", None)
            if prepare is not None:
                prepare(engine)

    def act(self, engine, day: int) -> None:
        for phase in self.phases:
            phase.act(engine, day)


def as_phases(value: object) -> object:
    """A scenario's ``rollout:`` list as the mapping of :class:`Phases` (others unchanged)."""
    if isinstance(value, list):
        return {"strategy": "phases", "phases": value}
    return value
