"""The sweep targets of ``bench_sweep.py``: ``esnsim sweep`` against the engine's own loop.

Three ratios, each from one run of the script (every figure beside it measured in the same run):

* ``sweep_per_core``: a sweep of ``--sweep-runs`` runs (default 2,000) of a 1,000-person
  organisation over 365 days through ``esnsim sweep --workers W`` (W: the cores; 40 points x 50
  replicates, the licence price varied: the same work per run as the loop it is compared with),
  the command's whole wall time (start-up, imports, pool, store), its runs per second divided by
  W, over the runs per second of the engine's batched loop on the same runs
  (``run_replicates(workers=1, batch_size=50)``) run the same way, as a fresh process (imports,
  organisation, runs): target >= 0.8. Printed beside it, the warm ratio: the sweep's own rate
  (first chunk to last) per core over the loop's rate in this process with its kernels warm;
  and the machine's ceiling: the same loop as W fresh processes at once (each a W-th of the
  runs), whose rate per core over one loop alone is what this machine gives any W-process
  sweep when every core is busy, and the sweep's rate over theirs.
* ``dask_vs_pool``: the same sweep with ``--scheduler local`` (a ``LocalCluster`` of W workers
  on 127.0.0.1), over the pool's runs per second: target >= 0.8.
* ``memory``: the peak memory of the whole process tree (the command and its workers, sampled
  every 0.1 s; the sum of proportional set sizes, so that the libraries every process maps are
  counted once; the sum of resident sets is printed beside it) of a sweep of ``--memory-runs`` runs (default 100,000) of a 200-person
  organisation over 365 days, under 1 GB, and flat: at most 1.15x the peak of a sweep a tenth
  the size.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sweep_measure import (
    esnsim,
    loop_command,
    run_command,
    run_concurrently,
    sweep_file,
    sweep_seconds,
)

PER_CORE_TARGET = 0.8
DASK_TARGET = 0.8
MEMORY_LIMIT_MB = 1000.0
FLAT_LIMIT = 1.15
REPLICATES = 50


def _status(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def batched_loop(runs: int, size: int, days: int) -> dict:
    """Runs per second of the engine's batched loop in this process (after a warm-up batch)."""
    from bench_engine import core_scenario

    from simulation.experiments.runner import run_batch, run_replicates
    from simulation.org.model import Organisation

    org = Organisation.generate(size, seed=0)
    scenario = core_scenario(days=days)
    seeds = [scenario.seed + k for k in range(runs)]
    run_batch(org, scenario, seeds[:2])
    start = time.perf_counter()
    run_replicates(org, scenario, seeds, workers=1, batch_size=REPLICATES)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "runs_per_s": runs / seconds}


def sweep_command(folder: Path, file: Path, label: str, *options: str) -> dict:
    out = folder / label
    measured = run_command(esnsim("sweep", str(file), "--out", str(out), "--quiet", *options))
    if measured["returncode"] != 0:
        raise RuntimeError(f"esnsim sweep {label} failed: {measured['stderr_tail']}")
    measured["sweep_s"] = sweep_seconds(out)
    return measured


