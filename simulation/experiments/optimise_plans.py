"""The best plan for a budget: a multi-objective search of cost against an outcome (Optuna).

:class:`PlanOptimiser` searches a :class:`~simulation.experiments.plan_search.SearchSpace` with
Optuna's multi-objective TPE (Ozaki et al. 2020; or NSGA-II, Deb et al. 2002), two objectives: a plan's cost (minimised; the cost API of
:mod:`simulation.metrics.costs`, as each run's summary records it) and its outcome (the search
file's ``objective``, default sustained weekly active, maximised). Every trial is scored on the
*same* block of seeds (common random numbers), so two plans differ only by what they change;
a generation of trials runs as batches of the one process pool
(:mod:`simulation.experiments.pool`), one batch of replicates per plan, and a combination seen
before is not run again.

A front of noisy means is optimistic (the plans that drew lucky numbers look best), so the
search's Pareto front is *re-scored* on fresh seeds with 90 % intervals. From the re-scored
front :func:`picks` chooses the three plans a client should look at: the cheapest that meets
the target, the best within the budget (with the chance its cost stays within it), and the
knee (the plan farthest from the line joining the front's two ends, costs and outcomes scaled
0-1: past it each extra euro buys less).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.base.errors import InputError, ScenarioError
from simulation.experiments.optuna_study import open_study, suggest
from simulation.experiments.plan_front import (
    LOWER_IS_BETTER,
    front_to_rescore,
    pareto_mask,
    picks,
    rescored_table,
    target_level,
)
from simulation.experiments.plan_search import SearchSpace
from simulation.experiments.pool import InProcessEvaluator
from simulation.experiments.runner import run_batch
from simulation.experiments.sweep import paths
from simulation.metrics.costs import plan_cost_lines
from simulation.plan.names import resolve_names

#: the re-score's seeds start this far from the search's (fresh numbers)
CHECK_OFFSET = 1_000_000
#: asks of the sampler per distinct plan wanted, at most (a small space is soon exhausted)
ASKS_PER_TRIAL = 5
#: most plans of the search's front re-scored (evenly along the cost)
MAX_RESCORED = 12

#: ``score(plans, seeds)``: each plan's per-run ``cost`` and outcome (one row per seed), or the
#: exception that refused it
Scorer = Callable[[list[tuple[dict, Any]], list[int]], list[Any]]


def _score_task(task) -> pd.DataFrame:
    """One plan's batch of replicates for the pool: ``(key, org, scenario, seeds, objective)``."""
    _, org, scenario, seeds, objective = task
    summary = run_batch(org, scenario, seeds).summary
    return summary[["seed", objective, "cost"]].rename(columns={objective: "outcome"})


@dataclass
class OptimiseResult:
    """What :meth:`PlanOptimiser.run` found.

    ``trials``: every trial (``trial``, the values, ``cost``, ``outcome`` on the search's
    seeds, ``state``, ``on_front``). ``front``: the search's front re-scored (the values,
    ``search_cost``, ``search_outcome``, ``cost``/``cost_low``/``cost_high``,
    ``outcome``/``outcome_low``/``outcome_high``, ``within_budget``: the share of the re-score's
    runs whose cost stays within the budget, ``on_front``: still on the front after re-scoring).
    ``picks``: pick name -> row index of ``front`` (or None).
    """

    space: SearchSpace
    budget: float
    trials: pd.DataFrame
    front: pd.DataFrame
    picks: dict[str, int | None]
    seeds: list[int]
    check_seeds: list[int]
    target_level: float
    target_text: str
    mappings: dict[int, dict] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    method: str = "tpe"
    elapsed: float = 0.0
    evaluations: int = 0

    @property
    def lower_is_better(self) -> bool:
        return self.space.objective in LOWER_IS_BETTER


