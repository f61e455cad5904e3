"""Make the synthetic Viva Engage activity export of this folder (made by the model, not real).

The model runs ``pilot.yaml`` on a generated 2,000-person organisation with known parameters
(``adoption.p = 0.004``, ``adoption.threshold_mean = 0.3``), one replicate (seed 7); the day's
readers (visitors) and posters are written, with a reporting noise of a few percent, in the
columns of the Microsoft 365 admin centre's "Viva Engage activity" report (user counts), newest
date first, as the admin centre exports them. ``python examples/viva_engage/make_sample.py``.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

import simulation as esn
from simulation.analysis.fit_space import with_values
from simulation.experiments.runner import run_batch

HERE = Path(__file__).resolve().parent
TRUTH = {"adoption.p": 0.004, "adoption.threshold_mean": 0.3}
LAUNCH = date(2026, 1, 5)  # a Monday, like the model's day 0
SEED, NOISE = 7, 0.03


def history(days: int = 365, seed: int = SEED) -> pd.DataFrame:
    """The true daily history (one replicate of the model with the known parameters)."""
    org = esn.Organisation.generate(2000, seed=0)
    scenario = with_values(esn.Scenario.load(HERE / "pilot.yaml"), TRUTH).with_overrides(
        days=days, seed=seed
    )
    return run_batch(org, scenario, [seed]).daily


def export(daily: pd.DataFrame, weeks: int = 8, seed: int = SEED) -> pd.DataFrame:
    """The first ``weeks`` weeks as a Viva Engage activity report (user counts)."""
    rng = np.random.default_rng(seed)
    first = daily[daily["day"] < 7 * weeks]
    noise = lambda n: np.maximum(0, np.round(n * (1 + NOISE * rng.standard_normal(n.size))))  # noqa: E731
    read = noise(first["dau"].to_numpy() * 2000)
    posted = noise(first["posts"].to_numpy())
    dates = [LAUNCH + timedelta(days=int(d)) for d in first["day"]]
    frame = pd.DataFrame(
        {
            "Report Refresh Date": (dates[-1] + timedelta(days=1)).isoformat(),
            "Liked": np.round(posted * 1.5).astype(int),  # not modelled: ignored when read
            "Posted": posted.astype(int),
            "Read": read.astype(int),
            "Report Date": [d.isoformat() for d in dates],
            "Report Period": 90,
        }
    )
    return frame.iloc[::-1]  # newest first, as exported


if __name__ == "__main__":
    export(history(days=56)).to_csv(HERE / "activity_user_counts.csv", index=False)
    print("written", HERE / "activity_user_counts.csv")
