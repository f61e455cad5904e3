"""The command line's roles and name checks: ``--departments``, ``--sites``, ``scenario check``.

``esnsim run/compare/scenario check ... --departments open_to_social=Sales,Marketing,IT
--sites headquarters=Zürich`` say what a plan's roles stand for on the organisation;
``esnsim scenario check FILE... --org ORG`` checks every name of every file against it without
running anything, and prints what each role resolved to.
"""

from __future__ import annotations

import argparse

from simulation.cli.guard import add_path_arguments
from simulation.cli.hr_reading import add_hr_arguments, hr_columns
from simulation.org.roles import KINDS, parse_role_options


def one_line_warnings() -> None:
    """Show the library's input warnings as ``esnsim: warning: ...``, one line on stderr."""
    import sys
    import warnings

    from simulation.org.hr_csv import OrgDataWarning

    default = warnings.showwarning
    if getattr(default, "one_line", False):
        return

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, OrgDataWarning):
            print(f"esnsim: warning: {message}", file=sys.stderr)
        else:
            default(message, category, filename, lineno, file, line)

    show.one_line = True
    warnings.showwarning = show


def add_role_arguments(parser: argparse.ArgumentParser) -> None:
    """``--departments ROLE=NAME,...`` and ``--sites ROLE=NAME,...`` (each repeatable)."""
    for kind, example in (
        ("departments", "open_to_social=Sales,Marketing,IT"),
        ("sites", "headquarters=Zürich"),
        ("levels", "top=0,1"),
    ):
        parser.add_argument(
            f"--{kind}",
            action="append",
            metavar="ROLE=NAME,...",
            help=f"what a role of the plan stands for on the organisation, e.g. {example} "
            "(repeatable; before the scenario's roles:, the roles file and the heuristic)",
        )


def roles_from_args(args: argparse.Namespace) -> dict | None:
    """The role mappings given on the command line, ``{kind: {role: [names]}}``, or None."""
    roles = {kind: parse_role_options(getattr(args, kind, None), kind) for kind in KINDS}
    roles = {kind: mapping for kind, mapping in roles.items() if mapping}
    return roles or None


def describe_uses(scenario) -> list[str]:
    """One line per name field of a resolved plan that uses a role or a name not written
    exactly as the organisation writes it."""
    lines = []
    for use in scenario.name_uses:
        if not use.written or list(use.written) == list(use.resolved):
            continue
        how = f" ({'; '.join(use.how)})" if use.how else ""
        written = ", ".join(str(n) for n in use.written)
        resolved = ", ".join(str(n) for n in use.resolved)
        lines.append(f"  {use.path}: {written} -> {resolved}{how}")
    return lines


def print_uses(scenario) -> None:
    """Print what the plan's roles and inexact names resolved to, when there are any."""
    lines = describe_uses(scenario)
    if lines:
        print("\nnames and roles of the plan on this organisation:")
        print("\n".join(lines))


def cmd_scenario_check(args: argparse.Namespace) -> int:
    from simulation.experiments.sim import resolve_org
    from simulation.org import load_org
    from simulation.plan.names import resolve_names
    from simulation.plan.scenario import Scenario
    from simulation.plan.shipped import resolve_path

    columns = hr_columns(args)  # the column mapping carrying --sheet, --where, --ties...
    roles = roles_from_args(args)
    org = load_org(args.org, columns=columns) if args.org else None
    for path in args.files:
        scenario = Scenario.load(resolve_path(path))  # a file or a shipped scenario's name
        if org is None and scenario.organisation is None:
            print(f"{path}: ok ({scenario.name}); names not checked (give --org)")
            continue
        target = org if org is not None else resolve_org(None, scenario)
        resolved = resolve_names(scenario, target, roles)
        print(f"{path}: ok ({scenario.name}) on {target.name}")
        for line in describe_uses(resolved):
            print(line)
    return 0


def add_check_parser(subparsers) -> None:
    """``esnsim scenario check FILE... [--org ORG] [--columns ...] [--sheet ...] [--where ...]
    [--departments ...]``: the HR export's reading options as ``esnsim run`` has them."""
    check = subparsers.add_parser(
        "check",
        help="validate scenario files; with --org, check every name against the organisation",
    )
    check.add_argument("files", nargs="+", help="scenario files or shipped scenarios' names")
    check.add_argument(
        "--org",
        help="organisation to check names against: an HR export (CSV or .xlsx), dataset:NAME "
        "or generate:size=N[,key=value...] (default: each scenario's own, if it names one)",
    )
    add_hr_arguments(check)  # --columns, --sheet, --encoding, --where, --orphans, --ties...
    add_role_arguments(check)
    add_path_arguments(check)
    check.set_defaults(func=cmd_scenario_check)


def add_org_arguments(parser: argparse.ArgumentParser) -> None:
    """``--org``, the HR export's reading options, ``--allow-path`` and the role options."""
    parser.add_argument(
        "--org",
        help="organisation: an HR export (CSV or .xlsx), dataset:NAME or "
        "generate:size=N[,key=value...] (replaces the scenario's own)",
    )
    add_hr_arguments(parser)
    add_path_arguments(parser)
    add_role_arguments(parser)
