"""``esnsim datasets list`` and ``esnsim datasets fetch NAME``: the real networks' files.

``list`` prints each data set, where its files are (or how to get them), its source and its
citation; ``fetch NAME|all [--into DIR]`` downloads from the original public source.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def cmd_list(args) -> int:
    from simulation import datasets
    from simulation.datasets.sources import SOURCES

    for name in datasets.names():
        folder = datasets.find(name)
        where = str(folder) if folder else f"not here (esnsim datasets fetch {name})"
        print(f"{name:<14} {where}")
        print(f"{'':<14} source: {SOURCES[name].home}")
        print(f"{'':<14} cite: {datasets.citation(name)}")
    return 0


def cmd_fetch(args) -> int:
    from simulation import datasets
    from simulation.datasets.fetch import DatasetFetchError, fetch

    wanted = datasets.names() if args.name == "all" else [datasets.canonical(args.name)]
    for name in wanted:
        try:
            folder = fetch(name, into=Path(args.into) if args.into else None)
        except DatasetFetchError as error:
            print(f"esnsim: error: dataset:{name}: {error}", file=sys.stderr)
            return 1
        print(f"{name}: {folder}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``datasets list`` and ``datasets fetch`` to the ``esnsim`` command."""
    parser = subparsers.add_parser(
        "datasets", help="the real networks: where their files are, download them"
    )
    sub = parser.add_subparsers(dest="datasets_command", required=True)
    listing = sub.add_parser("list", help="each data set, where its files are, its citation")
    listing.set_defaults(func=cmd_list)
    fetch = sub.add_parser(
        "fetch", help="download a data set from its original public source (needs a network)"
    )
    fetch.add_argument("name", help="krackhardt, email_eu_core, lazega or all")
    fetch.add_argument(
        "--into", help="data folder to write into (default: $ESNSIM_DATA, else the user cache)"
    )
    fetch.set_defaults(func=cmd_fetch)
