"""Observed data to calibrate against: a usage series, a Slack or Viva Engage export, adoption
times.

Five formats, told apart by their header (:func:`load_observed`):

- **a generic daily or weekly series**: ``date`` (ISO, ``YYYY-MM-DD``) or ``day`` (0 = launch),
  and any of ``weekly_active`` (people who visited in the 7 days to that day),
  ``daily_active``, ``registered``, ``posters`` (people who posted that day), ``weekly_posters``
  (people who posted in the 7 days to that day), ``readers``, ``posts``: shares 0-1 of
  head-count, or counts of people when a population is given (``--population N``); ``posts`` is
  always a count and needs the population.
- **Slack's workspace analytics export**, as downloaded (``Date``, ``Total enabled
  membership``, ``Daily active members``, ``Weekly active members``, ``Daily members posting
  messages``, ``Weekly members posting messages``...): :mod:`simulation.analysis.observed_slack`.
  Shares of each day's members unless a head-count is given.
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
columns, a date in the future (after today +
:data:`~simulation.analysis.observed_columns.FUTURE_MARGIN_DAYS`) or after the report's refresh
date, an observation beyond the longest run (``MAX_DAYS``), an organisation smaller than the
export's members or listed users. ``holidays`` (dates or a country's public holidays:
:mod:`simulation.analysis.observed_holidays`) leaves those days out of the series. The file is
read with the shared bounded reader (:mod:`simulation.base.bounded_read`): a regular file of at
most ``MAX_OBSERVED_BYTES`` (a FIFO or ``/dev/zero`` is refused at once), UTF-8.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.observed_adoption import PERIOD_COLUMNS, adoption_times
from simulation.analysis.observed_columns import (
    as_shares,
    check_increasing,
    check_within_run,
    column_dates,
    column_numbers,
    days_from_dates,
)
from simulation.analysis.observed_csv import ObservedDataError, read_rows
from simulation.analysis.observed_holidays import holiday_dates
from simulation.analysis.observed_record import AdoptionTimes, Observed
from simulation.analysis.observed_slack import is_slack, read_slack
from simulation.base.errors import located

#: observed series -> the model's daily column it is compared with (simulation.model.daily)
MODEL_COLUMN = {
    "weekly_active": "wau",
    "daily_active": "dau",
    "registered": "registered",
    "posters": "posts",
    "weekly_posters": "weekly_posters",
    "readers": "dau",
    "posts": "posts",
}

__all__ = [
    "MODEL_COLUMN", "AdoptionTimes", "Observed", "ObservedDataError", "load_observed",
    "posters_share",
]  # fmt: skip


def posters_share(posts, employed):
    """The model's day's posters (people) as a share 0-1 of that day's staff, as every other
    share (with intakes or turnover the head-count moves; a share of the organisation's size
    would not follow it). Arrays or pandas Series, element by element."""
    return posts / np.maximum(employed, 1)


def load_observed(
    path: str | Path,
    population: int | None = None,
    period_days: int = 1,
    launch: date | str | None = None,
    never_code: int | None = None,
    default_population: int | Callable[[], int] | None = None,
    holidays: str | None = None,
) -> Observed:
    """Read an observed file, whichever of the five formats it is (module docstring).

    Parameters
    ----------
    population : int, optional
        Head-count the counts of people are shares of, people (generic series; a Viva Engage
        per-user export defaults to the users it lists, its activity report to the
        organisation's size, a Slack export to each day's members).
    period_days : int
        Days per period of adoption times (30 for months, 365 for years). Default 1.
    launch : date or ISO str, optional
        Day 0 of the model; default the first date of the file.
    never_code : int, optional
        A period value meaning "never adopted" (besides an empty value and ``adopted`` = 0).
    default_population : int or callable, optional
        The organisation's head-count (people): the population of a Viva Engage activity
        report when ``population`` is not given, and the size that a Slack export's members or
        a per-user export's users must not exceed. A callable is called only once the file is
        checked (so that a caller can check the file before building its organisation).
    holidays : str, optional
        Days to leave out: dates and countries' calendars, comma-separated
        (:func:`~simulation.analysis.observed_holidays.holiday_dates`); needs dates (a file of
        ``day`` numbers needs ``launch``).
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

    def organisation_size() -> int | None:
        nonlocal default_population
        if callable(default_population):
            default_population = default_population()
        return default_population

    named = f"shares of {population:,} people (--population)" if population else ""
    kind = viva.kind_of(header)
    if kind == "viva_engage":
        size = organisation_size() if population is None else None
        observed = viva.activity_counts(path, frame, population or size, start)
        named = (
            named
            or f"shares of {size:,} people (the organisation's head-count; --population N for another)"
        )
    elif kind == "viva_engage_users":
        observed = viva.user_detail(path, frame, population, start)
        listed = observed.population
        size = organisation_size() if population is None else None
        if size is not None and listed > size:
            problem = (
                f"the export lists {listed:,} users, more than the organisation's {size:,} people"
            )
            raise ObservedDataError(located(path, problem, field="User Principal Name"))
        named = named or f"shares of the {listed:,} users the export lists"
    elif is_slack(header):
        observed, named = _slack(path, frame, population, start, organisation_size, named)
    elif any(c.lower() in PERIOD_COLUMNS for c in header):
        lower = {c.lower(): c for c in header}
        observed = adoption_times(path, frame, lower, period_days, never_code)
        named = f"shares of the {observed.population:,} people the file lists"
    else:
        observed = _generic(path, frame, population, start)
        named = named or "shares as given in the file"
    observed = replace(observed, head_count=named)
    size = organisation_size() if population and observed.adoption is None else None
    if size is not None and size != population:  # the model's shares are of the organisation
        observed.notes.append(
            f"note: the shares are of {population:,} people (--population), the organisation "
            f"has {size:,}: run on {population:,} people (--org generate:size={population}) "
            "for the model's shares to be of the same people"
        )
    if holidays:
        observed = _leave_out(observed, holidays, start)
    return observed


