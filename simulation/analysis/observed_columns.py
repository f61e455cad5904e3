"""Checks of an observed file's columns, each error one line naming the file, line and column:
numbers (finite, whole where counted, not negative), dates (ISO, not in the future, in order,
within the longest run), shares (0-1, or counts within the population). Shared by the generic
series, adoption times and the Viva Engage exports."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.observed_csv import ObservedDataError
from simulation.base.errors import located
from simulation.base.limits import MAX_DAYS

#: the latest date an observation may carry: today plus this margin (time zones, a report
#: refreshed overnight); a later one is a typing error (2080 for 2026)
FUTURE_MARGIN_DAYS = 7


def column_numbers(
    path: Path, frame: pd.DataFrame, column: str, integer: bool = False
) -> np.ndarray:
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna().to_numpy() | ~np.isfinite(values.to_numpy(np.float64, na_value=np.nan))
    if bad.any():
        line = int(frame.index[np.flatnonzero(bad)[0]])
        text = frame[column].iloc[np.flatnonzero(bad)[0]]
        problem = "missing value" if text == "" else f"not a number: {text[:40]!r}"
        raise ObservedDataError(located(path, problem, line, column))
    out = values.to_numpy(np.float64)
    if integer and (out != np.round(out)).any():
        line = int(frame.index[np.flatnonzero(out != np.round(out))[0]])
        raise ObservedDataError(located(path, "expected a whole number", line, column))
    negative = out < 0
    if negative.any():
        line = int(frame.index[np.flatnonzero(negative)[0]])
        raise ObservedDataError(located(path, f"negative value {out[negative][0]:g}", line, column))
    return out


def latest_date() -> date:
    """The latest date an observation may carry: today plus :data:`FUTURE_MARGIN_DAYS`."""
    return date.fromordinal(date.today().toordinal() + FUTURE_MARGIN_DAYS)


def column_dates(path: Path, frame: pd.DataFrame, column: str) -> list[date]:
    out, latest = [], latest_date()
    for line, text in zip(frame.index, frame[column], strict=True):
        try:
            when = date.fromisoformat(text[:10])
        except ValueError:
            raise ObservedDataError(
                located(path, f"not a date (YYYY-MM-DD): {text[:40]!r}", int(line), column)
            ) from None
        if when > latest:
            problem = f"{when} is in the future (after {latest}, today + {FUTURE_MARGIN_DAYS} days)"
            raise ObservedDataError(located(path, problem, int(line), column))
        out.append(when)
    return out


def days_from_dates(path, frame, column, dates, start) -> np.ndarray:
    start = start or dates[0]
    days = np.array([(d - start).days for d in dates], dtype=np.int64)
    check_increasing(path, frame, column, days)
    if days[0] < 0:
        raise ObservedDataError(
            located(path, f"date {dates[0]} is before the launch {start}", int(frame.index[0]))
        )
    check_within_run(
        path, frame, column, days,
        lambda k: f"{dates[k]} is day {int(days[k]):,} after the launch {start}",
    )  # fmt: skip
    return days


def check_within_run(path, frame, column, days, describe) -> None:
    """Every observation must fall within the longest run (``MAX_DAYS``); ``describe(k)`` says
    what row ``k`` is, for the message."""
    beyond = days >= MAX_DAYS
    if beyond.any():
        k = int(np.flatnonzero(beyond)[0])
        problem = f"{describe(k)}, beyond the longest run ({MAX_DAYS:,} days)"
        raise ObservedDataError(located(path, problem, int(frame.index[k]), column))


def check_increasing(path, frame, column, days) -> None:
    steps = np.diff(days)
    if (steps <= 0).any():
        k = int(np.flatnonzero(steps <= 0)[0]) + 1
        problem = "repeated" if steps[k - 1] == 0 else "out of order (earlier than the row above)"
        raise ObservedDataError(located(path, f"{column} {problem}", int(frame.index[k]), column))


def as_shares(path, frame, column, values, population) -> np.ndarray:
    """Counts over ``population``, or shares checked to lie in 0-1."""
    if population is None:
        over = values > 1
        if over.any():
            line = int(frame.index[np.flatnonzero(over)[0]])
            problem = f"share {values[over][0]:g} above 1 (counts need --population N)"
            raise ObservedDataError(located(path, problem, line, column))
        return values
    over = values > population
    if over.any() and column != "posts":
        line = int(frame.index[np.flatnonzero(over)[0]])
        problem = f"count {values[over][0]:g} above the population {population}"
        raise ObservedDataError(located(path, problem, line, column))
    return values / population
