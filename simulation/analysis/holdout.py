"""The forecast checked on observations the fit never saw (``esnsim calibrate --fit-until``).

A fit to the first weeks of a history is worth what its forecast of the later weeks is worth.
With ``fit_until`` the observations after that day are held out: the forecast (the bootstrap's
parameter sets run with fresh seeds, :mod:`simulation.analysis.forecast`) is compared with them
day by day, per series:

- the **mean error**: the forecast's mean minus the observed share, averaged over the held-out
  days (shares 0-1; above 0: the forecast too high);
- the **share inside the band**: of the held-out days, those whose observation lies within the
  forecast's 90 % band, the band holding the parameters' uncertainty, the replicates' noise and
  the binomial noise of a count on the day's head-count (the members of that day for a Slack
  export, else the population), as the fit's verdict does
  (:func:`simulation.analysis.fit_verdict.with_count_noise`);
- the RMSE.

Computed once into :class:`Holdout`, which the terminal, ``fit.json`` and ``holdout.parquet``
render.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from simulation.analysis.fit_verdict import with_count_noise
from simulation.analysis.observed import MODEL_COLUMN, Observed

#: the series a held-out check leads with when it is there
HEADLINE = ("weekly_active", "daily_active", "registered")
#: shares 0-1 of the headline's held-out days inside the 90 % band: from HOLDS the forecast
#: holds, below MISSES it misses (a 90 % band should hold about 90 % of them)
HOLDS, MISSES = 0.8, 0.5
#: what each grade says, under the headline line
GRADE_TEXT = {
    "holds": "the forecast holds on the held-out days",
    "partly": "the forecast holds on part of the held-out days only: use it with care",
    "misses": "the forecast misses the held-out days: do not use it as is (the verdict grades "
    "the fitted days only)",
}


@dataclass
class SeriesCheck:
    """One series' held-out figures (shares 0-1 and shares of days)."""

    series: str
    points: int
    mean_error: float
    inside: float
    rmse: float
    observed_mean: float
    forecast_mean: float


@dataclass
class Holdout:
    """The held-out check (module docstring)."""

    fit_until: int
    first_day: int
    last_day: int
    band: str
    checks: list[SeriesCheck] = field(default_factory=list)
    table: pd.DataFrame | None = None  # day, series, observed, mean, low, high, inside

    @property
    def headline(self) -> SeriesCheck:
        by_name = {c.series: c for c in self.checks}
        return next((by_name[s] for s in HEADLINE if s in by_name), self.checks[0])

    @property
    def grade(self) -> str:
        """``holds``, ``partly`` or ``misses``: the headline's share of days inside the band
        against :data:`HOLDS` and :data:`MISSES`."""
        inside = self.headline.inside
        return "holds" if inside >= HOLDS else "misses" if inside < MISSES else "partly"

    def lines(self) -> list[str]:
        """As printed: one line for the headline series, its grade, one per other series."""
        h = self.headline
        out = [
            f"held-out check, days {self.first_day}-{self.last_day} (after the fit's last day, "
            f"{self.fit_until}): {h.series} {100 * h.inside:.0f} % of {h.points} days inside the "
            f"90 % band, mean error {h.mean_error:+.3f} (forecast {h.forecast_mean:.3f} against "
            f"observed {h.observed_mean:.3f}), RMSE {h.rmse:.3f}",
            f"  {GRADE_TEXT[self.grade]}",
        ]
        for c in self.checks:
            if c is not h:
                out.append(
                    f"  {c.series}: {100 * c.inside:.0f} % inside, mean error {c.mean_error:+.3f}, "
                    f"RMSE {c.rmse:.3f}"
                )
        out.append(f"  the band holds {self.band}")
        return out

    def to_dict(self) -> dict:
        out = {k: v for k, v in asdict(self).items() if k != "table"}
        out["headline"] = self.headline.series
        out["grade"] = self.grade
        out["lines"] = self.lines()  # as printed: the report renders the same words
        return out


def check(whole: Observed, fit_until: int, forecast: pd.DataFrame, population) -> Holdout:
    """The held-out check of ``forecast`` (``day, column, mean, low, high``) on the
    observations of ``whole`` after ``fit_until``.

    ``population``: the head-count of the count noise (people), used when ``whole`` has no
    day-by-day membership.
    """
    later = whole.days > fit_until
    days = whole.days[later]
    members = whole.membership[later] if whole.membership is not None else None
    frames = []
    for name, values in whole.series.items():
        column = MODEL_COLUMN[name]
        curve = forecast[forecast["column"] == column].set_index("day")
        known = np.isin(days, curve.index.to_numpy())
        if not known.any():
            continue
        at = curve.loc[days[known]]
        counts = members[known] if members is not None else np.full(known.sum(), population)
        frames.append(
            pd.DataFrame(
                {
                    "day": days[known],
                    "series": name,
                    "observed": values[later][known],
                    "centre": at["mean"].to_numpy(),
                    "low": at["low"].to_numpy(),
                    "high": at["high"].to_numpy(),
                    "people": np.maximum(np.asarray(counts, dtype=float), 1.0),
                }
            )
        )
    if not frames:
        raise ValueError("the forecast covers none of the held-out days")
    table = pd.concat(frames, ignore_index=True)
    table = with_count_noise(table, table["people"].to_numpy())
    table["inside"] = (table["observed"] >= table["low"]) & (table["observed"] <= table["high"])
    table = table.rename(columns={"centre": "mean"})
    checks = []
    for name, rows in table.groupby("series", sort=False):
        error = rows["mean"] - rows["observed"]
        checks.append(
            SeriesCheck(
                series=str(name),
                points=len(rows),
                mean_error=float(error.mean()),
                inside=float(rows["inside"].mean()),
                rmse=float(np.sqrt(np.mean(error**2))),
                observed_mean=float(rows["observed"].mean()),
                forecast_mean=float(rows["mean"].mean()),
            )
        )
    band = "parameters, replicates and the binomial noise of a count on " + (
        "each day's members" if members is not None else f"{int(population):,} people"
    )
    return Holdout(
        int(fit_until), int(days.min()), int(days.max()), band, checks,
        table.drop(columns="people"),
    )  # fmt: skip