def _slack(path: Path, frame, population, start, organisation_size, named):
    export = read_slack(path, frame, population, start)
    most = int(export.membership.max())
    notes = []
    size = organisation_size()  # the members must fit in it, whatever the shares are of
    if size is not None:
        export.check_organisation(path, size)
    if population is None:
        if size is not None and size > most:
            notes.append(
                f"note: the organisation has {size:,} people, the export at most {most:,} "
                f"members: the model's shares are of its {size:,}; run on {most:,} people "
                f"(--org generate:size={most}) or divide by --population {size}"
            )
        low = int(export.membership.min())
        named = (
            f"shares of each day's {export.members_column} (the export: {low:,} to {most:,} "
            "members; --population N for a fixed head-count)"
        )
    observed = Observed(
        str(path), "slack", export.days, export.series, population or most,
        dates=export.dates, notes=notes,
        membership=export.membership.astype(float) if population is None else None,
    )  # fmt: skip
    return observed, named


def _leave_out(observed: Observed, spec: str, start: date | None) -> Observed:
    """``observed`` without the observations on the holidays of ``spec``."""
    if observed.adoption is not None:
        raise ObservedDataError(
            located(observed.source, "--holidays applies to usage series, not adoption times")
        )
    dates = observed.dates
    if dates is None:
        if start is None:
            problem = "--holidays needs dates: the file counts days (give --launch-date)"
            raise ObservedDataError(located(observed.source, problem))
        dates = [start + timedelta(days=int(d)) for d in observed.days]
    found, label = holiday_dates(spec, dates[0], dates[-1])
    off = np.array([d in set(found) for d in dates], dtype=bool)
    if off.all():
        problem = f"--holidays leaves no observation ({label} cover every observed day)"
        raise ObservedDataError(located(observed.source, problem))
    keep = ~off
    return replace(
        observed, days=observed.days[keep],
        series={k: v[keep] for k, v in observed.series.items()},
        membership=observed.membership[keep] if observed.membership is not None else None,
        dates=[d for d, k in zip(dates, keep, strict=True) if k] if observed.dates else None,
        holidays=tuple(int(d) for d in observed.days[off]),
        holiday_dates=[d for d, k in zip(dates, off, strict=True) if k], holiday_label=label,
    )  # fmt: skip


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
