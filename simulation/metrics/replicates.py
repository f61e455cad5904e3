"""Statistics across replicates: means with intervals, target probabilities, paired differences.

Three kinds of interval, each 90 %:

- a daily series or per-run figure: the 5th to 95th percentile across replicates (linear
  interpolation, ``numpy.quantile``'s default): where 90 % of runs of the plan fall;
- the probability of reaching a target: the Wilson score interval of a binomial share;
- a difference between two plans: the Student-t confidence interval of the mean difference.
  Paired (replicate k of a plan minus replicate k of the reference: common random numbers) and,
  for comparison, unpaired (Welch: the same runs treated as independent samples).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from simulation.metrics.summary import SUMMARY_COLUMNS

LEVEL = 0.90
QUANTILES = ((1 - LEVEL) / 2, 1 - (1 - LEVEL) / 2)  # 0.05, 0.95
STAT_COLUMNS = [
    "section",
    "scenario",
    "metric",
    "day",
    "mean",
    "low",
    "high",
    "n",
    "reference",
    "unpaired_low",
    "unpaired_high",
]


def with_derived(summary: pd.DataFrame, headcount: int) -> pd.DataFrame:
    """``summary`` plus ``cost_per_sustained_wau``: cost / (sustained weekly-active people).

    NaN when nobody is weekly active in the sustained window.
    """
    out = summary.copy()
    people = out["sustained_wau"].to_numpy(np.float64) * headcount
    cost = out["cost"].to_numpy(np.float64)
    out["cost_per_sustained_wau"] = np.divide(
        cost, people, out=np.full(len(out), np.nan), where=people > 0
    )
    return out


def spread(frame: pd.DataFrame, keys: list[str], columns: list[str]) -> pd.DataFrame:
    """Mean, 5th and 95th percentile and count (non-null) of ``columns`` per ``keys``.

    Returns a long table: ``*keys, metric, mean, low, high, n``.
    """
    grouped = frame.groupby(keys, sort=False)[columns]
    parts = {
        "mean": grouped.mean(),
        "low": grouped.quantile(QUANTILES[0]),
        "high": grouped.quantile(QUANTILES[1]),
        "n": grouped.count(),
    }
    long = {name: part.stack(future_stack=True).rename(name) for name, part in parts.items()}
    out = pd.concat(long.values(), axis=1)
    out.index = out.index.set_names([*keys, "metric"])
    return out.reset_index()


def wilson(successes: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval of a binomial share 0-1 (NaN, NaN when ``n`` is 0)."""
    if n == 0:
        return float("nan"), float("nan")
    z = stats.norm.ppf(1 - (1 - level) / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def mean_interval(values: np.ndarray, level: float = LEVEL) -> tuple[float, float, float]:
    """Mean and Student-t confidence interval of the mean of ``values`` (NaNs dropped)."""
    x = np.asarray(values, dtype=np.float64)
    x = x[~np.isnan(x)]
    if x.size == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(x.mean())
    if x.size < 2:
        return mean, float("nan"), float("nan")
    half = stats.t.ppf(1 - (1 - level) / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size)
    return mean, mean - half, mean + half


def welch_interval(a: np.ndarray, b: np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """Welch confidence interval of mean(a) - mean(b), the samples treated as independent."""
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    a, b = a[~np.isnan(a)], b[~np.isnan(b)]
    if a.size < 2 or b.size < 2:
        return float("nan"), float("nan")
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = np.sqrt(va + vb)
    if se == 0:
        return float(a.mean() - b.mean()), float(a.mean() - b.mean())
    dof = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    half = stats.t.ppf(1 - (1 - level) / 2, dof) * se
    diff = a.mean() - b.mean()
    return float(diff - half), float(diff + half)


def differences(
    per_run: pd.DataFrame, reference: str, columns: list[str] | None = None
) -> pd.DataFrame:
    """Differences of each plan's per-run figures against ``reference``'s, replicate by replicate.

    Only replicates both plans ran, and where both values are defined, are paired.

    Returns
    -------
    DataFrame
        ``scenario, metric, mean, low, high, n, reference, unpaired_low, unpaired_high``: the
        mean paired difference (plan minus reference) and its 90 % confidence interval, and the
        interval the same runs would give without pairing.
    """
    columns = columns or [*SUMMARY_COLUMNS, "cost_per_sustained_wau"]
    base = per_run[per_run["scenario"] == reference].set_index("replicate")
    rows = []
    for name in dict.fromkeys(per_run["scenario"]):
        if name == reference:
            continue
        plan = per_run[per_run["scenario"] == name].set_index("replicate")
        common = plan.index.intersection(base.index)
        for column in columns:
            a = plan.loc[common, column].to_numpy(np.float64)
            b = base.loc[common, column].to_numpy(np.float64)
            both = ~np.isnan(a) & ~np.isnan(b)
            mean, low, high = mean_interval(a[both] - b[both])
            u_low, u_high = welch_interval(a, b)
            rows.append(
                {
                    "scenario": name,
                    "metric": column,
                    "mean": mean,
                    "low": low,
                    "high": high,
                    "n": int(both.sum()),
                    "reference": reference,
                    "unpaired_low": u_low,
                    "unpaired_high": u_high,
                }
            )
    return pd.DataFrame(rows)


def as_statistics(section: str, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in the long layout of ``compare.parquet`` (:data:`STAT_COLUMNS`)."""
    out = frame.copy()
    out.insert(0, "section", section)
    for column in STAT_COLUMNS:
        if column not in out:
            out[column] = np.nan if column not in ("reference",) else None
    out["day"] = out["day"].astype("Int64")
    out["n"] = out["n"].astype(np.int64)
    out["reference"] = out["reference"].astype(object)
    return out[STAT_COLUMNS]
