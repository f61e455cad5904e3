"""The observed history on the model's clock (:class:`Observed`), whichever file it came from.

Read by :func:`simulation.analysis.observed.load_observed`; what the calibration fits.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta

import numpy as np
import pandas as pd

from simulation.analysis.observed_csv import ObservedDataError
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
        ``series``, ``slack``, ``viva_engage``, ``viva_engage_users`` or ``adoption_times``.
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
    head_count : str
        Which head-count the shares are of, in one line for the output
        (``shares of 600 people (--population)``).
    holidays : tuple of int
        Model days left out as holidays (no longer among ``days``).
    holiday_dates : list of date
        Their dates.
    holiday_label : str
        What was left out (``public holidays of DE``).
    notes : list of str
        Lines about the data for the output (an organisation larger than the export's members).
    membership : float array or None
        Members on each observed day (people), when the shares are of each day's members (a
        Slack export without ``--population``): the head-count the model follows
        (:mod:`simulation.analysis.membership`).
    """

    source: str
    kind: str
    days: np.ndarray
    series: dict[str, np.ndarray]
    population: int | None = None
    period_days: int = 1
    adoption: AdoptionTimes | None = None
    dates: list | None = field(default=None)
    head_count: str = ""
    holidays: tuple = ()
    holiday_dates: list = field(default_factory=list)
    holiday_label: str = ""
    notes: list = field(default_factory=list)
    membership: np.ndarray | None = None

    def lines(self) -> list[str]:
        """What the output says about the data: the head-count, the days left out, notes."""
        out = [self.head_count] if self.head_count else []
        if self.holiday_dates:
            shown = ", ".join(str(d) for d in self.holiday_dates[:6])
            more = f" and {len(self.holiday_dates) - 6} more" if len(self.holiday_dates) > 6 else ""
            out.append(
                f"left out of the fit and the band coverage: {len(self.holiday_dates)} "
                f"observed day(s) on {self.holiday_label} ({shown}{more})"
            )
        out += list(self.notes)
        if self.dates and self.period_days == 1 and len(self.days):  # what the days count from
            start = self.dates[0] - timedelta(days=int(self.days[0]))
            out.append(f"day 0 is {start.isoformat()} ({start.strftime('%A')})")
        return out

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
        members = self.membership[keep] if self.membership is not None else None
        dates = [d for d, k in zip(self.dates, keep, strict=True) if k] if self.dates else None
        left = [(d, when) for d, when in zip(self.holidays, self.holiday_dates, strict=True)]
        left = [(d, when) for d, when in left if d <= last_day]
        return replace(
            self, days=self.days[keep], series=series, dates=dates, membership=members,
            holidays=tuple(d for d, _ in left), holiday_dates=[when for _, when in left],
        )  # fmt: skip
