"""The vectorised day: R replicates of one scenario advanced together.

State lives in arrays of shape (replicates, people) (:mod:`simulation.people`). A day is: what
one's contacts did, as sums over the tie matrix kept up to date from the day's changes
(:mod:`simulation.contacts`, compiled), the levers' effects (numpy, on whole arrays), and one
compiled pass over the people for what each of them does (:mod:`simulation.person_day`). There
is no Python loop over people. Replicate ``k`` of a batch gives exactly the numbers it gives
alone: every operation is per replicate and every random number depends only on that
replicate's seed (:mod:`simulation.streams`).

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

import numpy as np
import scipy.sparse as sp

from simulation.contacts import DaySignals, QuantisedTies
from simulation.effects import DayEffects
from simulation.metrics.daily import DailyRecorder
from simulation.people import People, Stage
from simulation.person_day import COUNTS, DECISIONS, EFFECTS, DayParameters, advance
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
        from simulation.plan_names import resolve_names

        self.org = org
        # every name of the plan as the organisation's own (roles expanded); a no-op on a plan
        # already resolved by Sim or MultiSim
        self.scenario = scenario = resolve_names(scenario, org)
        self.seeds = [int(s) for s in seeds]
        self.replicates = len(self.seeds)
        self.day = 0
        size = org.size
        self.streams = Streams(self.seeds, size)
        # levers may reweight the ties once, in ``prepare`` (presets); the kernels use their
        # integer form (simulation.contacts), rebuilt whenever ``ties`` is replaced
        self.ties = sp.csr_matrix(org.ties, dtype=_F)
        self.ties.sort_indices()
        self._quantised: QuantisedTies | None = None
        self._quantised_of = None
        self.signals = DaySignals(self.replicates, size)
        self.exposure_today = self.signals.exposure
        self.activity_today = self.signals.activity
        self.visited = np.zeros((self.replicates, size), dtype=bool)
        self._counts = np.zeros((self.replicates, len(COUNTS)), np.float64)
        self._registered_today = np.zeros((self.replicates, size), dtype=bool)
        self.people = People.empty(self.replicates, size)
        self._draw_traits()
        # the weekly rhythm and device access, rows (weekday, weekend) x people; a lever may
        # replace both (a mobile app launch: simulation.interventions.mobile_app)
        self.effort, self.mobile_share = visit_rhythm(scenario, org.frontline)
        self.records = DailyRecorder(scenario.days, self.replicates)
        # extra end-of-day observers (breakdowns by group...): ``observe(engine, day, visited)``
        self.observers: list = []
        self.today = DayEffects()
        # levers: interventions and whatever the scenario adds (platform presets, policies)
        self.levers = list(getattr(scenario, "levers", lambda: [])())
        for part in [scenario.rollout, *self.levers]:
            prepare = getattr(part, "prepare", None)
            if prepare is not None:
                prepare(self)
        self._parameters = DayParameters.of(scenario)
        self._keys = np.stack([self.streams.keys(name) for name in DECISIONS])

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
    @property
    def quantised_ties(self) -> QuantisedTies:
        """The integer form of ``ties`` the kernels use (rebuilt if a lever replaced ``ties``)."""
        if self._quantised is None or self._quantised_of is not self.ties:
            self._quantised = QuantisedTies(self.ties, self.org.department)
            self._quantised_of = self.ties
        return self._quantised

    @property
    def inv_degree(self) -> np.ndarray:
        """1 / each person's total tie weight (0 for isolates), float32."""
        q = self.quantised_ties
        degree = q.degree / q.scale
        return np.divide(1.0, degree, out=np.zeros(degree.size), where=degree > 0).astype(_F)

    def step(self) -> dict[str, np.ndarray]:
        """Advance every replicate by one day; returns the day's counts per replicate."""
        sc, people = self.scenario, self.people
        day = self.day
        stage = people.stage
        self._registered_today[:] = False

        # 1. the rollout acts
        self.today = effects = DayEffects()
        sc.rollout.act(self, day)

        # 2. what one's contacts did, from the state at the start of the day (after the rollout):
        # exposure (registered contacts) drives awareness and adoption; activity (contacts who
        # visited in the last 7 days) drives replies, lapse and return (Fisher et al. 2018)
        signals = self.signals.compute(self.quantised_ties, people, day)

        # 3. the levers set today's effects; they may read ``exposure_today``/``activity_today``
        for lever in self.levers:
            lever.apply(self, day)

        # the adoption rule's probabilities, for the aware (if there are any)
        adoption = rejection = _PLACEHOLDER
        if (stage == Stage.AWARE).any():
            adoption = _as_field(sc.adoption.probability(self, signals.exposure), stage.shape)
            rule_rejection = getattr(sc.adoption, "rejection", None)
            if rule_rejection is not None:
                rejection = _as_field(rule_rejection(self, signals.exposure), stage.shape)
        fields, present = [], np.zeros(len(EFFECTS), dtype=bool)
        for k, name in enumerate(EFFECTS):
            present[k] = not effects.is_neutral(name)
            fields.append(
                _as_field(getattr(effects, name), stage.shape) if present[k] else _PLACEHOLDER
            )

        # 4-10. what each person does (simulation.person_day)
        weekend = int(day % 7 >= 5)
        advance(
            day, self._keys, self._parameters,
            (stage, people.habit, people.last_visit, people.registered_day, people.posts_today,
             people.posts_yesterday, people.week_posts, people.post_ring, people.total_posts),
            (signals.exposure, signals.activity, signals.feed),
            adoption, rejection, rejection is not _PLACEHOLDER, tuple(fields), present,
            self.post_propensity, self.effort[weekend], self.mobile_share[weekend],
            self._registered_today, self.visited, self.signals.posters[day % 2], self._counts,
        )  # fmt: skip
        self._counts[:, COUNTS.index("cross_reads")] = signals.cross_reads(
            self.quantised_ties, day, self.visited
        )
        row = self.records.record(self, day, self._counts)
        for observer in self.observers:
            observer.observe(self, day, self.visited)
        self.day += 1
        return row

    def run(self, days: int | None = None) -> Engine:
        """Advance ``days`` days (default: the scenario's remaining days)."""
        days = self.scenario.days - self.day if days is None else days
        for _ in range(days):
            self.step()
        return self


def visit_rhythm(scenario, frontline: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Visit multipliers 0-1 and mobile shares 0-1 of visits, rows (weekday, weekend) x people.

    ``frontline`` (bool, people) marks frontline staff; the platform's ``mobile_app`` decides
    whether they visit with ``visits.frontline_factor`` (no app) or fully, on a phone.
    """
    visits, platform = scenario.visits, scenario.platform
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


_PLACEHOLDER = np.zeros((1, 1), _F)  # an effect or probability nobody reads today


def _as_field(value, shape: tuple[int, int]) -> np.ndarray:
    """``value`` (a scalar or an array broadcastable to ``shape``) as a C-ordered float32 array."""
    value = np.asarray(value, dtype=_F)
    if value.shape == shape and value.flags.c_contiguous:
        return value
    return np.ascontiguousarray(np.broadcast_to(value, shape))
