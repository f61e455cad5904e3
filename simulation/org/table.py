"""Reading the CSV files of organisations: HR exports, edge lists with headers, attribute files.

Shared helpers so that every reader reports bad input the same way: an :class:`OrgDataError`
whose one-line message names the file and the 1-based line (header = line 1) or the column.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.base.bounded_read import read_limited
from simulation.base.csv_quotes import open_quote_line
from simulation.base.errors import OrgDataError, located
from simulation.org import tree
from simulation.org.cells import parse_bool, parse_levels
from simulation.org.encoding import decode, file_kind, refuse_binary
from simulation.org.headers import (
    MAX_TITLE_ROWS,
    find_header,
    header_line,
    locate_header,
    name_columns,
    skipped_note,
)

#: The columns we know, and what they hold (for error messages and ``columns`` mappings).
KNOWN_COLUMNS = ("employee_id", "manager_id", "department", "site", "frontline", "level")

#: Name given to a missing or empty department / site.
UNKNOWN = "unknown"


#: largest organisation file read, bytes (2,000,000 people of a wide HR export fit)
MAX_FILE_BYTES = 1 << 30
# control characters other than tab and line breaks: not text (a NUL inside an id, a binary)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def read_text(path: str | Path, encoding: str | None = None, notes: list | None = None) -> str:
    """A whole organisation file as text, at most :data:`MAX_FILE_BYTES`.

    UTF-8 (BOM dropped) or UTF-16 are recognised; another encoding is named with ``encoding``
    (:func:`simulation.org.encoding.decode`). How the text was read, when not plain UTF-8, is
    appended to ``notes``.

    Raises
    ------
    OrgDataError
        Missing, unreadable or too large; an Excel workbook; not text in the encoding (naming
        the line of the first bad byte); a control character (naming its line).
    """
    path = Path(path)
    raw = read_limited(path, MAX_FILE_BYTES, OrgDataError)
    kind = file_kind(raw)
    refuse_binary(kind, path)
    if kind != "text":
        what = "an Excel workbook" if kind == "xlsx" else "an Excel 97-2003 workbook (.xls)"
        raise OrgDataError(
            located(
                path, f"{what}, not CSV text: give it as an HR export (--org), or save it as CSV"
            )
        )
    text, note = decode(raw, path, encoding)
    if note and notes is not None:
        notes.append(note)
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        problem = f"control character U+{ord(bad.group()):04X} (not text)"
        raise OrgDataError(located(path, problem, line=line)) from None
    return text


def read_table(
    path: str | Path,
    encoding: str | None = None,
    notes: list | None = None,
    wanted: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Read a CSV as strings: comma, semicolon or tab delimited (see :func:`read_text` for the
    encodings and ``notes``).

    The header is the first line, or the first of the first lines that holds the ``wanted``
    names, or the first as wide as the table below titles (:func:`simulation.org.headers.
    locate_header`); lines above it are skipped and ``notes`` says so.

    Returns
    -------
    pandas.DataFrame
        Every cell a stripped ``str`` ("" when empty); headers cleaned
        (:func:`simulation.org.headers.name_columns`); the index is each row's 1-based line
        number in the file (a quoted cell spanning several lines shifts the numbers after it).
        Blank lines are dropped.

    Raises
    ------
    OrgDataError
        Missing or unreadable file, empty file, header only, or a malformed line.
    """
    path = Path(path)
    text = read_text(path, encoding, notes)
    if not text.strip():
        raise OrgDataError(located(path, "empty file (expected a header line)", line=1))
    first = text.split("\n", MAX_TITLE_ROWS * 2 + 2)[: MAX_TITLE_ROWS * 2 + 1]
    delimiter, skip = locate_header(first, wanted)
    try:
        # header=None: every line is data, so a row with too many fields is an error instead
        # of silently turning the first column into an index; skip_blank_lines=False keeps
        # row i on line skip + i + 1, so errors can name the right line.
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            skiprows=skip,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as error:
        found = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(error))
        if found:
            expected, line, saw = (int(x) for x in found.groups())
            problem = f"{saw} fields, but the header has {expected}"
            raise OrgDataError(located(path, problem, line=line)) from None
        if "EOF inside string" in str(error):
            line = open_quote_line(text, delimiter)
            problem = 'a quoted field opened on this line is never closed (a " without its end)'
            raise OrgDataError(located(path, problem, line=line)) from None
        raise OrgDataError(located(path, f"malformed CSV: {error}".strip()[:300])) from None
    if skip and notes is not None:
        notes.append(skipped_note(path, first[:skip], skip + 1, "line"))
    return with_header(frame, path, skip + 1)


