"""Sponsorship: leaders who take part visibly, or who direct (Hot Spots Movement 2013).

"Transparent and authentic leaders, who value and act on the opinions of those working for them,
are invaluable" (Hot Spots Movement 2013): a *participative* sponsor lowers the fear of being observed in their
reporting subtree, which raises posting (fear lowers contribution, not reading). A *directive*
sponsor pushes sign-ups in the subtree and raises fear. With ``F`` a person's fear and
``w = posting.fear_weight``, for people under a sponsor (one line each):

    participative: post_factor  *= (1 - w F (1 - fear_change)) / (1 - w F)
    directive:     post_factor  *= (1 - w min(1, F (1 + fear_change))) / (1 - w F)
                   adoption_boost += directive_push   (aware people only)
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from simulation.base.counts import Count
from simulation.model.components import CostBasis, CostItem, EngineView, StateArray
from simulation.model.people import Stage
from simulation.plan.levers.base import Intervention
from simulation.plan.selection import bernoulli_rows, subtree_mask, team_leads

_F = np.float32


class Sponsorship(Intervention):
    """Executives or managers who sponsor the platform in their reporting subtrees."""

    type: Literal["sponsorship"] = "sponsorship"
    style: Literal["participative", "directive"] = Field(
        "participative",
        description="participative: sponsors post, answer and act on what they read (lowers "
        "fear); directive: sponsors order people to use it (raises sign-ups and fear). Default "
        "participative (Hot Spots Movement 2013).",
    )
    who: Literal["executives", "managers"] = Field(
        "executives",
        description="Who sponsors: executives (the top ``executive_levels`` levels of the "
        "reporting tree) or managers (everyone with direct reports). Default executives.",
    )
    executive_levels: Count = Field(
        2,
        ge=1,
        le=20,
        description="Levels of the reporting tree counted as executives (levels). Default 2 "
        "(the CEO and direct reports).",
    )
    share: float = Field(
        1.0,
        ge=0,
        le=1,
        description="Share 0-1 of the executives or managers who actually sponsor (drawn per "
        "replicate). Default 1.",
    )
    fear_change: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share 0-1 of a person's fear removed (participative) or added (directive) "
        "under a sponsor. Default 0.5 (assumption; Hot Spots Movement 2013: fear must be 'actively and "
        "continually refuted by leaders').",
    )
    directive_push: float = Field(
        0.02,
        ge=0,
        le=1,
        description="Directive only: added daily probability 0-1 that an aware person under a "
        "sponsor registers. Default 0.02 (assumption: an order gets most people to sign up "
        "within a few months).",
    )
    hours_per_week: float = Field(
        1.0,
        ge=0,
        le=60,
        description="Hours a week each sponsor spends on the platform for it: posting, answering, "
        "acting on what they read (hours/week). Priced at costs.executive_per_hour or "
        "costs.manager_per_hour. Default 1 (assumption: visible, regular participation).",
    )

    cost_items: ClassVar = (
        CostItem("sponsors", "sponsors' time", "running", "hours", "executive_per_hour"),
    )

    run_state: ClassVar = (
        StateArray("covered", bool),  # under a sponsor
        StateArray("post_factor", np.float32),  # the change of posting under a sponsor
    )

    def prepare(self, engine: EngineView) -> None:
        org, people = engine.org, engine.people
        if self.who == "executives":
            eligible = org.level < self.executive_levels
        else:
            eligible = team_leads(org)
        sponsors = bernoulli_rows(engine, "lever.sponsorship", self.share, eligible)
        covered = subtree_mask(org, sponsors)
        weight = _F(engine.scenario.posting.fear_weight)
        fear = people.fear
        if self.style == "participative":
            changed = fear * _F(1.0 - self.fear_change)
        else:
            changed = np.minimum(fear * _F(1.0 + self.fear_change), _F(1.0))
        before = _F(1.0) - weight * fear
        factor = np.divide(
            _F(1.0) - weight * changed, before, out=np.ones_like(fear), where=before > 0
        )
        state = engine.state(self)
        state.covered = covered
        state.post_factor = np.where(covered, factor, _F(1.0)).astype(_F)

    def sponsors(self, org) -> float:
        """Expected number of sponsors on ``org`` (people): ``share`` x those eligible."""
        if self.who == "executives":
            eligible = int((org.level < self.executive_levels).sum())
        else:
            eligible = int(team_leads(org).sum())
        return self.share * eligible

    def cost_quantities(self, basis: CostBasis) -> dict[str, float]:
        """``sponsors``: sponsor-hours in the window (expected sponsors x hours a week)."""
        weeks = self.active_days(basis.days) / 7.0
        return {"sponsors": self.sponsors(basis.org) * self.hours_per_week * weeks}

    def price_field(self, item: CostItem) -> str:
        """Executives' hours at ``executive_per_hour``, managers' at ``manager_per_hour``."""
        return "executive_per_hour" if self.who == "executives" else "manager_per_hour"

    def act(self, engine: EngineView, day: int) -> None:
        if self.share == 0 or (self.fear_change == 0 and self.style == "participative"):
            return
        state = engine.state(self)
        if self.fear_change > 0:
            engine.today.scale("post_factor", state.post_factor)
        if self.style == "directive" and self.directive_push > 0:
            aware = engine.people.stage == Stage.AWARE
            engine.today.add("adoption_boost", (state.covered & aware) * _F(self.directive_push))
