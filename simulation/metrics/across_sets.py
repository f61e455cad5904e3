"""How sure a comparison is across plausible parameters, not only across replicates.

A comparison at the assumed parameters (:mod:`simulation.metrics.lead`) says how often plan A
beats plan B in a pair of replicates with the same random numbers: it covers the chance in one
rollout (who meets whom, who lapses), at one fixed, assumed set of model parameters. Run under
K parameter sets (a plausible region, or a calibration's bootstrap refits) with common random
numbers within each set, the same runs answer a second question: *for how many plausible
parameter sets is A better?* This module computes, from one table of runs
(``scenario, parameter_set, replicate`` and the per-run figures):

- per set and plan, the mean of the outcome over the replicates (:func:`set_means`);
- for the leader against each other plan (:func:`chances`): the share of the sets where the
  leader's mean is better (``sets``: the main figure, a chance over parameter uncertainty, with
  its Wilson interval over K sets), and the share of all paired runs (set x replicate) where it
  is better (``pairs``: parameter uncertainty and replicate noise together), with the 5th, 50th
  and 95th percentile over the sets of the difference of the means;
- for each plan, the share of the sets where it has the best mean (:func:`best_shares`);
- for each target, each plan's chance pooled over every run of every set, and the spread of the
  per-set chance over the sets (:func:`target_spread`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.metrics.lead import LOWER_IS_BETTER
from simulation.metrics.replicates import wilson


def set_means(runs: pd.DataFrame, outcome: str, names: list[str]) -> pd.DataFrame:
    """Mean ``outcome`` over the replicates: one row per parameter set, one column per plan."""
    means = runs.groupby(["parameter_set", "scenario"], sort=True)[outcome].mean().unstack()
    return means.reindex(columns=names)


def _better(a, b, outcome: str):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    both = ~np.isnan(a) & ~np.isnan(b)
    better = (a < b) if outcome in LOWER_IS_BETTER else (a > b)
    return better & both, both


def chances(runs: pd.DataFrame, outcome: str, names: list[str], leader: str) -> pd.DataFrame:
    """The ``leader`` against every other plan, across the parameter sets.

    Returns
    -------
    DataFrame
        ``scenario`` (the leader), ``reference``, ``metric``; ``sets`` (share 0-1 of the sets
        where the leader's mean over replicates is better; ties are not better), ``sets_low``,
        ``sets_high`` (Wilson 90 %), ``n_sets``; ``pairs`` (share of the paired runs, set x
        replicate, where the leader is better), ``pairs_low``, ``pairs_high``, ``n_pairs``;
        ``difference_median``, ``difference_low``, ``difference_high`` (5th and 95th percentile
        over the sets of the leader's mean minus the other's).
    """
    means = set_means(runs, outcome, names)
    paired = runs.pivot_table(
        index=["parameter_set", "replicate"], columns="scenario", values=outcome, dropna=False
    )
    rows = []
    for other in names:
        if other == leader:
            continue
        win, both = _better(means[leader], means[other], outcome)
        hits, n = int(win.sum()), int(both.sum())
        low, high = wilson(hits, n)
        pwin, pboth = _better(paired[leader], paired[other], outcome)
        phits, pn = int(pwin.sum()), int(pboth.sum())
        plow, phigh = wilson(phits, pn)
        diff = (means[leader] - means[other]).dropna().to_numpy(np.float64)
        q = np.percentile(diff, [50, 5, 95]) if diff.size else [np.nan] * 3
        rows.append(
            {
                "scenario": leader,
                "reference": other,
                "metric": outcome,
                "sets": hits / n if n else np.nan,
                "sets_low": low,
                "sets_high": high,
                "n_sets": n,
                "pairs": phits / pn if pn else np.nan,
                "pairs_low": plow,
                "pairs_high": phigh,
                "n_pairs": pn,
                "difference_median": float(q[0]),
                "difference_low": float(q[1]),
                "difference_high": float(q[2]),
            }
        )
    return pd.DataFrame(rows)


def best_shares(runs: pd.DataFrame, outcome: str, names: list[str]) -> pd.DataFrame:
    """Per plan: ``best`` (share 0-1 of the sets where its mean is the best; ties go to the
    first plan in ``names``), the mean and the 5th-95th percentile over the sets of its mean."""
    means = set_means(runs, outcome, names)
    sign = -1.0 if outcome in LOWER_IS_BETTER else 1.0
    best = (sign * means).fillna(-np.inf).to_numpy().argmax(axis=1)
    rows = []
    for j, name in enumerate(names):
        column = means[name].dropna().to_numpy(np.float64)
        rows.append(
            {
                "scenario": name,
                "metric": outcome,
                "best": float(np.mean(best == j)) if len(best) else np.nan,
                "mean": float(column.mean()) if column.size else np.nan,
                "low": float(np.percentile(column, 5)) if column.size else np.nan,
                "high": float(np.percentile(column, 95)) if column.size else np.nan,
                "n_sets": int(column.size),
            }
        )
    return pd.DataFrame(rows)


def target_spread(reached: pd.DataFrame, target: str, names: list[str]) -> pd.DataFrame:
    """Per plan, a target's chance across parameter sets.

    ``reached`` has ``scenario, parameter_set, replicate, reached``. Returns ``scenario,
    target, probability`` (pooled over every run of every set), ``low, high`` (5th and 95th
    percentile over the sets of the per-set chance), ``sets_reaching_half`` (share of the
    sets where the per-set chance is at least 50 %), ``n`` (runs).
    """
    per_set = reached.groupby(["scenario", "parameter_set"], sort=False)["reached"].mean()
    rows = []
    for name in names:
        mine = reached[reached["scenario"] == name]["reached"].to_numpy(bool)
        sets = per_set.loc[name].to_numpy(np.float64) if name in per_set.index else np.array([])
        rows.append(
            {
                "scenario": name,
                "target": target,
                "probability": float(mine.mean()) if mine.size else np.nan,
                "low": float(np.percentile(sets, 5)) if sets.size else np.nan,
                "high": float(np.percentile(sets, 95)) if sets.size else np.nan,
                "sets_reaching_half": float(np.mean(sets >= 0.5)) if sets.size else np.nan,
                "n": int(mine.size),
            }
        )
    return pd.DataFrame(rows)
