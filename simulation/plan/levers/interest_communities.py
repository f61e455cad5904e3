"""Interest communities: people who share topics find each other (Knome at TCS, Hot Spots Movement 2013).

"Building on people's preexisting passions is a quick way to create engagement" (Hot Spots Movement 2013). Each
person gets ``interests_per_person`` of ``topics`` topics (per replicate, the lever's stream).
Once, the tie-weighted share ``C`` of each person's contacts who share at least one topic is
computed (one pass over the ties per replicate). Each day, with ``S`` the share of the
organisation registered (start of the day, per replicate):

    reward_boost += reward_weight x C x S
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from simulation.base.counts import Count
from simulation.model.components import CostBasis, CostItem, EngineView, StateArray
from simulation.plan.levers.base import Intervention

_F = np.float32


class InterestCommunities(Intervention):
    """Topic communities that make visits more rewarding for people with like-minded contacts."""

    type: Literal["interest_communities"] = "interest_communities"
    topics: Count = Field(
        12, ge=1, le=62, description="Number of topics (communities). Default 12 (assumption)."
    )
    interests_per_person: Count = Field(
        2, ge=0, le=62, description="Topics each person follows. Default 2 (assumption)."
    )
    reward_weight: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Added reward 0-1 when all of one's contacts share a topic and all were "
        "active in the last 7 days. Default 0.3 (assumption).",
    )
    setup_hours_per_topic: float = Field(
        16.0,
        ge=0,
        le=2000,
        description="Hours to set up each community, once: a page, a first programme, its "
        "leads found (hours). Priced at costs.employee_per_hour. Default 16 (assumption: two "
        "working days).",
    )
    moderation_hours_per_week: float = Field(
        2.0,
        ge=0,
        le=60,
        description="Hours a week of moderation per community: answering, prompting, removing "
        "(hours/week). Priced at costs.employee_per_hour. Default 2 (assumption).",
    )

    cost_items: ClassVar = (
        CostItem("community_setup", "communities' set-up", "set_up", "hours", "employee_per_hour"),
        CostItem(
            "community_moderation",
            "community moderation",
            "running",
            "hours",
            "employee_per_hour",
        ),
    )

    run_state: ClassVar = (StateArray("common", np.float32),)  # share of contacts sharing a topic

    def prepare(self, engine: EngineView) -> None:
        org = engine.org
        ties = engine.ties
        rows = np.repeat(np.arange(org.size), np.diff(ties.indptr))
        degree = np.bincount(rows, weights=ties.data, minlength=org.size)
        common = np.zeros(engine.people.stage.shape, dtype=_F)
        picks = min(self.interests_per_person, self.topics)
        for r, rng in enumerate(engine.streams.generators("lever.interest_communities")):
            topic = rng.random((org.size, self.topics)).argsort(axis=1)[:, :picks]
            bits = np.bitwise_or.reduce(np.left_shift(np.int64(1), topic), axis=1) if picks else 0
            bits = np.broadcast_to(np.asarray(bits, dtype=np.int64), (org.size,))
            shared = (bits[rows] & bits[ties.indices]) != 0
            weight = np.bincount(rows, weights=ties.data * shared, minlength=org.size)
            common[r] = np.divide(weight, degree, out=np.zeros(org.size), where=degree > 0)
        engine.state(self).common = common

    def cost_quantities(self, basis: CostBasis) -> dict[str, float]:
        """Set-up hours of every topic, and their moderation hours while the window runs."""
        days = self.active_days(basis.days)
        if days == 0:
            return {}
        return {
            "community_setup": self.topics * self.setup_hours_per_topic,
            "community_moderation": self.topics * self.moderation_hours_per_week * days / 7.0,
        }

    def act(self, engine: EngineView, day: int) -> None:
        if self.reward_weight == 0:
            return
        common = engine.state(self).common
        engine.today.add("reward_boost", common * engine.activity_today * _F(self.reward_weight))
