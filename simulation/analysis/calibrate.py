"""Calibration: fit scenario fields to an observed history, with intervals and a forecast.

``esn.calibrate(scenario, observed, org=..., fit=["adoption.p=1e-4:0.1:log"])`` and
``esnsim calibrate`` (:mod:`simulation.cli.calibrate`) do, in order:

1. **the fit**: the loss (:mod:`simulation.analysis.losses`: RMSE of the series, binomial
   likelihood of the counts, or the individual hazard likelihood of per-person adoption times,
   :mod:`simulation.analysis.hazard`) minimised over the fitted fields
   (:mod:`simulation.analysis.fit_space`) with common random numbers: a Sobol screening with
   ``replicates`` runs per candidate, then Nelder-Mead with ``final_replicates`` near the
   optimum (:mod:`simulation.analysis.optimise`); a warning when an optimum sits on a bound;
2. **uncertainty**, a parametric bootstrap on simulated histories: ``bootstrap`` histories are
   simulated from the best fit (fresh seeds) and each is fitted again from the best fit, with
   the fit's own replicates and seeds (``bootstrap_replicates``); the refits' mean gives
   the estimator's bias, which is removed (``2 best - mean``), and each parameter's 90 %
   interval is the basic bootstrap interval ``(2 best - q95, 2 best - q05)`` of the refits
   on the fitted scale (log for a log range), its quantiles the order statistics at ``k/(n+1)``
   that hold 90 % with 20 refits (:mod:`simulation.analysis.intervals`); the parameters,
   best-fit scenario and forecast use the corrected values; ``fit.json`` keeps the optimiser's
   own under ``optimum``;
3. **the test of the nested model** (``null``, by default ``adoption.q = 0`` when ``adoption.q``
   is fitted): a likelihood-ratio test, chi-square with one degree of freedom per fixed field,
   halved when the null value is the parameter's lower bound (Self & Liang 1987, *JASA* 82);
   with the RMSE loss the likelihood is the Gaussian one of the residuals. AIC and BIC of both;
4. **the forecast** (:mod:`simulation.analysis.forecast`): the bootstrap's parameter sets run
   to the end of the horizon with fresh seeds, so the 90 % bands hold both parameter
   uncertainty and replicate noise, and the probability of reaching each target.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from simulation.analysis import forecast_spread, holdout
from simulation.analysis.calibration_inputs import resolve as resolve_inputs
from simulation.analysis.calibration_output import organisation_block
from simulation.analysis.fit_null import information_criteria, null_test
from simulation.analysis.fit_rhythm import weekly_rhythm
from simulation.analysis.fit_screen import Screen, allowed_range, raise_with, screen
from simulation.analysis.fit_space import Parameter, Space, fixed_values, get_value, with_values
from simulation.analysis.fit_verdict import Verdict, judge
from simulation.analysis.fitter import Fit, Fitter
from simulation.analysis.holdout import Holdout
from simulation.analysis.intervals import (
    LEVEL,
    bias_corrected,
    flag_lines,
    interval_flags,
    interval_level,
    trade_offs,
)
from simulation.analysis.losses import LOSSES, observations
from simulation.analysis.membership import follow as follow_membership
from simulation.analysis.membership import members_by_day, most_members
from simulation.analysis.observed import Observed, ObservedDataError
from simulation.base.errors import InputError

#: observed days a fit needs at least (with one, a fitted curve passes through it and the
#: verdict's skill against the observed mean is undefined; two surveys a month apart can do)
MIN_DAYS = 2
#: the observed kind that is one date by design (Viva Engage's per-user detail export)
SNAPSHOT = "viva_engage_users"


@dataclass
class Settings:
    """The fit's budget (replicates, evaluations, bootstrap size)."""

    loss: str | None = None
    replicates: int = 8
    final_replicates: int = 24
    screening: int = 16
    evaluations: int = 40
    bootstrap: int = 20
    bootstrap_evaluations: int = 30
    #: replicates (and seeds) per refit of a bootstrap history; ``None``: the fit's own
    #: ``final_replicates``, so that a refit is the same estimator as the fit and the bias
    #: correction removes the fit's own common-random-numbers bias (fewer is cheaper but
    #: corrects for another seed set's bias)
    bootstrap_replicates: int | None = None
    #: where a refit starts: ``best`` (the best fit) or ``screen`` (a Sobol screening like the
    #: fit's own, so that a refit is the whole estimator). Measured on 20 histories of 2,000
    #: people (docs/validation.md): the refits spread the same either way; ``screen`` costs more
    bootstrap_start: Literal["best", "screen"] = "best"
    forecast_sets: int = 20
    forecast_replicates: int = 5
    seed: int = 0
    #: ``fit="auto"``: most fields the screening chooses, its Morris trajectories and the
    #: replicates per point (:mod:`simulation.analysis.fit_screen`)
    auto_parameters: int = 4
    screen_trajectories: int = 4
    screen_replicates: int = 4
    #: ``fit="auto"``: fix ``visits.weekend_factor`` (and ``visits.frontline_factor``) at the
    #: data's weekend-to-weekday ratio (:mod:`simulation.analysis.fit_rhythm`). Measured on two
    #: hand-made pilots with the default screen (docs/how-to/calibrate.md): 600 people 74-75 % ->
    #: 92-93 % of points inside; 1,200 people 78-85 % -> 76-82 %. With a smaller screen (3
    #: trajectories x 3 replicates) the choice of the other fields is unstable either way
    weekly_rhythm: bool = True
    #: ``fit="auto"``, a forecast past the observed days: its parameter sets draw the long
    #: run's fields the observed days do not fix within this factor of their values (1: off;
    #: :mod:`simulation.analysis.forecast_spread`)
    long_run_spread: float = 1.5


