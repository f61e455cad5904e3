"""Wall-clock figures that used to be asserted in unit tests, measured here instead.

    python benchmarks/bench_timings.py [--out benchmarks/timings.json] [--skip-compare]

* ``compare_2x30_2000``: ``esnsim compare`` of two plans (``top_down_mandate``, ``full_support``),
  30 replicates each, on 2,000 generated people, ``--workers 2``, in a fresh process (the
  README's "about 15 s on 2 cores"; target: under 60 s);
* ``generate_100k``: ``Organisation.generate(100_000)`` after a warm-up (target: under 1.5 s;
  ``bench_engine.py`` also compares it with a simulated year of the same organisation);
* ``validate_1m``: ``Organisation.validate()`` of 1,000,000 generated people (target: under
  2 s).

Prints ``figure | seconds | target | status`` and writes every figure, the machine and the load
average to ``--out``. The machine is shared: read the figures with the load beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

#: figure -> (what, limit in seconds)
TARGETS = {
    "compare_2x30_2000": ("two plans x 30 replicates, 2,000 people, 2 workers", 60.0),
    "generate_100k": ("generating 100,000 people", 1.5),
    "validate_1m": ("validating an organisation of 1,000,000 people", 2.0),
}


def time_compare() -> float:
    scenarios = ROOT / "scenarios"
    plans = [str(scenarios / "top_down_mandate.yaml"), str(scenarios / "full_support.yaml")]
    with tempfile.TemporaryDirectory() as tmp:
        clock = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "simulation.cli.main", "compare", *plans, "--replicates", "30"]
            + ["--org", "generate:size=2000", "--workers", "2", "--out", f"{tmp}/out"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
        elapsed = time.perf_counter() - clock
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-2000:])
    return elapsed


def time_generate() -> float:
    from simulation.org.model import Organisation

    Organisation.generate(1000, seed=0)  # warm-up imports
    start = time.perf_counter()
    Organisation.generate(100_000, seed=0)
    return time.perf_counter() - start


def time_validate() -> float:
    from simulation.org.model import Organisation

    org = Organisation.generate(1_000_000, seed=0)
    start = time.perf_counter()
    org.validate()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(HERE / "timings.json"), help="results JSON path")
    parser.add_argument("--skip-compare", action="store_true", help="skip the comparison run")
    args = parser.parse_args(argv)
    from bench_engine import machine

    figures: dict[str, float | None] = {"compare_2x30_2000": None}
    if not args.skip_compare:
        figures["compare_2x30_2000"] = time_compare()
    figures["generate_100k"] = time_generate()
    figures["validate_1m"] = time_validate()
    results = {"machine": machine(), "load": list(os.getloadavg()), "seconds": figures}
    print("| figure | seconds | target | status |\n|---|---|---|---|")
    for key, (what, limit) in TARGETS.items():
        value = figures.get(key)
        status = "SKIP" if value is None else ("PASS" if value < limit else "FAIL")
        shown = "-" if value is None else f"{value:.2f}"
        print(f"| {what} | {shown} | < {limit:g} s | {status} |")
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
