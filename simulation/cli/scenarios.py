"""``esnsim scenario list``: the shipped scenarios, by name, with their descriptions."""

from __future__ import annotations

import argparse


def cmd_scenario_list(args) -> int:
    from simulation.plan.shipped import describe, scenario_dir

    rows = describe()
    width = max((len(name) for name, _ in rows), default=4)
    for name, description in rows:
        print(f"{name:{width}s}  {description}")
    print(f"\n{len(rows)} scenarios in {scenario_dir()}; run one by name: esnsim run NAME")
    return 0


def add_list_parser(scenario_sub: argparse._SubParsersAction) -> None:
    """Add ``list`` to the ``esnsim scenario`` sub-commands."""
    listing = scenario_sub.add_parser(
        "list", help="list the shipped scenarios (name and description), runnable by name"
    )
    listing.set_defaults(func=cmd_scenario_list)
