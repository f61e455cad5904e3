"""The sizes esnsim accepts, checked before anything is allocated.

Each limit is a one-line :class:`~simulation.base.errors.InputError` (exit status 2) raised within a
second, instead of a run that exhausts memory or a traceback. The memory estimate of a run is
what the engine holds (a batch of people x replicates state arrays, about 100 bytes per person
and replicate, measured), what the results hold (about 200 bytes per replicate and day, twice
while tables are joined) and, with worker processes, their own imports (about 200 MB each); it is compared with ``ESNSIM_MEMORY_LIMIT`` (bytes, or with a
``K``/``M``/``G`` suffix) or, by default, 80 % of the machine's memory.

Commands that run simulations (``run``, ``compare``, and those added later such as ``sweep``)
call :func:`check_run_size` through :func:`simulation.experiments.runner.run_jobs`; :func:`check_seed` and
:func:`check_count` serve command-line values.
"""

from __future__ import annotations

import os

from simulation.base.errors import InputError

#: most people in an organisation (generated, HR export or edge list)
MAX_PEOPLE = 2_000_000
#: most replicates of one plan
MAX_REPLICATES = 100_000
#: most days of a run (also the scenario schema's bound)
MAX_DAYS = 30_000
#: largest seed: replicate k uses seed + k, which must fit a signed 64-bit integer
MAX_SEED = 2**63 - 1
#: most runs of one sweep (points x replicates): about a day of 10 ms runs on one core; checked
#: before the design is built
MAX_SWEEP_RUNS = 10_000_000
#: bytes of engine state per person and replicate of a batch (measured ~100; margin)
STATE_BYTES = 160
#: bytes of results per replicate and day (daily table ~200, twice while joined)
RESULT_BYTES = 400
#: bytes of a worker process before any work: its imports and compiled kernels (~200 measured)
WORKER_BYTES = 250 * 2**20
#: largest observed file (``esnsim calibrate --observed``: a series, a Viva Engage export,
#: adoption times), bytes: a per-user export holds about 100 bytes a user
MAX_OBSERVED_BYTES = 200_000_000


def memory_limit() -> int:
    """Bytes a run may use: ``ESNSIM_MEMORY_LIMIT`` or 80 % of physical memory."""
    text = os.environ.get("ESNSIM_MEMORY_LIMIT", "").strip().upper()
    if text:
        scale = {"K": 2**10, "M": 2**20, "G": 2**30}.get(text[-1], 1)
        number = text[:-1] if text[-1] in "KMG" else text
        try:
            return int(float(number) * scale)
        except ValueError:
            raise InputError(
                f"ESNSIM_MEMORY_LIMIT: expected bytes such as 8G, got {text[:20]!r}"
            ) from None
    try:
        return int(0.8 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):  # not POSIX: assume 8 GB
        return 8 * 2**30


def run_bytes(people: int, replicates: int, days: int, batch_size: int, workers: int = 1) -> int:
    """Estimated peak bytes of ``replicates`` runs of ``days`` on ``people``.

    ``workers`` processes each hold one batch, besides their own imports.
    """
    batch = min(max(1, batch_size), replicates)
    workers = max(1, workers)
    processes = WORKER_BYTES * workers if workers > 1 else 0
    state = STATE_BYTES * people * batch * workers
    return state + RESULT_BYTES * replicates * (days + 1) + processes


def check_run_size(
    people: int, replicates: int, days: int, batch_size: int, workers: int = 1
) -> None:
    """Refuse a run whose estimate exceeds :func:`memory_limit` (one line, before allocating)."""
    check_count("replicates", replicates, MAX_REPLICATES)
    need, limit = run_bytes(people, replicates, days, batch_size, workers), memory_limit()
    if need > limit:
        on = f" on {workers:,} workers" if workers > 1 else ""
        raise InputError(
            f"{replicates:,} replicates x {people:,} people x {days:,} days{on} need about "
            f"{gigabytes(need)} of memory, more than the limit of {gigabytes(limit)} (fewer replicates or "
            "workers, a smaller --batch-size, or ESNSIM_MEMORY_LIMIT)"
        )


def check_count(name: str, value: int, maximum: int, minimum: int = 1) -> None:
    """``--name`` must be an integer from ``minimum`` to ``maximum``."""
    if not minimum <= int(value) <= maximum:
        raise InputError(f"--{name}: must be from {minimum:,} to {maximum:,}, got {value:,}")


def check_seed(seed: int, replicates: int = 1, name: str = "--seed") -> None:
    """The seeds ``seed`` to ``seed + replicates - 1`` must be 0 to 2^63 - 1."""
    if seed < 0 or seed + max(1, replicates) - 1 > MAX_SEED:
        raise InputError(
            f"{name}: must be from 0 to 2^63 - 1 - (replicates - 1) = "
            f"{MAX_SEED - max(1, replicates) + 1:,}; got {_short(seed)}"
        )


def gigabytes(n: int) -> str:
    """``n`` bytes as ``12.3 GB``."""
    return f"{n / 2**30:,.1f} GB"


def _short(n: int) -> str:
    text = str(n)
    return text if len(text) <= 25 else f"{text[:10]}... ({len(text)} digits)"
