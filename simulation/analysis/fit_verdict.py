"""The verdict on a fit: good, usable or poor, with its reasons and what to try.

A fit is judged on the observed points against the model's **90 % predictive band** over the
observed days (the forecast's band: the bootstrap's parameter sets run with fresh seeds, so
parameter uncertainty and replicate noise together; the best fit's own replicates when there
is no bootstrap). Given the head-count (``population``), the band is a predictive band for the
observed **count**: each side is widened by the binomial noise of a count on the head-count,
``1.645 sqrt(m (1 - m) / N)`` with ``m`` the band's centre, added in quadrature to the runs'
half-width (cumulative series, e.g. ``registered``, excepted: their noise is in the runs).
This is conservative: the runs already hold part of that noise when the organisation has the
head-count's size, and with few runs the 5th-95th percentiles of the runs alone are narrower
than 90 % (measured on the hand-made pilot of 600 people: 16 runs, weekday band half-width
about 0.025 against 0.029 for the binomial count alone at 25 % read). Four figures, all scale-free:

- **inside**: the share 0-1 of observed points inside that band (a model that could have made
  the data keeps about 90 % of them inside);
- **relative RMSE**: the RMSE of the fit's mean, per series divided by the series' observed
  range (max - min), then pooled;
- **skill**: ``1 - RMSE / RMSE_naive``, where the naive forecast is each series' observed mean
  (a skill score, Murphy 1988, *Monthly Weather Review* 116): 1 is perfect, 0 no better than a
  flat line at the mean, below 0 worse;
- **residual checks** on ``observed - fitted`` (in units of the observed range), each naming
  what the model misses: the **level** (mean residual), a **trend** (least-squares slope of the
  residuals, times the observed span), the **weekly rhythm** (mean residual by day of the week,
  max - min; daily data of two weeks or more) and the **launch peak** (mean residual of the
  first 7 days against the rest; daily data of two weeks or more). A check is missed when its
  size passes :data:`MISSED` of the range, or the band's mean half-width if that is smaller (a
  miss that takes points out of the band), and it stands out of the residuals' noise (twice
  its standard error).

Grade: **good** when at least 80 % of points are inside, the skill is at least 0.5 and no check
is missed; **poor** when fewer than half are inside or the fit is worse than the observed mean
(skill below 0); **usable** otherwise. Days marked as excluded (public holidays, the model has
none) are left out of every figure and counted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

#: size (share 0-1 of the observed range) above which a residual check counts as missed
MISSED = {"level": 0.1, "trend": 0.1, "weekly rhythm": 0.2, "launch peak": 0.15}
GOOD_INSIDE, GOOD_SKILL, POOR_INSIDE = 0.8, 0.5, 0.5


@dataclass
class Check:
    """One residual check: its size (share of the observed range, signed where it has a sign)."""

    name: str
    size: float
    missed: bool
    text: str

    def __post_init__(self) -> None:
        self.size, self.missed = float(self.size), bool(self.missed)


@dataclass
class Verdict:
    """A fit's verdict (module docstring), computed once and rendered by the terminal,
    ``fit.json`` and ``calibration.html``."""

    grade: str
    headline: str
    reasons: list[str]
    suggestions: list[str]
    inside: float
    points: int
    excluded: int
    rmse: float
    relative_rmse: float
    naive_rmse: float
    skill: float
    band: str
    checks: list[Check] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def lines(self) -> list[str]:
        """The verdict as printed: the headline, then one line per reason and suggestion."""
        return [
            self.headline,
            *(f"  - {r}" for r in self.reasons),
            *(f"  try: {s}" for s in self.suggestions),
        ]


#: series whose observation is cumulative (no fresh count noise on each date)
CUMULATIVE = ("registered",)
Z90 = 1.6449  # the standard normal's 95th percentile: a two-sided 90 % band


def _band(fitted: pd.DataFrame, forecast: pd.DataFrame | None) -> tuple[pd.DataFrame, str]:
    """The fitted table with the predictive band of the forecast where it covers the days."""
    if forecast is None or forecast.empty:
        return fitted.assign(centre=fitted["fitted"]), "the best fit's replicates"
    band = forecast.rename(columns={"column": "model_column", "low": "band_low",
                                    "high": "band_high", "mean": "centre"})[
        ["day", "model_column", "band_low", "band_high", "centre"]]  # fmt: skip
    merged = fitted.merge(band, on=["day", "model_column"], how="left")
    if merged["band_low"].isna().any():
        return fitted.assign(centre=fitted["fitted"]), "the best fit's replicates"
    merged = merged.assign(low=merged["band_low"], high=merged["band_high"])
    return merged, "parameters and replicates"


def with_count_noise(table: pd.DataFrame, population) -> pd.DataFrame:
    """Each side of the band widened by the binomial noise of a count on ``population``
    people (module docstring; an int, or an array of each row's head-count); cumulative series
    kept as they are."""
    m = table["centre"].clip(0, 1).to_numpy()
    noise = Z90 * np.sqrt(m * (1 - m) / population)
    noise = np.where(table["series"].isin(CUMULATIVE), 0.0, noise)
    below = np.maximum(m - table["low"].to_numpy(), 0.0)
    above = np.maximum(table["high"].to_numpy() - m, 0.0)
    low = np.maximum(m - np.hypot(below, noise), 0.0)
    high = np.minimum(m + np.hypot(above, noise), 1.0)
    # a band that does not hold its own centre (bias-corrected sets) keeps its own edge there
    return table.assign(low=np.minimum(low, table["low"]), high=np.maximum(high, table["high"]))


def _residual_checks(frame: pd.DataFrame, daily: bool) -> list[Check]:
    """Level, trend, weekly rhythm and launch peak of the residuals, in units of the range."""
    r = frame["scaled"].to_numpy()
    # a check is missed past its share of the range, or past the band's half-width (a miss
    # that puts the points outside the band), whichever is smaller
    half = max(float(frame["half"].mean()), 0.02)
    limit = {name: min(share, half) for name, share in MISSED.items()}
    day = frame["day"].to_numpy().astype(float)
    n = r.size
    checks = []
    if n < 2:
        return checks
    sd = float(np.std(r, ddof=1)) or 1e-12
    mean = float(r.mean())
    stands_out = abs(mean) > 2 * sd / np.sqrt(n)
    missed = abs(mean) > limit["level"] and stands_out
    side = "above" if mean > 0 else "below"
    checks.append(Check("level", mean, missed,
                        f"level: the data sit {abs(mean):.0%} of their range {side} the model "
                        "on average"))  # fmt: skip
    span = day.max() - day.min()
    if span > 0 and n >= 3:
        slope, intercept = np.polyfit(day, r, 1)
        rest = r - (slope * day + intercept)
        se = np.sqrt(np.sum(rest**2) / max(n - 2, 1) / np.sum((day - day.mean()) ** 2))
        change = float(slope * span)
        missed = abs(change) > limit["trend"] and abs(slope) > 2 * se
        way = "rise" if change > 0 else "fall"
        checks.append(Check("trend", change, missed,
                            f"trend: over the observed days the data {way} {abs(change):.0%} of "
                            "their range more than the model"))  # fmt: skip
    if daily and span >= 13:
        by_weekday = frame.groupby(frame["day"] % 7)["scaled"].agg(["mean", "count"])
        by_weekday = by_weekday[by_weekday["count"] >= 2]
        if len(by_weekday) >= 5:
            amplitude = float(by_weekday["mean"].max() - by_weekday["mean"].min())
            se = sd * np.sqrt(2 / by_weekday["count"].min())
            missed = amplitude > limit["weekly rhythm"] and amplitude > 2 * se
            checks.append(Check("weekly rhythm", amplitude, missed,
                                f"weekly rhythm: by day of the week the residuals differ by "
                                f"{amplitude:.0%} of the range"))  # fmt: skip
        first = frame["day"] < frame["day"].min() + 7
        if first.sum() >= 3 and (~first).sum() >= 7:
            gap = float(r[first.to_numpy()].mean() - r[~first.to_numpy()].mean())
            se = sd * np.sqrt(1 / first.sum() + 1 / (~first).sum())
            missed = abs(gap) > limit["launch peak"] and abs(gap) > 2 * se
            way = "above" if gap > 0 else "below"
            checks.append(Check("launch peak", gap, missed,
                                f"launch peak: the first week sits {abs(gap):.0%} of the range "
                                f"{way} the model, against the later weeks"))  # fmt: skip
    return checks


def judge(
    fitted: pd.DataFrame,
    forecast: pd.DataFrame | None = None,
    excluded_days=(),
    daily: bool = True,
    flagged: tuple[str, ...] = (),
    auto: bool = False,
    population: int | None = None,
) -> Verdict:
    """The verdict on a fit (module docstring).

    Parameters
    ----------
    fitted : DataFrame
        ``day, series, model_column, observed, fitted, low, high`` over the observed days
        (shares 0-1; :func:`simulation.analysis.forecast.fitted_table`).
    forecast : DataFrame, optional
        ``day, column, mean, low, high``: its band over the observed days is the one judged.
    excluded_days : iterable of int
        Days (e.g. public holidays) left out of every figure.
    daily : bool
        Whether the observations are daily (the weekly rhythm and launch peak need it).
    flagged : tuple of str
        The fitted fields whose value or interval sits on a bound (they shape the suggestions).
    auto : bool
        Whether the fields were chosen by ``--fit auto`` (then it is not suggested again).
    population : int or Series, optional
        The head-count (people) the observed shares are counts of: the band then holds the
        count's binomial noise too (module docstring). A Series indexed by day gives each day's
        head-count (a community's members that day, when the shares are of them).
    """
    table, band = _band(fitted, forecast)
    # cumulative series carry no count noise (module docstring): a band of only those has none
    counted = population is not None and not table["series"].isin(CUMULATIVE).all()
    if counted and isinstance(population, pd.Series):
        people = table["day"].map(population).fillna(population.iloc[-1]).clip(lower=1.0)
        table = with_count_noise(table, people.to_numpy(dtype=float))
        band += " and the binomial noise of a count on each day's members"
    elif counted and population:
        table = with_count_noise(table, int(population))
        band += f" and the binomial noise of a count on the head-count, {int(population):,} people"
    else:
        counted = False
    excluded = set(int(d) for d in excluded_days)
    keep = ~table["day"].isin(excluded)
    table = table[keep].copy()
    if table.empty:
        return Verdict("poor", "Poor fit: no observed point to judge it on.", [], [], np.nan,
                       0, int((~keep).sum()), np.nan, np.nan, np.nan, np.nan, band)  # fmt: skip
    inside = float(table["observed"].between(table["low"], table["high"]).mean())
    residual = table["observed"] - table["fitted"]
    grouped = table.groupby("series")["observed"]
    span = (grouped.transform("max") - grouped.transform("min")).to_numpy()
    span = np.where(span > 1e-12, span, np.maximum(np.abs(table["observed"].to_numpy()), 1e-6))
    table["scaled"] = residual.to_numpy() / span
    table["half"] = (table["high"] - table["low"]).to_numpy() / 2 / span
    rmse = float(np.sqrt(np.mean(residual**2)))
    naive = float(np.sqrt(np.mean((table["observed"] - grouped.transform("mean")) ** 2)))
    # one point per series (a snapshot) has no spread to be skilful against: no skill then
    skill = 1 - rmse / naive if naive > 0 else (1.0 if rmse == 0 else np.nan)
    relative = float(np.sqrt(np.mean(table["scaled"] ** 2)))
    checks = []
    for _, rows in table.groupby("series"):
        checks += _residual_checks(rows.sort_values("day"), daily)
    # one check per name across series: the largest
    worst: dict[str, Check] = {}
    for check in checks:
        key = (check.missed, abs(check.size))  # a missed check first, then the largest
        old = worst.get(check.name)
        if old is None or key > (old.missed, abs(old.size)):
            worst[check.name] = check
    checks = list(worst.values())
    missed = [c for c in checks if c.missed]
    if inside >= GOOD_INSIDE and skill >= GOOD_SKILL and not missed:
        grade = "good"
    elif inside < POOR_INSIDE or skill < 0:
        grade = "poor"
    else:
        grade = "usable"
    n = len(table)
    facts = (f"{inside:.0%} of {n} observed points inside the 90 % band, RMSE "
             f"{relative:.0%} of the observed range, skill "
             f"{'n/a' if np.isnan(skill) else format(skill, '.2f')} against the observed "
             "mean")  # fmt: skip
    if grade == "poor":
        what = ", ".join(c.name for c in missed) or "the shape"
        headline = f"Poor fit: {facts}; the model misses {what}. Do not use its forecast as is."
    else:
        headline = f"{grade.capitalize()} fit: {facts}."
    reasons = [c.text for c in missed]
    if counted:
        reasons.append(f"the band holds {band}")  # in words
    if (~keep).any():
        reasons.append(f"{int((~keep).sum())} points on excluded days (holidays) not judged")
    suggestions = _suggestions(grade, missed, flagged, auto, holidays=bool(excluded))
    return Verdict(grade, headline, reasons, suggestions, inside, n, int((~keep).sum()), rmse,
                   relative, naive, float(skill), band, checks)  # fmt: skip


def _suggestions(
    grade: str, missed: list[Check], flagged: tuple[str, ...], auto: bool, holidays: bool = False
):
    if grade == "good":
        return []
    out = []
    if flagged:
        out.append(f"widen the range of {', '.join(flagged)} (at or near a bound: the warnings "
                   "give the --fit to run), or fit other fields")  # fmt: skip
    if auto:
        out.append("add a field the screening left out beside auto (--fit auto --fit "
                   "PATH=LOW:HIGH), or let it choose more (Settings.auto_parameters)")  # fmt: skip
    else:
        out.append("--fit auto: a screening ranks the parameters by how much they move the "
                   "observed series and fits those the data identify")  # fmt: skip
    names = {c.name for c in missed}
    if "level" in names or "trend" in names:
        out.append("fields that set the level and the ebb of use: need.share, visits.base, "
                   "habit.decay")  # fmt: skip
    if "launch peak" in names:
        out.append("the launch: habit.novelty, adoption.p (with adoption.rate)")
    if "weekly rhythm" in names:
        out.append("visits.weekend_factor" if holidays else
                   "visits.weekend_factor; mark public holidays, the model has none")  # fmt: skip
    return out
