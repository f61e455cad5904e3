"""Habit and lapse: the dynamics that make the ebb (Hot Spots Movement 2013; Fisher, Kim & Cummings, undated working paper).

A person who registers starts with a habit level ``novelty`` (curiosity). On a day with a visit
the habit moves towards the visit's reward (content from contacts, replies, facilitated
introductions, work done on the platform); on a day without one it decays. A registered user whose
habit has fallen below ``lapse_below`` lapses (stops visiting) with a daily probability that is
higher the fewer of their contacts are active, i.e. visited in the last 7 days (Fisher et al.:
people quit more when fewer of their contacts are active). A lapsed user comes back at a rate
that rises with their contacts' activity and falls with the time they have been away, with a
habit of ``return_habit``. Activity, not registration, is what counts: a mandate that registers
everyone protects nobody from lapsing.

Equations (per person, per day; ``A`` = tie-weighted share of contacts active in the last 7 days):

    h <- h + learning_rate * (reward - h)          on a day with a visit
    h <- h * (1 - decay)                           on a day without one
    P(lapse)  = lapse_rate * (1 - A)   if h < lapse_below
                (x need.lapse_factor for a person with a need, after the first abandon_within days)
    P(return) = return_rate * A * (1 + t / return_tau) ** -return_shape

``t`` is the days since the last visit: dormancy deepens (duration dependence). The waiting times
between a person's visits to a web site are heavy-tailed, a power law of exponent 1-2 rather than
the exponential of a constant rate (Barabasi 2005, Nature 435:207; Vajna, Toth & Kertesz 2013, New
J. Phys. 15:103023), and the hazard of such a waiting time falls as ``1 / t`` (shape 1, a Lomax
distribution); survival analyses of online communities find that the longer a member has been
inactive, the less likely they are to come back (Yang, Wei, Ackerman & Adamic 2010, ICWSM;
Danescu-Niculescu-Mizil et al. 2013, WWW: members leave and the community moves on without
them). So the share of registered people who are active keeps falling over the years while a
core of people who never lapse stays, where a constant return rate would hold it at an
equilibrium.

A lapse within ``abandon_within`` days of registering is for good (stage dormant: Iyer & Adamic
2019, permanent abandonment after a bad first experience); the need is :mod:`simulation.model.need`.
"""

from __future__ import annotations

import numba
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from simulation.base.counts import Count


