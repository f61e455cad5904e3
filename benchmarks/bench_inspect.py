"""``esnsim org inspect`` on a flat HR export: 200,000 people reporting to one manager.

Target (issue 17): under 5 s and 1 GB. Before the triangle counting of
``simulation/org/triangles.py`` the clustering's sparse product took 32-58 s and 5.2-5.3 GB.
Each run is a fresh process (imports and reading included), timed from outside; the peak memory
is the child's maximum resident set. The first run also loads (or compiles) the kernels and is
reported separately.

    .venv/bin/python benchmarks/bench_inspect.py [--people 200000] [--repeat 3]

Prints a table and writes ``benchmarks/inspect_results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_SECONDS, TARGET_MB = 5.0, 1024


def write_flat_csv(path: Path, people: int) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("employee_id,manager_id,department\nboss,,hq\n")
        handle.writelines(f"e{i},boss,hq\n" for i in range(1, people))


def measure(csv: Path) -> tuple[float, float, float]:
    """Wall seconds, peak resident MB and CPU seconds of one ``org inspect`` process."""
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); "
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "w = time.perf_counter() - t; "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(r.returncode, w, u.ru_maxrss / 1024, u.ru_utime + u.ru_stime)"
    )
    command = [sys.executable, "-m", "simulation.cli.main", "org", "inspect", str(csv)]
    out = subprocess.run(
        [sys.executable, "-c", code, *command], capture_output=True, text=True, check=True
    )
    status, seconds, megabytes, cpu = out.stdout.split()
    if status != "0":
        raise SystemExit(f"org inspect failed with status {status}")
    return float(seconds), float(megabytes), float(cpu)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "flat.csv"
        write_flat_csv(csv, args.people)
        first = measure(csv)
        runs = [measure(csv) for _ in range(args.repeat)]
    seconds = sorted(r[0] for r in runs)[len(runs) // 2]
    cpu = sorted(r[2] for r in runs)[len(runs) // 2]
    megabytes = max(r[1] for r in runs)
    load = os.getloadavg()[0]
    ok = seconds < TARGET_SECONDS and megabytes < TARGET_MB
    print(f"org inspect, {args.people:,} people in one team ({args.repeat} runs, median)")
    print(f"| first run (kernels loaded) | {first[0]:.2f} s | {first[1]:.0f} MB |")
    print(f"| wall time | {seconds:.2f} s | target < {TARGET_SECONDS:.0f} s |")
    print(f"| CPU time (user + system) | {cpu:.2f} s | load average {load:.1f} |")
    print(f"| peak memory | {megabytes:.0f} MB | target < {TARGET_MB} MB |")
    print("PASS" if ok else "FAIL")
    result = {
        "people": args.people,
        "first_run_seconds": first[0],
        "median_seconds": seconds,
        "runs_seconds": [r[0] for r in runs],
        "median_cpu_seconds": cpu,
        "load_average": load,
        "peak_mb": megabytes,
        "target_seconds": TARGET_SECONDS,
        "target_mb": TARGET_MB,
        "pass": ok,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "measured": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    (HERE / "inspect_results.json").write_text(json.dumps(result, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
