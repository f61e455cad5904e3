"""The common contract of rollout strategies.

A strategy is a pydantic model (its parameters, validated from the scenario's ``rollout:``
mapping) and a :class:`~simulation.model.components.Component` whose ``apply(engine, day)`` (phase 1 of
the day, :mod:`simulation.model.day`) calls ``act(engine, day)``: on each day it may make people aware
(an invitation or an announcement reached them) or register them (seeded enthusiasts, a
mandate). It acts through :meth:`Engine.make_aware` and :meth:`Engine.register`, never by
looping over people; whom it picks comes from :mod:`simulation.plan.selection`.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from simulation.base.counts import Count
from simulation.model.components import Component, EngineView, StateArray


class Rollout(Component, BaseModel):
    """Base class of rollout strategies."""

    model_config = ConfigDict(extra="forbid")

    start_day: Count = Field(
        0, ge=0, le=36500, description="Day of the launch (day 0 is a Monday)."
    )

    def act(self, engine: EngineView, day: int) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def apply(self, engine: EngineView, day: int) -> None:
        """Phase 1 of the day: the strategy acts."""
        self.act(engine, day)


# Who announces a required registration ('Social enterprise is not living up to its promise': "an email from the CEO won't work either.
# Instructions to go social from the IT department are even more likely to be ignored").
# Per announcer: share 0-1 of the targeted people who register; share 0-1 of those who register
# only on paper (an account, never a visit); multiplier 0-1 of the novelty habit the others start
# with (compliance, not curiosity). Assumptions ranked by 'Social enterprise is not living up to its promise'; magnitudes not measured.
ANNOUNCERS: dict[str, tuple[float, float, float]] = {
    "ceo": (0.9, 0.2, 0.7),
    "peers": (0.6, 0.1, 0.8),
    "it": (0.7, 0.4, 0.4),
}
ANNOUNCED_BY_DESCRIPTION = (
    "Who announces the required registration: ceo | it | peers. Sets the share of the targeted "
    "people who register (ceo 0.9, peers 0.6, it 0.7), the share of those who register only on "
    "paper and never visit (ceo 0.2, peers 0.1, it 0.4) and the multiplier of the novelty habit "
    "of the others (ceo 0.7, peers 0.8, it 0.4); the rest are made aware. Default ceo. Assumptions "
    "ordered by 'Social enterprise is not living up to its promise' (IT instructions are the most ignored; a CEO e-mail works better than "
    "peers for sign-ups) and Iyer & Adamic (mandated sign-ups are less engaged)."
)
RELUCTANCE_DESCRIPTION = (
    "Share 0-1 taken off every visit's reward and off the visit probability of a person "
    "registered by requirement (reactance: 'you can't force workers to be social', 'Social "
    "enterprise is not living up to its promise'), for as long as the run lasts. Default 0.088 "
    "(tuned by benchmarks/tune_patterns.py, so that mandated users use it less than voluntary "
    "ones: overambitious seeding, Iyer & Adamic 2019)."
)


class Required(Rollout):
    """Shared by rollouts that require registration (mandate, cascade).

    Keeps who was registered by requirement (``compelled``) and on paper only (``on_paper``,
    stage ``dormant``: counted as registered, never visits); every day from the first
    announcement, compelled users lose ``reluctance`` from each visit's reward and a share
    ``reluctance`` of their visit probability.
    """

    run_state: ClassVar = (
        StateArray("compelled", bool),  # registered by requirement
        StateArray("on_paper", bool),  # registered on paper only (dormant)
    )

    def require(self, engine: EngineView, target: np.ndarray, stream: str) -> None:
        """Require registration of ``target`` (bool, replicates x people) today.

        Each targeted person draws one number ``u`` from the replicate's ``stream``: ``u < share
        x paper`` registers on paper only (stage dormant, habit 0), ``u < share`` registers with
        habit ``novelty x novelty_factor``; everyone targeted is made aware.
        """
        from simulation.model.people import Stage

        share, paper, novelty_factor = ANNOUNCERS[self.announced_by]
        people, state = engine.people, engine.state(self)
        u = np.empty(target.shape, dtype=np.float64)
        for row, rng in zip(u, engine.streams.generators(stream), strict=True):
            row[:] = rng.random(target.shape[1])
        fresh = target & (people.stage < Stage.REGISTERED)
        on_paper = fresh & (u < share * paper)
        new = engine.register(fresh & ~on_paper & (u < share))
        people.habit[new] *= np.float32(novelty_factor)
        on_paper = engine.register(on_paper, on_paper=True)
        engine.make_aware(target)
        state.compelled |= new
        state.on_paper |= on_paper

    def after_effects(self, engine: EngineView, day: int) -> None:
        """Today's lasting effects of the requirement on the people it registered."""
        if day < self.start_day:
            return
        if self.reluctance > 0:
            compelled = engine.state(self).compelled
            engine.today.add("reward_boost", compelled * np.float32(-self.reluctance))
            keep = np.where(compelled, np.float32(1.0 - self.reluctance), np.float32(1.0))
            engine.today.scale("visit_factor", keep)
