"""The shipped plausible region (``esnsim compare --uncertainty plausible``): where the tuned
validation patterns still hold, one parameter at a time (issue 26 item 5).

    python benchmarks/plausible_region.py [--points 9] [--replicates 6] [--joint 12]

For each parameter of :data:`PARAMETERS` (the eight the validation's Sobol analysis finds the
registration, readership and top-end patterns hinge on: docs/validation.md), a grid of
``--points`` values over its plausible range (the range of that analysis) plus its default is
run through the *tuned* patterns (:mod:`simulation.analysis.tune_patterns`; 1,000 people,
``--replicates`` replicates, common random numbers), the other parameters at their defaults. A
value is accepted when no tuned pattern's mean lies outside its accepted range by more than
1.645 standard errors of the mean over replicates (a one-sided test at 5 %: with a few
replicates a pattern that sits on its edge at the defaults, such as overambitious seeding's
+0.011 against >= 0.01, would otherwise reject every change of every parameter). The
parameter's accepted interval is the run of accepted grid values that contains the default;
its ends are then refined by ``--bisect`` bisections between the outermost accepted and the
first rejected value (conservative: the last accepted value, within 1/4 of a grid step).

The region is the box of these intervals. A box of one-at-a-time slices is wider than the set
of points where every pattern holds jointly; ``--joint`` Latin hypercube points of the box are
run too, and the share of them where every tuned pattern holds is recorded (and stated in
docs/how-to/uncertainty.md). Writes ``benchmarks/plausible_region_results.json``; then
``--write-region`` writes ``scenarios/uncertainty/plausible.yaml`` from it.
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

from simulation.analysis import validate  # noqa: E402
from simulation.analysis.tune_patterns import distances, tuned_keys  # noqa: E402
from simulation.analysis.validate import QUICK, Runs, scenario, statistics  # noqa: E402

_set_path = validate.set_path


def _where_it_exists(data: dict, path: str, value) -> None:
    """A parameter applies to the scenarios that have it (as ``rollout.`` paths already do in
    the validation): a shipped plan with another adoption rule has no ``threshold_mean``."""
    try:
        _set_path(data, path, value)
    except KeyError:
        pass


validate.set_path = _where_it_exists

#: a one-sided test at 5 %: a pattern is out when its mean is beyond its range by more than
#: this many standard errors of the replicates' mean
NOISE = 1.645
#: parameter -> (low, high): the plausible ranges of the validation's Sobol analysis
#: (benchmarks/pattern_sobol.py)
PARAMETERS = {
    "adoption.threshold_mean": (0.15, 0.35),
    "adoption.reject_rate": (0.002, 0.03),
    "habit.decay": (0.01, 0.06),
    "habit.lapse_rate": (0.02, 0.3),
    "habit.novelty": (0.3, 1.0),
    "habit.return_rate": (0.01, 0.1),
    "need.share": (0.2, 0.5),
    "need.without_need": (0.02, 0.3),
}


def default(path: str) -> float:
    node = scenario("grassroots").model_dump(mode="python")
    for part in path.split("."):
        node = node[part]
    return float(node)


def accepted(overrides: dict, settings) -> tuple[bool, dict]:
    keys = tuned_keys()
    values = statistics(Runs(settings, overrides), keys)
    # out only when a mean is outside its range by more than NOISE standard errors of the
    # replicates' mean: a few replicates cannot tell a pattern on its edge from one outside
    gaps = distances(values, keys, margin=0.0, noise=-NOISE)
    return all(g == 0 for g in gaps.values()), {k: float(np.mean(values[k])) for k in keys}


def _edge(path: str, inside: float, outside: float, settings, steps: int) -> float:
    """The accepted end after ``steps`` bisections between an accepted and a rejected value."""
    for _ in range(steps):
        middle = (inside + outside) / 2
        if accepted({path: middle}, settings)[0]:
            inside = middle
        else:
            outside = middle
    return inside


REGION_FILE = ROOT / "scenarios" / "uncertainty" / "plausible.yaml"


def region_yaml(record: dict) -> str:
    """The text of the shipped region file from a results record."""
    lines = [
        "# The shipped plausible region (esnsim compare --uncertainty plausible): where the tuned",
        "# validation patterns hold, one parameter at a time, the others at their defaults.",
        "# Derived by benchmarks/plausible_region.py (benchmarks/plausible_region_results.json:",
        f"# {record['size']:,} people, {record['replicates']} replicates per point, a pattern out",
        "# when its mean is beyond its range by more than 1.645 standard errors); see",
        "# docs/how-to/uncertainty.md. A box of one-at-a-time ranges: of "
        f"{len(record['joint'])} joint points of it,",
        f"# {record['joint_accepted_share']:.0%} held every tuned pattern.",
        "name: plausible",
        "description: where the tuned validation patterns hold, each parameter in turn",
        "design: {method: lhs, seed: 0}",
        "parameters:",
    ]
    for path, r in record["region"].items():
        if r["high"] > r["low"]:
            lines.append(
                f"  {path}: {{low: {r['low']:.6g}, high: {r['high']:.6g}}}  # default {r['default']:g}"
            )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=7, help="grid values per parameter")
    parser.add_argument("--replicates", type=int, default=6)
    parser.add_argument("--bisect", type=int, default=2, help="bisections at each end")
    parser.add_argument("--joint", type=int, default=12, help="joint points checked in the box")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--write-region", action="store_true",
        help="only write scenarios/uncertainty/plausible.yaml from the results file",
    )  # fmt: skip
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "plausible_region_results.json"))
    args = parser.parse_args(argv)
    if args.write_region:
        REGION_FILE.parent.mkdir(exist_ok=True)
        REGION_FILE.write_text(region_yaml(json.loads(Path(args.out).read_text())))
        print(f"{REGION_FILE} written")
        return 0
    settings = replace(QUICK, replicates=args.replicates, seed=args.seed)
    start = time.time()
    region, grids = {}, {}
    for path, (low, high) in PARAMETERS.items():
        centre = default(path)
        values = sorted({*np.linspace(low, high, args.points).round(6).tolist(), centre})
        ok = []
        for value in values:
            passed, _ = accepted({path: value}, settings)
            ok.append(passed)
        grids[path] = {"values": values, "accepted": ok, "default": centre}
        i = values.index(centre)
        if not ok[i]:
            raise SystemExit(f"{path}: the default {centre} does not hold the tuned patterns")
        lo = hi = i
        while lo > 0 and ok[lo - 1]:
            lo -= 1
        while hi < len(values) - 1 and ok[hi + 1]:
            hi += 1
        low_end, high_end = values[lo], values[hi]
        # bisect between the outermost accepted and the first rejected grid value
        if lo > 0:
            low_end = _edge(path, values[lo], values[lo - 1], settings, args.bisect)
        if hi < len(values) - 1:
            high_end = _edge(path, values[hi], values[hi + 1], settings, args.bisect)
        region[path] = (round(low_end, 6), round(high_end, 6), centre)
        print(f"{path}: {values[lo]:g} to {values[hi]:g} (default {centre:g}), "
              f"{time.time() - start:.0f} s", file=sys.stderr)  # fmt: skip
    from scipy.stats import qmc

    names = [p for p, (lo, hi, _) in region.items() if hi > lo]
    unit = qmc.LatinHypercube(d=len(names), seed=args.seed).random(args.joint)
    joint = []
    for u in unit:
        point = {
            n: region[n][0] + x * (region[n][1] - region[n][0])
            for n, x in zip(names, u, strict=True)
        }
        passed, means = accepted(point, settings)
        joint.append({"point": point, "accepted": passed, "means": means})
    share = sum(j["accepted"] for j in joint) / max(1, len(joint))
    out = {
        "replicates": args.replicates,
        "size": settings.size,
        "points": args.points,
        "seconds": round(time.time() - start, 1),
        "ranges": PARAMETERS,
        "grids": grids,
        "region": {k: {"low": lo, "high": hi, "default": d} for k, (lo, hi, d) in region.items()},
        "joint": joint,
        "joint_accepted_share": share,
    }
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    print(f"joint points of the box where every tuned pattern holds: {share:.0%}")
    for path, (lo, hi, d) in region.items():
        print(f"  {path}: {{low: {lo:g}, high: {hi:g}}}  # default {d:g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
