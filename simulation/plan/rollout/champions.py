"""Champions: named people (by employee id) register on the launch day.

What a consultant does with a client's list of volunteers; also the way to seed exactly the same
people in every replicate (the common-random-numbers check).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from simulation.base.errors import InputError
from simulation.model.components import EngineView
from simulation.plan.rollout.base import Rollout


class Champions(Rollout):
    """The people whose employee ids are listed register on ``start_day``."""

    strategy: Literal["champions"] = "champions"
    ids: list[str] = Field(min_length=1, description="Employee ids of the champions.")

    def people(self, org) -> np.ndarray:
        """Indices of the champions in ``org``; unknown ids are an input error."""
        index = {str(e): i for i, e in enumerate(org.ids)}
        missing = [e for e in self.ids if str(e) not in index]
        if missing:
            raise InputError(f"rollout.ids: unknown employee ids {missing[:5]} in {org.name}")
        return np.array([index[str(e)] for e in self.ids], dtype=np.int64)

    def act(self, engine: EngineView, day: int) -> None:
        if day == self.start_day:
            engine.register(self.people(engine.org))
