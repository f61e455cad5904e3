"""One-at-a-time sensitivity of the validation patterns to the core parameters.

Each parameter of :data:`PARAMETERS` is set to its default x 0.5 and x 1.5 (clipped to its
allowed range), everything else at its default, and every pattern statistic of
:mod:`simulation.analysis.validate` (all but the Bass limit, which depends on the Bass rule's
``p`` and ``q`` only) is recomputed with the same seeds (common random numbers: the change is
the parameter's effect, not noise). Reported per parameter and factor: the change of each
pattern's mean statistic from the default calibration, and which patterns then fail.

    python -m simulation.analysis.sensitivity [--out DIR] [--quick]

writes ``sensitivity.parquet`` (one row per parameter and factor) and prints, per pattern, the
parameters it depends on most.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.patterns import BY_KEY, PATTERNS
from simulation.analysis.validate import Runs, Settings, statistics
from simulation.outputs import write_atomically, write_parquet
from simulation.scenario import Scenario

#: The numeric core parameters varied (dotted paths in a scenario; threshold adoption rule).
PARAMETERS = [
    "adoption.threshold_mean",
    "adoption.threshold_concentration",
    "adoption.rate",
    "adoption.p",
    "adoption.reject_rate",
    "awareness.word_of_mouth",
    "habit.novelty",
    "habit.learning_rate",
    "habit.decay",
    "habit.lapse_below",
    "habit.lapse_rate",
    "habit.return_rate",
    "habit.return_habit",
    "visits.base",
    "visits.habit_weight",
    "visits.feed_weight",
    "visits.feed_half_saturation",
    "visits.weekend_factor",
    "visits.frontline_factor",
    "posting.base",
    "posting.sharing_spread",
    "posting.fear_weight",
    "reward.feed_weight",
    "reward.reply_weight",
    "reward.post_weight",
    "reward.work_weight",
    "platform.work_integration",
]
FACTORS = (0.5, 1.5)
SETTINGS = Settings(size=1000, replicates=8)
QUICK_SETTINGS = Settings(size=500, replicates=4)


def default_and_bounds(path: str) -> tuple[float, float, float]:
    """The default of a dotted parameter and its allowed range (lowest, highest)."""
    obj = Scenario.from_dict({"name": "defaults"})
    *parents, leaf = path.split(".")
    for part in parents:
        obj = getattr(obj, part)
    field = type(obj).model_fields[leaf]
    low, high, eps = -np.inf, np.inf, 1e-6
    for meta in field.metadata:
        if getattr(meta, "ge", None) is not None:
            low = max(low, meta.ge)
        if getattr(meta, "le", None) is not None:
            high = min(high, meta.le)
        if getattr(meta, "gt", None) is not None:
            low = max(low, meta.gt + eps)
        if getattr(meta, "lt", None) is not None:
            high = min(high, meta.lt - eps)
    return float(getattr(obj, leaf)), low, high


def keys() -> list[str]:
    return [p.key for p in PATTERNS if p.key != "bass_limit"]


def passes(key: str, value: float) -> bool:
    pattern = BY_KEY[key]
    return bool(pattern.low <= value <= pattern.high)


def one_at_a_time(
    settings: Settings = SETTINGS, parameters: list[str] | None = None, progress=None
) -> tuple[dict[str, float], pd.DataFrame]:
    """The default calibration's statistics, and one row per parameter and factor.

    Each row: ``parameter, factor, value``, then per pattern key the change of its mean
    statistic from the default (``d_<key>``), and ``fails`` (the patterns that no longer hold).
    """
    base = {k: float(v.mean()) for k, v in statistics(Runs(settings), keys()).items()}
    rows = []
    for path in parameters or PARAMETERS:
        default, low, high = default_and_bounds(path)
        for factor in FACTORS:
            value = float(np.clip(default * factor, low, high))
            stats = statistics(Runs(settings, {path: value}), keys())
            row = {"parameter": path, "default": default, "factor": factor, "value": value}
            fails = []
            for key, values in stats.items():
                mean = float(values.mean())
                row[f"d_{key}"] = mean - base[key]
                if not passes(key, mean):
                    fails.append(key)
            row["fails"] = ", ".join(fails)
            rows.append(row)
            if progress is not None:
                progress(f"{path} x{factor}: {row['fails'] or 'all hold'}")
    return base, pd.DataFrame(rows)


def influence(frame: pd.DataFrame) -> pd.DataFrame:
    """Per pattern and parameter: the larger absolute change over the two factors."""
    cols = [c for c in frame.columns if c.startswith("d_")]
    return frame.groupby("parameter")[cols].agg(lambda s: float(np.abs(s).max()))


def markdown(base: dict[str, float], frame: pd.DataFrame, top: int = 3) -> str:
    """Per pattern: default value, the ``top`` most influential parameters, variants failing."""
    table = influence(frame)
    lines = [
        "| pattern | default | depends most on (largest change of the statistic at x0.5 or "
        "x1.5) | variants failing it |",
        "|---|---|---|---|",
    ]
    for key in base:
        col = table[f"d_{key}"].sort_values(ascending=False)
        most = ", ".join(f"`{p}` {v:.3f}" for p, v in col.head(top).items())
        failing = [
            f"`{r.parameter}` x{r.factor:g}"
            for r in frame.itertuples()
            if key in str(r.fails).split(", ")
        ]
        lines.append(
            f"| {BY_KEY[key].name} | {base[key]:.3f} | {most} | "
            f"{', '.join(failing) if failing else 'none'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulation.analysis.sensitivity")
    parser.add_argument("--out", default="results/sensitivity", help="output folder")
    parser.add_argument("--quick", action="store_true", help="500 people, 4 replicates")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    settings = QUICK_SETTINGS if args.quick else SETTINGS
    base, frame = one_at_a_time(settings, progress=lambda m: print(m, file=sys.stderr))
    write_atomically(Path(args.out), {"sensitivity.parquet": write_parquet(frame)})
    print(markdown(base, frame))
    print(f"\n{len(frame)} variants in {time.perf_counter() - start:.0f} s; outputs in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
