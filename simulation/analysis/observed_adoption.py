"""Adoption times per person (an attributes file with a period of adoption), read as the
share adopted at the end of each period (model ``registered``); the format is described in
:mod:`simulation.analysis.observed`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.observed_columns import check_within_run, column_numbers
from simulation.analysis.observed_csv import ObservedDataError
from simulation.analysis.observed_record import AdoptionTimes, Observed
from simulation.base.errors import located

#: the period-of-adoption column's names and the id column's (lower case)
PERIOD_COLUMNS = ("toa", "period", "adoption_period")
_ID_COLUMNS = ("employee_id", "id")


def adoption_times(path: Path, frame, lower, period_days, never_code) -> Observed:
    id_column = next((lower[c] for c in _ID_COLUMNS if c in lower), None)
    if id_column is None:
        raise ObservedDataError(
            located(path, "expected an id column (employee_id or id)", field="header")
        )
    column = next(lower[c] for c in PERIOD_COLUMNS if c in lower)
    text = frame[column]
    never = (text == "").to_numpy().copy()
    known = frame[~never]
    period = np.zeros(len(frame))
    period[~never] = column_numbers(path, known, column, integer=True)
    if never_code is not None:
        never |= period == never_code
    if "adopted" in lower:
        flag = column_numbers(path, frame, lower["adopted"], integer=True)
        if (flag > 1).any():
            line = int(frame.index[np.flatnonzero(flag > 1)[0]])
            raise ObservedDataError(located(path, "adopted must be 0 or 1", line, lower["adopted"]))
        never |= flag == 0
    zero = (period < 1) & ~never
    if zero.any():
        line = int(frame.index[np.flatnonzero(zero)[0]])
        raise ObservedDataError(located(path, "periods start at 1", line, column))
    period[never] = 0
    last = period * period_days - 1
    check_within_run(
        path, frame, column, last,
        lambda k: f"period {period[k]:,.0f} of {period_days} days ends on day {last[k]:,.0f}",
    )  # fmt: skip
    period = period.astype(np.int64)
    ids = frame[id_column].to_numpy().astype(str)
    duplicated = pd.Series(ids).duplicated().to_numpy()
    if duplicated.any():
        line = int(frame.index[np.flatnonzero(duplicated)[0]])
        raise ObservedDataError(
            located(path, f"duplicate id {ids[duplicated][0]!r}", line, id_column)
        )
    if not (period > 0).any():
        raise ObservedDataError(located(path, "empty series: nobody adopted", field=column))
    periods = int(period.max())
    ends = np.arange(1, periods + 1)
    cumulative = np.array([((period > 0) & (period <= k)).mean() for k in ends])
    days = ends * period_days - 1
    adoption = AdoptionTimes(ids, period, periods)
    return Observed(
        str(path),
        "adoption_times",
        days,
        {"registered": cumulative},
        len(ids),
        period_days,
        adoption,
    )
