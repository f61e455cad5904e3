"""Need: who has a recurring reason to use the platform (what caps the top end of use).

Most staff's work gives them no recurring reason to visit an enterprise social network: even
the best-run programmes keep about 30-40 % of staff active (Syngenta a 30 % active-user rate,
KFC Australia 40 % engaging each month; Lock Lee & Dawson 2018, SWOOP Analytics' benchmarking),
while 80-85 % of staff ever reach the platform (SWOOP Analytics 2022/23). So each person either
has a recurring need (their team, role or work lives there) or not, drawn once per run from
their own stream (common random numbers: the same people have a need under every plan, and
drawing it shifts no other number). Levers change how many register and how often people come,
not whose work needs the platform: that is why no plan keeps more than about ``share`` of
staff (plus a few visitors without a need) weekly active, whatever its support.

Per registered user and day, with ``N`` = 1 with a need and 0 without (docs/ODD.md, section 3):

    own     = base + work_integration + visit * N + habit_weight * h + feed_weight * v(F)
    P(visit) = min(1, (N + (1 - N) * without_need) * own + boost) * effort * factor
    P(lapse) = lapse_rate * (1 - A) * (lapse_factor if N and past the first weeks else 1)

The levers' visit boosts (an event, a personal introduction) are not scaled: an event is a
reason to come whatever one's job.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class Need(BaseModel):
    """Who has a recurring reason to visit, and what it changes."""

    model_config = ConfigDict(extra="forbid")

    share: float = Field(
        0.348,
        ge=0,
        le=1,
        description="Share 0-1 of staff whose work gives them a recurring reason to use the "
        "platform (drawn per person and run). Default 0.348 (tuned by "
        "benchmarks/tune_patterns.py so that the best shipped plan stays within the best "
        "published organisations' 30-40 % active, Lock Lee & Dawson 2018, while about a third "
        "of registered users read weekly under an ordinary launch, Deloitte 2013). Set it for a "
        "client from who needs the platform for their work (teams that run projects, "
        "communities or communications on it).",
    )
    without_need: float = Field(
        0.0235,
        ge=0,
        le=1,
        description="Multiplier 0-1 of the own visit probability (base, work integration, habit, "
        "feed) of a person without a recurring need. Default 0.0235 (tuned by "
        "benchmarks/tune_patterns.py; they come when an event or a person brings them).",
    )
    visit: float = Field(
        0.121,
        ge=0,
        le=1,
        description="Daily visit probability 0-1 added for a person with a recurring need "
        "(their team's updates, a community their work depends on). Default 0.121 (tuned by "
        "benchmarks/tune_patterns.py: about a third of registered users read weekly, Deloitte "
        "2013).",
    )
    lapse_factor: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Multiplier 0-1 of the lapse probability of a person with a recurring need "
        "once past their first ``habit.abandon_within`` days. Default 0 (tuned by "
        "benchmarks/tune_patterns.py, at the bound: whose work lives on the platform does not "
        "give it up).",
    )

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Who has a recurring need, float32 (size,): 1 or 0."""
        return (rng.random(size) < self.share).astype(np.float32)
