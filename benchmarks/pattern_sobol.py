"""Global sensitivity of the patterns: Sobol total indices over the tuned parameters (issue 15
item 6).

    python benchmarks/pattern_sobol.py [--n 64] [--replicates 2] [--seed 0]

Each point of a Saltelli design (SALib: Herman & Usher 2017; Saltelli et al. 2010) over the
parameters of :data:`PARAMETERS` (the six tuned ones of
:mod:`simulation.analysis.tune_patterns` and three more that the ODD says were tuned earlier,
each over its plausible range) runs the patterns' scenarios (1,000 people, ``--replicates``
replicates, common random numbers: the same seeds at every point) and records every checked
pattern's statistic (mean over replicates; :func:`simulation.analysis.validate.statistics`).
SALib's Sobol analysis then gives each pattern's total index ``ST`` for each parameter: the
share of the statistic's variance over the box that involves that parameter. Writes
``benchmarks/pattern_sobol_results.json`` and the heat map ``docs/validation_sobol.png``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulation.analysis.patterns import PATTERNS  # noqa: E402
from simulation.analysis.tune_patterns import PARAMETERS as TUNED  # noqa: E402
from simulation.analysis.validate import QUICK, Runs, statistics  # noqa: E402

#: parameter -> (low, high): the tuned parameters' ranges and three tuned earlier (ODD section 7)
PARAMETERS = {k: (lo, hi) for k, (lo, hi, _) in TUNED.items()} | {
    "habit.return_rate": (0.01, 0.1),
    "habit.decay": (0.01, 0.06),
    "adoption.threshold_mean": (0.15, 0.35),
}
KEYS = [p.key for p in PATTERNS if p.checked and p.key != "bass_limit"]


def _point(names: list[str], x) -> dict:
    """One design point's overrides; a parameter with integer bounds (days) is rounded."""
    out = {}
    for name, value in zip(names, map(float, x), strict=True):
        lo, hi = PARAMETERS[name]
        out[name] = round(value) if isinstance(lo, int) and isinstance(hi, int) else value
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=64, help="Saltelli base sample (power of 2)")
    parser.add_argument("--replicates", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "pattern_sobol_results.json"))
    parser.add_argument("--figure", default=str(ROOT / "docs" / "validation_sobol.png"))
    args = parser.parse_args(argv)
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    names = list(PARAMETERS)
    problem = {"num_vars": len(names), "names": names, "bounds": list(PARAMETERS.values())}
    points = sample.sample(problem, args.n, calc_second_order=False, seed=args.seed)
    settings = replace(QUICK, replicates=args.replicates, seed=args.seed)
    start = time.time()
    y = np.full((len(points), len(KEYS)), np.nan)
    for i, x in enumerate(points):
        values = statistics(Runs(settings, _point(names, x)), KEYS)
        y[i] = [float(np.mean(values[k])) for k in KEYS]
        if i % 50 == 0:
            print(f"{i}/{len(points)} points, {time.time() - start:.0f} s", file=sys.stderr)
    total, conf, skipped = {}, {}, {}
    for j, key in enumerate(KEYS):
        column = y[:, j]
        spread = float(np.nanstd(column))
        if np.isnan(column).any() or spread <= 1e-9 * max(1.0, abs(float(np.nanmean(column)))):
            # undefined somewhere (no desk staff active) or constant over the box: no index
            skipped[key] = "undefined at some points" if np.isnan(column).any() else "constant"
            continue
        result = analyze.analyze(
            problem, column, calc_second_order=False, seed=args.seed + 1, print_to_console=False
        )
        if np.nanmax(result["ST"]) > 1.5:  # a few extreme values (a ratio over ~0) dominate
            skipped[key] = "dominated by a few extreme values"
            continue
        total[key] = dict(zip(names, map(float, result["ST"]), strict=True))
        conf[key] = dict(zip(names, map(float, result["ST_conf"]), strict=True))
    out = {
        "parameters": PARAMETERS,
        "n": args.n,
        "points": len(points),
        "replicates": args.replicates,
        "seconds": round(time.time() - start, 1),
        "ST": total,
        "ST_conf": conf,
        "skipped": skipped,
        "statistics": {k: y[:, j].tolist() for j, k in enumerate(KEYS)},
        "design": points.tolist(),
    }
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    heat_map(total, names, args.figure)
    for key, why in skipped.items():
        print(f"{key:<18} no index: {why}")
    for key in total:
        top = sorted(total[key].items(), key=lambda kv: -kv[1])[:3]
        print(f"{key:<18} " + ", ".join(f"{k} {v:.2f}" for k, v in top))
    return 0


def heat_map(total: dict, names: list[str], path: str) -> None:
    """Patterns (rows) x parameters (columns), colour = total Sobol index ST (clipped to 0-1)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    by_key = {p.key: p for p in PATTERNS}
    keys = list(total)
    grid = np.clip([[total[k][n] for n in names] for k in keys], 0, 1)
    fig, ax = plt.subplots(figsize=(10, 6))
    image = ax.imshow(grid, cmap="viridis", vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(range(len(names)), names, rotation=40, ha="right", fontsize=8)
    labels = [f"{by_key[k].name.split(':')[0]}: {k} ({by_key[k].role})" for k in keys]
    ax.set_yticks(range(len(keys)), labels, fontsize=8)
    for i in range(len(keys)):
        for j in range(len(names)):
            ax.text(j, i, f"{grid[i][j]:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if grid[i][j] < 0.5 else "black")  # fmt: skip
    fig.colorbar(image, ax=ax, label="total Sobol index ST")
    ax.set_title("Which parameter each pattern hinges on (1,000 people; Saltelli design)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    raise SystemExit(main())
