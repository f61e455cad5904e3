"""The content policy lever: a strict work-only policy makes the feed duller and posting less rewarding.

Not listed under ``interventions``: :meth:`Scenario.levers` adds it when
``culture.content_policy`` is ``work_only`` (a default scenario has none). An unattributed
article ('the social enterprise must be social') warns of "a community culture that is
sterile": every day ``feed_factor *= culture.work_only_feed_factor`` and
``reward_boost -= culture.work_only_reward_loss``.
"""

from __future__ import annotations

import numpy as np

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
