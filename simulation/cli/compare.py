"""``esnsim compare``: two to six plans on the same organisation with common random numbers,
and the report that says which leads (:class:`~simulation.experiments.multisim.MultiSim`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from simulation.base.defaults import REPLICATES, WORKERS
from simulation.cli.hr_reading import hr_columns
from simulation.cli.names import add_org_arguments, roles_from_args
from simulation.cli.progress import run_progress


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``compare`` to the command's sub-parsers."""
    compare = sub.add_parser(
        "compare",
        help="run 2 to 6 plans on the same organisation with common random numbers; "
        "writes report.html",
    )
    compare.add_argument(
        "scenarios", nargs="+", help="scenario YAML files or shipped scenarios' names (2 to 6)"
    )
    add_org_arguments(compare)
    compare.add_argument("--days", type=int, help="days to simulate (overrides the scenarios)")
    compare.add_argument(
        "--replicates",
        type=int,
        default=REPLICATES,
        help=f"replicates per plan (default {REPLICATES})",
    )
    compare.add_argument("--seed", type=int, default=0, help="seed of replicate 0 of every plan")
    compare.add_argument(
        "--target",
        action="append",
        help="a target such as 'wau>=0.4@180' (daily series by a day) or 'sustained_wau>=0.3' "
        "(per-run figure); repeatable; default sustained_wau>=0.2 and sustained_wau>=0.3 (sustained use; a target by a day met only by a launch spike is flagged)",
    )
    compare.add_argument(
        "--workers", type=int, default=WORKERS, help=f"worker processes (default {WORKERS})"
    )
    compare.add_argument(
        "--outcome",
        default="sustained_wau",
        help="per-run figure the report's answer ranks the plans on (default sustained_wau)",
    )
    compare.add_argument(
        "--calibration",
        metavar="DIR",
        help="output folder of esnsim calibrate the plans were built from: the report gets "
        "its section (the fit, the forecast, the intervals)",
    )
    compare.add_argument(
        "--uncertainty",
        metavar="SOURCE",
        help="also run every plan under K plausible parameter sets: a region file of ranges "
        "(or 'plausible', the shipped region where the validation patterns hold) or an "
        "esnsim calibrate output folder (its bootstrap refits); the report then separates "
        "'at the assumed parameters' from 'across plausible parameters'",
    )
    compare.add_argument(
        "--uncertainty-sets",
        type=int,
        metavar="K",
        help="parameter sets with --uncertainty (default 20; a calibration: its first K refits)",
    )
    compare.add_argument(
        "--budget",
        type=float,
        metavar="AMOUNT",
        help="the most a plan may cost over the run, in the plans' currency: the answer is then "
        "the best plan within it, with the chance its cost stays within it (a budget below the "
        "cheapest plan is an error)",
    )
    compare.add_argument(
        "--lever-table",
        action="store_true",
        help="also run the plan leading on the outcome without each of its levers, and with "
        "none, on the same seeds: what each lever brings and costs, and which plan without one "
        "fits the budget (one more plan's runs per lever, plus one)",
    )
    compare.add_argument("--batch-size", type=int, default=50, help="replicates per batch (50)")
    compare.add_argument("--out", help="output folder (default results/compare-<plans>/)")
    compare.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    compare.set_defaults(func=cmd_compare)


def cmd_compare(args) -> int:
    from simulation.base.outputs import check_out, safe_folder_name
    from simulation.experiments.multisim import MultiSim

    if args.out:
        check_out(args.out)
    ms = MultiSim(
        args.scenarios,
        org=args.org,
        replicates=args.replicates,
        seed=args.seed,
        days=args.days,
        targets=args.target,
        workers=args.workers,
        batch_size=args.batch_size,
        columns=hr_columns(args),
        roles=roles_from_args(args),
        outcome=args.outcome,
        calibration=args.calibration,
        **_uncertainty(args),
        budget=args.budget,
        lever_table=args.lever_table,
    )
    default = safe_folder_name("compare-" + "-vs-".join(ms.names), limit=200)
    out = Path(args.out) if args.out else Path("results") / default
    check_out(out)
    sets = 1 + (ms.uncertainty.count if ms.uncertainty is not None else 0)
    bar, ms.progress = run_progress(ms.replicates * len(ms.names) * sets, "compare", args.quiet)
    try:
        ms.run()
    finally:
        if bar is not None:
            bar.close()
    paths = ms.save(out)
    if not args.quiet:
        from simulation.report.text import compare_text

        print(compare_text(ms.result))
        print(
            f"\n{ms.runs_done} runs of up to {ms.days} days in {ms.elapsed:.1f} s; report: "
            f"{out / 'report.html'}"
        )
        for path in paths:
            print(f"  {path}")
    return 0


def _uncertainty(args) -> dict:
    """``--uncertainty`` and ``--uncertainty-sets`` as MultiSim's options."""
    from simulation.base.errors import InputError
    from simulation.experiments.uncertainty_sets import DEFAULT_SETS, check_count

    if args.uncertainty is None:
        if args.uncertainty_sets is not None:
            raise InputError("--uncertainty-sets: only with --uncertainty SOURCE")
        return {}
    sets = DEFAULT_SETS if args.uncertainty_sets is None else args.uncertainty_sets
    return {"uncertainty": args.uncertainty, "uncertainty_sets": check_count(sets)}
