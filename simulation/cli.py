"""The ``esnsim`` command: thin, it calls the Python API.

Exit status: 0 done, 2 bad input (one line naming the file and the line or field), 1 anything
else.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from simulation.errors import InputError

EXIT_BAD_INPUT = 2


def _progress(total: int, label: str, quiet: bool):
    """A tqdm bar on a terminal; nothing when quiet, in CI or when stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=total, desc=label, unit="run", leave=False)
    return bar, bar.update


def _org_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--org",
        help="organisation: an HR CSV path, dataset:NAME or generate:size=N[,key=value...] "
        "(replaces the scenario's own)",
    )
    parser.add_argument(
        "--columns",
        help="HR CSV header names, e.g. employee_id=Worker_ID,manager_id=Manager_ID",
    )


def _columns(args) -> dict | None:
    from simulation.org import parse_columns

    return parse_columns(args.columns) if getattr(args, "columns", None) else None


def cmd_run(args) -> int:
    from simulation.sim import Sim

    sim = Sim(
        args.scenario,
        org=args.org,
        seed=args.seed,
        days=args.days,
        replicates=args.replicates,
        workers=args.workers,
        batch_size=args.batch_size,
        columns=_columns(args),
    )
    out = Path(args.out) if args.out else Path("results") / sim.scenario.name
    bar, sim.progress = _progress(sim.replicates, sim.scenario.name, args.quiet)
    try:
        sim.run()
    finally:
        if bar is not None:
            bar.close()
    paths = sim.save(out)
    if args.people:  # each person's end state (simulation.metrics.people_table)
        paths += _write_people(sim, out)
    if not args.quiet:
        print(_summary_text(sim))
        print(f"\n{sim.replicates} runs of {sim.scenario.days} days in {sim.elapsed:.1f} s")
        for path in paths:
            print(f"  {path}")
    return 0


def _write_people(sim, out: Path) -> list[Path]:
    from simulation.metrics.people_table import people_table
    from simulation.outputs import write_atomically, write_parquet

    return write_atomically(out, {"people.parquet": write_parquet(people_table(sim.model))})


def cmd_compare(args) -> int:
    from simulation.multisim import MultiSim

    ms = MultiSim(
        args.scenarios,
        org=args.org,
        replicates=args.replicates,
        seed=args.seed,
        days=args.days,
        targets=args.target,
        workers=args.workers if args.workers is not None else _compare_workers(args),
        batch_size=args.batch_size,
        columns=_columns(args),
    )
    out = Path(args.out) if args.out else Path("results") / ("compare-" + "-vs-".join(ms.names))
    bar, ms.progress = _progress(ms.replicates * len(ms.names), "compare", args.quiet)
    try:
        ms.run()
    finally:
        if bar is not None:
            bar.close()
    paths = ms.save(out)
    if not args.quiet:
        print(_compare_text(ms))
        runs = ms.replicates * len(ms.names)
        print(
            f"\n{runs} runs of {ms.days} days in {ms.elapsed:.1f} s; report: {out / 'report.html'}"
        )
        for path in paths:
            print(f"  {path}")
    return 0


def _compare_workers(args) -> int:
    import os

    # worker processes pay from two plans up (measured ~1.6x on 2 cores); never more than cores
    return max(1, min(os.cpu_count() or 1, 8))


def _compare_text(ms) -> str:
    from simulation.report.html import LABELS, fmt

    stats = ms.summary().set_index(["metric", "scenario"])
    width = max(14, *(len(n) for n in ms.names))
    lines = [f"{'':42s} " + " ".join(f"{n:>{width}s}" for n in ms.names)]
    for target in ms.targets:
        prob = ms.probability(target).set_index("scenario")["probability"]
        cells = " ".join(f"{fmt(prob[n], 'pct'):>{width}s}" for n in ms.names)
        lines.append(f"{'P(' + target.text + ')':42s} {cells}")
    for metric in ("sustained_wau", "peak_wau", "ebb_ratio", "cost", "cost_per_sustained_wau"):
        label, kind = LABELS[metric]
        cells = " ".join(f"{fmt(stats.loc[(metric, n), 'mean'], kind):>{width}s}" for n in ms.names)
        lines.append(f"{label[:42]:42s} {cells}")
    return "\n".join(lines)


def _summary_text(sim) -> str:
    table = sim.summary_table()
    shown = [
        ("peak_wau", "peak weekly active", "{:.1%}"),
        ("peak_day", "day of the peak", "{:.0f}"),
        ("sustained_wau", "sustained weekly active (last 30 days)", "{:.1%}"),
        ("ebb_ratio", "ebb ratio (sustained / peak)", "{:.2f}"),
        ("registered_final", "registered at the end", "{:.1%}"),
        ("day_wau_25", "day weekly active reached 25 %", "{:.0f}"),
        ("contributor_share", "contributors among weekly active", "{:.1%}"),
        ("gini_posts", "Gini of posts", "{:.2f}"),
        ("cost", "cost (licences)", "{:,.0f}"),
    ]
    if sim.scenario.mode == "one_shot":  # adoption only: no visits, posts or licences to show
        shown = [
            ("registered_final", "adopted at the end", "{:.1%}"),
            ("never_registered", "never adopted", "{:.1%}"),
        ]
    title = f"{sim.scenario.name} on {sim.org.name} ({sim.org.size:,} people), {sim.replicates} replicates"
    lines = [title, f"{'':42s} {'mean':>9s}  {'90 % interval':>21s}"]
    for column, label, fmt in shown:
        row = table.loc[column]
        if row.isna().all():
            text, interval = "never", ""
        else:
            text = fmt.format(row["mean"])
            interval = f"[{fmt.format(row['low'])}, {fmt.format(row['high'])}]"
        lines.append(f"{label:42s} {text:>9s}  {interval:>21s}")
    return "\n".join(lines)


