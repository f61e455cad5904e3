"""``esnsim sensitivity``: global sensitivity indices of a sweep's outcomes (SALib).

::

    esnsim sensitivity DIR|SWEEP.yaml [--method sobol|morris|rbd-fast|delta] [--outcome NAME]...
                       [--out DIR] [--seed S] [--resamples N]
                       [--sweep-out DIR] [--workers N] [--scheduler local|ADDRESS] [--quiet]
                       [--allow-path DIR]

``DIR`` is a completed sweep's folder; a sweep file is run first (into ``--sweep-out``, default
``results/sweep-<name>/``, resuming what a folder of the same sweep already holds). Writes
``sensitivity.parquet`` (one row per outcome, parameter and index: ``outcome, parameter, method,
index, value, conf, low, high``; per outcome the ``noise_share`` rows), ``sensitivity.png`` and
``manifest.json`` into ``--out`` (default ``DIR/sensitivity/``) and prints the table.
"""

from __future__ import annotations

from pathlib import Path

from simulation.base.errors import InputError, SweepError
from simulation.cli.guard import add_path_arguments

#: bootstrap resamples: each holds a copy of the indices (10^9 ran out of memory)
MAX_RESAMPLES = 100_000


def register(subparsers) -> None:
    """Add ``esnsim sensitivity`` to the top-level parser's sub-commands."""
    from simulation.analysis.sensitivity import METHODS

    parser = subparsers.add_parser(
        "sensitivity",
        help="sensitivity indices (SALib) of a sweep's outcomes, with 95 %% intervals",
        description="Sobol (S1, ST), Morris (mu*, sigma), RBD-FAST (S1) or delta indices of "
        "each outcome of a sweep, on the replicate means of its points, with the share of "
        "variance that is replicate noise. A sweep file is run first.",
    )
    parser.add_argument("source", help="a sweep's folder, or a sweep file to run first")
    parser.add_argument(
        "--method", choices=METHODS, help="default: the design's own (sobol, morris), else delta"
    )
    parser.add_argument(
        "--outcome", action="append", help="outcome to analyse (repeatable; default: all)"
    )
    parser.add_argument("--out", help="output folder (default DIR/sensitivity/)")
    parser.add_argument("--seed", type=int, default=1, help="bootstrap seed (default 1)")
    parser.add_argument("--resamples", type=int, default=200, help="bootstrap resamples")
    parser.add_argument("--sweep-out", help="where a sweep file runs (results/sweep-<name>/)")
    parser.add_argument("--workers", type=int, help="a sweep file's worker processes")
    parser.add_argument("--scheduler", help="a sweep file on Dask: local or tcp://HOST:PORT")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    add_path_arguments(parser)  # a sweep file's own paths (applied by simulation.cli.main)
    parser.set_defaults(func=cmd_sensitivity)


def sweep_folder(args) -> tuple[Path, object]:
    """The sweep's folder, running the sweep file first if one was given; and its result."""
    from simulation.experiments.sweep import Sweep, SweepResult

    source = Path(args.source)
    if source.is_dir():
        if not (source / "sweep.json").exists():
            raise SweepError(f"{source}: not a sweep's folder (no sweep.json)")
        return source, SweepResult(source)
    if not source.exists():
        raise SweepError(f"{source}: no such sweep folder or file")
    from simulation.analysis.sensitivity import check_method
    from simulation.cli.sweep import _evaluator

    sweep = Sweep.load(source)
    if args.method:
        check_method(args.method, sweep.design.method, source)
    out = Path(args.sweep_out) if args.sweep_out else Path("results") / f"sweep-{sweep.spec.name}"
    resume = (out / "sweep.json").exists()
    evaluator = _evaluator(args)
    with evaluator:
        result = sweep.run(evaluator=evaluator, out=out, resume=resume, progress=not args.quiet)
    if not result.complete:
        raise SweepError(
            f"{out}: {len(result.failed)} chunk(s) failed; 'esnsim sweep status {out}' lists them"
        )
    return out, result


def cmd_sensitivity(args) -> int:
    from simulation.analysis.sensitivity import Problem, analyse, text_table
    from simulation.base.outputs import (
        manifest,
        write_atomically,
        write_figure,
        write_json,
        write_parquet,
    )
    from simulation.report.sweep_plots import sensitivity_bars

    if not 10 <= args.resamples <= MAX_RESAMPLES:
        raise InputError(
            f"--resamples: must be from 10 to {MAX_RESAMPLES:,}, got {args.resamples:,}"
        )
    folder, result = sweep_folder(args)
    meta = result.meta
    outcomes = args.outcome or list(meta["sweep"]["outcomes"])
    table, notes = analyse(
        result.runs,
        Problem.of(result.design),
        outcomes,
        method=args.method,
        seed=args.seed,
        resamples=args.resamples,
        source=folder,
    )
    if table.empty:
        raise InputError(f"{folder}: no outcome could be analysed ({'; '.join(notes)})")
    method = str(table["method"].iloc[0])
    out = Path(args.out) if args.out else folder / "sensitivity"
    info = {"sweep": str(folder), "method": method, "seed": args.seed, "notes": notes}
    info.update(resamples=args.resamples, outcomes=outcomes)
    write_atomically(
        out,
        {
            "sensitivity.parquet": write_parquet(table),
            "sensitivity.png": write_figure(sensitivity_bars(table)),
            "manifest.json": write_json(manifest(**info)),
        },
    )
    print(text_table(table))
    for note in notes:
        print(f"note: {note}")
    print(f"\n{method} indices of {meta['sweep']['name']}: {out}/sensitivity.parquet, .png")
    return 0
