"""Phased waves: departments or sites brought in on given days.

The common "phase 1: head office, phase 2: the plants" rollout plan. Each wave names departments,
sites and/or levels of the reporting tree (names or roles, resolved against the organisation
before the run: :mod:`simulation.plan.names`) and either makes their people aware (an
invitation; they register by the adoption rule) or registers them (accounts created for them).
A wave's ``day`` counts from the rollout's ``start_day`` (0 unless the waves are a later phase).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from simulation.base.counts import Count
from simulation.plan.rollout.base import Rollout
from simulation.plan.selection import department_mask, site_mask


class Wave(BaseModel):
    """One wave: who, when, and whether they are invited or registered."""

    model_config = ConfigDict(extra="forbid")

    day: Count = Field(
        ge=0, le=36500, description="Day of the wave (days from the rollout's start_day)."
    )
    departments: list[str] = Field(
        default_factory=list, description="Departments in this wave (names or roles)."
    )
    sites: list[str] = Field(
        default_factory=list, description="Sites in this wave (names or roles)."
    )
    levels: list[int | str] = Field(
        default_factory=list,
        description="Levels of the reporting tree in this wave (0 = top; or roles: top, bottom).",
    )
    action: Literal["aware", "register"] = Field(
        "aware",
        description="aware: the wave is invited and registers by the adoption rule; register: "
        "accounts are created for them (registered that day). Default aware.",
    )


class Waves(Rollout):
    """People of each wave's departments or sites invited (or registered) on the wave's day."""

    strategy: Literal["waves"] = "waves"
    waves: list[Wave] = Field(
        min_length=1,
        description="The waves, e.g. [{day: 0, departments: [sales]}, {day: 60, sites: [site2]}].",
    )

    def act(self, engine, day: int) -> None:
        org = engine.org
        for wave in self.waves:
            if wave.day + self.start_day != day:
                continue
            who = np.zeros(org.size, dtype=bool)
            if wave.departments:
                who |= department_mask(org, wave.departments, "rollout.waves.departments")
            if wave.sites:
                who |= site_mask(org, wave.sites)
            if wave.levels:
                who |= np.isin(org.level, [int(level) for level in wave.levels])
            if wave.action == "register":
                engine.register(np.flatnonzero(who))
            else:
                engine.make_aware(np.flatnonzero(who))
