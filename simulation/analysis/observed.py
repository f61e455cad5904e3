"""Observed data to calibrate against: a usage series, a Slack or Viva Engage export, adoption
times.

Five formats, told apart by their header (:func:`load_observed`):

- **a generic daily or weekly series**: ``date`` or ``day`` (0 = launch), any case,
  and any of ``weekly_active`` (people who visited in the 7 days to that day),
  ``daily_active``, ``registered``, ``posters`` (people who posted that day), ``weekly_posters``
  (people who posted in the 7 days to that day), ``readers``, ``posts``: shares 0-1 of
  head-count, or counts of people when a population is given (``--population N``); ``posts`` is
  always a count and needs the population. Shares may be percentages (``12%``); rows are put
  in time order (:mod:`simulation.analysis.observed_generic`).
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

Files are read as exports and spreadsheets write them (:mod:`simulation.analysis.observed_csv`:
an ``.xlsx`` workbook, UTF-16, commas, semicolons or tabs, a title above the header, a totals
row, a trailing comma; :mod:`simulation.analysis.observed_numbers`: ``"1,150"``, decimal
commas, ``12%``; :mod:`simulation.analysis.observed_dates`: ``DD/MM/YYYY``, ``MM/DD/YYYY``, a
time of midnight), each liberty taken said in a note. A log of one row per person and day is
not read: the error says which formats are.

Bad input raises :class:`ObservedDataError` (an :class:`InputError`) in one line naming the
file and the line or column (the file's line, whatever order the rows are read in): unknown
columns of a generic series, repeated dates, negative counts, shares above
1, a population smaller than a count, an empty series, unreadable values; a row missing a
column, an unterminated quote (the line it opens on), a Viva Engage export missing one of its
columns, a date in the future (after today +
:data:`~simulation.analysis.observed_dates.FUTURE_MARGIN_DAYS`) or after the report's refresh
date, an observation beyond the longest run (``MAX_DAYS``), an organisation smaller than the
export's members or listed users. ``holidays`` (dates or a country's public holidays:
:mod:`simulation.analysis.observed_holidays`) leaves those days out of the series. The file is
read with the shared bounded reader (:mod:`simulation.base.bounded_read`): a regular file of at
most ``MAX_OBSERVED_BYTES`` (a FIFO or ``/dev/zero`` is refused at once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from simulation.analysis import observed_viva as viva
from simulation.analysis.observed_adoption import PERIOD_COLUMNS, adoption_times
from simulation.analysis.observed_csv import ObservedDataError, column_key, read_rows
from simulation.analysis.observed_generic import CLOCKS, generic_series
from simulation.analysis.observed_holidays import holiday_dates
from simulation.analysis.observed_record import MODEL_COLUMN, AdoptionTimes, Observed
from simulation.analysis.observed_slack import is_slack, read_slack
from simulation.base.errors import located

#: a person's column: with a date and no export's own column, a per-person daily log
_PERSON = (
    "user", "user id", "user_id", "userid", "user name", "username", "user principal name",
    "email", "e-mail", "person", "member id", "employee", "employee id", "employee_id",
)  # fmt: skip
SUPPORTED = (
    "a daily or weekly series (date or day, and weekly_active, daily_active, registered, "
    "posters...), Slack's analytics export, Viva Engage's activity report or user detail "
    "export, adoption times (id, toa)"
)

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
    notes: list[str] = []
    frame = read_rows(path, notes, is_header=lambda cells: file_format(cells) is not None)
    header = list(frame.columns)
    if period_days < 1:
        raise ObservedDataError(located(path, f"period_days must be >= 1, got {period_days}"))
    if population is not None and population < 1:
        raise ObservedDataError(located(path, f"population must be >= 1, got {population}"))
    start = _launch(launch)

    def organisation_size() -> int | None:
        nonlocal default_population
        if callable(default_population):
            default_population = default_population()
        return default_population

    named = f"shares of {population:,} people (--population)" if population else ""
    kind = file_format(header)
    if kind == "per_person_log":
        problem = (
            "one row per person and day is not a format read here: count each day's people "
            f"(one row a day) as one of {SUPPORTED}"
        )
        person = next(c for c in header if column_key(c) in _PERSON)
        raise ObservedDataError(located(path, problem, field=person))
    if kind == "viva_engage":
        size = organisation_size() if population is None else None
        observed = viva.activity_counts(path, frame, population or size, start, notes)
        named = (
            named
            or f"shares of {size:,} people (the organisation's head-count; --population N for another)"
        )
    elif kind == "viva_engage_users":
        observed = viva.user_detail(path, frame, population, start, notes)
        listed = observed.population
        size = organisation_size() if population is None else None
        if size is not None and listed > size:
            problem = (
                f"the export lists {listed:,} users, more than the organisation's {size:,} people"
            )
            raise ObservedDataError(located(path, problem, field="User Principal Name"))
        named = named or f"shares of the {listed:,} users the export lists"
        if size is not None and listed < size:  # the model's shares are of its whole head-count
            observed.notes.append(
                f"note: the shares are of the {listed:,} users the export lists, the "
                f"organisation has {size:,}: run on {listed:,} people "
                f"(--org generate:size={listed}), or give --population {size} if the export "
                "leaves out people who never had an account"
            )
    elif kind == "slack":
        observed, named = _slack(path, frame, population, start, organisation_size, named)
        observed.notes[:0] = notes
    elif kind == "adoption_times":
        lower = {c.lower(): c for c in header}
        observed = adoption_times(path, frame, lower, period_days, never_code)
        observed.notes[:0] = notes
        named = f"shares of the {observed.population:,} people the file lists"
    else:
        observed = generic_series(path, frame, population, start, notes)
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
    notes = list(export.notes)
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


def file_format(header: list[str]) -> str | None:
    """Which format a header is (any case): ``viva_engage``, ``viva_engage_users``, ``slack``,
    ``adoption_times``, ``series`` (a date or day column), ``per_person_log`` (a date and a
    person's column, none of an export's own: not read, but named), or None."""
    keys = {column_key(name) for name in header}
    kind = viva.kind_of(header) or ("slack" if is_slack(header) else None)
    if kind is None and keys & set(PERIOD_COLUMNS):
        kind = "adoption_times"
    by_person = keys & set(_PERSON) and keys & {"date", "day"} and not keys & viva.MARKS
    if by_person and kind in (None, "viva_engage"):  # Date,User,Posted,Read is no Viva export
        return "per_person_log"
    return kind or ("series" if keys & set(CLOCKS) else None)