class PlanOptimiser:
    """Search the cost / outcome front of a plan's levers (module docstring).

    Parameters
    ----------
    space : SearchSpace
    org : Organisation
    budget : float
        Amount in the plan's currency (``costs.currency``).
    trials : int
        Distinct plans run by the search (a plan proposed again is told its known result).
    replicates : int
        Runs per plan in the search, the same seeds for every plan.
    check_replicates : int, optional
        Runs per plan of the re-score on fresh seeds (default twice ``replicates``).
    population : int, optional
        Plans asked of the sampler at once and run together (NSGA-II's population; TPE's
        random start). Default min(trials, 12).
    seed : int, optional
        Seed of replicate 0 (default the base plan's) and of the sampler.
    evaluator : Evaluator, optional
        Where the batches run (default this process).
    roles : dict, optional
        Role mappings from the command line (:func:`~simulation.plan.names.resolve_names`).
    score : callable, optional
        Replaces the simulation (tests: a toy model through the same search and re-score).
    method : str
        ``tpe`` (default) or ``nsga2`` (:meth:`sampler`).
    storage : path, optional
        A sqlite file holding the search: an interrupted search run again with the same file
        and settings resumes (its plans are not run again); default in memory.
    """

    def __init__(
        self,
        space: SearchSpace,
        org,
        budget: float,
        trials: int = 60,
        replicates: int = 10,
        check_replicates: int | None = None,
        population: int | None = None,
        seed: int | None = None,
        evaluator=None,
        roles: dict | None = None,
        score: Scorer | None = None,
        method: str = "tpe",
        storage: str | Path | None = None,
    ):
        self.space, self.org, self.budget = space, org, float(budget)
        self.trials, self.replicates = int(trials), int(replicates)
        if self.trials < 2:
            raise InputError(f"--trials: must be >= 2, got {trials}")
        if self.replicates < 1:
            raise InputError(f"--replicates: must be >= 1, got {replicates}")
        self.check_replicates = int(check_replicates or 2 * self.replicates)
        self.population = int(population or min(self.trials, 12))
        if self.population < 2:
            raise InputError(f"--population: must be >= 2, got {population}")
        self.seed = space.base.seed if seed is None else int(seed)
        self.evaluator = evaluator
        self.roles = roles
        if method not in ("tpe", "nsga2"):
            raise InputError(f"--sampler: tpe or nsga2, got {method!r}")
        self.method = method
        self.storage = Path(storage) if storage is not None else None
        self.score = score or self._simulate
        self.progress: Callable[[int], None] | None = None
        self.notes: list[str] = []
        self.evaluations = 0

    @property
    def seeds(self) -> list[int]:
        return [self.seed + k for k in range(self.replicates)]

    @property
    def check_seeds(self) -> list[int]:
        return [self.seed + CHECK_OFFSET + k for k in range(self.check_replicates)]

    def plan(self, values: dict, name: str):
        """The plan of ``values``, its names resolved against the organisation."""
        return resolve_names(self.space.scenario(values, name), self.org, self.roles)

    def cheapest_cost(self) -> tuple[float, dict]:
        """A lower bound of the cheapest plan in the space, without its licences, and its
        values, by coordinate descent over each parameter's ends and categories."""
        options = {d.text: _ends(d) for d in self.space.dimensions}
        values = {name: choices[0] for name, choices in options.items()}
        days = self.space.base.days
        best = math.inf
        for _ in range(2):
            for name, choices in options.items():
                for choice in choices:
                    trial = dict(values, **{name: choice})
                    try:
                        lines = plan_cost_lines(self.plan(trial, "cheapest"), self.org, days)
                    except ScenarioError:
                        continue
                    # licences left out: they follow the staff employed (joiners, leavers)
                    # or the people who register, known only after the runs
                    cost = sum(line.amount for line in lines if line.item != "licences")
                    if cost < best:
                        best, values = cost, trial
        return best, values

    def check_budget(self) -> None:
        """Refuse a budget below the cheapest plan the space allows (one line, before runs)."""
        cost, _ = self.cheapest_cost()
        if self.budget < cost:
            currency = self.space.base.costs.currency
            raise InputError(
                f"--budget {self.budget:,.0f}: below the cheapest plan the search allows, which "
                f"costs at least {cost:,.0f} {currency} over {self.space.base.days} days without "
                "its licences"
            )

    def _simulate(self, plans: list[tuple[dict, Any]], seeds: list[int]) -> list[Any]:
        evaluator = self.evaluator or InProcessEvaluator()
        out: list[Any] = [None] * len(plans)
        tasks = []
        for k, (values, name) in enumerate(plans):
            try:
                tasks.append((k, self.org, self.plan(values, name), seeds, self.space.objective))
            except ScenarioError as error:
                out[k] = error
        for task, result in evaluator.evaluate(_score_task, tasks):
            out[task[0]] = result
        return out

    def _means(self, plans, seeds) -> list[Any]:
        results = self.score(plans, seeds)
        self.evaluations += len(plans) * len(seeds)
        if self.progress is not None:
            self.progress(len(plans))
        return results

    def search(self) -> pd.DataFrame:
        """Run the search; one row per distinct plan tried (see :class:`OptimiseResult`)."""
        import optuna

        optuna.logging.set_verbosity(optuna.logging.WARNING)
        lower = self.space.objective in LOWER_IS_BETTER
        study = open_study(optuna, self)
        seen: dict[tuple, Any] = {}  # a plan's key -> (mean cost, mean outcome) or its refusal
        rows = []
        for trial in study.get_trials(deepcopy=False):  # a resumed search's plans
            if trial.state != optuna.trial.TrialState.COMPLETE:
                continue
            values = self.space.active(
                {d.text: trial.params[d.text] for d in self.space.dimensions}
            )
            key = tuple(values.values())
            if key not in seen:
                seen[key] = tuple(trial.values)
                rows.append({"trial": trial.number, **values, "cost": trial.values[0],
                             "outcome": trial.values[1], "state": "complete"})  # fmt: skip
        if rows:
            self.notes.append(f"resumed from --storage: {len(rows)} plans already run")
        else:
            for values in self.starting_points():  # the first plans asked
                study.enqueue_trial(values, skip_if_exists=True)
        asks = 0
        # ``trials`` counts distinct plans run: on a space of few plans a sampler proposes the
        # same plan again and again (told its known result at no cost); the asks are bounded
        while len(seen) < self.trials and asks < ASKS_PER_TRIAL * self.trials:
            want = min(self.population, self.trials - len(seen))
            asked = [study.ask() for _ in range(want)]
            asks += want
            chosen = [self.space.active(suggest(trial, self.space)) for trial in asked]
            keys = [tuple(values[d.text] for d in self.space.dimensions) for values in chosen]
            new = {}
            for key, values in zip(keys, chosen, strict=True):
                if key not in seen and key not in new:
                    new[key] = values
            plans = [(values, f"trial-{len(seen) + i}") for i, values in enumerate(new.values())]
            if plans:
                for key, result in zip(new, self._means(plans, self.seeds), strict=True):
                    if not isinstance(result, BaseException):
                        result = (float(result["cost"].mean()), float(result["outcome"].mean()))
                    seen[key] = result
            for trial, key, values in zip(asked, keys, chosen, strict=True):
                result = seen[key]
                if isinstance(result, BaseException):
                    study.tell(trial, state=optuna.trial.TrialState.FAIL)
                else:
                    study.tell(trial, list(result))
                if key not in new:
                    continue  # asked again: one row per distinct plan
                del new[key]
                row = {"trial": trial.number, **values}
                if isinstance(result, BaseException):
                    row.update(cost=np.nan, outcome=np.nan, state="refused")
                    self.notes.append(f"trial {trial.number} refused: {result}")
                else:
                    row.update(cost=result[0], outcome=result[1], state="complete")
                rows.append(row)
        if len(seen) < self.trials:
            self.notes.append(
                f"{len(seen)} distinct plans tried of the {self.trials} asked: the search kept "
                "proposing plans already run (a small space)"
            )
        trials = pd.DataFrame(rows)
        done = trials["state"] == "complete"
        sign = -1.0 if lower else 1.0
        front = np.zeros(len(trials), dtype=bool)
        front[done.to_numpy()] = pareto_mask(
            trials.loc[done, "cost"], sign * trials.loc[done, "outcome"]
        )
        trials["on_front"] = front
        return trials

    def starting_points(self) -> list[dict]:
        """The base plan (every lever on, its settings within the ranges) and the cheapest
        corner of the space: the front's two ends are tried from the first generation."""
        base = {}
        for d in self.space.dimensions:
            spec = d.spec
            if d.switch:
                base[d.text] = True
                continue
            current = paths.get(self.space.mapping, paths.parse(d.path), d.path)
            if spec.categorical:
                base[d.text] = current if current in spec.values else spec.values[0]
            elif isinstance(current, int | float) and not isinstance(current, bool):
                value = min(max(current, spec.low), spec.high)
                base[d.text] = int(round(value)) if spec.integer else float(value)
            else:
                base[d.text] = math.ceil(spec.low) if spec.integer else spec.low
        _, cheapest = self.cheapest_cost()
        return [base, cheapest]

    def rescore(self, trials: pd.DataFrame) -> pd.DataFrame:
        """The search's front on fresh seeds: means with 90 % intervals, the chance of staying
        within the budget, and whether each plan is still on the front."""
        names = [d.text for d in self.space.dimensions]
        front, note = front_to_rescore(trials, names, MAX_RESCORED)
        if note:
            self.notes.append(note)
        plans = [
            ({n: row[n] for n in names}, f"plan-{int(row['trial'])}") for _, row in front.iterrows()
        ]
        results = self._means(plans, self.check_seeds)
        for result in results:
            if isinstance(result, BaseException):
                raise result
        lower = self.space.objective in LOWER_IS_BETTER
        return rescored_table(front, results, names, self.budget, lower)

    def run(self) -> OptimiseResult:
        """Check the budget, search, re-score the front and choose the three plans."""
        import time

        start = time.perf_counter()
        self.check_budget()
        trials = self.search()
        if not (trials["state"] == "complete").any():
            raise InputError("no plan of the search could run: " + "; ".join(self.notes[:3]))
        front = self.rescore(trials)
        level, text = target_level(self.space, front)
        chosen = picks(front, self.budget, level, self.space.objective in LOWER_IS_BETTER)
        if chosen["best_within_budget"] is None:
            self.notes.append(
                f"no re-scored plan's mean cost is within the budget of {self.budget:,.0f}"
            )
        if chosen["cheapest_meeting_target"] is None:
            self.notes.append(f"no re-scored plan meets the target ({text})")
        names = [d.text for d in self.space.dimensions]
        mappings = {}
        for k, row in front.iterrows():
            mappings[k] = self.space.plan_mapping({n: row[n] for n in names}, "plan")
        return OptimiseResult(
            space=self.space,
            budget=self.budget,
            trials=trials,
            front=front,
            picks=chosen,
            seeds=self.seeds,
            check_seeds=self.check_seeds,
            target_level=level,
            target_text=text,
            mappings=mappings,
            notes=self.notes,
            method={"tpe": "multi-objective TPE", "nsga2": "NSGA-II"}[self.method],
            elapsed=time.perf_counter() - start,
            evaluations=self.evaluations,
        )


def _ends(dimension) -> list:
    spec = dimension.spec
    if spec.categorical:
        return list(spec.values)
    if spec.integer:
        return [math.ceil(spec.low), math.floor(spec.high)]
    return [spec.low, spec.high]
