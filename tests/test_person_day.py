"""One day of the engine against a plain-numpy re-implementation of phases 5-11 of the day
(:data:`simulation.model.day.DAY_PLAN`: the person's day and its counts).

The engine is run a few days (the rollout, an announcement, acts on day 0 only), its state is
optionally replaced by a random mid-run state (every stage, habits on both sides of the lapse
bar, visits and posts of the last weeks), then one ``engine.step()`` is compared with the same
day computed here with numpy, whole arrays at a time, from a copy of the state at the start of
the day, the day's signals and the same random numbers (``engine.streams.uniform(name, day)``).
The equations are written out here from docs/ODD.md (phases 5-10), not imported from
``simulation.model.habit`` / ``simulation.model.activity``, so a change to those that the docs do not
describe is caught too.

The reference computes probabilities in float64 from the float32 state; the kernel may compute
in float32. A person whose number ``u`` falls within ``MARGIN`` of a probability is a near-tie
whose outcome may legitimately differ: such people are left out of the comparison (and there
must be few of them). Everyone else must match exactly (stages, visits, posts, last visit, post
windows, posters in order, the day's counts) and their habit within ``HABIT_TOL``.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from simulation.model.effects import EFFECTS
from simulation.model.engine import Engine
from simulation.model.people import NEVER_VISITED, Stage
from simulation.org.model import Organisation
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Scenario

MARGIN = 1e-5  # |u - probability| under which a draw is a near-tie (float32 vs float64)
HABIT_TOL = 1e-5  # habit after one step: float32 arithmetic vs float64 (measured ~1e-7)
F = np.float32


class RandomEffects:
    """A lever that sets effects ``names`` (default all of :data:`EFFECTS`) to random arrays."""

    RANGES = {
        "awareness_boost": (0.0, 0.05),
        "adoption_boost": (0.0, 0.05),
        "visit_boost": (0.0, 0.1),
        "visit_factor": (0.5, 1.5),
        "post_factor": (0.5, 2.0),
        "reward_boost": (0.0, 0.2),
        "feed_factor": (0.5, 1.5),
        "lapse_factor": (0.5, 3.0),
        "return_boost": (0.0, 0.2),
    }

    def __init__(self, seed: int, names=EFFECTS):
        self.rng = np.random.default_rng(seed)
        self.names = names
        self.today: dict[str, np.ndarray] = {}

    def apply(self, engine, day: int) -> None:
        shape = engine.people.stage.shape
        self.today = neutral_effects()
        for name in self.names:
            low, high = self.RANGES[name]
            value = self.rng.uniform(low, high, shape).astype(F)
            if name.endswith("_factor"):
                engine.today.scale(name, value)
            else:
                engine.today.add(name, value)
            self.today[name] = value


def neutral_effects() -> dict[str, float]:
    return {name: 1.0 if name.endswith("_factor") else 0.0 for name in EFFECTS}


def randomise_state(engine: Engine, seed: int, strong: bool = False) -> None:
    """A random but consistent mid-run state at the start of ``engine.day``.

    ``strong``: habits 0.9-1, so that visit probabilities exceed 1 before the weekly rhythm.
    """
    rng = np.random.default_rng(seed)
    people, day = engine.people, engine.day
    shape = people.stage.shape
    people.stage[:] = rng.choice(6, shape, p=[0.15, 0.2, 0.1, 0.35, 0.15, 0.05])
    # habits over the whole range (visit probability over 1 for the strongest), a third under
    # the lapse bar (0.12)
    habit = np.where(rng.random(shape) < 0.3, rng.uniform(0.0, 0.12, shape), rng.random(shape))
    if strong:
        habit = rng.uniform(0.9, 1.0, shape)
    people.habit[:] = habit.astype(F)
    people.habit[people.stage < Stage.REGISTERED] = 0.0
    people.last_visit[:] = rng.integers(day - 40, day, shape)
    people.last_visit[rng.random(shape) < 0.2] = NEVER_VISITED
    people.post_ring[:] = rng.random(people.post_ring.shape) < 0.15
    people.week_posts[:] = people.post_ring.sum(axis=0)
    people.posts_yesterday[:] = people.post_ring[(day - 1) % 7].astype(bool)
    people.posts_today[:] = 0
    people.total_posts[:] = people.week_posts + rng.integers(0, 20, shape)
    people.registered_day[:] = np.where(
        people.stage >= Stage.REGISTERED, rng.integers(0, day, shape), -1
    )


def effort_and_mobile(sc: Scenario, frontline: np.ndarray, day: int):
    """The day's visit multiplier and mobile share of visits (docs: weekly rhythm, device)."""
    v, platform = sc.visits, sc.platform
    weekend = day % 7 >= 5
    if platform.mobile_app:
        desk = min(v.weekend_factor + platform.weekend_push, 1.0) if weekend else 1.0
        effort = np.where(frontline, 1.0, desk)
        push = platform.weekend_push / (v.weekend_factor + platform.weekend_push)
        mobile = np.where(frontline, 1.0, push if weekend else platform.mobile_desk_share)
    else:
        desk = v.weekend_factor if weekend else 1.0
        effort = np.where(frontline, v.frontline_factor, desk)
        mobile = np.zeros(frontline.size)
    return effort.astype(F).astype(np.float64), mobile