@dataclass
class Calibration:
    """The result: best values, intervals, the test of the null, the fitted and forecast curves.

    Attributes
    ----------
    parameters : dict of str to float
        Best-fit value of each fitted field.
    intervals : dict of str to (float, float)
        90 % bootstrap interval of each.
    best_scenario : Scenario
        The scenario with the best-fit values, runnable with ``esnsim run``.
    forecast : DataFrame
        ``day, column, mean, low, high`` to the end of the horizon (shares 0-1).
    fitted : DataFrame
        ``day, series, observed, fitted, low, high`` over the observed days.
    """

    parameters: dict[str, float]
    intervals: dict[str, tuple[float, float]]
    best_scenario: object
    loss: str
    fit: Fit
    null: dict | None
    bootstrap: pd.DataFrame
    fitted: pd.DataFrame
    forecast: pd.DataFrame
    targets: pd.DataFrame
    observed: Observed
    space: Space
    settings: Settings
    warnings: list[str] = field(default_factory=list)
    information: dict = field(default_factory=dict)
    #: per fitted field: ``on high bound``, ``zero width``, ``touches low bound``...
    flags: dict = field(default_factory=dict)
    #: pairs of fields whose bootstrap refits are correlated: ``(a, b, r)``
    trade_offs: list = field(default_factory=list)
    verdict: Verdict | None = None
    #: ``fit="auto"``: the screening that chose the fitted fields
    screen: Screen | None = None
    #: the organisation's ``organisation:`` block (from ``--org``), or None when not known
    organisation: dict | None = None
    organisation_name: str = ""
    #: ``fit_until``: the forecast checked on the held-out observations
    holdout: Holdout | None = None

    def summary(self) -> pd.DataFrame:
        """One row per fitted field: ``parameter, value`` (bias-corrected), ``optimum`` (the
        optimiser's), ``low, high`` (90 % interval), ``flags``, ``per_period``."""
        days = self.observed.period_days
        rows = []
        for name, value in self.parameters.items():
            low, high = self.intervals[name]
            rows.append({"parameter": name, "value": value, "optimum": self.fit.values[name],
                         "low": low, "high": high,
                         "flags": ", ".join(self.flags.get(name, []))})  # fmt: skip
            if days > 1 and name.split(".")[-1] in ("p", "q", "q_global"):
                rows[-1]["per_period"] = 1 - (1 - value) ** days
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        """The content of ``fit.json``."""
        from simulation.analysis.calibration_output import fit_json

        return fit_json(self)

    def plot(self):
        from simulation.analysis.calibration_output import figure

        return figure(self)

    def save(self, out_dir) -> list:
        from simulation.analysis.calibration_output import save

        return save(self, out_dir)


def _parameters(fit) -> list[Parameter]:
    if isinstance(fit, dict):
        return [Parameter(k, *v[:2], log=len(v) > 2 and v[2] == "log") for k, v in fit.items()]
    return [p if isinstance(p, Parameter) else Parameter.parse(p) for p in fit]


def default_loss(observed: Observed, scenario) -> str:
    """``hazard`` for adoption times under the bass rule; ``binomial`` for other adoption
    times; ``rmse`` for usage series (whose days are not independent draws)."""
    if observed.adoption is not None:
        return "hazard" if scenario.adoption.rule == "bass" else "binomial"
    return "rmse"


