"""Chunks of runs and the function that runs one (in this process or in a worker).

A chunk is a run of consecutive whole points (all replicates of each), so its runs share a
scenario point by point and an organisation: each point's replicates advance together as one
batch of the engine (:func:`run_point`), and the organisation is built once per process
and kept (:func:`organisation`, a small cache keyed by the organisation's spec), not once per
run. The chunking depends only on the sweep file, never on the number of workers, so a resumed
sweep finds the same chunks.

:func:`run_chunk` is a module-level function of a picklable :class:`Chunk`, as process pools
and Dask need.
"""

from __future__ import annotations

import json
import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

TARGET_RUNS = 20  # runs per chunk by default: a chunk's fixed costs (sending it, its result,
# writing its file) stay small beside 20 runs
MIN_CHUNKS = 16  # ...but small sweeps still get enough chunks to keep every worker busy
_ORG_CACHE_SIZE = 4  # organisations kept per process (a sweep over organisation.size)
_ORGS: OrderedDict[str, Any] = OrderedDict()


@dataclass
class Chunk:
    """Runs ``first_run .. first_run + runs - 1`` (points ``first_point ..``) and their task."""

    index: int
    first_point: int
    points: int
    first_run: int
    runs: int
    task: dict

    def __repr__(self) -> str:  # the task is long; progress messages need only the numbers
        return f"Chunk({self.index}, runs {self.first_run}..{self.first_run + self.runs - 1})"


@dataclass
class ChunkResult:
    """One chunk's rows: ``runs`` (the ``runs/`` columns) and optional ``daily`` rows."""

    index: int
    runs: pd.DataFrame
    daily: pd.DataFrame | None
    seconds: float