def reference_day(engine: Engine, before, day: int, effects: dict):
    """Phases 5-11 of ``day`` with numpy from ``before`` (copies of the People arrays).

    Returns the expected arrays, the near-tie mask and the expected counts.
    """
    sc, org = engine.scenario, engine.org
    E, A, Fd = (
        np.asarray(a, np.float64)
        for a in (engine.signals.exposure, engine.signals.activity, engine.signals.feed)
    )
    u = {name: engine.streams.uniform(name, day).astype(np.float64) for name in DECISIONS_USED}
    eff = {k: np.asarray(v, np.float64) for k, v in effects.items()}
    stage0 = before["stage"]
    s = stage0.copy()
    habit = before["habit"].copy()  # float32 storage, as in the state
    registered_day = before["registered_day"].copy()
    near = np.zeros(s.shape, bool)

    def draw(name, chance, where):
        """Who among ``where`` draws under ``chance``; flags near-ties."""
        near[where & (np.abs(u[name] - chance) < MARGIN)] = True
        return where & (u[name] < chance)

    # 5. hear: the unaware of the morning
    unaware = stage0 == Stage.UNAWARE
    hear = E * sc.awareness.word_of_mouth + sc.awareness.background + eff["awareness_boost"]
    s[draw("awareness", hear, unaware)] = Stage.AWARE

    # 6. adopt: the aware of the morning (threshold rule, with rejection at the top of u)
    aware = stage0 == Stage.AWARE
    rule = sc.adoption
    over = engine.signals.exposure >= engine.people.threshold  # float32 vs float32, as the rule
    adopt = np.where(over, F(rule.rate), F(rule.p)).astype(np.float64) + eff["adoption_boost"]
    reject = np.where(over, 0.0, F(rule.reject_rate).astype(np.float64))
    registers = draw("adoption", adopt, aware)
    rejects = aware & ~registers & (u["adoption"] > 1.0 - reject)
    near[aware & ~registers & (np.abs(u["adoption"] - (1.0 - reject)) < MARGIN)] = True
    s[registers] = Stage.REGISTERED
    s[rejects] = Stage.NEVER
    habit[registers] = F(sc.habit.novelty)
    registered_day[registers] = day
    new = registers  # the rollout registers nobody after day 0

    # 7. visit: registered users (registering is a visit); the formulas of docs/ODD.md,
    # written out here rather than taken from simulation.model.activity / simulation.model.habit
    user = s == Stage.REGISTERED
    v, work = sc.visits, sc.platform.work_integration
    K, overload = v.feed_half_saturation, v.overload_posts
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(user & (Fd > 0), Fd / (Fd + K) / (1.0 + (Fd / overload) ** 2), 0.0)
    value = value * eff["feed_factor"]
    effort, mobile = effort_and_mobile(sc, org.frontline, day)
    h0 = habit.astype(np.float64)
    need = engine.people.need.astype(np.float64)  # 1 with a recurring need, 0 without
    own = v.base + work + sc.need.visit * need + v.habit_weight * h0 + v.feed_weight * value
    scale = need + (1.0 - need) * sc.need.without_need
    chance = np.minimum(scale * own + eff["visit_boost"], 1.0) * effort * eff["visit_factor"]
    went = new | draw("visit", chance, user & ~new)

    # 8. post: visitors: min(1, base * sharing * 2 * culture.sharing * (1 - fear_weight * fear))
    people = engine.people
    pst = sc.posting
    propensity = pst.base * people.sharing * 2 * sc.culture.sharing
    propensity = np.clip(propensity * (1 - pst.fear_weight * people.fear), 0.0, 1.0)
    np.testing.assert_allclose(engine.post_propensity, propensity, rtol=1e-6)
    # a newcomer (first introduction_days days, no post yet) also introduces themselves
    newcomer = (day - registered_day < pst.introduction_days) & (before["total_posts"] == 0)
    chance = np.where(newcomer, 1 - (1 - propensity) * (1 - pst.introduction), propensity)
    chance = chance * eff["post_factor"]  # the levers' factor scales introductions too
    posted = draw("post", chance, went)

    # 9-10. habit, lapse and return
    if sc.habit.enabled:
        hc, rc = sc.habit, sc.reward
        reward = (
            rc.feed_weight * value
            + rc.post_weight * posted
            + rc.reply_weight * A * before["posts_yesterday"]
            + rc.work_weight * work
            + eff["reward_boost"]
        )
        reward = np.minimum(reward, 1.0)
        h = np.where(went, h0 + hc.learning_rate * (reward - h0), h0 * (1.0 - hc.decay))
        h = np.clip(h, 0.0, 1.0)
        habit = np.where(user, h.astype(F), habit)
        lapse = np.where(h < hc.lapse_below, hc.lapse_rate * (1.0 - A), 0.0)
        early = day - registered_day < hc.abandon_within  # an early lapse is for good
        lapse = lapse * np.where(early, 1.0, 1.0 - need * (1.0 - sc.need.lapse_factor))
        lapse = lapse * eff["lapse_factor"]
        lapses = draw("lapse", lapse, user & ~went)
        # a user whose habit sits on the bar is a near-tie too
        near[user & ~went & (np.abs(h - hc.lapse_below) < MARGIN)] = True
        # the return falls with the days since the last visit (duration dependence)
        away = day - before["last_visit"].astype(np.float64)
        back = hc.return_rate * A * (1 + away / hc.return_tau) ** -hc.return_shape
        back = back + eff["return_boost"]
        returns = draw("lapse", back, stage0 == Stage.LAPSED)
        s[lapses & ~early] = Stage.LAPSED
        s[lapses & early] = Stage.DORMANT
        s[returns] = Stage.REGISTERED
        habit[returns] = F(hc.return_habit)

    # bookkeeping
    slot = day % 7
    last_visit = np.where(went, day, before["last_visit"]).astype(np.int16)
    ring = before["post_ring"].copy()
    week_posts = before["week_posts"] + posted - ring[slot]
    ring[slot] = posted
    expected = {
        "stage": s,
        "habit": habit,
        "last_visit": last_visit,
        "registered_day": registered_day,
        "posts_today": posted.astype(np.uint8),
        "posts_yesterday": posted,
        "week_posts": week_posts,
        "post_ring": ring,
        "total_posts": before["total_posts"] + posted,
        "visited": went,
    }
    heavy = sc.posting.heavy_per_week
    weekly = last_visit > day - 7
    counts = {
        "aware": (s != Stage.UNAWARE).sum(1),
        "registered": (s >= Stage.REGISTERED).sum(1),
        "dau": went.sum(1),
        "wau": weekly.sum(1),
        "mau": (last_visit > day - 30).sum(1),
        "lurkers": (weekly & (week_posts == 0)).sum(1),
        "contributors": (weekly & (week_posts > 0) & (week_posts < heavy)).sum(1),
        "heavy_contributors": (week_posts >= heavy).sum(1),
        "posts": posted.sum(1),
        "mobile_visits": (went * mobile).sum(1),
    }
    return expected, near, counts


