"""``esnsim champions``: the K people to seed for the most sustained weekly active, lapse on.

::

    esnsim champions SCENARIO --budget K [--org ORG] [--replicates R] [--check-replicates R2]
        [--curve-replicates R3] [--seed S] [--workers W] [--recheck N] [--swap-rounds N]
        [--candidates N] [--curve-max N] [--days D]
        [--out DIR] [--quiet]

Writes ``champions.csv`` (the client's employee ids, with why), ``champions.yaml`` (the plan
seeding them, runnable with ``esnsim run``), ``curve.csv`` and ``curve.png`` (the outcome against
the number seeded), ``comparison.csv`` (paired differences against the heuristics) and
``manifest.json`` under ``--out`` (default ``results/champions-<scenario>/``). Bad input (an
unknown scenario, K = 0 or larger than the organisation) is one line, exit status 2, nothing
written.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from simulation.base.defaults import WORKERS
from simulation.base.yaml_dump import dump_scenario
from simulation.cli.hr_reading import hr_columns
from simulation.cli.names import add_org_arguments, roles_from_args
from simulation.cli.progress import progress_bar
from simulation.org.hr_options import options_of


def register(subparsers) -> None:
    """Add ``esnsim champions`` to the top-level parser's sub-commands."""
    p = subparsers.add_parser(
        "champions",
        help="choose K people to seed (champions) for the most sustained weekly active with "
        "lapse on: a lazy-greedy search, compared with the heuristics; writes champions.csv "
        "and a scenario seeding them",
    )
    p.add_argument("scenario", help="scenario YAML file or a shipped scenario's name")
    p.add_argument(
        "--budget", type=int, required=True, help="champions to choose (K), 1 to the head-count"
    )
    # --org with the HR export's reading options (--columns, --ties...), as esnsim run has them
    add_org_arguments(p)
    p.add_argument(
        "--replicates", type=int, default=20,
        help="runs per candidate set in the search, the same seeds for every set (default 20)",
    )  # fmt: skip
    p.add_argument(
        "--check-replicates", type=int,
        help="runs per set of the check on fresh seeds at the budget, where the searched "
        "champions are compared with the heuristics (default 300: a 90 %% interval of about "
        "+-0.15 points on a 2,000-person organisation)",
    )  # fmt: skip
    p.add_argument(
        "--curve-replicates", type=int,
        help="runs per set at the curve's other points (default twice --replicates)",
    )  # fmt: skip
    p.add_argument("--seed", type=int, help="seed of the first replicate (default the scenario's)")
    p.add_argument("--days", type=int, help="days to simulate (overrides the scenario)")
    p.add_argument(
        "--workers", type=int, default=WORKERS, help=f"worker processes (default {WORKERS})"
    )
    p.add_argument(
        "--recheck", type=int, default=3,
        help="entries at the top of the search's queue re-evaluated each round (default 3)",
    )  # fmt: skip
    p.add_argument(
        "--swap-rounds", type=int, default=3,
        help="rounds of swaps after the greedy search, from the best of the greedy and the "
        "heuristics' sets: each screens the sets one swap away and keeps the best only if "
        "clearly better on fresh seeds (default 3; 0: none)",
    )  # fmt: skip
    p.add_argument(
        "--candidates", type=int,
        help="candidates taken by each cheap score (degree, betweenness, managers; default "
        "max(10, 2 x budget)), besides the best of each department and community",
    )  # fmt: skip
    p.add_argument(
        "--curve-max", type=int,
        help="most people seeded on the curve of the outcome against K for every method "
        "(default 4 x budget); above it a coarse tail of top degree and random people goes on "
        "to 1, 2, 5, 10, 25, 50 and 100 %% of the head-count, where over-seeding would show",
    )  # fmt: skip
    p.add_argument("--out", help="output folder (default results/champions-<scenario>/)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    p.set_defaults(func=cmd_champions)


def cmd_champions(args) -> int:
    from simulation.base.limits import check_count
    from simulation.base.outputs import check_out, safe_folder_name
    from simulation.experiments.champions.run import GENERATED_TIES, ChampionSearch
    from simulation.experiments.sweep.evaluators import default_evaluator

    for name in (
        "check_replicates", "curve_replicates", "recheck", "candidates", "curve_max",
        "swap_rounds",
    ):  # fmt: skip
        value = getattr(args, name)
        if value is not None:
            low = 0 if name == "swap_rounds" else 1
            check_count(name.replace("_", "-"), value, 1_000_000, minimum=low)
    if args.out:
        check_out(args.out)
    with default_evaluator(max(1, args.workers)) as evaluator:
        search = ChampionSearch(
            args.scenario, org=args.org, budget=args.budget, replicates=args.replicates,
            check_replicates=args.check_replicates, curve_replicates=args.curve_replicates,
            seed=args.seed, recheck=args.recheck,
            swap_rounds=args.swap_rounds,
            per_score=args.candidates, curve_max=args.curve_max, evaluator=evaluator,
            columns=hr_columns(args), roles=roles_from_args(args), days=args.days,
        )  # fmt: skip
        if search.tree_only:
            print(GENERATED_TIES, flush=True)  # the first line, before any work
        name = safe_folder_name(f"champions-{search.scenario.name}")
        out = check_out(Path(args.out) if args.out else Path("results") / name)
        bar = progress_bar("champions", args.quiet, unit="set")  # the sets scored
        if bar is not None:
            search.progress = bar.update
            ids = search.org.ids
            search.on_step = lambda step: bar.set_postfix_str(f"chose {ids[step.person]}")
        try:
            result = search.run()
        finally:
            if bar is not None:
                bar.close()
    reading = options_of(hr_columns(args))  # --sheet, --where... for champions.yaml
    paths = save(result, out, args.org, args.columns, args.ties, reading)
    if not args.quiet:
        from simulation.experiments.champions.text import search_text

        text = search_text(result)
        if result.tree_only:  # already said on the first line
            text = text.split("\n", 1)[1]
        print(text)
        for path in paths:
            print(f"  {path}")
    return 0


def organisation_block(
    org_spec: str | None, columns: str | None, ties: str | None = None, options=None
) -> dict | None:
    """The scenario's ``organisation:`` for an ``--org`` value (None: keep the scenario's);
    ``options`` (:class:`~simulation.org.hr_options.HrOptions`) adds the HR export's reading
    options (``--sheet``, ``--where``, ``--orphans``...), so the plan reads the same people."""
    if not org_spec:
        return None
    kind, sep, rest = org_spec.strip().partition(":")
    kind = kind.strip().lower() if sep else ""
    if kind == "dataset":
        return {"dataset": rest.strip()}
    if kind == "generate":
        settings = {}
        for item in filter(None, (part.strip() for part in rest.split(","))):
            key, _, value = item.partition("=")
            settings[key.strip()] = yaml.safe_load(value.strip())
        return {"generate": settings}
    if kind == "edgelist":
        target, _, more = rest.partition(",")
        block = {"edgelist": str(Path(target.strip()).resolve())}
        key, _, value = more.partition("=")
        if key.strip() == "attributes":
            block["attributes"] = str(Path(value.strip()).resolve())
        return block
    block = {"hr_csv": str(Path(org_spec.strip()).resolve())}
    if ties:
        block["ties"] = str(Path(ties).resolve())
    if columns:
        from simulation.org import parse_columns

        block["columns"] = parse_columns(columns)
    for key, value in (options.keywords() if options else {}).items():
        if key == "ties":
            block.setdefault("ties", str(Path(value).resolve()))
        else:
            block[key] = value
    return block


def champions_yaml(
    result, org_spec: str | None, columns: str | None, ties=None, options=None
) -> str:
    """The plan seeding the champions: the scenario with its seeding rollouts replaced."""
    from simulation.experiments.champions.evaluate import split_rollout
    from simulation.org.source import run_command

    data = result.scenario.model_dump(mode="json", exclude_none=True)
    kept, day = split_rollout(result.scenario)
    phases = [p.model_dump(mode="json", exclude_none=True) for p in kept]
    phases.append({"strategy": "champions", "start_day": day, "ids": result.ids})
    data["rollout"] = phases if len(phases) > 1 else phases[0]
    data["name"] = f"{result.scenario.name}-champions"
    data["description"] = (
        f"The {result.budget} champions chosen by esnsim champions for {result.scenario.name} "
        f"on {result.org.name} (sustained weekly active, lapse on) register on day {day}."
    )
    block = organisation_block(org_spec, columns, ties, options)
    if block is not None:
        data["organisation"] = block
    head = (
        f"# {result.budget} champions chosen by esnsim champions (seeds {result.seeds[0]}-"
        f"{result.seeds[-1]}); run with: {run_command('champions.yaml', block)}\n"
    )
    return head + dump_scenario(data)


def save(result, out: Path, org_spec=None, columns=None, ties=None, options=None) -> list:
    """Write the outputs (module docstring) atomically; returns their paths."""
    import matplotlib.pyplot as plt

    from simulation.base.outputs import manifest, write_atomically, write_figure, write_json
    from simulation.report.champions_plot import curve_figure

    def csv(frame):
        return lambda path: frame.to_csv(path, index=False)

    text = champions_yaml(result, org_spec, columns, ties, options)
    figure = curve_figure(result)
    search = result.search
    record = manifest(
        scenario=result.scenario.name,
        organisation={"name": result.org.name, "size": result.org.size, "spec": org_spec},
        budget=result.budget,
        champions=result.ids,
        tree_only=result.tree_only,
        notes=result.notes,
        seeds=result.seeds,
        check_seeds=result.check_seeds,
        curve_replicates=result.curve_replicates,
        greedy_steps=[vars(step) for step in search.steps],
        swaps={
            "started_from": result.refinement.start,
            "start_values": result.refinement.start_values,
            "screens": [vars(screen) for screen in result.refinement.screens],
            "kept": [
                {"out": str(result.org.ids[a]), "in": str(result.org.ids[b]), "gain": g}
                for a, b, g in result.refinement.swaps
            ],
        },
        pool_size=search.pool_size,
        evaluations=result.evaluations,
        search_seconds=result.search_seconds,
        seconds=result.seconds,
        evaluations_per_second=result.evaluations_per_second,
        turning_points=result.turning,
    )
    writers = {
        "champions.csv": csv(result.people),
        "champions.yaml": lambda path: path.write_text(text, encoding="utf-8"),
        "curve.csv": csv(result.curve),
        "comparison.csv": csv(result.comparison),
        "curve.png": write_figure(figure),
        "manifest.json": write_json(record),
    }
    try:
        return write_atomically(out, writers)
    finally:
        plt.close(figure)
