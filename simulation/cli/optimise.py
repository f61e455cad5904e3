"""``esnsim optimise``: the best plan for a budget, searched over a plan's levers.

::

    esnsim optimise SCENARIO --search FILE --budget AMOUNT [--org ORG] [--trials N]
        [--replicates R] [--check-replicates R2] [--population P] [--sampler tpe|nsga2]
        [--seed S] [--days D] [--storage FILE]
        [--workers W] [--out DIR] [--quiet]

``FILE`` declares which levers may change and how far (:mod:`simulation.experiments.plan_search`).
A multi-objective search (Optuna's TPE or NSGA-II) of cost against the outcome, every plan on the same
seeds; the search's front re-scored on fresh seeds with 90 % intervals
(:mod:`simulation.experiments.optimise_plans`). Writes ``report.html``, ``front.png``,
``front.csv`` (the re-scored front), ``trials.csv`` (every plan tried),
``plans/cheapest_meeting_target.yaml``, ``plans/best_within_budget.yaml``, ``plans/knee.yaml``
(each runnable with ``esnsim run``) and ``manifest.json`` into ``--out`` (default
``results/optimise-<scenario>/``). Bad input (a budget below the cheapest plan the search
allows, a search file naming an unknown lever or field) is one line, exit status 2, nothing
written.
"""

from __future__ import annotations

from pathlib import Path

from simulation.base.defaults import WORKERS
from simulation.base.errors import InputError
from simulation.base.yaml_dump import dump_scenario
from simulation.cli.guard import add_path_arguments
from simulation.cli.hr_reading import add_hr_arguments, hr_columns
from simulation.cli.names import add_role_arguments, roles_from_args
from simulation.cli.progress import progress_bar
from simulation.org.hr_options import options_of
from simulation.org.source import FILE_KEYS, run_command


