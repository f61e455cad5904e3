"""Keeping the rows of an HR export that are the organisation: ``--where "Status=Active"``.

An export often holds people who left (``Status = Inactive``), contractors or another legal
entity. A condition ``COLUMN=VALUE`` keeps the rows whose column holds the value (several values
as ``COLUMN=A|B``); ``COLUMN!=VALUE`` keeps the others. Conditions on different columns must all
hold. Values are compared case-insensitively, after stripping.

When no condition names it, a column that looks like an employment status (its header says
status, or its values say active / inactive) and holds rows of people who are gone is reported in
one line by :func:`status_hint`, so that nobody who left is counted and licensed unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.base.errors import OrgDataError, located
from simulation.org.headers import find_header, header_line

#: Header words of an employment status column (English, German, French, Spanish, Dutch, Italian).
STATUS_HEADERS = ("status", "employment status", "active", "beschaftigungsstatus", "statut",
                  "estado", "stato", "state")  # fmt: skip
#: Values that say a person is gone (normalised to lower case).
GONE = frozenset({"inactive", "terminated", "withdrawn", "left", "leaver", "departed", "retired",
                  "inaktiv", "ausgetreten", "inactif", "inactivo", "inattivo", "uit dienst",
                  "t", "i", "false", "no", "0", "n"})  # fmt: skip
#: Values of a column listed when a condition keeps no row.
SHOWN = 6
#: Values that say a person is there.
PRESENT = frozenset({"active", "aktiv", "actif", "activo", "attivo", "actief", "a", "true",
                     "yes", "1", "y"})  # fmt: skip


@dataclass(frozen=True)
class Condition:
    """One ``--where``: the column, the values (lower case) and whether they are kept or left out."""

    column: str
    values: frozenset[str]
    keep: bool
    text: str

    @classmethod
    def parse(cls, text: str, where: str = "--where") -> Condition:
        """``Status=Active``, ``Status=Active|On leave`` or ``Status!=Inactive``."""
        raw = str(text)
        negate = "!=" in raw
        column, sep, values = raw.partition("!=" if negate else "=")
        column = column.strip().strip("\"'")
        listed = frozenset(v.strip().strip("\"'").lower() for v in values.split("|") if v.strip())
        if not sep or not column or not listed:
            raise OrgDataError(
                f"{where}: expected COLUMN=VALUE[|VALUE...] or COLUMN!=VALUE, got {raw[:80]!r}"
            )
        return cls(column, listed, not negate, raw.strip())


def parse_conditions(values, where: str = "--where") -> list[Condition]:
    """Conditions from ``--where`` options, a scenario's ``where:`` list or a mapping."""
    if values is None:
        return []
    if isinstance(values, dict):
        values = [f"{k}={'|'.join(v) if isinstance(v, list) else v}" for k, v in values.items()]
    if isinstance(values, str):
        values = [values]
    return [v if isinstance(v, Condition) else Condition.parse(v, where) for v in values]


def header_of(frame: pd.DataFrame, label: str | Path, column: str, what: str) -> str:
    """The header ``column`` names (:func:`simulation.org.headers.find_header`: exact, else
    case-insensitive and as the eye reads it); an error listing the headers."""
    headers = list(frame.columns)
    found = find_header(frame, label, column, what)
    if found is not None:
        return found
    shown = ", ".join(headers[:15]) + (
        f" and {len(headers) - 15} more" if len(headers) > 15 else ""
    )
    raise OrgDataError(
        located(
            label, f"{what}: no column {column[:80]!r} (headers: {shown})", line=header_line(frame)
        )
    )


def kept_rows(frame: pd.DataFrame, label: str | Path, conditions: list[Condition]) -> np.ndarray:
    """Boolean mask of the rows every condition keeps.

    Raises
    ------
    OrgDataError
        A condition naming no column of the file (naming the file, row 1 and the headers), or
        keeping no row at all.
    """
    kept = np.ones(len(frame), dtype=bool)
    for condition in conditions:
        header = header_of(frame, label, condition.column, f"--where {condition.text!r}")
        hit = frame[header].str.lower().isin(condition.values).to_numpy()
        kept &= hit if condition.keep else ~hit
    if conditions and not kept.any():
        seen = frame[header_of(frame, label, conditions[0].column, "--where")].unique()
        more = f" and {len(seen) - SHOWN} more" if len(seen) > SHOWN else ""
        raise OrgDataError(
            located(
                label,
                f"--where {conditions[0].text!r} keeps no row ({conditions[0].column} holds "
                f"{', '.join(repr(v) for v in seen[:SHOWN])}{more})",
            )
        )
    return kept


def status_hint(frame: pd.DataFrame, label: str | Path, used: set[str]) -> str | None:
    """``197 rows have Status=Inactive: add --where Status=Active to leave them out``, when a
    status-like column that no condition or mapping uses holds people who are gone."""
    for header in frame.columns:
        if header in used:
            continue
        values = frame[header].str.lower()
        distinct = set(values.unique()) - {""}
        if not distinct or len(distinct) > 8:
            continue
        named = any(word == header.lower() or word in header.lower().split()
                    for word in STATUS_HEADERS)  # fmt: skip
        wordy = distinct & (GONE - {"t", "i", "false", "no", "0", "n"})
        if not (named or wordy):
            continue
        gone = distinct & GONE
        present = distinct & PRESENT
        if not gone or not present:
            continue
        count = int(values.isin(gone).sum())
        spell_gone = frame[header][values.isin(gone).to_numpy()].iloc[0]
        spell_here = frame[header][values.isin(present).to_numpy()].iloc[0]
        return (
            f"{label}: {count:,} rows have {header}={spell_gone}: add --where "
            f'"{header}={spell_here}" to leave them out'
        )
    return None
