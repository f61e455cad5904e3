"""Market potential, global imitation and the one-shot mode (issue 14, item 2)."""

from __future__ import annotations

import numpy as np
import pytest

import simulation as esn
from simulation.experiments.runner import run_batch
from simulation.model.people import Stage

SEEDS = list(range(8))


@pytest.fixture(scope="module")
def org():
    return esn.Organisation.generate(400, seed=3)


def _scenario(days=150, **adoption):
    return esn.Scenario.from_dict(
        {
            "name": "reach",
            "days": days,
            "mode": "one_shot",
            "adoption": {"rule": "bass", **adoption},
            "rollout": {"strategy": "announcement"},
        }
    )


def test_market_potential_caps_adoption(org):
    result = run_batch(org, _scenario(p=0.05, q=0.0, market_potential=0.6), SEEDS, keep_model=True)
    final = result.summary["registered_final"].to_numpy()
    # 400 people, each inside the potential with probability 0.6: sd of the share ~0.025
    assert abs(final.mean() - 0.6) < 0.03
    assert final.max() <= 0.6 + 4 * 0.025
    stage = result.model.engine.people.stage
    assert ((stage == Stage.NEVER) | (stage >= Stage.REGISTERED)).all()


def test_global_imitation_follows_the_mean_field_bass_recursion(org):
    p, qg = 0.002, 0.08
    result = run_batch(org, _scenario(days=120, p=p, q=0.0, q_global=qg), SEEDS)
    mean = result.daily.groupby("day")["registered"].mean().to_numpy()
    f, expected = 0.0, []
    for _ in range(120):
        f = f + (1 - f) * (p + qg * f)
        expected.append(f)
    # 8 replicates of 400 people: the mean share has an sd under 0.01 at its widest
    assert np.abs(mean - np.array(expected)).max() < 0.05
    slow = run_batch(org, _scenario(days=120, p=p, q=0.0), SEEDS)
    assert result.summary["registered_final"].mean() > slow.summary["registered_final"].mean() + 0.3


def test_one_shot_mode_has_no_posts_no_lapse_and_reports_no_posts(org):
    result = run_batch(org, _scenario(days=200, p=0.01, q=0.05), SEEDS[:3], keep_model=True)
    daily = result.daily
    assert (daily["posts"] == 0).all()
    assert (result.model.engine.people.stage != Stage.LAPSED).all()
    for _, run in daily.groupby("replicate"):
        assert (np.diff(run["registered"].to_numpy()) >= 0).all()
    assert result.summary["gini_posts"].isna().all()
    assert result.summary["cost"].isna().all()
    assert result.summary["registered_final"].notna().all()


def test_usage_mode_still_lapses_and_posts(org):
    scenario = _scenario(days=200, p=0.01, q=0.05).with_overrides(mode="usage")
    result = run_batch(org, scenario, SEEDS[:2], keep_model=True)
    assert result.daily["posts"].sum() > 0
    assert (result.model.engine.people.stage == Stage.LAPSED).any()
    assert result.summary["gini_posts"].notna().all()


def test_run_people_writes_each_persons_end_state(tmp_path):
    import pandas as pd

    from simulation.cli.main import main

    path = tmp_path / "s.yaml"
    path.write_text("name: s\ndays: 60\nmode: one_shot\nadoption: {rule: bass, p: 0.01}\n")
    out = tmp_path / "out"
    code = main(["run", str(path), "--org", "generate:size=150", "--replicates", "2",
                 "--people", "--out", str(out), "--quiet"])  # fmt: skip
    assert code == 0
    people = pd.read_parquet(out / "people.parquet")
    assert len(people) == 300 and set(people["replicate"]) == {0, 1}
    daily = pd.read_parquet(out / "daily.parquet")
    last_day = daily[daily["day"] == 59].set_index("replicate")["registered"]
    adopted = people.groupby("replicate")["registered_day"].apply(lambda s: s.notna().mean())
    assert np.allclose(adopted.sort_index().to_numpy(), last_day.sort_index().to_numpy())
    assert set(people["stage"]) <= {"registered", "aware"}
    assert (people["posts"] == 0).all()
