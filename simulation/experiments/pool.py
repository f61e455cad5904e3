"""The one process pool: where batches and chunks run, for run, compare, calibration and sweeps.

An evaluator is a context manager with one method::

    with PoolEvaluator(workers=2) as evaluator:
        for chunk, outcome in evaluator.evaluate(run_chunk, chunks):
            ...   # outcome is fn(chunk)'s result, or the exception it raised

``evaluate(fn, chunks)`` takes a module-level (picklable) function and an iterable of chunks and
yields ``(chunk, result_or_exception)`` as they complete, in any order; it never raises for a
chunk's failure. It keeps only a bounded number of chunks in flight, so a sweep of any size
holds a few chunks' rows at a time. ``workers`` says how many chunks run at once.

* :class:`InProcessEvaluator`: one chunk after another in this process.
* :class:`PoolEvaluator`: ``workers`` cores (default: all): ``workers`` worker processes
  (forked from a warm server on Linux, else spawned, this process then running chunks while
  they start), replaced by fresh ones every ``recycle_after`` chunks each. A worker that dies
  (killed, out of memory) fails only the chunks it had; the pool is started afresh.
* ``simulation.experiments.sweep.dask_evaluator.DaskEvaluator(address, workers=None)``: a Dask
  cluster, the same interface, in its own module. ``esnsim sweep --scheduler`` imports it there.

:func:`simulation.experiments.runner.run_jobs` (``esnsim run``, ``compare``, ``Sim``,
``MultiSim``) runs its batches through :class:`PoolEvaluator` too; sweeps choose with
:func:`default_evaluator`: this process on one core, a pool on more. Every worker, whichever
command made it, gets :func:`worker_setup`: Ctrl-C is left to the parent, and a worker ends with
its parent.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from simulation.base import interrupts
from simulation.base.main_guard import check_main_guard
from simulation.experiments import forkserver
from simulation.experiments.forkserver import cores


class Evaluator:
    """Runs ``fn(chunk)`` for each chunk; see the module docstring."""

    workers: int = 1

    def __enter__(self) -> Evaluator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release workers (a no-op in process)."""

    def evaluate(
        self, fn: Callable[[Any], Any], chunks: Iterable[Any], here: Callable[[], Any] | None = None
    ) -> Iterator[tuple[Any, Any]]:
        """Yield ``(chunk, fn(chunk) or its exception)`` as chunks complete.

        ``here``: a task this process runs itself once the first chunks are handed out (a
        batch whose model it keeps); yielded as ``(None, its result)``, and its exception is
        raised, not yielded.
        """
        raise NotImplementedError


class InProcessEvaluator(Evaluator):
    """Every chunk in this process, one after another (a notebook, a debugger, a test)."""

    workers = 1

    def evaluate(self, fn, chunks, here=None):
        if here is not None:
            yield None, here()
        for chunk in chunks:
            try:
                result = fn(chunk)
            except Exception as error:  # a chunk's failure is reported, never raised
                yield chunk, error
            else:
                yield chunk, result


def default_workers() -> int:
    """The cores this process may use."""
    return cores()


def default_evaluator(workers: int | None = None) -> Evaluator:
    """In process for one worker (no start-up, nothing sent between processes), else a pool."""
    workers = default_workers() if workers is None else max(1, int(workers))
    return InProcessEvaluator() if workers == 1 else PoolEvaluator(workers)


