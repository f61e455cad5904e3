"""Jam: a time-boxed, facilitated event tied to a company challenge (IBM Jams; Hot Spots Movement 2013).

"In our FoWlab Jams, we tend to see 50% of our target audience engaging with the conversation,
and that's just over three days" (Hot Spots Movement 2013). For the audience, on each of the ``length_days``
days from ``start_day`` (one line each):

    awareness_boost += awareness;  adoption_boost += adoption (aware people)
    visit_boost += visit;  post_factor *= posting;  reward_boost += reward
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from simulation.base.counts import Count
from simulation.model.components import CostBasis, CostItem, EngineView, StateArray
from simulation.model.people import Stage
from simulation.plan.levers.base import Intervention
from simulation.plan.selection import department_mask

_F = np.float32


class Jam(Intervention):
    """A facilitated event of a few days for all staff or some departments."""

    type: Literal["jam"] = "jam"
    length_days: Count = Field(
        3,
        ge=1,
        le=60,
        description="Length of the event (days). Default 3 (Hot Spots Movement 2013).",
    )
    audience: Literal["all"] | list[str] = Field(
        "all", description="all, or a list of department names or roles. Default all."
    )
    awareness: float = Field(
        0.9,
        ge=0,
        le=1,
        description="Added daily probability 0-1 that an unaware audience member hears of it "
        "(the event is announced and promoted). Default 0.9 (assumption).",
    )
    adoption: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Added daily probability 0-1 that an aware audience member registers to take "
        "part. Default 0.5 (assumption, tuned to Hot Spots Movement (2013)'s 50 % of the audience in 3 days).",
    )
    visit: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Added daily visit probability 0-1 of registered audience members. "
        "Default 0.5 (assumption).",
    )
    posting: float = Field(
        3.0,
        ge=1,
        le=20,
        description="Multiplier (>= 1) of posting during the event (a question everyone is "
        "asked to answer). Default 3 (assumption).",
    )
    reward: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Added reward 0-1 of a visit during the event (facilitated, purposeful "
        "conversation). Default 0.3 (assumption).",
    )
    cost_per_day: float | None = Field(
        None,
        ge=0,
        description="Cost of running this event per day: facilitators, preparation (currency "
        "units). Default none: the scenario's costs.event_per_day.",
    )

    @model_validator(mode="after")
    def _length(self):
        # the window is start_day .. start_day + length_days unless end_day says otherwise
        if self.end_day is None:
            self.end_day = self.start_day + self.length_days
        return self

    run_state: ClassVar = (StateArray("audience", bool, "people"),)
    cost_items: ClassVar = (
        CostItem(
            "events", "events (Jams)", "running", "event days", "event_per_day", "cost_per_day"
        ),
    )

    def prepare(self, engine: EngineView) -> None:
        mask = department_mask(engine.org, self.audience, "interventions.audience")
        engine.state(self).audience = mask

    def act(self, engine: EngineView, day: int) -> None:
        audience = engine.state(self).audience
        stage, effects = engine.people.stage, engine.today
        effects.add("awareness_boost", audience * _F(self.awareness))
        aware = (stage == Stage.AWARE) & audience
        effects.add("adoption_boost", aware * _F(self.adoption))
        effects.add("visit_boost", audience * _F(self.visit))
        effects.scale("post_factor", np.where(audience, _F(self.posting), _F(1.0)))
        effects.add("reward_boost", audience * _F(self.reward))

    def cost_quantities(self, basis: CostBasis) -> dict[str, float]:
        """``events``: event days within the run."""
        return {"events": float(self.active_days(basis.days))}
