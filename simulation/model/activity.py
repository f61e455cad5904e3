"""Visits, posts and the reward of a visit: what registered users do each day.

Visit probability of a registered (not lapsed) user on day d (docs/ODD.md, process overview):

    P(visit) = min(1, n * (base + work_integration + need.visit * N + habit_weight * h
                           + feed_weight * feed) + boost) * effort * factor

``N`` is 1 for a person with a recurring need of the platform, 0 otherwise, and ``n`` is 1 with a
need and ``need.without_need`` without (:mod:`simulation.model.need`); ``boost`` and ``factor`` are the
levers' effects.

``feed`` = F / (F + feed_half_saturation) / (1 + (F / overload_posts)^2) is the value of the feed,
from ``F``, the tie-weighted count of posts one's contacts wrote yesterday: it saturates, then falls
under overload; ``effort`` is the weekly rhythm and device access
(1 on a working day at a desk; ``weekend_factor`` for desk staff at weekends; ``frontline_factor``
for frontline staff without a true mobile app).

Posting: a visitor posts with probability ``clip(base * sharing * culture * (1 - fear_weight *
fear), 0, 1)`` where ``sharing`` is lognormal with median 1 (a few people post far more than
others: participation inequality, Nielsen 2006). In a new member's first ``introduction_days``
days, until their first post, a visit carries an added chance ``introduction`` of posting (the
introduction: ``1 - (1 - p) * (1 - introduction)`` for the posting probability ``p``), so the
posters of a launch week stand out as they do in real communities' data.

Reward of a visit (at most 1): ``min(1, feed_weight * feed + post_weight * posted + reply_weight *
A * posted_yesterday + work_weight * work_integration)``: content from contacts, being heard,
replies to one's own post from contacts active in the last 7 days (``A``), and work done on the
platform. (Levers' boosts may be negative, e.g. reactance; the habit they feed stays in 0-1.)
"""

from __future__ import annotations

import numba
import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from simulation.base.counts import Count


class Visits(BaseModel):
    """How often registered users visit."""

    model_config = ConfigDict(extra="forbid")

    base: float = Field(
        0.04,
        ge=0,
        le=1,
        description="Daily visit probability 0-1 with no habit, no feed and no work integration "
        "(notifications, e-mail digests). Default 0.04 (assumption).",
    )
    habit_weight: float = Field(
        0.8, ge=0, le=2, description="Added visit probability per unit of habit (0-1). Default 0.8."
    )
    feed_weight: float = Field(
        0.3,
        ge=0,
        le=2,
        description="Added visit probability at full feed value (0-1). Default 0.3 (assumption).",
    )
    feed_half_saturation: float = Field(
        2.0,
        gt=0,
        le=1000,
        description="Tie-weighted posts from contacts (posts per day) at which the feed reaches "
        "half its value. Default 2 (assumption).",
    )
    weekend_factor: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Multiplier 0-1 of desk staff's visit probability on Saturdays and Sundays "
        "(day 0 is a Monday). Default 0.15 (assumption: ESN analytics show weekend traffic a "
        "small fraction of weekday traffic; Uncommon Business 2014 point 4).",
    )
    frontline_factor: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Multiplier 0-1 of frontline staff's visit probability without a true mobile "
        "app (no desk, high effort). Default 0.25 (assumption; Meta 2021, Uncommon Business 2014).",
    )
    overload_posts: float = Field(
        30.0,
        gt=0,
        le=100000,
        description="Tie-weighted posts from contacts per day at which overload halves the feed's "
        "value (posts per day): past saturation, very many active contacts make the feed worth "
        "less (trivia overload, HR Congress blog). Default 30 (assumption: well above what a typical "
        "person's ~10 contacts write, so that only people with very large active networks feel it).",
    )

    def feed_value(self, feed_posts: np.ndarray) -> np.ndarray:
        """Value 0-1 of the feed from tie-weighted posts of contacts: saturating, then overloaded.

        ``F / (F + feed_half_saturation) * 1 / (1 + (F / overload_posts)^2)``.
        """
        return feed_value(feed_posts, self.feed_half_saturation, self.overload_posts)