class PoolEvaluator(Evaluator):
    """Chunks on ``workers`` cores (default: all): ``workers`` worker processes.

    On Linux the workers are forks of a server that imported the sweep's modules and loaded
    the compiled kernels once (:mod:`simulation.experiments.forkserver`): they start at once, and this
    process only collects and writes. Elsewhere (or with ``ESNSIM_START_METHOD=spawn``) they
    are spawned and take seconds each to start (imports and kernels); meanwhile this process
    runs chunks itself (``share_parent``, the default there): it has everything imported and
    the organisation built, so the sweep starts at once. From the workers' first result on it
    only collects and writes, leaving the cores to them. Measured on a 100,000-run sweep: a
    process that kept running chunks between writes grew from 385 to 493 MB, one that only
    wrote stayed within 281-290 MB. ``share_parent=False`` never runs a chunk here (a chunk that kills its
    process then kills only a worker). ``in_flight`` chunks per worker process are submitted
    ahead (default 2), enough to keep each busy while this process writes.

    A worker process grows by about 2.7 MB per 100 chunks (measured: 339 to 360 MB over 765
    chunks; the engine's loop alone in one process stays flat, and the same loop that also
    pickles each chunk's table, as a worker does to send it back, grows), so the workers are replaced by fresh ones every
    ``recycle_after`` chunks each (default 500: at most about 14 MB of growth per worker; a
    restart costs a fork, or a spawned worker's start-up covered by this process as at the
    start). Not ``ProcessPoolExecutor(max_tasks_per_child=...)``: on Python 3.11 it can hang
    once a worker reaches its limit (CPython gh-115634).
    """

    def __init__(
        self,
        workers: int | None = None,
        in_flight: int = 2,
        share_parent: bool | None = None,
        recycle_after: int | None = 500,
    ):
        self.workers = default_workers() if workers is None else max(1, int(workers))
        if self.workers > 1:
            check_main_guard()  # before anything is written (simulation.base.main_guard)
        self.in_flight = max(1, int(in_flight))
        if share_parent is None:  # spawned workers take seconds to start; forked ones do not
            share_parent = not forkserver.available()
        self.share_parent = bool(share_parent)
        self.recycle_after = max(1, int(recycle_after)) if recycle_after else None
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = forkserver.context()  # never a fork of this (threaded) process
            # the runner's worker set-up (Ctrl-C left to the parent, workers end with it): the
            # same rules as esnsim run's pool
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=worker_setup,
                initargs=(os.getpid(),),
            )
        return self._pool

    def __exit__(self, kind, *exc) -> None:
        if kind is not None and self._pool is not None:
            # interrupted or failed: end the workers now rather than wait for their chunks
            end_pool(self._pool)
            self._pool = None
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def evaluate(self, fn, chunks, here=None):
        pending: dict[Future, Any] = {}
        source = iter(chunks)
        limit = self.workers * self.in_flight
        local = self.share_parent  # until the workers' first result (class docstring)
        cycle = self.recycle_after * self.workers if self.recycle_after else None
        submitted = 0  # to the current workers
        end = object()
        exhausted = False
        while True:
            if cycle is not None and submitted >= cycle and not pending:
                self.close()  # every chunk of these workers is in: fresh ones from here on
                submitted, local = 0, self.share_parent
            while limit and not exhausted and len(pending) < limit:
                if cycle is not None and submitted >= cycle:
                    break  # let these workers finish, then replace them
                chunk = next(source, end)
                if chunk is end:
                    exhausted = True
                    break
                pending[self._submit(fn, chunk)] = chunk
                submitted += 1
            if here is not None:
                # the first chunks are out: this process's own task runs while they do
                task, here = here, None
                yield None, task()
                continue
            if pending:
                # while this process still has chunks of its own to run, only collect what is done
                timeout = 0 if local and not exhausted else None
                done, _ = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED)
                local = local and not done
                yield from self._collect(done, pending)
            if local and not exhausted:
                chunk = next(source, end)
                if chunk is end:
                    exhausted = True
                    continue
                try:
                    result = fn(chunk)
                except Exception as error:  # a chunk's failure is reported, never raised
                    result = error
                yield chunk, result
            elif exhausted and not pending:
                return

    def _collect(self, done, pending: dict[Future, Any]):
        broken = False
        for future in done:
            chunk = pending.pop(future)
            error = future.exception()
            broken = broken or isinstance(error, BrokenProcessPool)
            yield chunk, (error if error is not None else future.result())
        if broken:
            # a dead worker breaks the whole pool: the chunks still pending failed with it
            for chunk in list(pending.values()):
                yield chunk, BrokenProcessPool("a worker process died")
            pending.clear()
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _submit(self, fn, chunk) -> Future:
        # A submit may start a worker: Ctrl-C is deferred meanwhile, as in esnsim run's pool, so
        # a worker still importing prints no traceback (it inherits the blocked signals). The
        # pool is made first: making it starts multiprocessing's resource tracker, which
        # unblocks SIGINT and SIGTERM in this thread when it is done.
        for attempt in (1, 2):
            executor = self._executor()
            try:
                with signals_deferred():
                    return executor.submit(fn, chunk)
            except BrokenProcessPool:
                if attempt == 2:
                    raise
                self._pool = None  # a worker died since the last submit: a new pool, once


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


def end_pool(pool: ProcessPoolExecutor) -> None:
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
