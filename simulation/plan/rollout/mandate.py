"""Top-down mandate: everyone is required to register on the launch day.

Required registration raises sign-ups, not use (docs/ODD.md, rollout strategies): the people
who comply start with a novelty habit scaled down by who announced it, some register only on
paper, and everyone then visits by habit like anyone else. ``announced_by`` sets the shares
(:data:`simulation.plan.rollout.base.ANNOUNCERS`). Mandated adopters engage less than voluntary ones
(Iyer & Adamic, as cited in the project brief).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from simulation.model.components import EngineView
from simulation.plan.rollout.base import ANNOUNCED_BY_DESCRIPTION, RELUCTANCE_DESCRIPTION, Required


class Mandate(Required):
    """Everyone required to register on ``start_day``."""

    strategy: Literal["mandate"] = "mandate"
    announced_by: Literal["ceo", "it", "peers"] = Field("ceo", description=ANNOUNCED_BY_DESCRIPTION)
    reluctance: float = Field(0.088, ge=0, le=1, description=RELUCTANCE_DESCRIPTION)

    def act(self, engine: EngineView, day: int) -> None:
        if day == self.start_day:
            everyone = np.ones(engine.people.stage.shape, dtype=bool)
            self.require(engine, everyone, "rollout.mandate")
        self.after_effects(engine, day)
