"""The top end and the seed articles' effect sizes, measured (issue 15 items 1 and the check).

    python benchmarks/top_end.py [--replicates 4] [--sizes 2000,20000] [--real] [--out PATH]

Prints, per organisation, each shipped scenario's sustained weekly / monthly / daily active
share of staff (mean of the last 30 days of a year), and the seed articles' comparisons
(paired differences of sustained weekly active and of the weekly posters' share), and writes them as JSON
(default ``benchmarks/top_end_results.json``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulation.analysis.top_end import effects, usage  # noqa: E402
from simulation.org.spec import load_org  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=4)
    parser.add_argument("--sizes", default="2000")
    parser.add_argument("--real", action="store_true", help="also dataset:email_eu_core")
    parser.add_argument("--no-effects", action="store_true")
    parser.add_argument("--out", default=str(Path(__file__).with_name("top_end_results.json")))
    args = parser.parse_args(argv)
    specs = [f"generate:size={s.strip()}" for s in args.sizes.split(",") if s.strip()]
    if args.real:
        specs.append("dataset:email_eu_core")
    results = {}
    for spec in specs:
        start = time.time()
        org = load_org(spec)
        table = usage(org, args.replicates)
        entry = {"usage": table}
        print(f"\n{spec} ({args.replicates} replicates)")
        print(f"{'scenario':<28} {'wau':>6} {'mau':>6} {'dau':>6} {'peak':>6}")
        for name, row in table.items():
            print(
                f"{name:<28} {row['wau']:6.3f} {row['mau']:6.3f} {row['dau']:6.3f} "
                f"{row['peak_wau']:6.3f}"
            )
        if not args.no_effects:
            entry["effects"] = effects(org, args.replicates)
            for label, e in entry["effects"].items():
                p = e["posters"]
                print(
                    f"{label:<45} wau {e['mean']:+.3f} (se {e['se']:.3f})  "
                    f"posters {p['mean']:+.3f} (se {p['se']:.3f})"
                )
        entry["seconds"] = round(time.time() - start, 1)
        results[spec] = entry
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
