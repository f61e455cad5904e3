"""What each person does today: phases 5-10 of the day, one compiled pass over everyone.

The engine (:mod:`simulation.model.engine`) prepares the day (phases 1-4 of :mod:`simulation.model.day`):
the rollout acts, the network signals are computed (:mod:`simulation.model.contacts`), the levers set
today's effects, the adoption rule gives each aware person's probability. This kernel then takes
each person of each replicate in turn (:data:`simulation.model.day.DAY_PLAN`, phases 5-10; the
comments ``# N. name`` below mark them and a test keeps them in step with the plan), and ends
with the replicate's counts (phase 11, :func:`_count`).

Everything is passed by name: the state as :class:`~simulation.model.people.DayState`, the signals as
:class:`~simulation.model.contacts.Signals`, today's effects as :class:`~simulation.model.effects.EffectArrays`
with their :class:`~simulation.model.effects.EffectFlags`, the per-person inputs as :class:`DayInputs`,
the outputs as :class:`DayOutputs`, the decisions' keys as :class:`DecisionKeys`, the counts'
columns by :class:`Count`. Swapping two of them is an error, not a silent result.

The equations are those of :mod:`simulation.model.habit` and :mod:`simulation.model.activity` (their
``*_one`` functions, inlined here; the same code is compiled as the ufuncs their methods use), the
windows and classes of people those of :mod:`simulation.model.windows`. A person's number for a
decision (:func:`simulation.base.streams.uniform_at`) depends only on the seed, the decision, the day
and the person, so it is computed only for those who face the decision (a registered user's
visit, post and lapse numbers every day, to spare branches), and computing it or not changes
nothing else.
"""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple

import numba
import numpy as np

from simulation.base.streams import day_key, uniform_at
from simulation.model import windows
from simulation.model.activity import (
    feed_value_one,
    post_chance_one,
    visit_chance_one,
    visit_reward_one,
)
from simulation.model.habit import habit_step_one, lapse_chance_one, return_chance_one
from simulation.model.people import Stage


class DecisionKeys(NamedTuple):
    """The daily-draw keys of each decision, uint64 arrays (replicates,)
    (:meth:`simulation.base.streams.Streams.keys` of the field's name)."""

    awareness: np.ndarray
    adoption: np.ndarray
    visit: np.ndarray
    post: np.ndarray
    lapse: np.ndarray


#: the daily decisions' stream names
DECISIONS = DecisionKeys._fields


class Count(IntEnum):
    """The columns of the kernel's day counts (``DayOutputs.counts``): people, except
    ``posts``, ``cross_reads`` (tie-weighted cross-department posts read, added by the engine)
    and ``mobile_visits`` (visits made on a phone)."""

    aware = 0
    registered = 1
    dau = 2
    wau = 3
    mau = 4
    lurkers = 5
    contributors = 6
    heavy_contributors = 7
    posts = 8
    cross_reads = 9
    mobile_visits = 10


#: the counts' names, in column order
COUNTS = tuple(Count.__members__)


class DayInputs(NamedTuple):
    """Per-person inputs of the day besides the state, the signals and the effects."""

    adoption: np.ndarray  # float32 (R, n): today's adoption probability of the aware
    rejection: np.ndarray  # float32 (R, n): today's rejection probability (if has_rejection)
    has_rejection: bool  # whether the adoption rule rejects (else ``rejection`` is a placeholder)
    propensity: np.ndarray  # float32 (R, n): a visitor's posting probability before post_factor
    need: np.ndarray  # float32 (R, n): 1 with a recurring need to visit, 0 without
    effort: np.ndarray  # float32 (n,): today's visit multiplier (weekly rhythm, device)
    mobile: np.ndarray  # float64 (n,): share 0-1 of today's visits made on a phone
    newly: np.ndarray  # bool (R, n): registered today by the rollout (registering is a visit)


class DayOutputs(NamedTuple):
    """What the kernel writes besides the state."""

    visited: np.ndarray  # bool (R, n): who visited today
    posters: np.ndarray  # int32 (R, n + 1): the number of today's posters, then who they are
    counts: np.ndarray  # float64 (R, len(Count)): the day's counts, columns by Count


_UNAWARE, _AWARE, _NEVER = np.int8(Stage.UNAWARE), np.int8(Stage.AWARE), np.int8(Stage.NEVER)
_REGISTERED, _LAPSED = np.int8(Stage.REGISTERED), np.int8(Stage.LAPSED)
_DORMANT = np.int8(Stage.DORMANT)

