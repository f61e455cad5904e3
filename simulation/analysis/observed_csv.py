"""Reading an observed file: its rows as text, each with the line it starts on.

Read whole with the shared bounded reader (a regular file of at most ``MAX_OBSERVED_BYTES``),
then row by row so that every message can name the line (an unterminated quote: the line it
opens on; a short row: the column it lacks). Files are taken as exports and spreadsheets write
them:

- UTF-8 (a byte-order mark dropped) or UTF-16 with its byte-order mark (Excel's "Unicode
  text"); an ``.xlsx`` workbook, whatever its name: its first sheet, rows numbered as Excel does
  (an Excel 97-2003 ``.xls`` is refused: save it as ``.xlsx`` or CSV);
- fields separated by commas, semicolons or tabs, told from the first lines
  (:func:`_delimiter`); numbers with decimal commas in a file that uses them
  (:func:`~simulation.analysis.observed_numbers.uses_decimal_comma`, kept in
  ``frame.attrs["decimal_comma"]``);
- a title or other lines above the header (at most :data:`MAX_PREAMBLE`): skipped with a note
  when the caller says which row is a header (``is_header``);
- an unnamed empty last column (a comma at the end of every line): ignored;
- a totals row last (``Total``, ``Totals``, ``Sum``, ``Grand total`` in its first filled cell):
  left out with a note.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from simulation.analysis.observed_numbers import uses_decimal_comma
from simulation.base.bounded_read import decode_utf8, read_limited
from simulation.base.errors import InputError, located
from simulation.base.limits import MAX_OBSERVED_BYTES, MAX_PEOPLE
from simulation.org.encoding import file_kind
from simulation.org.headers import key
from simulation.org.workbook import cell_text, open_book

#: most rows (one per person of adoption times or of a per-user export) and columns of a file
MAX_ROWS = MAX_PEOPLE
MAX_COLUMNS = 1_000
#: most values (rows x columns): a per-user export of 2,000,000 people has 22,000,000
MAX_VALUES = 25_000_000
#: most rows looked at for the header (and for the delimiter): a title, an export date, a blank
MAX_PREAMBLE = 10
DELIMITERS = (",", ";", "\t")
#: a last row's first filled cell that makes it a totals row (lower case, colon dropped)
TOTALS = ("total", "totals", "sum", "grand total")


class ObservedDataError(InputError):
    """An observed file (series, export, adoption times) is invalid."""


def column_key(name: str) -> str:
    """A header's name as compared: the HR reader's :func:`simulation.org.headers.key` (case
    folded, spaces collapsed, NFKC, zero-width characters removed: ``Total Enabled Membership``,
    ``report  date``, a no-break space)."""
    return key(name)


def read_rows(
    path: Path, notes: list | None = None, is_header: Callable[[list[str]], bool] | None = None
) -> pd.DataFrame:
    """The file's rows as stripped text, indexed by the line each starts on (module docstring).

    Parameters
    ----------
    notes : list, optional
        Lines saying how the file was read (a sheet, lines skipped, a totals row) are added.
    is_header : callable, optional
        Whether a row's cells are a header the caller knows; the first such row among the first
        :data:`MAX_PREAMBLE` is the header. Default (or none found): the first row.

    Raises
    ------
    ObservedDataError
        One line naming the file and the line: unreadable, not text, too large, empty, a
        header with an unnamed or repeated column, a row wider or narrower than the header.
    """
    raw = read_limited(path, MAX_OBSERVED_BYTES, ObservedDataError)
    notes = [] if notes is None else notes
    kind = file_kind(raw)
    if kind == "xls":
        problem = "an Excel 97-2003 workbook (.xls): save it as .xlsx or CSV"
        raise ObservedDataError(located(path, problem))
    if kind == "xlsx":
        rows, delimiter = _sheet_rows(raw, path, notes), None
    else:
        text = _text(raw, path, notes)
        del raw
        delimiter = _delimiter(text)
        rows = _csv_rows(path, text, delimiter)
    return _table(path, rows, delimiter, notes, is_header)


def _text(raw: bytes, path: Path, notes: list) -> str:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ObservedDataError(located(path, "not UTF-16 text; save it as UTF-8")) from None
        notes.append("note: read as UTF-16 text (Excel's 'Unicode text')")
    else:
        text = decode_utf8(raw, path, ObservedDataError)
    if not text.strip():
        raise ObservedDataError(located(path, "empty file (expected a header line)", line=1))
    return text


def _delimiter(text: str) -> str:
    """Of ``, ; tab``, the one that splits most of the first lines into the same number (> 1)
    of fields; a tie goes to the wider split, then to the comma."""
    head = [line for line in text[:200_000].splitlines() if line.strip()][: MAX_PREAMBLE + 1]
    best, score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(head, delimiter=delimiter)]
        common = Counter(w for w in widths if w > 1).most_common(1)
        if common and (common[0][1], common[0][0]) > score:
            best, score = delimiter, (common[0][1], common[0][0])
    return best


def _csv_rows(path: Path, text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, values = [], 0
    start = 1  # the line the row being read starts on
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((start, row))
                values += len(row)
                if len(rows) > MAX_ROWS + MAX_PREAMBLE or values > MAX_VALUES:
                    problem = f"more than {MAX_ROWS:,} rows or {MAX_VALUES:,} values (the limit)"
                    raise ObservedDataError(located(path, problem, line=start))
            start = reader.line_num + 1
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            problem = 'a quoted field opened on this line is never closed (a " without its end)'
            raise ObservedDataError(located(path, problem, line=start)) from None
        problem = f"malformed CSV ({str(error)[:100]})"
        raise ObservedDataError(located(path, problem, line=reader.line_num)) from None
    return rows


def _sheet_rows(raw: bytes, path: Path, notes: list) -> list[tuple[int, list[str]]]:
    """The first sheet's filled rows as text, numbered as Excel numbers them."""
    book = open_book(raw, path, ObservedDataError)
    try:
        names = list(book.sheetnames)
        rows = []
        for number, row in enumerate(book[names[0]].iter_rows(values_only=True), start=1):
            cells = [cell_text(value) for value in row]
            if any(cell.strip() for cell in cells):
                rows.append((number, cells))
    finally:
        book.close()
    more = f" (the first of {len(names)} sheets)" if len(names) > 1 else ""
    notes.append(f"note: an Excel workbook: sheet {names[0]!r} read{more}")
    if not rows:
        raise ObservedDataError(located(path, f"sheet {names[0]!r} is empty", line=1))
    return rows


