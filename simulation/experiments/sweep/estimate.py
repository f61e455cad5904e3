"""How long a sweep will take, from a short timed probe (``esnsim sweep check``).

The probe times the first point's replicates for up to 60 days and scales to the sweep's days
and runs (:func:`probe_seconds_per_run`). Two things it does not see are said or added
(:func:`estimate_lines`): the start-up (imports, the design, the engine's kernels loaded; what
a sweep pays before its first run, measured in this process up to the end of the probe's
warm-up) and the machine's load: the estimate is for idle cores, and when the load average
says other work holds them (a shared machine), a second figure assumes each worker gets its
share of the cores with that work (the workers slow down by ``(others + workers) / cores``).
Measured on the project's shared 2-core machine at a load of 4.2: quickstart_sobol estimated
at about 15 s on idle cores, up to about 32 s at that load; it took 28.5 s
(lhs_facilitation_sponsorship: 50 s, up to 2 min; it took 92 s).
"""

from __future__ import annotations

import copy
import os
import time


def probe_seconds_per_run(chunk) -> tuple[float, float]:
    """Seconds per run of the sweep's first point, scaled to its days, and the seconds this
    process has taken to start (since it began, up to the end of the warm-up run).

    A first short run loads and warms the engine; the probe then times up to 60 days of the
    point's replicates batched as in the sweep, and scales linearly in days.
    """
    from simulation.experiments.sweep.chunks import run_chunk

    task = copy.deepcopy(chunk.task)
    days = int(task["base"]["days"])
    probe_days = min(days, 60)
    task["base"]["days"] = probe_days
    task["values"], task["daily"] = task["values"][:1], None
    reps = task["replicates"]
    task["seeds"] = task["seeds"][:reps]
    probe = type(chunk)(0, 0, 1, 0, reps, task)
    warm = copy.deepcopy(probe)
    warm.task["base"]["days"] = min(probe_days, 7)
    run_chunk(warm)
    started = _started()
    result = run_chunk(probe)
    return result.seconds / reps * days / probe_days, started


def _started() -> float:
    """Seconds since this process began (0 when the platform does not say)."""
    try:
        import psutil

        return max(0.0, time.time() - psutil.Process().create_time())
    except (ImportError, OSError):
        return 0.0


def estimate_lines(per_run: float, start: float, runs: int, workers: int) -> list[str]:
    """The estimate as printed: on idle cores, and, on a busy machine, at its load."""
    cores = os.cpu_count() or 1
    running = per_run * runs / min(workers, cores)  # more workers than cores: no faster
    lines = [
        f"estimate: {duration(running + start)} on {workers} worker(s) on idle cores "
        f"(a probe ran {per_run * 1000:.0f} ms per run; start-up about {start:.0f} s)"
    ]
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):  # not on this platform
        return lines
    others = max(0.0, load - 1)  # this check's own process counts in the load
    share = min(1.0, cores / (others + min(workers, cores)))
    if share < 0.9:
        lines.append(
            f"at this machine's load ({load:.1f} on {cores} core(s), other work sharing them): "
            f"up to {duration(running / share + start)}"
        )
    return lines


def duration(seconds: float) -> str:
    """``about 12 s``, ``about 5 min``, ``about 2.5 h``."""
    if seconds < 90:
        return f"about {seconds:.0f} s"
    if seconds < 5400:
        return f"about {seconds / 60:.0f} min"
    return f"about {seconds / 3600:.1f} h"