_inline = numba.njit(inline="always")
_weekly_active = _inline(windows.weekly_active)
_monthly_active = _inline(windows.monthly_active)
_is_aware = _inline(windows.is_aware)
_is_registered = _inline(windows.is_registered)
_is_lurker = _inline(windows.is_lurker)
_is_contributor = _inline(windows.is_contributor)
_is_heavy = _inline(windows.is_heavy)


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
    without_need: float
    need_lapse: float
    need_visit: float
    abandon_within: int
    habit_enabled: bool
    learning_rate: float
    decay: float
    lapse_rate: float
    lapse_below: float
    return_rate: float
    return_tau: float
    return_shape: float
    return_habit: float
    introduction: float
    introduction_days: int
    heavy_per_week: int

    @classmethod
    def of(cls, sc) -> DayParameters:
        """The parameters of scenario ``sc``."""
        v, r, h, work = sc.visits, sc.reward, sc.habit, sc.platform.work_integration
        f = np.float32  # the state is float32: so is the arithmetic
        return cls(
            word_of_mouth=f(sc.awareness.word_of_mouth),
            background=f(sc.awareness.background),
            novelty=f(h.novelty),
            visit_base=f(v.base + work),
            habit_weight=f(v.habit_weight),
            feed_weight=f(v.feed_weight),
            feed_half_saturation=f(v.feed_half_saturation),
            overload_posts=f(v.overload_posts),
            reward_feed=f(r.feed_weight),
            reward_reply=f(r.reply_weight),
            reward_post=f(r.post_weight),
            reward_work=f(r.work_weight * work),
            without_need=f(sc.need.without_need),
            need_lapse=f(sc.need.lapse_factor),
            need_visit=f(sc.need.visit),
            abandon_within=int(sc.habit.abandon_within),
            habit_enabled=bool(h.enabled),
            learning_rate=f(h.learning_rate),
            decay=f(h.decay),
            lapse_rate=f(h.lapse_rate),
            lapse_below=f(h.lapse_below),
            return_rate=f(h.return_rate),
            return_tau=f(h.return_tau),
            return_shape=f(h.return_shape),
            return_habit=f(h.return_habit),
            introduction=f(sc.posting.introduction),
            introduction_days=int(sc.posting.introduction_days),
            heavy_per_week=int(sc.posting.heavy_per_week),
        )


