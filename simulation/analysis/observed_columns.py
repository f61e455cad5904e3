"""Checks of an observed file's columns, each error one line naming the file, line and column:
numbers (:mod:`~simulation.analysis.observed_numbers`: finite, whole where counted, not
negative), days (in order, within the longest run), shares (0-1, or counts within the
population). Shared by the generic series, adoption times and the Slack and Viva Engage exports.

A file's rows may be put in date order before they are checked: an error names the earliest
line of the file that has it (:func:`first_line`), not the first in date order.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.observed_csv import ObservedDataError
from simulation.analysis.observed_numbers import numbers
from simulation.base.errors import located
from simulation.base.limits import MAX_DAYS


def first_line(frame: pd.DataFrame, mask) -> int:
    """The position, among the rows where ``mask`` holds, of the one earliest in the file."""
    where = np.flatnonzero(np.asarray(mask))
    return int(where[np.argmin(frame.index.to_numpy()[where])])


def column_numbers(
    path: Path, frame: pd.DataFrame, column: str, integer: bool = False, share: bool = False
) -> np.ndarray:
    """A column's numbers (people when ``integer``; ``share``: a percentage is read as a share,
    else it is an error), as spreadsheets write them: the file's decimal mark
    (``frame.attrs["decimal_comma"]``, set by :func:`~simulation.analysis.observed_csv.read_rows`),
    thousands separators, spaces."""
    out, bad = numbers(frame[column], frame.attrs.get("decimal_comma", False), share)
    if bad:
        k, problem = min(bad, key=lambda b: frame.index[b[0]])
        raise ObservedDataError(located(path, problem, int(frame.index[k]), column))
    fraction = out != np.round(out)
    if integer and fraction.any():
        k = first_line(frame, fraction)
        problem = f"expected a whole number, got {frame[column].iloc[k][:40]!r}"
        raise ObservedDataError(located(path, problem, int(frame.index[k]), column))
    negative = out < 0
    if negative.any():
        k = first_line(frame, negative)
        problem = f"negative value {out[k]:g}"
        raise ObservedDataError(located(path, problem, int(frame.index[k]), column))
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
        k = first_line(frame, beyond)
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
            k = first_line(frame, over)
            line = int(frame.index[k])
            problem = f"share {values[k]:g} above 1 (counts need --population N)"
            raise ObservedDataError(located(path, problem, line, column))
        return values
    over = values > population
    if over.any() and column != "posts":
        k = first_line(frame, over)
        line = int(frame.index[k])
        problem = f"count {values[k]:g} above the population {population}"
        raise ObservedDataError(located(path, problem, line, column))
    return values / population
