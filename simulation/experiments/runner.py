"""Running replicates: batches in one process, batches spread over worker processes.

A batch is one :class:`ESNModel` advancing several replicates together (people x replicates
arrays), which is where the speed comes from on a small machine; worker processes only pay on
machines with more cores. Replicate ``k`` always uses seed ``seed + k`` and gives the same numbers
whatever batch or process it runs in.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.base import interrupts
from simulation.base.limits import check_run_size, check_seed
from simulation.base.main_guard import check_main_guard
from simulation.experiments.mesa_model import ESNModel
from simulation.metrics.summary import ALL_SUMMARY_COLUMNS, summarise
from simulation.model.people import Stage

DEFAULT_BATCH = 50  # replicates per batch: the gain flattens beyond ~50 (benchmarks/README.md: batched replicates)


@dataclass
class BatchResult:
    """The outputs of one batch: its daily rows and summary rows, and (in-process) its model."""

    daily: pd.DataFrame
    summary: pd.DataFrame
    model: ESNModel | None = None
    #: with ``breakdown``: the ``daily_by_group`` rows, the per-run ``pockets`` rows, and the
    #: first replicate's share 0-1 of the sustained window each person was weekly active
    by_group: pd.DataFrame | None = None
    pockets: pd.DataFrame | None = None
    first_sustained: np.ndarray | None = None


def run_batch(
    org, scenario, seeds: Sequence[int], keep_model: bool = False, breakdown: bool = False
) -> BatchResult:
    """Run one batch of replicates to the end of the scenario.

    With ``breakdown`` a :class:`~simulation.metrics.groups.GroupObserver` counts by department,
    level, site and frontline status every day, and the result carries ``by_group``,
    ``pockets`` and ``first_sustained``.
    """
    model = ESNModel(org, scenario, seeds=list(seeds))
    observer = None
    if breakdown:
        from simulation.metrics.groups import GroupObserver

        observer = GroupObserver(org, scenario.days, len(seeds))
        model.engine.observers.append(observer)
    model.run()
    engine = model.engine
    values = engine.records.trimmed()
    days = engine.records.days_recorded
    reps = len(seeds)
    daily = pd.DataFrame(
        {
            "scenario": scenario.name,
            "replicate": np.repeat(np.asarray(seeds) - scenario.seed, days).astype(np.int64),
            "seed": np.repeat(np.asarray(seeds, dtype=np.int64), days),
            "day": np.tile(np.arange(days, dtype=np.int64), reps),
        }
    )
    for column in engine.records.columns:  # the contract's, then columns components declare
        daily[column] = values[column].T.reshape(-1)
    summary = pd.DataFrame(summarise(values, engine), columns=ALL_SUMMARY_COLUMNS)
    summary.insert(0, "seed", np.asarray(seeds, dtype=np.int64))
    summary.insert(0, "replicate", np.asarray(seeds, dtype=np.int64) - scenario.seed)
    summary.insert(0, "scenario", scenario.name)
    result = BatchResult(daily, summary, model if keep_model else None)
    if observer is not None:
        from simulation.metrics.groups import pockets

        replicates = np.asarray(seeds, dtype=np.int64) - scenario.seed
        sustained = observer.sustained_by_person()
        registered = engine.people.stage >= Stage.REGISTERED
        result.by_group = observer.table(scenario.name, seeds, scenario.seed)
        result.pockets = pockets(org, sustained, registered, scenario.name, replicates)
        result.first_sustained = sustained[0].copy()
    return result


def _run_batch_remote(args) -> BatchResult:
    """``run_batch`` for a process pool: ``(org, scenario, seeds[, breakdown])``."""
    org, scenario, seeds, *options = args
    return run_batch(org, scenario, seeds, breakdown=bool(options and options[0]))


def batches(seeds: Sequence[int], batch_size: int) -> list[list[int]]:
    """Split ``seeds`` into consecutive batches of at most ``batch_size``."""
    size = max(1, int(batch_size))
    return [list(seeds[i : i + size]) for i in range(0, len(seeds), size)]


def run_jobs(
    org,
    jobs: Sequence[tuple],
    workers: int | None = None,
    on_batch: Callable[[int], None] | None = None,
    breakdown: bool = False,
    keep_first_model: bool = False,
) -> list[BatchResult]:
    """Run batches ``(scenario, seeds)`` in this process or in a pool of ``workers`` processes.

    With one worker every batch runs here. With more, the batches run in a pool of that many
    spawned processes; when ``keep_first_model`` is set this process runs the first batch itself
    meanwhile and keeps its :class:`ESNModel`. Results come back in the order of ``jobs``; a
    batch's numbers do not depend on where it ran.
    """
    workers = 1 if workers is None else max(1, int(workers))
    _check_size(org, jobs, workers)
    results: list[BatchResult | None] = [None] * len(jobs)

    def done(k: int, result: BatchResult) -> None:
        results[k] = result
        if on_batch:
            on_batch(len(jobs[k][1]))

    if workers == 1 or len(jobs) == 1:
        for k, (scenario, seeds) in enumerate(jobs):
            keep = keep_first_model and k == 0
            done(k, run_batch(org, scenario, seeds, keep_model=keep, breakdown=breakdown))
        return results  # type: ignore[return-value]
    local = 1 if keep_first_model else 0
    check_main_guard()
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=worker_setup, initargs=(os.getpid(),)
    )
    try:
        # Workers are started by the first submits. SIGINT and SIGTERM are blocked meanwhile:
        # the mask is inherited, so a Ctrl-C while a worker imports stays pending in it (and is
        # dropped once it ignores SIGINT, see worker_setup) instead of printing a traceback,
        # and no worker is left half-started; in this process they are delivered when unblocked.
        with signals_deferred():
            futures = [
                pool.submit(_run_batch_remote, (org, scenario, seeds, breakdown))
                for scenario, seeds in jobs[local:]
            ]
        if local:
            scenario, seeds = jobs[0]
            done(0, run_batch(org, scenario, seeds, keep_model=True, breakdown=breakdown))
        for k, future in enumerate(futures, start=local):
            done(k, future.result())
    except BaseException:
        # Ctrl-C, SIGTERM or an error: end the workers now rather than wait for their batches
        _end_pool(pool)
        raise
    pool.shutdown(wait=True)
    return results  # type: ignore[return-value]


def _check_size(org, jobs: Sequence[tuple], workers: int) -> None:
    """Refuse, before allocating, seeds beyond 2^63 - 1 and runs too big for memory."""
    seeds = [seed for _, group in jobs for seed in group]
    if not seeds:
        return
    low, high = min(seeds), max(seeds)
    check_seed(low, high - low + 1, name="seed")
    days = max(scenario.days for scenario, _ in jobs)
    batch = max(len(group) for _, group in jobs)
    check_run_size(org.size, len(seeds), days, batch, workers=min(workers, len(jobs)))


def worker_setup(parent: int) -> None:
    """In each worker: leave Ctrl-C to the parent, and end when the parent is gone.

    A terminal's Ctrl-C reaches the whole process group; the parent alone handles it (and ends
    the workers), so the workers print nothing. If the parent is killed (SIGKILL, no chance to
    clean up), the kernel sends the worker SIGKILL when the process that forked it ends (Linux
    ``PR_SET_PDEATHSIG``: the parent, or the fork server, which ends with it); elsewhere a
    watcher thread notices the parent is gone within half a second.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STARTING_SIGNALS)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if not _parent_alive(parent):  # the parent died before the line above
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _parent_alive(parent: int) -> bool:
    """Whether the process that made this worker still runs. A worker forked by the fork
    server (:mod:`simulation.experiments.forkserver`) is the server's child, but multiprocessing gives it
    the command as its parent, with a pipe that closes when the command ends."""
    process = multiprocessing.parent_process()
    if process is not None and process.pid == parent:
        return process.is_alive()
    return os.getppid() == parent


