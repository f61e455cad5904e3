"""Simple contagion (Bass 1969): an external rate plus imitation of active contacts.

Daily hazard of registering for an aware person: ``p + q * exposure``, where ``exposure`` is
the tie-weighted share of one's contacts who are registered users. On a complete graph with no
lapsing this is the discrete Bass recursion ``F(t+1) = F(t) + (1 - F(t)) (p + q F(t))``, within
0.01 of the continuous curve for p = 0.003, q = 0.038 per day (Bass 1969; Fibich et al. 2023).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import ConfigDict, Field

from simulation.plan.adoption.reach import Reach


class Bass(Reach):
    """Bass diffusion: innovation rate ``p`` and imitation rate ``q`` per day.

    With :class:`~simulation.plan.adoption.reach.Reach`'s market potential and global imitation.
    """

    model_config = ConfigDict(extra="forbid")

    rule: Literal["bass"] = "bass"
    p: float = Field(
        0.003,
        ge=0,
        le=1,
        description="Innovation (external) rate, per day, 0-1. Default 0.003 (Bass 1969 p=0.03 per "
        "period scaled to days, where the discrete daily recursion stays within 0.01 of the continuous curve; Fibich et al. 2023).",
    )
    q: float = Field(
        0.038,
        ge=0,
        le=1,
        description="Imitation rate per day at full exposure, 0-1: added hazard when all of one's "
        "contacts are registered users. Default 0.038 (Bass 1969 q=0.38 scaled to days).",
    )

    def probability(self, engine, exposure: np.ndarray) -> np.ndarray:
        """Daily registration probability of each aware person, shape (replicates, people)."""
        prob = exposure * np.float32(self.q)
        prob += np.float32(self.p)
        return self.add_global(engine, prob)