def register(subparsers) -> None:
    """Add ``esnsim optimise`` to the top-level parser's sub-commands."""
    p = subparsers.add_parser(
        "optimise",
        help="the best plan for a budget: a multi-objective search (Optuna) of cost "
        "against sustained weekly active over the levers a search file declares; writes the "
        "front and three plans to look at as runnable scenarios",
    )
    p.add_argument("scenario", help="the base plan: a scenario YAML file or a shipped name")
    p.add_argument(
        "--search", required=True,
        help="search file: the levers that may change (interventions.<type>.<field> ranges, "
        "interventions.<type>: {values: [on, off]}), the objective and an optional target",
    )  # fmt: skip
    p.add_argument(
        "--budget", type=float, required=True,
        help="the budget over the run, in the plan's currency (costs.currency)",
    )  # fmt: skip
    p.add_argument(
        "--org",
        help="organisation: an HR export (CSV or .xlsx), dataset:NAME, edgelist:PATH or "
        "generate:size=N[,key=value...] (replaces the scenario's own)",
    )
    add_hr_arguments(p)  # --columns, --sheet, --encoding, --where, --orphans, --ties...
    add_path_arguments(p)
    add_role_arguments(p)
    p.add_argument("--trials", type=int, default=60, help="plans tried (default 60)")
    p.add_argument(
        "--replicates", type=int, default=10,
        help="runs per plan in the search, the same seeds for every plan (default 10)",
    )  # fmt: skip
    p.add_argument(
        "--check-replicates", type=int,
        help="runs per plan of the front's re-score on fresh seeds (default twice --replicates)",
    )  # fmt: skip
    p.add_argument(
        "--population", type=int,
        help="plans asked of the sampler at once and run together (NSGA-II's population, "
        "TPE's random start; default min(trials, 12))",
    )  # fmt: skip
    p.add_argument(
        "--sampler", choices=["tpe", "nsga2"], default="tpe",
        help="Optuna's multi-objective sampler: tpe (default) or nsga2",
    )  # fmt: skip
    p.add_argument("--seed", type=int, help="seed of the first replicate (default the scenario's)")
    p.add_argument("--days", type=int, help="days to simulate (overrides the scenario)")
    p.add_argument(
        "--workers", type=int, default=WORKERS, help=f"worker processes (default {WORKERS})"
    )
    p.add_argument(
        "--storage", metavar="FILE",
        help="a sqlite file holding the search (outside --out): run again with the same file "
        "and settings, an interrupted search resumes; default in memory",
    )  # fmt: skip
    p.add_argument("--out", help="output folder (default results/optimise-<scenario>/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    p.set_defaults(func=cmd_optimise)


def plan_yaml(result, pick: str, org_spec: str | None, columns: str | None, options=None) -> str:
    """The scenario YAML of a pick: the base plan with the pick's settings (``options``: the
    HR export's reading options, written into its ``organisation:``)."""
    from simulation.cli.champions import organisation_block

    k = result.picks[pick]
    base = result.space.base
    data = dict(result.mappings[k])
    data["name"] = f"{base.name}-{pick.replace('_', '-')}"
    row = result.front.loc[k]
    data["description"] = (
        f"esnsim optimise's {pick.replace('_', ' ')} for {base.name}: "
        f"{result.space.objective} {row['outcome']:.3f} [{row['outcome_low']:.3f}, "
        f"{row['outcome_high']:.3f}] for {row['cost']:,.0f} {base.costs.currency} "
        f"(budget {result.budget:,.0f})."
    )
    block = organisation_block(org_spec, columns, options=options)
    if block is not None:
        data["organisation"] = block
    elif isinstance(data.get("organisation"), dict):
        organisation = dict(data["organisation"])
        for key in FILE_KEYS:  # the base's own files, relative to the base's folder
            value = organisation.get(key)
            if isinstance(value, str) and value and not Path(value).is_absolute():
                organisation[key] = str((base.base_dir / value).resolve())
        data["organisation"] = organisation
    run = run_command(f"{pick}.yaml", data.get("organisation"))
    head = f"# {pick.replace('_', ' ')} found by esnsim optimise; run with: {run}\n"
    return head + dump_scenario(data)


def cmd_optimise(args) -> int:
    from simulation.base.limits import check_count
    from simulation.base.outputs import (
        check_out,
        manifest,
        safe_folder_name,
        write_atomically,
        write_json,
    )
    from simulation.experiments.optimise_plans import PlanOptimiser
    from simulation.experiments.plan_front import PICKS
    from simulation.experiments.plan_search import SearchSpace
    from simulation.experiments.sim import resolve_org, resolve_scenario
    from simulation.experiments.sweep.evaluators import default_evaluator
    from simulation.metrics.value import check_budget
    from simulation.report.optimise_report import pick_lines, render

    for name in ("trials", "check_replicates", "population"):
        value = getattr(args, name)
        if value is not None:
            check_count(
                name.replace("_", "-"),
                value,
                100_000,
                minimum=2 if name != "check_replicates" else 1,
            )
    budget = check_budget(args.budget)
    base = resolve_scenario(args.scenario).with_overrides(days=args.days, seed=args.seed)
    space = SearchSpace.load(args.search, base)
    columns = hr_columns(args)  # the mapping carrying --sheet, --where, --ties...
    org = resolve_org(args.org, base, columns=columns)
    name = safe_folder_name(f"optimise-{base.name}")
    out = check_out(Path(args.out) if args.out else Path("results") / name)
    if args.storage is not None:
        storage = Path(args.storage).absolute()
        if storage.is_dir():
            raise InputError(f"--storage {args.storage}: is a folder (give a file, e.g. search.db)")
        if out.absolute() in storage.parents:
            raise InputError(
                f"--storage {args.storage}: must be outside --out {out} (the results folder "
                "is replaced whole when the search ends)"
            )
    with default_evaluator(max(1, args.workers)) as evaluator:
        optimiser = PlanOptimiser(
            space, org, budget, trials=args.trials, replicates=args.replicates,
            check_replicates=args.check_replicates, population=args.population,
            seed=args.seed, evaluator=evaluator, roles=roles_from_args(args),
            method=args.sampler, storage=args.storage,
        )  # fmt: skip
        bar = progress_bar("optimise", args.quiet, unit="plan")  # the plans run
        if bar is not None:
            optimiser.progress = bar.update
        try:
            result = optimiser.run()
        finally:
            if bar is not None:
                bar.close()
    html, figure = render(result)

    def text(content):
        def write(path: Path) -> None:
            path.parent.mkdir(parents=True, exist_ok=True)  # plans/
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

        return write

    def csv(frame):
        return lambda path: frame.to_csv(path, index=False)

    writers = {
        "report.html": text(html),
        "front.png": text(figure),
        "front.csv": csv(result.front),
        "trials.csv": csv(result.trials),
    }
    for pick in PICKS:
        if result.picks.get(pick) is not None:
            writers[f"plans/{pick}.yaml"] = text(
                plan_yaml(result, pick, args.org, args.columns, options_of(columns))
            )
    record = manifest(
        scenario=base.name,
        search=str(args.search),
        organisation={"name": org.name, "size": org.size, "spec": args.org},
        budget=budget,
        objective=space.objective,
        target=result.target_text,
        trials=args.trials,
        sampler=args.sampler,
        seeds=result.seeds,
        check_seeds=result.check_seeds,
        picks={
            k: (None if v is None else int(result.front.loc[v, "trial"]))
            for k, v in result.picks.items()
        },
        notes=result.notes,
        elapsed_seconds=round(result.elapsed, 1),
        runs=result.evaluations,
        runs_per_second=round(result.evaluations / result.elapsed, 2) if result.elapsed else None,
    )
    writers["manifest.json"] = write_json(record)
    paths = write_atomically(out, writers)
    if not args.quiet:
        print(f"Budget {budget:,.0f} {base.costs.currency}; target: {result.target_text}")
        for line in pick_lines(result):
            print(f"  {line}")
        for note in result.notes[:5]:
            print(f"note: {note}")
        print(
            f"\n{len(result.trials)} plans tried, {len(result.front)} re-scored; "
            f"{result.evaluations:,} runs in {result.elapsed:,.0f} s. {out}/report.html "
            f"({len(paths)} files)"
        )
    return 0
