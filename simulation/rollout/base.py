"""The common contract of rollout strategies.

A strategy is a pydantic model (its parameters, validated from the scenario's ``rollout:``
mapping) with ``act(engine, day)``: on each day it may make people aware (an invitation or an
announcement reached them) or register them (seeded enthusiasts, a mandate). It acts through
:meth:`Engine.make_aware` and :meth:`Engine.register`, never by looping over people.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class Rollout(BaseModel):
    """Base class of rollout strategies."""

    model_config = ConfigDict(extra="forbid")

    start_day: int = Field(0, ge=0, le=36500, description="Day of the launch (day 0 is a Monday).")

    def act(self, engine, day: int) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def random_people(
    engine, stream: str, count: int, eligible: np.ndarray | None = None
) -> np.ndarray:
    """Per replicate, ``count`` people drawn at random without replacement: bool (replicates, people).

    Each replicate draws from its own ``stream`` generator, so the choice depends only on that
    replicate's seed. ``eligible`` (bool, people) restricts the draw.
    """
    size = engine.org.size
    pool = np.arange(size) if eligible is None else np.flatnonzero(eligible)
    count = min(int(count), pool.size)
    chosen = np.zeros((engine.replicates, size), dtype=bool)
    for row, rng in zip(chosen, engine.streams.per_replicate(stream), strict=True):
        row[rng.choice(pool, size=count, replace=False)] = True
    return chosen
