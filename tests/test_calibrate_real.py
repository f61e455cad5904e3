"""Calibration on real adoption data (Coleman's medical innovation, Korean family planning).

The data are read at run time from ``../shared/data/diffusion`` (or ``$ESNSIM_SHARED_DATA``);
the tests skip when the folder is absent.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.analysis import diffusion_data as data
from simulation.analysis.calibrate import Settings, calibrate


def _need(prefix):
    found = data.files(prefix)
    if found is None:
        pytest.skip(f"{prefix} data not found in {data.folder()} (set ESNSIM_SHARED_DATA)")
    return found


def test_coleman_medical_innovation_p_and_no_contagion():
    edges, attributes = _need("medInnovations")
    cal = calibrate(
        {"name": "coleman", "days": 510, **data.BASE}, attributes,
        org=data.organisation("medInnovations"), period_days=30, fit=data.COLEMAN_FIT,
        settings=Settings(bootstrap=20, forecast_sets=5, forecast_replicates=4),
    )  # fmt: skip
    per_month = 1 - (1 - cal.parameters["adoption.p"]) ** 30
    assert 0.07 <= per_month <= 0.13
    assert cal.null["fixed"] == {"adoption.q": 0.0}
    assert not cal.null["rejected_at_5pct"]  # Van den Bulte & Lilien 2001


@pytest.mark.slow
def test_korean_family_planning_with_market_potential():
    edges, attributes = _need("kfamily")
    cal = calibrate(
        {"name": "kfamily", "days": 3650, **data.BASE}, attributes,
        org=data.organisation("kfamily"), period_days=365, fit=data.KOREA_FIT,
        settings=Settings(bootstrap=20, forecast_sets=20, forecast_replicates=5),
    )  # fmt: skip
    band = cal.forecast[cal.forecast["column"] == "registered"].set_index("day")
    days = cal.observed.days
    observed = cal.observed.series["registered"]
    mean, low, high = (band.loc[days, c].to_numpy() for c in ("mean", "low", "high"))
    assert np.sqrt(np.mean((mean - observed) ** 2)) <= 0.03
    assert ((observed >= low) & (observed <= high)).sum() >= 9
