"""PRIM (simulation.analysis.prim) against the published algorithm (Friedman & Fisher 1999):
a box planted in a synthetic sweep is found, its measures are direct counts, and each limit's
significance and resampling check behave as documented."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.analysis.prim import Box, inside, prim, significance


def planted(n: int = 2000, noise: float = 0.05, seed: int = 1):
    """Success iff x1 > 0.6 and x2 < 0.3, each label flipped with chance ``noise``; x3 and the
    category c are irrelevant."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(
        {
            "x1": rng.random(n),
            "x2": rng.random(n),
            "x3": rng.random(n),
            "c": rng.choice(["a", "b", "c"], n),
        }
    )
    y = ((x["x1"] > 0.6) & (x["x2"] < 0.3)).to_numpy()
    return x, np.where(rng.random(n) < noise, ~y, y)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_box_is_recovered_within_005(seed):
    x, y = planted(seed=seed)
    result = prim(x, y, resamples=20, seed=seed)
    limits = result.limits.set_index("parameter")
    assert set(limits.index) == {"x1", "x2"}  # x3 and c are left free
    assert abs(limits.loc["x1", "low"] - 0.6) < 0.05
    assert limits.loc["x1", "high"] == pytest.approx(x["x1"].max())
    assert limits.loc["x2", "low"] == pytest.approx(x["x2"].min())
    assert abs(limits.loc["x2", "high"] - 0.3) < 0.05
    assert (limits["p_value"] < 1e-6).all()
    assert (limits["reappears"] >= 0.8).all()
    assert result.reappearance["c"] <= 0.3


def test_density_coverage_and_mass_are_direct_counts():
    x, y = planted(seed=4)
    result = prim(x, y, resamples=0)
    box = result.box
    mask = np.ones(len(x), dtype=bool)
    for name, (low, high) in ((n, box.limits[n]) for n in ("x1", "x2", "x3")):
        mask &= (x[name] >= low).to_numpy() & (x[name] <= high).to_numpy()
    mask &= x["c"].isin(box.limits["c"]).to_numpy()
    assert box.count == mask.sum()
    assert box.density == y[mask].sum() / mask.sum()
    assert box.coverage == y[mask].sum() / y.sum()
    assert box.mass == mask.sum() / len(x)
    first = result.trajectory.iloc[0]  # the whole space
    assert (first["coverage"], first["mass"]) == (1.0, 1.0)
    assert first["density"] == pytest.approx(y.mean())
    last = result.trajectory.iloc[-1]
    assert last["mass"] >= 0.05  # never peeled below min_mass
    for k, row in result.trajectory.iterrows():
        inner = inside(x, result.boxes[k].limits)
        assert row["count"] == inner.sum() and row["successes"] == y[inner].sum()


def test_a_category_is_peeled():
    rng = np.random.default_rng(5)
    n = 1500
    x = pd.DataFrame(
        {"x1": rng.random(n), "strategy": rng.choice(["mandate", "grassroots", "hubs"], n)}
    )
    y = ((x["strategy"] != "mandate") & (x["x1"] > 0.5)).to_numpy()
    y = np.where(rng.random(n) < 0.03, ~y, y)
    result = prim(x, y, resamples=10)
    assert result.box.limits["strategy"] == frozenset({"grassroots", "hubs"})
    assert abs(result.box.limits["x1"][0] - 0.5) < 0.05
    row = result.limits.set_index("parameter").loc["strategy"]
    assert row["kind"] == "categorical" and row["categories"] == "grassroots, hubs"


def test_a_limit_on_noise_is_rarely_significant():
    """Under the null (a cut on an irrelevant parameter) the p-value falls below 0.05 in about
    5 % of data sets: at most 3 of 20 (binomial chance of 4 or more: 1.6 %)."""
    low = []
    for seed in range(20):
        x, y = planted(n=1000, seed=100 + seed)
        result = prim(x, y, resamples=0)
        limits = dict(result.box.limits)
        limits["x3"] = (0.0, 0.5)  # an arbitrary cut on an irrelevant parameter
        box = Box(limits)
        mask = inside(x, limits)
        box.count, box.successes = int(mask.sum()), int(y[mask].sum())
        low.append(significance(x, y, box, "x3") < 0.05)
        assert significance(x, y, box, "x1") < 1e-6
    assert sum(low) <= 3


def test_min_density_picks_the_widest_dense_box_and_pasting_never_lowers_density():
    x, y = planted(seed=7)
    loose = prim(x, y, resamples=0, min_density=0.5)
    tight = prim(x, y, resamples=0)
    chosen = loose.trajectory.iloc[loose.chosen]
    assert chosen["density"] >= 0.5
    denser = loose.trajectory[loose.trajectory["density"] >= 0.5]
    assert chosen["coverage"] == denser["coverage"].max()
    assert loose.box.density >= chosen["density"]
    assert tight.box.density >= tight.trajectory.iloc[tight.chosen]["density"]


def test_bad_input():
    x, y = planted(n=100)
    with pytest.raises(ValueError, match="alpha"):
        prim(x, y, alpha=0.6)
    with pytest.raises(ValueError, match="rows"):
        prim(x, y[:50])


def test_when_most_runs_succeed_the_failures_are_still_shed():
    """90 % succeed (all but x1 < 0.1): coverage x density would keep the whole space; the
    lift over the base rate keeps x1 >= 0.1."""
    rng = np.random.default_rng(8)
    x = pd.DataFrame({"x1": rng.random(2000), "x2": rng.random(2000)})
    y = (x["x1"] >= 0.1).to_numpy()
    result = prim(x, y, resamples=0)
    limits = result.limits.set_index("parameter")
    assert list(limits.index) == ["x1"]
    assert abs(limits.loc["x1", "low"] - 0.1) < 0.05
    assert result.box.density == 1.0 and result.box.coverage > 0.95
