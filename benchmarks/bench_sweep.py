"""Runs per second of many small runs: one at a time, batched, 2 worker processes and dask.

``python benchmarks/bench_sweep.py [--runs 1000] [--quick]``: ``--runs`` runs (replicates, seeds
``scenario.seed + k``) of the core model on a 1,000-person generated organisation over 365 days,

* ``single``: one run at a time (``run_replicates(..., workers=1, batch_size=1)``);
* ``batched``: batches of replicates in this process (``batch_size=50``: people x replicates
  arrays, compiled kernels looping over the replicates);
* ``runner_2_workers``: ``run_replicates(..., workers=2, batch_size=50)``, the product's own path
  (this process runs the first batch while a pool of 2 spawned processes runs the others);
* ``pool_2_processes``: the batches spread over a pool of 2 spawned worker processes;
* ``dask``: a ``dask.distributed.LocalCluster`` of 2 worker processes (one thread each) bound to
  127.0.0.1, its HTTP server on ``127.0.0.1:0`` with no dashboard (the project's rule for local services: the
  default would be 0.0.0.0:8787), given the same batches; the cluster's start-up is timed apart
  (``startup_s``) and is not in the mode's seconds. If ``dask.distributed`` is not importable the
  script says it was skipped. The addresses the cluster's processes listen on are recorded
  (``listening``) and must all be loopback.

Every mode must give the same numbers for every replicate (the design's contract: a replicate's
result does not depend on the batch or the process it ran in); the script checks the daily series
and the per-run summaries of every mode against ``single`` exactly, prints the figures and the
target (batched >= 3x the runs per second of one at a time: PASS / FAIL) and writes
``--out`` (default ``benchmarks/sweep_results.json``). Then, unless ``--no-sweep-command``, the
targets of ``esnsim sweep`` itself (:mod:`bench_sweep_targets`): a sweep of ``--sweep-runs``
runs through the command per core against the batched loop (>= 0.8x), Dask ``LocalCluster``
against the pool (>= 0.8x), and the peak memory of a ``--memory-runs``-run sweep (< 1 GB, flat).
``--quick``: 100 runs of the modes, a sweep of 200 runs, memory at 500 and 5,000 runs. Each mode's ``cpu_s`` is the CPU time of
this process and of the worker processes it started (joined when the mode ends), start-up included;
on a shared machine compare it with the wall time.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_engine import core_scenario, machine  # noqa: E402

from simulation.experiments.runner import (  # noqa: E402
    _run_task,
    batches,
    run_batch,
    run_replicates,
)
from simulation.org.model import Organisation  # noqa: E402

BATCH = 50
TARGET = 3.0


def _frames(results) -> tuple[pd.DataFrame, pd.DataFrame]:
    daily = pd.concat([r.daily for r in results], ignore_index=True)
    summary = pd.concat([r.summary for r in results], ignore_index=True)
    daily = daily.sort_values(["replicate", "day"], kind="stable").reset_index(drop=True)
    summary = summary.sort_values("replicate", kind="stable").reset_index(drop=True)
    return daily, summary


def mode_single(org, scenario, seeds):
    return run_replicates(org, scenario, seeds, workers=1, batch_size=1)


def mode_batched(org, scenario, seeds):
    return run_replicates(org, scenario, seeds, workers=1, batch_size=BATCH)


def mode_runner_2_workers(org, scenario, seeds):
    return run_replicates(org, scenario, seeds, workers=2, batch_size=BATCH)


def mode_pool_2_processes(org, scenario, seeds):
    context = multiprocessing.get_context("spawn")
    groups = batches(list(seeds), BATCH)
    jobs = [(k, org, scenario, group, False) for k, group in enumerate(groups)]
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        return list(pool.map(_run_task, jobs))


def dask_cluster(n_workers: int = 2):
    """The sweep's own loopback-only ``LocalCluster`` (simulation.experiments.sweep.dask_evaluator), so the
    benchmark measures the cluster users get: scheduler, nannies and workers on 127.0.0.1, the
    HTTP server on a free loopback port, no dashboard, one thread per worker process."""
    from simulation.experiments.sweep.dask_evaluator import local_cluster

    return local_cluster(n_workers)


def run_on_dask(client, org, scenario, seeds, batch_size: int = BATCH):
    """The batches of ``seeds`` on a dask cluster, results in the order of the batches."""
    org_f = client.scatter(org, broadcast=True)
    sc_f = client.scatter(scenario, broadcast=True)
    futures = [
        client.submit(run_batch, org_f, sc_f, group, pure=False)
        for group in batches(list(seeds), batch_size)
    ]
    return client.gather(futures)


def listening(pids=None) -> list[tuple[int, str, int]]:
    """(pid, address, port) of every listening inet socket of this process and its children."""
    import psutil

    me = psutil.Process()
    procs = [me, *me.children(recursive=True)] if pids is None else map(psutil.Process, pids)
    out = []
    for proc in procs:
        try:
            conns = proc.net_connections(kind="inet")
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        out += [(proc.pid, c.laddr.ip, c.laddr.port) for c in conns if c.status == "LISTEN"]
    return out


def is_loopback(address: str) -> bool:
    import ipaddress

    return ipaddress.ip_address(address).is_loopback


#: Filled by :func:`mode_dask`: start-up time and the listening sockets of the last cluster.
DASK_INFO: dict = {}


def mode_dask(org, scenario, seeds):
    from dask.distributed import Client

    start = time.perf_counter()
    with dask_cluster() as cluster, Client(cluster) as client:
        DASK_INFO["startup_s"] = time.perf_counter() - start
        DASK_INFO["scheduler_address"] = cluster.scheduler_address
        DASK_INFO["dashboard_link"] = cluster.dashboard_link
        sockets = listening()
        DASK_INFO["listening"] = [f"{ip}:{port}" for _, ip, port in sockets]
        DASK_INFO["loopback_only"] = all(is_loopback(ip) for _, ip, _ in sockets)
        run_start = time.perf_counter()
        out = run_on_dask(client, org, scenario, seeds)
        DASK_INFO["run_s"] = time.perf_counter() - run_start
    return out


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children that have ended, seconds.

    The worker processes of the pools and of the dask cluster are joined when their mode ends, so
    a mode's CPU time is the difference of this figure before and after it (their start-up
    included).
    """
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def dask_available() -> bool:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        return False
    return True


