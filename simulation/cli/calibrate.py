"""``esnsim calibrate``: fit a scenario to an observed history, then forecast.

    esnsim calibrate SCENARIO --observed FILE [--org ORG] [--columns ...] [--sheet ...]
        [--where ...] [--orphans ...] [--ties ...] [--fit PATH=LOW:HIGH[:log]]...
        [--fix PATH=VALUE]... [--null PATH=VALUE]... [--population N] [--period-days D]
        [--launch-date YYYY-MM-DD] [--holidays DATES|COUNTRY] [--loss rmse|binomial|hazard]
        [--target EXPR]... --out DIR

Writes ``fit.json``, ``best_fit.yaml``, ``fit.parquet``, ``forecast.parquet``,
``calibration.png`` and ``calibration.html`` under ``--out`` (default
``results/calibrate-<scenario>/``); bad input is one line and exit status 2, nothing written.
"""

from __future__ import annotations

import argparse
import math
import warnings
from pathlib import Path

from simulation.cli.hr_reading import add_hr_arguments, hr_columns


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
    p.add_argument(
        "--org",
        help="organisation (HR export CSV or .xlsx, dataset:NAME, generate:..., edgelist:...)",
    )
    add_hr_arguments(p)  # --columns, --sheet, --encoding, --where, --root-marker, --orphans, --ties
    p.add_argument(
        "--fit", action="append", default=[],
        help="PATH=LOW:HIGH[:log], repeatable; or auto: a screening ranks the model's "
        "parameters by how much they move the observed series and fits those the data identify",
    )  # fmt: skip
    p.add_argument("--fix", action="append", default=[], help="PATH=VALUE, repeatable")
    p.add_argument(
        "--null", action="append", default=[],
        help="PATH=VALUE of the nested model to test (default adoption.q=0 when it is fitted)",
    )  # fmt: skip
    p.add_argument(
        "--population", type=int,
        help="head-count (people) the observed counts are shares of; default the export's "
        "membership column, else the organisation's size (the output says which)",
    )  # fmt: skip
    p.add_argument(
        "--holidays",
        help="days to leave out of the fit and the band coverage: dates YYYY-MM-DD and/or a "
        "country's public holidays (DE, GB, US-CA...), comma-separated",
    )
    p.add_argument(
        "--fit-until",
        help="fit the observations up to this day (a day number or a date YYYY-MM-DD) and hold "
        "out the later ones: the forecast is checked on them (share of days inside its 90 %% "
        "band, mean error), printed and written to fit.json and holdout.parquet",
    )
    p.add_argument(
        "--membership-after",
        choices=["trend", "flat"],
        default="trend",
        help="a Slack export's membership after its last fitted day: growing at its pace of "
        "the last 8 weeks (trend, default) or held (flat)",
    )
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

    launch = check_options(args)
    columns = hr_columns(args)  # the mapping carrying the HR export's reading options
    scenario = resolve_scenario(args.scenario)
    default = Path("results") / safe_folder_name(f"calibrate-{scenario.name}")
    out = check_out(Path(args.out) if args.out else default)  # before reading anything heavy
    settings = Settings(
        evaluations=args.evaluations, final_replicates=args.replicates,
        replicates=max(4, args.replicates // 3), bootstrap=args.bootstrap,
        forecast_sets=max(1, args.bootstrap), seed=args.seed,
    )  # fmt: skip
    # every warning once, one line, through text(): none as a raw Python warning
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cal = calibrate(
            scenario, args.observed, org=args.org, fit=args.fit, fix=args.fix,
            null=args.null or None, loss=args.loss, population=args.population,
            period_days=args.period_days, launch=launch, targets=args.target,
            days=args.days, settings=settings, columns=columns, holidays=args.holidays,
            fit_until=args.fit_until, membership_after=args.membership_after,
        )  # fmt: skip
    for message in dict.fromkeys(str(w.message).splitlines()[0] for w in caught):
        if message not in cal.warnings:
            cal.warnings.append(message)
    paths = cal.save(out)
    if not args.quiet:
        print(text(cal))
        for path in paths:
            print(f"  {path}")
    return 0


def _g(value) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:.4g}"


def text(cal) -> str:
    """The printed answer: a poor fit's verdict first; the fields chosen by ``--fit auto``;
    each field's optimum and bias-corrected value side by side with its interval and flags;
    the test, the targets, the warnings (each once, one line) and the verdict last."""
    verdict = cal.verdict
    lines = [verdict.headline] if verdict is not None and verdict.grade == "poor" else []
    lines += cal.observed.lines()  # the head-count the shares are of, the days left out
    if cal.screen is not None:
        lines += ["--fit auto chose:", *(f"  {r}" for r in cal.screen.lines())]
    from simulation.analysis.intervals import interval_level

    level = interval_level(len(cal.bootstrap))
    header = f"{100 * level:.0f} % interval" if math.isfinite(level) else "interval"
    lines.append(f"{'parameter':30s} {'optimum':>10s} {'corrected':>10s}  {header:>21s}  flags")
    for row in cal.summary().to_dict("records"):
        interval = f"[{_g(row['low'])}, {_g(row['high'])}]"
        lines.append(
            f"{row['parameter']:30s} {_g(row['optimum']):>10s} {_g(row['value']):>10s}  "
            f"{interval:>21s}  {row['flags']}".rstrip()
        )
    lines.append(f"loss {cal.loss}: {cal.fit.loss:.4g}")
    if cal.information:
        info = cal.information
        lines.append(
            f"log-likelihood {info['log_likelihood']:.2f}, AIC {info['aic']:.1f}, BIC {info['bic']:.1f}"
        )
    if cal.null:
        fixed = ", ".join(f"{k}={v:g}" for k, v in cal.null["fixed"].items())
        verdict_null = "rejected" if cal.null["rejected_at_5pct"] else "not rejected"
        lines.append(f"test of {fixed}: p = {cal.null['p_value']:.3f} ({verdict_null} at 5 %)")
    for a, b, r in cal.trade_offs:
        lines.append(
            f"{a} and {b} trade off (correlation of the bootstrap refits {r:+.2f}): "
            "the data fix their combination, not each"
        )
    for row in cal.targets.to_dict("records"):
        lines.append(
            f"P({row['target']}) = {row['probability']:.0%} [{row['low']:.0%}, {row['high']:.0%}]"
        )
    lines += [f"warning: {w}" for w in dict.fromkeys(cal.warnings)]
    if cal.holdout is not None:
        lines += cal.holdout.lines()
    if verdict is not None:  # a poor fit's headline is already the first line
        head = "verdict: poor (first line)" if verdict.grade == "poor" else verdict.headline
        lines += [head if head.startswith("verdict") else "verdict: " + head,
                  *verdict.lines()[1:]]  # fmt: skip
    return "\n".join(lines)
