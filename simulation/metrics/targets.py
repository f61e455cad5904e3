"""Targets: "weekly active of at least 40 % by day 180" as ``wau>=0.4@180``.

A target names a metric, a comparison and a level, and optionally a day:

- with ``@DAY`` the metric is a daily series (a column of ``daily.parquet``) and the target is
  reached when the comparison holds on some day from 0 to DAY (inclusive);
- without it the metric is a per-run figure (a column of ``summary.parquet``, or
  ``cost_per_sustained_wau``) compared once, at the end of the run.

Expressions are parsed with a regular expression, never evaluated; a bad one raises
:class:`~simulation.base.errors.InputError` naming it.
"""

from __future__ import annotations

import math
import operator
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.base.errors import InputError
from simulation.metrics.summary import SUMMARY_COLUMNS
from simulation.model.daily import DAILY_COLUMNS

DERIVED_COLUMNS = ["cost_per_sustained_wau"]  # per-run figures computed by the comparison
PER_RUN_COLUMNS = [*SUMMARY_COLUMNS, *DERIVED_COLUMNS]

_PATTERN = re.compile(
    r"^\s*(?P<metric>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op>>=|<=|>|<)\s*"
    r"(?P<level>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(?:@\s*(?P<day>\d+))?\s*$"
)
#: characters; a longer expression is a mistake (and not echoed back whole)
MAX_TARGET_LENGTH = 200
_OPERATORS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


@dataclass(frozen=True)
class Target:
    """A parsed target: ``metric op level`` (by ``day``, when given)."""

    text: str
    metric: str
    op: str
    level: float
    day: int | None = None

    @classmethod
    def parse(cls, text: str, days: int | None = None) -> Target:
        """Parse ``text``; ``days`` (the run length) bounds ``@DAY``.

        Raises
        ------
        InputError
            One line naming the expression and what is wrong with it.
        """
        if len(str(text)) > MAX_TARGET_LENGTH:
            raise InputError(
                f"target of {len(str(text)):,} characters (at most {MAX_TARGET_LENGTH})"
            )
        match = _PATTERN.match(str(text))
        if match is None:
            raise InputError(
                f"target {text!r}: expected METRIC>=LEVEL[@DAY] (operators >=, <=, >, <), "
                "e.g. 'wau>=0.4@180' or 'sustained_wau>=0.3'"
            )
        metric, day = match["metric"], match["day"]
        if not math.isfinite(float(match["level"])):
            raise InputError(f"target {text!r}: the level must be a finite number")
        if day is not None:
            if len(day) > 5:  # also spares int() a 5,000-digit string (a ValueError past 4,300)
                raise InputError(f"target {text!r}: day {day[:8]}... is beyond any run")
            if metric not in DAILY_COLUMNS:
                raise InputError(
                    f"target {text!r}: {metric!r} with @DAY must be a daily series, one of "
                    + ", ".join(DAILY_COLUMNS)
                )
            if days is not None and int(day) >= days:
                raise InputError(
                    f"target {text!r}: day {day} is beyond the run (days 0 to {days - 1})"
                )
        elif metric not in PER_RUN_COLUMNS:
            hint = " (daily series need @DAY)" if metric in DAILY_COLUMNS else ""
            raise InputError(
                f"target {text!r}: {metric!r} is not a per-run figure{hint}; one of "
                + ", ".join(PER_RUN_COLUMNS)
            )
        return cls(text.strip(), metric, match["op"], float(match["level"]), _int(day))

    def holds(self, values) -> np.ndarray:
        """Elementwise comparison; NaN (never reached, undefined) never holds."""
        values = np.asarray(values, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            return _OPERATORS[self.op](values, self.level) & ~np.isnan(values)

    def evaluate(self, daily: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
        """Per run: ``scenario, replicate, reached`` (bool), ``day_reached`` and ``day_lost``.

        ``day_reached`` is the first day the comparison holds (daily targets) or NaN for a
        per-run figure. ``day_lost`` is, for a daily target reached, the day from which the
        comparison never holds again up to the end of the run (a launch spike that fades: the
        bare mandate reaches 40 % weekly active on day 0 and ends near 14 %); NaN when it still
        holds on the last day, when not reached, and for a per-run figure.
        """
        if self.day is None:
            out = summary[["scenario", "replicate"]].copy()
            out["reached"] = self.holds(summary[self.metric])
            out["day_reached"] = np.nan
            out["day_lost"] = np.nan
            return out.reset_index(drop=True)
        window = daily[daily["day"] <= self.day]
        hit = window.assign(_hit=self.holds(window[self.metric]))
        first = (
            hit[hit["_hit"]]
            .groupby(["scenario", "replicate"], sort=False)["day"]
            .min()
            .rename("day_reached")
        )
        runs = daily[["scenario", "replicate"]].drop_duplicates().reset_index(drop=True)
        out = runs.join(first, on=["scenario", "replicate"])
        out["day_reached"] = out["day_reached"].astype(np.float64)
        out.insert(2, "reached", out["day_reached"].notna())
        whole = daily.assign(_hit=self.holds(daily[self.metric]))
        keys = ["scenario", "replicate"]
        last_hit = whole[whole["_hit"]].groupby(keys, sort=False)["day"].max().rename("_last")
        end = whole.groupby(keys, sort=False)["day"].max().rename("_end")
        out = out.join(last_hit, on=keys).join(end, on=keys)
        lost = out["reached"] & (out["_last"] < out["_end"])
        out["day_lost"] = np.where(lost, out["_last"] + 1, np.nan).astype(np.float64)
        return out.drop(columns=["_last", "_end"])


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)