def with_header(frame: pd.DataFrame, path: str | Path, line: int = 1) -> pd.DataFrame:
    """A table of strings whose first row is the header (on file line / sheet row ``line``),
    as :func:`read_table` returns it: headers cleaned, empty trailing header cells dropped when
    nothing stands under them, rows numbered from ``line + 1``, cells stripped, blank rows
    dropped; ``attrs["header_line"]`` is ``line`` (for messages about the header)."""
    cells = [str(name) for name in frame.iloc[0]]
    width = max((i + 1 for i, cell in enumerate(cells) if cell.strip()), default=0)
    frame = frame.iloc[1:].apply(lambda column: column.str.strip())
    frame.index = np.arange(line + 1, len(frame) + line + 1)
    beyond = (frame.iloc[:, width:] != "").to_numpy()
    if beyond.any():  # trailing columns with no header are formatting, unless they hold data
        row, column = (int(x[0]) for x in np.nonzero(beyond))
        problem = f"a value beyond the last header ({frame.iloc[row, width + column]!r})"
        raise OrgDataError(located(path, problem, line=int(frame.index[row])))
    frame = frame.iloc[:, :width]
    frame.columns = name_columns(cells[:width])
    blank = (frame == "").all(axis=1)
    frame = frame[~blank.to_numpy()]
    if frame.empty:
        raise OrgDataError(located(path, "no rows after the header", line=line + 1))
    frame.attrs["header_line"] = line
    return frame


def resolve_columns(
    frame: pd.DataFrame,
    path: str | Path,
    required: tuple[str, ...],
    optional: tuple[str, ...],
    columns: dict[str, str] | None,
    hint: str = "",
) -> dict[str, str]:
    """Find our column names among the file's headers.

    Parameters
    ----------
    frame : DataFrame from :func:`read_table`.
    path : the file, for messages.
    required, optional : our names that must / may be present.
    columns : optional mapping of our names to the file's headers (``{"employee_id":
        "Worker_ID"}``); unmapped names are looked up as themselves, case-insensitively.
    hint : text appended to a missing column's message (how to map headers).

    Returns
    -------
    dict
        Our name -> the file's header, for every name found.
    """
    columns = dict(columns or {})
    unknown = sorted(set(columns) - set(required) - set(optional))
    if unknown:
        known = ", ".join((*required, *optional))
        raise OrgDataError(
            located(path, f"unknown name in columns (known: {known})", field=unknown[0])
        )
    headers = list(frame.columns)
    found: dict[str, str] = {}
    for name in (*required, *optional):
        wanted = columns.get(name, name)
        header = find_header(frame, path, wanted, name)
        if header is not None:
            found[name] = header
        elif name in required or name in columns:
            mapped = f" (mapped to {wanted!r})" if name in columns else ""
            what = "required column" if name in required else "column"
            raise OrgDataError(
                located(
                    path,
                    f"missing {what}{mapped}; found headers: {_shown(headers)}{hint}",
                    line=header_line(frame),
                    field=name,
                )
            )
    return found


def _shown(headers: list[str], count: int = 12, width: int = 40) -> str:
    """The headers for a message, cut short (a file that is not a CSV has a long first line)."""
    shown = [h if len(h) <= width else h[: width - 3] + "..." for h in headers[:count]]
    more = f" and {len(headers) - count} more" if len(headers) > count else ""
    return ", ".join(shown) + more


def categorise(values, where: str = "values") -> tuple[np.ndarray, list[str]]:
    """Codes (int16) and sorted names of a column of labels; empty labels become "unknown".

    Sorted names make the codes independent of row order, so a file written and read back, or
    shuffled, gives the same codes.
    """
    labels = pd.Series(np.asarray(values, dtype=object)).astype(str).str.strip()
    labels = labels.mask(labels == "", UNKNOWN)
    codes, names = pd.factorize(labels, sort=True)
    if len(names) > np.iinfo(np.int16).max:
        raise OrgDataError(f"{where}: too many distinct values ({len(names)} > 32767)")
    return codes.astype(np.int16), [str(name) for name in names]