def calibrate(
    scenario,
    observed,
    org=None,
    fit=(),
    fix=None,
    null=None,
    loss: str | None = None,
    population: int | None = None,
    period_days: int = 1,
    launch=None,
    targets=None,
    days: int | None = None,
    settings: Settings | None = None,
    columns: dict | None = None,
    holidays: str | None = None,
    fit_until=None,
    membership_after: str = "trend",
) -> Calibration:
    """Fit ``fit`` fields of ``scenario`` to ``observed`` on ``org`` (module docstring).

    Parameters
    ----------
    scenario : Scenario, path or mapping
    observed : Observed or path
        Any format of :func:`simulation.analysis.observed.load_observed`.
    org : Organisation or ``--org`` spec, optional
    fit : list of ``PATH=LOW:HIGH[:log]`` (or :class:`Parameter`), or dict path -> (low, high[, "log"])
        or ``"auto"`` (also an ``"auto"`` item in the list): a screening chooses the fields
        (:mod:`simulation.analysis.fit_screen`), beside any given.
    fix : list of ``PATH=VALUE`` or dict, optional
    null : list of ``PATH=VALUE`` or dict, optional
        The nested model to test; default ``adoption.q=0`` when ``adoption.q`` is fitted.
    loss : ``rmse``, ``binomial`` or ``hazard``; default :func:`default_loss`.
    days : int, optional
        End of the forecast's horizon (default the scenario's days, at least the observed ones).
    holidays : str, optional
        Days left out of the fit and the band: dates and countries' calendars, comma-separated.
    fit_until : int or str, optional
        The last day fitted (a day number or a date): later observations are held out and the
        forecast is checked on them (:mod:`simulation.analysis.holdout`).
    membership_after : ``trend`` or ``flat``
        A followed membership after the last fitted day: growing at its recent pace, or held.
        A Slack export read as shares of each day's members makes the model's head-count follow
        the membership (:mod:`simulation.analysis.membership`); without ``org`` and an
        organisation in the scenario, the organisation is generated for the most members and
        the joiners to come.
    """
    from simulation.experiments.sim import resolve_scenario
    from simulation.metrics.targets import Target

    settings = settings or Settings()
    if settings.bootstrap_start not in ("best", "screen"):
        raise InputError(f"bootstrap_start {settings.bootstrap_start!r}: one of best, screen")
    base = resolve_scenario(scenario)
    items = [fit] if isinstance(fit, str) else list(fit) if not isinstance(fit, dict) else fit
    auto = not isinstance(items, dict) and any(str(x).strip() == "auto" for x in items)
    given = _parameters([x for x in items if str(x).strip() != "auto"] if auto else items)
    if auto:
        for p in given:  # a bad path fails now, not after the screening
            get_value(base, p.path)
    else:  # a bad field fails now, before the data and the organisation are read
        Space(base, given, fixed_values(fix))
    inputs = resolve_inputs(
        base, observed, org, population, period_days, launch, holidays, columns, fit_until,
        days, membership_after,
    )  # fmt: skip
    org, org_spec = inputs.org, inputs.org_spec
    base, followed = follow_membership(
        inputs.observed, base, org.size, inputs.horizon, membership_after
    )
    observed = replace(inputs.observed, notes=[*inputs.observed.notes, *inputs.lines, *followed])
    if not auto:  # adoption.rate raised with a fitted adoption.p that passes it, as auto does
        fixed = fixed_values(fix)
        coupled = raise_with(base, exclude=[*fixed, *(p.path for p in given)])
        space = Space(base, given, fixed, raise_with=coupled)
    loss = loss or settings.loss or default_loss(observed, base)
    if loss not in LOSSES:
        raise InputError(f"--loss {loss!r}: one of {', '.join(LOSSES)}")
    if loss == "hazard" and observed.adoption is None:
        raise InputError("--loss hazard needs per-person adoption times")
    population = most_members(observed) or observed.population or org.size
    chosen = None
    if auto:
        fixed = fixed_values(fix)
        ends, ends_line = [], None
        if inputs.horizon > observed.horizon:  # a forecast past the fitted days
            taken = {*fixed, *(p.path for p in given)}
            ends, ends_line = forecast_spread.long_run_parameter(base, taken)
        given = [*given, *ends]
        rhythm, rhythm_line = {}, None
        if settings.weekly_rhythm:
            rhythm, rhythm_line = weekly_rhythm(
                observed, with_values(base, fixed), float(np.mean(org.frontline)),
                exclude={*fixed, *(p.path for p in given)},
            )  # fmt: skip
        chosen = screen(
            org, with_values(base, fixed), observed, k=settings.auto_parameters,
            trajectories=settings.screen_trajectories, replicates=settings.screen_replicates,
            seed=settings.seed, exclude={*fixed, *rhythm, *(p.path for p in given)},
        )  # fmt: skip
        fixed = {**rhythm, **fixed}
        chosen.reasons.extend(line for line in (rhythm_line, ends_line) if line)
        space = Space(base, [*given, *chosen.chosen], fixed, raise_with=chosen.raise_with)
        dims = len(space.parameters)  # more fields need more of the optimiser's budget
        settings = replace(
            settings, evaluations=max(settings.evaluations, 20 * dims),
            screening=max(settings.screening, 8 * dims),
            bootstrap_evaluations=max(settings.bootstrap_evaluations, 10 * (dims + 1)),
        )  # fmt: skip
    horizon = inputs.horizon
    target_list = [Target.parse(t, horizon) for t in (targets or [])]

    enough_points(observed, len(space.parameters), inputs.fit_until)
    fitter = Fitter(org, space, observed, loss, population, settings)
    best = fitter.fit()
    estimates = fitter.bootstrap(best, settings.bootstrap)
    corrected, intervals = bias_corrected(space, best.values, estimates)
    flags = interval_flags(space, best.values, intervals)
    limits = {p.path: allowed_range(base, p.path) for p in space.parameters}
    level = interval_level(len(estimates))
    notes = flag_lines(space, best.values, intervals, flags, limits, level)
    if len(estimates) and level < LEVEL:  # the figures must not claim a 90 % they lack
        notes.insert(0, f"--bootstrap {len(estimates)}: the intervals are {100 * level:.0f} % intervals, "
                        "not 90 %, and the forecast's band holds fewer runs than a 90 % band "
                        "needs: 19 histories or more before relying on them")  # fmt: skip
    for note in notes:  # once each, for Python users; the CLI prints cal.warnings instead
        warnings.warn(note, FitWarning, stacklevel=2)
    pairs = trade_offs(space, estimates)
    null_result = null_test(org, space, observed, loss, population, settings, best, null)
    information = information_criteria(best, len(space.parameters), observations(observed))

    from simulation.analysis.forecast import fitted_table, forecast

    fitted = fitted_table(
        org, space, observed, best.values, fitter.seeds(settings.final_replicates)
    )
    shift = {k: corrected[k] - best.values[k] for k in space.names}  # the bias correction
    moved = [{k: v + shift[k] for k, v in row.items()} for row in estimates.to_dict("records")]
    moved = [space.values(space.unit(row)) for row in moved]  # kept within the bounds
    sets = [corrected, *moved][: max(1, settings.forecast_sets)]
    if auto and horizon > observed.horizon:  # the long run the fitted fields do not fix
        sets, line = forecast_spread.spread(
            space, sets, settings.long_run_spread, forecast_spread.unidentified(chosen),
            settings.seed,
        )  # fmt: skip
        observed.notes.extend([line] if line else [])
    curves, reached = forecast(org, space, sets, horizon, settings, target_list)
    by_day = members_by_day(observed)  # the shares are of each day's members
    verdict = judge(
        fitted, curves, excluded_days=getattr(observed, "holidays", None) or (),
        daily=observed.period_days == 1 and observed.adoption is None,
        flagged=tuple(k for k, v in flags.items() if any("bound" in f for f in v)),
        auto=chosen is not None, population=by_day if by_day is not None else population,
    )  # fmt: skip
    left_out = len(getattr(observed, "holidays", ()) or ())
    if left_out:  # already out of the observed days: say so beside the figures
        verdict.excluded += left_out
        verdict.reasons.append(f"{left_out} observed days on holidays left out (--holidays)")
    held = None
    if inputs.held_out:
        held = holdout.check(inputs.whole, inputs.fit_until, curves, population)
    block = organisation_block(org_spec, columns)
    return Calibration(
        parameters=corrected, intervals=intervals,
        best_scenario=space.scenario(corrected, days=horizon), loss=loss, fit=best,
        null=null_result, bootstrap=estimates, fitted=fitted, forecast=curves, targets=reached,
        observed=observed, space=space, settings=settings, warnings=notes,
        information=information, flags=flags, trade_offs=pairs, verdict=verdict,
        screen=chosen, organisation=block, organisation_name=f"{org.name} ({org.size} people)",
        holdout=held,
    )  # fmt: skip


def enough_points(observed: Observed, fields: int, fit_until: int | None) -> None:
    """Refuse a fit with fewer than :data:`MIN_DAYS` observed days, or with no more observed
    points than fields to fit (the fit would pass through the points and say nothing)."""
    days = int(observed.days.size)
    points = observations(observed)
    where = f" up to --fit-until {fit_until}" if fit_until is not None else ""
    least = 1 if observed.kind == SNAPSHOT else MIN_DAYS  # one date is all a snapshot has
    if days < least or points <= fields:
        raise ObservedDataError(
            f"{observed.source}: {days} observed day(s){where} ({points} point(s)) to fit "
            f"{fields} field(s): a fit needs at least {MIN_DAYS} days and more points than fields"
        )


class FitWarning(UserWarning):
    """A fitted field on a bound or with a degenerate interval (one line each)."""
