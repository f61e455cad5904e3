"""The vectorised day: R replicates of one scenario advanced together.

State lives in arrays of shape (replicates, people) (:mod:`simulation.people`). A day is two
sparse products over the tie matrix per replicate (registered contacts, active contacts), a
gather of the tie rows of yesterday's posters (the feed: its cost follows the posts) and
elementwise updates. There is no Python loop over people. Replicate ``k`` of a batch
gives exactly the numbers it gives alone: every operation is per replicate and every random
number comes from that replicate's own streams (:mod:`simulation.streams`).

The order of one day (docs/ODD.md, "Process overview and scheduling"):

1. the rollout acts (invitations, announcements, seeded or required registrations);
2. exposure: the tie-weighted share of one's contacts who are registered users; activity: the
   share who visited in the last 7 days; the feed: the tie-weighted posts one's contacts wrote
   yesterday;
3. the levers (interventions) set today's effects (:mod:`simulation.effects`);
4. awareness spreads by word of mouth (``unaware -> aware``);
5. the adoption rule registers aware people (those aware at the start of the day);
6. registered users visit (habit, work integration, feed value, weekly rhythm, device);
7. visitors post (disposition to share, culture, fear of being observed);
8. habit moves towards the reward of the visit, or decays without one;
9. registered users with a weak habit lapse, lapsed users come back;
10. the day's counts are recorded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from simulation.effects import DayEffects
from simulation.metrics.daily import DailyRecorder
from simulation.org.tree import concat_ranges
from simulation.people import People, Stage
from simulation.streams import Streams, generator

_F = np.float32


class Engine:
    """A batch of replicates of one scenario on one organisation.

    Parameters
    ----------
    org : Organisation
        The organisation (its tie matrix is shared by all replicates).
    scenario : Scenario
        The validated plan.
    seeds : sequence of int
        One seed per replicate.
    """

    def __init__(self, org, scenario, seeds: Sequence[int]):
        self.org = org
        self.scenario = scenario
        self.seeds = [int(s) for s in seeds]
        self.replicates = len(self.seeds)
        self.day = 0
        size = org.size
        self.streams = Streams(self.seeds, size)
        self.ties = sp.csr_matrix(org.ties, dtype=_F)
        self.ties.sort_indices()
        degree = np.asarray(org.ties.sum(axis=1)).ravel().astype(_F)
        self.inv_degree = np.divide(_F(1.0), degree, out=np.zeros_like(degree), where=degree > 0)
        self.people = People.empty(self.replicates, size)
        self._draw_traits()
        self._effort, self._mobile_share = self._rhythm()
        self.records = DailyRecorder(scenario.days, self.replicates)
        # extra end-of-day observers (breakdowns by group...): ``observe(engine, day, visited)``
        self.observers: list = []
        self.today = DayEffects()
        self._cross = None  # which tie entries cross departments, made on the first day
        # levers: interventions and whatever the scenario adds (platform presets, policies)
        self.levers = list(getattr(scenario, "levers", lambda: [])())
        for part in [scenario.rollout, *self.levers]:
            prepare = getattr(part, "prepare", None)
            if prepare is not None:
                prepare(self)

    # ------------------------------------------------------------------ set-up
    def _draw_traits(self) -> None:
        """Per-person traits of each replicate, each from its own stream (CRN)."""
        sc, people, size = self.scenario, self.people, self.org.size
        for r, seed in enumerate(self.seeds):
            if hasattr(sc.adoption, "draw_thresholds"):
                people.threshold[r] = sc.adoption.draw_thresholds(
                    generator(seed, "trait.threshold"), size
                )
            z = generator(seed, "trait.sharing").standard_normal(size)
            people.sharing[r] = np.exp(sc.posting.sharing_spread * z)
            people.fear[r] = generator(seed, "trait.fear").beta(2.0, 5.0, size)
        propensity = people.sharing * _F(sc.posting.base * 2.0 * sc.culture.sharing)
        propensity *= _F(1.0) - _F(sc.posting.fear_weight) * people.fear
        self.post_propensity = np.clip(propensity, 0.0, 1.0).astype(_F)

    def _rhythm(self) -> tuple[np.ndarray, np.ndarray]:
        """Visit multipliers and mobile shares of visits, rows (weekday, weekend) x people."""
        sc, frontline = self.scenario, self.org.frontline
        visits, platform = sc.visits, sc.platform
        app = platform.mobile_app
        front = _F(1.0) if app else _F(visits.frontline_factor)
        desk_weekend = visits.weekend_factor + (platform.weekend_push if app else 0.0)
        effort = np.empty((2, frontline.size), _F)
        effort[0] = np.where(frontline, front, _F(1.0))
        effort[1] = np.where(frontline, front, _F(min(desk_weekend, 1.0)))
        mobile = np.zeros((2, frontline.size), np.float64)
        if app:
            push_share = platform.weekend_push / desk_weekend if desk_weekend > 0 else 0.0
            mobile[0] = np.where(frontline, 1.0, platform.mobile_desk_share)
            mobile[1] = np.where(frontline, 1.0, push_share)
        return effort, mobile

    # --------------------------------------------------------- what levers call
    def _mask(self, who) -> np.ndarray:
        """A (replicates, people) bool mask from a slice, an index array or a mask."""
        if isinstance(who, np.ndarray) and who.dtype == bool and who.ndim == 2:
            return who
        mask = np.zeros(self.people.stage.shape, dtype=bool)
        mask[:, who] = True
        return mask

    def make_aware(self, who) -> None:
        """Make ``who`` aware (those still unaware)."""
        stage = self.people.stage
        np.putmask(stage, self._mask(who) & (stage == Stage.UNAWARE), Stage.AWARE)

    def register(self, who) -> np.ndarray:
        """Register ``who`` today (those not registered yet); returns the newly registered mask."""
        people = self.people
        new = self._mask(who) & (people.stage < Stage.REGISTERED)
        np.putmask(people.stage, new, Stage.REGISTERED)
        np.putmask(people.habit, new, _F(self.scenario.habit.novelty))
        np.putmask(people.registered_day, new, self.day)
        self._registered_today |= new
        return new

    def shadow_users(self) -> np.ndarray:
        """People on a shadow channel today, per replicate (summed over the levers)."""
        return self._sum_over_levers("shadow_users", np.zeros(self.replicates))

    def facilitator_load(self) -> np.ndarray:
        """Community managers' actions today, per replicate (summed over the levers)."""
        return self._sum_over_levers("facilitator_load", np.zeros(self.replicates))

    def extra_cost(self, replicate: int) -> float:
        """Costs beyond licences (facilitation, events) of a replicate, over the whole run."""
        return float(self._sum_over_levers("cost", 0.0, replicate))

    def _sum_over_levers(self, method: str, start, *args):
        total = start
        for lever in self.levers:
            fn = getattr(lever, method, None)
            if fn is not None:
                total = total + fn(self, *args)
        return total

    # -------------------------------------------------------------- one day
    def _gather(self, mask: np.ndarray):
        """The tie rows of the people in ``mask`` (bool, replicates x people), as flat entries.

        Returns ``owner`` (replicate), ``key`` (replicate * size + contact), ``weight`` (float64)
        and the entries' positions in the tie matrix.
        Entries come in the order (replicate, person, contact), so every sum built from them
        runs in the same order within a replicate whatever batch it is in.
        """
        owner, source = np.nonzero(mask)
        ties = self.ties
        starts = ties.indptr[source]
        counts = ties.indptr[source + 1] - starts
        flat = concat_ranges(starts, counts)
        owner = np.repeat(owner, counts)
        key = owner * self.org.size + ties.indices[flat]
        weight = ties.data[flat].astype(np.float64)
        return owner, key, weight, flat

    def contact_share(self, group: np.ndarray) -> np.ndarray:
        """Tie-weighted share 0-1 of each person's contacts in ``group`` (bool, replicates x people).

        One sparse product per replicate: a single vector is about three times cheaper per
        replicate than scipy's product with several columns, and gives the same numbers. (Keeping
        the counts incrementally from the day's changes was measured slower: with lapse and
        return, too many people change each day.)
        """
        out = np.empty(group.shape, _F)
        for r in range(group.shape[0]):
            np.multiply(self.ties @ group[r].astype(_F), self.inv_degree, out=out[r])
        return out

    def feed(self, posted: np.ndarray) -> tuple[np.ndarray, FeedCross]:
        """Tie-weighted posts of each person's contacts, and the cross-department part.

        Posts are few (a few per cent of people a day), so the feed gathers the tie rows of the
        people who posted instead of multiplying the whole matrix: the work is proportional to
        the posts, not to the organisation.
        """
        reps, size = posted.shape
        owner, key, weight, flat = self._gather(posted)
        feed = np.bincount(key, weights=weight, minlength=reps * size)
        cross = self._cross_entry()[flat]
        return feed.reshape(reps, size).astype(_F), FeedCross(
            owner[cross], key[cross], weight[cross]
        )

    def _cross_entry(self) -> np.ndarray:
        """For each entry of the tie matrix, whether it joins two departments (computed once)."""
        if self._cross is None or self._cross.size != self.ties.nnz:
            ties, department = self.ties, self.org.department
            rows = np.repeat(np.arange(ties.shape[0]), np.diff(ties.indptr))
            self._cross = department[rows] != department[ties.indices]
        return self._cross

    def step(self) -> dict[str, np.ndarray]:
        """Advance every replicate by one day; returns the day's counts per replicate."""
        sc, people, streams = self.scenario, self.people, self.streams
        day = self.day
        stage = people.stage
        self._registered_today = np.zeros(stage.shape, dtype=bool)

        # 1. the rollout acts
        self.today = effects = DayEffects()
        sc.rollout.act(self, day)

        # 2. exposure and feed, from the state at the start of the day (after the rollout)
        users = stage == Stage.REGISTERED
        weekly = people.active_within(day - 1, 7)
        # exposure (registered contacts) drives awareness and adoption; activity (contacts who
        # visited in the last 7 days) drives replies, lapse and return (Fisher et al. 2018)
        self.exposure_today = exposure = self.contact_share(users)
        self.activity_today = activity = self.contact_share(weekly)
        feed_posts, cross = self.feed(people.posts_yesterday)

        # 3. the levers set today's effects; they may read ``exposure_today``/``activity_today``
        for lever in self.levers:
            lever.apply(self, day)

        # 4. word of mouth: only the unaware can hear of it; they may register from tomorrow
        aware_before = stage == Stage.AWARE
        hear = exposure * _F(sc.awareness.word_of_mouth)
        hear += _F(sc.awareness.background)
        if not effects.is_neutral("awareness_boost"):
            hear = hear + effects.awareness_boost
        unaware = stage == Stage.UNAWARE
        needed = unaware.any(axis=1)
        hear = unaware & (streams.uniform("awareness", needed) < hear)
        np.putmask(stage, hear, Stage.AWARE)

        # 5. adoption rule
        u = streams.uniform("adoption", aware_before.any(axis=1))
        prob = sc.adoption.probability(self, exposure)
        if not effects.is_neutral("adoption_boost"):
            prob = prob + effects.adoption_boost
        adopt = aware_before & (u < prob)
        rejection = getattr(sc.adoption, "rejection", None)
        if rejection is not None:
            against = aware_before & ~adopt & (u > _F(1.0) - rejection(self, exposure))
            np.putmask(stage, against, Stage.NEVER)
        self.register(adopt)
        newly = self._registered_today

        # 6. visits: registering is itself a visit
        weekend = day % 7 >= 5
        value = sc.visits.feed_value(feed_posts)
        if not effects.is_neutral("feed_factor"):
            value = value * effects.feed_factor
        prob = people.habit * _F(sc.visits.habit_weight)
        prob += _F(sc.visits.base + sc.platform.work_integration)
        prob += value * _F(sc.visits.feed_weight)
        if not effects.is_neutral("visit_boost"):
            prob += effects.visit_boost
        np.minimum(prob, _F(1.0), out=prob)
        prob *= self._effort[int(weekend)]
        if not effects.is_neutral("visit_factor"):
            prob *= effects.visit_factor
        users = stage == Stage.REGISTERED
        visited = (users & (streams.uniform("visit") < prob)) | newly

        # 7. posts
        propensity = self.post_propensity
        if not effects.is_neutral("post_factor"):
            propensity = propensity * effects.post_factor
        posted = visited & (streams.uniform("post") < propensity)

        # 8. habit
        if sc.habit.enabled:
            reward = value * _F(sc.reward.feed_weight)
            reward += (activity * _F(sc.reward.reply_weight)) * people.posts_yesterday
            reward += posted * _F(sc.reward.post_weight)
            if not effects.is_neutral("reward_boost"):
                reward += effects.reward_boost
            reward += _F(sc.reward.work_weight * sc.platform.work_integration)
            np.minimum(reward, _F(1.0), out=reward)
            # only registered people form habits; the others keep theirs frozen
            sc.habit.update(people.habit, visited, reward, where=users)

            # 9. lapse and return share one stream: a person is in one of the two stages
            lapsed = stage == Stage.LAPSED
            u = streams.uniform("lapse", (users | lapsed).any(axis=1))
            lapse_prob = sc.habit.lapse_probability(people.habit, activity)
            if not effects.is_neutral("lapse_factor"):
                lapse_prob *= effects.lapse_factor
            return_prob = sc.habit.return_probability(activity)
            if not effects.is_neutral("return_boost"):
                return_prob = return_prob + effects.return_boost
            lapse = users & ~visited & (u < lapse_prob)
            back = lapsed & (u < return_prob)
            np.putmask(stage, lapse, Stage.LAPSED)
            np.putmask(stage, back, Stage.REGISTERED)
            np.putmask(people.habit, back, _F(sc.habit.return_habit))

        # bookkeeping: visits, posts, the 7-day window of posts
        np.putmask(people.last_visit, visited, np.int16(day))
        today = posted.astype(np.uint8)
        slot = day % 7
        people.week_posts += today
        people.week_posts -= people.post_ring[slot]
        people.post_ring[slot] = today
        people.posts_today = today
        people.total_posts += today
        people.posts_yesterday = posted

        # 10. record
        cross_reads = cross.reads(visited)
        share = self._mobile_share[int(weekend)]
        if share.any():
            mobile_visits = np.where(visited, share, 0.0).sum(axis=1)
        else:
            mobile_visits = np.zeros(self.replicates)
        row = self.records.record(self, day, visited, cross_reads, mobile_visits)
        for observer in self.observers:
            observer.observe(self, day, visited)
        self.day += 1
        return row

    def run(self, days: int | None = None) -> Engine:
        """Advance ``days`` days (default: the scenario's remaining days)."""
        days = self.scenario.days - self.day if days is None else days
        for _ in range(days):
            self.step()
        return self


@dataclass
class FeedCross:
    """The feed's cross-department entries: who reads (key = replicate * size + person), weight."""

    owner: np.ndarray
    key: np.ndarray
    weight: np.ndarray

    def reads(self, visited: np.ndarray) -> np.ndarray:
        """Tie-weighted posts read across departments by today's visitors, per replicate."""
        seen = visited.reshape(-1)[self.key]
        return np.bincount(self.owner[seen], weights=self.weight[seen], minlength=visited.shape[0])