DECISIONS_USED = ("awareness", "adoption", "visit", "post", "lapse")

CASES = {
    # the scenario of the brief, its own state after 9 days (aware people registering)
    "natural": dict(scenario={}, warmup=9, random_state=False, levers=()),
    # random mid-run states: a working day, a Saturday, with every lever effect set, with a
    # mobile app on a Sunday, and without habit (no lapse or return)
    "random weekday": dict(scenario={}, warmup=9, random_state=True, levers=()),
    "random saturday": dict(scenario={}, warmup=12, random_state=True, levers=()),
    "random levers": dict(scenario={}, warmup=10, random_state=True, levers=EFFECTS),
    # half the effects only (each effect must be read from its own slot)
    "random even levers": dict(scenario={}, warmup=10, random_state=True, levers=EFFECTS[0::2]),
    "random odd levers": dict(scenario={}, warmup=10, random_state=True, levers=EFFECTS[1::2]),
    "random app sunday": dict(
        scenario={"platform": {"mobile_app": True}}, warmup=13, random_state=True, levers=EFFECTS
    ),
    # strong habits on a Saturday: min(1, ...) is taken before the weekend factor
    "random strong saturday": dict(
        scenario={}, warmup=12, random_state=True, levers=(), strong=True
    ),
    "random no habit": dict(
        scenario={"habit": {"enabled": False}}, warmup=8, random_state=True, levers=()
    ),
}


