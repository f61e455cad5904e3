"""Footprints: who is weekly active at the end when one candidate alone is seeded.

A candidate's *footprint* in replicate ``r`` is, for every person, the number of days of the
sustained window (the run's last 30 days) on which that person is weekly active, when that
candidate alone is seeded (common random numbers: replicate ``r`` has the same seed, so the
same thresholds, needs and coin tosses, for every candidate). Summed over people and divided by
head-count x window days it is exactly the candidate's sustained weekly active in that replicate.

Footprints are the samples of a sketch-style surrogate of influence maximisation (Borgs,
Brautbar, Chayes & Lucier 2014, SODA; Tang, Shi & Xiao 2015, SIGMOD "IMM"; Cohen, Delling,
Pajor & Werneck 2014, CIKM "SKIM"): instead of a simulation per candidate *set*, a simulation
per candidate, then sets are scored by the union of their members' footprints in each replicate
(:mod:`.coverage`), which prices the overlap between two champions who reach the same people.
With thresholds and lapse the union is an approximation (two champions may together reach
people neither reaches alone, or crowd each other out), so the sets it proposes are always
re-scored by real simulation (:mod:`.refine`, :mod:`.compare`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.experiments.champions.evaluate import (
    ROWS_PER_CHUNK,
    seed_mask,
    split_rollout,
    with_rows,
)
from simulation.model.engine import Engine
from simulation.model.windows import SUSTAINED_DAYS, sustained_window, weekly_active


@dataclass
class FootprintChunk:
    """Single candidates to run on one organisation with ``seeds``: what a worker is given."""

    org: object
    scenario: object
    people: list[int]
    seeds: list[int]


def run_footprint_chunk(chunk: FootprintChunk) -> tuple[np.ndarray, np.ndarray]:
    """Footprints of one chunk and each candidate's sustained weekly active.

    Returns uint8 (candidates, replicates, people), days weekly active in the sustained window,
    and float (candidates, replicates), the share 0-1 of the staff employed, as
    :func:`simulation.experiments.champions.evaluate.run_chunk` gives it (the footprints count
    people, so with turnover their sum differs slightly). Module-level so that worker processes
    can run it.
    """
    replicates = len(chunk.seeds)
    kept, day = split_rollout(chunk.scenario)
    sets = [np.array([p], dtype=np.int64) for p in chunk.people]
    mask = seed_mask(sets, replicates, chunk.org.size)
    engine = Engine(chunk.org, with_rows(chunk.scenario, kept, mask, day), chunk.seeds * len(sets))
    days = chunk.scenario.days
    window = sustained_window(days)
    out = np.zeros(mask.shape, dtype=np.uint8)
    for today in range(days):
        engine.step()
        if window.start <= today < window.stop:
            out += weekly_active(engine.people.last_visit, today)
    wau = engine.records.trimmed()["wau"]  # (days, rows)
    sustained = wau[window].mean(axis=0).reshape(len(sets), replicates)
    return out.reshape(len(sets), replicates, chunk.org.size), sustained


def footprints(blocks, scenario, people, evaluator, progress=None):
    """Footprints of every candidate in ``people`` over the ``blocks`` (organisation, seeds).

    Returns uint8 (candidates, replicates, people) and float (candidates, replicates), as
    :func:`run_footprint_chunk`: the blocks' replicates side by side, as
    :class:`simulation.experiments.champions.evaluate.SetScorer` orders them.
    """
    people = [int(p) for p in people]
    size = blocks[0][0].size
    total = sum(len(seeds) for _, seeds in blocks)
    out = np.zeros((len(people), total, size), dtype=np.uint8)
    values = np.zeros((len(people), total))
    workers = max(1, int(getattr(evaluator, "workers", 1)))
    chunks, places = [], []
    first = 0
    for org, seeds in blocks:
        seeds = [int(s) for s in seeds]
        per_chunk = max(1, min(ROWS_PER_CHUNK // len(seeds), -(-len(people) // workers)))
        for start in range(0, len(people), per_chunk):
            chunks.append(FootprintChunk(org, scenario, people[start : start + per_chunk], seeds))
            places.append((start, slice(first, first + len(seeds))))
        first += len(seeds)
    index = {id(c): k for k, c in enumerate(chunks)}
    for chunk, result in evaluator.evaluate(run_footprint_chunk, chunks):
        if isinstance(result, BaseException):
            raise result
        start, columns = places[index[id(chunk)]]
        rows = slice(start, start + len(chunk.people))
        out[rows, columns], values[rows, columns] = result
        if progress is not None:
            progress(len(chunk.people) * len(chunk.seeds) / total)
    return out, values


def value_of(days_active: np.ndarray) -> np.ndarray:
    """Sustained weekly active (share 0-1) per replicate of a footprint (replicates, people)."""
    return days_active.sum(axis=-1) / (days_active.shape[-1] * SUSTAINED_DAYS)
