"""Results as objects: a run's (:class:`RunResult`) and a comparison's (:class:`Comparison`).

``Sim.run()`` and ``MultiSim.run()`` build these once from the runs; every statistic is computed
here, once, and everything else renders them: the Parquet files, ``report.html``, the terminal
table and notebooks (``sim.result``, ``ms.result``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation.metrics.costs import COST_COLUMNS
from simulation.metrics.groups import rank_pockets
from simulation.metrics.lead import censored_at, lead
from simulation.metrics.replicates import as_statistics, differences, spread, wilson
from simulation.metrics.summary import SUMMARY_COLUMNS, SUSTAINED_DAYS
from simulation.metrics.targets import PER_RUN_COLUMNS, Target
from simulation.model.daily import DAILY_COLUMNS

USE_COLUMNS = ("dau_of_registered", "wau_of_registered", "mobile_visit_share")
BREAKDOWNS = ("department", "frontline")  # the group breakdowns the report shows


@dataclass
class RunResult:
    """One plan's replicates: the tables and the figures across replicates.

    Attributes
    ----------
    daily, summary : DataFrame
        The rows of ``daily.parquet`` and ``summary.parquet``.
    table : DataFrame
        Mean, 5th and 95th percentile across replicates of every per-run figure and cost item
        (index: the figure).
    """

    scenario: object
    org: object
    seeds: list[int]
    daily: pd.DataFrame
    summary: pd.DataFrame
    table: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        numeric = self.summary[[*SUMMARY_COLUMNS, *COST_COLUMNS]]
        self.table = pd.DataFrame(
            {
                "mean": numeric.mean(),
                "low": numeric.quantile(0.05),
                "high": numeric.quantile(0.95),
            }
        )

    @property
    def currency(self) -> str:
        """The currency the costs are in (the scenario's ``costs.currency``)."""
        return self.scenario.costs.currency


@dataclass
class Comparison:
    """Two to six plans' replicates on one organisation and every statistic of them.

    Built once by ``MultiSim.run()``; ``compare.parquet`` is :attr:`statistics`. The first plan
    is the reference of :attr:`differences`; :attr:`versus` and :attr:`beats` compare the plan
    leading on :attr:`outcome` with each other plan.
    """

    names: list[str]
    scenarios: list
    org: object
    seeds: list[int]
    days: int
    targets: list[Target]
    outcome: str
    daily: pd.DataFrame
    runs: pd.DataFrame
    by_group: pd.DataFrame
    pockets_per_run: pd.DataFrame
    first_sustained: dict[str, np.ndarray]
    elapsed: float | None = None
    #: the runs under K parameter sets (``--uncertainty``), or None: at the assumed parameters only
    uncertainty: object | None = None
    #: value for money (:class:`simulation.metrics.value.ValueForMoney`), set by ``MultiSim.run``
    value: object | None = None

    def __post_init__(self) -> None:
        self.series = spread(self.daily, ["scenario", "day"], list(DAILY_COLUMNS))
        self.summary = spread(self.runs, ["scenario"], PER_RUN_COLUMNS)
        self.sustained = self.sustained_of(USE_COLUMNS)
        self.reached = {t.text: t.evaluate(self.daily, self.runs) for t in self.targets}
        self.probabilities = {t.text: self._probability(t) for t in self.targets}
        self.differences = differences(self.runs, self.names[0])
        self.costs = spread(self.runs, ["scenario"], COST_COLUMNS)
        judged = censored_at(self.runs, self.outcome, self.days)  # never reached: the last day
        self.versus, self.beats = lead(judged, self.outcome, self.names)
        self.outcome_means = judged.groupby("scenario", sort=False)[self.outcome].mean()
        self.outcome_reached = self.runs.groupby("scenario", sort=False)[self.outcome].count()
        self.leader = str(self.versus["scenario"].iloc[0]) if len(self.versus) else self.names[0]
        self.groups = {g: self.group_breakdown(g) for g in BREAKDOWNS}
        self.pockets = rank_pockets(self.pockets_per_run)
        self.statistics = self._statistics()

    # ---------------------------------------------------------------- facts
    @property
    def replicates(self) -> int:
        return len(self.seeds)

    @property
    def currency(self) -> str:
        """The currency of the costs: the plans' ``costs.currency`` (one: compare refuses plans
        in different currencies)."""
        return self.scenarios[0].costs.currency

    # ---------------------------------------------------------- on demand
    def sustained_of(self, columns: Sequence[str]) -> pd.DataFrame:
        """Daily series averaged over each run's last 30 days: mean and 90 % interval per plan."""
        last = self.daily[self.daily["day"] > self.daily["day"].max() - SUSTAINED_DAYS]
        per_run = last.groupby(["scenario", "replicate"], sort=False)[list(columns)].mean()
        return spread(per_run.reset_index(), ["scenario"], list(columns))

    def reached_by(self, target: Target) -> pd.DataFrame:
        """Per run: whether ``target`` was reached and the first day it was."""
        if target.text in getattr(self, "reached", {}):
            return self.reached[target.text]
        return target.evaluate(self.daily, self.runs)

    def probability(self, target: Target) -> pd.DataFrame:
        """``scenario, target, probability, low, high, n, day_reached, lost, day_lost`` of
        ``target`` (``lost``: the share of the runs that reached it and fell below it again for
        good, from ``day_lost`` on average)."""
        if target.text in getattr(self, "probabilities", {}):
            return self.probabilities[target.text]
        return self._probability(target)

    def _probability(self, target: Target) -> pd.DataFrame:
        runs = self.reached_by(target)
        rows = []
        for name in self.names:
            mine = runs[runs["scenario"] == name]
            hits, n = int(mine["reached"].sum()), len(mine)
            low, high = wilson(hits, n)
            days = mine["day_reached"].dropna()
            lost = mine["day_lost"].dropna()
            rows.append(
                {
                    "scenario": name,
                    "target": target.text,
                    "probability": hits / n if n else float("nan"),
                    "low": low,
                    "high": high,
                    "n": n,
                    "day_reached": float(days.mean()) if len(days) else float("nan"),
                    # of the runs that reached it, the share that fell back below it for good
                    "lost": len(lost) / hits if hits else float("nan"),
                    "day_lost": float(lost.mean()) if len(lost) else float("nan"),
                }
            )
        return pd.DataFrame(rows)

    def group_breakdown(self, group_by: str) -> pd.DataFrame:
        """Sustained (last 30 days) weekly-active share by group: mean and 90 % interval."""
        if group_by in getattr(self, "groups", {}):
            return self.groups[group_by]
        part = self.by_group[self.by_group["group_by"] == group_by]
        last = part[part["day"] >= part["day"].max() - (SUSTAINED_DAYS - 1)]
        per_run = last.groupby(["scenario", "group", "replicate"], sort=False)[
            ["wau", "registered"]
        ].mean()
        return spread(per_run.reset_index(), ["scenario", "group"], ["wau", "registered"])

    def stat(self, section: str, scenario: str, metric: str, reference: str | None = None):
        """One row of :attr:`statistics` (a Series), e.g. ``stat("summary", plan, "cost")``."""
        s = self.statistics
        rows = s[(s["section"] == section) & (s["scenario"] == scenario) & (s["metric"] == metric)]
        if reference is not None:
            rows = rows[rows["reference"] == reference]
        if len(rows) != 1:
            raise KeyError((section, scenario, metric, reference))
        return rows.iloc[0]

    # ------------------------------------------------------ compare.parquet
    def _statistics(self) -> pd.DataFrame:
        """Every statistic in one long table (``compare.parquet``).

        ``section`` is ``daily`` (per day), ``summary`` (per-run figures), ``sustained`` (daily
        series averaged over a run's last 30 days), ``target`` (probability, Wilson interval),
        ``target_day`` (first day reached, among the runs that reached it), ``difference``
        (paired, against ``reference``: the first plan), ``cost`` (the cost items),
        ``versus`` (the leader on the outcome minus ``reference``, paired) or ``beats`` (the
        share of paired replicates where the leader does better than ``reference``).
        """
        parts = [
            as_statistics("daily", self.series),
            as_statistics("summary", self.summary),
            as_statistics("sustained", self.sustained),
        ]
        for target in self.targets:
            prob = self.probabilities[target.text]
            parts.append(
                as_statistics(
                    "target",
                    prob.rename(columns={"target": "metric", "probability": "mean"}).drop(
                        columns="day_reached"
                    ),
                )
            )
            if target.day is not None:
                runs = self.reached[target.text].assign(metric=target.text)
                days = spread(runs, ["scenario"], ["day_reached"]).assign(metric=target.text)
                parts.append(as_statistics("target_day", days))
        parts.append(as_statistics("difference", self.differences))
        parts.append(as_statistics("cost", self.costs))
        parts.append(as_statistics("versus", self.versus))
        parts.append(as_statistics("beats", self.beats))
        return pd.concat([p for p in parts if len(p)], ignore_index=True)