def duplicate_ids(ids: pd.Series, path: str | Path, column: str) -> None:
    """Raise naming both lines of the first repeated id (ids must be unique)."""
    repeated = ids.duplicated(keep=False).to_numpy()
    if repeated.any():
        first = ids.iloc[np.flatnonzero(repeated)[0]]
        lines = ids.index[(ids == first).to_numpy()][:2]
        raise OrgDataError(
            located(
                path,
                f"duplicate {column} {first!r} (also on line {lines[0]})",
                line=int(lines[1]),
                field=column,
            )
        )
    empty = (ids == "").to_numpy()
    if empty.any():
        line = int(ids.index[np.flatnonzero(empty)[0]])
        raise OrgDataError(located(path, "empty id", line=line, field=column))


def reporting_tree(ids: pd.Series, managers: pd.Series, path: Path, column: str) -> np.ndarray:
    """Manager indices from manager ids; raise on unknown managers, no root or a cycle.

    Parameters
    ----------
    ids, managers : Series of str indexed by line number
        Employee ids (unique) and their managers' ids ("" for a root).
    path, column : the file and the manager column's header, for messages.

    Returns
    -------
    ndarray of int32
        Manager index per person, -1 for a root.
    """
    lines = ids.index.to_numpy()
    has_manager = (managers != "").to_numpy()
    position = pd.Index(ids.to_numpy()).get_indexer(managers.to_numpy())
    unknown = has_manager & (position < 0)
    if unknown.any():
        first = np.flatnonzero(unknown)[0]
        raise OrgDataError(
            located(
                path,
                f"manager {str(managers.iloc[first])!r} is not an employee_id in this file",
                line=int(lines[first]),
                field=column,
            )
        )
    manager = np.where(has_manager, position, -1).astype(np.int32)
    if not (manager < 0).any():
        raise OrgDataError(
            located(
                path,
                "no root: every employee has a manager (leave it empty for the top of the tree)",
                field=column,
            )
        )
    _, stuck = tree.depths(manager)
    if stuck.any():
        cycle = tree.find_cycle(manager, int(np.flatnonzero(stuck)[0]))
        names = " -> ".join(ids.iloc[[*cycle, cycle[0]]].tolist()[:11])
        raise OrgDataError(
            located(path, f"reporting cycle: {names}", line=int(lines[cycle[0]]), field=column)
        )
    return manager


def people_from_table(frame: pd.DataFrame, path: Path, found: dict[str, str]) -> dict:
    """The per-person arrays of an :class:`Organisation` from an HR-like table.

    Parameters
    ----------
    frame : DataFrame from :func:`simulation.org.table.read_table`.
    path : the file, for messages.
    found : our column names -> the file's headers (``employee_id`` required; ``manager_id``,
        ``department``, ``site``, ``frontline``, ``level`` optional).

    Returns
    -------
    dict
        Keyword arguments for :class:`Organisation` except ``ties`` and ``name``.
    """
    from simulation.base.limits import MAX_PEOPLE

    if len(frame) > MAX_PEOPLE:
        raise OrgDataError(located(path, f"more than {MAX_PEOPLE:,} people (the limit)"))
    ids = frame[found["employee_id"]]
    duplicate_ids(ids, path, found["employee_id"])
    n = len(frame)
    if "manager_id" in found:
        manager = reporting_tree(ids, frame[found["manager_id"]], path, found["manager_id"])
    else:
        manager = np.full(n, -1, dtype=np.int32)
    units = {}
    for name in ("department", "site"):
        if name in found:
            units[name] = categorise(frame[found[name]], f"{path}: {found[name]}")
        else:
            units[name] = (np.zeros(n, dtype=np.int16), [UNKNOWN])
    if "level" in found:
        level = parse_levels(frame[found["level"]], path, found["level"])
    else:
        level = tree.depths(manager)[0].astype(np.int16)
    frontline = (
        parse_bool(frame[found["frontline"]], path, found["frontline"])
        if "frontline" in found
        else np.zeros(n, dtype=bool)
    )
    used = set(found.values())
    return {
        "manager": manager,
        "level": level,
        "department": units["department"][0],
        "department_names": units["department"][1],
        "site": units["site"][0],
        "site_names": units["site"][1],
        "frontline": frontline,
        "ids": ids.to_numpy(dtype=str),
        "attributes": {c: frame[c].to_numpy(dtype=str) for c in frame.columns if c not in used},
    }