class Posting(BaseModel):
    """How often visitors post."""

    model_config = ConfigDict(extra="forbid")

    base: float = Field(
        0.0475,
        ge=0,
        le=1,
        description="Probability 0-1 that a visitor with median disposition to share and no fear "
        "posts during a visit. Default 0.0475 (tuned by benchmarks/tune_patterns.py, with ``sharing_spread``, to the "
        "90-9-1 pattern, Nielsen 2006, and to SWOOP's 'almost 60 % only read').",
    )
    sharing_spread: float = Field(
        1.35,
        ge=0,
        le=5,
        description="Standard deviation of log disposition to share (lognormal, median 1). "
        "Default 1.35 (tuned by benchmarks/tune_patterns.py to participation inequality: 1-4 % heavy contributors "
        "among the week's active, Nielsen 2006).",
    )
    fear_weight: float = Field(
        0.6,
        ge=0,
        le=1,
        description="Share 0-1 of posting suppressed at maximal fear of being observed. "
        "Default 0.6 (assumption; HR Congress blog, psychological safety).",
    )
    introduction: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Added probability 0-1 of posting on a visit in one's first "
        "``introduction_days`` days after registering, until one's first post (introducing "
        "oneself, a first question): ``1 - (1 - p) (1 - introduction)``. Default 0.1 (see "
        "docs/ODD.md: newcomers post more in their first week, Arguello et al. 2006, Burke, "
        "Marlow & Lento 2009; in the NHS-R Community's Slack 0.41 of the weekly active posted "
        "in its first quarter, 0.24-0.35 later).",
    )
    introduction_days: Count = Field(
        7,
        ge=0,
        le=365,
        description="Days after registering (day of registering included) during which a "
        "member's visits carry the introduction. 0: none. Default 7 (a launch or joining "
        "week; assumption).",
    )
    heavy_per_week: Count = Field(
        5,
        ge=2,
        le=100,
        description="Posts in 7 days that make a heavy contributor (posts). Default 5.",
    )


class Reward(BaseModel):
    """What makes a visit rewarding (and so builds habit)."""

    model_config = ConfigDict(extra="forbid")

    feed_weight: float = Field(
        0.7, ge=0, le=2, description="Reward at full feed value (share 0-1). Default 0.7."
    )
    reply_weight: float = Field(
        0.5,
        ge=0,
        le=2,
        description="Reward for a user who posted yesterday when all contacts were active in the "
        "last 7 days (replies), share 0-1. Default 0.5 (assumption).",
    )
    post_weight: float = Field(
        0.96,
        ge=0,
        le=2,
        description="Reward of a visit on which one posts (being heard; people who like to share "
        "form the core of users, Hot Spots Movement 2013), share 0-1. Default 0.96 (tuned by benchmarks/tune_patterns.py so that "
        "heavy contributors stay: 1-4 % of the week's active, Nielsen 2006).",
    )
    work_weight: float = Field(
        1.0,
        ge=0,
        le=2,
        description="Reward per unit of work integration (work done on the platform). Default 1.",
    )


# The equations, written once: compiled for one person at a time (``*_one``, inlined in the
# engine's day kernel, simulation.model.person_day) and, where a method needs it, as a numpy ufunc.
@numba.njit(inline="always")
def feed_value_one(feed_posts, half_saturation, overload_posts):
    """Value 0-1 of a feed of ``feed_posts`` tie-weighted posts (see the module docstring)."""
    overload = feed_posts / overload_posts
    return feed_posts / (feed_posts + half_saturation) / (1.0 + overload * overload)


@numba.njit(inline="always")
def visit_chance_one(habit, value, need, base, habit_weight, feed_weight, boost, effort, factor):
    """Daily visit probability 0-1 of a registered user (see the module docstring).

    ``need`` scales one's own reasons to visit (1 with a recurring need, ``need.without_need``
    without); ``base`` includes work integration (and ``need.visit`` for a person with a need);
    ``boost`` and ``factor`` are the levers' additive and multiplicative effects, ``effort`` the
    weekly rhythm and device multiplier.
    """
    prob = need * (base + habit_weight * habit + feed_weight * value) + boost
    return min(prob, 1.0) * effort * factor


@numba.njit(inline="always")
def visit_reward_one(
    value, activity, posted_yesterday, posted, feed_w, reply_w, post_w, work, boost
):
    """Reward 0-1 of a visit: feed, replies to yesterday's post, being heard, work, levers.

    ``work`` is ``work_weight x work_integration``; ``boost`` the levers' added reward.
    """
    reward = feed_w * value + boost
    if posted_yesterday:
        reward += reply_w * activity
    if posted:
        reward += post_w
    return min(reward + work, 1.0)


@numba.njit(inline="always")
def post_chance_one(propensity, factor, newcomer, introduction):
    """Posting probability 0-1 of a visitor: ``propensity``, raised to
    ``1 - (1 - propensity)(1 - introduction)`` for a ``newcomer`` (in their first days, no post
    yet), times ``factor`` (the levers' post factor, which acts on introductions too: one-shot
    mode's 0 means no post at all)."""
    chance = propensity
    if newcomer:
        chance = 1.0 - (1.0 - chance) * (1.0 - introduction)
    return chance * factor


feed_value = numba.vectorize(cache=True)(feed_value_one.py_func)
