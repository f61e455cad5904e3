"""How far a candidate's simulated histories are from the observed one.

A candidate (field values) is run on the organisation with a fixed list of seeds: the same seeds
for every candidate (common random numbers), so two candidates differ only by their parameters
and the loss changes smoothly enough for an optimiser. The replicates run together in one
:class:`~simulation.experiments.mesa_model.ESNModel` (people x replicates arrays).

Losses (smaller is better):

- ``rmse``: root mean square difference between the observed shares and the replicates' mean,
  over every observed series and date. When the shares are of each day's members (a Slack
  export whose membership the model follows), each day weighs as its members: a share of 5
  members is noise next to a share of 500 (its binomial variance is 100 times larger), and a
  community that starts with a handful of people would otherwise be fitted to its first weeks'
  noise;
- ``binomial``: minus the log-likelihood of the observed counts. For ``registered`` (a
  cumulative curve): the new adopters of each interval among those not yet adopted, binomial
  with the model's hazard over that interval (from the replicates' mean curve); for the other
  series (active, posting people): each date's count, binomial with the model's mean share.
  The population is each day's members when the shares are of them, else the observed one
  (or the organisation's head-count).
- ``hazard`` (per-person adoption times): :mod:`simulation.analysis.hazard`, needs no runs.
"""

from __future__ import annotations

import numpy as np
from scipy.special import xlogy

from simulation.analysis.observed import MODEL_COLUMN, Observed, posters_share
from simulation.experiments.mesa_model import ESNModel

LOSSES = ("rmse", "binomial", "hazard")
_EPS = 1e-9


def simulate(org, scenario, observed: Observed, seeds) -> dict[str, np.ndarray]:
    """Each observed series as simulated: shares 0-1, shape (observations, replicates)."""
    model = ESNModel(org, scenario, seeds=list(seeds))
    model.run()
    values = model.engine.records.trimmed()
    out = {}
    for name in observed.series:
        column = values[MODEL_COLUMN[name]][observed.days]
        if MODEL_COLUMN[name] == "posts":
            column = posters_share(column, values["employed"][observed.days])
        out[name] = column
    return out


def day_weights(observed: Observed) -> np.ndarray | None:
    """Each observed day's weight in the RMSE (mean 1): its members when the shares are of each
    day's members, else None (every day alike)."""
    members = observed.membership
    if members is None or members.size == 0 or not np.all(np.isfinite(members)):
        return None
    members = np.maximum(np.asarray(members, dtype=np.float64), 1.0)
    return members / members.mean()


def rmse(observed: Observed, simulated: dict[str, np.ndarray]) -> float:
    """Root mean square of (observed - mean simulated) over all series and dates, each day
    weighted by :func:`day_weights`."""
    errors = [observed.series[n] - simulated[n].mean(axis=1) for n in observed.series]
    squares = np.concatenate(errors) ** 2
    weights = day_weights(observed)
    if weights is None:
        return float(np.sqrt(np.mean(squares)))
    return float(np.sqrt(np.average(squares, weights=np.tile(weights, len(errors)))))


def log_likelihood(observed: Observed, simulated: dict[str, np.ndarray], population) -> float:
    """The binomial log-likelihood of the observed counts (module docstring)."""
    total = 0.0
    if observed.membership is not None:  # shares of each day's members: counts of them
        population = np.maximum(np.round(np.asarray(observed.membership, np.float64)), 1.0)
    for name, shares in observed.series.items():
        model = np.clip(simulated[name].mean(axis=1), _EPS, 1 - _EPS)
        counts = np.round(shares * population)
        if name == "registered":
            before = np.concatenate([[0.0], counts[:-1]])
            model_before = np.concatenate([[0.0], model[:-1]])
            hazard = (model - model_before) / np.maximum(1 - model_before, _EPS)
            hazard = np.clip(hazard, _EPS, 1 - _EPS)
            new = np.maximum(counts - before, 0)
            at_risk = np.maximum(population - before, new)
            total += float(np.sum(xlogy(new, hazard) + xlogy(at_risk - new, 1 - hazard)))
        else:
            total += float(np.sum(xlogy(counts, model) + xlogy(population - counts, 1 - model)))
    return total


def observations(observed: Observed) -> int:
    """The number of data points behind a likelihood (for BIC)."""
    if observed.adoption is not None:
        return int(observed.adoption.ids.size)
    return int(sum(v.size for v in observed.series.values()))


class Evaluator:
    """The loss of candidates on one organisation and one observed history.

    Parameters
    ----------
    org : Organisation
    space : Space
        What is fitted (:mod:`simulation.analysis.fit_space`).
    observed : Observed
    loss : str
        ``rmse`` or ``binomial``.
    population : int
        Head-count behind observed counts.
    """

    def __init__(self, org, space, observed: Observed, loss: str, population: int):
        self.org, self.space, self.observed = org, space, observed
        self.loss_name, self.population = loss, population
        self.evaluations = 0

    def simulated(self, values: dict[str, float], seeds) -> dict[str, np.ndarray]:
        scenario = self.space.scenario(values, days=self.observed.horizon)
        self.evaluations += 1
        return simulate(self.org, scenario, self.observed, seeds)

    def loss(self, values: dict[str, float], seeds) -> float:
        """The loss of ``values`` with replicates ``seeds`` (minus a log-likelihood, or RMSE)."""
        simulated = self.simulated(values, seeds)
        return self.loss_of(simulated)

    def loss_of(self, simulated: dict[str, np.ndarray], observed: Observed | None = None) -> float:
        observed = observed or self.observed
        if self.loss_name == "rmse":
            return rmse(observed, simulated)
        return -log_likelihood(observed, simulated, self.population)
