"""The Microsoft 365 admin centre's Viva Engage (Yammer) exports, read as observed series.

The columns and their mapping to the model are described in :mod:`simulation.analysis.observed`
(Microsoft Graph, "reportRoot: getYammerActivityUserCounts" and
"reportRoot: getYammerActivityUserDetail", https://learn.microsoft.com/graph/api/). The admin
centre exports the newest date first: rows are put in time order, and a repeated date is an
error. As for a Slack export, headers are matched without regard to case, the dates may be
``DD/MM/YYYY`` or ``MM/DD/YYYY`` (:mod:`simulation.analysis.observed_dates`; a report's dates
are read in one order), and a column the export does not have is ignored with a note. The
activity report has one row a day: rows 7 days apart (a week's counts summed by hand?) are read
as the days they are dated, with a note saying so.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.observed_columns import as_shares, column_numbers, days_from_dates
from simulation.analysis.observed_csv import ObservedDataError, column_key
from simulation.analysis.observed_dates import read_dates
from simulation.analysis.observed_record import Observed
from simulation.base.errors import located

VIVA_COUNTS = ("Report Refresh Date", "Liked", "Posted", "Read", "Report Date", "Report Period")
VIVA_USERS = (
    "Report Refresh Date",
    "User Principal Name",
    "Display Name",
    "User State",
    "State Change Date",
    "Last Activity Date",
    "Posted Count",
    "Read Count",
    "Liked Count",
    "Assigned Products",
    "Report Period",
)


#: the columns each export must have (the others are not used)
COUNTS_NEEDED = ("Report Refresh Date", "Report Date", "Read", "Posted")
USERS_NEEDED = ("Report Refresh Date", "User Principal Name", "Last Activity Date")
#: columns that only a Viva Engage export has: one of them makes the file one
_MARKS = ("Report Refresh Date", "Report Date", "Report Period")
MARKS = frozenset(" ".join(m.lower().split()) for m in _MARKS)  # as column_key spells them


def kind_of(header: list[str]) -> str | None:
    """``viva_engage`` (activity counts), ``viva_engage_users`` (per-user detail) or ``None``
    (not a Viva Engage export), from the header (any case): a header with some of an export's
    own columns is that export, so that a missing column is named instead of the file being
    taken for a generic series."""
    names = {column_key(name) for name in header}
    if names & _keys(set(VIVA_USERS) - set(VIVA_COUNTS)):
        return "viva_engage_users"
    if names & _keys(_MARKS) or _keys(("Read", "Posted")) <= names:
        return "viva_engage"
    return None


def _keys(names) -> set[str]:
    return {column_key(name) for name in names}


def _canonical(frame: pd.DataFrame, known) -> pd.DataFrame:
    """``frame`` with the export's columns spelt as Microsoft does, whatever their case."""
    spelt = {column_key(name): name for name in known}
    return frame.rename(columns=lambda c: spelt.get(column_key(c), c))


