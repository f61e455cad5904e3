"""An organisation from an HR export: one row per employee, with their manager.

Required columns ``employee_id`` and ``manager_id`` (empty for the top of the tree); optional
``department``, ``site``, ``frontline`` (true/false, yes/no, 1/0, y/n in any case; empty means
false) and ``level`` (integer, 0 = top; computed from the tree when absent). Any other column is
kept, as strings, in ``Organisation.attributes``. ``columns`` maps our names to other headers.

Every problem is an :class:`~simulation.base.errors.OrgDataError` with a one-line message naming the
file and the line (header = line 1) or the column.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.base.bounded_read import read_limited
from simulation.base.errors import OrgDataError
from simulation.org.edgelist import read_pairs, ties_from_pairs
from simulation.org.encoding import file_kind, refuse_binary
from simulation.org.footer import drop_footer, refuse_second_table
from simulation.org.headers import key
from simulation.org.levels import orient, parse_levels
from simulation.org.model import Organisation
from simulation.org.orphans import check_orphans, reporting_lines
from simulation.org.roles import read_roles_file
from simulation.org.table import (
    MAX_FILE_BYTES,
    duplicate_ids,
    people_from_table,
    read_table,
    resolve_columns,
)
from simulation.org.ties import build_informal_ties, check_tie_options, tie_rng
from simulation.org.values import apply_rule, rules_from_file, split_mapping
from simulation.org.where import header_of, kept_rows, parse_conditions, status_hint
from simulation.org.workbook import read_workbook

OPTIONAL = ("department", "site", "frontline", "level")
#: Optional columns worth a warning when a column mapping leaves them out.
WORTH_MAPPING = ("department", "site", "frontline")
#: Words in an export's headers that suggest our required columns (for the --columns example).
_HEADER_WORDS = {
    "manager_id": ("manager", "supervisor", "boss", "reports", "line"),
    "employee_id": ("worker", "employee", "person", "staff", "personnel", "id"),
}


class OrgDataWarning(UserWarning):
    """An HR export was read, but part of what it could say was not found."""


def columns_hint(headers: list[str], columns: dict | None = None) -> str:
    """``; map headers with --columns "employee_id=Worker ID,manager_id=Manager ID"``: an
    example built from the mapping given and the file's own headers where they suggest our
    names, quoted so that it works when pasted into a shell."""
    mapping = {k: str(v) for k, v in (columns or {}).items()}
    keys = {key(h): h for h in headers}
    guesses: dict[str, str] = {}
    for name, words in _HEADER_WORDS.items():
        if key(mapping.get(name, "")) in keys:  # mapped to a header the file has: keep it
            guesses[name] = keys[key(mapping[name])]
            continue
        for header in headers:
            lower = header.lower()
            if header not in guesses.values() and any(w in lower for w in words):
                guesses[name] = header
                break
    example = ",".join(
        f"{n}={_quoted(guesses.get(n, 'HEADER'))}" for n in ("employee_id", "manager_id")
    )
    shell = f"'{example}'" if '"' in example else f'"{example}"'
    return (
        f"; map headers with --columns {shell} (also department, site, frontline, level; "
        "in a scenario: organisation: {hr_csv: FILE, columns: {employee_id: HEADER}})"
    )


def _quoted(header: str) -> str:
    """A header as ``--columns`` reads it: in double quotes when it holds a comma."""
    return f'"{header}"' if "," in header else header


def from_hr_csv(
    path: str | Path,
    columns: dict[str, str] | None = None,
    ties: str | Path | None = None,
    seed: int = 0,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    where: list[str] | dict | None = None,
    root_marker: str | list[str] | None = None,
    orphans: str | None = None,
    **tie_options: float,
) -> Organisation:
    """Read an HR export: a CSV or an Excel workbook, as the client's HR system wrote it.

    Parameters
    ----------
    path : path
        A CSV (UTF-8 with or without BOM, UTF-16, or the ``encoding`` named; comma, semicolon or
        tab, sniffed from the header) or an ``.xlsx`` workbook (told by its content, whatever
        its name).
    columns : dict, optional
        Our names -> the export's headers, e.g. ``{"employee_id": "Worker_ID"}``. Names not
        mapped are looked up as themselves, case-insensitively. ``frontline`` may name a header
        and the values that mean frontline: ``{"frontline": "Employee Class=Hourly Employee"}``
        (:mod:`simulation.org.values`; also ``values:`` in ``<export>.roles.yaml``).
    ties : path, optional
        An edge list (see :func:`simulation.org.edgelist.from_edgelist`) keyed by employee_id.
        Without it, informal ties are generated on top of the real reporting tree.
    seed : int
        Seed of the generated ties (>= 0). The same file and seed give the same ties, and a
        generated organisation written with :func:`simulation.org.inspect.to_hr_csv` is read
        back identically with its seed.
    sheet : str, optional
        The workbook's sheet; default the only or first one.
    encoding : str, optional
        A CSV's encoding when not UTF-8 / UTF-16, e.g. ``cp1252`` (Excel's "CSV" on Windows).
    where : list of str, optional
        Rows kept: ``["Status=Active"]`` (:mod:`simulation.org.where`). People under a manager
        left out report to the nearest kept manager above.
    root_marker : str or list of str, optional
        Manager values meaning "no manager" beside the usual ones (:mod:`simulation.org.orphans`).
    orphans : str, optional
        People whose manager is not in the file: ``error`` (default), ``roots`` or ``drop``.
    **tie_options
        Options of :func:`simulation.org.ties.build_informal_ties` for generated ties.

    Returns
    -------
    Organisation
        Rows in file order; department and site names sorted ("unknown" when absent or empty);
        levels with 0 at the top (:mod:`simulation.org.levels`). What was read and how (the
        sheet, rows left out, markers, levels turned round) is in ``notes`` and shown as
        :class:`OrgDataWarning`.

    Raises
    ------
    OrgDataError
        A one-line message naming the file (and sheet), the line or row, and the column.
    """
    _check_types(columns, sheet=sheet, encoding=encoding, orphans=orphans)
    path = Path(path)
    wanted = tuple((columns or {}).get(name, name) for name in ("employee_id", "manager_id"))
    frame, label, notes = read_export(path, sheet, encoding, wanted)
    headers = list(frame.columns)
    plain, rules = split_mapping(columns, headers)
    rules += _file_rules(path)
    ruled = {rule.name for rule in rules}
    found = resolve_columns(
        frame,
        label,
        ("employee_id", "manager_id"),
        OPTIONAL,
        {k: v for k, v in plain.items() if k not in ruled},
        hint=columns_hint(headers, plain) + _sheet_hint(notes),
    )
    for name in ruled:
        found.pop(name, None)
    frame, footer = drop_footer(frame, label, found["employee_id"], found["manager_id"])
    refuse_second_table(frame, label, found["employee_id"], found["manager_id"])
    notes += [footer] if footer else []
    missing = [name for name in WORTH_MAPPING if name not in found and name not in ruled]
    if columns and missing:
        warnings.warn(
            OrgDataWarning(
                f"{label}: no {', '.join(missing)} column found (map with --columns "
                f"{','.join(f'{m}=HEADER' for m in missing)}); "
                f"{'everyone counts as not frontline' if 'frontline' in missing else ''}".rstrip(
                    "; "
                )
            ),
            stacklevel=2,
        )
    conditions = parse_conditions(where)
    kept = kept_rows(frame, label, conditions)
    used = set(found.values()) | {r.header for r in rules}
    used |= {header_of(frame, label, c.column, "--where") for c in conditions}
    hint = status_hint(frame, label, used)  # a status column nobody named
    if hint:
        notes.append(hint)
    if conditions:
        notes.append(
            f"{label}: {int(kept.sum()):,} of {len(frame):,} rows kept by --where "
            + " and ".join(repr(c.text) for c in conditions)
        )
    # only the rows kept are the organisation: a rehire's old row or a secondary position
    # that --where leaves out may repeat an id, or have none, without being an error
    duplicate_ids(frame[found["employee_id"]][kept], label, found["employee_id"])
    markers = tuple([root_marker] if isinstance(root_marker, str) else root_marker or ())
    keep, managers, line_notes = reporting_lines(
        frame, label, found["employee_id"], found["manager_id"], kept, markers,
        check_orphans(orphans),
    )  # fmt: skip
    notes += line_notes
    table = frame[keep].copy()
    table[found["manager_id"]] = managers
    level_header = found.pop("level", None)
    people = people_from_table(table, label, found)
    for rule in rules:
        header = header_of(table, label, rule.header, rule.where)
        people[rule.name] = apply_rule(table, label, rule, header)
    if level_header is not None:
        parsed = parse_levels(table[level_header], label, level_header)
        people["level"], level_notes = orient(
            parsed, people["manager"], label, level_header, table.index.to_numpy()
        )
        people["attributes"].pop(level_header, None)
        notes += level_notes
    if ties is None:
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise OrgDataError(f"seed: must be an integer >= 0, got {seed!r}")
        matrix = build_informal_ties(
            people["manager"],
            people["department"],
            people["site"],
            tie_rng(int(seed)),
            **check_tie_options(tie_options),
        )
    else:
        if tie_options:
            raise OrgDataError(
                f"{sorted(tie_options)[0]}: tie options apply to generated ties, not a ties file"
            )
        ties = Path(ties)
        matrix = ties_from_pairs(read_pairs(ties), ties, people["ids"], "the HR file")
    for note in notes:
        warnings.warn(OrgDataWarning(note), stacklevel=2)
    return Organisation(
        ties=matrix,
        name=path.stem,
        source=path,
        ties_origin="generated" if ties is None else "observed",
        notes=tuple(notes),
        **people,
    )


def _check_types(columns: object, **texts: object) -> None:
    """One-line errors for arguments of the wrong type from Python (the command line and
    scenarios give strings), instead of an AttributeError deep in the reader."""
    if columns is not None and not isinstance(columns, dict):
        raise OrgDataError(
            f"columns: expected a mapping such as {{'employee_id': 'Worker ID'}}, got "
            f"{type(columns).__name__} {str(columns)[:60]!r} (command-line text is read by "
            "simulation.org.parse_columns)"
        )
    for name, value in texts.items():
        if value is not None and not isinstance(value, str):
            raise OrgDataError(f"{name}: expected a string (a name), got {value!r}")


def read_export(
    path: Path, sheet: str | None = None, encoding: str | None = None, wanted: tuple = ()
) -> tuple[pd.DataFrame, str | Path, list[str]]:
    """The table of an export, its name in messages (``file`` or ``file[sheet]``) and notes
    (``wanted``: the headers that mark the header row when titles stand above it)."""
    head = read_limited(path, MAX_FILE_BYTES, OrgDataError)[:8]
    kind = file_kind(head)
    refuse_binary(kind, path)
    if kind == "xls":
        raise OrgDataError(
            f"{path}: an Excel 97-2003 workbook (.xls): save it as .xlsx or CSV (UTF-8)"
        )
    if kind == "xlsx":
        if encoding is not None:
            raise OrgDataError(f"{path}: --encoding applies to CSV text, not an Excel workbook")
        return read_workbook(path, sheet, wanted)
    if sheet is not None:
        raise OrgDataError(f"{path}: --sheet applies to an Excel workbook; this is CSV text")
    notes: list[str] = []
    return read_table(path, encoding, notes, wanted), path, notes


def _sheet_hint(notes: list[str]) -> str:
    """``; or choose the sheet with --sheet NAME`` when a workbook's first sheet was taken."""
    first = [n for n in notes if "sheets; choose another with --sheet" in n]
    return f"; {first[0].split(': ', 1)[1]}" if first else ""


def _file_rules(path: Path) -> list:
    """The ``values:`` of the mapping file beside the export (``<stem>.roles.yaml``)."""
    file = path.with_name(path.stem + ".roles.yaml")
    if not file.is_file():
        return []
    data, _ = read_roles_file(file)
    return rules_from_file(data.get("values") if isinstance(data, dict) else None,
                           f"{file}: values")  # fmt: skip
