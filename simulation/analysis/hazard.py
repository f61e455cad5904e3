"""The individual hazard likelihood of per-person adoption times (the ``bass`` rule).

With adoption periods per person on an observed network, the likelihood needs no simulation
(a discrete-time hazard model, as in Van den Bulte & Lilien 2001, "Medical Innovation
revisited: social contagion versus marketing effort", *American Journal of Sociology* 106(5)).
Person ``i``'s daily hazard during period ``k`` is the ``bass`` rule's

    lambda_ik = p + q * e_ik + q_global * F_k

with ``e_ik`` the tie-weighted share of ``i``'s contacts who had adopted before period ``k``
and ``F_k`` the share of everyone who had; over a period of ``D`` days the hazard is
``h_ik = 1 - (1 - lambda_ik)^D`` (exposure is taken at the start of each period: the data say
no more). With a market potential ``m`` only a share ``m`` can adopt at all (a cure model):
an adopter in period ``k`` contributes ``log m + sum_{j<k} log(1 - h_ij) + log h_ik``, someone
who never adopted ``log((1 - m) + m prod_j (1 - h_ij))`` over the observed periods.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.base.errors import InputError, located

#: the fields the likelihood knows (the ``bass`` rule's), with their scenario defaults
FIELDS = ("adoption.p", "adoption.q", "adoption.q_global", "adoption.market_potential")
_EPS = 1e-12


def align(org, observed) -> np.ndarray:
    """Each person's adoption period (0 = never) in the organisation's order."""
    times = observed.adoption
    position = pd.Index(org.ids).get_indexer(times.ids)
    if (position < 0).any():
        missing = times.ids[position < 0][0]
        raise InputError(located(observed.source, f"id {missing!r} is not in the organisation"))
    if times.ids.size != org.size:
        raise InputError(
            located(
                observed.source,
                f"{times.ids.size} people with adoption times, the organisation has {org.size}",
            )
        )
    period = np.zeros(org.size, dtype=np.int64)
    period[position] = times.period
    return period


class HazardData:
    """What the likelihood needs, computed once: exposures and risk sets per period.

    Parameters
    ----------
    ties : scipy.sparse matrix (people x people), symmetric, weights > 0
    period : int array (people,)
        Adoption period 1, 2, ... or 0 for never.
    periods : int
        Observed periods.
    period_days : int
        Days per period (``D``).
    """

    def __init__(self, ties, period: np.ndarray, periods: int, period_days: int):
        self.period, self.periods, self.days = period, int(periods), int(period_days)
        ks = np.arange(1, self.periods + 1)
        before = (period[:, None] > 0) & (period[:, None] < ks[None, :])  # people x periods
        degree = np.asarray(ties.sum(axis=1)).ravel()
        weighted = ties @ before.astype(np.float64)
        self.exposure = np.divide(
            weighted, degree[:, None], out=np.zeros_like(weighted), where=degree[:, None] > 0
        )
        self.share = before.mean(axis=0)  # F_k
        self.at_risk = ~before
        self.event = period[:, None] == ks[None, :]
        self.adopter = period > 0

    def log_likelihood(self, p: float, q: float, q_global: float = 0.0, m: float = 1.0) -> float:
        """The log-likelihood of the adoption times (module docstring)."""
        rate = np.clip(p + q * self.exposure + q_global * self.share[None, :], 0.0, 1.0)
        log_survive = self.days * np.log1p(-np.minimum(rate, 1 - _EPS))  # log(1 - h)
        hazard = -np.expm1(log_survive)
        survived = np.where(self.at_risk & ~self.event, log_survive, 0.0).sum(axis=1)
        events = np.where(self.event, np.log(np.maximum(hazard, _EPS)), 0.0).sum(axis=1)
        m = float(np.clip(m, _EPS, 1.0))
        adopters = np.log(m) + survived + events
        never = np.log(np.maximum((1 - m) + m * np.exp(survived), _EPS))
        return float(np.where(self.adopter, adopters, never).sum())


def parameters_of(space, values: dict[str, float]) -> tuple[float, float, float, float]:
    """``(p, q, q_global, m)`` of a candidate: fitted values over the base scenario's."""
    adoption = space.base.adoption
    if adoption.rule != "bass":
        raise InputError(
            "the hazard likelihood needs the bass rule (adoption.rule: bass); use --loss "
            "binomial or rmse for other rules"
        )
    unknown = [k for k in values if k not in FIELDS]
    if unknown:
        raise InputError(
            f"--fit {unknown[0]}: the hazard likelihood fits only " + ", ".join(FIELDS)
        )
    get = {f: values.get(f, getattr(adoption, f.split(".")[1])) for f in FIELDS}
    return tuple(float(get[f]) for f in FIELDS)  # type: ignore[return-value]


def periods_from_days(registered_day: np.ndarray, periods: int, period_days: int) -> np.ndarray:
    """Adoption periods (0 = never within ``periods``) from simulated registration days."""
    period = np.where(registered_day >= 0, registered_day // period_days + 1, 0)
    return np.where(period <= periods, period, 0).astype(np.int64)
