"""The ``esnsim`` command: thin, it calls the Python API.

Exit status: 0 done, 2 bad input (one line naming the file and the line or field), 1 anything
else.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from simulation.base.defaults import REPLICATES, WORKERS
from simulation.cli.guard import (
    EXIT_BAD_INPUT,
    Parser,
    guarded,
    signals_held,
)
from simulation.cli.hr_reading import add_hr_arguments, hr_columns
from simulation.cli.names import (
    add_check_parser,
    add_org_arguments,
    add_role_arguments,
    one_line_warnings,
    print_uses,
    roles_from_args,
)
from simulation.cli.progress import run_progress

#: the commands that simulate: their compiled libraries are loaded with Ctrl-C held back
SIMULATING = frozenset(
    {"run", "compare", "sweep", "calibrate", "validate", "sensitivity", "champions", "optimise"}
)


def cmd_run(args) -> int:
    from simulation.base.outputs import check_out, safe_folder_name
    from simulation.experiments.sim import Sim

    if args.out:
        check_out(args.out)
    sim = Sim(
        args.scenario,
        org=args.org,
        seed=args.seed,
        days=args.days,
        replicates=args.replicates,
        workers=args.workers,
        batch_size=args.batch_size,
        columns=hr_columns(args),
        roles=roles_from_args(args),
    )
    out = Path(args.out) if args.out else Path("results") / safe_folder_name(sim.scenario.name)
    check_out(out)
    bar, sim.progress = run_progress(sim.replicates, sim.scenario.name, args.quiet)
    try:
        sim.run()
    finally:
        if bar is not None:
            bar.close()
    paths = sim.save(out, people=args.people)
    if not args.quiet:
        from simulation.report.text import run_text

        print(run_text(sim.result))
        print_uses(sim.scenario)
        print(f"\n{sim.replicates} runs of {sim.scenario.days} days in {sim.elapsed:.1f} s")
        for path in paths:
            print(f"  {path}")
    return 0


def cmd_org_inspect(args) -> int:
    from simulation.org import load_org
    from simulation.org.inspect import format_description, format_roles

    org = load_org(args.org, columns=hr_columns(args))
    print(format_description(org))
    print(format_roles(org, roles_from_args(args)))
    return 0


def cmd_org_generate(args) -> int:
    from simulation.base.outputs import write_file_atomically
    from simulation.org import load_org
    from simulation.org.inspect import to_hr_csv

    spec = args.spec if args.spec.startswith("generate:") else f"generate:{args.spec}"
    org = load_org(spec)
    out = Path(args.out)
    write_file_atomically(out, lambda path: to_hr_csv(org, path))
    print(f"{org.size:,} people written to {out}")
    return 0


def cmd_scenario_schema(args) -> int:
    from simulation.plan.scenario import Scenario

    text = json.dumps(Scenario.model_json_schema(), indent=2)
    if args.out:
        from simulation.base.outputs import write_file_atomically

        write_file_atomically(args.out, lambda path: path.write_text(text + "\n", encoding="utf-8"))
        print(f"JSON Schema written to {args.out}")
    else:
        print(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="esnsim",
        description="Try out an Enterprise Social Network rollout on a model of your organisation.",
    )
    parser.add_argument("--version", action="version", version=f"esnsim {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run one plan with replicates; prints a summary table")
    run.add_argument(
        "scenario", help="scenario YAML file or a shipped scenario's name (esnsim scenario list)"
    )
    add_org_arguments(run)
    run.add_argument("--days", type=int, help="days to simulate (overrides the scenario)")
    run.add_argument(
        "--replicates", type=int, default=REPLICATES, help=f"replicates (default {REPLICATES})"
    )
    run.add_argument("--seed", type=int, help="seed of replicate 0 (overrides the scenario)")
    run.add_argument(
        "--workers", type=int, default=WORKERS, help=f"worker processes (default {WORKERS})"
    )
    run.add_argument("--batch-size", type=int, default=50, help="replicates per batch (default 50)")
    run.add_argument("--out", help="output folder (default results/<scenario name>/)")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    run.add_argument(
        "--people", action="store_true", help="also write people.parquet (each person's end state)"
    )
    run.set_defaults(func=cmd_run)

    from simulation.cli.compare import register as add_compare_parser

    add_compare_parser(sub)

    org = sub.add_parser("org", help="describe or generate organisations")
    org_sub = org.add_subparsers(dest="org_command", required=True)
    inspect = org_sub.add_parser("inspect", help="describe an organisation")
    inspect.add_argument(
        "org", help="an HR export (CSV or .xlsx), dataset:NAME or generate:size=N,..."
    )
    add_hr_arguments(inspect)
    add_role_arguments(inspect)
    inspect.set_defaults(func=cmd_org_inspect)
    generate = org_sub.add_parser("generate", help="write a generated organisation as an HR CSV")
    generate.add_argument("spec", help="size=N[,key=value...] (the generator's options)")
    generate.add_argument("--out", required=True, help="CSV file to write")
    generate.set_defaults(func=cmd_org_generate)

    scenario = sub.add_parser("scenario", help="check scenario files, write their JSON Schema")
    sc_sub = scenario.add_subparsers(dest="scenario_command", required=True)
    add_check_parser(sc_sub)
    schema = sc_sub.add_parser("schema", help="write the JSON Schema of scenario files")
    schema.add_argument("--out", help="file to write (default: standard output)")
    schema.set_defaults(func=cmd_scenario_schema)
    from simulation.cli.scenarios import add_list_parser

    add_list_parser(sc_sub)

    from simulation.cli.validate import add_validate_parser

    add_validate_parser(sub)
    from simulation.cli import dashboard as cli_dashboard
    from simulation.cli import datasets as cli_datasets

    cli_datasets.register(sub)
    cli_dashboard.register(sub)
    from simulation.model.day import register as add_describe_day

    add_describe_day(sub)
    from simulation.cli.sweep import register as add_sweep_parser

    add_sweep_parser(sub)
    from simulation.cli.sensitivity import register as add_sensitivity_parser

    add_sensitivity_parser(sub)
    from simulation.cli.calibrate import register as register_calibrate

    register_calibrate(sub)
    from simulation.cli.champions import register as register_champions

    register_champions(sub)
    from simulation.cli.discover import register as register_discover
    from simulation.cli.optimise import register as register_optimise

    register_discover(sub)
    register_optimise(sub)
    return parser


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("esnsim")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        from simulation import __version__

        return __version__


def main(argv: list[str] | None = None) -> int:
    """The ``esnsim`` command; returns the exit status (see :mod:`simulation.cli.guard`)."""
    return guarded(lambda: _main(argv))


def _main(argv: list[str] | None) -> int:
    import matplotlib

    from simulation.base.limits import MAX_DAYS, MAX_REPLICATES, check_count, check_seed
    from simulation.org.source import allow_paths

    matplotlib.use("Agg")  # the command writes files and opens no window

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error already printed on one line
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    one_line_warnings()
    bounds = {"days": MAX_DAYS, "replicates": MAX_REPLICATES, "workers": 256, "batch_size": 10_000}
    for name, maximum in bounds.items():
        value = getattr(args, name, None)
        if value is not None:
            check_count(name.replace("_", "-"), value, maximum)
    if getattr(args, "seed", None) is not None:
        check_seed(args.seed, getattr(args, "replicates", None) or 1)
    if args.command in SIMULATING:
        with signals_held():  # a Ctrl-C meanwhile is a KeyboardInterrupt right after them
            import simulation.experiments.sim  # noqa: F401  numpy, pandas, scipy, numba, mesa: compiled code
    with allow_paths(*getattr(args, "allow_path", [])):
        return int(args.func(args) or 0)


def command() -> None:
    """The process's entry point (the ``esnsim`` script, ``python -m simulation``): run
    :func:`main`, then exit with its status.

    From the moment :func:`main` returns, Ctrl-C and SIGTERM are ignored: the outcome is
    decided (done, or already reported as interrupted), and the interpreter's shutdown, which
    puts back their default action (death by the signal, status -2), must not change it.
    """
    status = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _forget_interrupts_seen_by_extensions()
    sys.exit(status)


def _forget_interrupts_seen_by_extensions() -> None:
    """Clear CPython's "unhandled KeyboardInterrupt" mark before exiting.

    A Ctrl-C that lands while an extension runs Python code through ``PyRun_String`` (scipy's
    pybind11 modules while they initialise) sets that mark even though the command handled the
    interrupt; at exit CPython then kills itself with SIGINT (status -2) instead of exiting
    with the command's status. Running any code through the same C function resets the mark.
    """
    try:
        import ctypes

        run = ctypes.pythonapi.PyRun_SimpleString
        run.argtypes, run.restype = [ctypes.c_char_p], ctypes.c_int
        run(b"pass")
    except (ImportError, AttributeError, OSError):  # another interpreter: nothing to clear
        pass


if __name__ == "__main__":
    command()
