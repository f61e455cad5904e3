"""Shadow channel: frontline teams without the app drift to personal messaging (Uncommon Business 2014).

"Otherwise your most mobile employees will switch to WhatsApp ... and abandon your company
network, creating a split" (Uncommon Business 2014 point 4). A person-level state (replicates, people) kept by
the lever: each day, while staff have no true mobile app, a frontline person not yet on the
shadow channel moves to it with probability

    P(drift) = drift_rate + contagion x (share of their team, same manager, on the channel)

and once the app exists a shadow user comes back with probability ``return_rate`` a day. Shadow
users visit less (``visit_factor``), value the feed less (``feed_factor``) and post less on the
platform (``post_factor``), so their contacts' feed is poorer too.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import Field

from simulation.model.components import EngineView, StateArray
from simulation.plan.levers.base import Intervention
from simulation.plan.levers.mobile_app import has_app

_F = np.float32


class ShadowChannel(Intervention):
    """Contagion within frontline teams towards a personal messaging channel."""

    type: Literal["shadow_channel"] = "shadow_channel"
    drift_rate: float = Field(
        0.002,
        ge=0,
        le=1,
        description="Daily probability 0-1 that a frontline person without the app starts a "
        "shadow channel on their own. Default 0.002 (assumption).",
    )
    contagion: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Added daily probability 0-1 of moving when the whole team is on the "
        "channel; scaled by the team's share. Default 0.05 (assumption: a team moves within "
        "weeks once a few have).",
    )
    return_rate: float = Field(
        0.02,
        ge=0,
        le=1,
        description="Daily probability 0-1 that a shadow user comes back once there is an app. "
        "Default 0.02 (assumption: habits of a chat group are sticky).",
    )
    visit_factor: float = Field(
        0.5, ge=0, le=1, description="Multiplier 0-1 of a shadow user's visits. Default 0.5."
    )
    feed_factor: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Multiplier 0-1 of the feed's value to a shadow user. Default 0.6.",
    )
    post_factor: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Multiplier 0-1 of a shadow user's posting on the platform (what they bring "
        "to their contacts' feed). Default 0.5 (assumption).",
    )

    no_cost: ClassVar = (
        "a behaviour of frontline staff without an app (personal messaging), "
        "not something the plan buys"
    )
    run_state: ClassVar = (
        StateArray("shadow", bool),  # on the shadow channel
        StateArray("boss", np.int64, "people"),  # one's manager (oneself at the top)
        StateArray("team_size", np.int64, "people"),  # people under one's manager, at least 1
    )
    daily_results: ClassVar = ("shadow_channel_users",)

    def prepare(self, engine: EngineView) -> None:
        org, state = engine.org, engine.state(self)
        boss = org.manager
        state.boss = np.where(boss >= 0, boss, np.arange(org.size))
        state.team_size = np.maximum(np.bincount(state.boss, minlength=org.size), 1)

    def act(self, engine: EngineView, day: int) -> None:
        state = engine.state(self)
        shadow, boss = state.shadow, state.boss
        u = engine.streams.uniform("lever.shadow_channel", day)
        reps, size = shadow.shape
        if has_app(engine):
            shadow &= ~(u < self.return_rate)
        else:
            keys = (np.arange(reps)[:, None] * size + boss[None, :])[shadow]
            on_channel = np.bincount(keys, minlength=reps * size).reshape(reps, size)
            team_share = on_channel[:, boss] / state.team_size[boss]
            prob = self.drift_rate + self.contagion * team_share
            shadow |= engine.org.frontline & (u < prob)
        if shadow.any():
            effects = engine.today
            effects.scale("visit_factor", np.where(shadow, _F(self.visit_factor), _F(1.0)))
            effects.scale("feed_factor", np.where(shadow, _F(self.feed_factor), _F(1.0)))
            effects.scale("post_factor", np.where(shadow, _F(self.post_factor), _F(1.0)))

    def daily(self, engine: EngineView) -> dict[str, np.ndarray]:
        """``shadow_channel_users``: share 0-1 of head-count on the channel, per replicate."""
        users = engine.state(self).shadow.sum(axis=1).astype(np.float64)
        return {"shadow_channel_users": users / engine.org.size}
