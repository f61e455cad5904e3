"""Common random numbers and reproducibility (docs/ODD.md section 4, stochasticity)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd

from simulation.experiments.runner import run_replicates
from simulation.model.engine import Engine
from simulation.model.people import Stage
from simulation.org.model import Organisation
from simulation.plan.names import resolve_names
from tests.conftest import ROOT, scenario


def test_replicate_gives_same_numbers_alone_and_in_any_batch(org_1000):
    sc = scenario(days=60)
    alone = Engine(org_1000, resolve_names(sc, org_1000), seeds=[3]).run()
    batch = Engine(org_1000, resolve_names(sc, org_1000), seeds=[1, 2, 3, 4]).run()
    for column, values in alone.records.values.items():
        np.testing.assert_array_equal(values[:, 0], batch.records.values[column][:, 2], column)
    np.testing.assert_array_equal(alone.people.stage[0], batch.people.stage[2])
    np.testing.assert_array_equal(alone.people.habit[0], batch.people.habit[2])


def test_batch_size_and_workers_do_not_change_results(org_1000):
    sc = scenario(days=40)
    seeds = list(range(5))
    reference = pd.concat([r.daily for r in run_replicates(org_1000, sc, seeds, batch_size=5)])
    for kwargs in ({"batch_size": 1}, {"batch_size": 2}, {"workers": 2, "batch_size": 3}):
        other = pd.concat([r.daily for r in run_replicates(org_1000, sc, seeds, **kwargs)])
        pd.testing.assert_frame_equal(
            reference.reset_index(drop=True), other.reset_index(drop=True), check_exact=True
        )


def test_different_seeds_differ(org_1000):
    sc = scenario(days=40)
    a = Engine(org_1000, resolve_names(sc, org_1000), seeds=[0]).run().records.values["wau"]
    b = Engine(org_1000, resolve_names(sc, org_1000), seeds=[1]).run().records.values["wau"]
    assert not np.array_equal(a, b)


def test_one_extra_seed_in_one_part_leaves_the_other_part_exactly_as_before():
    part_a = Organisation.generate(300, seed=1)
    part_b = Organisation.generate(300, seed=2)
    org = Organisation.disjoint_union(part_a, part_b)
    champions_a = [str(i) for i in org.ids[:3]]
    champions_b = [str(i) for i in org.ids[300:303]]
    extra = str(org.ids[10])

    def run(ids):
        sc = scenario(days=120, rollout={"strategy": "champions", "ids": ids})
        return Engine(org, resolve_names(sc, org), seeds=[7]).run().people

    before = run(champions_a + champions_b)
    after = run(champions_a + champions_b + [extra])
    b = slice(300, 600)
    for name in ("stage", "habit", "last_visit", "total_posts", "registered_day"):
        np.testing.assert_array_equal(getattr(before, name)[0, b], getattr(after, name)[0, b], name)
    # and the extra seed did change its own part
    a = slice(0, 300)
    assert not np.array_equal(before.last_visit[0, a], after.last_visit[0, a])
    assert after.stage[0, 10] >= Stage.REGISTERED


def test_same_seed_same_daily_parquet_across_processes_and_workers(tmp_path):
    def run(out, *extra):
        cmd = [
            sys.executable,
            "-m",
            "simulation.cli.main",
            "run",
            str(ROOT / "scenarios" / "grassroots.yaml"),
        ]
        cmd += ["--org", "generate:size=500", "--days", "60", "--replicates", "4", "--quiet"]
        cmd += ["--out", str(out), *extra]
        subprocess.run(cmd, check=True, cwd=ROOT)
        return pd.read_parquet(out / "daily.parquet")

    first = run(tmp_path / "a", "--seed", "5")
    second = run(tmp_path / "b", "--seed", "5", "--workers", "2")
    third = run(tmp_path / "c", "--seed", "6")
    pd.testing.assert_frame_equal(first, second, check_exact=True)
    assert not first["wau"].equals(third["wau"])
