"""An HR export saved as an Excel workbook (``.xlsx``), read with openpyxl.

One sheet is read: the one named (``--sheet NAME``, ``sheet:`` in a scenario) or else the only
or the first one, which the note returned says. Cells become the same stripped strings as a
CSV's (:func:`simulation.org.table.read_table`): whole numbers without ``.0`` (an id typed as a
number), dates as ``YYYY-MM-DD``, empty cells as "". Rows are numbered as Excel numbers them
(header = row 1), and every message names the file and the sheet as ``file[sheet]``, then the
row and the column: ``sf_export.xlsx[Export]:385: Manager User ID: ...``.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pandas as pd

from simulation.base.bounded_read import read_limited
from simulation.base.errors import InputError, OrgDataError, located
from simulation.org.headers import header_index, shape_index, skipped_note
from simulation.org.idmatch import whole_number
from simulation.org.table import MAX_FILE_BYTES, with_header

#: Sheets named in a message before "and N more".
MAX_SHEETS_SHOWN = 10


def sheet_label(path: str | Path, sheet: str) -> str:
    """``file[sheet]``: how messages name a sheet of a workbook."""
    return f"{path}[{sheet}]"


def cell_text(value: object) -> str:
    """A cell's value as a CSV would hold it (module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return whole_number(value)  # an id typed as a number: as idmatch matches "1000.0"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _open(path: Path):
    return open_book(read_limited(path, MAX_FILE_BYTES, OrgDataError), path)


def open_book(raw: bytes, path: str | Path, error: type[InputError] = OrgDataError):
    """openpyxl's read-only workbook of the bytes ``raw`` (values, not formulas); one that
    cannot be read is one line naming ``path`` (an ``error``)."""
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except KeyError:  # a zip archive without a workbook's parts
        problem = "a zip archive, not an Excel workbook: unzip it, or save the export as .xlsx"
        raise error(located(path, problem)) from None
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        problem = f"not a readable Excel workbook ({type(exc).__name__}: {exc})"
        raise error(located(path, problem[:300])) from None
    except Exception as exc:  # openpyxl's own InvalidFileException and parse errors
        problem = f"not a readable Excel workbook ({type(exc).__name__})"
        raise error(located(path, problem)) from None


def read_workbook(
    path: str | Path, sheet: str | None = None, wanted: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, str, list[str]]:
    """One sheet of a workbook as a table of strings.

    Parameters
    ----------
    path : path
        The ``.xlsx`` file.
    sheet : str, optional
        The sheet's name (exact, else case-insensitive); default the only or first sheet.
    wanted : tuple of str
        Header names that mark the header row, when a title stands above it
        (:func:`simulation.org.headers.header_index`).

    Returns
    -------
    frame : DataFrame
        As :func:`simulation.org.table.read_table` returns a CSV's (index = Excel row numbers).
    label : str
        ``file[sheet]``, the name of the sheet in messages.
    notes : list of str
        One line saying which sheet was read and why; another when the header is not row 1.

    Raises
    ------
    OrgDataError
        Not a workbook, an unknown sheet (listing the sheets), an empty sheet, a repeated header.
    """
    path = Path(path)
    book = _open(path)
    try:
        names = list(book.sheetnames)
        if sheet is None:
            chosen = names[0]
            why = "the only sheet" if len(names) == 1 else f"the first of {len(names)} sheets"
            note = f"{path}: sheet {chosen!r} read ({why}; choose another with --sheet NAME)"
        else:
            by_lower = {name.lower(): name for name in reversed(names)}
            chosen = sheet if sheet in names else by_lower.get(sheet.strip().lower())
            if chosen is None:
                shown = ", ".join(repr(n) for n in names[:MAX_SHEETS_SHOWN])
                more = f" and {len(names) - MAX_SHEETS_SHOWN} more" if len(names) > 10 else ""
                raise OrgDataError(
                    f"{path}: --sheet: no sheet named {sheet[:80]!r} (sheets: {shown}{more})"
                )
            note = f"{path}: sheet {chosen!r} read (--sheet)"
        rows = [
            [cell_text(value) for value in row] for row in book[chosen].iter_rows(values_only=True)
        ]
    finally:
        book.close()
    label = sheet_label(path, chosen)
    try:
        notes = [note]
        return _table(rows, label, wanted, notes), label, notes
    except OrgDataError as error:
        if sheet is None and len(names) > 1:
            shown = ", ".join(repr(n) for n in names[:MAX_SHEETS_SHOWN])
            raise OrgDataError(
                f"{error} (the first of the sheets {shown}: choose with --sheet)"
            ) from None
        raise


def _table(rows: list[list[str]], label: str, wanted: tuple[str, ...], notes: list) -> pd.DataFrame:
    if not any(cell.strip() for row in rows for cell in row):
        raise OrgDataError(located(label, "empty sheet (expected a header row)", line=1))
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    # a title, a date or blank rows may stand above the header (a cover's merged title)
    found = header_index(rows, wanted)
    skip = found if found is not None else shape_index(rows)
    if skip:
        notes.append(skipped_note(label, rows[:skip], skip + 1, "row"))
    return with_header(pd.DataFrame(rows[skip:], dtype=str), label, skip + 1)
