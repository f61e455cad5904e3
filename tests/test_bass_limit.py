"""The Bass limit (Bass 1969; docs/validation.md): simple contagion on a complete graph, no lapse.

Daily hazard p + q x (share of contacts adopted): the mean share of adopters over replicates
follows F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}) (Bass 1969). Row ``day`` d of the
daily series is the state at the end of day d, after d + 1 daily steps.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model.engine import Engine
from simulation.plan.names import resolve_names
from tests.conftest import complete_org, scenario

P, Q = 0.003, 0.038
DAYS = 150


def bass(t, p=P, q=Q):
    e = np.exp(-(p + q) * np.asarray(t, dtype=float))
    return (1 - e) / (1 + (q / p) * e)


def discrete_bass(days, p=P, q=Q):
    f, out = 0.0, []
    for _ in range(days):
        f = f + (1 - f) * (p + q * f)
        out.append(f)
    return np.array(out)


def bass_scenario():
    return scenario(
        days=DAYS,
        adoption={"rule": "bass", "p": P, "q": Q},
        habit={"enabled": False},
        rollout={"strategy": "announcement"},
    )


def mean_adopters(size: int, replicates: int) -> np.ndarray:
    engine = Engine(
        complete_org(size),
        resolve_names(bass_scenario(), complete_org(size)),
        seeds=range(replicates),
    ).run()
    return engine.records.values["registered"].mean(axis=1)


def test_published_figures_and_daily_steps():
    assert bass(50) == pytest.approx(0.331, abs=5e-4)
    assert bass(100) == pytest.approx(0.813, abs=5e-4)
    steps = np.arange(1, DAYS + 1)
    assert np.max(np.abs(discrete_bass(DAYS) - bass(steps))) < 0.01


@pytest.mark.slow
def test_mean_adoption_matches_bass_curve_and_error_shrinks_with_size():
    steps = np.arange(1, DAYS + 1)
    error_small = np.max(np.abs(mean_adopters(200, 20) - bass(steps)))
    error_large = np.max(np.abs(mean_adopters(2000, 20) - bass(steps)))
    assert error_large < 0.02
    assert error_small < 0.05
    assert error_large < error_small
