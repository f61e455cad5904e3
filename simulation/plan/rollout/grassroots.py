"""Grassroots: enthusiasts in the departments most open to social tools start it.

Uncommon Business 2014 ("Why Enterprise Social Networking Fails", point 2): "there are
individuals and departments in your company, typically sales, marketing and IT, who are very
open to social tools: tap into their knowledge and enthusiasm first". ``seeds_per_department``
people of each named department register on ``start_day``; invitations then spread along
informal ties by word of mouth (the engine's awareness step). Enthusiasts are the people with
the highest disposition to share (the ``sharing`` trait, drawn per replicate), or people drawn
at random per replicate.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from simulation.base.counts import Count
from simulation.plan.rollout.base import Rollout
from simulation.plan.selection import department_mask


class Grassroots(Rollout):
    """``seeds_per_department`` enthusiasts of each open department register on ``start_day``."""

    strategy: Literal["grassroots"] = "grassroots"
    departments: list[str] = Field(
        default_factory=lambda: ["open_to_social"],
        min_length=1,
        description="Departments whose enthusiasts are seeded (names or roles). Default the "
        "role open_to_social: sales, marketing and IT where the organisation has them "
        "(assumption: the functions practitioners find most open to social tools).",
    )
    seeds_per_department: Count = Field(
        5,
        ge=1,
        le=100_000,
        description="People seeded (registered) per department. Default 5 (assumption: a "
        "handful of volunteers per department).",
    )
    choose: Literal["enthusiasts", "random"] = Field(
        "enthusiasts",
        description="enthusiasts: highest disposition to share; random: drawn per replicate. "
        "Default enthusiasts.",
    )

    def seeds(self, engine) -> np.ndarray:
        """Bool (replicates, people): the seeded people of each replicate."""
        org = engine.org
        open_people = department_mask(org, self.departments, "rollout.departments")
        chosen = np.zeros(engine.people.stage.shape, dtype=bool)
        gens = engine.streams.generators("rollout.grassroots")
        for code in np.unique(org.department[open_people]):
            members = np.flatnonzero(org.department == code)
            count = min(self.seeds_per_department, members.size)
            for r, rng in enumerate(gens):
                if self.choose == "enthusiasts":
                    score = engine.people.sharing[r, members]
                    picked = members[np.argsort(-score, kind="stable")[:count]]
                else:
                    picked = rng.choice(members, size=count, replace=False)
                chosen[r, picked] = True
        return chosen

    def act(self, engine, day: int) -> None:
        if day == self.start_day:
            engine.register(self.seeds(engine))
