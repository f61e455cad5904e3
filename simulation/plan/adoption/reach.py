"""What real adoption curves need besides contacts: a market potential and global imitation.

- **Market potential** ``m`` (Bass 1969's *m*, as a share 0-1 of head-count): only a share ``m``
  of the organisation would ever adopt. At initialisation each person outside it is put in stage
  ``never`` (decided against it), drawn per replicate from its own stream (common random
  numbers), so the curve levels off at ``m`` rather than 1 (Mahajan, Muller & Bass 1990,
  "New product diffusion models in marketing", *Journal of Marketing* 54(1)). A required
  registration (a mandate) still registers them, on paper.
- **Global imitation** ``q_global``: an added daily hazard ``q_global x F`` where ``F`` is the
  share 0-1 of the whole organisation registered (company-wide visibility: all-hands mentions,
  an intranet counter), beside the contacts' own term. With ``q = 0`` this is the
  aggregate (mean-field) Bass model (Bass 1969, "A new product growth for model consumer
  durables", *Management Science* 15(5)).

Defaults (``m = 1``, ``q_global = 0``) draw nothing and add nothing: results are unchanged.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field

from simulation.base.streams import generator
from simulation.model.people import Stage


class Reach(BaseModel):
    """Market potential and global imitation, shared by the ``bass`` and ``threshold`` rules."""

    market_potential: float = Field(
        1.0,
        gt=0,
        le=1,
        description="Market potential m, share 0-1 of head-count who would ever adopt; the "
        "others start in stage never. Default 1 (everyone; Bass 1969's m, Mahajan, Muller & "
        "Bass 1990, Journal of Marketing 54(1)).",
    )
    q_global: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Global imitation per day, 0-1: added daily hazard q_global x share of the "
        "whole organisation registered (company-wide visibility). Default 0 (contacts only; "
        "the aggregate Bass 1969 model when q = 0).",
    )

    def prepare(self, engine) -> None:
        """Put the people outside the market potential in stage ``never`` (each replicate)."""
        if self.market_potential >= 1.0:
            return
        people = engine.people
        for r, seed in enumerate(engine.seeds):
            outside = generator(seed, "trait.potential").random(people.size)
            outside = outside >= self.market_potential
            people.stage[r, outside & (people.stage[r] == Stage.UNAWARE)] = Stage.NEVER

    def add_global(self, engine, prob: np.ndarray) -> np.ndarray:
        """``prob`` plus ``q_global`` x each replicate's registered share, in place."""
        if self.q_global > 0:
            share = (engine.people.stage >= Stage.REGISTERED).mean(axis=1, dtype=np.float64)
            prob += (self.q_global * share).astype(np.float32)[:, None]
        return prob
