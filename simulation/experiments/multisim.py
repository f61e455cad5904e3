"""MultiSim: several plans on one organisation, replicates with common random numbers.

ms = compare(["scenarios/top_down_mandate.yaml", "scenarios/full_support.yaml"], replicates=30)
ms.summary(); ms.probability("wau>=0.4@180"); ms.differences(); ms.save("results/compare")

Every plan runs with the same base seed, so replicate k of every plan draws the same random
numbers for the same decisions (:mod:`simulation.base.streams`): two plans differ only by what the
plans change, and the differences are taken replicate by replicate (paired), which makes their
intervals much narrower than comparing two independent samples.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.base.defaults import REPLICATES, WORKERS
from simulation.base.errors import InputError
from simulation.base.outputs import now
from simulation.experiments.comparison_outputs import comparison_manifest, save_comparison
from simulation.experiments.lever_table import run_lever_table
from simulation.experiments.results import USE_COLUMNS, Comparison
from simulation.experiments.runner import DEFAULT_BATCH, batches, run_jobs
from simulation.experiments.sim import resolve_org, resolve_scenario
from simulation.experiments.uncertainty import run_sets
from simulation.experiments.uncertainty_sets import DEFAULT_SETS, ParameterSets, load_sets
from simulation.metrics.costs import one_currency, refuse_budget_below_fixed_costs
from simulation.metrics.lead import DEFAULT_OUTCOME
from simulation.metrics.replicates import as_statistics, spread, with_derived
from simulation.metrics.targets import PER_RUN_COLUMNS, Target
from simulation.metrics.value import check_budget, value_for_money
from simulation.plan.events import plan_events

MAX_PLANS = 6
#: on sustained use (the last 30 days): a target reached by a day can be met by a launch spike
#: alone (the bare mandate's 40 % weekly active on day 0, 14 % a year later)
DEFAULT_TARGETS = ["sustained_wau>=0.2", "sustained_wau>=0.3"]


class MultiSim:
    """Replicates of two to six plans on the same organisation, with common random numbers.

    Parameters
    ----------
    scenarios : sequence of Scenario, path or mapping
        The plans; the first is the reference of the paired differences.
    org : Organisation or str, optional
        The organisation (or an ``--org`` spec); default: the first plan's, else 2,000 people.
    replicates : int
        Replicates per plan. Default :data:`simulation.base.defaults.REPLICATES` (20).
    seed : int
        Seed of replicate 0 of every plan (replicate k uses ``seed + k``). Default 0.
    days : int, optional
        Days to simulate (overrides every plan's).
    targets : sequence of str, optional
        Target expressions (:mod:`simulation.metrics.targets`); default
        :data:`DEFAULT_TARGETS` (those that fit in the run).
    workers : int, optional
        Worker processes; default :data:`simulation.base.defaults.WORKERS`.
    batch_size : int
        Replicates advanced together in one process. Default 50.
    progress : callable, optional
        Called with the number of replicates each finished batch ran.
    columns : dict, optional
        HR CSV header names (``--columns``) when ``org`` is a CSV path.
    roles : dict, optional
        Role mappings that come before each plan's own (``--departments``, ``--sites``).
    outcome : str
        The per-run figure the report's answer ranks the plans on (a ``summary.parquet``
        column or ``cost_per_sustained_wau``). Default ``sustained_wau``.
    calibration : str or Path, optional
        The output folder of ``esnsim calibrate`` the plans were built from: the report gets
        its section (fit, forecast, intervals). Checked before any run.
    uncertainty : str, Path or ParameterSets, optional
        Also run every plan under K parameter sets: a plausible region file (or a shipped
        region's name, ``plausible``) or a calibration output folder (its bootstrap refits);
        :mod:`simulation.experiments.uncertainty`. The result's ``uncertainty`` holds them.
    uncertainty_sets : int
        K, the parameter sets drawn from a region (the first K refits of a calibration).
        Default 20.
    budget : float, optional
        The most a plan may cost over the run (in the plans' currency): the answer is then the
        best plan within it (:mod:`simulation.metrics.value`). A budget below what the cheapest
        plan costs whatever happens is refused before any run; one that no plan's mean cost
        fits, after the runs (an :class:`InputError` either way, nothing written).
    lever_table : bool
        Also run the plan leading on the outcome (whatever it costs) without each of its
        levers, and with none, on the same seeds: what each lever brings and costs, and which
        plan without one would fit the budget (:mod:`simulation.experiments.lever_table`).
        Default false (one more plan's runs per lever, plus one).
    """

    def __init__(
        self,
        scenarios: Sequence,
        org=None,
        replicates: int = REPLICATES,
        seed: int = 0,
        days: int | None = None,
        targets: Sequence[str] | None = None,
        workers: int | None = None,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[int], None] | None = None,
        columns: dict | None = None,
        roles: dict | None = None,
        outcome: str = DEFAULT_OUTCOME,
        calibration: str | Path | None = None,
        uncertainty: str | Path | ParameterSets | None = None,
        uncertainty_sets: int = DEFAULT_SETS,
        budget: float | None = None,
        lever_table: bool = False,
    ):
        from simulation.analysis.calibration_output import load_section
        from simulation.plan.names import resolve_names

        if isinstance(scenarios, str | Path | dict):
            scenarios = [scenarios]
        if not 2 <= len(scenarios) <= MAX_PLANS:
            raise InputError(f"compare needs 2 to {MAX_PLANS} plans, got {len(scenarios)}")
        if int(replicates) < 2:
            raise InputError("compare needs at least 2 replicates per plan")
        self.scenarios = [
            resolve_scenario(s).with_overrides(days=days, seed=int(seed)) for s in scenarios
        ]
        names = [s.name for s in self.scenarios]
        for name in names:
            if names.count(name) > 1:
                raise InputError(f"two plans are named {name!r}: plan names must differ")
        self.names = names
        one_currency(self.scenarios)
        self.days = max(s.days for s in self.scenarios)
        if targets is None:
            targets = [t for t in DEFAULT_TARGETS if _fits(t, self.days)]
        self.targets = [Target.parse(t, days=min(s.days for s in self.scenarios)) for t in targets]
        self.org = resolve_org(org, self.scenarios[0], columns=columns)
        # every name of every plan checked against the organisation before any simulation
        self.scenarios = [resolve_names(s, self.org, roles) for s in self.scenarios]
        self.uncertainty: ParameterSets | None = None
        if uncertainty is not None:  # checked against the plans before any run
            self.uncertainty = (
                uncertainty
                if isinstance(uncertainty, ParameterSets)
                else load_sets(uncertainty, uncertainty_sets)
            )
            self.uncertainty.check(self.scenarios)
        self.budget = check_budget(budget)
        if self.budget is not None:
            refuse_budget_below_fixed_costs(self.budget, self.scenarios, self.org, self.days)
        self.lever_table = bool(lever_table)
        self.replicates = int(replicates)
        self.seed = int(seed)
        self.workers = WORKERS if workers is None else max(1, int(workers))
        self.batch_size = batch_size
        self.progress = progress
        self.outcome = _outcome(outcome)
        self.calibration = calibration
        self.calibration_section = load_section(calibration) if calibration else ""
        self.result: Comparison | None = None
        self.started = self.finished = None
        self.elapsed: float | None = None
        self.runs_done = 0

    @property
    def seeds(self) -> list[int]:
        """The seed of each replicate (the same for every plan)."""
        return [self.seed + k for k in range(self.replicates)]

    # ------------------------------------------------------------------ running
    def jobs(self) -> list[tuple[int, list[int]]]:
        """(plan index, seeds) of every batch, split so that every worker has work."""
        per_plan = max(1, -(-self.workers // len(self.scenarios)))
        size = min(self.batch_size, -(-self.replicates // per_plan))
        return [
            (i, group) for i in range(len(self.scenarios)) for group in batches(self.seeds, size)
        ]

    def run(self) -> MultiSim:
        """Run every replicate of every plan (in a process pool when ``workers`` > 1).

        Fills :attr:`result`, the :class:`~simulation.experiments.results.Comparison` every statistic,
        table and figure is read from.
        """
        self.started = now()
        self.runs_done = 0
        clock = time.perf_counter()
        jobs = self.jobs()
        results = run_jobs(
            self.org,
            [(self.scenarios[i], seeds) for i, seeds in jobs],
            workers=self.workers,
            on_batch=self._tick,
            breakdown=True,
        )
        first_sustained = {}
        for (i, seeds), result in zip(jobs, results, strict=True):
            if seeds[0] == self.seed:
                first_sustained[self.names[i]] = result.first_sustained
        self.result = Comparison(
            names=self.names,
            scenarios=self.scenarios,
            org=self.org,
            seeds=self.seeds,
            days=self.days,
            targets=self.targets,
            outcome=self.outcome,
            daily=pd.concat([r.daily for r in results], ignore_index=True),
            runs=with_derived(
                pd.concat([r.summary for r in results], ignore_index=True), self.org.size
            ),
            by_group=pd.concat([r.by_group for r in results], ignore_index=True),
            pockets_per_run=pd.concat([r.pockets for r in results], ignore_index=True),
            first_sustained=first_sustained,
        )
        if self.uncertainty is not None:
            self.result.uncertainty = run_sets(self, self.uncertainty, on_batch=self._tick)
        self._value()
        self.elapsed = time.perf_counter() - clock
        self.result.elapsed = self.elapsed
        self.finished = now()
        return self

    def _value(self) -> None:
        """Value for money (and the lever table when asked) into the result and its statistics."""
        result = self.result
        if result.runs["cost"].isna().all():
            # one-shot mode reports no costs (simulation.plan.adoption.one_shot): nothing to rank
            if self.budget is not None:
                raise InputError(
                    "--budget: these plans report no costs (mode: one_shot), so no budget applies"
                )
            return
        value = value_for_money(result.runs, self.names, self.outcome, self.org.size, self.budget)
        if self.lever_table:
            value.levers = run_lever_table(
                result, value.leader, self.workers, self.batch_size, on_batch=self._tick
            )
            if value.levers is None:
                value.levers_note = f"{value.leader} has no levers: there is no lever table"
        result.value = value
        result.statistics = pd.concat(
            [result.statistics, as_statistics("value", value.statistics())], ignore_index=True
        )

    def _tick(self, count: int) -> None:
        self.runs_done += count  # the plans', the lever table's and the parameter sets' runs
        if self.progress is not None:
            self.progress(count)

    def _require_run(self) -> Comparison:
        if self.result is None:
            raise RuntimeError("call run() first")
        return self.result

    # the run's tables (those of the result)
    @property
    def daily(self) -> pd.DataFrame | None:
        """Rows of ``daily.parquet`` of every plan (None before :meth:`run`)."""
        return None if self.result is None else self.result.daily

    @property
    def runs(self) -> pd.DataFrame | None:
        """Per-run figures of every plan, with ``cost_per_sustained_wau``."""
        return None if self.result is None else self.result.runs

    @property
    def by_group(self) -> pd.DataFrame | None:
        """Rows of ``daily_by_group.parquet``."""
        return None if self.result is None else self.result.by_group

    @property
    def first_sustained(self) -> dict[str, np.ndarray]:
        """Replicate 0's per-person sustained activity, per plan (for the organisation chart)."""
        return {} if self.result is None else self.result.first_sustained

    # --------------------------------------------------------------- statistics
    def series(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Mean and 90 % band across replicates of daily series: ``scenario, day, metric, ...``."""
        result = self._require_run()
        if columns is None:
            return result.series
        return spread(result.daily, ["scenario", "day"], list(columns))

    def sustained(self, columns: Sequence[str] = USE_COLUMNS) -> pd.DataFrame:
        """Daily series averaged over each run's last 30 days: mean and 90 % interval per plan.

        By default how registered people use it: daily and weekly active shares of the
        registered, and the mobile share of visits.
        """
        result = self._require_run()
        return result.sustained if tuple(columns) == USE_COLUMNS else result.sustained_of(columns)

    def summary(self) -> pd.DataFrame:
        """Mean and 90 % interval across replicates of every per-run figure, per plan."""
        return self._require_run().summary

    def reached(self, target: str | Target) -> pd.DataFrame:
        """Per run: whether ``target`` was reached and the first day it was."""
        result = self._require_run()
        return result.reached_by(self._target(target))

    def probability(self, target: str | Target | None = None) -> pd.DataFrame:
        """Probability of reaching a target per plan, with its 90 % (Wilson) interval.

        Returns ``scenario, target, probability, low, high, n, day_reached`` (mean first day
        among the runs that reached it; NaN for a per-run figure or when none did).
        """
        result = self._require_run()
        return result.probability(self._target(target or self.targets[0]))

    def differences(self) -> pd.DataFrame:
        """Paired differences of every per-run figure against the first plan (mean, 90 % CI),
        with the unpaired interval of the same runs for comparison."""
        return self._require_run().differences

    def lead(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The plan leading on :attr:`outcome` against each other plan: paired differences
        (``versus``) and the chance it does better in a pair of replicates (``beats``)."""
        result = self._require_run()
        return result.versus, result.beats

    def group_breakdown(self, group_by: str = "department") -> pd.DataFrame:
        """Sustained (last 30 days) weekly-active share by group: mean and 90 % interval."""
        return self._require_run().group_breakdown(group_by)

    def pockets(self) -> pd.DataFrame:
        """Teams, sites and departments ranked by how far they fall below the organisation."""
        return self._require_run().pockets

    def statistics(self) -> pd.DataFrame:
        """Every statistic in one long table (``compare.parquet``; see
        :meth:`simulation.experiments.results.Comparison._statistics` for its sections)."""
        return self._require_run().statistics

    def _target(self, target: str | Target) -> Target:
        return target if isinstance(target, Target) else Target.parse(target, days=self.days)

    # ------------------------------------------------------------------ outputs
    def plot(self, column: str = "wau"):
        """One curve per plan of ``column`` with its 90 % band (matplotlib Figure)."""
        from simulation.report.plots import curves

        result = self._require_run()
        return curves(result.daily, column, events=plan_events(result))

    def to_html(self, path: str | Path) -> Path:
        """Write the forwardable ``report.html`` to ``path``."""
        from simulation.report.html import render

        result = self._require_run()
        path = Path(path)
        path.write_text(render(result, calibration=self.calibration_section), encoding="utf-8")
        return path

    def manifest(self) -> dict:
        """What produced these results (versions, plans, seeds, organisation, targets, times)."""
        return comparison_manifest(self)

    def save(self, out_dir: str | Path, figures: bool = True) -> list[Path]:
        """Write every output of a comparison into ``out_dir`` (atomically): see
        :mod:`simulation.experiments.comparison_outputs`."""
        return save_comparison(self, out_dir, figures)


def _outcome(name: str) -> str:
    if name not in PER_RUN_COLUMNS:
        raise InputError(
            f"outcome {name!r}: not a per-run figure; one of " + ", ".join(PER_RUN_COLUMNS)
        )
    return name


def _fits(text: str, days: int) -> bool:
    target = Target.parse(text)
    return target.day is None or target.day < days


def compare(
    scenarios: Sequence,
    org=None,
    replicates: int = REPLICATES,
    seed: int = 0,
    workers: int | None = None,
    **options,
) -> MultiSim:
    """Run plans on the same organisation with common random numbers; returns the MultiSim.

    ``options`` are passed to :class:`MultiSim` (``days``, ``targets``, ``batch_size``,
    ``progress``, ``columns``, ``budget``, ``lever_table``...). With ``budget``, the result's
    ``value.best`` is the best plan within it (:mod:`simulation.metrics.value`).
    """
    return MultiSim(
        scenarios, org=org, replicates=replicates, seed=seed, workers=workers, **options
    ).run()
