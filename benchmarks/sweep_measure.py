"""Measuring ``esnsim sweep`` as a user runs it: a command's wall time and its memory.

Used by ``bench_sweep.py``. :func:`sweep_file` writes a sweep whose runs all do the same work as
the engine's batched loop they are compared with: one point per ``replicates`` runs of the core
model (an all-staff announcement, the threshold rule, no levers), varying only the licence price,
which enters the per-run cost and nothing the engine simulates. So the ratio of the two measures
what the sweep adds (start-up, scenario per point, chunking, the store, the pool) and what its
workers gain, not a difference of work. :func:`run_command` runs a command and samples, every
0.1 s, the resident memory of its whole process tree (the command and every worker it starts).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "all_staff_announcement.yaml"
SAMPLE_EVERY = 0.1  # seconds between memory samples


def sweep_file(folder: Path, name: str, runs: int, size: int, days: int, replicates: int) -> Path:
    """A sweep of ``runs`` runs (``runs / replicates`` points) of a ``size``-person organisation."""
    if runs % replicates:
        raise ValueError(f"runs ({runs}) must be a multiple of replicates ({replicates})")
    spec = {
        "name": name,
        "base": str(BASE),
        "organisation": {"generate": {"size": size, "seed": 0}},
        "days": days,
        "design": {"method": "lhs", "samples": runs // replicates},
        "replicates": replicates,
        "seed": 1,
        "parameters": {"costs.licence_per_seat_month": {"low": 2, "high": 6}},
        "outcomes": ["sustained_wau", "peak_wau", "ebb_ratio", "registered_final", "cost"],
        "chunk_runs": replicates,
    }
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


def esnsim(*args: str) -> list[str]:
    """The ``esnsim`` command of this environment."""
    return [sys.executable, "-m", "simulation.cli.main", *args]


def _tree_memory(proc) -> tuple[float, float, int]:
    """Memory of ``proc`` and its descendants (MB): the sum of resident sets, the sum of
    proportional set sizes, and how many processes.

    Resident sets count the pages a process shares with the others of the tree (numpy's,
    numba's and LLVM's libraries, mapped by each of them) once per process; proportional set
    sizes (Linux) split each shared page among the processes that map it, so their sum is what
    the tree takes from the machine.
    """
    import psutil

    rss, pss, count = 0, 0, 0
    try:
        members = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0, 0.0, 0
    for member in members:
        try:
            info = member.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
        count += 1
    return rss / 1e6, pss / 1e6, count


def run_command(argv: list[str], timeout: float | None = None) -> dict:
    """Run ``argv``; wall seconds, exit code, peak memory of its process tree (MB).

    ``peak_tree_mb`` is the largest sum of resident sets over the tree at one sample,
    ``peak_tree_pss_mb`` the largest sum of proportional set sizes (shared pages counted once,
    see :func:`_tree_memory`); ``peak_main_mb`` the command's own process alone; ``processes``
    the most processes seen at once.
    """
    import psutil

    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc = psutil.Process(child.pid)
    peak = {"tree": 0.0, "pss": 0.0, "main": 0.0, "processes": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            tree, pss, count = _tree_memory(proc)
            peak["tree"] = max(peak["tree"], tree)
            peak["pss"] = max(peak["pss"], pss)
            peak["processes"] = max(peak["processes"], count)
            try:
                peak["main"] = max(peak["main"], proc.memory_info().rss / 1e6)
            except psutil.NoSuchProcess:
                pass
            stop.wait(SAMPLE_EVERY)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        out, err = child.communicate(timeout=timeout)
    finally:
        stop.set()
        thread.join()
        if child.poll() is None:
            child.kill()
            child.wait()
    return {
        "seconds": time.perf_counter() - start,
        "returncode": child.returncode,
        "peak_tree_mb": round(peak["tree"], 1),
        "peak_tree_pss_mb": round(peak["pss"], 1),
        "peak_main_mb": round(peak["main"], 1),
        "processes": peak["processes"],
        "stdout_tail": out.strip().splitlines()[-1:] if out else [],
        "stderr_tail": err.strip().splitlines()[-3:] if err else [],
    }


def run_concurrently(commands: list[list[str]]) -> dict:
    """Start ``commands`` at once and wait for all: wall seconds, exit codes.

    ``bench_sweep_targets`` runs the batched loop as W processes at once this way: what the
    machine gives per core when every core is busy (shared caches, memory bandwidth, sibling
    hardware threads), the ceiling of any W-process sweep.
    """
    start = time.perf_counter()
    children = [
        subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for argv in commands
    ]
    outputs = [child.communicate() for child in children]
    return {
        "seconds": time.perf_counter() - start,
        "returncodes": [child.returncode for child in children],
        "stderr_tail": [err.strip().splitlines()[-3:] for _, err in outputs if err],
    }


def sweep_seconds(folder: Path) -> float | None:
    """The sweep's own time (``sweep.json``: from its first chunk to its last, no start-up)."""
    import json

    meta = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    return meta.get("progress", {}).get("seconds")


def loop_command(runs: int, size: int, days: int, batch: int) -> list[str]:
    """The engine's batched loop as a fresh process: import, build the organisation, run."""
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        str(runs),
        str(size),
        str(days),
        str(batch),
    ]


def _loop(runs: int, size: int, days: int, batch: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_engine import core_scenario

    from simulation.experiments.runner import run_replicates
    from simulation.org.model import Organisation

    scenario = core_scenario(days=days)
    org = Organisation.generate(size, seed=0)
    run_replicates(org, scenario, [scenario.seed + k for k in range(runs)], 1, batch)


if __name__ == "__main__":
    _loop(*(int(v) for v in sys.argv[1:5]))
