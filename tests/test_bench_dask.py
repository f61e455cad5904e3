"""The sweep benchmark's dask mode: same results as in-process runs, and loopback only.

``benchmarks/bench_sweep.py`` runs batches of replicates on a ``dask.distributed.LocalCluster``.
This test starts that same cluster (``bench_sweep.dask_cluster``: 2 worker processes, one thread
each), sends a handful of small runs through the same code path (``bench_sweep.run_on_dask``),
checks that the daily series and summaries equal those of one run at a time in this process, and
that the scheduler, the nannies, the workers and the scheduler's HTTP server listen on loopback
addresses only (the project's rule: local services bind loopback only; dask's default dashboard address is 0.0.0.0:8787).
About 10-15 s (the cluster starts 2 spawned processes).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_sweep  # noqa: E402
from bench_engine import core_scenario  # noqa: E402

from simulation.experiments.runner import run_replicates  # noqa: E402
from simulation.org.model import Organisation  # noqa: E402


def _host(address: str) -> str:
    return urlparse(address).hostname or ""


def test_dask_cluster_same_results_and_loopback_only():
    from dask.distributed import Client

    org = Organisation.generate(200, seed=3)
    scenario = core_scenario(days=60)
    seeds = [scenario.seed + k for k in range(6)]
    in_process = bench_sweep._frames(run_replicates(org, scenario, seeds, workers=1, batch_size=1))

    with bench_sweep.dask_cluster() as cluster, Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        assert bench_sweep.is_loopback(_host(cluster.scheduler_address))
        if cluster.dashboard_link:
            assert bench_sweep.is_loopback(_host(cluster.dashboard_link))
            assert urlparse(cluster.dashboard_link).port != 8787
        worker_pids = set(client.run(lambda: __import__("os").getpid()).values())
        sockets = bench_sweep.listening()
        on_dask = bench_sweep._frames(
            bench_sweep.run_on_dask(client, org, scenario, seeds, batch_size=2)
        )

    # the worker processes are separate processes, and each of them listens (worker + nanny)
    assert len(worker_pids) == 2
    assert worker_pids <= {pid for pid, _, _ in sockets}
    assert all(bench_sweep.is_loopback(ip) for _, ip, _ in sockets), sockets

    check = bench_sweep.compare(in_process, on_dask)
    assert check["identical"], check
    assert len(on_dask[1]) == len(seeds)
