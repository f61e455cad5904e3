"""Levers the scenario adds by itself: the content policy and the platform's tie emphasis.

Not listed under ``interventions``: :meth:`Scenario.levers` adds them when ``culture`` or
``platform`` ask for them, so that a default scenario has none.

- Content policy ``work_only`` (an unattributed article ('the social enterprise must be social'): "a community culture that is sterile"): every day
  ``feed_factor *= culture.work_only_feed_factor`` and ``reward_boost -= culture.work_only_reward_loss``.
- Tie emphasis (platform archetype, ``platform.cross_tie_weight`` != 1): once, ties across
  departments are weighted by ``cross_tie_weight`` in the engine's tie matrix (a chat-first tool
  carries content within teams more than across them); the engine then recomputes each
  person's total tie weight, so that exposure stays a share 0-1.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from simulation.model.components import Component, EngineView

_F = np.float32


class ContentPolicy(Component):
    """A strict work-only content policy."""

    def __init__(self, feed_factor: float, reward_loss: float):
        self.feed_factor = feed_factor
        self.reward_loss = reward_loss

    def __repr__(self) -> str:
        return f"ContentPolicy(feed_factor={self.feed_factor}, reward_loss={self.reward_loss})"

    def apply(self, engine: EngineView, day: int) -> None:
        if self.feed_factor != 1:
            engine.today.scale("feed_factor", _F(self.feed_factor))
        if self.reward_loss:
            engine.today.add("reward_boost", _F(-self.reward_loss))


class TieEmphasis(Component):
    """Weight of ties across departments relative to ties within one."""

    def __init__(self, cross_tie_weight: float):
        self.cross_tie_weight = cross_tie_weight

    def __repr__(self) -> str:
        return f"TieEmphasis(cross_tie_weight={self.cross_tie_weight})"

    def prepare(self, engine: EngineView) -> None:
        department = engine.org.department
        ties = sp.csr_matrix(engine.ties, dtype=_F, copy=True)
        rows = np.repeat(np.arange(ties.shape[0]), np.diff(ties.indptr))
        cross = department[rows] != department[ties.indices]
        ties.data[cross] *= _F(self.cross_tie_weight)
        engine.replace_ties(ties)  # the engine rebuilds its integer ties and degrees from these
