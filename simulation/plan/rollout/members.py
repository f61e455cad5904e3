"""Members: everyone employed is a member with an account, and so is everyone who joins later.

A community's membership, as Slack counts it (``Total enabled membership``: accounts that can
sign in): a person is counted once they have joined, and joining is registering. So on
``start_day`` everyone employed registers (with the full novelty habit of a voluntary joiner:
they joined, nobody made them), and every person who arrives later (an intake's cohort, a hire
into a vacancy: :mod:`simulation.model.workforce`) registers on their first day. What happens
next (visits, lapse, dormancy, return) is the model's as for anyone registered: this is the
rollout to fit a community's or a pilot's own export to, where the shares are of the members
(``esnsim calibrate --observed slack.csv``), not a plan a company can choose.
"""

from __future__ import annotations

from typing import Literal

from simulation.model.components import EngineView
from simulation.plan.rollout.base import Rollout


class Members(Rollout):
    """Everyone employed registered on ``start_day``; each later arrival on their first day."""

    strategy: Literal["members"] = "members"

    def act(self, engine: EngineView, day: int) -> None:
        if day < self.start_day:
            return
        people = engine.people
        joining = (
            people.employed
            if day == self.start_day
            else people.employed & (people.hired_day == day)
        )
        if joining.any():
            engine.make_aware(joining)
            engine.register(joining)