def points_per_chunk(points: int, replicates: int, chunk_runs: int | None = None) -> int:
    """Whole points per chunk: ``chunk_runs`` runs (default :data:`TARGET_RUNS`) or fewer so
    that there are at least :data:`MIN_CHUNKS` chunks; at least one point."""
    if chunk_runs is not None:
        return max(1, chunk_runs // replicates)
    wanted = max(1, math.ceil(TARGET_RUNS / replicates))
    return max(1, min(wanted, math.ceil(points / MIN_CHUNKS)))


def make_chunks(spec, design, base: dict, source: str) -> list[Chunk]:
    """The chunks of a sweep, each carrying everything a worker needs to run it."""
    from simulation.experiments.sweep.checks import parameter_lines
    from simulation.experiments.sweep.design import run_seed

    reps = spec.replicates
    per = points_per_chunk(design.size, reps, spec.chunk_runs)
    names = design.names
    values = design.points[names].to_dict("records") if names else []
    common = spec.seeds == "common"
    daily = spec.daily.model_dump() if spec.daily is not None else None
    # the folders the organisation's files may be read from, checked in this process
    # (:func:`check_organisation`); a worker does not inherit ``--allow-path``
    roots = [str(root) for root in spec.roots()]
    lines = parameter_lines(spec)  # a point the scenario refuses names the sweep file's line
    chunks = []
    for index, start in enumerate(range(0, design.size, per)):
        stop = min(start + per, design.size)
        runs = range(start * reps, stop * reps)
        task = {
            "base": base,
            "source": source,
            "names": names,
            "values": values[start:stop],
            "replicates": reps,
            "seeds": [run_seed(spec.seed, r, reps, common) for r in runs],
            "outcomes": list(spec.outcomes),
            "daily": daily,
            "roots": roots,
            "lines": lines,
        }
        chunks.append(Chunk(index, start, stop - start, runs.start, len(runs), task))
    return chunks


def check_organisation(spec, chunks: list[Chunk]) -> None:
    """Read the organisation's files here, as every worker will, so that a file outside the
    allowed roots, missing or invalid is one line (:class:`SweepError`) before anything is
    written, not a failure of every chunk. A generated organisation reads no file (its options
    were checked with the scenario) and is not built here. The organisation is kept in this
    process's cache, so a sweep run in this process builds it once."""
    from simulation.base.errors import InputError, SweepError
    from simulation.experiments.sweep.paths import apply
    from simulation.org.source import allow_paths, check_paths, parse_source
    from simulation.plan.scenario import Scenario

    if not chunks:
        return
    task = chunks[0].task
    values = task["values"][0] if task["values"] else {}
    own = spec.organisation is not None
    where = spec.at("organisation") if own else f"{spec.source}: base"
    try:
        scenario = apply(task["base"], values, source=task["source"])
        if parse_source(scenario.organisation).kind == "generate":
            return
        if not own:  # the base scenario's own paths: confined as any scenario's
            check_paths(Scenario.load(task["source"]))
        with allow_paths(*task["roots"]):
            organisation(scenario.organisation, str(scenario.base_dir))
    except SweepError:
        raise
    except InputError as error:
        raise SweepError(f"{where}: {error}") from None


def organisation(config: dict, base_dir: str):
    """The organisation of ``config``, built once per process (kept in a small cache)."""
    from simulation.org import org_from_config

    key = json.dumps(config, sort_keys=True, default=str) + "\0" + base_dir
    if key in _ORGS:
        _ORGS.move_to_end(key)
        return _ORGS[key]
    org = org_from_config(config, base_dir=base_dir)
    _ORGS[key] = org
    while len(_ORGS) > _ORG_CACHE_SIZE:
        _ORGS.popitem(last=False)
    return org


def run_point(org, scenario, seeds: list[int], daily_days: list[int] | None, daily_columns):
    """One point's replicates as one batch: its summary rows, and its daily series at the days.

    The lean core of :func:`simulation.experiments.runner.run_batch` (the same model and the same numbers)
    without building the whole daily table a sweep does not keep.
    """
    from simulation.experiments.mesa_model import ESNModel
    from simulation.metrics.summary import summarise

    model = ESNModel(org, scenario, seeds=list(seeds))
    model.run()
    values = model.engine.records.trimmed()
    summary = summarise(values, model.engine)
    daily = None
    if daily_days is not None:
        daily = {c: values[c][daily_days, :] for c in daily_columns}  # (days, replicates)
    return summary, daily


def run_chunk(chunk: Chunk) -> ChunkResult:
    """Run every point of ``chunk`` (its replicates as one batch); returns its rows."""
    from simulation.base.errors import ScenarioError
    from simulation.experiments.sweep.paths import apply, point_error

    clock = time.perf_counter()
    task = chunk.task
    reps = task["replicates"]
    names, outcomes, spec = task["names"], task["outcomes"], task["daily"]
    days = sorted(set(spec["days"])) if spec is not None else None
    columns = spec["columns"] if spec is not None else []
    from simulation.org.source import allow_paths

    runs: dict[str, list] = {
        k: [] for k in ("run", "point", "replicate", "seed", *names, *outcomes)
    }
    daily: dict[str, list] = {k: [] for k in ("run", "point", "day", *columns)}
    for offset, values in enumerate(task["values"]):
        point = chunk.first_point + offset
        try:
            scenario = apply(task["base"], values, source=task["source"])
        except ScenarioError as error:  # beyond the points checked at load: the point's fault
            if "lines" not in task:
                raise
            raise point_error(error, values, task["lines"], point) from None
        with allow_paths(*task.get("roots", ())):
            org = organisation(scenario.organisation, str(scenario.base_dir))
        seeds = task["seeds"][offset * reps : (offset + 1) * reps]
        summary, series = run_point(org, scenario, seeds, days, columns)
        first = chunk.first_run + offset * reps
        runs["run"] += range(first, first + reps)
        runs["point"] += [point] * reps
        runs["replicate"] += range(reps)
        runs["seed"] += seeds
        for name in names:
            runs[name] += [values[name]] * reps
        for name in outcomes:
            runs[name] += [row[name] for row in summary]
        if series is not None:
            daily["run"] += np.repeat(np.arange(first, first + reps), len(days)).tolist()
            daily["point"] += [point] * (reps * len(days))
            daily["day"] += days * reps
            for column in columns:
                daily[column] += series[column].T.reshape(-1).tolist()
    frame = pd.DataFrame(runs)
    for key in ("run", "point", "replicate", "seed"):
        frame[key] = frame[key].astype(np.int64)
    daily_frame = None
    if spec is not None:
        daily_frame = pd.DataFrame(daily)
        for key in ("run", "point", "day"):
            daily_frame[key] = daily_frame[key].astype(np.int64)
    return ChunkResult(chunk.index, frame, daily_frame, time.perf_counter() - clock)
