"""Managerial hold-outs: managers who still require memos and meetings ('Social enterprise is not living up to its promise').

"There's always going to be the managerial hold-out who won't accept a project as actually
moving forward unless there's a meeting or memos" ('Social enterprise is not living up to its promise'). A share of managers (drawn per
replicate) are hold-outs; for them and their direct reports, work done on the platform counts
for less, each day (one line each):

    visit_factor *= visit_factor;  reward_boost -= reward_loss
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from simulation.model.components import EngineView, StateArray
from simulation.plan.levers.base import Intervention
from simulation.plan.selection import bernoulli_rows, team_leads, team_mask

_F = np.float32


class Holdouts(Intervention):
    """A share of managers whose teams find the platform less useful."""

    type: Literal["holdouts"] = "holdouts"
    share: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Share 0-1 of managers (people with direct reports) who are hold-outs. "
        "Default 0.2 (assumption).",
    )
    visit_factor: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Multiplier 0-1 of visits in a hold-out's team (the work happens in meetings "
        "and memos). Default 0.6 (assumption).",
    )
    reward_loss: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Reward 0-1 taken off each visit in a hold-out's team. Default 0.1 "
        "(assumption).",
    )

    no_cost: ClassVar = (
        "a condition of the organisation (managers who still want memos and meetings), "
        "not something the plan buys"
    )
    run_state: ClassVar = (StateArray("teams", bool),)  # hold-out managers and their teams

    def prepare(self, engine: EngineView) -> None:
        org = engine.org
        bosses = bernoulli_rows(engine, "lever.holdouts", self.share, team_leads(org))
        engine.state(self).teams = team_mask(org, bosses) | bosses

    def act(self, engine: EngineView, day: int) -> None:
        if self.share == 0:
            return
        teams = engine.state(self).teams
        if self.visit_factor < 1:
            engine.today.scale("visit_factor", np.where(teams, _F(self.visit_factor), _F(1.0)))
        if self.reward_loss > 0:
            engine.today.add("reward_boost", teams * _F(-self.reward_loss))
