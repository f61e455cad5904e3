"""Worker processes forked from a warm server instead of started from scratch.

A spawned worker imports numpy, pandas, pyarrow, the JIT compiler and the engine, and loads
the compiled kernels, before its first chunk: 1.5-2 s of CPU for each worker, and again each
time the workers are replaced. On Linux the sweep's pool uses multiprocessing's fork server
with :mod:`simulation.experiments.sweep.warm_worker` preloaded: the server imports it once, and every
worker is a fork of it, ready at once. ``esnsim sweep`` starts the server (:func:`start`)
before its own heavy imports, so the two import side by side on two cores instead of one after
the other. The server is a clean single-threaded process, so
forking it is safe where forking the command (which may hold threads) is not. Elsewhere
(Windows, macOS), or with ``ESNSIM_START_METHOD=spawn``, the pools spawn.

Workers still end with the command: the server ends when the command does (multiprocessing
closes its end of the server's pipe), and each worker watches the command itself
(:func:`simulation.experiments.pool.worker_setup`).
"""

from __future__ import annotations

import multiprocessing
import os
import sys

#: what a sweep's chunk needs, its kernels loaded: imported once, by the server
PRELOAD = ["simulation.experiments.sweep.warm_worker"]


def available() -> bool:
    """Whether the pools fork workers from a server here (Linux, unless
    ``ESNSIM_START_METHOD=spawn``)."""
    if os.environ.get("ESNSIM_START_METHOD", "forkserver") == "spawn":
        return False
    return (
        sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods()
    )


def context(dask: bool = False):
    """The multiprocessing context of the sweep's pool: the preloaded fork server, else spawn.
    ``dask``: the server also preloads ``distributed``, for a local Dask cluster's workers.
    The pools that use it refuse an unguarded script first (:mod:`simulation.base.main_guard`)."""
    if not available():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload((["distributed"] if dask else []) + PRELOAD)
    return ctx


def start(dask: bool = False) -> None:
    """Launch the server now, so that its imports overlap the caller's (no-op elsewhere); the
    first start decides what it preloads."""
    if available():
        context(dask)
        from multiprocessing import forkserver

        forkserver.ensure_running()


def cores() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