class Habit(BaseModel):
    """Habit formation, decay, lapse and return."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(
        True,
        description="Whether habit and lapse are simulated. Off: registered users never lapse "
        "and visit at the base rate (the Bass-limit check).",
    )
    novelty: float = Field(
        0.48,
        ge=0,
        le=1,
        description="Habit level on registering, share 0-1 (curiosity about a new tool). Default "
        "0.48 (tuned by benchmarks/tune_patterns.py: the ebb appears, Fisher, Kim & Cummings "
        "(undated), and voluntary adopters outlast mandated ones, whose novelty is scaled down, "
        "Iyer & Adamic 2019).",
    )
    learning_rate: float = Field(
        0.15,
        gt=0,
        le=1,
        description="Share 0-1 of the gap to the visit's reward closed by each visit. Default 0.15 "
        "(assumption: a habit forms over a few weeks of use; Lally et al. 2010 median 66 days to "
        "automaticity for daily behaviours, faster for rewarding ones).",
    )
    decay: float = Field(
        0.03,
        ge=0,
        le=1,
        description="Share 0-1 of the habit lost per day without a visit. Default 0.03 "
        "(assumption: half-life about 3 weeks).",
    )
    lapse_below: float = Field(
        0.12,
        ge=0,
        le=1,
        description="Habit level, share 0-1, under which a registered user may lapse. Default "
        "0.12 (assumption).",
    )
    lapse_rate: float = Field(
        0.109,
        ge=0,
        le=1,
        description="Daily probability 0-1 of lapsing for a user under ``lapse_below`` with no "
        "active contacts; scaled by (1 - share of contacts active in the last 7 days). Default 0.109 "
        "(the dependence on contacts from Fisher, Kim & Cummings (undated); tuned by "
        "benchmarks/tune_patterns.py with "
        "``return_rate`` so that about a third of registered users read weekly, Deloitte 2013, "
        "and so that hub seeding beats random seeding, Hinz et al. 2011).",
    )
    return_rate: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Daily probability 0-1 that a lapsed user comes back when all of their "
        "contacts were active in the last 7 days, just after their last visit; scaled by that "
        "share and by ``(1 + t / return_tau) ** -return_shape`` (``t`` days away). Default 0.15 "
        "(0.106 tuned by benchmarks/tune_patterns.py with ``lapse_rate`` so that about a third of "
        "registered users read weekly, Deloitte 2013, before the duration dependence; raised to "
        "0.15 so that the chance at the typical absence of a new lapse, about 35 days, stays "
        "near 0.106 and gradual rollouts keep their lead over a mandate, Iyer & Adamic 2019).",
    )
    return_tau: float = Field(
        90.0,
        gt=0,
        le=30_000,
        description="Days away at which the return probability has fallen by a factor "
        "2^return_shape (the scale of the duration dependence: ``(1 + t / return_tau) ** "
        "-return_shape``, ``t`` days since the last visit). Default 90 (tuned by hand with "
        "``return_rate`` so that the published patterns of the first year still hold, "
        "docs/validation.md; a quarter away halves the chance of coming back).",
    )
    return_shape: float = Field(
        1.0,
        ge=0,
        le=5,
        description="Exponent 0-5 of the fall of the return probability with the days away "
        "(0: a constant rate, no duration dependence). Default 1 (the hazard of a power-law "
        "waiting time between visits, exponent 1-2, falls as 1/t: Barabasi 2005; Vajna, Toth & "
        "Kertesz 2013; members long inactive rarely come back, Yang et al. 2010).",
    )
    return_habit: float = Field(
        0.3,
        ge=0,
        le=1,
        description="Habit level on coming back, share 0-1. Default 0.3 (assumption).",
    )
    abandon_within: Count = Field(
        30,
        ge=0,
        le=30_000,
        description="Days after registering within which a lapse is for good (stage dormant: the "
        "account kept, never visited again; an early bad experience, Iyer & Adamic 2019: "
        "people who adopt before their contacts are active abandon the product for good). "
        "0: never. Default 30 (tuned to 25 by benchmarks/tune_patterns.py to overambitious "
        "seeding; set back to 30, its value before tuning, with the return's duration "
        "dependence and the introductions, issue 27: overambitious seeding +0.009 at 25, "
        "+0.025 at 30, 2,000 people, 20 replicates).",
    )

    def lapse_probability(self, habit: np.ndarray, activity: np.ndarray) -> np.ndarray:
        """Daily lapse probability of each registered user, shape (replicates, people)."""
        return lapse_chance(habit, activity, self.lapse_rate, self.lapse_below)


# The equations, written once: compiled for one person at a time (``*_one``, inlined in the
# engine's day kernel, simulation.model.person_day) and, where a method needs it, as a numpy ufunc.
@numba.njit(inline="always")
def habit_step_one(habit, visited, reward, learning_rate, decay):
    """Habit after one day, 0-1: towards ``reward`` with a visit, decayed without one."""
    if visited:
        habit = habit + learning_rate * (reward - habit)
    else:
        habit = habit * (1.0 - decay)
    return min(max(habit, 0.0), 1.0)


@numba.njit(inline="always")
def lapse_chance_one(habit, activity, lapse_rate, lapse_below):
    """Daily lapse probability 0-1: ``lapse_rate x (1 - A)`` once the habit is under the bar."""
    return lapse_rate * (1.0 - activity) if habit < lapse_below else 0.0


@numba.njit(inline="always")
def return_chance_one(activity, return_rate, away, return_tau, return_shape):
    """Daily probability 0-1 that a lapsed user comes back after ``away`` days since their last
    visit: ``return_rate x A x (1 + away / return_tau) ^ -return_shape``."""
    chance = return_rate * activity
    if return_shape == 0.0 or chance == 0.0:
        return chance
    if return_shape == 1.0:  # the default: a division, not a power (the kernel's hot path)
        return chance / (1.0 + away / return_tau)
    return chance * (1.0 + away / return_tau) ** -return_shape


lapse_chance = numba.vectorize(cache=True)(lapse_chance_one.py_func)
