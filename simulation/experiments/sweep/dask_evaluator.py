"""Running a sweep's chunks on a Dask cluster (``--scheduler local`` or ``tcp://HOST:PORT``).

The same interface as the in-process and process-pool evaluators
(:class:`simulation.experiments.sweep.evaluators.Evaluator`): a context manager whose
:meth:`DaskEvaluator.evaluate` takes a module-level (picklable) function and an iterable of chunks
and yields ``(chunk, result_or_exception)`` as chunks complete. Results come back to this process
one chunk at a time, so memory stays flat whatever the number of runs, and a chunk's result does
not depend on the worker it ran on (a run's seed comes from the sweep, not from the worker).

* ``"local"`` starts a ``dask.distributed.LocalCluster`` of worker processes (one thread each:
  the engine's work is single-threaded numpy and numba) whose scheduler, nannies and workers
  listen on 127.0.0.1 only; the scheduler's HTTP server takes a free loopback port and the
  dashboard is off (Dask's default would be 0.0.0.0:8787).
* ``"tcp://HOST:PORT"`` (or ``tls://``, ``ucx://``, ``inproc://``) connects to a running
  scheduler, e.g. one started with ``dask scheduler --host 127.0.0.1`` and ``dask worker``, or a
  ``dask-jobqueue`` / Kubernetes cluster. The cluster's own workers must have esnsim installed.

A worker killed mid-sweep loses only the chunks it was running: the scheduler gives them to
another worker (and the nanny of a ``LocalCluster`` restarts the killed one). Each chunk is
yielded once, so each run is stored once. The organisation is built once per worker process: the
chunk function's cache (module level) lives as long as the worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from simulation.base.errors import InputError
from simulation.base.main_guard import check_main_guard
from simulation.experiments.sweep.evaluators import Evaluator, default_workers

SCHEMES = ("tcp://", "tls://", "ucx://", "inproc://")
CONNECT_TIMEOUT = "20s"


def check_address(address: str) -> str:
    """``"local"`` or a scheduler address with a scheme; otherwise an ``InputError``."""
    address = str(address).strip()
    if address == "local" or (address.startswith(SCHEMES) and len(address.split("://")[1]) > 0):
        return address
    raise InputError(
        f"--scheduler: {address!r} is neither 'local' nor a scheduler address such as "
        "tcp://127.0.0.1:8786"
    )


def local_cluster(workers: int | None = None):
    """A ``LocalCluster`` listening on the loopback interface only, ``workers`` processes.

    On Linux its workers are forks of the fork server of :mod:`simulation.experiments.forkserver` (Dask's
    ``multiprocessing-method``), which has imported ``distributed`` and the sweep's modules
    once: they start at once instead of each importing them.
    """
    import dask
    from dask.distributed import LocalCluster

    from simulation.experiments import forkserver

    method = "spawn"
    if forkserver.available():
        forkserver.start(dask=True)
        method = "forkserver"
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        return LocalCluster(
            n_workers=max(1, int(workers or default_workers())),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
            worker_dashboard_address=None,
            scheduler_kwargs={"dashboard": False},
        )


class DaskEvaluator(Evaluator):
    """Chunks of a sweep on a Dask cluster.

    Parameters
    ----------
    address : ``"local"`` (start a loopback ``LocalCluster``) or a scheduler address.
    workers : worker processes of a local cluster (default: the cores); ignored for an address.
    in_flight : chunks submitted ahead per worker thread: enough to keep every worker busy while
        results travel back, few enough that a huge sweep never sits in the scheduler at once.
    """

    def __init__(self, address: str = "local", workers: int | None = None, in_flight: int = 2):
        self.address = check_address(address)
        self.workers = max(1, int(workers)) if workers else default_workers()
        self.in_flight = max(1, int(in_flight))
        self.cluster = None
        self.client = None

    def __enter__(self) -> DaskEvaluator:
        from dask.distributed import Client

        if self.address == "local":
            check_main_guard("a local Dask cluster")
            self.cluster = local_cluster(self.workers)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(self.address, timeout=CONNECT_TIMEOUT)
            except OSError as exc:
                raise InputError(f"--scheduler: cannot reach {self.address}: {exc}") from exc
            self.workers = self.threads  # chunks that run at once: the cluster's threads
        return self

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        self.client = self.cluster = None

    @property
    def threads(self) -> int:
        """Worker threads of the cluster now (at least 1)."""
        info = self.client.scheduler_info(n_workers=-1)["workers"]
        return max(1, sum(int(w.get("nthreads", 1)) for w in info.values()))

    def evaluate(
        self, fn: Callable[[Any], Any], chunks: Iterable[Any]
    ) -> Iterator[tuple[Any, Any | BaseException]]:
        """Run ``fn(chunk)`` for every chunk on the cluster, yielding as chunks complete.

        At most ``in_flight`` x worker threads chunks are submitted at any time; a new one goes
        as each comes back. A chunk whose function raised (or that killed workers again and
        again: Dask's ``KilledWorker``) is yielded with its exception; the others go on.
        """
        from dask.distributed import as_completed

        if self.client is None:
            raise RuntimeError("DaskEvaluator.evaluate outside its with-block")
        source = iter(chunks)
        pending: dict[str, Any] = {}
        queue = as_completed([], with_results=False)
        capacity = self.in_flight * self.threads

        def submit() -> None:
            while len(pending) < capacity:
                try:
                    chunk = next(source)
                except StopIteration:
                    return
                # pure=False: two chunks with equal arguments are still two tasks
                future = self.client.submit(fn, chunk, pure=False)
                pending[future.key] = chunk
                queue.add(future)

        submit()
        for done, future in enumerate(queue, start=1):
            chunk = pending.pop(future.key)
            try:
                outcome = future.result()
            except Exception as exc:  # the chunk's own error, or KilledWorker
                outcome = exc
            future.release()
            if done % 16 == 0:  # workers may have joined or left
                capacity = self.in_flight * self.threads
            submit()
            yield chunk, outcome
