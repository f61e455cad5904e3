"""``esnsim validate``: run the published patterns and print pass / fail (docs/validation.md).

    esnsim validate [--out DIR] [--quick] [--replicates R] [--org dataset:email_eu_core]

Prints the table ``pattern | published | simulated (90 % interval) | pass``, writes
``validation.parquet`` (columns ``pattern, published, simulated_low, simulated_mean,
simulated_high, passed``) and ``validation.html`` (one self-contained table) into ``--out``
(default ``results/validation``), and exits 1 if a pattern fails. The CLI owner wires
:func:`add_validate_parser` into ``simulation/cli/main.py``.
"""

from __future__ import annotations

import html
import time
from pathlib import Path

import pandas as pd

from simulation.analysis import long_ebb
from simulation.analysis.validate import FULL, QUICK, Check, Settings, quick, run_checks
from simulation.base.outputs import write_atomically, write_parquet

COLUMNS = [
    "pattern",
    "published",
    "simulated_low",
    "simulated_mean",
    "simulated_high",
    "passed",
    "role",
    "in_range",
]


def verdict(c: Check) -> str:
    """``yes`` / ``NO`` for a checked pattern; ``in range`` / ``beyond`` for a reported one."""
    if c.pattern.checked:
        return "yes" if c.passed else "NO"
    if c.pattern.prediction:
        return "prediction"
    return "in range (reported)" if c.in_range else "beyond (reported)"


def frame(checks: list[Check]) -> pd.DataFrame:
    """The checks as the ``validation.parquet`` table."""
    rows = [
        {
            "pattern": c.pattern.name,
            "published": f"{c.pattern.published} (accepted {c.pattern.range_text}"
            f"; {c.pattern.source})",
            "simulated_low": c.low,
            "simulated_mean": c.mean,
            "simulated_high": c.high,
            "passed": c.passed,
            "role": c.pattern.role,
            "in_range": c.in_range,
        }
        for c in checks
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


def markdown(checks: list[Check]) -> str:
    """The table ``pattern | published | simulated (90 % interval) | pass`` in Markdown."""
    lines = [
        "| pattern | published (accepted range; source) | simulated (90 % interval) | pass | role |",
        "|---|---|---|---|---|",
    ]
    for c in checks:
        p = c.pattern
        lines.append(
            f"| {p.name} | {p.published} ({p.range_text}; {p.source}) | "
            f"{c.mean:.3f} ({c.low:.3f} to {c.high:.3f}) | {verdict(c)} | {p.role} |"
        )
    return "\n".join(lines)


def to_html(checks: list[Check], title: str) -> str:
    """One self-contained HTML page (inline CSS, no external reference) with the table."""
    rows = []
    for c in checks:
        p = c.pattern
        cls = "pass" if c.in_range else ("fail" if p.checked else "beyond")
        rows.append(
            "<tr>"
            f"<td>{html.escape(p.name)}<br><small>{html.escape(p.statistic)}; "
            f"{html.escape(p.role)}</small></td>"
            f"<td>{html.escape(p.published)}<br><small>accepted {p.range_text}; "
            f"{html.escape(p.source)}</small></td>"
            f"<td>{c.mean:.3f} ({c.low:.3f} to {c.high:.3f})</td>"
            f'<td class="{cls}">{html.escape(verdict(c))}</td></tr>'
        )
    checked = [c for c in checks if c.pattern.checked]
    passed = sum(c.passed for c in checked)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: 0.4em 0.6em; vertical-align: top; text-align: left; }}
th {{ background: #f0f0f0; }}
small {{ color: #666; }}
.pass {{ background: #e3f4e3; }}
.fail {{ background: #f8dcdc; font-weight: bold; }}
.beyond {{ background: #fdf0d5; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{passed} of {len(checked)} checked patterns hold (tuned and held out); reported
patterns are shown against their figure and never fail the run. The statistic is computed per replicate; a pattern
passes when the mean over replicates lies in the accepted range; the interval is the 5th to 95th
percentile over replicates (for the Bass limit, over resampled replicates).</p>
<table><tr><th>pattern</th><th>published</th><th>simulated (90 % interval)</th><th>pass</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""


def validate(settings: Settings, out: str | Path | None = None, title: str = "esnsim validate"):
    """Run every check, write the outputs into ``out`` (if given); returns the checks."""
    checks = run_checks(settings)
    if out is not None:
        write_atomically(
            out,
            {
                "validation.parquet": write_parquet(frame(checks)),
                "validation.html": lambda path: path.write_text(
                    to_html(checks, title), encoding="utf-8"
                ),
            },
        )
    return checks


def cmd_validate(args) -> int:
    """``esnsim validate``: 0 if every pattern holds, 1 otherwise."""
    settings = quick(QUICK if args.quick else FULL, replicates=args.replicates)
    title = "esnsim validate"
    org = getattr(args, "org", None)
    if org:
        from simulation.org import load_org

        settings = quick(settings, org=load_org(org))
        title += f" on {org}"
    start = time.perf_counter()
    out = Path(args.out) if args.out else Path("results") / "validation"
    from simulation.base.outputs import check_out

    check_out(out)  # before any simulation
    checks = validate(settings, out, title)
    print(markdown(checks))
    skipped = long_ebb.skip_reason()
    if skipped:
        print(f"\n{skipped}")
    failed = [c.pattern.name for c in checks if not c.passed]
    checked = sum(c.pattern.checked for c in checks)
    beyond = [c.pattern.name for c in checks if not c.in_range and not c.pattern.checked]
    if beyond:
        print(f"\nreported, beyond the published figure: {'; '.join(beyond)}")
    print(
        f"\n{checked - len(failed)} of {checked} checked patterns hold "
        f"({time.perf_counter() - start:.0f} s); outputs in {out}"
    )
    return 1 if failed else 0


def add_validate_parser(subparsers) -> None:
    """Register ``validate`` on an ``argparse`` sub-parsers object."""
    parser = subparsers.add_parser(
        "validate",
        help="run the published patterns (docs/validation.md) and print pass / fail",
        description=__doc__.split("\n\n")[0],
    )
    parser.add_argument("--out", help="output folder (default results/validation)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"{QUICK.size} people and {QUICK.replicates} replicates instead of "
        f"{FULL.size} and {FULL.replicates}",
    )
    parser.add_argument("--replicates", type=int, help="replicates per scenario")
    parser.add_argument(
        "--org",
        help="run on this organisation instead of the generated ones, e.g. dataset:email_eu_core "
        "(patterns needing frontline staff are skipped where there are none)",
    )
    parser.set_defaults(func=cmd_validate)
