"""A per-agent Mesa 3.3 implementation of the core rule: the honest baseline of the benchmark.

This is the model of :mod:`simulation.model.engine` with the default rule (threshold adoption,
announcement on the launch day, habit / visit / post / lapse / return; no levers) written the way
a Mesa user would write it, in the idiom of Mesa's own ``virus_on_network`` example:

* one :class:`Employee` (a ``mesa.discrete_space.FixedAgent``) per person, placed on a cell of a
  ``mesa.discrete_space.Network`` built from the organisation's tie matrix (a networkx graph whose
  edges carry the tie ``weight``);
* each agent's ``step()`` reads its neighbours through ``self.cell.neighborhood.agents`` and draws
  its own random numbers from ``self.random`` (the model's ``random.Random``, seeded);
* the model's ``step()`` is ``self.agents.shuffle_do("step")``.

The engine updates everybody from the state at the start of the day (synchronous update), while
per-agent updates in a shuffled order are sequential. To make the two models the same model, the
agents work in two phases, Mesa's classic "simultaneous activation": ``step()`` *decides* from the
neighbours' published state (yesterday's) and stores the decision, and ``advance()`` *applies* it
(``self.agents.do("advance")`` after the shuffled ``step``). With that, the mean curves agree with
the engine's (see :func:`agreement`); the random numbers are of course different (Python's Mersenne
Twister, one draw per decision an agent actually takes), so only distributions are compared.

Equations (per person, per day, ``E`` = tie-weighted share of contacts who are registered users,
``A`` = tie-weighted share of contacts who visited in the last 7 days, ``F`` = tie-weighted posts
contacts wrote yesterday; the parameters are read from the scenario):

* unaware: hears of it with probability ``word_of_mouth * E + background``;
* aware (at the start of the day): registers with probability ``rate`` if ``E >= threshold``, else
  ``p``; if under the threshold and not registering, decides against it with ``reject_rate``
  (the top of the same draw, as in the engine);
* registered (not lapsed): visits with ``min(base + work_integration + habit_weight * h +
  feed_weight * V, 1) * effort`` where ``V = F / (F + half) / (1 + (F / overload_posts) ** 2)``
  (registering is itself a visit), posts on a visit with its post propensity, and its habit moves
  towards the visit's reward (``reply_weight * A`` if it posted yesterday) or decays;
* a registered user who did not visit and whose habit is under ``lapse_below`` lapses with
  ``lapse_rate * (1 - A)`` (times ``need.lapse_factor`` with a need, after the first
  ``abandon_within`` days; within them a lapse is for good); a lapsed user comes back with
  ``return_rate * A``. A person with a need (share ``need.share``) visits ``need.visit`` more;
  one without has their visit probability scaled by ``need.without_need`` (simulation/model/need.py).

Only the core model is implemented: the announcement rollout and the threshold rule. Anything
else raises ``NotImplementedError`` (the reference exists to time and check the core rule).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import mesa
import networkx as nx
import numpy as np
from mesa.discrete_space import FixedAgent, Network

UNAWARE, AWARE, NEVER, REGISTERED, LAPSED, DORMANT = (
    0,
    1,
    2,
    3,
    4,
    5,
)  # simulation.model.people.Stage

#: The daily series the reference records, named as in ``simulation.model.daily``.
COLUMNS = ("aware", "registered", "dau", "wau", "mau", "posts")

#: Curves compared by :func:`agreement`, and the agreed tolerance on the max abs difference of
#: their mean curves (shares 0-1 of head-count).
COMPARED = ("registered", "wau")
TOLERANCE = 0.05


class Employee(FixedAgent):
    """One person: traits drawn from the model's random stream, state updated in two phases."""

    def __init__(self, model: ReferenceModel, cell, frontline: bool, ties: dict[int, float]):
        super().__init__(model)
        self.cell = cell
        self.frontline = bool(frontline)
        self.ties = ties  # neighbour coordinate -> tie weight
        self.degree = sum(ties.values())
        sc = model.scenario
        rule = sc.adoption
        mean, conc = rule.threshold_mean, rule.threshold_concentration
        self.threshold = self.random.betavariate(mean * conc, (1 - mean) * conc)
        self.sharing = math.exp(sc.posting.sharing_spread * self.random.gauss(0.0, 1.0))
        self.fear = self.random.betavariate(2.0, 5.0)
        propensity = self.sharing * sc.posting.base * 2.0 * sc.culture.sharing
        propensity *= 1.0 - sc.posting.fear_weight * self.fear
        self.post_propensity = min(max(propensity, 0.0), 1.0)
        self.need = 1.0 if self.random.random() < sc.need.share else 0.0  # a recurring need
        self.registered_day: int | None = None
        # published state (what the neighbours see)
        self.stage = UNAWARE
        self.habit = 0.0
        self.last_visit: int | None = None
        self.posted = False  # posted on the last simulated day
        self.visited = False
        # the decision of the current day, applied by advance()
        self._next: tuple[int, float, bool, bool] | None = None

    # ------------------------------------------------------------------ phase 1
    def step(self) -> None:
        """Decide today's state from the neighbours' state at the start of the day."""
        model = self.model
        sc = model.scenario
        rnd = self.random
        registered = active = feed = 0.0
        for other in self.cell.neighborhood.agents:
            weight = self.ties[other.cell.coordinate]
            if other.stage == REGISTERED:
                registered += weight
            if model.active_within(other, 7):  # visited on one of the last 7 days
                active += weight
            if other.posted:
                feed += weight
        exposure = registered / self.degree if self.degree > 0 else 0.0
        activity = active / self.degree if self.degree > 0 else 0.0

        stage, habit = self.stage, self.habit
        newly = False
        if stage == UNAWARE:
            hear = sc.awareness.word_of_mouth * exposure + sc.awareness.background
            if rnd.random() < hear:
                stage = AWARE
        elif stage == AWARE:
            rule = sc.adoption
            over = exposure >= self.threshold
            u = rnd.random()
            if u < (rule.rate if over else rule.p):
                stage, habit, newly = REGISTERED, sc.habit.novelty, True
                self.registered_day = model.day
            elif not over and u > 1.0 - rule.reject_rate:
                stage = NEVER

        visited = posted = False
        if stage == REGISTERED:
            value = feed / (feed + sc.visits.feed_half_saturation)
            value /= 1.0 + (feed / sc.visits.overload_posts) ** 2
            if newly:
                visited = True
            else:
                own = (
                    sc.visits.base
                    + sc.platform.work_integration
                    + sc.need.visit * self.need
                    + sc.visits.habit_weight * habit
                    + sc.visits.feed_weight * value
                )
                prob = (self.need + (1.0 - self.need) * sc.need.without_need) * own
                visited = rnd.random() < min(prob, 1.0) * model.effort(self.frontline)
            posted = visited and rnd.random() < self.post_propensity
            if sc.habit.enabled:
                hb = sc.habit
                reward = (
                    sc.reward.feed_weight * value
                    + (sc.reward.reply_weight * activity if self.posted else 0.0)
                    + (sc.reward.post_weight if posted else 0.0)
                    + sc.reward.work_weight * sc.platform.work_integration
                )
                reward = min(reward, 1.0)
                if visited:
                    habit += hb.learning_rate * (reward - habit)
                else:
                    habit -= hb.decay * habit
                habit = min(max(habit, 0.0), 1.0)
                if not visited and habit < hb.lapse_below:
                    early = model.day - self.registered_day < hb.abandon_within
                    chance = hb.lapse_rate * (1.0 - activity)
                    if not early:
                        chance *= 1.0 - self.need * (1.0 - sc.need.lapse_factor)
                    if rnd.random() < chance:
                        stage = DORMANT if early else LAPSED  # an early lapse is for good
        elif stage == LAPSED and sc.habit.enabled:
            if rnd.random() < sc.habit.return_rate * activity:
                stage, habit = REGISTERED, sc.habit.return_habit
        self._next = (stage, habit, visited, posted)

    # ------------------------------------------------------------------ phase 2
    def advance(self) -> None:
        """Publish today's decision."""
        self.stage, self.habit, self.visited, self.posted = self._next
        if self.visited:
            self.last_visit = self.model.day

    def hear_announcement(self) -> None:
        if self.stage == UNAWARE:
            self.stage = AWARE


