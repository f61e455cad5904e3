"""Scoring sets of champions: many sets, one batch of replicates each, common random numbers.

A candidate set is scored by the scenario's outcome (``sustained_wau``, the mean weekly-active
share 0-1 over the last 30 days) in ``R`` replicates. Every set is run with the same ``R`` seeds
(common random numbers: two sets differ only by whom they seed), and several sets run together as
rows of one engine (people x rows arrays: ``sets x R`` rows), which is where the speed comes from
(:mod:`simulation.model.engine`); the rows of one set give exactly the numbers they give alone.
Chunks of sets go to worker processes through :mod:`simulation.experiments.sweep.evaluators` (the package's process pool) when asked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from simulation.base.errors import InputError
from simulation.experiments.sweep.evaluators import InProcessEvaluator
from simulation.model.components import Component
from simulation.model.engine import Engine
from simulation.model.windows import sustained_window
from simulation.plan.rollout.phases import Phases

#: rollouts that choose whom to seed: the champions replace them (the others are kept)
SEEDING = frozenset({"champions", "hub_seeding", "random_seeds", "grassroots"})
#: rows (sets x replicates) advanced together: the engine's gain per row flattens beyond ~50-100
ROWS_PER_CHUNK = 80


class SeedRows(Component):
    """Row ``r`` of the engine registers the people of ``rows[r]`` on ``start_day``.

    Not a scenario rollout (a scenario names champions with the ``champions`` rollout): the
    search's way of running different sets side by side in one engine.

    Parameters
    ----------
    rows : ndarray of bool, shape (rows, people)
    start_day : int
        Day of the launch (days).
    """

    strategy = "seed_rows"

    def __init__(self, rows: np.ndarray, start_day: int):
        self.rows = np.asarray(rows, dtype=bool)
        self.start_day = int(start_day)

    def apply(self, engine, day: int) -> None:
        self.act(engine, day)

    def act(self, engine, day: int) -> None:
        if day == self.start_day:
            engine.register(self.rows)


def split_rollout(scenario) -> tuple[list, int]:
    """The scenario's rollout phases the champions keep, and the champions' day.

    Seeding phases (:data:`SEEDING`) are replaced by the champions, who register on the first
    replaced phase's ``start_day``; the other phases (an announcement, a mandate, waves...) are
    kept. With no seeding phase, the champions register on the launch day (the earliest
    ``start_day``).
    """
    rollout = scenario.rollout
    phases = list(rollout.phases) if isinstance(rollout, Phases) else [rollout]
    kept = [p for p in phases if p.strategy not in SEEDING]
    replaced = [p.start_day for p in phases if p.strategy in SEEDING]
    day = replaced[0] if replaced else min(p.start_day for p in phases)
    return kept, int(day)


def with_rows(scenario, kept: list, rows: np.ndarray, day: int):
    """A copy of ``scenario`` whose rollout is ``kept`` then :class:`SeedRows` (not validated:
    a run-time plan, never written)."""
    rollout = Phases.model_construct(
        strategy="phases", start_day=0, phases=[*kept, SeedRows(rows, day)]
    )
    return scenario.model_copy(update={"rollout": rollout})


@dataclass
class Chunk:
    """Sets to score on one organisation with ``seeds``: what a worker process is given."""

    org: object
    scenario: object
    sets: list  # each an int array (K,) of people, or (len(seeds), K) people per replicate
    seeds: list[int]


def seed_mask(sets: Sequence[np.ndarray], replicates: int, size: int) -> np.ndarray:
    """Bool (sets x replicates, people): set ``s`` in rows ``s * replicates ...``."""
    mask = np.zeros((len(sets) * replicates, size), dtype=bool)
    for s, people in enumerate(sets):
        people = np.asarray(people, dtype=np.int64)
        block = mask[s * replicates : (s + 1) * replicates]
        if people.ndim == 2:  # a different set in each replicate (random seeding)
            rows = np.repeat(np.arange(replicates), people.shape[1])
            block[rows, people.reshape(-1)] = True
        else:
            block[:, people] = True
    return mask


def run_chunk(chunk: Chunk) -> np.ndarray:
    """Sustained weekly active (share 0-1), shape (sets, replicates), of one chunk.

    Module-level so that worker processes can run it.
    """
    replicates = len(chunk.seeds)
    kept, day = split_rollout(chunk.scenario)
    mask = seed_mask(chunk.sets, replicates, chunk.org.size)
    plan = with_rows(chunk.scenario, kept, mask, day)
    engine = Engine(chunk.org, plan, list(chunk.seeds) * len(chunk.sets))
    engine.run()
    wau = engine.records.trimmed()["wau"]  # (days, rows)
    sustained = wau[sustained_window(wau.shape[0])].mean(axis=0)
    return sustained.reshape(len(chunk.sets), replicates)


class SetScorer:
    """Scores sets of people by sustained weekly active, with common random numbers.

    Parameters
    ----------
    blocks : list of (Organisation, list of int)
        Organisations and the seeds run on each. One block normally; several when the informal
        ties are generated (each block one draw of them, so that a score does not hang on one
        made-up network). Every set runs on every block; its replicates are the blocks' seeds
        in order.
    scenario : Scenario
        The plan, its names resolved against the organisation.
    evaluator : simulation.experiments.sweep.evaluators.Evaluator, optional
        Where chunks run (default: in this process).
    progress : callable, optional
        Called with the number of sets scored by each finished chunk.
    """

    def __init__(
        self, blocks, scenario, evaluator=None, progress: Callable[[int], None] | None = None
    ):
        self.blocks = [(org, [int(s) for s in seeds]) for org, seeds in blocks]
        self.scenario = scenario
        self.evaluator = evaluator or InProcessEvaluator()
        self.progress = progress
        self.evaluations = 0  # sets scored (each with every replicate)
        self.replicate_years = 0  # rows run (sets x replicates)

    @property
    def workers(self) -> int:
        """Chunks that run at once."""
        return max(1, int(getattr(self.evaluator, "workers", 1)))

    @property
    def replicates(self) -> int:
        return sum(len(seeds) for _, seeds in self.blocks)

    def score(self, sets: Sequence[np.ndarray]) -> np.ndarray:
        """Sustained weekly active of each set in each replicate: shape (sets, replicates).

        A set is an int array of people (indices), or (replicates, K) for a different set in
        each replicate.
        """
        sets = [np.asarray(s, dtype=np.int64) for s in sets]
        if not sets:
            return np.zeros((0, self.replicates))
        out = np.zeros((len(sets), self.replicates))
        chunks, places = [], []
        first = 0
        for org, seeds in self.blocks:
            # at most ROWS_PER_CHUNK rows a chunk, and at least one chunk for every worker
            per_chunk = max(1, min(ROWS_PER_CHUNK // len(seeds), -(-len(sets) // self.workers)))
            columns = slice(first, first + len(seeds))
            for start in range(0, len(sets), per_chunk):
                part = [s[columns] if s.ndim == 2 else s for s in sets[start : start + per_chunk]]
                chunks.append(Chunk(org, self.scenario, part, seeds))
                places.append((start, columns))
            first += len(seeds)
        index = {id(c): k for k, c in enumerate(chunks)}
        for chunk, result in self.evaluator.evaluate(run_chunk, chunks):
            if isinstance(result, BaseException):
                raise result
            start, columns = places[index[id(chunk)]]
            out[start : start + len(chunk.sets), columns] = result
            if self.progress is not None:
                self.progress(len(chunk.sets) * len(chunk.seeds) / self.replicates)
        self.evaluations += len(sets)
        self.replicate_years += len(sets) * self.replicates
        return out


def check_budget(budget: int, org) -> None:
    """K must be 1 to the head-count."""
    if isinstance(budget, bool) or not 1 <= int(budget) <= org.size:
        raise InputError(
            f"--budget {budget}: must be from 1 to the organisation's head-count ({org.size:,})"
        )
