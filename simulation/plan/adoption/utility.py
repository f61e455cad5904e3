"""Utility rule (UTAUT; Venkatesh et al. 2003): a logistic of the four acceptance factors.

Daily probability that an aware person registers:

    P = rate x logistic(intercept + performance x (work_integration + E)
                        - effort x X + social x M + facilitation x F)

``E`` is exposure (the tie-weighted share of one's contacts who are registered users: the network
effect on usefulness, 'Social enterprise is not living up to its promise'), ``X`` the effort cost of a visit (1 minus the engine's weekday
effort multiplier: high for frontline staff without a true mobile app), ``M`` 1 if one's manager
is a registered user (social influence), ``F`` 1 on days when a component provides facilitating
conditions (community managers at work: ``Component.facilitating``). Weights are assumptions scaled so that the rule's daily rates match the
threshold rule's: about 0.5 % a day with no contacts registered, ~10 % with most registered.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from simulation.model.components import Component, EngineView
from simulation.model.people import Stage

_F = np.float32


class Utility(Component, BaseModel):
    """UTAUT-style logistic adoption rule."""

    model_config = ConfigDict(extra="forbid")

    rule: Literal["utility"] = "utility"
    rate: float = Field(
        0.15,
        gt=0,
        le=1,
        description="Daily registration probability 0-1 at utility far above zero. Default 0.15 "
        "(as the threshold rule's rate: people act within a week or so).",
    )
    intercept: float = Field(
        -4.0,
        ge=-20,
        le=20,
        description="Utility with no usefulness, effort, influence or help (logit). Default -4 "
        "(assumption: ~0.3 % a day for a person with no registered contacts).",
    )
    performance: float = Field(
        5.0,
        ge=0,
        le=50,
        description="Weight of performance expectancy: work integration plus exposure (logit per "
        "unit share). Default 5 (assumption; UTAUT's strongest factor, Venkatesh et al. 2003).",
    )
    effort: float = Field(
        2.0,
        ge=0,
        le=50,
        description="Weight of effort expectancy: the effort cost 0-1 of a visit (logit per "
        "unit). Default 2 (assumption).",
    )
    social: float = Field(
        1.0,
        ge=0,
        le=50,
        description="Weight of social influence: one's manager is a registered user (logit). "
        "Default 1 (assumption).",
    )
    facilitation: float = Field(
        0.5,
        ge=0,
        le=50,
        description="Weight of facilitating conditions: a facilitation lever is active (logit). "
        "Default 0.5 (assumption).",
    )

    def probability(self, engine: EngineView, exposure: np.ndarray) -> np.ndarray:
        """Daily registration probability of each aware person, shape (replicates, people)."""
        stage, manager = engine.people.stage, engine.org.manager
        has_boss = manager >= 0
        boss_registered = np.zeros(stage.shape, dtype=_F)
        boss_registered[:, has_boss] = stage[:, manager[has_boss]] == Stage.REGISTERED
        effort_cost = _F(1.0) - engine.effort[0]
        utility = exposure + _F(engine.scenario.platform.work_integration)
        utility *= _F(self.performance)
        facilitated = 1.0 if engine.facilitated(engine.day) else 0.0
        utility += _F(self.intercept + self.facilitation * facilitated)
        utility -= _F(self.effort) * effort_cost
        utility += _F(self.social) * boss_registered
        prob = _F(1.0) / (_F(1.0) + np.exp(-utility))
        prob *= _F(self.rate)
        return prob
