"""``esnsim discover``: the conditions under which a plan succeeds, found by PRIM on a sweep.

::

    esnsim discover SWEEP_DIR --success "sustained_wau>=0.3" [--alpha A] [--min-mass M]
                    [--min-density D] [--resamples N] [--seed S] [--out DIR] [--quiet]

``SWEEP_DIR`` is a completed sweep's folder (``esnsim sweep``). Writes ``report.html`` (the
plain-language summary, the box's limits with their significance and resampling check, the
trade-off and the box as figures), ``trajectory.csv`` (the peeling trajectory: coverage,
density, mass of each box), ``box.csv`` (the chosen box's limits), ``tradeoff.png``,
``box.png`` and ``manifest.json`` into ``--out`` (default ``SWEEP_DIR/discover/``), and prints
the summary. Bad input (not a sweep folder, an incomplete sweep, a success expression naming
an outcome the sweep did not keep) is one line, exit status 2, nothing written.
"""

from __future__ import annotations

from pathlib import Path

from simulation.base.errors import InputError


def register(subparsers) -> None:
    """Add ``esnsim discover`` to the top-level parser's sub-commands."""
    p = subparsers.add_parser(
        "discover",
        help="conditions for success: PRIM on a sweep's runs finds the box of parameters "
        "inside which runs succeed, with its coverage, density and each limit's significance",
        description="PRIM (Friedman & Fisher 1999: peeling, pasting, the coverage / density "
        "trade-off) on a completed sweep's runs, success being a per-run target.",
    )
    p.add_argument("sweep", help="a completed sweep's folder (esnsim sweep ... --out DIR)")
    p.add_argument(
        "--success",
        required=True,
        help="what success is, a per-run figure the sweep kept, e.g. 'sustained_wau>=0.3'",
    )
    p.add_argument(
        "--alpha", type=float, default=0.05,
        help="share 0-1 of the box's runs removed by each peel (default 0.05)",
    )  # fmt: skip
    p.add_argument(
        "--min-mass", type=float, default=0.05,
        help="share 0-1 of all runs below which a box is not peeled (default 0.05)",
    )  # fmt: skip
    p.add_argument(
        "--min-density", type=float,
        help="choose the box covering most successes with at least this share 0-1 of runs "
        "succeeding (default: the box of highest coverage x lift, the lift being "
        "(density - base rate) / (1 - base rate))",
    )  # fmt: skip
    p.add_argument(
        "--resamples", type=int, default=50,
        help="bootstrap samples of the resampling check (default 50; 0: none)",
    )  # fmt: skip
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    p.add_argument("--out", help="output folder (default SWEEP_DIR/discover/)")
    p.add_argument("--quiet", action="store_true", help="print nothing")
    p.set_defaults(func=cmd_discover)


def _check(args) -> None:
    if not 0 < args.alpha < 0.5:
        raise InputError(f"--alpha: must be between 0 and 0.5, got {args.alpha:g}")
    if not 0 < args.min_mass < 1:
        raise InputError(f"--min-mass: must be between 0 and 1, got {args.min_mass:g}")
    if args.min_density is not None and not 0 < args.min_density <= 1:
        raise InputError(f"--min-density: must be between 0 and 1, got {args.min_density:g}")
    if not 0 <= args.resamples <= 10_000:
        raise InputError(f"--resamples: must be from 0 to 10,000, got {args.resamples:,}")


def cmd_discover(args) -> int:
    from simulation.analysis.conditions import discover, sweep_folder
    from simulation.base.outputs import check_out, manifest, write_atomically, write_json
    from simulation.report.prim_report import render

    _check(args)
    sweep_folder(args.sweep)  # named as the sweep argument, not as a --out made from it
    out = check_out(Path(args.out) if args.out else Path(args.sweep) / "discover")
    found = discover(
        args.sweep,
        args.success,
        alpha=args.alpha,
        min_mass=args.min_mass,
        min_density=args.min_density,
        resamples=args.resamples,
        seed=args.seed,
    )
    html, pngs = render(found)
    result = found.result

    def text(content: str | bytes):
        if isinstance(content, bytes):
            return lambda path: path.write_bytes(content)
        return lambda path: path.write_text(content, encoding="utf-8")

    def csv(frame):
        return lambda path: frame.to_csv(path, index=False)

    box = result.box
    record = manifest(
        sweep=str(found.folder),
        success=found.success.text,
        alpha=args.alpha,
        min_mass=args.min_mass,
        min_density=args.min_density,
        resamples=args.resamples,
        seed=args.seed,
        summary=found.sentence,
        box={"coverage": box.coverage, "density": box.density, "mass": box.mass,
             "runs": box.count, "successes": box.successes},
        reappearance=result.reappearance,
    )  # fmt: skip
    paths = write_atomically(
        out,
        {
            "report.html": text(html),
            "trajectory.csv": csv(result.trajectory),
            "box.csv": csv(result.limits),
            "tradeoff.png": text(pngs["tradeoff"]),
            "box.png": text(pngs["box"]),
            "manifest.json": write_json(record),
        },
    )
    if not args.quiet:
        print(found.sentence)
        for note in result.notes:
            print(f"note: {note}")
        print(f"\n{out}/report.html, box.csv, trajectory.csv ({len(paths)} files)")
    return 0
