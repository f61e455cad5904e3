"""Today's effects of the levers: what interventions change on one day, without loops.

Each day the engine starts from neutral effects; each intervention's ``apply(engine, day)`` may
add to or multiply them with scalars or arrays broadcastable to (replicates, people). The engine
then uses them in the fixed order of the day (docs/ODD.md). Levers that change something for
good (a mobile app launch) change the engine's own arrays instead.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np

Effect = float | np.ndarray


@dataclass
class DayEffects:
    """Neutral by default: additive terms 0, multipliers 1.

    Attributes
    ----------
    awareness_boost : added daily probability 0-1 of hearing of the platform.
    adoption_boost : added daily probability 0-1 that an aware person registers.
    visit_boost : added daily visit probability 0-1 of a registered user (before device effort).
    visit_factor : multiplier of the visit probability (after device effort).
    post_factor : multiplier of a visitor's posting probability.
    reward_boost : added reward 0-1 of a visit (introductions, shared interests).
    feed_factor : multiplier of the feed's value (content policy, shadow channel).
    lapse_factor : multiplier of the lapse probability.
    return_boost : added daily probability 0-1 that a lapsed user comes back.
    """

    awareness_boost: Effect = 0.0
    adoption_boost: Effect = 0.0
    visit_boost: Effect = 0.0
    visit_factor: Effect = 1.0
    post_factor: Effect = 1.0
    reward_boost: Effect = 0.0
    feed_factor: Effect = 1.0
    lapse_factor: Effect = 1.0
    return_boost: Effect = 0.0

    def add(self, name: str, value: Effect) -> None:
        """Add ``value`` to an additive effect."""
        setattr(self, name, getattr(self, name) + value)

    def scale(self, name: str, value: Effect) -> None:
        """Multiply a multiplicative effect by ``value``."""
        setattr(self, name, getattr(self, name) * value)

    def is_neutral(self, name: str) -> bool:
        """Whether an effect is still its neutral scalar (so the engine can skip it)."""
        value = getattr(self, name)
        neutral = 1.0 if name.endswith("_factor") else 0.0
        return not isinstance(value, np.ndarray) and value == neutral


#: the effects' names, in the order of :class:`DayEffects`' fields (the one definition)
EFFECTS = tuple(f.name for f in fields(DayEffects))

#: today's effects as the day kernel takes them (:mod:`simulation.model.person_day`): one float32
#: array (replicates, people) per effect, a placeholder where the effect is neutral
EffectArrays = NamedTuple("EffectArrays", [(name, np.ndarray) for name in EFFECTS])
#: which of today's effects are not neutral (the kernel skips the others)
EffectFlags = NamedTuple("EffectFlags", [(name, bool) for name in EFFECTS])
