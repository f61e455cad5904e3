"""The header row of an HR export: where it is, its names, and finding a column by name.

Exports as they come put a title, a date or blank lines above the header (``Mitarbeiterliste
Export``, ``Stand: 01.03.2025``), end the header with empty cells (a trailing ``;;``), repeat a
name the reader does not use (two ``Name`` columns), or write a name with a non-breaking or a
zero-width space. Here:

- :func:`header_index` finds the header among the first :data:`MAX_TITLE_ROWS` rows: the first
  that holds the names wanted (the mapped or required columns), else :func:`shape_index`, the
  first row as wide as the widest rows below it under title-like rows;
- :func:`name_columns` cleans the names (:func:`clean`), names blank middle cells by position
  and renames repeats, so that only a repeated name a reader *uses* is an error;
- :func:`find_header` is the one place where a name given by the user is compared with the
  headers: exactly, else after :func:`clean` and case folding.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pandas as pd

from simulation.base.errors import OrgDataError, located

#: Rows above the header searched for it (titles, dates, blank lines).
MAX_TITLE_ROWS = 20
#: Characters that are invisible in a header: zero-width spaces and joiners, a stray BOM.
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
#: How a repeated or blank header is renamed: ``Name (column 4)``, ``(column 3)``.
_RENAMED = "{name} (column {number})"
_SPACES = re.compile(r"\s+")


def clean(name: object) -> str:
    """A header as written, minus what the eye does not see: NFKC (a non-breaking space is a
    space), zero-width characters removed, runs of spaces collapsed, stripped."""
    text = unicodedata.normalize("NFKC", str(name)).translate(ZERO_WIDTH)
    return _SPACES.sub(" ", text).strip()


def key(name: object) -> str:
    """How two names are compared: :func:`clean`, case folded."""
    return clean(name).casefold()


def header_index(rows: list[list[str]], wanted: tuple[str, ...] = ()) -> int | None:
    """The first of the first rows that holds every name of ``wanted`` (None when none does)."""
    keys = {key(name) for name in wanted}
    if not keys:
        return None
    for index, row in enumerate(rows[: MAX_TITLE_ROWS + 1]):
        if keys <= {key(cell) for cell in row}:
            return index
    return None


def shape_index(rows: list[list[str]]) -> int:
    """The header by the table's shape: the first row with two or more names as wide as the
    widest rows below it, when every row above it holds at most one cell (a title, a date);
    else the first non-blank row."""
    widths = [sum(1 for cell in row if str(cell).strip()) for row in rows]
    first = next((i for i, width in enumerate(widths) if width), 0)
    for index, width in enumerate(widths[: MAX_TITLE_ROWS + 1]):
        if width > 1 and width >= max(widths[index + 1 : index + 1 + MAX_TITLE_ROWS], default=0):
            return index
        if width > 1:
            break  # a wide row that is not the header: the table starts on the first row
    return first


#: Delimiters of CSV text, in the order preferred on a tie.
DELIMITERS = (",", ";", "\t")


def sniff_delimiter(header_line: str) -> str:
    """Comma, semicolon or tab (Excel's "Unicode text"), whichever splits the header line
    (outside quotes) into the most fields; comma when none splits it."""
    counts = {d: len(next(csv.reader([header_line], delimiter=d))) for d in DELIMITERS}
    return max(DELIMITERS, key=lambda d: (counts[d], d == ","))


def locate_header(lines: list[str], wanted: tuple[str, ...] = ()) -> tuple[str, int]:
    """The delimiter and the index of the header among the first lines of CSV text.

    The header is the first line holding the ``wanted`` names under some delimiter (the one
    giving that line the most fields); else, when the first non-blank line splits into two
    names or more, that line and the delimiter splitting it most (:func:`sniff_delimiter`);
    else (a title above the table) the delimiter giving the lines their widest usual split
    and the header by :func:`shape_index`, so that a title is never taken for the header.
    """
    lines = [line.rstrip("\r") for line in lines]
    split = {d: [next(csv.reader([ln], delimiter=d)) if ln.strip() else [] for ln in lines]
             for d in DELIMITERS}  # fmt: skip
    hits = [(i, -len(split[d][i]), n, d) for n, d in enumerate(DELIMITERS)
            if (i := header_index(split[d], wanted)) is not None]  # fmt: skip
    if hits:
        index, _, _, delimiter = min(hits)
        return delimiter, index
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    delimiter = sniff_delimiter(lines[first] if lines else "")
    if sum(1 for cell in split[delimiter][first] if cell.strip()) > 1:
        return delimiter, first

    def usual_width(d: str) -> float:
        widths = sorted(len(row) for row in split[d] if row)
        return widths[len(widths) // 2] if widths else 0

    delimiter = max(DELIMITERS, key=lambda d: (usual_width(d), d == ","))
    return delimiter, shape_index(split[delimiter])


def name_columns(cells: list[object]) -> list[str]:
    """Clean header names: trailing empty cells dropped by the caller, a blank middle cell named
    ``(column N)``, a repeated name's later copies renamed ``Name (column N)``."""
    names: list[str] = []
    for number, cell in enumerate(cells, start=1):
        name = clean(cell)
        if not name or name in names:
            name = _RENAMED.format(name=name, number=number).strip()
        names.append(name)
    return names


def repeats_of(headers: list[str], header: str) -> list[int]:
    """The column numbers (1-based) holding ``header``, itself and its renamed copies."""
    copies = re.compile(rf"^{re.escape(header)} \(column (\d+)\)$")
    numbers = [int(found.group(1)) for h in headers if (found := copies.match(h))]
    return [headers.index(header) + 1, *numbers] if numbers else []


def find_header(
    frame: pd.DataFrame, label: str | Path, name: str, field: str | None = None
) -> str | None:
    """The header ``name`` stands for: the same text, else the same :func:`key`; None if none.

    Raises
    ------
    OrgDataError
        The header is repeated in the file (naming its columns), since a reader would not know
        which copy is meant; repeats of columns nobody names are not an error.
    """
    headers = [str(h) for h in frame.columns]
    found = name if name in headers else None
    if found is None:
        by_key = {key(h): h for h in reversed(headers)}
        found = by_key.get(key(name))
    if found is not None:
        alike = [h for h in headers if key(h) == key(found)]
        if len(alike) > 1:  # Department and department: which one is meant is a guess
            listed = " and ".join(f"{h!r} (column {headers.index(h) + 1})" for h in alike)
            raise OrgDataError(
                located(
                    label,
                    f"columns {listed} differ only in case or spacing: rename one in the file",
                    line=header_line(frame),
                    field=field,
                )
            )
        repeated = repeats_of(headers, found)
        if repeated:
            listed = ", ".join(map(str, repeated[:-1])) + f" and {repeated[-1]}"
            raise OrgDataError(
                located(
                    label,
                    f"column {found!r} appears {len(repeated)} times (columns {listed}): "
                    "rename the copies in the file, or map another column",
                    line=header_line(frame),
                    field=field,
                )
            )
    return found


def skipped_note(path: str | Path, above: list, line: int, unit: str) -> str:
    """``header read from line 4 (above it: 'Mitarbeiterliste Export', 'Stand: 01.03.2025')``."""
    cells = [str(c).strip().strip(";,\t").strip() for row in above
             for c in ([row] if isinstance(row, str) else row)]  # fmt: skip
    shown = ", ".join([repr(c[:40]) for c in cells if c][:3]) or f"blank {unit}s"
    return f"{path}: header read from {unit} {line} (above it: {shown})"


def header_line(frame: pd.DataFrame) -> int:
    """The file line (or sheet row) the header was read from (1 unless titles stood above)."""
    return int(frame.attrs.get("header_line", 1))
