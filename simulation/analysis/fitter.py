"""The fit and its bootstrap: an optimiser over a :class:`~simulation.analysis.fit_space.Space`
against one observed history (:class:`Fitter`), and refits of histories simulated from the best
fit, which give the intervals (:mod:`simulation.analysis.calibrate` puts them together)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.analysis import hazard
from simulation.analysis.fit_space import Space
from simulation.analysis.losses import Evaluator, observations, simulate
from simulation.analysis.observed import Observed
from simulation.analysis.optimise import refine, screen, smooth
from simulation.experiments.mesa_model import ESNModel

BOOTSTRAP_SEED = 100_000  # the bootstrap's histories use seeds from here: never the fit's


@dataclass
class Fit:
    """One optimisation's outcome."""

    values: dict[str, float]
    loss: float
    log_likelihood: float | None
    evaluations: int


class Fitter:
    """Fits one space (the full model or the null) to one observed history."""

    def __init__(self, org, space: Space, observed: Observed, loss: str, population, settings):
        self.org, self.space, self.observed = org, space, observed
        self.loss, self.population, self.settings = loss, population, settings
        if loss == "hazard":
            period = hazard.align(org, observed)
            self.data = hazard.HazardData(
                org.ties, period, observed.adoption.periods, observed.period_days
            )
            hazard.parameters_of(space, space.values(np.full(len(space.parameters), 0.5)))
        else:
            self.evaluator = Evaluator(org, space, observed, loss, population)

    def seeds(self, n: int) -> list[int]:
        return [self.settings.seed + k for k in range(n)]

    def fit(self, start=None, quick: bool = False, data=None, observed=None) -> Fit:
        space, s = self.space, self.settings
        if self.loss == "hazard":
            data = data or self.data

            def nll(u):
                return -data.log_likelihood(*hazard.parameters_of(space, space.values(u)))

            u, value = smooth(
                nll, len(space.parameters), s.seed, starts=1 if quick else 4, start=start
            )
            return Fit(space.values(u), value, -value, 0)
        observed = observed or self.observed
        few, many = self.seeds(s.replicates), self.seeds(s.final_replicates)
        if quick:  # a bootstrap refit: the fit's estimator, from its best point
            many = self.seeds(s.bootstrap_replicates or s.final_replicates)

        def objective(seeds):
            return lambda u: self.evaluator.loss_of(
                self.evaluator.simulated(space.values(u), seeds), observed
            )

        used = 0
        if start is None:
            start, _, _, _ = screen(objective(few), len(space.parameters), s.screening, s.seed)
            used += 2 ** int(np.ceil(np.log2(max(2, s.screening))))
        budget = s.bootstrap_evaluations if quick else s.evaluations
        # a bootstrap refit starts at the best fit with a wide simplex, so it can move away
        step = 0.2 if quick else 0.1
        u, value, n = refine(objective(many), np.asarray(start), budget, step)
        return Fit(space.values(u), value, self._log_likelihood(value, observed), used + n)

    def _log_likelihood(self, value: float, observed: Observed) -> float:
        if self.loss == "binomial":
            return -value
        n = observations(observed)  # Gaussian residuals: -n/2 (log(2 pi RSS/n) + 1)
        return float(-0.5 * n * (np.log(2 * np.pi * max(value, 1e-12) ** 2) + 1))

    def bootstrap(self, best: Fit, histories: int) -> pd.DataFrame:
        """Refit ``histories`` histories simulated from ``best`` (fresh seeds)."""
        if histories < 1:
            return pd.DataFrame(columns=self.space.names)
        space, start = self.space, self.space.unit(best.values)
        seeds = [BOOTSTRAP_SEED + self.settings.seed + b for b in range(histories)]
        rows = []
        if self.loss == "hazard":
            periods, days = self.observed.adoption.periods, self.observed.period_days
            scenario = space.scenario(best.values, days=periods * days)
            model = ESNModel(self.org, scenario, seeds=seeds)
            model.run()
            for b in range(histories):
                period = hazard.periods_from_days(
                    model.engine.people.registered_day[b].astype(np.int64), periods, days
                )
                data = hazard.HazardData(self.org.ties, period, periods, days)
                rows.append(self.fit(start=start, quick=True, data=data).values)
            return pd.DataFrame(rows)
        scenario = space.scenario(best.values, days=self.observed.horizon)
        simulated = simulate(self.org, scenario, self.observed, seeds)
        for b in range(histories):
            series = {name: values[:, b] for name, values in simulated.items()}
            synthetic = Observed(
                self.observed.source, self.observed.kind, self.observed.days, series,
                self.observed.population,
            )  # fmt: skip
            begin = None if self.settings.bootstrap_start == "screen" else start
            rows.append(self.fit(start=begin, quick=True, observed=synthetic).values)
        return pd.DataFrame(rows)
