"""The Dask evaluator: loopback only, a worker killed mid-sweep, an external cluster.

Each test starts a small cluster (2 worker processes of one thread: about 5-10 s on a loaded
2-core machine) and runs a dozen small chunks (200 people, 90 days) through
``DaskEvaluator.map``; every chunk must come back exactly once with the numbers the same chunk
gives in this process.
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

pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_sweep  # noqa: E402
from bench_engine import core_scenario  # noqa: E402

from simulation.errors import InputError  # noqa: E402
from simulation.org.model import Organisation  # noqa: E402
from simulation.runner import _run_batch_remote, run_batch  # noqa: E402
from simulation.sweep.dask_evaluator import DaskEvaluator, check_address  # noqa: E402

ORG = Organisation.generate(200, seed=3)
SCENARIO = core_scenario(days=90)
CHUNKS = [(ORG, SCENARIO, [3 * k, 3 * k + 1, 3 * k + 2]) for k in range(12)]


def reference() -> dict[tuple[int, ...], pd.DataFrame]:
    return {tuple(seeds): run_batch(org, sc, seeds).summary for org, sc, seeds in CHUNKS}


def check_results(out, expected) -> None:
    keys = [tuple(chunk[2]) for chunk, _ in out]
    assert sorted(keys) == sorted(expected), "every chunk exactly once"
    for chunk, result in out:
        assert not isinstance(result, BaseException), result
        pd.testing.assert_frame_equal(result.summary, expected[tuple(chunk[2])])


def host(address: str) -> str:
    return urlparse(address).hostname or ""


def test_addresses_are_checked():
    assert check_address("local") == "local"
    assert check_address("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    for bad in ("10.0.0.5:8786", "tcp://", "remote"):
        with pytest.raises(InputError, match="^--scheduler: "):
            check_address(bad)


def test_local_cluster_is_loopback_only_and_survives_a_killed_worker():
    expected = reference()
    with DaskEvaluator("local", workers=2) as ev:
        client = ev.client
        assert len(client.scheduler_info()["workers"]) == 2
        assert bench_sweep.is_loopback(host(ev.cluster.scheduler_address))
        sockets = bench_sweep.listening()
        pids = client.run(os.getpid)  # worker address -> pid
        out, killed = [], None
        for chunk, result in ev.map(_run_batch_remote, CHUNKS):
            out.append((chunk, result))
            if killed is None:
                busy = {w: len(keys) for w, keys in client.processing().items() if keys}
                assert busy, "the other chunks are still running"
                victim = max(busy, key=busy.get)
                killed = pids[victim]
                os.kill(killed, signal.SIGKILL)
    assert killed is not None
    assert set(pids.values()) <= {pid for pid, _, _ in sockets}
    assert sockets and all(bench_sweep.is_loopback(ip) for _, ip, _ in sockets), sockets
    assert 8787 not in {port for _, _, port in sockets}
    check_results(out, expected)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: ``--no-dashboard`` alone still leaves the scheduler's and the workers' HTTP servers (health,
#: metrics) on 0.0.0.0 (the scheduler's on port 8787): give them a free loopback port instead
LOOPBACK_HTTP = ["--no-dashboard", "--dashboard-address", "127.0.0.1:0"]


def test_a_running_scheduler_and_worker_started_apart():
    dask = str(Path(sys.executable).with_name("dask"))
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    procs = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port)] + LOOPBACK_HTTP,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    ]
    try:
        procs.append(
            subprocess.Popen(
                [dask, "worker", address, "--host", "127.0.0.1", "--nworkers", "2"]
                + ["--nthreads", "1", *LOOPBACK_HTTP],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )
        )
        expected = reference()
        with DaskEvaluator(address) as ev:
            deadline = time.monotonic() + 120
            while len(ev.client.scheduler_info()["workers"]) < 2:
                assert time.monotonic() < deadline, "the workers did not join"
                time.sleep(0.5)
            out = list(ev.map(_run_batch_remote, CHUNKS))
            sockets = bench_sweep.listening([p.pid for p in procs])
            worker_pids = set(ev.client.run(os.getpid).values())
        check_results(out, expected)
        import psutil

        children = {c.pid for c in psutil.Process(procs[1].pid).children(recursive=True)}
        sockets += bench_sweep.listening(sorted(children))
        assert worker_pids <= children
        assert sockets and all(bench_sweep.is_loopback(ip) for _, ip, _ in sockets), sockets
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in reversed(procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_an_unreachable_scheduler_is_a_clear_error():
    port = free_port()
    ev = DaskEvaluator(f"tcp://127.0.0.1:{port}")
    ev_timeout = "2s"
    import simulation.sweep.dask_evaluator as module

    old, module.CONNECT_TIMEOUT = module.CONNECT_TIMEOUT, ev_timeout
    try:
        with pytest.raises(
            InputError, match=rf"^--scheduler: cannot reach tcp://127\.0\.0\.1:{port}"
        ):
            ev.__enter__()
    finally:
        module.CONNECT_TIMEOUT = old
