"""``esnsim sweep``: run a declared experiment, check a sweep file, report a sweep's progress.

::

    esnsim sweep FILE [--workers N] [--scheduler local|ADDRESS] [--out DIR] [--resume] [--quiet]
                      [--allow-path DIR]
    esnsim sweep check FILE        # validate, read the organisation; runs; a probe's estimate
    esnsim sweep status DIR        # done / total, failed chunks and their errors
    esnsim sweep plot DIR ...      # from simulation.cli.sweep_plot (when present)

``--scheduler`` uses ``simulation.experiments.sweep.dask_evaluator.DaskEvaluator(address)``. Extra
sub-commands register through a module's ``register(subparsers)`` (see :data:`EXTENSIONS`).

The paths a sweep file gives (``base``, ``design.file``, its organisation's files) are confined
to the sweep file's folder, the current folder, the shipped scenarios and the ``--allow-path``
folders (:meth:`simulation.experiments.sweep.spec.SweepSpec.confine`).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

from simulation.base.errors import InputError, SweepError
from simulation.cli.guard import add_path_arguments

#: ``esnsim sweep <command>`` -> the module adding it through its ``register(subparsers)``;
#: named here so that ``esnsim sweep FILE`` tells a sub-command from a file without importing
#: them (they import the whole sweep package)
EXTENSIONS = {"plot": "simulation.cli.sweep_plot"}
SUBCOMMANDS = ("check", "status", *EXTENSIONS)
EXIT_BAD_INPUT = 2


def register(subparsers) -> None:
    """Add ``esnsim sweep`` to the top-level parser's sub-commands."""
    parser = subparsers.add_parser(
        "sweep",
        help="run a sweep file (parameters x design x replicates) into a Parquet store; "
        "'sweep check FILE', 'sweep status DIR'",
        description="Run a sweep file: esnsim sweep FILE [options]. Sub-commands: "
        "esnsim sweep check FILE | status DIR | plot DIR (each with its own --help).",
        usage="esnsim sweep FILE [--workers N] [--scheduler local|ADDRESS] [--out DIR] "
        "[--resume] [--quiet]\n       esnsim sweep {check,status,plot} ...",
    )
    _run_options(parser)
    parser.add_argument("words", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    parser.set_defaults(func=cmd_sweep)


def cmd_sweep(args) -> int:
    """Dispatch ``esnsim sweep [check|status|...] ...``."""
    from simulation.org.source import allow_paths

    words = list(args.words)
    if words and words[0] in SUBCOMMANDS:
        parser = _commands().get(words[0])
        if parser is None:
            raise SweepError(f"esnsim sweep {words[0]}: not available in this installation")
        sub_args = parser.parse_args(words[1:])
        with allow_paths(*getattr(sub_args, "allow_path", [])):
            return int(sub_args.func(sub_args) or 0)
    # options may come before FILE (parsed by the outer parser) or after it (parsed here)
    parser = argparse.ArgumentParser(prog="esnsim sweep")
    parser.add_argument("file", help="sweep YAML file (see scenarios/sweeps/)")
    _run_options(parser)
    parser.set_defaults(**{k: v for k, v in vars(args).items() if k in _RUN_OPTIONS and v})
    run_args = parser.parse_args(words)
    with allow_paths(*run_args.allow_path):
        return cmd_run(run_args)


_RUN_OPTIONS = ("workers", "scheduler", "out", "resume", "quiet", "allow_path")


def _run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, help="worker processes (default: the cores)")
    parser.add_argument(
        "--scheduler",
        help="run on Dask: 'local' (a LocalCluster on 127.0.0.1) or a scheduler's address "
        "(tcp://HOST:PORT)",
    )
    parser.add_argument("--out", help="output folder (default results/sweep-<name>/)")
    parser.add_argument("--resume", action="store_true", help="finish an interrupted sweep")
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    add_path_arguments(parser)


def _commands() -> dict[str, argparse.ArgumentParser]:
    holder = argparse.ArgumentParser(prog="esnsim sweep")
    sub = holder.add_subparsers(dest="sweep_command")
    check = sub.add_parser("check", prog="esnsim sweep check", help="validate a sweep file")
    check.add_argument("file")
    check.add_argument("--workers", type=int, help="workers assumed by the estimate (cores)")
    check.add_argument("--no-probe", action="store_true", help="no timed probe run")
    add_path_arguments(check)
    check.set_defaults(func=cmd_check)
    status = sub.add_parser("status", prog="esnsim sweep status", help="a sweep's progress")
    status.add_argument("dir")
    status.set_defaults(func=cmd_status)
    for name in EXTENSIONS.values():
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        module.register(sub)
    return dict(sub.choices)


