"""The HR export's reading options on the command line, shared by every command that reads one.

``--columns`` (with value mappings such as ``frontline=Employee Class=Hourly Employee``),
``--sheet``, ``--encoding``, ``--where``, ``--root-marker``, ``--orphans`` and ``--ties``
(docs/how-to/hr-export.md): :func:`add_hr_arguments` adds them to a parser and
:func:`hr_columns` turns the parsed flags into the column mapping that carries them, for
:func:`simulation.org.load_org`. ``run``, ``compare``, ``org inspect``, ``champions``, ``optimise``,
``scenario check`` and ``calibrate`` all use these two, so that the flags read the same everywhere.
"""

from __future__ import annotations

import argparse

from simulation.org import parse_columns
from simulation.org.hr_options import HrColumns, HrOptions


def add_hr_arguments(parser: argparse.ArgumentParser) -> None:
    """How to read an HR export as it comes (docs/how-to/hr-export.md)."""
    parser.add_argument(
        "--columns",
        action="append",
        help="HR export header names, e.g. employee_id=Worker_ID,manager_id=Manager_ID (quote a "
        "header holding a comma: 'manager_id=\"Manager (No., primary)\"'; repeatable, merged); "
        "frontline may name a column and its values: 'frontline=Employee Class=Hourly Employee'",
    )
    parser.add_argument("--sheet", help="the sheet of an .xlsx HR export (default: the first)")
    parser.add_argument(
        "--encoding", help="an HR CSV's encoding when not UTF-8 or UTF-16, e.g. cp1252"
    )
    parser.add_argument(
        "--where",
        action="append",
        metavar="COLUMN=VALUE",
        help="keep only these rows of the HR export, e.g. 'Status=Active' (values A|B; "
        "COLUMN!=VALUE leaves rows out); repeatable, all must hold",
    )
    parser.add_argument(
        "--root-marker",
        action="append",
        metavar="VALUE",
        help="a manager value meaning 'no manager' (NO_MANAGER, 0, N/A, empty and the "
        "person's own id are known); repeatable",
    )
    parser.add_argument(
        "--orphans",
        choices=("error", "roots", "drop"),
        help="people whose manager is not in the HR export: error (default), roots (they head "
        "their own trees) or drop (left out with their teams)",
    )
    parser.add_argument(
        "--ties", help="observed informal ties for the HR export: an edge list source,target"
    )


def hr_columns(args: argparse.Namespace) -> dict | None:
    """The column mapping of the parsed flags, carrying the reading options when any is given
    (an :class:`HrColumns`), a plain ``dict`` when only ``--columns`` is, else None.

    Raises :class:`simulation.base.errors.OrgDataError` (one line) on a bad option value.
    """
    mapping = parse_columns(args.columns) if getattr(args, "columns", None) else None
    options = HrOptions(
        sheet=getattr(args, "sheet", None),
        encoding=getattr(args, "encoding", None),
        where=tuple(getattr(args, "where", None) or ()),
        root_marker=tuple(getattr(args, "root_marker", None) or ()),
        orphans=getattr(args, "orphans", None),
        ties=getattr(args, "ties", None),
    )
    return HrColumns(mapping, options) if options else mapping