_STARTING_SIGNALS = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def signals_deferred():
    """Defer SIGINT and SIGTERM while workers start, then raise ``KeyboardInterrupt``.

    Blocking them in this thread is what the workers inherit; the handlers defer them in this
    process too, as the kernel may deliver a process-wide signal to another of its threads.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    arrived: list[int] = []

    def defer(signum, frame) -> None:
        arrived.append(signum)
        interrupts.request()

    handlers = {sig: signal.signal(sig, defer) for sig in _STARTING_SIGNALS}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _STARTING_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    if arrived:
        raise KeyboardInterrupt


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(0.5)
        if not _parent_alive(parent):
            os._exit(1)


def _end_pool(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers and drop its queued batches without waiting for them."""
    processes = {*getattr(pool, "_processes", {}).values(), *multiprocessing.active_children()}
    for process in processes:
        try:
            process.kill()
        except (OSError, AttributeError, ValueError):
            pass
    for process in processes:
        process.join(timeout=2)
    # The manager thread sees its workers gone and stops; waiting for it keeps concurrent.futures'
    # exit hook from writing to its closed pipe (a traceback at exit). Bounded, never a hang.
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(timeout=5)
    pool.shutdown(wait=manager is None or not manager.is_alive(), cancel_futures=True)


def run_replicates(
    org,
    scenario,
    seeds: Sequence[int],
    workers: int | None = None,
    batch_size: int = DEFAULT_BATCH,
    on_batch: Callable[[int], None] | None = None,
) -> list[BatchResult]:
    """Run replicates with ``seeds`` in batches; the first batch keeps its model.

    Parameters
    ----------
    workers : int, optional
        Worker processes (default 1: everything in this process). With more than one, the
        batches after the first run in a pool of that many processes while this process runs
        the first (whose model it keeps).
    on_batch : callable, optional
        Called with the number of replicates of each finished batch (progress bars).
    """
    workers = 1 if workers is None else max(1, int(workers))
    groups = batches(list(seeds), batch_size)
    if workers > 1 and len(groups) == 1 and len(groups[0]) > 1:
        # spread a single batch over the workers, or a second worker has nothing to do
        groups = batches(list(seeds), -(-len(seeds) // workers))
    jobs = [(scenario, group) for group in groups]
    return run_jobs(org, jobs, workers=workers, on_batch=on_batch, keep_first_model=True)
