"""Slack's workspace analytics export (the "Overview" CSV of Slack's analytics dashboard).

The export, as downloaded (Slack Help Center, "Understand the data in your Slack analytics
dashboard"; e.g. the NHS-R Community's published export), has one row per day and, among
some 25 others, the columns:

``Date``
    ``YYYY-MM-DD``, or the exporter's locale: ``DD/MM/YYYY`` (en-GB) or ``MM/DD/YYYY``
    (en-US). Which of the two a file uses is told from the file itself: a first field above 12
    makes it day-first, a second field above 12 month-first; otherwise the reading whose dates
    lie closer together (the export is daily) is taken.
``Total enabled membership``
    Accounts that can sign in that day (older exports: ``Total membership``): the members.
``Daily active members`` -> ``daily_active`` (model ``dau``)
    Members who read or posted that day.
``Weekly active members`` -> ``weekly_active`` (model ``wau``)
    Members who read or posted in the 7 days to that day.
``Daily members posting messages`` -> ``posters`` (model ``posts``: at most one post a day)
    Members who posted that day.
``Weekly members posting messages`` -> ``weekly_posters`` (model ``weekly_posters``)
    Members who posted in the 7 days to that day.

Headers are matched without regard to case (exports differ: ``Total Enabled Membership``);
the other columns (messages by channel, percentages of views, ``Name``...) are not used. The
counts are shares of each day's ``Total enabled membership`` unless a head-count is given
(``--population N``: then shares of N, and ``registered`` = membership / N is fitted too).
Rows are put in time order; a repeated date is an error; days missing from the export are
simply not observed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.observed_columns import (
    FUTURE_MARGIN_DAYS,
    as_shares,
    column_numbers,
    days_from_dates,
    latest_date,
)
from simulation.analysis.observed_csv import ObservedDataError
from simulation.base.errors import located

#: Slack's column (lower case) -> the observed series it gives
SLACK_SERIES = {
    "daily active members": "daily_active",
    "weekly active members": "weekly_active",
    "daily members posting messages": "posters",
    "weekly members posting messages": "weekly_posters",
}
#: the members column, by its names in current and older exports (lower case)
MEMBERSHIP = ("total enabled membership", "total membership")
#: columns only a Slack analytics export has: one of them makes the file one
_MARKS = (*SLACK_SERIES, *MEMBERSHIP, "enabled full members", "total claimed members")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_FORMATS = "YYYY-MM-DD, DD/MM/YYYY or MM/DD/YYYY"


@dataclass
class SlackExport:
    """A Slack export read and checked, rows in time order.

    Attributes
    ----------
    dates : list of date
    days : int array
        Model days (0 = launch).
    series : dict of str to float array
        Observed name -> shares 0-1 (of the head-count when given, else of each day's members).
    membership : float array
        Members (``Total enabled membership``) on each day, people.
    members_column : str
        The members column's header as the file spells it.
    lines : int array
        The file's line of each row, for messages.
    """

    dates: list
    days: np.ndarray
    series: dict
    membership: np.ndarray
    members_column: str
    lines: np.ndarray

    def check_organisation(self, path: Path, size: int) -> None:
        """The organisation must hold every member the export counts on any day."""
        k = int(np.argmax(self.membership))
        most = self.membership[k]
        if most > size:
            problem = (
                f"{most:,.0f} members on {self.dates[k]}, more than the organisation's "
                f"{size:,} people: run on an organisation of at least {most:,.0f} people "
                f"(--org generate:size={most:.0f})"
            )
            raise ObservedDataError(located(path, problem, int(self.lines[k]), self.members_column))


def is_slack(header: list[str]) -> bool:
    """Whether a header is a Slack analytics export's (one of its own columns is there), so
    that a missing column is named instead of the file being taken for a generic series."""
    return any(_key(name) in _MARKS for name in header)


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def read_slack(path: Path, frame: pd.DataFrame, population: int | None, start) -> SlackExport:
    """A Slack export's series (module docstring): shares 0-1 of ``population`` when given
    (people), else of each day's membership."""
    columns = {_key(c): c for c in frame.columns}
    date_column = columns.get("date")
    if date_column is None:
        raise ObservedDataError(
            located(path, "a Slack analytics export without its column 'Date'", line=1)
        )
    members = next((columns[k] for k in MEMBERSHIP if k in columns), None)
    if members is None:
        problem = "a Slack analytics export without its column 'Total enabled membership'"
        raise ObservedDataError(located(path, problem, line=1))
    missing = [k for k in SLACK_SERIES if k not in columns]
    if missing:
        problem = f"a Slack analytics export without its column {missing[0].capitalize()!r}"
        raise ObservedDataError(located(path, problem, line=1))
    dates = slack_dates(path, frame, date_column)
    order = np.argsort([d.toordinal() for d in dates], kind="stable")
    frame, dates = frame.iloc[order], [dates[k] for k in order]
    days = days_from_dates(path, frame, date_column, dates, start)
    membership = column_numbers(path, frame, members, integer=True)
    if population is not None:
        over = membership > population
        if over.any():
            k = int(np.flatnonzero(over)[0])
            problem = f"{membership[k]:,.0f} members, more than the head-count {population:,}"
            raise ObservedDataError(located(path, problem, int(frame.index[k]), members))
    series = {}
    for key, name in SLACK_SERIES.items():
        column = columns[key]
        counts = column_numbers(path, frame, column, integer=True)
        above = counts > membership
        if above.any():
            k = int(np.flatnonzero(above)[0])
            problem = f"{counts[k]:,.0f} above the day's {members} {membership[k]:,.0f}"
            raise ObservedDataError(located(path, problem, int(frame.index[k]), column))
        if population is None:  # shares of the day's members (none yet: no one to count)
            series[name] = np.divide(
                counts, membership, out=np.zeros_like(counts), where=membership > 0
            )
        else:
            series[name] = as_shares(path, frame, column, counts, population)
    if population is not None:
        series["registered"] = membership / population
    return SlackExport(dates, days, series, membership, members, frame.index.to_numpy())


def slack_dates(path: Path, frame: pd.DataFrame, column: str) -> list[date]:
    """The dates of a Slack export, ISO or day-first or month-first (module docstring)."""
    texts = [str(t) for t in frame[column]]
    parts: list[tuple[int, int, int] | None] = []
    for line, text in zip(frame.index, texts, strict=True):
        slashed = _SLASHED.match(text)
        if slashed:
            parts.append(tuple(int(g) for g in slashed.groups()))
        elif _ISO.match(text):
            parts.append(None)
        else:
            problem = f"not a date ({_FORMATS}): {text[:40]!r}"
            raise ObservedDataError(located(path, problem, int(line), column))
    orders = [_read(parts, texts, day_first) for day_first in (True, False)]
    readable = [o for o in orders if isinstance(o, list)]
    if not readable:  # name the first line that the likelier reading cannot read
        likely = 0 if any(p and p[0] > 12 for p in parts) else 1
        k = orders[likely]
        problem = f"not a date ({_FORMATS}): {texts[k][:40]!r}"
        raise ObservedDataError(located(path, problem, int(frame.index[k]), column))
    out = min(readable, key=lambda ds: max(ds).toordinal() - min(ds).toordinal())
    latest = latest_date()
    for line, when in zip(frame.index, out, strict=True):
        if when > latest:
            problem = f"{when} is in the future (after {latest}, today + {FUTURE_MARGIN_DAYS} days)"
            raise ObservedDataError(located(path, problem, int(line), column))
    return out


def _read(parts, texts, day_first: bool) -> list[date] | int:
    """The dates read one way, or the index of the first text that cannot be read so."""
    out = []
    for k, (part, text) in enumerate(zip(parts, texts, strict=True)):
        try:
            if part is None:
                out.append(date.fromisoformat(text))
            else:
                first, second, year = part
                day, month = (first, second) if day_first else (second, first)
                out.append(date(year, month, day))
        except ValueError:
            return k
    return out
