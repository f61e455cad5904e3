"""A generic daily or weekly series (the format is described in
:mod:`simulation.analysis.observed`): a ``date`` or ``day`` column and any of the series of
:data:`~simulation.analysis.observed_record.MODEL_COLUMN`, shares 0-1 (``12%`` read as 0.12) or
counts with a population. Column names are matched without regard to case (``Date``); rows are
put in time order (with a note), a repeated day is an error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.observed_columns import (
    as_shares,
    check_increasing,
    check_within_run,
    column_numbers,
    days_from_dates,
)
from simulation.analysis.observed_csv import ObservedDataError, column_key
from simulation.analysis.observed_dates import read_dates
from simulation.analysis.observed_record import MODEL_COLUMN, Observed
from simulation.base.errors import located

CLOCKS = ("date", "day")


def generic_series(path: Path, frame: pd.DataFrame, population, start, notes: list) -> Observed:
    """The series of a generic file, shares 0-1 of ``population`` (people) when given."""
    known = (*CLOCKS, *MODEL_COLUMN)
    frame = frame.rename(columns=lambda c: column_key(c) if column_key(c) in known else c)
    header = list(frame.columns)
    clock = [c for c in header if c in CLOCKS]
    if len(clock) != 1:
        raise ObservedDataError(
            located(path, "expected one of the columns 'date' or 'day'", field="header")
        )
    unknown = [c for c in header if c not in known]
    if unknown:
        problem = f"unknown column (known: {', '.join(known)})"
        raise ObservedDataError(located(path, problem, field=unknown[0]))
    measured = [c for c in header if c in MODEL_COLUMN]
    if not measured:
        raise ObservedDataError(located(path, "no series column", field="header"))
    if "posts" in measured and population is None:
        raise ObservedDataError(
            located(path, "posts are counts: give --population N", field="posts")
        )
    dates = None
    if clock[0] == "date":
        read = read_dates(path, frame, "date")
        notes += read.notes
        frame, dates = _in_order(frame, read.dates, [d.toordinal() for d in read.dates], notes)
        days = days_from_dates(path, frame, "date", dates, start)
    else:
        values = column_numbers(path, frame, "day", integer=True)
        frame, values = _in_order(frame, values, values, notes)
        check_within_run(path, frame, "day", values, lambda k: f"day {values[k]:,.0f}")
        days = np.asarray(values, dtype=np.int64)
        check_increasing(path, frame, "day", days)
    series = {}
    for column in measured:
        counted = population is not None
        values = column_numbers(path, frame, column, integer=counted, share=not counted)
        series[column] = as_shares(path, frame, column, values, population)
    return Observed(str(path), "series", days, series, population, dates=dates, notes=notes)


def _in_order(frame: pd.DataFrame, values, keys, notes: list):
    """``frame`` and ``values`` in the order of ``keys`` (a note when it was another)."""
    order = np.argsort(np.asarray(keys), kind="stable")
    if (order == np.arange(order.size)).all():
        return frame, values
    notes.append("note: the rows were not in time order: read in time order")
    picked = [values[k] for k in order] if isinstance(values, list) else np.asarray(values)[order]
    return frame.iloc[order], picked
