"""The long ebb: a community's use over years, against the NHS-R Community's Slack (issue 27).

A volunteer community with a steady inflow of members (``scenarios/community_steady_inflow.yaml``)
is run for four years; its weekly active share of the registered and its weekly posters' share
of the weekly active are compared with the NHS-R Community's Slack workspace analytics export
(NHS-R Community, github.com/nhs-r-community/metrics, ``20240426-slack.csv``, CC0 1.0), read at
run time from ``$ESNSIM_DATA/communities/nhs_r_slack.csv`` (never copied into the project).
Without the file the long-ebb patterns are skipped with the reason (:func:`skip_reason`).

The model's weekly posters are its daily column ``weekly_posters`` (people who posted in the
last 7 days: the week's contributors plus heavy contributors).

:func:`calibrate_forecast` is the calibrate-then-forecast check: ``need.lapse_factor`` is fitted
to the community's first two years (a grid, least squares on the 28-day means of weekly active /
registered) and the next two years are forecast and compared with what the community did.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.model.engine import Engine
from simulation.org.model import Organisation
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "community_steady_inflow.yaml"
DATA_FILE = Path("communities") / "nhs_r_slack.csv"
#: the patterns (simulation.analysis.patterns) this module's statistics feed
PATTERN_KEYS = ("long_ebb_ratio", "long_ebb_posters", "long_ebb_drift")
YEAR = 365  # days
WINDOW = 28  # days: a 28-day mean, as the data's README tabulates
FIT_DAYS = 2 * YEAR  # calibrate on the first two years, forecast the next two
COLUMNS = {
    "Date": "date",
    "Total enabled membership": "registered",
    "Weekly active members": "weekly_active",
    "Weekly members posting messages": "weekly_posters",
}


def data_file() -> Path | None:
    """The NHS-R Community's export under ``$ESNSIM_DATA``, or None when absent."""
    home = os.environ.get("ESNSIM_DATA", "").strip()
    if not home:
        return None
    path = Path(home).expanduser() / DATA_FILE
    return path if path.is_file() else None


def skip_reason() -> str | None:
    """Why the long-ebb patterns cannot run (None when the data are there)."""
    if data_file() is not None:
        return None
    home = os.environ.get("ESNSIM_DATA", "").strip()
    where = f"ESNSIM_DATA={home}" if home else "ESNSIM_DATA not set"
    return (
        f"long-ebb patterns skipped: the NHS-R Community's Slack export ({DATA_FILE}) is not "
        f"found ({where})"
    )


def observed(path: Path | None = None) -> pd.DataFrame:
    """The community's daily series: ``day`` (days since its first row), ``registered``,
    ``weekly_active``, ``weekly_posters`` (people), ``ratio`` (weekly active / registered) and
    ``posters_share`` (weekly posters / weekly active); days without a row are absent."""
    path = path or data_file()
    if path is None:
        raise FileNotFoundError(skip_reason())
    raw = pd.read_csv(path, usecols=list(COLUMNS))
    table = raw.rename(columns=COLUMNS)
    dates = pd.to_datetime(table["date"], format="%d/%m/%Y")
    table["day"] = (dates - dates.min()).dt.days
    table = table[table["registered"] > 0].copy()
    table["ratio"] = table["weekly_active"] / table["registered"]
    table["posters_share"] = table["weekly_posters"] / table["weekly_active"].clip(lower=1)
    return table.drop(columns="date").reset_index(drop=True)


def window_mean(table: pd.DataFrame, column: str, end_day: int) -> float:
    """The mean of ``column`` over the rows of days ``end_day - WINDOW`` to ``end_day - 1``."""
    rows = table[(table["day"] >= end_day - WINDOW) & (table["day"] < end_day)]
    return float(rows[column].mean())


def scenario(**need) -> Scenario:
    """The shipped steady-inflow scenario, with ``need`` fields replaced."""
    data = Scenario.load(SCENARIO).model_dump(mode="python")
    data["need"].update(need)
    return Scenario.from_dict(data, source=SCENARIO.stem)


def run(org: Organisation, seeds, sc: Scenario | None = None) -> Engine:
    """The steady-inflow scenario (or ``sc``) on ``org`` for its four years."""
    sc = sc or scenario()
    return Engine(org, resolve_names(sc, org), seeds=seeds).run()


def series(engine: Engine) -> dict[str, np.ndarray]:
    """The model's daily ``ratio`` (weekly active / registered) and ``posters`` (weekly posters,
    share of staff) and ``wau``, each (days, replicates)."""
    v = engine.records.values
    return {"ratio": v["wau_of_registered"], "posters": v["weekly_posters"], "wau": v["wau"]}