def _needs(path: Path, frame: pd.DataFrame, needed, known, what: str, notes: list) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        problem = f"{what} without its column {missing[0]!r}"
        raise ObservedDataError(located(path, problem, line=1))
    unknown = [c for c in frame.columns if c not in known]
    if unknown:
        shown = ", ".join(repr(c[:40]) for c in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        notes.append(f"note: column(s) {shown}{more} not of {what}: ignored")


def _not_after_refresh(path: Path, frame: pd.DataFrame, column: str, dates, refresh) -> None:
    """No date of a report can be later than the day the report was refreshed."""
    for line, when, done in zip(frame.index, dates, refresh, strict=True):
        if when > done:
            problem = f"{when} is after the report's refresh date {done}"
            raise ObservedDataError(located(path, problem, int(line), column))


def _dated(path, frame, column: str, refresh_column: str, notes: list, whole=None):
    """A report's dates (``frame[column]``) and its refresh dates (``whole[refresh_column]``,
    default ``frame``'s), read in one order: a refresh date, one value, cannot tell it."""
    dates = read_dates(path, frame, column)
    whole = frame if whole is None else whole
    refresh = read_dates(path, whole, refresh_column, day_first=dates.day_first)
    notes += [n for n in dates.notes + refresh.notes if n not in notes]
    return dates.dates, refresh.dates


def activity_counts(path: Path, frame: pd.DataFrame, population, start, notes=None) -> Observed:
    """The activity report's ``Read`` and ``Posted`` as shares of ``population`` (people)."""
    what, notes = "a Viva Engage activity report", [] if notes is None else notes
    frame = _canonical(frame, VIVA_COUNTS)
    _needs(path, frame, COUNTS_NEEDED, VIVA_COUNTS, what, notes)
    if population is None:
        raise ObservedDataError(
            located(path, "counts need a population (--population N)", field="Read")
        )
    dates, refresh = _dated(path, frame, "Report Date", "Report Refresh Date", notes)
    _not_after_refresh(path, frame, "Report Date", dates, refresh)
    order = np.argsort([d.toordinal() for d in dates], kind="stable")
    # exports list the newest date first: put them in time order, then check for repeats
    frame, dates = frame.iloc[order], [dates[k] for k in order]
    days = days_from_dates(path, frame, "Report Date", dates, start)
    series = {}
    for column, name in (("Read", "readers"), ("Posted", "posters")):
        values = column_numbers(path, frame, column, integer=True)
        series[name] = as_shares(path, frame, column, values, population)
    _weekly(frame, days, notes)
    return Observed(str(path), "viva_engage", days, series, population, dates=dates, notes=notes)


def _weekly(frame: pd.DataFrame, days: np.ndarray, notes: list) -> None:
    """Say so when the rows are a week apart: the report has one row a day, and a week's
    counts read as one day's would be far too high (or, of distinct people, be the week's)."""
    steps = np.diff(days)
    if steps.size < 2 or (steps % 7).any():
        return
    periods = set(frame["Report Period"]) if "Report Period" in frame.columns else set()
    period = f" and their Report Period is {periods.pop()}" if len(periods) == 1 else ""
    notes.append(
        f"note: the rows are 7 days apart{period}: each is read as the readers and posters of "
        "the one day it is dated (the activity report has a row a day); if each counts a week, "
        "give them as a generic series (date, weekly_active, weekly_posters)"
    )


def user_detail(path: Path, frame: pd.DataFrame, population, start, notes=None) -> Observed:
    """The per-user export's one snapshot: weekly active and ever active, shares of the users
    it lists (or of ``population``)."""
    what, notes = "a Viva Engage user detail export", [] if notes is None else notes
    frame = _canonical(frame, VIVA_USERS)
    _needs(path, frame, USERS_NEEDED, VIVA_USERS, what, notes)
    if start is None:
        raise ObservedDataError(
            located(path, "a user detail export needs the launch date (--launch-date)")
        )
    listed = frame[
        frame.get("User State", pd.Series("", index=frame.index)).str.lower() != "deleted"
    ]
    active = (listed["Last Activity Date"] != "").to_numpy()
    if active.any():  # the many last activities tell the order of the one refresh date
        when, refresh = _dated(
            path, listed[active], "Last Activity Date", "Report Refresh Date", notes, frame
        )
    else:
        when, read = [], read_dates(path, frame, "Report Refresh Date")
        refresh = read.dates
        notes += read.notes
    if len(set(refresh)) != 1:
        raise ObservedDataError(
            located(path, "more than one Report Refresh Date", field="Report Refresh Date")
        )
    population = population or len(listed)
    if len(listed) > population:
        raise ObservedDataError(
            located(path, f"{len(listed)} users above the population {population}")
        )
    last_dates = [refresh[0]] * len(when)
    _not_after_refresh(path, listed[active], "Last Activity Date", when, last_dates)
    ages = np.array([(refresh[0] - d).days for d in when], dtype=np.int64)
    day = (refresh[0] - start).days
    if day < 0:
        raise ObservedDataError(
            located(path, f"refresh date {refresh[0]} is before the launch {start}")
        )
    series = {
        "weekly_active": np.array([float((ages < 7).sum()) / population]),
        "registered": np.array([float(active.sum()) / population]),
    }
    return Observed(
        str(path), "viva_engage_users", np.array([day]), series, population,
        dates=[refresh[0]], notes=notes,
    )  # fmt: skip
