"""Observed data to calibrate against: a usage series, a Viva Engage export, adoption times.

Four formats, told apart by their header (:func:`load_observed`):

- **a generic daily or weekly series**: ``date`` (ISO, ``YYYY-MM-DD``) or ``day`` (0 = launch),
  and any of ``weekly_active``, ``daily_active``, ``registered``, ``posters``, ``readers``,
  ``posts``: shares 0-1 of head-count, or counts of people when a population is given
  (``--population N``); ``posts`` is always a count and needs the population.
- **the Microsoft 365 admin centre's Viva Engage (Yammer) activity report, user counts**, as
  exported to CSV: ``Report Refresh Date, Liked, Posted, Read, Report Date, Report Period``, one
  row per report date with the number of users who liked, posted and read on that date
  (Microsoft Graph, "reportRoot: getYammerActivityUserCounts",
  https://learn.microsoft.com/graph/api/reportroot-getyammeractivityusercounts, and the admin
  centre's "Viva Engage activity report" page, which exports the same columns). Mapping:
  ``Read`` -> ``readers``, the day's visitors (model ``dau``: a visit is a read); ``Posted`` ->
  ``posters``, the day's posters (model ``posts``: a person posts at most once a day, so the
  day's posts are its posters); ``Liked`` is not modelled and is ignored. Counts of people:
  the population defaults to the organisation's head-count.
- **its per-user detail export**: ``Report Refresh Date, User Principal Name, Display Name,
  User State, State Change Date, Last Activity Date, Posted Count, Read Count, Liked Count,
  Assigned Products, Report Period`` (Microsoft Graph, "reportRoot: getYammerActivityUserDetail",
  https://learn.microsoft.com/graph/api/reportroot-getyammeractivityuserdetail). One snapshot,
  on the refresh date: ``weekly_active`` = share of the listed users whose last activity is
  within the 7 days up to that date; ``registered`` = share with any last activity (ever
  active). Needs the launch date (``launch``) to place the snapshot on the model's clock.
- **adoption times per person**: an attributes file with an id column (``employee_id`` or
  ``id``), a period-of-adoption column (``toa``, ``period`` or ``adoption_period``: 1 = the
  first period) and a never-adopted code: an empty period, ``adopted`` = 0 (netdiffuseR's
  right-censored coding), or the period ``never_code``. With ``period_days`` (30 for months,
  365 for years) period ``k`` is days ``(k - 1) D`` to ``k D - 1``; the series is the share
  adopted at the end of each period (model ``registered``).

Bad input raises :class:`ObservedDataError` (an :class:`InputError`) in one line naming the
file and the line or column: unknown columns, dates out of order, negative counts, shares above
1, a population smaller than a count, an empty series, unreadable values; a row missing a
column, an unterminated quote (the line it opens on), a Viva Engage export missing one of its
columns, a date in the future (after today + :data:`~simulation.analysis.observed_columns.FUTURE_MARGIN_DAYS`) or after the report's
refresh date, an observation beyond the longest run (``MAX_DAYS``). The file is read with the
shared bounded reader (:mod:`simulation.base.bounded_read`): a regular file of at most
``MAX_OBSERVED_BYTES`` (a FIFO or ``/dev/zero`` is refused at once), UTF-8.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.observed_columns import (
    as_shares,
    check_increasing,
    check_within_run,
    column_dates,
    column_numbers,
    days_from_dates,
)
from simulation.analysis.observed_csv import ObservedDataError, read_rows
from simulation.base.errors import located

#: observed series -> the model's daily column it is compared with (simulation.model.daily)
MODEL_COLUMN = {
    "weekly_active": "wau",
    "daily_active": "dau",
    "registered": "registered",
    "posters": "posts",
    "readers": "dau",
    "posts": "posts",
}
_PERIOD_COLUMNS = ("toa", "period", "adoption_period")
_ID_COLUMNS = ("employee_id", "id")


@dataclass
class AdoptionTimes:
    """Per-person adoption periods: ``period[i]`` 1, 2, ... or 0 for never adopted."""

    ids: np.ndarray
    period: np.ndarray
    periods: int


@dataclass
class Observed:
    """An observed history on the model's clock.

    Attributes
    ----------
    source : str
        The file it was read from.
    kind : str
        ``series``, ``viva_engage``, ``viva_engage_users`` or ``adoption_times``.
    days : int array
        The model day (0 = launch) at the end of which each observation was made, increasing.
    series : dict of str to float array
        Observed name (a key of :data:`MODEL_COLUMN`) -> shares 0-1 of ``population``.
    population : int or None
        Head-count the counts were divided by (None: given as shares).
    period_days : int
        Days per period (adoption times); 1 otherwise.
    adoption : AdoptionTimes or None
    dates : list of date or None
        The calendar date of each observation, when the file had dates.
    """

    source: str
    kind: str
    days: np.ndarray
    series: dict[str, np.ndarray]
    population: int | None = None
    period_days: int = 1
    adoption: AdoptionTimes | None = None
    dates: list | None = field(default=None)

    @property
    def horizon(self) -> int:
        """Days a run needs to cover every observation."""
        return int(self.days[-1]) + 1

    def to_frame(self) -> pd.DataFrame:
        """Long table ``day, series, observed`` (shares 0-1)."""
        rows = [
            pd.DataFrame({"day": self.days, "series": name, "observed": values})
            for name, values in self.series.items()
        ]
        return pd.concat(rows, ignore_index=True)

    def truncated(self, last_day: int) -> Observed:
        """The observations up to ``last_day`` (a pilot's first weeks of a longer history)."""
        keep = self.days <= last_day
        if not keep.any():
            raise ObservedDataError(located(self.source, f"no observation up to day {last_day}"))
        series = {k: v[keep] for k, v in self.series.items()}
        dates = [d for d, k in zip(self.dates, keep, strict=True) if k] if self.dates else None
        return Observed(
            self.source, self.kind, self.days[keep], series, self.population, self.period_days,
            self.adoption, dates,
        )  # fmt: skip


def load_observed(
    path: str | Path,
    population: int | None = None,
    period_days: int = 1,
    launch: date | str | None = None,
    never_code: int | None = None,
    default_population: int | Callable[[], int] | None = None,
) -> Observed:
    """Read an observed file, whichever of the four formats it is (module docstring).

    Parameters
    ----------
    population : int, optional
        Head-count behind counts of people (generic series; Viva Engage exports default to
        the number of listed users, or the caller's organisation size).
    period_days : int
        Days per period of adoption times (30 for months, 365 for years). Default 1.
    launch : date or ISO str, optional
        Day 0 of the model; default the first date of the file.
    never_code : int, optional
        A period value meaning "never adopted" (besides an empty value and ``adopted`` = 0).
    default_population : int or callable, optional
        The population of a Viva Engage activity report when ``population`` is not given
        (the organisation's head-count); a callable is called only then (so that a caller can
        check the file before building its organisation).
    """
    path = Path(path)
    frame = read_rows(path)
    header = list(frame.columns)
    if period_days < 1:
        raise ObservedDataError(located(path, f"period_days must be >= 1, got {period_days}"))
    if population is not None and population < 1:
        raise ObservedDataError(located(path, f"population must be >= 1, got {population}"))
    start = _launch(launch)
    from simulation.analysis import observed_viva as viva

    kind = viva.kind_of(header)
    if kind == "viva_engage":
        if population is None and callable(default_population):
            default_population = default_population()
        return viva.activity_counts(path, frame, population or default_population, start)
    if kind == "viva_engage_users":
        return viva.user_detail(path, frame, population, start)
    lower = {c.lower(): c for c in header}
    if any(c in lower for c in _PERIOD_COLUMNS):
        return _adoption_times(path, frame, lower, period_days, never_code)
    return _generic(path, frame, population, start)


def _launch(launch: date | str | None) -> date | None:
    if not isinstance(launch, str):
        return launch
    try:
        return date.fromisoformat(launch)
    except ValueError as error:
        problem = f"launch date {launch[:40]!r}: not a date (YYYY-MM-DD): {error}"
        raise ObservedDataError(problem) from None


def _generic(path: Path, frame: pd.DataFrame, population, start) -> Observed:
    header = list(frame.columns)
    clock = [c for c in header if c in ("date", "day")]
    if len(clock) != 1:
        raise ObservedDataError(
            located(path, "expected one of the columns 'date' or 'day'", field="header")
        )
    unknown = [c for c in header if c not in MODEL_COLUMN and c not in clock]
    if unknown:
        known = ", ".join(["date", "day", *MODEL_COLUMN])
        raise ObservedDataError(located(path, f"unknown column (known: {known})", field=unknown[0]))
    measured = [c for c in header if c in MODEL_COLUMN]
    if not measured:
        raise ObservedDataError(located(path, "no series column", field="header"))
    if "posts" in measured and population is None:
        raise ObservedDataError(
            located(path, "posts are counts: give --population N", field="posts")
        )
    dates = None
    if clock[0] == "date":
        dates = column_dates(path, frame, "date")
        days = days_from_dates(path, frame, "date", dates, start)
    else:
        values = column_numbers(path, frame, "day", integer=True)
        check_within_run(path, frame, "day", values, lambda k: f"day {values[k]:,.0f}")
        days = values.astype(np.int64)
        check_increasing(path, frame, "day", days)
    series = {}
    for column in measured:
        values = column_numbers(path, frame, column, integer=population is not None)
        series[column] = as_shares(path, frame, column, values, population)
    return Observed(str(path), "series", days, series, population, dates=dates)


def _adoption_times(path: Path, frame, lower, period_days, never_code) -> Observed:
    id_column = next((lower[c] for c in _ID_COLUMNS if c in lower), None)
    if id_column is None:
        raise ObservedDataError(
            located(path, "expected an id column (employee_id or id)", field="header")
        )
    column = next(lower[c] for c in _PERIOD_COLUMNS if c in lower)
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
