"""Champions: the footprints surrogate (max coverage), the curve's tail to the whole head-count,
and over-seeding detected where the curve falls.

The footprints are checked against the set scorer (a candidate alone gives the same sustained
weekly active either way), the coverage on hand-made footprints whose answer is known, and the
turning points on curves built with and without a fall.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from simulation.experiments.champions import candidates
from simulation.experiments.champions.compare import (
    RANDOM,
    TAIL_METHODS,
    curve,
    curve_table,
    tail,
    turning_points,
)
from simulation.experiments.champions.coverage import greedy_cover, surrogate, variants
from simulation.experiments.champions.evaluate import SetScorer
from simulation.experiments.champions.footprints import footprints, value_of
from simulation.experiments.champions.run import ChampionSearch
from simulation.experiments.champions.text import turning_text
from simulation.experiments.pool import InProcessEvaluator
from simulation.model.windows import SUSTAINED_DAYS

PLAN = {
    "name": "seeded",
    "days": 120,
    "adoption": {"rule": "threshold"},
    "rollout": {"strategy": "random_seeds", "seeds": 1},
}


def prints_of(reach: list[list[set[int]]], people: int) -> np.ndarray:
    """Footprints (candidates, replicates, people) of 0/1 from who each candidate reaches."""
    out = np.zeros((len(reach), len(reach[0]), people), dtype=np.uint8)
    for c, per_replicate in enumerate(reach):
        for r, who in enumerate(per_replicate):
            out[c, r, sorted(who)] = 1
    return out


def test_greedy_cover_takes_the_biggest_then_the_complement():
    # one replicate, 6 people: B reaches the most, C is the only one reaching 4 and 5
    a, b, c, d = {0, 1, 2}, {0, 1, 2, 3}, {4, 5}, {3}
    prints = prints_of([[a], [b], [c], [d]], 6)
    chosen, gains = greedy_cover(prints, 2)
    assert chosen == [1, 2]
    assert gains == [4.0, 2.0]
    assert surrogate(prints, chosen)[0] == pytest.approx(1.0)  # everyone covered
    # the best pair by brute force is the greedy's here; A with B adds nothing
    best = max(itertools.combinations(range(4), 2), key=lambda s: surrogate(prints, s).mean())
    assert set(best) == {1, 2}
    assert surrogate(prints, [0, 1])[0] == pytest.approx(4 / 6)
    # without B, the greedy takes A then C (5 people), never D (inside B's reach only)
    other, _ = greedy_cover(prints, 2, exclude=(1,))
    assert other == [0, 2]
    assert [0, 2] in variants(prints, chosen, 2)


def test_greedy_cover_averages_over_replicates():
    # X reaches 5 people in replicate 0 and none in replicate 1; Y reaches 3 in each: Y's mean
    # reach (3) beats X's (2.5), then X adds 2 in replicate 0 (people 3 and 4) and nothing in 1
    x = [{0, 1, 2, 3, 4}, set()]
    y = [{0, 1, 2}, {0, 1, 2}]
    prints = prints_of([x, y], 5)
    chosen, gains = greedy_cover(prints, 2)
    assert chosen == [1, 0]
    assert gains == [3.0, 1.0]
    assert surrogate(prints, chosen).tolist() == [1.0, 0.6]


def test_footprints_give_the_scorers_values(tmp_path):
    search = ChampionSearch(PLAN, org="generate:size=300", budget=2, replicates=4)
    blocks = search.blocks(search.seeds, 1000)
    people = np.array([0, 5, 17])
    evaluator = InProcessEvaluator()
    prints, values = footprints(blocks, search.scenario, people, evaluator)
    assert prints.shape == (3, 4, 300) and prints.max() <= SUSTAINED_DAYS
    scored = SetScorer(blocks, search.scenario, evaluator).score([np.array([p]) for p in people])
    np.testing.assert_allclose(values, scored, atol=1e-12)
    # the footprints count people, the outcome is a share of the staff employed that day:
    # equal but for the few vacant positions of the turnover
    np.testing.assert_allclose(value_of(prints), scored, atol=0.01)
    assert values.max() > 0


def test_the_curve_tail_reaches_the_head_count():
    assert tail(2000, 40) == [100, 200, 500, 1000, 2000]
    assert tail(300, 12) == [15, 30, 75, 150, 300]
    assert tail(50, 50) == []
    search = ChampionSearch(PLAN, org="generate:size=120", budget=2, replicates=3)
    org = search.org
    scores = candidates.scores(org, False)
    scorer = SetScorer([(org, search.check_seeds[:3])], search.scenario)
    at_budget = SetScorer([(org, search.check_seeds[:5])], search.scenario)
    found = candidates.top(scores.degree, 2)
    runs = curve(
        scorer, org, scores, (found, found), 2, 8, seed=1, at_budget=at_budget,
        tail_points=tail(org.size, 8),
    )  # fmt: skip
    ks = sorted(runs["k"].unique())
    assert ks[-1] == 120 and {12, 30, 60}.issubset(ks)
    beyond = runs[runs["k"] > 8]
    assert set(beyond["method"]) == set(TAIL_METHODS)
    # everyone seeded: top degree and random are the same people, so the same runs
    everyone = beyond[beyond["k"] == 120].pivot(index="replicate", columns="method")
    np.testing.assert_allclose(everyone.iloc[:, 0], everyone.iloc[:, 1])
    # more runs at the budget than elsewhere
    assert runs[runs["k"] == 2].groupby("method").size().min() == 5
    assert runs[runs["k"] == 8].groupby("method").size().max() == 3
    table = curve_table(runs)
    point = turning_points(table, RANDOM)
    assert point["end"] == 120


def curve_runs(means: dict[int, float], replicates: int = 30, noise: float = 0.01) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    rows = [
        ("top degree", k, r, mean + noise * rng.standard_normal())
        for k, mean in means.items()
        for r in range(replicates)
    ]
    return pd.DataFrame(rows, columns=["method", "k", "replicate", "sustained_wau"])


def test_over_seeding_is_detected_where_the_curve_falls():
    # built to have it: rises to 40 seeded, then 1, 3 and 6 points lower at 100, 500 and 2,000
    falling = {0: 0.0, 10: 0.15, 40: 0.20, 100: 0.19, 500: 0.17, 2000: 0.14}
    point = turning_points(curve_table(curve_runs(falling)), "top degree")
    assert point == {"best_k": 40, "falls_after": 100, "end": 2000}
    text = turning_text({"top degree": point}, 2000)
    assert text == ["Over-seeding: best with 40 seeded (2 % of the head-count), lower from 100 "
                    "seeded: top degree"]  # fmt: skip
    # the same shape without the fall: no over-seeding said
    rising = {**falling, 500: 0.24, 2000: 0.25}
    point = turning_points(curve_table(curve_runs(rising)), "top degree")
    assert point == {"best_k": 2000, "falls_after": None, "end": 2000}
    assert "no over-seeding" in turning_text({"top degree": point}, 2000)[0]
    # a dip within the noise is not a fall
    flat = {**falling, 500: 0.199, 2000: 0.198}
    point = turning_points(curve_table(curve_runs(flat)), "top degree")
    assert point["falls_after"] is None
    assert "within the noise" in turning_text({"top degree": point}, 2000)[0]
