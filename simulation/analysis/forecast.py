"""The fitted curves over the observed days, and the forecast to the end of the horizon.

The forecast runs each of the bootstrap's parameter sets (the best fit first) with its own fresh
seeds: pooling those runs, the 90 % band (5th-95th percentile per day) holds both the
uncertainty of the parameters and the replicates' own noise. The probability of reaching a
target (:mod:`simulation.metrics.targets`) is the share of those runs that reach it, with its
Wilson interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.analysis.losses import simulate
from simulation.analysis.observed import MODEL_COLUMN, posters_share
from simulation.experiments.runner import run_batch
from simulation.metrics.replicates import wilson

FORECAST_SEED = 200_000  # forecast runs use seeds from here: never the fit's or the bootstrap's
#: the daily columns a forecast reports (shares 0-1; posts as a share of head-count)
FORECAST_COLUMNS = ("registered", "wau", "dau", "posts", "weekly_posters")


def fitted_table(org, space, observed, values: dict[str, float], seeds) -> pd.DataFrame:
    """``day, series, observed, fitted, low, high``: the best fit's replicates at each date."""
    scenario = space.scenario(values, days=observed.horizon)
    simulated = simulate(org, scenario, observed, seeds)
    rows = []
    for name, runs in simulated.items():
        rows.append(
            pd.DataFrame(
                {
                    "day": observed.days,
                    "series": name,
                    "model_column": MODEL_COLUMN[name],
                    "observed": observed.series[name],
                    "fitted": runs.mean(axis=1),
                    "low": np.quantile(runs, 0.05, axis=1),
                    "high": np.quantile(runs, 0.95, axis=1),
                }
            )
        )
    return pd.concat(rows, ignore_index=True)


def forecast(org, space, sets: list[dict], days: int, settings, targets) -> tuple:
    """Run every parameter set to ``days``; ``(curves, targets)`` tables.

    ``curves``: ``day, column, mean, low, high`` (shares 0-1). ``targets``: ``target,
    probability, low, high, runs``.
    """
    daily, summary = [], []
    per_set = max(1, int(settings.forecast_replicates))
    for k, values in enumerate(sets):
        scenario = space.scenario(values, days=days)
        start = FORECAST_SEED + settings.seed + k * per_set
        scenario = scenario.with_overrides(seed=start)
        result = run_batch(org, scenario, list(range(start, start + per_set)))
        result.daily["set"] = k
        result.summary["set"] = k
        daily.append(result.daily)
        summary.append(result.summary)
    daily_frame = pd.concat(daily, ignore_index=True)
    summary_frame = pd.concat(summary, ignore_index=True)
    # a run is (set, replicate): make replicate unique across sets for the targets
    for frame in (daily_frame, summary_frame):
        frame["replicate"] = frame["set"] * per_set + frame["replicate"]
    rows = []
    for target in targets:
        reached = target.evaluate(daily_frame, summary_frame)["reached"].to_numpy()
        low, high = wilson(int(reached.sum()), reached.size)
        rows.append(
            {
                "target": target.text,
                "probability": float(reached.mean()),
                "low": low,
                "high": high,
                "runs": int(reached.size),
            }
        )
    daily_frame["posts"] = posters_share(daily_frame["posts"], daily_frame["employed"])
    grouped = daily_frame.groupby("day")
    curves = []
    for column in FORECAST_COLUMNS:
        by_day = grouped[column]
        curves.append(
            pd.DataFrame(
                {
                    "day": np.asarray(sorted(daily_frame["day"].unique())),
                    "column": column,
                    "mean": by_day.mean().to_numpy(),
                    "low": by_day.quantile(0.05).to_numpy(),
                    "high": by_day.quantile(0.95).to_numpy(),
                }
            )
        )
    columns = ["target", "probability", "low", "high", "runs"]
    return pd.concat(curves, ignore_index=True), pd.DataFrame(rows, columns=columns)