@pytest.fixture(scope="module")
def org() -> Organisation:
    return Organisation.generate(300, seed=2)


@pytest.mark.parametrize("case", list(CASES))
def test_one_day_equals_numpy_reference(org, case):
    spec = CASES[case]
    # a fixed head-count: the reference is the person's day, not the end-of-day workforce flow
    data = {"name": "x", "days": 30, "workforce": {"annual_turnover": 0}}
    if spec["random_state"]:
        # more posting, background awareness, lapses and returns: every branch is taken
        data.update(
            posting={"base": 0.2},
            awareness={"background": 0.05},
            habit={"lapse_rate": 0.4, "return_rate": 0.4, "abandon_within": 5},
        )
    for key, value in spec["scenario"].items():
        data[key] = {**data.get(key, {}), **value}
    sc = Scenario.from_dict(data)
    engine = Engine(org, resolve_names(sc, org), seeds=[11, 12])
    engine.run(spec["warmup"])
    day = engine.day
    if spec["random_state"]:
        randomise_state(engine, seed=day, strong=spec.get("strong", False))
    lever = None
    if spec["levers"]:
        lever = RandomEffects(seed=day, names=spec["levers"])
        engine.levers.append(lever)
    names = [f.name for f in fields(engine.people)]
    before = {k: getattr(engine.people, k).copy() for k in names}

    row = engine.step()

    effects = lever.today if lever is not None else neutral_effects()
    expected, near, counts = reference_day(engine, before, day, effects)
    assert near.sum() <= 2, f"{near.sum()} near-ties: pick other seeds"
    ok = ~near
    people = engine.people
    for name, want in expected.items():
        have = engine.visited if name == "visited" else getattr(people, name)
        if name == "post_ring":
            have, want = have[:, ok], want[:, ok]
        else:
            have, want = have[ok], want[ok]
        if name == "habit":
            np.testing.assert_allclose(have, want, rtol=0, atol=HABIT_TOL, err_msg=name)
        else:
            np.testing.assert_array_equal(have, want.astype(have.dtype), err_msg=name)
    # traits untouched
    for name in ("threshold", "sharing", "fear"):
        np.testing.assert_array_equal(getattr(people, name), before[name], err_msg=name)

    # today's posters, in order, after their count
    posters = engine.signals.posters[day % 2]
    for r in range(engine.replicates):
        who = posters[r, 1 : posters[r, 0] + 1]
        want = np.flatnonzero(expected["posts_today"][r])
        np.testing.assert_array_equal(who[ok[r][who]], want[ok[r][want]])

    # the day's counts (only comparable without near-ties)
    if not near.any():
        size = org.size
        for name in ("aware", "registered", "dau", "wau", "mau", "lurkers", "contributors"):
            np.testing.assert_array_equal(np.rint(row[name] * size), counts[name], err_msg=name)
        np.testing.assert_array_equal(
            np.rint(row["heavy_contributors"] * size), counts["heavy_contributors"]
        )
        np.testing.assert_array_equal(row["posts"], counts["posts"])
        share = np.divide(
            counts["mobile_visits"], counts["dau"], out=np.zeros(2), where=counts["dau"] > 0
        )
        np.testing.assert_allclose(row["mobile_visit_share"], share, rtol=1e-9, atol=1e-12)

    # every branch of the day was exercised somewhere in the batch
    if spec["random_state"]:
        s0, s1 = before["stage"], people.stage
        assert ((s0 == Stage.UNAWARE) & (s1 == Stage.AWARE)).any()
        assert ((s0 == Stage.AWARE) & (s1 == Stage.REGISTERED)).any()
        assert engine.visited.any() and people.posts_today.any()
        lapsed = (s0 == Stage.REGISTERED) & ((s1 == Stage.LAPSED) | (s1 == Stage.DORMANT))
        returned = (s0 == Stage.LAPSED) & (s1 == Stage.REGISTERED)
        if not sc.habit.enabled:  # no lapse, no return
            assert not lapsed.any() and not returned.any()
        elif spec.get("strong"):  # strong habits do not lapse
            assert not lapsed.any() and returned.any()
        else:
            assert lapsed.any() and returned.any()