class ReferenceModel(mesa.Model):
    """The core rule as an idiomatic per-agent Mesa model (one step = one day).

    Parameters
    ----------
    org : Organisation
        Its tie matrix becomes the ``Network`` (weights as the edges' ``weight``).
    scenario : Scenario
        Only the threshold rule and the announcement rollout are supported.
    seed : int
        Seeds the model's ``random`` (and so every agent's draws).
    """

    def __init__(self, org, scenario, seed: int = 0):
        super().__init__(seed=seed)
        if getattr(scenario.adoption, "rule", None) != "threshold":
            raise NotImplementedError("the reference implements the threshold rule only")
        if getattr(scenario.rollout, "strategy", None) != "announcement":
            raise NotImplementedError("the reference implements the announcement rollout only")
        if getattr(scenario, "interventions", None):
            raise NotImplementedError("the reference implements the core model (no levers)")
        self.scenario = scenario
        self.day = 0
        self._deciding = False
        self.size = org.size
        graph = nx.from_scipy_sparse_array(org.ties)  # edge attribute "weight"
        self.grid = Network(graph, capacity=1, random=self.random)
        cells = list(self.grid.all_cells)
        ties = [{int(j): float(d["weight"]) for j, d in graph[i].items()} for i in graph.nodes]
        Employee.create_agents(self, org.size, cells, list(org.frontline), ties)
        visits, platform = scenario.visits, scenario.platform
        self._weekday = {False: 1.0, True: 1.0 if platform.mobile_app else visits.frontline_factor}
        desk_weekend = visits.weekend_factor + (platform.weekend_push if platform.mobile_app else 0)
        self._weekend = {False: min(desk_weekend, 1.0), True: self._weekday[True]}
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "aware": lambda m: m.share(lambda a: a.stage != UNAWARE),
                "registered": lambda m: m.share(lambda a: a.stage >= REGISTERED),
                "dau": lambda m: m.share(lambda a: a.visited),
                "wau": lambda m: m.share(lambda a: m.active_within(a, 7)),
                "mau": lambda m: m.share(lambda a: m.active_within(a, 30)),
                "posts": lambda m: sum(1 for a in m.agents if a.posted),
            }
        )

    def effort(self, frontline: bool) -> float:
        """The visit multiplier of today (weekly rhythm, device)."""
        weekend = self.day % 7 >= 5
        return (self._weekend if weekend else self._weekday)[frontline]

    def share(self, predicate) -> float:
        return sum(1 for a in self.agents if predicate(a)) / self.size

    def active_within(self, agent: Employee, days: int) -> bool:
        """Visited on one of the last ``days`` days up to the last day published.

        While the agents decide (``step``), ``self.day`` is today and the published state is
        yesterday's, so this is days ``day - days .. day - 1``, the engine's window; when the
        data collector counts (after ``advance``), today's visits are published and ``self.day``
        has not moved yet, so it is ``day - days + 1 .. day``, as the engine's daily record.
        """
        if agent.last_visit is None:
            return False
        if self._deciding:
            return agent.last_visit >= self.day - days
        return agent.last_visit > self.day - days

    def step(self) -> None:
        rollout = self.scenario.rollout
        if self.day == rollout.start_day:
            self.agents.do("hear_announcement")
        self._deciding = True
        self.agents.shuffle_do("step")
        self._deciding = False
        self.agents.do("advance")
        self.datacollector.collect(self)
        self.day += 1
        if self.day >= self.scenario.days:
            self.running = False

    def run(self, days: int | None = None) -> ReferenceModel:
        days = self.scenario.days - self.day if days is None else days
        for _ in range(days):
            self.step()
        return self

    def curves(self) -> dict[str, np.ndarray]:
        """The recorded daily series, one array per column (length: days run)."""
        frame = self.datacollector.get_model_vars_dataframe()
        return {c: frame[c].to_numpy(dtype=np.float64) for c in COLUMNS}


