"""Sim: one scenario, one organisation, one or more replicates (the notebook API).

sim = Sim(Scenario.load("scenarios/grassroots.yaml"), org=org, seed=1).run()
sim.daily; sim.summary; sim.model; sim.plot(); sim.save("results/grassroots")
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from simulation.base.defaults import WORKERS
from simulation.base.outputs import (
    manifest,
    now,
    write_atomically,
    write_figure,
    write_json,
    write_parquet,
)
from simulation.experiments.results import RunResult
from simulation.experiments.runner import DEFAULT_BATCH, run_replicates
from simulation.plan.scenario import Scenario

DEFAULT_ORG_SIZE = 2000  # people, when neither the scenario nor the caller names an organisation


def resolve_scenario(scenario) -> Scenario:
    """A :class:`Scenario` from a Scenario, a path, a shipped scenario's name, or a mapping."""
    from simulation.plan.shipped import resolve_path

    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, dict):
        return Scenario.from_dict(scenario)
    return Scenario.load(resolve_path(scenario))


def resolve_org(org, scenario: Scenario, columns: dict | None = None):
    """The organisation to run on: ``org`` if given (an Organisation or an ``--org`` spec),
    else the scenario's ``organisation:``, else a generated one of 2,000 people."""
    from simulation.org import Organisation, load_org
    from simulation.org.source import scenario_org

    if isinstance(org, Organisation):
        return org
    if org is not None:
        return load_org(str(org), columns=columns)
    if scenario.organisation is not None:
        return scenario_org(scenario)
    return Organisation.generate(DEFAULT_ORG_SIZE, seed=0)


class Sim:
    """Run one scenario with replicates.

    Parameters
    ----------
    scenario : Scenario, path or mapping
    org : Organisation or str, optional
        The organisation, or an ``--org`` spec (path, ``dataset:NAME``, ``generate:size=N``).
    seed : int, optional
        Seed of replicate 0 (replicate k uses ``seed + k``); default: the scenario's.
    days : int, optional
        Days to simulate; default: the scenario's.
    replicates : int
        Number of replicates. Default 1.
    workers : int, optional
        Worker processes (default :data:`simulation.base.defaults.WORKERS`).
    batch_size : int
        Replicates advanced together in one process. Default 50.
    progress : callable, optional
        Called with the number of replicates finished by each batch.
    columns : dict, optional
        HR CSV header names (``--columns``) when ``org`` is a CSV path.
    roles : dict, optional
        Role mappings that come before the scenario's (``--departments``, ``--sites``):
        ``{"departments": {"open_to_social": ["Sales", "IT"]}, "sites": {...}}``.
    """

    def __init__(
        self,
        scenario,
        org=None,
        seed: int | None = None,
        days: int | None = None,
        replicates: int = 1,
        workers: int | None = None,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[int], None] | None = None,
        columns: dict | None = None,
        roles: dict | None = None,
    ):
        from simulation.plan.names import resolve_names

        base = resolve_scenario(scenario)
        self.scenario = base.with_overrides(days=days, seed=seed)
        self.org = resolve_org(org, self.scenario, columns=columns)
        # every name checked against the organisation before anything runs
        self.scenario = resolve_names(self.scenario, self.org, roles)
        if int(replicates) < 1:
            raise ValueError("replicates must be >= 1")
        self.replicates = int(replicates)
        self.workers = WORKERS if workers is None else workers
        self.batch_size = batch_size
        self.progress = progress
        self.result: RunResult | None = None
        self.model = None
        self.started = self.finished = None
        self.elapsed = None

    @property
    def seeds(self) -> list[int]:
        """The seed of each replicate."""
        return [self.scenario.seed + k for k in range(self.replicates)]

    def run(self) -> Sim:
        """Run every replicate; fills :attr:`result` (``daily``, ``summary``) and ``model``."""
        self.started = now()
        clock = time.perf_counter()
        results = run_replicates(
            self.org,
            self.scenario,
            self.seeds,
            workers=self.workers,
            batch_size=self.batch_size,
            on_batch=self.progress,
        )
        self.result = RunResult(
            scenario=self.scenario,
            org=self.org,
            seeds=self.seeds,
            daily=pd.concat([r.daily for r in results], ignore_index=True),
            summary=pd.concat([r.summary for r in results], ignore_index=True),
        )
        self.model = results[0].model
        self.elapsed = time.perf_counter() - clock
        self.finished = now()
        return self

    @property
    def daily(self) -> pd.DataFrame | None:
        """Rows of ``daily.parquet`` (None before :meth:`run`)."""
        return None if self.result is None else self.result.daily

    @property
    def summary(self) -> pd.DataFrame | None:
        """Rows of ``summary.parquet`` (None before :meth:`run`)."""
        return None if self.result is None else self.result.summary

    def plot(self):
        """Adoption curves (weekly active, registered, contributors) with a 90 % band."""
        from simulation.plan.events import scenario_events
        from simulation.report.plots import adoption

        result = self._require_run()
        return adoption(
            result.daily,
            title=f"{self.scenario.name} on {self.org.name}",
            events={self.scenario.name: scenario_events(self.scenario)},
        )

    def summary_table(self) -> pd.DataFrame:
        """Mean and 90 % interval across replicates of each per-run figure and cost item."""
        return self._require_run().table

    def manifest(self) -> dict:
        """What produced these results (versions, scenario, seeds, organisation, times)."""
        from simulation.plan.names import name_record

        return manifest(
            scenario=self.scenario.model_dump(mode="json"),
            scenario_hash=self.scenario.digest(),
            scenario_file=str(self.scenario._source) if self.scenario._source else None,
            names=name_record(self.scenario),
            organisation={"name": self.org.name, "size": self.org.size},
            seeds=self.seeds,
            replicates=self.replicates,
            workers=self.workers,
            batch_size=self.batch_size,
            start=self.started,
            end=self.finished,
            elapsed_seconds=self.elapsed,
        )

    def save(self, out_dir: str | Path, figure: bool = True, people: bool = False) -> list[Path]:
        """Write ``daily.parquet``, ``summary.parquet``, ``manifest.json`` and ``adoption.png``.

        With ``people``, also ``people.parquet``: each person's end state in the replicates kept
        in this process (:mod:`simulation.metrics.people_table`). The folder is written whole.
        """
        self._require_run()
        writers = {
            "daily.parquet": write_parquet(self.daily),
            "summary.parquet": write_parquet(self.summary),
            "manifest.json": write_json(self.manifest()),
        }
        if people:
            from simulation.metrics.people_table import people_table

            writers["people.parquet"] = write_parquet(people_table(self.model))
        if figure:
            import matplotlib.pyplot as plt

            fig = self.plot()
            writers["adoption.png"] = write_figure(fig)
            try:
                return write_atomically(out_dir, writers)
            finally:
                plt.close(fig)
        return write_atomically(out_dir, writers)

    def _require_run(self) -> RunResult:
        if self.result is None:
            raise RuntimeError("call run() first")
        return self.result
