"""What a calibration is fitted to: the observed file, the organisation, the days held out.

Read in this order, so that a bad file fails before a large organisation is built:

1. the observed file (:func:`simulation.analysis.observed.load_observed`), its holidays left out;
2. the organisation: the one given (``--org``), else the scenario's; when neither is given and
   the shares are of each day's members (a Slack export), a generated organisation of exactly
   the most members of the fitted days (``generate:size=N``), so that the model's head-count can
   follow the membership (:mod:`simulation.analysis.membership`); else the default;
3. the fitted window: with ``fit_until`` (a day number or a date), the observations up to that
   day are fitted and the later ones are kept to check the forecast against
   (:mod:`simulation.analysis.holdout`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from simulation.analysis.membership import joiners_to_come, most_members
from simulation.analysis.observed import Observed, ObservedDataError, load_observed
from simulation.analysis.observed_csv import read_rows
from simulation.analysis.observed_record import located
from simulation.analysis.observed_slack import is_slack


@dataclass
class Inputs:
    """The observed history (fitted part and whole), the organisation and its spec."""

    observed: Observed  # the observations fitted
    whole: Observed  # every observation (the same as ``observed`` without ``fit_until``)
    org: object
    org_spec: str | None
    fit_until: int | None = None  # the last fitted day, or None: every day fitted
    lines: list[str] = field(default_factory=list)
    horizon: int = 0  # days the runs cover: the forecast's end

    @property
    def held_out(self) -> bool:
        return self.fit_until is not None


def fit_until_day(spec, observed: Observed) -> int | None:
    """``fit_until`` (an int day, ``"182"``, or a date ``YYYY-MM-DD``) as a model day."""
    if spec is None:
        return None
    text = str(spec).strip()
    if isinstance(spec, int) or text.lstrip("-").isdigit():
        day = int(text)
    else:
        try:
            when = date.fromisoformat(text)
        except ValueError:
            problem = f"--fit-until {text[:40]!r}: a day number or a date YYYY-MM-DD"
            raise ObservedDataError(located(observed.source, problem)) from None
        if not observed.dates:
            problem = f"--fit-until {text}: the file counts days, not dates (give a day number)"
            raise ObservedDataError(located(observed.source, problem))
        first_day, first_date = int(observed.days[0]), observed.dates[0]
        day = first_day + (when - first_date).days
    days = observed.days
    if day < int(days[0]) or day >= int(days[-1]):
        problem = (
            f"--fit-until {text}: must leave observations on both sides (the file's days run "
            f"{int(days[0])} to {int(days[-1])})"
        )
        raise ObservedDataError(located(observed.source, problem))
    return day


def _slack_file(observed, population) -> bool:
    """Whether ``observed`` is a path to a Slack export read as shares of its members."""
    if population is not None or isinstance(observed, Observed):
        return False
    try:
        return is_slack(list(read_rows(Path(observed), is_header=is_slack).columns))
    except (ObservedDataError, OSError):
        return False  # the full read says what is wrong, in one line


def resolve(
    scenario,
    observed,
    org=None,
    population: int | None = None,
    period_days: int = 1,
    launch=None,
    holidays: str | None = None,
    columns: dict | None = None,
    fit_until=None,
    days: int | None = None,
    membership_after: str = "trend",
) -> Inputs:
    """The calibration's inputs (module docstring); ``days`` the forecast's end (default the
    scenario's, at least the observed days), ``membership_after`` ``trend`` or ``flat``
    (:mod:`simulation.analysis.membership`)."""
    if membership_after not in ("trend", "flat"):
        raise ObservedDataError(f"--membership-after {membership_after!r}: one of trend, flat")
    from simulation.experiments.sim import resolve_org

    sized = org is None and scenario.organisation is None and _slack_file(observed, population)
    resolved = []

    def organisation():
        if not resolved:
            resolved.append(resolve_org(org, scenario, columns=columns))
        return resolved[0]

    if not isinstance(observed, Observed):
        observed = load_observed(
            observed, population, period_days, launch, holidays=holidays,
            default_population=None if sized else (lambda: organisation().size),
        )  # fmt: skip
    whole = observed
    last = fit_until_day(fit_until, observed)
    if last is not None:
        observed = observed.truncated(last)
    lines = []
    spec = org if isinstance(org, str) else None
    horizon = max(days or scenario.days, whole.horizon)
    if sized:
        most = most_members(observed)
        coming = joiners_to_come(observed, horizon, membership_after)
        spec = f"generate:size={most + coming}"
        resolved.append(resolve_org(spec, scenario))
        room = f" and {coming:,} joiners to come by day {horizon - 1}" if coming else ""
        lines.append(
            f"organisation: generated, {most + coming:,} people (the most members of the fitted "
            f"days{room}; --org for another)"
        )
    if last is not None:
        held = int((whole.days > last).sum())
        lines.append(
            f"fitted to days {int(observed.days[0])}-{last} ({observed.days.size} observations); "
            f"{held} later observations (to day {int(whole.days[-1])}) held out to check the "
            "forecast"
        )
    return Inputs(observed, whole, organisation(), spec, last, lines, horizon)