# ---------------------------------------------------------------------- the agreement check
def reference_curves(org, scenario, seeds: Sequence[int]) -> dict[str, np.ndarray]:
    """Daily series of the reference, shape (days, replicates) per column."""
    runs = [ReferenceModel(org, scenario, seed=int(s)).run().curves() for s in seeds]
    return {c: np.stack([r[c] for r in runs], axis=1) for c in COLUMNS}


def engine_curves(org, scenario, seeds: Sequence[int]) -> dict[str, np.ndarray]:
    """Daily series of the engine (one batch), shape (days, replicates) per column."""
    from simulation.model.engine import Engine
    from simulation.plan.names import resolve_names

    engine = Engine(org, resolve_names(scenario, org), list(seeds)).run()
    values = engine.records.trimmed()
    return {c: np.asarray(values[c], dtype=np.float64) for c in COLUMNS}


def agreement(
    org,
    scenario,
    reference_seeds: Sequence[int] = tuple(range(10)),
    engine_seeds: Sequence[int] = tuple(range(1000, 1050)),
    tolerance: float = TOLERANCE,
) -> dict:
    """Compare the mean curves of the reference and of the engine.

    Returns a dict with, per compared column, the max abs difference of the two mean curves (and
    the day it occurs), the pooled standard error of that difference on that day, and ``ok``:
    every difference under ``tolerance``. The two models draw different random numbers (the seed
    sets differ on purpose), so the difference is sampling noise plus any difference of model.
    """
    ref = reference_curves(org, scenario, reference_seeds)
    eng = engine_curves(org, scenario, engine_seeds)
    out: dict = {"tolerance": tolerance, "size": org.size, "days": scenario.days}
    out["reference_replicates"] = len(reference_seeds)
    out["engine_replicates"] = len(engine_seeds)
    ok = True
    for column in COMPARED:
        diff = np.abs(ref[column].mean(axis=1) - eng[column].mean(axis=1))
        day = int(np.argmax(diff))
        se = math.sqrt(
            ref[column][day].var(ddof=1) / ref[column].shape[1]
            + eng[column][day].var(ddof=1) / eng[column].shape[1]
        )
        out[column] = {
            "max_abs_diff": float(diff[day]),
            "day": day,
            "standard_error": se,
            "mean_abs_diff": float(diff.mean()),
            "final_reference": float(ref[column][-1].mean()),
            "final_engine": float(eng[column][-1].mean()),
        }
        ok = ok and bool(diff[day] < tolerance)
    out["ok"] = ok
    return out
