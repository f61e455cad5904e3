"""``esnsim calibrate``: fit a scenario to an observed history, then forecast.

    esnsim calibrate SCENARIO --observed FILE [--org ORG] [--fit PATH=LOW:HIGH[:log]]...
        [--fix PATH=VALUE]... [--null PATH=VALUE]... [--population N] [--period-days D]
        [--launch-date YYYY-MM-DD] [--loss rmse|binomial|hazard] [--target EXPR]... --out DIR

Writes ``fit.json``, ``best_fit.yaml``, ``fit.parquet``, ``forecast.parquet``,
``calibration.png`` and ``calibration.html`` under ``--out`` (default
``results/calibrate-<scenario>/``); bad input is one line and exit status 2, nothing written.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers) -> None:
    """Add the ``calibrate`` command to the ``esnsim`` parser."""
    p = subparsers.add_parser(
        "calibrate",
        help="fit scenario fields to an observed series, Viva Engage export or adoption times; "
        "writes fit.json, best_fit.yaml, fit.parquet, forecast.parquet, calibration.png",
    )
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument(
        "--observed", required=True, help="observed CSV (series, export, adoption times)"
    )
    p.add_argument("--org", help="organisation (HR CSV, dataset:NAME, generate:..., edgelist:...)")
    p.add_argument("--columns", help="column names of the organisation's file, e.g. employee_id=id")
    p.add_argument("--fit", action="append", default=[], help="PATH=LOW:HIGH[:log], repeatable")
    p.add_argument("--fix", action="append", default=[], help="PATH=VALUE, repeatable")
    p.add_argument(
        "--null", action="append", default=[],
        help="PATH=VALUE of the nested model to test (default adoption.q=0 when it is fitted)",
    )  # fmt: skip
    p.add_argument("--population", type=int, help="head-count behind observed counts")
    p.add_argument("--period-days", type=int, default=1, help="days per period of adoption times")
    p.add_argument("--launch-date", help="the date of day 0 (default the first observed date)")
    p.add_argument("--loss", choices=["rmse", "binomial", "hazard"], help="default: by the data")
    p.add_argument("--target", action="append", help="a target such as 'wau>=0.4@180'")
    p.add_argument("--days", type=int, help="end of the forecast (default the scenario's days)")
    p.add_argument(
        "--bootstrap", type=int, default=20, help="bootstrap histories, 2 to 1,000 (default 20)"
    )
    p.add_argument("--evaluations", type=int, default=40, help="optimiser budget (default 40)")
    p.add_argument("--replicates", type=int, default=24, help="replicates near the optimum (24)")
    p.add_argument("--seed", type=int, default=0, help="seed of the fit's first replicate")
    p.add_argument("--out", help="output folder (default results/calibrate-<scenario>/)")
    p.add_argument("--quiet", action="store_true", help="no table")
    p.set_defaults(func=cmd_calibrate)


#: bounds of the budget options (name, lowest, highest): a bootstrap interval needs 2 refits
_BOUNDS = {
    "bootstrap": (2, 1_000),
    "evaluations": (1, 10_000),
    "replicates": (1, 10_000),
    "period_days": (1, 30_000),
    "population": (1, 10**10),
    "days": (1, 30_000),
}
#: the seeds a calibration uses above ``--seed`` (the forecast's start at 200,000)
_SEED_SPAN = 1_000_000


def check_options(args: argparse.Namespace):
    """Refuse bad option values at once, in one line naming the flag; the launch date."""
    from datetime import date

    from simulation.base.errors import InputError
    from simulation.base.limits import check_count, check_seed

    for name, (low, high) in _BOUNDS.items():
        value = getattr(args, name)
        if value is not None:
            check_count(name.replace("_", "-"), value, high, minimum=low)
    check_seed(args.seed, _SEED_SPAN)
    if args.launch_date is None:
        return None
    try:
        return date.fromisoformat(args.launch_date)
    except ValueError as error:
        raise InputError(
            f"--launch-date {args.launch_date[:40]!r}: not a date (YYYY-MM-DD): {error}"
        ) from None


def cmd_calibrate(args: argparse.Namespace) -> int:
    from simulation.analysis.calibrate import Settings, calibrate
    from simulation.base.outputs import check_out, safe_folder_name
    from simulation.experiments.sim import resolve_scenario
    from simulation.org import parse_columns

    launch = check_options(args)
    columns = parse_columns(args.columns) if args.columns else None
    scenario = resolve_scenario(args.scenario)
    default = Path("results") / safe_folder_name(f"calibrate-{scenario.name}")
    out = check_out(Path(args.out) if args.out else default)  # before reading anything heavy
    settings = Settings(
        evaluations=args.evaluations, final_replicates=args.replicates,
        replicates=max(4, args.replicates // 3), bootstrap=args.bootstrap,
        forecast_sets=max(1, args.bootstrap), seed=args.seed,
    )  # fmt: skip
    cal = calibrate(
        scenario, args.observed, org=args.org, fit=args.fit, fix=args.fix,
        null=args.null or None, loss=args.loss, population=args.population,
        period_days=args.period_days, launch=launch, targets=args.target,
        days=args.days, settings=settings, columns=columns,
    )  # fmt: skip
    paths = cal.save(out)
    if not args.quiet:
        print(text(cal))
        for path in paths:
            print(f"  {path}")
    return 0


def text(cal) -> str:
    """The printed answer: parameters with intervals, the test, the targets."""
    lines = [f"{'parameter':32s} {'best fit':>10s}  {'90 % interval':>23s}"]
    for row in cal.summary().to_dict("records"):
        interval = f"[{row['low']:.4g}, {row['high']:.4g}]"
        lines.append(f"{row['parameter']:32s} {row['value']:>10.4g}  {interval:>23s}")
    lines.append(f"loss {cal.loss}: {cal.fit.loss:.4g}")
    if cal.information:
        info = cal.information
        lines.append(
            f"log-likelihood {info['log_likelihood']:.2f}, AIC {info['aic']:.1f}, BIC {info['bic']:.1f}"
        )
    if cal.null:
        fixed = ", ".join(f"{k}={v:g}" for k, v in cal.null["fixed"].items())
        verdict = "rejected" if cal.null["rejected_at_5pct"] else "not rejected"
        lines.append(f"test of {fixed}: p = {cal.null['p_value']:.3f} ({verdict} at 5 %)")
    for row in cal.targets.to_dict("records"):
        lines.append(
            f"P({row['target']}) = {row['probability']:.0%} [{row['low']:.0%}, {row['high']:.0%}]"
        )
    lines += [f"warning: {w}" for w in cal.warnings]
    return "\n".join(lines)
