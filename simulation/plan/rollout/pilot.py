"""Targeted pilot: one use case in a few teams, tied to a business tool.

"Social Enterprise Is Not Living Up To Its Promise" (a web article; docs/ODD.md section 9):
"targeted tools that companies and their employees pick and choose to bring social techniques to
specific projects and use cases may still find success"; Uncommon Business 2014 point 1: people
need a reason to use it in their daily work. ``teams`` managers' teams (manager and direct
reports) in the named departments register on ``start_day``, and for them the platform carries
part of their work from then on: each day, pilot members get

    visit_boost  += work_share
    reward_boost += reward.work_weight x work_share

Everyone else hears of it by word of mouth.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from simulation.base.counts import Count
from simulation.model.components import EngineView, StateArray
from simulation.plan.rollout.base import Rollout
from simulation.plan.selection import department_mask, team_leads, team_mask


class Pilot(Rollout):
    """``teams`` teams in ``departments`` register on ``start_day`` with a work integration."""

    strategy: Literal["pilot"] = "pilot"
    teams: Count = Field(
        5,
        ge=1,
        le=100_000,
        description="Number of managers' teams (manager plus direct reports; without reporting "
        "lines, a person and their contacts in their department) in the pilot. "
        "Default 5 (assumption: a pilot of a few dozen people).",
    )
    departments: list[str] = Field(
        default_factory=lambda: ["commercial"],
        min_length=1,
        description="Departments the pilot teams are drawn from (at random per replicate among "
        "their managers; names or roles). Default the role commercial: sales where the "
        "organisation has it (a CRM use case, Uncommon Business 2014 point 1).",
    )
    work_share: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Added share 0-1 of pilot members' daily work carried by the platform: added "
        "to their daily visit probability and, times reward.work_weight, to each visit's reward. "
        "Default 0.3 (assumption: one business process moved onto the platform).",
    )

    run_state: ClassVar = (StateArray("members", bool),)  # the pilot teams, their managers included

    def prepare(self, engine: EngineView) -> None:
        org = engine.org
        eligible = team_leads(org, department_mask(org, self.departments, "rollout.departments"))
        pool = np.flatnonzero(eligible)
        bosses = np.zeros(engine.people.stage.shape, dtype=bool)
        gens = engine.streams.generators("rollout.pilot")
        for row, rng in zip(bosses, gens, strict=True):
            row[rng.choice(pool, size=min(self.teams, pool.size), replace=False)] = True
        engine.state(self).members = team_mask(org, bosses) | bosses

    def act(self, engine: EngineView, day: int) -> None:
        if day < self.start_day:
            return
        members = engine.state(self).members
        if day == self.start_day:
            engine.register(members)
        if self.work_share > 0:
            boost = members * np.float32(self.work_share)
            engine.today.add("visit_boost", boost)
            engine.today.add("reward_boost", boost * np.float32(engine.scenario.reward.work_weight))
