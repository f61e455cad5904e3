"""What each person does today: steps 4-10 of the day, one compiled pass over everyone.

The engine (:mod:`simulation.engine`) prepares the day: the rollout acts, the network signals
are computed (:mod:`simulation.contacts`), the levers set today's effects, the adoption rule gives
each aware person's probability. This kernel then takes each person of each replicate in turn:

4. an unaware person hears of the platform (word of mouth from registered contacts, background);
5. an aware person registers (the adoption rule) or, for rules with rejection, decides against;
6. a registered user visits (registering is itself a visit);
7. a visitor posts;
8. a registered user's habit moves towards the visit's reward, or decays;
9. a registered user who did not visit may lapse; a lapsed user may come back;
10. the day's counts of the replicate are added up.

The equations are those of :mod:`simulation.habit` and :mod:`simulation.activity` (their
``*_one`` functions, inlined here; the same code is compiled as the ufuncs their methods use).
A person's number for a decision (:func:`simulation.streams.uniform_at`) depends only on the
seed, the decision, the day and the person, so it is computed only for those who face the
decision (a registered user's visit, post and lapse numbers every day, to spare branches), and
computing it or not changes nothing else.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

from simulation.activity import feed_value_one, visit_chance_one, visit_reward_one
from simulation.habit import habit_step_one, lapse_chance_one, return_chance_one
from simulation.people import Stage
from simulation.streams import day_key, uniform_at

# the daily decisions, in the order of the rows of the ``keys`` argument
DECISIONS = ("awareness", "adoption", "visit", "post", "lapse")
# today's effects of the levers, in the order of the ``effects`` argument (simulation.effects)
EFFECTS = (
    "awareness_boost",
    "adoption_boost",
    "visit_boost",
    "visit_factor",
    "post_factor",
    "reward_boost",
    "feed_factor",
    "lapse_factor",
    "return_boost",
)
# the columns of the ``counts`` argument: people, except the last three (posts, tie-weighted
# cross-department posts read, visits made on a phone)
COUNTS = (
    "aware",
    "registered",
    "dau",
    "wau",
    "mau",
    "lurkers",
    "contributors",
    "heavy_contributors",
    "posts",
    "cross_reads",
    "mobile_visits",
)

_UNAWARE, _AWARE, _NEVER = np.int8(Stage.UNAWARE), np.int8(Stage.AWARE), np.int8(Stage.NEVER)
_REGISTERED, _LAPSED = np.int8(Stage.REGISTERED), np.int8(Stage.LAPSED)


class DayParameters(NamedTuple):
    """The scenario's numbers the kernel needs (see docs/ODD.md for each)."""

    word_of_mouth: float
    background: float
    novelty: float
    visit_base: float  # visits.base + platform.work_integration
    habit_weight: float
    feed_weight: float
    feed_half_saturation: float
    overload_posts: float
    reward_feed: float
    reward_reply: float
    reward_post: float
    reward_work: float  # reward.work_weight x platform.work_integration
    habit_enabled: bool
    learning_rate: float
    decay: float
    lapse_rate: float
    lapse_below: float
    return_rate: float
    return_habit: float
    heavy_per_week: int

    @classmethod
    def of(cls, sc) -> DayParameters:
        """The parameters of scenario ``sc``."""
        v, r, h, work = sc.visits, sc.reward, sc.habit, sc.platform.work_integration
        f = np.float32  # the state is float32: so is the arithmetic
        return cls(
            f(sc.awareness.word_of_mouth), f(sc.awareness.background), f(h.novelty),
            f(v.base + work), f(v.habit_weight), f(v.feed_weight), f(v.feed_half_saturation),
            f(v.overload_posts), f(r.feed_weight), f(r.reply_weight), f(r.post_weight),
            f(r.work_weight * work), bool(h.enabled), f(h.learning_rate), f(h.decay),
            f(h.lapse_rate), f(h.lapse_below), f(h.return_rate), f(h.return_habit),
            int(sc.posting.heavy_per_week),
        )  # fmt: skip