def statistics(engine: Engine) -> dict[str, np.ndarray]:
    """Per replicate: ``long_ebb_ratio`` (weekly active / registered, the last 28 days of year
    three), ``long_ebb_posters`` (weekly posters / weekly active over years three and four) and
    ``long_ebb_drift`` (the ratio at the end of year four over the ratio at the end of year one)."""
    s = series(engine)
    end3, end1, end4 = 3 * YEAR, YEAR, min(4 * YEAR, s["ratio"].shape[0])
    ratio3 = s["ratio"][end3 - WINDOW : end3].mean(axis=0)
    later = slice(FIT_DAYS, end4)
    posters = s["posters"][later].sum(axis=0) / np.maximum(s["wau"][later].sum(axis=0), 1e-12)
    first = np.maximum(s["ratio"][end1 - WINDOW : end1].mean(axis=0), 1e-12)
    drift = s["ratio"][end4 - WINDOW : end4].mean(axis=0) / first
    return {"long_ebb_ratio": ratio3, "long_ebb_posters": posters, "long_ebb_drift": drift}


def published() -> dict[str, float]:
    """The community's own figures for the statistics of :func:`statistics`."""
    table = observed()
    later = table[(table["day"] >= FIT_DAYS) & (table["day"] < 4 * YEAR)]
    return {
        "long_ebb_ratio": window_mean(table, "ratio", 3 * YEAR),
        "long_ebb_posters": float(later["weekly_posters"].sum() / later["weekly_active"].sum()),
        "long_ebb_drift": window_mean(table, "ratio", 4 * YEAR) / window_mean(table, "ratio", YEAR),
    }


@dataclass
class Forecast:
    """The calibrate-then-forecast check's outcome."""

    grid: list[float]  # need.lapse_factor values tried
    losses: list[float]  # their squared errors on the first two years
    best: float  # the fitted need.lapse_factor
    days: np.ndarray  # the observed days (all four years)
    observed: np.ndarray  # the community's weekly active / registered on those days
    mean: np.ndarray  # the model's mean ratio on those days (the fitted value)
    low: np.ndarray  # its 5th percentile over replicates
    high: np.ndarray  # its 95th percentile

    @property
    def held_out(self) -> np.ndarray:
        """Boolean: the days of years three and four (the forecast)."""
        return self.days >= FIT_DAYS

    @property
    def mean_error(self) -> float:
        """Mean of model - observed over the forecast days (share of registered)."""
        h = self.held_out
        return float(np.nanmean(self.mean[h] - self.observed[h]))

    @property
    def inside(self) -> float:
        """Share 0-1 of the forecast days whose observed ratio lies in the model's 90 % band."""
        h = self.held_out
        o = self.observed[h]
        return float(((o >= self.low[h]) & (o <= self.high[h]))[~np.isnan(o)].mean())


def _smooth(values: np.ndarray) -> np.ndarray:
    """28-day trailing means along axis 0 (days), so the comparison is of levels, not weekdays."""
    c = np.cumsum(np.vstack([np.zeros_like(values[:1]), values]), axis=0)
    out = np.empty_like(values)
    for d in range(values.shape[0]):
        lo = max(0, d + 1 - WINDOW)
        out[d] = (c[d + 1] - c[lo]) / (d + 1 - lo)
    return out


def calibrate_forecast(
    org: Organisation, seeds, grid=(0.05, 0.1, 0.15, 0.2, 0.3), path: Path | None = None
) -> Forecast:
    """Fit ``need.lapse_factor`` to the community's first two years, forecast years three-four.

    Parameters
    ----------
    org : Organisation
        The population the members come from (its size sets only the noise).
    seeds : iterable of int
        Replicates.
    grid : sequence of float
        The ``need.lapse_factor`` values tried (shares 0-1).
    """
    table = observed(path)
    table = table[table["day"] < 4 * YEAR]
    days = table["day"].to_numpy()
    # the community's ratio as 28-day trailing means too (over the days with a row)
    daily = table.set_index("day")["ratio"].reindex(range(4 * YEAR))
    obs = daily.rolling(WINDOW, min_periods=7).mean().to_numpy()[days]
    fit = days < FIT_DAYS
    losses, runs = [], []
    for value in grid:
        ratio = _smooth(series(run(org, seeds, scenario(lapse_factor=value)))["ratio"])
        model = ratio[days]
        losses.append(float(np.nanmean((model.mean(axis=1)[fit] - obs[fit]) ** 2)))
        runs.append(model)
    k = int(np.argmin(losses))
    model = runs[k]
    return Forecast(
        list(grid),
        losses,
        float(grid[k]),
        days,
        obs,
        model.mean(axis=1),
        np.percentile(model, 5, axis=1),
        np.percentile(model, 95, axis=1),
    )
