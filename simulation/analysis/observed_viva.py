"""The Microsoft 365 admin centre's Viva Engage (Yammer) exports, read as observed series.

The columns and their mapping to the model are described in :mod:`simulation.analysis.observed`
(Microsoft Graph, "reportRoot: getYammerActivityUserCounts" and
"reportRoot: getYammerActivityUserDetail", https://learn.microsoft.com/graph/api/). The admin
centre exports the newest date first: rows are put in time order, and a repeated date is an
error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.observed import Observed
from simulation.analysis.observed_columns import (
    as_shares,
    column_dates,
    column_numbers,
    days_from_dates,
)
from simulation.analysis.observed_csv import ObservedDataError
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


def kind_of(header: list[str]) -> str | None:
    """``viva_engage`` (activity counts), ``viva_engage_users`` (per-user detail) or ``None``
    (not a Viva Engage export), from the header: a header with some of an export's own
    columns is that export, so that a missing column is named instead of the file being
    taken for a generic series."""
    names = set(header)
    if names & (set(VIVA_USERS) - set(VIVA_COUNTS)):
        return "viva_engage_users"
    if names & set(_MARKS) or {"Read", "Posted"} <= names:
        return "viva_engage"
    return None


def _needs(path: Path, frame: pd.DataFrame, needed, known, what: str) -> None:
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        problem = f"{what} without its column {missing[0]!r}"
        raise ObservedDataError(located(path, problem, line=1))
    unknown = [c for c in frame.columns if c not in known]
    if unknown:
        raise ObservedDataError(located(path, f"unknown column of {what}", field=unknown[0]))


def _not_after_refresh(path: Path, frame: pd.DataFrame, column: str, dates, refresh) -> None:
    """No date of a report can be later than the day the report was refreshed."""
    for line, when, done in zip(frame.index, dates, refresh, strict=True):
        if when > done:
            problem = f"{when} is after the report's refresh date {done}"
            raise ObservedDataError(located(path, problem, int(line), column))


def activity_counts(path: Path, frame: pd.DataFrame, population, start) -> Observed:
    what = "a Viva Engage activity report"
    _needs(path, frame, COUNTS_NEEDED, VIVA_COUNTS, what)
    refresh = column_dates(path, frame, "Report Refresh Date")
    dates = column_dates(path, frame, "Report Date")
    _not_after_refresh(path, frame, "Report Date", dates, refresh)
    order = np.argsort([d.toordinal() for d in dates], kind="stable")
    # exports list the newest date first: put them in time order, then check for repeats
    frame, dates = frame.iloc[order], [dates[k] for k in order]
    days = days_from_dates(path, frame, "Report Date", dates, start)
    series = {}
    for column, name in (("Read", "readers"), ("Posted", "posters")):
        values = column_numbers(path, frame, column, integer=True)
        if population is None:
            raise ObservedDataError(
                located(path, "counts need a population (--population N)", field=column)
            )
        series[name] = as_shares(path, frame, column, values, population)
    return Observed(str(path), "viva_engage", days, series, population, dates=dates)


def user_detail(path: Path, frame: pd.DataFrame, population, start) -> Observed:
    _needs(path, frame, USERS_NEEDED, VIVA_USERS, "a Viva Engage user detail export")
    if start is None:
        raise ObservedDataError(
            located(path, "a user detail export needs the launch date (--launch-date)")
        )
    refresh = column_dates(path, frame, "Report Refresh Date")
    if len(set(refresh)) != 1:
        raise ObservedDataError(
            located(path, "more than one Report Refresh Date", field="Report Refresh Date")
        )
    listed = frame[
        frame.get("User State", pd.Series("", index=frame.index)).str.lower() != "deleted"
    ]
    population = population or len(listed)
    if len(listed) > population:
        raise ObservedDataError(
            located(path, f"{len(listed)} users above the population {population}")
        )
    last = listed["Last Activity Date"]
    active = last != ""
    when = column_dates(path, listed[active], "Last Activity Date") if active.any() else []
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
        str(path), "viva_engage_users", np.array([day]), series, population, dates=[refresh[0]]
    )
