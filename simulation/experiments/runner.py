"""Running replicates: batches in one process, batches spread over worker processes.

A batch is one :class:`ESNModel` advancing several replicates together (people x replicates
arrays), which is where the speed comes from on a small machine; worker processes only pay on
machines with more cores. Replicate ``k`` always uses seed ``seed + k`` and gives the same numbers
whatever batch or process it runs in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.base.limits import check_run_size, check_seed
from simulation.experiments.mesa_model import ESNModel
from simulation.experiments.pool import PoolEvaluator
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


def _run_task(task) -> BatchResult:
    """``run_batch`` for the pool: ``(index, org, scenario, seeds, breakdown)``."""
    _, org, scenario, seeds, breakdown = task
    return run_batch(org, scenario, seeds, breakdown=breakdown)


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
    here = None
    if local:
        scenario, seeds = jobs[0]

        def here() -> BatchResult:
            return run_batch(org, scenario, seeds, keep_model=True, breakdown=breakdown)

    tasks = [(k, org, scenario, seeds, breakdown) for k, (scenario, seeds) in enumerate(jobs)]
    # the package's one pool (simulation.experiments.pool): the sweep's, with its worker set-up;
    # never this process running other batches (share_parent) but for the first one kept here
    with PoolEvaluator(workers, share_parent=False) as pool:
        for task, outcome in pool.evaluate(_run_task, tasks[local:], here=here):
            if isinstance(outcome, BaseException):
                raise outcome
            done(0 if task is None else task[0], outcome)
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
