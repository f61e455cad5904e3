"""Champions on a generated 2,000-person organisation: the search against the heuristics, timed.

    python benchmarks/champions.py [--size 2000] [--budget 10] [--replicates 20] [--workers 2]
        [--scenario hub_seeding] [--out benchmarks/champions_results.json]

Runs ``esnsim champions``' search (:class:`simulation.experiments.champions.run.ChampionSearch`)
with lapse on, prints the champions, the paired differences against every heuristic at the
budget on fresh seeds (searched minus heuristic, 90 % interval: "beats" when the whole interval
is above 0), the curve's best point per method (its tail reaches the whole head-count: where
over-seeding would show), and the time: the search's wall seconds, the
sets scored per second (each set with every replicate) and the whole run's seconds. Writes all of
it as JSON with the machine's load average at the start and the end (the timing target, 5
minutes on 2 cores, assumes the cores are free).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulation.experiments.champions.run import ChampionSearch  # noqa: E402
from simulation.experiments.champions.text import search_text  # noqa: E402
from simulation.experiments.sweep.evaluators import default_evaluator  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--budget", type=int, default=10)
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--check-replicates", type=int)
    parser.add_argument("--curve-replicates", type=int)
    parser.add_argument("--no-cover", action="store_true", help="no coverage proposals")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenario", default="hub_seeding")
    parser.add_argument("--out", default=str(Path(__file__).with_name("champions_results.json")))
    args = parser.parse_args(argv)
    load_start = os.getloadavg()
    clock, cpu = time.perf_counter(), time.process_time()
    with default_evaluator(args.workers) as evaluator:
        search = ChampionSearch(
            args.scenario,
            org=f"generate:size={args.size}",
            budget=args.budget,
            replicates=args.replicates,
            check_replicates=args.check_replicates,
            curve_replicates=args.curve_replicates,
            evaluator=evaluator,
            cover=not args.no_cover,
        )
        chosen: list = []

        def report(step) -> None:
            chosen.append(step)
            print(
                f"  greedy {len(chosen)}: {search.org.ids[step.person]} "
                f"(+{100 * step.gain:.2f} points, {step.evaluations} sets, "
                f"{time.perf_counter() - clock:.0f} s)",
                file=sys.stderr,
                flush=True,
            )

        search.on_step = report
        result = search.run()
    wall = time.perf_counter() - clock
    print(search_text(result))
    print(f"\n{'heuristic':<20} {'theirs':>7} {'searched - theirs (points)':>30}  beats")
    for row in result.comparison.itertuples():
        print(
            f"{row.method:<20} {100 * row.mean:6.2f}% {100 * row.difference:+10.2f} "
            f"[{100 * row.low:+.2f}, {100 * row.high:+.2f}]  {'yes' if row.beats else 'no'}"
        )
    record = {
        "scenario": args.scenario,
        "organisation": f"generate:size={args.size}",
        "budget": args.budget,
        "replicates": args.replicates,
        "check_replicates": len(result.check_seeds),
        "curve_replicates": result.curve_replicates,
        "validation_replicates": search.validation_replicates,
        "cover": not args.no_cover,
        "workers": args.workers,
        "champions": result.ids,
        "people": result.people.astype(object)
        .where(result.people.notna(), None)
        .to_dict("records"),
        "greedy": [vars(step) for step in result.search.steps],
        "swaps": {
            "started_from": result.refinement.start,
            "start_values": result.refinement.start_values,
            "kept": result.refinement.swaps,
            "screens": [vars(screen) for screen in result.refinement.screens],
        },
        "comparison": result.comparison.to_dict("records"),
        "beats_every_heuristic": bool(result.comparison["beats"].all()),
        "curve": result.curve.to_dict("records"),
        "turning_points": result.turning,
        "pool_size": result.search.pool_size,
        "evaluations": result.evaluations,
        "search_seconds": round(result.search_seconds, 1),
        "evaluations_per_second": round(result.evaluations_per_second, 3),
        "search_replicate_years": result.search_runs,
        "check_replicate_years": result.check_runs,
        "replicate_years_per_second": round(
            result.search_runs / max(result.search_seconds, 1e-9), 2
        ),
        "total_seconds": round(wall, 1),
        "total_replicate_years_per_second": round(
            (result.search_runs + result.check_runs) / max(wall, 1e-9), 2
        ),
        "process_cpu_seconds": round(time.process_time() - cpu, 1),
        "load_average_start": load_start,
        "load_average_end": os.getloadavg(),
        "cores": os.cpu_count(),
    }
    Path(args.out).write_text(json.dumps(record, indent=1, default=float) + "\n")
    print(
        f"\nsearch {result.search_seconds:.0f} s ({result.evaluations} sets scored, "
        f"{result.search_runs:,} runs, {result.evaluations_per_second:.2f} sets a second), "
        f"total {wall:.0f} s; load average {load_start[0]:.1f} -> {os.getloadavg()[0]:.1f}; "
        f"written {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
