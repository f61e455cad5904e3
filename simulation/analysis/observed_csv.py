"""Reading an observed file: its rows as text, each with the line it starts on.

Read whole with the shared bounded reader (a regular file of at most ``MAX_OBSERVED_BYTES``),
UTF-8 errors naming their line; then Python's csv module, row by row, so that every message
can name the line (an unterminated quote: the line it opens on; a short row: the column it
lacks).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from simulation.base.bounded_read import decode_utf8, read_limited
from simulation.base.errors import InputError, located
from simulation.base.limits import MAX_OBSERVED_BYTES, MAX_PEOPLE

#: most rows (one per person of adoption times or of a per-user export) and columns of a file
MAX_ROWS = MAX_PEOPLE
MAX_COLUMNS = 1_000
#: most values (rows x columns): a per-user export of 2,000,000 people has 22,000,000
MAX_VALUES = 25_000_000


class ObservedDataError(InputError):
    """An observed file (series, export, adoption times) is invalid."""


def read_rows(path: Path) -> pd.DataFrame:
    """The file's rows as stripped text, indexed by the line each starts on (header = line 1).

    Read whole with the bounded reader (a regular file of at most ``MAX_OBSERVED_BYTES``),
    UTF-8, at most ``MAX_COLUMNS`` columns, ``MAX_ROWS`` rows and ``MAX_VALUES`` values, every row
    as wide as the header.
    """
    raw = read_limited(path, MAX_OBSERVED_BYTES, ObservedDataError)
    text = decode_utf8(raw, path, ObservedDataError)
    del raw
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    if not first.strip():
        raise ObservedDataError(located(path, "empty file (expected a header line)", line=1))
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    body, numbers = [], []
    start = 1  # the line the row being read starts on
    try:
        for row in reader:
            if header is None:
                header = _header(path, row)
            elif any(cell.strip() for cell in row):
                _check_width(path, header, row, start)
                body.append([cell.strip() for cell in row])
                numbers.append(start)
                if len(body) > MAX_ROWS or len(body) * len(header) > MAX_VALUES:
                    problem = f"more than {MAX_ROWS:,} rows or {MAX_VALUES:,} values (the limit)"
                    raise ObservedDataError(located(path, problem, line=start))
            start = reader.line_num + 1
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            problem = 'a quoted field opened on this line is never closed (a " without its end)'
            raise ObservedDataError(located(path, problem, line=start)) from None
        problem = f"malformed CSV ({str(error)[:100]})"
        raise ObservedDataError(located(path, problem, line=reader.line_num)) from None
    if not body:
        raise ObservedDataError(located(path, "empty series: a header and no rows"))
    frame = pd.DataFrame(body, columns=header)
    frame.index = numbers  # the file's line of each row, for messages
    return frame


def _header(path: Path, row: list[str]) -> list[str]:
    header = [h.strip() for h in row]
    if len(header) > MAX_COLUMNS:
        problem = f"{len(header):,} columns (at most {MAX_COLUMNS:,})"
        raise ObservedDataError(located(path, problem, line=1))
    for k, name in enumerate(header):
        if not name:
            raise ObservedDataError(located(path, f"column {k + 1} has no name", line=1))
        if name in header[:k]:
            raise ObservedDataError(located(path, f"column {name[:40]!r} appears twice", line=1))
    return header


def _check_width(path: Path, header: list[str], row: list[str], line: int) -> None:
    if len(row) < len(header):
        missing = header[len(row)]
        problem = f"missing (the row has {len(row)} fields, the header {len(header)})"
        raise ObservedDataError(located(path, problem, line, missing))
    if len(row) > len(header):
        problem = f"{len(row)} fields, the header has {len(header)}"
        raise ObservedDataError(located(path, problem, line))
