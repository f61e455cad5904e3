"""Which plan leads on an outcome, by how much and how surely (paired across replicates).

The leader is the plan with the best mean of a per-run figure (the highest, or the lowest for
figures where less is better, :data:`LOWER_IS_BETTER`). Against every other plan it reports

- the paired difference leader minus plan (replicate k against replicate k: common random
  numbers) with its 90 % Student-t interval (:func:`~simulation.metrics.replicates.differences`);
- the probability that the leader does better in a pair of replicates: the share of the pairs
  where its figure is better (ties count as not better), with its Wilson interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.metrics.replicates import differences, wilson

DEFAULT_OUTCOME = "sustained_wau"
# per-run figures where a lower value is the better plan
LOWER_IS_BETTER = frozenset(
    {
        "day_wau_25",
        "day_wau_50",
        "never_registered",
        "lurker_share",
        "top1pct_post_share",
        "gini_posts",
        "cost",
        "cost_per_sustained_wau",
    }
)

#: per-run figures that are the day something first happens: a run where it never happens is
#: counted at its last day (censored: "not before the end"), so that a plan that often fails to
#: reach the level is not judged on its lucky runs alone
CENSORED = frozenset({"day_wau_25", "day_wau_50"})


def censored_at(runs: pd.DataFrame, outcome: str, days: int) -> pd.DataFrame:
    """``runs`` with the runs that never reached a :data:`CENSORED` outcome counted at ``days``
    (the run's length); other outcomes unchanged."""
    if outcome not in CENSORED or outcome not in runs:
        return runs
    return runs.assign(**{outcome: runs[outcome].fillna(float(days))})


def leader(runs: pd.DataFrame, outcome: str, names: list[str]) -> str:
    """The plan with the best mean ``outcome`` (the first of equals, in ``names``' order)."""
    means = runs.groupby("scenario", sort=False)[outcome].mean().reindex(names)
    if means.isna().all():
        return names[0]
    sign = -1.0 if outcome in LOWER_IS_BETTER else 1.0
    return str((sign * means).fillna(-np.inf).idxmax())


def lead(runs: pd.DataFrame, outcome: str, names: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The leader's paired differences and chances of doing better against every other plan.

    Returns
    -------
    (DataFrame, DataFrame)
        ``versus``: ``scenario`` (the leader), ``reference`` (the other plan), ``metric``,
        ``mean, low, high, n`` of leader minus plan, and the unpaired interval; ``beats``:
        ``scenario, reference, metric, mean`` (share 0-1 of pairs where the leader is
        better), ``low, high`` (Wilson) and ``n`` (pairs).
    """
    best = leader(runs, outcome, names)
    versus, beats = [], []
    lower = outcome in LOWER_IS_BETTER
    mine = runs[runs["scenario"] == best].set_index("replicate")[outcome]
    for other in names:
        if other == best:
            continue
        pair = runs[runs["scenario"].isin([best, other])]
        diff = differences(pair, other, [outcome])  # leader minus the other plan
        versus.append(diff.assign(reference=other))
        theirs = runs[runs["scenario"] == other].set_index("replicate")[outcome]
        common = mine.index.intersection(theirs.index)
        a = mine.loc[common].to_numpy(np.float64)
        b = theirs.loc[common].to_numpy(np.float64)
        both = ~np.isnan(a) & ~np.isnan(b)
        better = (a[both] < b[both]) if lower else (a[both] > b[both])
        hits, n = int(better.sum()), int(both.sum())
        low, high = wilson(hits, n)
        beats.append(
            {
                "scenario": best,
                "reference": other,
                "metric": outcome,
                "mean": hits / n if n else float("nan"),
                "low": low,
                "high": high,
                "n": n,
            }
        )
    columns = ["scenario", "reference", "metric", "mean", "low", "high", "n"]
    versus_frame = pd.concat(versus, ignore_index=True) if versus else pd.DataFrame(columns=columns)
    return versus_frame, pd.DataFrame(beats, columns=columns)
