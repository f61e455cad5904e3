"""ESNModel: the Mesa face of the engine (one Mesa step = one day).

Employees' state lives in numpy arrays (:mod:`simulation.model.people`) and a day is one vectorised
update (:mod:`simulation.model.engine`); the model wraps one batch of replicates (one by default) so
that Mesa users get the API they know: ``step()``, ``run_model()``, a ``DataCollector`` of the
daily model-level series, and :class:`Employee` agents to inspect or draw. Employees are *views*
onto the arrays, made on demand: creating them costs nothing unless they are asked for.

Mesa's own ``model.random`` / ``model.rng`` are seeded as usual but no decision uses them: every
decision draws from its own per-replicate stream (:mod:`simulation.base.streams`).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

with warnings.catch_warnings():
    # Mesa imports tqdm.auto, which warns in Jupyter when ipywidgets is not installed; its
    # console progress bar (what it falls back to) is all Mesa's batch runner needs.
    warnings.filterwarnings("ignore", message="IProgress not found")
    import mesa

from simulation.model import windows
from simulation.model.daily import DAILY_COLUMNS
from simulation.model.engine import Engine
from simulation.model.people import NEVER_VISITED, Stage
from simulation.plan.names import resolve_names


class Employee(mesa.Agent):
    """A view onto one person's state in one replicate (read-only, always current).

    Parameters
    ----------
    model : ESNModel
    index : int
        The person's index in the organisation's arrays.
    replicate : int
        Which replicate of the model's batch it shows (0 by default).
    """

    def __init__(self, model: ESNModel, index: int, replicate: int = 0):
        super().__init__(model)
        self.index = int(index)
        self.replicate = int(replicate)

    @property
    def _people(self):
        return self.model.engine.people

    @property
    def employee_id(self) -> str:
        return str(self.model.org.ids[self.index])

    @property
    def stage(self) -> Stage:
        return Stage(int(self._people.stage[self.replicate, self.index]))

    @property
    def habit(self) -> float:
        """Habit level, share 0-1."""
        return float(self._people.habit[self.replicate, self.index])

    @property
    def last_visit(self) -> int | None:
        """Day of the last visit, or None."""
        day = int(self._people.last_visit[self.replicate, self.index])
        return None if day == NEVER_VISITED else day

    @property
    def weekly_active(self) -> bool:
        """Visited in the last 7 days (up to the last simulated day)."""
        # the engine's day counter is already the next day's: the last simulated day is one less
        day = self.model.engine.day - 1
        return bool(windows.weekly_active(self._people.last_visit[self.replicate, self.index], day))

    @property
    def posts(self) -> int:
        """Posts written since the start."""
        return int(self._people.total_posts[self.replicate, self.index])

    @property
    def manager(self) -> int:
        return int(self.model.org.manager[self.index])

    @property
    def department(self) -> str:
        return self.model.org.department_names[self.model.org.department[self.index]]

    @property
    def frontline(self) -> bool:
        return bool(self.model.org.frontline[self.index])

    def __repr__(self) -> str:
        return f"Employee({self.employee_id!r}, stage={self.stage.name.lower()}, habit={self.habit:.2f})"


class ESNModel(mesa.Model):
    """An ESN rollout on an organisation, as a Mesa model (one step = one day).

    Parameters
    ----------
    org : Organisation
    scenario : Scenario
    seed : int
        Seed of replicate 0; replicate k of the batch uses ``seed + k``.
    replicates : int
        Replicates advanced together (people x replicates arrays). Default 1.
    seeds : sequence of int, optional
        Explicit per-replicate seeds (overrides ``seed`` and ``replicates``).
    """

    def __init__(
        self,
        org,
        scenario,
        seed: int = 0,
        replicates: int = 1,
        seeds: Sequence[int] | None = None,
    ):
        super().__init__(seed=seed)
        self.org = org
        self.scenario = scenario
        seeds = list(seeds) if seeds is not None else [seed + k for k in range(replicates)]
        # the plan's names as the organisation's own (a no-op on a plan already resolved)
        self.engine = Engine(org, resolve_names(scenario, org), seeds)
        self._employees: dict[tuple[int, int], Employee] = {}
        self._latest: dict[str, float] = {}  # the last day, mean over the batch, per column
        self.datacollector = mesa.DataCollector(
            model_reporters={column: _reporter(column) for column in DAILY_COLUMNS}
        )

    @property
    def day(self) -> int:
        """Days simulated so far (the next step simulates this day)."""
        return self.engine.day

    def step(self) -> None:
        """Simulate one day and collect the model-level series (mean over the batch)."""
        row = self.engine.step()
        # the batch means of every column at once: one numpy call, not one per reporter
        means = np.mean([row[c] for c in DAILY_COLUMNS], axis=1).tolist()
        self._latest = dict(zip(DAILY_COLUMNS, means, strict=True))
        self.datacollector.collect(self)
        if self.engine.day >= self.scenario.days:
            self.running = False

    def run(self, days: int | None = None) -> ESNModel:
        """Simulate ``days`` days (default: to the end of the scenario)."""
        days = self.scenario.days - self.engine.day if days is None else days
        for _ in range(days):
            self.step()
        return self

    def employee(self, index: int, replicate: int = 0) -> Employee:
        """The :class:`Employee` view of person ``index`` (made on first request)."""
        key = (int(index), int(replicate))
        agent = self._employees.get(key)
        if agent is None:
            agent = Employee(self, index, replicate)
            self._employees[key] = agent
        return agent

    def employees(self, replicate: int = 0) -> list[Employee]:
        """Views of everyone in one replicate (for inspection and drawing; costs one object each)."""
        return [self.employee(i, replicate) for i in range(self.org.size)]


def _reporter(column: str):
    def report(model: ESNModel) -> float:
        return model._latest.get(column, 0.0)

    report.__name__ = f"report_{column}"
    return report
