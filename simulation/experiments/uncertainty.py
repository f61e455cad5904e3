"""A comparison across plausible parameters: every plan under K parameter sets.

``MultiSim(..., uncertainty=SOURCE)`` (``esnsim compare --uncertainty SOURCE``) first runs the
comparison at the assumed parameters (the plans as written: its figures are unchanged), then
every plan again under each of K parameter sets (:mod:`simulation.experiments.uncertainty_sets`)
with the comparison's own seeds: replicate k of every plan in every set uses seed + k, so within
a set two plans differ only by what the plans change (common random numbers), and between two
sets only by the parameters. :class:`Uncertainty` holds the runs and every statistic of them
(:mod:`simulation.metrics.across_sets`), computed once; ``uncertainty.parquet``, the report's
section and the terminal lines render it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from simulation.experiments.runner import batches, run_jobs
from simulation.experiments.sweep.paths import apply
from simulation.experiments.uncertainty_sets import ParameterSets
from simulation.metrics.across_sets import best_shares, chances, target_spread
from simulation.metrics.replicates import with_derived
from simulation.metrics.targets import PER_RUN_COLUMNS, Target


@dataclass
class Uncertainty:
    """Every plan's runs under K parameter sets, and the statistics across the sets.

    Attributes
    ----------
    runs : DataFrame
        ``uncertainty.parquet``: ``scenario, parameter_set, replicate, seed``, every per-run
        figure, ``reached:<target>`` per target, then one column per parameter path (its value
        in that set; NaN for a plan that does not have the parameter).
    chances : DataFrame
        The leader at the assumed parameters against each other plan across the sets
        (:func:`~simulation.metrics.across_sets.chances`).
    best : DataFrame
        Per plan, the share of the sets where it has the best mean outcome.
    targets : dict
        Target text -> :func:`~simulation.metrics.across_sets.target_spread`.
    """

    sets: ParameterSets
    names: list[str]
    outcome: str
    leader: str
    replicates: int
    target_list: list[Target]
    runs: pd.DataFrame
    chances: pd.DataFrame = field(init=False)
    best: pd.DataFrame = field(init=False)
    targets: dict[str, pd.DataFrame] = field(init=False)

    def __post_init__(self) -> None:
        self.chances = chances(self.runs, self.outcome, self.names, self.leader)
        self.best = best_shares(self.runs, self.outcome, self.names)
        self.targets = {}
        for target in self.target_list:
            column = f"reached:{target.text}"
            frame = self.runs[["scenario", "parameter_set", "replicate", column]]
            self.targets[target.text] = target_spread(
                frame.rename(columns={column: "reached"}), target.text, self.names
            )

    @property
    def count(self) -> int:
        """K, the number of parameter sets."""
        return self.sets.count


def set_scenarios(scenarios, sets: ParameterSets, k: int) -> list:
    """The plans with parameter set ``k`` applied (paths a plan lacks are left as they are)."""
    row = sets.values.iloc[k]
    out = []
    for scenario in scenarios:
        lacking = set(sets.not_applicable.get(scenario.name, []))
        values = {p: float(row[p]) for p in sets.paths if p not in lacking}
        out.append(apply(scenario.model_dump(mode="python"), values, source=scenario._source))
    return out


def run_sets(
    ms,
    sets: ParameterSets,
    on_batch: Callable[[int], None] | None = None,
) -> Uncertainty:
    """Run every plan of the :class:`~simulation.experiments.multisim.MultiSim` ``ms`` under
    every set of ``sets`` (after ``ms.run()``: the leader is the one at the assumed parameters).

    One set at a time (its daily rows are reduced to the targets' outcomes and dropped), with
    the comparison's seeds, workers and batch size.
    """
    comparison = ms._require_run()
    size = max(1, min(ms.batch_size, ms.replicates))
    parts = []
    for k in range(sets.count):
        plans = set_scenarios(ms.scenarios, sets, k)
        jobs = [(plan, group) for plan in plans for group in batches(ms.seeds, size)]
        results = run_jobs(ms.org, jobs, workers=ms.workers, on_batch=on_batch)
        daily = pd.concat([r.daily for r in results], ignore_index=True)
        runs = with_derived(pd.concat([r.summary for r in results], ignore_index=True), ms.org.size)
        keep = ["scenario", "replicate", "seed", *PER_RUN_COLUMNS]
        frame = runs[keep].copy()
        frame.insert(1, "parameter_set", k)
        for target in ms.targets:
            reached = target.evaluate(daily, runs).set_index(["scenario", "replicate"])
            index = pd.MultiIndex.from_frame(frame[["scenario", "replicate"]])
            frame[f"reached:{target.text}"] = reached["reached"].reindex(index).to_numpy(bool)
        for path in sets.paths:
            value = float(sets.values.iloc[k][path])
            lacking = [n for n, p in sets.not_applicable.items() if path in p]
            frame[path] = [float("nan") if n in lacking else value for n in frame["scenario"]]
        parts.append(frame)
    return Uncertainty(
        sets=sets,
        names=list(ms.names),
        outcome=ms.outcome,
        leader=comparison.leader,
        replicates=ms.replicates,
        target_list=list(ms.targets),
        runs=pd.concat(parts, ignore_index=True),
    )