@numba.njit(cache=True, nogil=True, error_model="numpy")
def advance(day, keys, p, state, signals, inputs, effects, present, out):
    """Advance every person of every replicate by one day, in place.

    Parameters
    ----------
    day : int
        Today (day 0 is a Monday).
    keys : DecisionKeys
    p : DayParameters
    state : simulation.model.people.DayState
        The people's state arrays (replicates, people), modified in place.
    signals : simulation.model.contacts.Signals
        ``exposure``, ``activity``, ``feed``: float32 (replicates, people).
    inputs : DayInputs
    effects : simulation.model.effects.EffectArrays
        Today's effects; each is float32 (replicates, people) where ``present`` says so, a
        placeholder otherwise.
    present : simulation.model.effects.EffectFlags
        Which effects are not neutral today.
    out : DayOutputs
        Who visited, today's posters and the day's counts (all but ``cross_reads``, which the
        engine adds from :meth:`simulation.model.contacts.DaySignals.cross_reads`).
    """
    stage, habit, last_visit, registered_day = (
        state.stage, state.habit, state.last_visit, state.registered_day
    )  # fmt: skip
    exposure, activity, feed = signals.exposure, signals.activity, signals.feed
    adoption, rejection, has_rejection = inputs.adoption, inputs.rejection, inputs.has_rejection
    propensity, effort, newly = inputs.propensity, inputs.effort, inputs.newly
    posts_yesterday, week_posts, post_ring = (
        state.posts_yesterday, state.week_posts, state.post_ring
    )  # fmt: skip
    posts_today, total_posts = state.posts_today, state.total_posts
    visited, posters = out.visited, out.posters
    # today's effects and whether each is on, as locals: the loop reads them per person
    aw_boost, ad_boost, f_factor = (
        effects.awareness_boost,
        effects.adoption_boost,
        effects.feed_factor,
    )
    v_boost, v_factor, p_factor = effects.visit_boost, effects.visit_factor, effects.post_factor
    r_boost, l_factor, ret_boost = effects.reward_boost, effects.lapse_factor, effects.return_boost
    has_aw, has_ad, has_f = present.awareness_boost, present.adoption_boost, present.feed_factor
    has_vb, has_vf, has_p = present.visit_boost, present.visit_factor, present.post_factor
    has_r, has_l, has_ret = present.reward_boost, present.lapse_factor, present.return_boost
    slot = day % 7
    today = np.int16(day)
    for r in range(stage.shape[0]):
        k_aware = day_key(keys.awareness[r], day)
        k_adopt = day_key(keys.adoption[r], day)
        k_visit = day_key(keys.visit[r], day)
        k_post = day_key(keys.post[r], day)
        k_lapse = day_key(keys.lapse[r], day)
        wrote_today = 0
        for i in range(stage.shape[1]):
            s = stage[r, i]
            new = newly[r, i]
            if s == _UNAWARE:
                # 5. hear
                hear = exposure[r, i] * p.word_of_mouth + p.background
                if has_aw:
                    hear += aw_boost[r, i]
                if uniform_at(k_aware, i) < hear:
                    s = _AWARE
            elif s == _AWARE:
                # 6. adopt (only the aware of the morning may register)
                u = uniform_at(k_adopt, i)
                chance = adoption[r, i]
                if has_ad:
                    chance += ad_boost[r, i]
                if u < chance:
                    s = _REGISTERED
                    habit[r, i] = p.novelty
                    registered_day[r, i] = today
                    new = True
                elif has_rejection and u > 1.0 - rejection[r, i]:
                    s = _NEVER
            # 7-10. a registered user's day: computed in full, without branches on the coin
            # tosses (a visit is close to a coin toss: a branch on it would often be mispredicted)
            user = s == _REGISTERED
            went = new
            posted = False
            if user:
                need = inputs.need[r, i]
                # 7. visit
                value = feed_value_one(feed[r, i], p.feed_half_saturation, p.overload_posts)
                if has_f:
                    value *= f_factor[r, i]
                chance = visit_chance_one(
                    habit[r, i], value, p.without_need + (1 - p.without_need) * need,
                    p.visit_base + p.need_visit * need, p.habit_weight,
                    p.feed_weight, v_boost[r, i] if has_vb else 0.0, effort[i], v_factor[r, i] if has_vf else 1.0,
                )  # fmt: skip
                went = new | (uniform_at(k_visit, i) < chance)
                # 8. post (a newcomer's first days carry the introduction)
                newcomer = (today - registered_day[r, i] < p.introduction_days) & (
                    total_posts[r, i] == 0
                )
                chance = post_chance_one(
                    propensity[r, i], p_factor[r, i] if has_p else 1.0, newcomer, p.introduction
                )
                posted = went & (uniform_at(k_post, i) < chance)
                if p.habit_enabled:
                    # 9. habit
                    reward = visit_reward_one(
                        value, activity[r, i], posts_yesterday[r, i], posted, p.reward_feed,
                        p.reward_reply, p.reward_post, p.reward_work,
                        r_boost[r, i] if has_r else 0.0,
                    )  # fmt: skip
                    h = habit_step_one(habit[r, i], went, reward, p.learning_rate, p.decay)
                    habit[r, i] = h
                    # 10. lapse_return
                    chance = lapse_chance_one(h, activity[r, i], p.lapse_rate, p.lapse_below)
                    early = today - registered_day[r, i] < p.abandon_within
                    if not early:
                        chance *= 1 - need * (1 - p.need_lapse)
                    if has_l:
                        chance *= l_factor[r, i]
                    lapse = ~went & (uniform_at(k_lapse, i) < chance)
                    if lapse:
                        s = _DORMANT if early else _LAPSED
            elif s == _LAPSED and p.habit_enabled:
                # 10. lapse_return (the return: less likely the longer one has been away)
                chance = return_chance_one(
                    activity[r, i], p.return_rate, day - np.int32(last_visit[r, i]), p.return_tau,
                    p.return_shape,
                )  # fmt: skip
                if has_ret:
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
        # 11. record (the replicate's counts)
        _count(
            day, p.heavy_per_week, stage[r], last_visit[r], week_posts[r], posts_today[r],
            visited[r], inputs.mobile, out.counts[r],
        )  # fmt: skip


@numba.njit(cache=True, nogil=True)
def _count(day, heavy, stage, last_visit, week_posts, posts_today, visited, mobile, out):
    """Phase 11: one replicate's counts of the day into ``out`` (columns by :class:`Count`)."""
    aware = registered = dau = wau = mau = lurkers = contributors = heavies = posts = 0
    for i in range(stage.size):
        s, last, week = stage[i], last_visit[i], week_posts[i]
        weekly = _weekly_active(last, day)
        aware += _is_aware(s)
        registered += _is_registered(s)
        dau += visited[i]
        wau += weekly
        mau += _monthly_active(last, day)
        lurkers += _is_lurker(weekly, week)
        contributors += _is_contributor(weekly, week, heavy)
        heavies += _is_heavy(week, heavy)
        posts += posts_today[i]
    mobile_visits = 0.0
    if mobile.any():  # only with a mobile app
        for i in range(stage.size):
            mobile_visits += mobile[i] * visited[i]
    out[Count.aware], out[Count.registered], out[Count.dau] = aware, registered, dau
    out[Count.wau], out[Count.mau], out[Count.lurkers] = wau, mau, lurkers
    out[Count.contributors], out[Count.heavy_contributors] = contributors, heavies
    out[Count.posts], out[Count.mobile_visits] = posts, mobile_visits
