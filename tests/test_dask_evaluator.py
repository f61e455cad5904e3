"""Sweeps on Dask: the same runs as in process, a worker killed mid-sweep, loopback only.

One small sweep (200 people, 60 days, 8 points x 2 replicates in 8 chunks) runs in process (the
reference), on a pool of 2 processes, on a local Dask cluster of 2 workers one of which is
SIGKILLed after the first chunk comes back, and on a scheduler and workers started apart with
``dask scheduler`` and ``dask worker`` on 127.0.0.1. Every ``runs/`` table must equal the
reference exactly (sorted by run, every run once), and every process the clusters start must
listen on loopback addresses only. About 40-60 s on a loaded 2-core machine (three sets of
worker processes start).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd
import pytest
import yaml

pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_sweep  # noqa: E402

from simulation.base.errors import InputError  # noqa: E402
from simulation.experiments.sweep import InProcessEvaluator, PoolEvaluator, Sweep  # noqa: E402
from simulation.experiments.sweep.dask_evaluator import DaskEvaluator, check_address  # noqa: E402

SWEEP = {
    "name": "dask-check",
    "base": str(ROOT / "scenarios" / "all_staff_announcement.yaml"),
    "organisation": {"generate": {"size": 200, "seed": 3}},
    "days": 60,
    "design": {"method": "lhs", "samples": 8},
    "replicates": 2,
    "seed": 11,
    "chunk_runs": 2,
    "parameters": {
        "adoption.threshold_mean": {"low": 0.15, "high": 0.35},
        "habit.decay": {"low": 0.01, "high": 0.05},
    },
    "outcomes": ["sustained_wau", "peak_wau", "registered_final", "cost"],
}


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sweep") / "dask_check.yaml"
    path.write_text(yaml.safe_dump(SWEEP), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(sweep_file, tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("reference") / "out"
    with InProcessEvaluator() as ev:
        runs = Sweep.load(sweep_file).run(evaluator=ev, out=out, progress=False).runs
    assert len(runs) == 16 and list(runs["run"]) == list(range(16))
    return runs


def host(address: str) -> str:
    return urlparse(address).hostname or ""


def test_addresses_are_checked():
    assert check_address("local") == "local"
    assert check_address("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    for bad in ("10.0.0.5:8786", "tcp://", "remote"):
        with pytest.raises(InputError, match="^--scheduler: "):
            check_address(bad)


def test_a_pool_of_two_processes_gives_the_same_runs(sweep_file, reference, tmp_path):
    with PoolEvaluator(workers=2) as ev:
        runs = Sweep.load(sweep_file).run(evaluator=ev, out=tmp_path / "o", progress=False).runs
    pd.testing.assert_frame_equal(runs, reference)


class KillOneWorker(DaskEvaluator):
    """A local cluster whose busiest worker is SIGKILLed when the first chunk comes back."""

    killed: int | None = None
    sockets: list = []
    caches: dict = {}

    def evaluate(self, fn, chunks):
        client = self.client
        pids = client.run(os.getpid)  # worker address -> pid
        type(self).sockets = bench_sweep.listening()
        for chunk, outcome in super().evaluate(fn, chunks):
            if type(self).killed is None:
                busy = {w: len(keys) for w, keys in client.processing().items() if keys}
                assert busy, "the other chunks are still running"
                victim = max(busy, key=busy.get)
                type(self).killed = pids[victim]
                os.kill(pids[victim], signal.SIGKILL)
            yield chunk, outcome
        # organisations each worker process holds: the sweep's one, built once there
        type(self).caches = client.run(
            lambda: len(__import__("simulation.experiments.sweep.chunks", fromlist=["_ORGS"])._ORGS)
        )


def test_local_dask_with_a_killed_worker_gives_every_run_once(sweep_file, reference, tmp_path):
    with KillOneWorker("local", workers=2) as ev:
        assert len(ev.client.scheduler_info()["workers"]) == 2
        assert bench_sweep.is_loopback(host(ev.cluster.scheduler_address))
        result = Sweep.load(sweep_file).run(evaluator=ev, out=tmp_path / "o", progress=False)
    assert KillOneWorker.killed is not None
    sockets = KillOneWorker.sockets
    assert sockets and all(bench_sweep.is_loopback(ip) for _, ip, _ in sockets), sockets
    assert 8787 not in {port for _, _, port in sockets}
    # each worker built the organisation at most once; the restarted one may have had no chunk
    # left to run (the other worker took them all while it started): it holds none
    caches = list(KillOneWorker.caches.values())
    assert 1 in caches and set(caches) <= {0, 1}, caches
    assert result.complete and not result.failed
    pd.testing.assert_frame_equal(result.runs, reference)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: ``--no-dashboard`` alone still leaves the scheduler's and the workers' HTTP servers (health,
#: metrics) on 0.0.0.0 (the scheduler's on port 8787): give them a free loopback port instead
LOOPBACK_HTTP = ["--no-dashboard", "--dashboard-address", "127.0.0.1:0"]


def test_a_scheduler_and_workers_started_apart(sweep_file, reference, tmp_path):
    import psutil

    dask = str(Path(sys.executable).with_name("dask"))
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    procs = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), *LOOPBACK_HTTP],
            **quiet,
        )
    ]
    try:
        procs.append(
            subprocess.Popen(
                [dask, "worker", address, "--host", "127.0.0.1", "--nworkers", "2"]
                + ["--nthreads", "1", *LOOPBACK_HTTP],
                **quiet,
            )
        )
        with DaskEvaluator(address) as ev:
            deadline = time.monotonic() + 120
            while len(ev.client.scheduler_info()["workers"]) < 2:
                assert time.monotonic() < deadline, "the workers did not join"
                time.sleep(0.5)
            result = Sweep.load(sweep_file).run(evaluator=ev, out=tmp_path / "o", progress=False)
            worker_pids = set(ev.client.run(os.getpid).values())
            pids = [p.pid for p in procs]
            pids += [c.pid for c in psutil.Process(procs[1].pid).children(recursive=True)]
            sockets = bench_sweep.listening(pids)
        assert worker_pids <= set(pids)
        assert sockets and all(bench_sweep.is_loopback(ip) for _, ip, _ in sockets), sockets
        pd.testing.assert_frame_equal(result.runs, reference)
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    import simulation.experiments.sweep.dask_evaluator as module

    monkeypatch.setattr(module, "CONNECT_TIMEOUT", "2s")
    port = free_port()
    with pytest.raises(InputError, match=rf"^--scheduler: cannot reach tcp://127\.0\.0\.1:{port}"):
        DaskEvaluator(f"tcp://127.0.0.1:{port}").__enter__()