def _table(path, rows, delimiter, notes: list, is_header) -> pd.DataFrame:
    if not rows:
        raise ObservedDataError(located(path, "empty file (expected a header line)", line=1))
    found = 0
    if is_header is not None:
        heads = [k for k, (_, row) in enumerate(rows[:MAX_PREAMBLE]) if is_header(_strip(row))]
        found = heads[0] if heads else 0
    if found:
        skipped = ", ".join(cell for cell in _strip(rows[0][1]) if cell)[:60]
        lines = f"line {rows[0][0]}" if found == 1 else f"lines {rows[0][0]}-{rows[found - 1][0]}"
        notes.append(f"note: {lines} above the header skipped ({skipped!r}...)")
    header_line, cells = rows[found]
    header, named = _header(path, cells, header_line)
    body, numbers = [], []
    for line, row in rows[found + 1 :]:
        _check_width(path, header, named, row, line, header_line)
        body.append(_strip(row[:named]))
        numbers.append(line)
    _drop_totals(body, numbers, notes)
    if not body:
        raise ObservedDataError(located(path, "empty series: a header and no rows"))
    frame = pd.DataFrame(body, columns=header[:named])
    frame.index = numbers  # the file's line of each row, for messages
    comma = uses_decimal_comma((c for row in body for c in row), delimiter)
    frame.attrs["decimal_comma"] = comma
    if comma:
        notes.append("note: numbers read with decimal commas (0,25 = 0.25; 1.150 = 1150)")
    return frame


def _strip(row: list[str]) -> list[str]:
    return [cell.strip() for cell in row]


def _header(path: Path, row: list[str], line: int) -> tuple[list[str], int]:
    """The header's names and how many are named (empty names at its end are not columns)."""
    header = _strip(row)
    named = len(header)
    while named and not header[named - 1]:
        named -= 1
    if named > MAX_COLUMNS:
        problem = f"{named:,} columns (at most {MAX_COLUMNS:,})"
        raise ObservedDataError(located(path, problem, line=line))
    keys = [column_key(name) for name in header[:named]]
    for k, name in enumerate(header[:named]):
        if not name:
            raise ObservedDataError(located(path, f"column {k + 1} has no name", line=line))
        if keys[k] in keys[:k]:
            raise ObservedDataError(located(path, f"column {name[:40]!r} appears twice", line=line))
    return header, named


def _check_width(path: Path, header: list[str], named: int, row, line: int, header_line: int):
    if len(row) < named:
        missing = header[len(row)]
        problem = f"missing (the row has {len(row)} fields, the header {named})"
        raise ObservedDataError(located(path, problem, line, missing))
    beyond = [cell for cell in row[named:] if cell.strip()]
    if beyond and len(header) > named:  # a value under an unnamed column
        raise ObservedDataError(located(path, f"column {named + 1} has no name", line=header_line))
    if beyond:
        problem = f"{len(row)} fields, the header has {named}"
        raise ObservedDataError(located(path, problem, line))


def _drop_totals(body: list, numbers: list, notes: list) -> None:
    """A last row whose first filled cell says ``Total`` is a spreadsheet's sum: not a day."""
    if not body:
        return
    first = next((cell for cell in body[-1] if cell), "")
    if column_key(first).rstrip(":") in TOTALS:
        notes.append(f"note: line {numbers[-1]} is a totals row ({first[:20]!r}): left out")
        del body[-1], numbers[-1]