def _evaluator(args):
    from simulation.experiments.sweep.evaluators import default_evaluator

    if args.workers is not None and args.workers < 1:
        raise SweepError(f"--workers: must be >= 1, got {args.workers}")
    if args.scheduler is None:
        return default_evaluator(args.workers)
    try:
        from simulation.experiments.sweep.dask_evaluator import DaskEvaluator
    except ImportError:
        raise SweepError(
            "--scheduler: the Dask evaluator (simulation.experiments.sweep.dask_evaluator) is not "
            "available in this build; run with --workers instead"
        ) from None
    if args.workers is not None:
        return DaskEvaluator(args.scheduler, workers=args.workers)
    return DaskEvaluator(args.scheduler)


def start_workers(words: list[str]) -> None:
    """Start the pool's fork server now if ``esnsim sweep WORDS`` runs a sweep on more than one
    core, so that it imports what the workers need while the command imports the rest
    (:mod:`simulation.experiments.forkserver`). Called by :mod:`simulation.cli.main` before its own imports;
    anything unclear (help, a sub-command, a bad option) is left to the parser."""
    from simulation.experiments import forkserver

    if not words or words[0] in SUBCOMMANDS or {"-h", "--help"} & set(words):
        return
    options = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    options.add_argument("file", nargs="?")
    options.add_argument("--workers", type=int)
    options.add_argument("--scheduler")
    try:
        known, _ = options.parse_known_args(words)
    except argparse.ArgumentError:
        return
    workers = forkserver.cores() if known.workers is None else known.workers
    if known.file is None:
        return
    if known.scheduler == "local":  # a local Dask cluster's workers fork from it too
        forkserver.start(dask=True)
    elif known.scheduler is None and workers > 1:
        forkserver.start()