def cmd_org_inspect(args) -> int:
    from simulation.org import load_org
    from simulation.org.inspect import format_description

    org = load_org(args.org, columns=_columns(args))
    print(format_description(org))
    return 0


def cmd_org_generate(args) -> int:
    from simulation.org import load_org
    from simulation.org.inspect import to_hr_csv
    from simulation.outputs import write_atomically

    spec = args.spec if args.spec.startswith("generate:") else f"generate:{args.spec}"
    org = load_org(spec)
    out = Path(args.out)
    write_atomically(out.parent, {out.name: lambda path: to_hr_csv(org, path)})
    print(f"{org.size:,} people written to {out}")
    return 0


def cmd_scenario_check(args) -> int:
    from simulation.scenario import Scenario

    for path in args.files:
        scenario = Scenario.load(path)
        print(f"{path}: ok ({scenario.name})")
    return 0


def cmd_scenario_schema(args) -> int:
    from simulation.scenario import Scenario

    text = json.dumps(Scenario.model_json_schema(), indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"JSON Schema written to {args.out}")
    else:
        print(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="esnsim",
        description="Try out an Enterprise Social Network rollout on a model of your organisation.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run one plan with replicates; prints a summary table")
    run.add_argument("scenario", help="scenario YAML file")
    _org_arguments(run)
    run.add_argument("--days", type=int, help="days to simulate (overrides the scenario)")
    run.add_argument("--replicates", type=int, default=10, help="replicates (default 10)")
    run.add_argument("--seed", type=int, help="seed of replicate 0 (overrides the scenario)")
    run.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    run.add_argument("--batch-size", type=int, default=50, help="replicates per batch (default 50)")
    run.add_argument("--out", help="output folder (default results/<scenario name>/)")
    run.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    run.add_argument(
        "--people", action="store_true", help="also write people.parquet (each person's end state)"
    )
    run.set_defaults(func=cmd_run)

    compare = sub.add_parser(
        "compare",
        help="run 2 to 6 plans on the same organisation with common random numbers; "
        "writes report.html",
    )
    compare.add_argument("scenarios", nargs="+", help="scenario YAML files (2 to 6)")
    _org_arguments(compare)
    compare.add_argument("--days", type=int, help="days to simulate (overrides the scenarios)")
    compare.add_argument("--replicates", type=int, default=20, help="replicates per plan (20)")
    compare.add_argument("--seed", type=int, default=0, help="seed of replicate 0 of every plan")
    compare.add_argument(
        "--target",
        action="append",
        help="a target such as 'wau>=0.4@180' (daily series by a day) or 'sustained_wau>=0.3' "
        "(per-run figure); repeatable; default both of these",
    )
    compare.add_argument("--workers", type=int, help="worker processes (default: the cores)")
    compare.add_argument("--batch-size", type=int, default=50, help="replicates per batch (50)")
    compare.add_argument("--out", help="output folder (default results/compare-<plans>/)")
    compare.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    compare.set_defaults(func=cmd_compare)

    org = sub.add_parser("org", help="describe or generate organisations")
    org_sub = org.add_subparsers(dest="org_command", required=True)
    inspect = org_sub.add_parser("inspect", help="describe an organisation")
    inspect.add_argument("org", help="an HR CSV path, dataset:NAME or generate:size=N,...")
    inspect.add_argument("--columns", help="HR CSV header names, e.g. employee_id=Worker_ID")
    inspect.set_defaults(func=cmd_org_inspect)
    generate = org_sub.add_parser("generate", help="write a generated organisation as an HR CSV")
    generate.add_argument("spec", help="size=N[,key=value...] (the generator's options)")
    generate.add_argument("--out", required=True, help="CSV file to write")
    generate.set_defaults(func=cmd_org_generate)

    scenario = sub.add_parser("scenario", help="check scenario files, write their JSON Schema")
    sc_sub = scenario.add_subparsers(dest="scenario_command", required=True)
    check = sc_sub.add_parser("check", help="validate scenario files")
    check.add_argument("files", nargs="+")
    check.set_defaults(func=cmd_scenario_check)
    schema = sc_sub.add_parser("schema", help="write the JSON Schema of scenario files")
    schema.add_argument("--out", help="file to write (default: standard output)")
    schema.set_defaults(func=cmd_scenario_schema)

    from simulation.analysis.validate_cli import add_validate_parser

    add_validate_parser(sub)
    from simulation.cli_calibrate import register as register_calibrate

    register_calibrate(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for name in ("days", "replicates", "workers", "batch_size"):
        value = getattr(args, name, None)
        if value is not None and value < 1:
            print(f"esnsim: error: --{name.replace('_', '-')} must be >= 1", file=sys.stderr)
            return EXIT_BAD_INPUT
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        print(f"esnsim: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("esnsim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
