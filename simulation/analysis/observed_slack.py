"""Slack's workspace analytics export (the "Overview" CSV of Slack's analytics dashboard).

The export, as downloaded (Slack Help Center, "Understand the data in your Slack analytics
dashboard"; e.g. the NHS-R Community's published export), has one row per day and, among
some 25 others, the columns:

``Date``
    ``YYYY-MM-DD``, or the exporter's locale: ``DD/MM/YYYY`` (en-GB) or ``MM/DD/YYYY`` (en-US),
    told from the file itself (:mod:`simulation.analysis.observed_dates`, which also reads a
    time of midnight and two-digit years).
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
the other columns (messages by channel, percentages of views, ``Name``...) are not used. A file
without some of the four series is read with those it has (a note names the others); the date
and members columns are needed. The counts are shares of each day's ``Total enabled
membership`` unless a head-count is given (``--population N``: then shares of N, and
``registered`` = membership / N is fitted too). Rows are put in time order; a repeated date is
an error; days missing from the export are simply not observed. The first rows with no member
(the workspace made before anyone was added) are left out with a note: day 0 is the first day
with members.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.observed_columns import (
    as_shares,
    column_numbers,
    days_from_dates,
    first_line,
)
from simulation.analysis.observed_csv import ObservedDataError, column_key
from simulation.analysis.observed_dates import read_dates
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
    notes : list of str
        How the file was read: dates' order, series missing, first rows without members.
    """

    dates: list
    days: np.ndarray
    series: dict
    membership: np.ndarray
    members_column: str
    lines: np.ndarray
    notes: list

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
    return any(column_key(name) in _MARKS for name in header)


def read_slack(path: Path, frame: pd.DataFrame, population: int | None, start) -> SlackExport:
    """A Slack export's series (module docstring): shares 0-1 of ``population`` when given
    (people), else of each day's membership."""
    columns = {column_key(c): c for c in frame.columns}
    date_column = columns.get("date")
    if date_column is None:
        raise ObservedDataError(
            located(path, "a Slack analytics export without its column 'Date'", line=1)
        )
    members = next((columns[k] for k in MEMBERSHIP if k in columns), None)
    if members is None:
        problem = "a Slack analytics export without its column 'Total enabled membership'"
        raise ObservedDataError(located(path, problem, line=1))
    present = [k for k in SLACK_SERIES if k in columns]
    if not present:
        known = ", ".join(repr(k.capitalize()) for k in SLACK_SERIES)
        problem = f"a Slack analytics export without any of its series ({known})"
        raise ObservedDataError(located(path, problem, line=1))
    read = read_dates(path, frame, date_column)
    notes = list(read.notes)
    notes += [
        f"note: no column {k.capitalize()!r}: its series ({SLACK_SERIES[k]}) is not fitted"
        for k in SLACK_SERIES if k not in columns
    ]  # fmt: skip
    order = np.argsort([d.toordinal() for d in read.dates], kind="stable")
    frame, dates = frame.iloc[order], [read.dates[k] for k in order]
    membership = column_numbers(path, frame, members, integer=True)
    frame, dates, membership = _from_first_member(path, frame, dates, membership, members, notes)
    days = days_from_dates(path, frame, date_column, dates, start)
    if population is not None:
        over = membership > population
        if over.any():
            k = first_line(frame, over)
            problem = f"{membership[k]:,.0f} members, more than the head-count {population:,}"
            raise ObservedDataError(located(path, problem, int(frame.index[k]), members))
    series = {}
    for key in present:
        name, column = SLACK_SERIES[key], columns[key]
        counts = column_numbers(path, frame, column, integer=True)
        above = counts > membership
        if above.any():
            k = first_line(frame, above)
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
    lines = frame.index.to_numpy()
    return SlackExport(dates, days, series, membership, members, lines, notes)


def _from_first_member(path, frame, dates, membership, members: str, notes: list):
    """The rows from the first day with a member (rows in date order): before it the workspace
    had no one to be active, and the model's day 0 has staff; a later day with no member is left
    out (a share of nobody is no observation)."""
    if not (membership > 0).any():
        problem = "no row has a member (0 on every day): nothing to calibrate against"
        raise ObservedDataError(located(path, problem, field=members))
    first = int(np.argmax(membership > 0))
    if first:
        rows = "row has" if first == 1 else f"{first} rows have"
        notes.append(
            f"note: the first {rows} no members ({members} 0): the history starts on "
            f"{dates[first]}, the first day with members"
        )
    frame, dates, membership = frame.iloc[first:], dates[first:], membership[first:]
    empty = membership <= 0  # later days with no member: an export's gap, not a share of nobody
    if empty.any():
        shown = ", ".join(str(d) for d, e in zip(dates, empty, strict=True) if e)
        notes.append(
            f"note: {int(empty.sum())} later day(s) with no members ({members} 0) left out, "
            f"not fitted as no one active: {shown[:120]}"
        )
        keep = ~empty
        frame, membership = frame[keep], membership[keep]
        dates = [d for d, k in zip(dates, keep, strict=True) if k]
    return frame, dates, membership
