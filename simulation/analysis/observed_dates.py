"""Dates of an observed file as exports and spreadsheets write them, one parser for every reader.

A date column may hold

- ``YYYY-MM-DD`` (ISO);
- ``DD/MM/YYYY`` (en-GB) or ``MM/DD/YYYY`` (en-US), one or two digits for the day and month;
  which of the two a column uses is told from the column itself: a first field above 12 makes it
  day-first, a second field above 12 month-first; otherwise (every date readable both ways) the
  reading whose dates lie closer together is taken (exports are daily or weekly) and a note says
  which was read;
- a two-digit year (``03/02/26``, a spreadsheet's short date): read as 20YY, with a note;
- any of these followed by a time of midnight (``2026-03-02 00:00:00``, ``2026-03-02T00:00:00Z``,
  ``3/2/2026 12:00:00 AM``), as a spreadsheet re-saves a date; another time of day is an error
  (one row a day is expected).

Dates after today plus :data:`FUTURE_MARGIN_DAYS` are an error (2080 typed for 2026). Every error
is one line naming the file, the line and the column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from simulation.analysis.observed_csv import ObservedDataError
from simulation.base.errors import located

#: the latest date an observation may carry: today plus this margin (time zones, a report
#: refreshed overnight); a later one is a typing error (2080 for 2026)
FUTURE_MARGIN_DAYS = 7
FORMATS = "YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY"
_TIME = r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AaPp][Mm])?(?:Z|[+-]\d{2}:?\d{2})?)?"
_ISO = re.compile(rf"^(\d{{4}})-(\d{{1,2}})-(\d{{1,2}}){_TIME}$")
_SLASHED = re.compile(rf"^(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}|\d{{2}}){_TIME}$")


@dataclass
class DateColumn:
    """A column's dates and how they were read.

    Attributes
    ----------
    dates : list of date
        One a row, in the frame's order.
    day_first : bool or None
        Slashed dates read day-first (True) or month-first (False); None: none was slashed.
    notes : list of str
        What a reader should know: an order chosen between two valid ones, two-digit years.
    """

    dates: list
    day_first: bool | None = None
    notes: list = field(default_factory=list)


def latest_date() -> date:
    """The latest date an observation may carry: today plus :data:`FUTURE_MARGIN_DAYS`."""
    return date.fromordinal(date.today().toordinal() + FUTURE_MARGIN_DAYS)


def read_dates(
    path: Path, frame: pd.DataFrame, column: str, day_first: bool | None = None
) -> DateColumn:
    """The dates of ``frame[column]`` (module docstring).

    Parameters
    ----------
    day_first : bool, optional
        Read slashed dates in this order (another column's, so that a report's columns agree);
        default: told from the column.

    Raises
    ------
    ObservedDataError
        A cell that is not a date (in the order given or in either order), a time of day other
        than midnight, a date in the future; one line naming the file's line and the column.
    """
    texts = [str(t) for t in frame[column]]
    lines = [int(k) for k in frame.index]
    parts = [_parts(path, line, column, text) for line, text in zip(lines, texts, strict=True)]
    orders = [True, False] if day_first is None else [day_first]
    readings = {first: _read(parts, first) for first in orders}
    readable = {first: out for first, out in readings.items() if isinstance(out, list)}
    if not readable and day_first is None:  # 25/01 and 01/25 in one column: two orders
        day_only = [k for k, p in enumerate(parts) if p[3] and p[0] > 12]
        month_only = [k for k, p in enumerate(parts) if p[3] and p[1] > 12]
        if day_only and month_only:
            odd, usual = (
                (month_only, True) if len(day_only) >= len(month_only) else (day_only, False)
            )
            k = odd[0]
            problem = (
                f"{texts[k][:40]!r} reads only as {_name(not usual)}, while "
                f"{len(day_only if usual else month_only):,} other date(s) read only as "
                f"{_name(usual)}: one order per column"
            )
            raise ObservedDataError(located(path, problem, lines[k], column))
    if not readable:  # name the first line that the likelier reading cannot read
        likely = orders[0] if any(p[0] > 12 for p in parts if p[3]) else orders[-1]
        k = readings[likely]
        said = (
            "" if day_first is None else f" (read as the report's other dates: {_name(day_first)})"
        )
        problem = f"not a date ({FORMATS}){said}: {texts[k][:40]!r}"
        raise ObservedDataError(located(path, problem, lines[k], column))
    slashed = any(p[3] for p in parts)
    chosen = min(readable, key=lambda first: _span(readable[first]))
    out = DateColumn(readable[chosen], chosen if slashed else None)
    if slashed and len(readable) == 2 and readable[True] != readable[False]:
        other, span = _span(readable[not chosen]), _span(readable[chosen])
        why = (
            f"{_name(not chosen)} would spread them over {other:,} days, not {span:,}"
            if other != span
            else "nothing in the file tells which: give YYYY-MM-DD to be sure"
        )
        out.notes.append(
            f"note: {column}: dates read as {_name(chosen)} (every date reads either way; {why})"
        )
    if any(p[4] for p in parts):
        out.notes.append(f"note: {column}: two-digit years read as 20YY (export 4-digit years)")
    _not_in_future(path, column, lines, out.dates)
    return out


def _name(day_first: bool) -> str:
    return "DD/MM/YYYY" if day_first else "MM/DD/YYYY"


def _span(dates: list) -> int:
    return max(dates).toordinal() - min(dates).toordinal()


def _parts(path, line: int, column: str, text: str) -> tuple:
    """``(first, second, year, slashed, two_digit_year)`` of a date text: ``(day, month,
    year, False, False)`` for ISO, whose order is fixed."""
    iso = _ISO.match(text)
    slashed = None if iso else _SLASHED.match(text)
    found = iso or slashed
    if found is None:
        problem = f"not a date ({FORMATS}): {text[:40]!r}"
        raise ObservedDataError(located(path, problem, line, column))
    hour, minute, second, half = found.group(4, 5, 6, 7)  # half: AM or PM
    if hour is not None:
        hours = int(hour) % 12 if half else int(hour)  # 12:00 AM is midnight
        if (hours, int(minute), int(second or 0)) != (0, 0, 0) or (half or "").lower() == "pm":
            problem = f"a time of day other than midnight ({text[:40]!r}): expected one date a day"
            raise ObservedDataError(located(path, problem, line, column))
    if iso:
        year, month, day = (int(g) for g in iso.group(1, 2, 3))
        return day, month, year, False, False
    first, second, year = slashed.group(1, 2, 3)
    short = len(year) == 2
    return int(first), int(second), int(year) + (2000 if short else 0), True, short


def _read(parts: list[tuple], day_first: bool) -> list[date] | int:
    """The dates read one way, or the index of the first one that cannot be read so."""
    out = []
    for k, (first, second, year, slashed, _) in enumerate(parts):
        day, month = (first, second) if day_first or not slashed else (second, first)
        try:
            out.append(date(year, month, day))
        except ValueError:
            return k
    return out


def _not_in_future(path, column: str, lines: list[int], dates: list[date]) -> None:
    latest = latest_date()
    for line, when in zip(lines, dates, strict=True):
        if when > latest:
            problem = f"{when} is in the future (after {latest}, today + {FUTURE_MARGIN_DAYS} days)"
            raise ObservedDataError(located(path, problem, line, column))