def compare(reference, other) -> dict:
    """Exact equality of two modes' daily series and summaries (and the largest difference)."""
    out = {}
    for name, a, b in (("daily", reference[0], other[0]), ("summary", reference[1], other[1])):
        if a.shape != b.shape or list(a.columns) != list(b.columns):
            out[name] = {"identical": False, "why": f"shape {a.shape} vs {b.shape}"}
            continue
        numeric = a.select_dtypes("number").columns
        diff = 0.0
        for column in numeric:
            x, y = a[column].to_numpy(np.float64), b[column].to_numpy(np.float64)
            both_nan = np.isnan(x) & np.isnan(y)
            d = np.where(both_nan, 0.0, np.abs(x - y))
            diff = max(diff, float(np.nanmax(d)) if d.size else 0.0)
        others = [c for c in a.columns if c not in numeric]
        same_other = all(a[c].equals(b[c]) for c in others)
        out[name] = {"identical": bool(diff == 0.0 and same_other), "max_abs_diff": diff}
    out["identical"] = all(v["identical"] for v in out.values())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs (replicates), default 1000")
    parser.add_argument("--size", type=int, default=1000, help="people, default 1000")
    parser.add_argument("--quick", action="store_true", help="100 runs (a smoke run)")
    parser.add_argument("--out", default=str(HERE / "sweep_results.json"), help="results JSON")
    parser.add_argument("--sweep-runs", type=int, help="esnsim sweep runs (default 2000)")
    parser.add_argument("--memory-runs", type=int, help="memory sweep runs (default 100000)")
    parser.add_argument("--workers", type=int, help="esnsim sweep workers (default: the cores)")
    parser.add_argument(
        "--no-sweep-command", action="store_true", help="skip the esnsim sweep targets"
    )
    args = parser.parse_args(argv)
    runs = 100 if args.quick and args.runs == 1000 else args.runs
    sweep_runs = args.sweep_runs or (200 if args.quick else 2000)
    memory_runs = args.memory_runs or (5_000 if args.quick else 100_000)

    org = Organisation.generate(args.size, seed=0)
    scenario = core_scenario()
    seeds = [scenario.seed + k for k in range(runs)]
    modes = {
        "single": mode_single,
        "batched": mode_batched,
        "runner_2_workers": mode_runner_2_workers,
        "pool_2_processes": mode_pool_2_processes,
    }
    if dask_available():
        modes["dask"] = mode_dask
    else:
        print("dask: skipped (dask.distributed is not importable)", file=sys.stderr)

    results: dict = {
        "machine": machine(),
        "runs": runs,
        "size": args.size,
        "days": scenario.days,
        "batch_size": BATCH,
        "load_start": [round(v, 2) for v in os.getloadavg()],
        "modes": {},
        "dask": "run" if "dask" in modes else "skipped: dask.distributed is not importable",
    }
    # compile (or load from numba's cache) the kernels before timing anything: a batch of 2
    run_batch(org, scenario, seeds[:2])
    frames = {}
    for name, fn in modes.items():
        print(f"{name}: {runs} runs ...", file=sys.stderr, flush=True)
        start, cpu = time.perf_counter(), cpu_seconds()
        out = fn(org, scenario, seeds)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        frames[name] = _frames(out)
        results["modes"][name] = {"seconds": seconds, "runs_per_s": runs / seconds, "cpu_s": cpu}
        if name == "dask":
            results["modes"][name].update(DASK_INFO)
            results["modes"][name]["runs_per_s_after_startup"] = runs / DASK_INFO["run_s"]
    reference = frames["single"]
    identical = True
    for name in modes:
        if name == "single":
            continue
        check = compare(reference, frames[name])
        results["modes"][name]["same_as_single"] = check
        identical = identical and check["identical"]
    results["identical"] = identical
    if "dask" in modes and not results["modes"]["dask"]["loopback_only"]:
        print("dask: a cluster process listened on a non-loopback address", file=sys.stderr)
        identical = False
    results["load_end"] = [round(v, 2) for v in os.getloadavg()]
    single = results["modes"]["single"]["runs_per_s"]
    batched = results["modes"]["batched"]["runs_per_s"]
    results["single_runs_per_s"] = single
    results["batched_runs_per_s"] = batched
    ratio = batched / single
    results["target"] = {
        "batched_vs_single": ratio,
        "limit": TARGET,
        "status": "PASS" if ratio >= TARGET else "FAIL",
    }

    targets_ok = True
    if not args.no_sweep_command:
        import bench_sweep_targets

        from simulation.experiments.sweep.evaluators import default_workers

        workers = args.workers or default_workers()
        results["sweep_command"] = bench_sweep_targets.measure(sweep_runs, memory_runs, workers)
        results["load_end"] = [round(v, 2) for v in os.getloadavg()]
        # like the batched target, a missed figure is printed as FAIL, not an error exit (so
        # bench_engine.py keeps the results); different runs on Dask are an error
        targets_ok = bool(results["sweep_command"]["same_runs"])

    out_path = Path(args.out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    print(f"{runs} runs of {args.size:,} people x {scenario.days} days (core model)")
    print(
        f"{'mode':<18} {'seconds':>8} {'CPU s':>7} {'runs/s':>8} {'x single':>9}  "
        "same results as single"
    )
    for name, m in results["modes"].items():
        same = m.get("same_as_single", {"identical": True})
        print(
            f"{name:<18} {m['seconds']:>8.2f} {m['cpu_s']:>7.1f} {m['runs_per_s']:>8.1f} "
            f"{m['runs_per_s'] / single:>8.1f}x  {'yes' if same['identical'] else 'NO: ' + str(same)}"
        )
    if "dask" in modes:
        d = results["modes"]["dask"]
        print(
            f"dask: cluster start-up {d['startup_s']:.2f} s (in its seconds); "
            f"{d['runs_per_s_after_startup']:.1f} runs/s after it; listening on "
            f"{', '.join(d['listening'])}: {'loopback only' if d['loopback_only'] else 'NOT LOOPBACK'}"
        )
    print(f"load average at start {results['load_start']}, at end {results['load_end']}")
    if "dask" not in modes:
        print("dask               skipped (dask.distributed is not importable)")
    print(f"\nall modes give identical results: {'PASS' if identical else 'FAIL'}")
    print(
        f"target: batched >= {TARGET:.0f}x one at a time: {ratio:.1f}x "
        f"{results['target']['status']}"
    )
    if "sweep_command" in results:
        for line in bench_sweep_targets.report(results["sweep_command"]):
            print(line)
        print(f"load average at the end {results['load_end']}")
    print(f"wrote {out_path}")
    return 0 if identical and targets_ok else 1


if __name__ == "__main__":
    sys.exit(main())