def measure(sweep_runs: int, memory_runs: int, workers: int, size: int = 1000) -> dict:
    """Every sweep figure and target; see the module docstring."""
    from simulation.experiments.sweep.store import Store

    results: dict = {"workers": workers, "sweep_runs": sweep_runs, "memory_runs": memory_runs}
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        folder = Path(tmp)
        file = sweep_file(folder, "throughput", sweep_runs, size, 365, REPLICATES)
        print(f"batched loop: {sweep_runs} runs ...", file=sys.stderr, flush=True)
        loop = batched_loop(sweep_runs, size, 365)
        print(
            f"batched loop in a fresh process: {sweep_runs} runs ...", file=sys.stderr, flush=True
        )
        cold = run_command(loop_command(sweep_runs, size, 365, REPLICATES))
        cold["runs_per_s"] = sweep_runs / cold["seconds"]
        print(
            f"batched loop as {workers} fresh processes at once: {sweep_runs} runs ...",
            file=sys.stderr,
            flush=True,
        )
        share = sweep_runs // workers // REPLICATES * REPLICATES
        busy = run_concurrently([loop_command(share, size, 365, REPLICATES)] * workers)
        if any(busy["returncodes"]):
            raise RuntimeError(f"batched loops failed: {busy['stderr_tail']}")
        busy["runs"] = share * workers
        busy["runs_per_s"] = busy["runs"] / busy["seconds"]
        print(
            f"esnsim sweep --workers {workers}: {sweep_runs} runs ...", file=sys.stderr, flush=True
        )
        pool = sweep_command(folder, file, "pool", "--workers", str(workers))
        print(f"esnsim sweep --scheduler local: {sweep_runs} runs ...", file=sys.stderr, flush=True)
        dask = sweep_command(
            folder, file, "dask", "--scheduler", "local", "--workers", str(workers)
        )
        same = Store(folder / "pool").runs().equals(Store(folder / "dask").runs())
        for entry in (pool, dask):
            entry["runs_per_s"] = sweep_runs / entry["seconds"]
            entry["runs_per_s_in_sweep"] = sweep_runs / entry["sweep_s"]
        per_core = pool["runs_per_s"] / workers / cold["runs_per_s"]
        # what W loops at once give per core: the machine's ceiling for any W-process sweep
        machine_per_core = busy["runs_per_s"] / workers / cold["runs_per_s"]
        of_ceiling = pool["runs_per_s"] / busy["runs_per_s"]
        warm_per_core = pool["runs_per_s_in_sweep"] / workers / loop["runs_per_s"]
        dask_ratio = dask["runs_per_s"] / pool["runs_per_s"]
        results.update(
            batched_loop=loop,
            batched_loop_process=cold,
            batched_loops_at_once=busy,
            sweep_pool=pool,
            sweep_dask=dask,
            same_runs=same,
        )

        small_runs = max(REPLICATES, memory_runs // 10 // REPLICATES * REPLICATES)
        memory = {}
        for label, runs in (("small", small_runs), ("large", memory_runs)):
            print(
                f"memory: esnsim sweep of {runs} runs of 200 people ...",
                file=sys.stderr,
                flush=True,
            )
            mfile = sweep_file(folder, f"memory-{label}", runs, 200, 365, REPLICATES)
            memory[label] = sweep_command(
                folder, mfile, f"memory-{label}", "--workers", str(workers)
            )
            memory[label]["runs"] = runs
            memory[label]["runs_per_s"] = runs / memory[label]["seconds"]
        results["memory"] = memory
    peak = memory["large"]["peak_tree_pss_mb"]
    flat = peak / max(memory["small"]["peak_tree_pss_mb"], 1e-9)
    results["targets"] = {
        "sweep_per_core": {
            "ratio": per_core,
            "warm_ratio": warm_per_core,
            "machine_per_core": machine_per_core,
            "of_machine_ceiling": of_ceiling,
            "limit": PER_CORE_TARGET,
            "status": _status(per_core >= PER_CORE_TARGET),
        },
        "dask_vs_pool": {
            "ratio": dask_ratio,
            "limit": DASK_TARGET,
            "status": _status(dask_ratio >= DASK_TARGET and same),
        },
        "memory_peak_mb": {
            "value": peak,
            "limit": MEMORY_LIMIT_MB,
            "status": _status(peak < MEMORY_LIMIT_MB),
        },
        "memory_flat": {"ratio": flat, "limit": FLAT_LIMIT, "status": _status(flat <= FLAT_LIMIT)},
    }
    return results


def report(results: dict) -> list[str]:
    """The table printed by ``bench_sweep.py``."""
    w = results["workers"]
    loop, pool, dask = results["batched_loop"], results["sweep_pool"], results["sweep_dask"]
    mem, t = results["memory"], results["targets"]
    lines = [
        f"\nesnsim sweep: {results['sweep_runs']:,} runs of 1,000 people x 365 days, {w} worker(s)",
        f"{'how':<34} {'seconds':>8} {'runs/s':>8} {'in sweep':>9} {'PSS MB':>8} {'RSS MB':>8}",
        f"{'batched loop in process (1 core)':<34} {loop['seconds']:>8.2f} "
        f"{loop['runs_per_s']:>8.1f}",
        f"{'batched loop, fresh process':<34} {results['batched_loop_process']['seconds']:>8.2f} "
        f"{results['batched_loop_process']['runs_per_s']:>8.1f} {'':>9} "
        f"{results['batched_loop_process']['peak_tree_pss_mb']:>8.0f} "
        f"{results['batched_loop_process']['peak_tree_mb']:>8.0f}",
    ]
    busy = results["batched_loops_at_once"]
    lines.append(
        f"{f'batched loop, {w} processes at once':<34} {busy['seconds']:>8.2f} "
        f"{busy['runs_per_s']:>8.1f}"
    )
    for name, m in (
        (f"esnsim sweep --workers {w}", pool),
        ("esnsim sweep --scheduler local", dask),
    ):
        lines.append(
            f"{name:<34} {m['seconds']:>8.2f} {m['runs_per_s']:>8.1f} "
            f"{m['runs_per_s_in_sweep']:>9.1f} {m['peak_tree_pss_mb']:>8.0f} "
            f"{m['peak_tree_mb']:>8.0f}"
        )
    for label in ("small", "large"):
        m = mem[label]
        lines.append(
            f"{'memory: ' + format(m['runs'], ',') + ' runs of 200 people':<34} "
            f"{m['seconds']:>8.1f} {m['runs_per_s']:>8.1f} {m['runs'] / m['sweep_s']:>9.1f} "
            f"{m['peak_tree_pss_mb']:>8.0f} {m['peak_tree_mb']:>8.0f}"
        )
    lines += [
        "('in sweep': runs per second from the sweep's first chunk to its last, no start-up;",
        " PSS / RSS MB: the peak sum over the command and all its workers at once of their",
        " proportional set sizes (shared library pages counted once: the target) and of their",
        " resident sets (shared pages counted in every process))",
        f"target: esnsim sweep per core >= {PER_CORE_TARGET}x the batched loop (both as fresh "
        f"processes): {t['sweep_per_core']['ratio']:.2f}x {t['sweep_per_core']['status']} "
        f"(warm: in-sweep rate per core over the in-process loop "
        f"{t['sweep_per_core']['warm_ratio']:.2f}x)",
        f"  the machine's own ceiling: {w} loops at once give "
        f"{t['sweep_per_core']['machine_per_core']:.2f}x per core of one loop alone; the sweep "
        f"reaches {t['sweep_per_core']['of_machine_ceiling']:.2f}x of the {w} loops at once",
        f"target: Dask LocalCluster >= {DASK_TARGET}x the pool: {t['dask_vs_pool']['ratio']:.2f}x "
        f"(same runs: {'yes' if results['same_runs'] else 'NO'}) {t['dask_vs_pool']['status']}",
        f"target: peak memory of {results['memory_runs']:,} runs < {MEMORY_LIMIT_MB:.0f} MB: "
        f"{t['memory_peak_mb']['value']:.0f} MB {t['memory_peak_mb']['status']}",
        f"target: memory flat (x10 runs: <= {FLAT_LIMIT}x the peak): "
        f"{t['memory_flat']['ratio']:.2f}x {t['memory_flat']['status']}",
    ]
    return lines