def cmd_run(args) -> int:
    from simulation.experiments.sweep import Sweep

    sweep = Sweep.load(args.file)
    out = Path(args.out) if args.out else Path("results") / f"sweep-{sweep.spec.name}"
    evaluator = _evaluator(args)
    clock = time.perf_counter()
    with evaluator:
        result = sweep.run(
            evaluator=evaluator, out=out, resume=args.resume, progress=not args.quiet
        )
    seconds = time.perf_counter() - clock
    state = result.progress
    failed = result.failed
    if not args.quiet:
        for note in state.get("notes", []):
            print(f"note: {note}")
        done = state["done_runs"]
        if state.get("due_runs", 1) == 0:
            print(f"{sweep.spec.name}: nothing to run ({done:,} runs done); results in {out}")
        else:
            rate = (done - state.get("done_at_start", 0)) / max(seconds, 1e-9)
            print(
                f"{sweep.spec.name}: {done:,} / {state['total_runs']:,} runs done, "
                f"{rate:.1f} runs/s over {seconds:.1f} s; results in {out}"
            )
    for item in failed[:5]:
        print(
            f"  failed chunk {item['chunk']} (runs {item['runs'][0]}-{item['runs'][1]}): "
            f"{item['error']}",
            file=sys.stderr,
        )
    if failed:
        print(
            f"esnsim: {len(failed)} chunk(s) failed twice; 'esnsim sweep status {out}' lists "
            f"them, '--resume' retries them",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_check(args) -> int:
    from simulation.experiments.sweep import Sweep
    from simulation.experiments.sweep.chunks import check_organisation, make_chunks
    from simulation.experiments.sweep.estimate import estimate_lines, probe_seconds_per_run
    from simulation.experiments.sweep.evaluators import default_workers

    if args.workers is not None and args.workers < 1:
        raise SweepError(f"--workers: must be >= 1, got {args.workers}")
    sweep = Sweep.load(args.file)
    spec, design = sweep.spec, sweep.design
    chunks = make_chunks(spec, design, spec.base_mapping(), str(spec.base_path()))
    check_organisation(spec, chunks)  # what every run reads: refused here, not at run time
    print(f"{args.file}: ok ({spec.name})")
    print(
        f"  design: {design.method}, {design.size:,} points x {spec.replicates} replicates "
        f"= {design.runs:,} runs in {len(chunks):,} chunks"
    )
    print(f"  parameters: {', '.join(design.names)}")
    print(f"  outcomes: {', '.join(spec.outcomes)}")
    if args.no_probe:
        return 0
    workers = args.workers or default_workers()
    per_run, start = probe_seconds_per_run(chunks[0])
    for line in estimate_lines(per_run, start, design.runs, workers):
        print(f"  {line}")
    return 0


def cmd_status(args) -> int:
    """Print a sweep's progress, from a check of every chunk's file against its checksum: the
    damaged chunks, those missing since they were written, and what failed."""
    from simulation.experiments.sweep.store import Store

    store = Store(args.dir)
    meta = store.read_meta()  # one line when missing or not a sweep's
    total_chunks = meta["chunks"]["count"]
    progress = meta.get("progress") or {}
    damaged = store.damaged()
    done = store.completed() & set(range(total_chunks))
    if progress.get("status") == "complete":  # every chunk was written: any absent one is lost
        missing = sorted(set(range(total_chunks)) - done - set(damaged))
    else:
        missing = store.missing(total_chunks)
    design = store.design_damaged()
    runs_done = sum(_chunk_runs(meta, k) for k in done)
    broken = len(damaged) + len(missing) + (design is not None)
    print(
        f"{meta['sweep']['name']}: {runs_done:,} / {meta['runs']:,} runs done "
        f"({len(done):,} / {total_chunks:,} chunks); "
        f"{_state(progress, runs_done, len(done) == total_chunks and design is None, broken)}"
    )
    listed = [f"chunk {k}: damaged ({why}); --resume reruns it" for k, why in damaged.items()]
    listed += [f"chunk {k}: missing (its runs file is gone); --resume reruns it" for k in missing]
    for line in listed[:_LISTED]:
        print(f"  {line}")
    if len(listed) > _LISTED:
        print(f"  ... and {len(listed) - _LISTED:,} more damaged or missing chunk(s)")
    if design is not None:
        print(f"  design: damaged ({design}); --resume writes it again")
    errors = store.errors()
    for item in errors:
        print(
            f"  failed chunk {item['chunk']} (runs {item['runs'][0]}-{item['runs'][1]}, "
            f"{item['attempts']} attempt(s)): {item['error']}"
        )
    if not errors and runs_done < meta["runs"]:
        print(
            f"  {meta['runs'] - runs_done:,} runs to go: esnsim sweep FILE --out {args.dir} "
            "--resume"
        )
    return 0


_LISTED = 20  # damaged or missing chunks listed one per line by 'sweep status'


def _state(progress: dict, runs_done: int, whole: bool = False, broken: int = 0) -> str:
    """``complete`` (every chunk and the design verified: ``whole``), ``incomplete`` (with the
    count of ``broken`` chunks when the sweep had completed), or for a running sweep its rate
    and time left (a sweep that stopped writing its progress is said to be interrupted)."""
    from datetime import UTC, datetime

    from simulation.experiments.sweep.estimate import duration
    from simulation.experiments.sweep.owner import alive
    from simulation.experiments.sweep.run import PROGRESS_EVERY

    status = progress.get("status", "unknown")
    if whole:
        return "complete"
    if status == "complete":
        return (
            f"incomplete: {broken:,} chunk(s) or file(s) damaged or missing since it completed; "
            "--resume repairs it"
        )
    if status != "running":
        return status
    owner = progress.get("owner") or {}
    if alive(owner) is False:
        return (
            f"interrupted (its process {owner.get('pid')} ended at or before "
            f"{progress.get('updated')}); finish it with --resume"
        )
    try:
        updated = datetime.fromisoformat(str(progress.get("updated")))
    except ValueError:
        return "unknown"
    if updated.tzinfo is None:
        return "unknown"
    quiet = (datetime.now(UTC) - updated).total_seconds()
    if quiet > 3 * PROGRESS_EVERY + 60:
        return f"interrupted (no progress since {progress['updated']}); finish it with --resume"
    ran = progress.get("done_runs", 0) - progress.get("done_at_start", 0)
    seconds = progress.get("seconds") or 0
    if ran <= 0 or seconds <= 0:
        return "running"
    rate = ran / seconds
    left = max(0, int(progress.get("total_runs") or 0) - runs_done) / rate
    return f"running, {rate:.1f} runs/s, {duration(left)} left"


def _chunk_runs(meta: dict, index: int) -> int:
    per = meta["chunks"]["points_per_chunk"]
    reps = meta["sweep"]["replicates"]
    points = meta["design"]["points"]
    return max(0, min(per, points - index * per)) * reps


__all__ = ["EXIT_BAD_INPUT", "InputError", "register"]