@numba.njit(cache=True, nogil=True, error_model="numpy")
def advance(
    day, keys, p, people, signals, adoption, rejection, has_rejection, effects, has_effect,
    propensity, effort, mobile, newly, visited, posters, counts,
):  # fmt: skip
    """Advance every person of every replicate by one day, in place.

    Parameters
    ----------
    day : int
        Today (day 0 is a Monday).
    keys : uint64 array (decisions, replicates)
        Daily-draw keys of :data:`DECISIONS` (:meth:`simulation.streams.Streams.keys`).
    p : DayParameters
    people : tuple of arrays
        ``(stage, habit, last_visit, registered_day, posts_today, posts_yesterday, week_posts,
        post_ring, total_posts)`` of :class:`simulation.people.People`, modified in place.
    signals : tuple of float32 arrays (replicates, people)
        ``(exposure, activity, feed)`` (:class:`simulation.contacts.DaySignals`).
    adoption, rejection : float32 arrays (replicates, people)
        Today's adoption and rejection probabilities of aware people (the adoption rule).
    effects : tuple of float32 arrays
        Today's :data:`EFFECTS`; each is (replicates, people) where ``has_effect`` is set, a
        placeholder otherwise.
    propensity : float32 (replicates, people)
        Posting probability of a visitor, before the levers' ``post_factor``.
    effort, mobile : (people,)
        Today's visit multiplier (weekly rhythm, device) and share 0-1 of visits made on a phone.
    newly : bool (replicates, people)
        Registered today by the rollout (registering is a visit).
    visited : bool (replicates, people)
        Output: who visited today.
    posters : int32 (replicates, people + 1)
        Output: per replicate, the number of today's posters, then who they are, in order.
    counts : float64 (replicates, len(COUNTS))
        Output: the day's counts (all but ``cross_reads``, which the engine adds from
        :meth:`simulation.contacts.DaySignals.cross_reads`).
    """
    stage, habit, last_visit, registered_day, posts_today, posts_yesterday = people[:6]
    week_posts, post_ring, total_posts = people[6:]
    exposure, activity, feed = signals
    aw_boost, ad_boost, v_boost, v_factor, p_factor, r_boost, f_factor, l_factor, ret_boost = (
        effects
    )
    slot = day % 7
    today = np.int16(day)
    for r in range(stage.shape[0]):
        k_aware = day_key(keys[0, r], day)
        k_adopt = day_key(keys[1, r], day)
        k_visit = day_key(keys[2, r], day)
        k_post = day_key(keys[3, r], day)
        k_lapse = day_key(keys[4, r], day)
        wrote_today = 0
        for i in range(stage.shape[1]):
            s = stage[r, i]
            new = newly[r, i]
            # 4-5. awareness and adoption (only the aware of the morning may register)
            if s == _UNAWARE:
                hear = exposure[r, i] * p.word_of_mouth + p.background
                if has_effect[0]:
                    hear += aw_boost[r, i]
                if uniform_at(k_aware, i) < hear:
                    s = _AWARE
            elif s == _AWARE:
                u = uniform_at(k_adopt, i)
                chance = adoption[r, i]
                if has_effect[1]:
                    chance += ad_boost[r, i]
                if u < chance:
                    s = _REGISTERED
                    habit[r, i] = p.novelty
                    registered_day[r, i] = today
                    new = True
                elif has_rejection and u > 1.0 - rejection[r, i]:
                    s = _NEVER
            # 6-9. a registered user's day: computed in full, without branches on the coin
            # tosses (a visit is close to a coin toss: a branch on it would often be mispredicted)
            user = s == _REGISTERED
            went = new
            posted = False
            if user:
                value = feed_value_one(feed[r, i], p.feed_half_saturation, p.overload_posts)
                if has_effect[6]:
                    value *= f_factor[r, i]
                chance = visit_chance_one(
                    habit[r, i], value, p.visit_base, p.habit_weight, p.feed_weight,
                    v_boost[r, i] if has_effect[2] else 0.0, effort[i],
                    v_factor[r, i] if has_effect[3] else 1.0,
                )  # fmt: skip
                went = new | (uniform_at(k_visit, i) < chance)
                # 7. posts
                chance = propensity[r, i]
                if has_effect[4]:
                    chance *= p_factor[r, i]
                posted = went & (uniform_at(k_post, i) < chance)
                # 8-9. habit and lapse
                if p.habit_enabled:
                    reward = visit_reward_one(
                        value, activity[r, i], posts_yesterday[r, i], posted, p.reward_feed,
                        p.reward_reply, p.reward_post, p.reward_work,
                        r_boost[r, i] if has_effect[5] else 0.0,
                    )  # fmt: skip
                    h = habit_step_one(habit[r, i], went, reward, p.learning_rate, p.decay)
                    habit[r, i] = h
                    chance = lapse_chance_one(h, activity[r, i], p.lapse_rate, p.lapse_below)
                    if has_effect[7]:
                        chance *= l_factor[r, i]
                    lapse = ~went & (uniform_at(k_lapse, i) < chance)
                    s = _LAPSED if lapse else s
            elif s == _LAPSED and p.habit_enabled:
                # 9. return
                chance = return_chance_one(activity[r, i], p.return_rate)
                if has_effect[8]:
                    chance += ret_boost[r, i]
                if uniform_at(k_lapse, i) < chance:
                    s = _REGISTERED
                    habit[r, i] = p.return_habit
            if posted:
                wrote_today += 1
                posters[r, wrote_today] = i
            stage[r, i] = s
            # bookkeeping: visits, posts, the 7-day window of posts
            if went:
                last_visit[r, i] = today
            wrote = np.uint8(posted)
            week_posts[r, i] += wrote - post_ring[slot, r, i]
            post_ring[slot, r, i] = wrote
            posts_today[r, i] = wrote
            total_posts[r, i] += wrote
            posts_yesterday[r, i] = posted
            visited[r, i] = went
        posters[r, 0] = wrote_today
        _count(
            day, p.heavy_per_week, stage[r], last_visit[r], week_posts[r], posts_today[r],
            visited[r], mobile, counts[r],
        )  # fmt: skip


@numba.njit(cache=True, nogil=True)
def _count(day, heavy, stage, last_visit, week_posts, posts_today, visited, mobile, out):
    """Step 10: one replicate's counts of the day, in :data:`COUNTS` order, into ``out``."""
    aware = registered = dau = wau = mau = lurkers = contributors = heavies = posts = 0
    for i in range(stage.size):
        s, last, week = stage[i], last_visit[i], week_posts[i]
        weekly = last > day - 7
        aware += s != _UNAWARE
        registered += s >= _REGISTERED
        dau += visited[i]
        wau += weekly
        mau += last > day - 30
        lurkers += weekly & (week == 0)
        contributors += weekly & (week > 0) & (week < heavy)
        heavies += week >= heavy
        posts += posts_today[i]
    mobile_visits = 0.0
    if mobile.any():  # only with a mobile app
        for i in range(stage.size):
            mobile_visits += mobile[i] * visited[i]
    out[0], out[1], out[2], out[3], out[4] = aware, registered, dau, wau, mau
    out[5], out[6], out[7], out[8] = lurkers, contributors, heavies, posts
    out[10] = mobile_visits
