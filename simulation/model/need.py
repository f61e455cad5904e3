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

A need may end (``duration`` > 0): each person's lasts ``D`` days from registering, ``D`` drawn
once per run from a Lomax distribution, ``P(D > t) = (1 + t / duration) ** -duration_shape``
(a falling hazard: many needs end in weeks, a core lasts years), and from then on ``N`` = 0: the
person visits and lapses as one without a need, so a community's active share keeps falling
(the long ebb) where a permanent need holds it at an equilibrium.

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

    duration: float = Field(
        0.0,
        ge=0,
        le=36_500,
        description="Scale (days) of how long a recurring need lasts from registering: it ends "
        "after D days, D drawn per person and run from a Lomax (Pareto II) distribution, "
        "P(D > t) = (1 + t / duration) ** -duration_shape, after which the person is one without "
        "a need (a project over, a role changed, a question answered). 0: a need never ends. "
        "Default 0 for an organisation's staff (their work keeps its reasons; assumption); "
        "a community's members' interest ends, with a falling hazard (Danescu-Niculescu-Mizil, "
        "West, Jurafsky, Leskovec & Potts 2013, WWW: members' lifetimes in online communities; "
        "Dror, Pelleg, Rokhlenko & Szpektor 2012, WWW: most new members of a Q&A community churn "
        "in their first weeks, a few stay for years): scenarios/community_launch.yaml sets 40.",
    )
    duration_shape: float = Field(
        1.0,
        gt=0,
        le=100,
        description="Shape of the Lomax distribution of a need's duration (see ``duration``): "
        "its hazard is duration_shape / (duration + t) a day, falling with time (a core whose "
        "need lasts years beside many whose need ends in weeks); large: nearly exponential. "
        "Default 1 (the hazard of waiting times in online activity falls as 1 / t: Vajna, Toth & "
        "Kertesz 2013, New J. Phys. 15:103023; as the return of dormancy, habit.return_shape).",
    )

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Who has a recurring need, float32 (size,): 1 or 0."""
        return (rng.random(size) < self.share).astype(np.float32)

    def draw_lasts(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """How long each person's need lasts from registering, float32 days (size,); inf when
        needs never end. Lomax by inversion: ``duration * (u ** (-1 / shape) - 1)``."""
        if self.duration <= 0:
            return np.full(size, np.inf, dtype=np.float32)
        u = 1.0 - rng.random(size)  # in (0, 1]
        return (self.duration * np.expm1(-np.log(u) / self.duration_shape)).astype(np.float32)


class NeedClock:
    """Ends each registered person's need once it has lasted its drawn duration.

    ``need`` (what the day kernel reads) is the drawn need while ``day < registered_day +
    lasts`` (or before registering) and 0 after. Only built when needs end (``duration > 0``):
    otherwise the need array is never touched, so plans without it give the same numbers.
    """

    def __init__(self, drawn: np.ndarray, lasts: np.ndarray):
        self.drawn = drawn.copy()
        self.lasts = lasts

    def update(self, day: int, need: np.ndarray, registered_day: np.ndarray) -> None:
        """Today's need, in place (replicates x people)."""
        since = day - registered_day.astype(np.float32)
        ongoing = (registered_day < 0) | (since < self.lasts)
        np.multiply(self.drawn, ongoing, out=need)
