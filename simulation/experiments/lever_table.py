"""The lever table's runs: one plan again without each of its levers, and with none.

``MultiSim(..., lever_table=True)`` (``esnsim compare --lever-table``) runs the plan leading on
the outcome once per lever with that lever removed, and once with no levers, on the comparison's own seeds:
replicate k of every variant uses seed + k, so a variant differs from the plan only by the lever
it lacks (common random numbers), and each lever's effect is a paired difference
(:func:`simulation.metrics.value.lever_table`). The plan's own runs are the comparison's.

It costs one more plan's runs per lever, plus one: for ``full_support``'s five levers, six more
plans (three times the runs of a two-plan comparison), hence a flag, off by default.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from simulation.experiments.runner import batches, run_jobs
from simulation.metrics.replicates import with_derived
from simulation.metrics.value import LeverTable, lever_table


def lever_labels(scenario) -> list[str]:
    """A label per lever of ``scenario`` (its ``type``; numbered when a type repeats)."""
    types = [lever.type for lever in scenario.interventions]
    labels = []
    for k, kind in enumerate(types):
        labels.append(f"{kind} #{types[: k + 1].count(kind)}" if types.count(kind) > 1 else kind)
    return labels


def variants(scenario) -> tuple[dict[str, object], object]:
    """The plan without each lever (by label) and the plan with none, each named after it."""
    out = {}
    levers = list(scenario.interventions)
    for k, label in enumerate(lever_labels(scenario)):
        kept = levers[:k] + levers[k + 1 :]
        out[label] = _variant(scenario, f"{scenario.name} without {label}", kept)
    return out, _variant(scenario, f"{scenario.name} with no levers", [])


def _variant(scenario, name: str, levers: list):
    # a copy keeps the resolved names (private attributes) of the plan it comes from
    return scenario.model_copy(update={"name": name, "interventions": levers})


def run_lever_table(
    result,
    plan: str,
    workers: int = 1,
    batch_size: int = 50,
    on_batch: Callable[[int], None] | None = None,
) -> LeverTable | None:
    """Run the variants of ``plan`` (a plan of ``result``, a Comparison) on its seeds and
    compute the lever table; ``None`` when the plan has no levers."""
    scenario = result.scenarios[result.names.index(plan)]
    if not scenario.interventions:
        return None
    without, none = variants(scenario)
    plans = [*without.values(), none]
    jobs = [(s, group) for s in plans for group in batches(result.seeds, batch_size)]
    done = run_jobs(result.org, jobs, workers=workers, on_batch=on_batch)
    runs = pd.concat([r.summary for r in done], ignore_index=True)
    runs = with_derived(runs, result.org.size)
    mine = result.runs[result.runs["scenario"] == plan]
    runs = pd.concat([mine, runs], ignore_index=True)
    names = {label: s.name for label, s in without.items()}
    return lever_table(runs, plan, names, none.name, result.outcome, result.org.size)
