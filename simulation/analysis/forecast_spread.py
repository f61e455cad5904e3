"""The long run's fields a short history does not fix, spread over the forecast's parameter sets.

A fit to a community's first weeks fixes what those weeks show: the launch, the first ebb, the
level. How members drift away over the following months (how long a need lasts, how often a
lapsed member comes back, how much the people without a need still visit) shows only later, and
``--fit auto`` fits the few fields that move the observed days most
(:mod:`simulation.analysis.fit_screen`); the others stay at their assumed values. A forecast band
that holds only the fitted fields' uncertainty then claims to know the long run. So, when the
forecast runs past the observed days after ``--fit auto``, every parameter set but the best
fit's draws each of :data:`LONG_RUN`'s fields that the screening found with too little effect
on the observed days to fit (:func:`unidentified`; neither fitted nor fixed, and not 0: a
mechanism that is off stays off) log-uniformly from ``value / factor`` to ``value * factor``,
within the screen's range of the field: the band then holds the long run's assumptions too, and
the output says which. ``factor`` 1 turns it off (``Settings.long_run_spread``). A field with a
clear effect on the observed days is not spread: the fitted fields have made up for its value,
and moving it alone would move the fitted days away from the data.

``factor`` 1.5 is an assumption: a field set by hand or tuned to other organisations is not
known to better than that for a given community (the defaults' sources in docs/ODD.md).
Measured on three generated community exports fitted on 26 weeks and checked on the next 26
(``benchmarks/community_forecast.py``), weekly active's held-out days inside the band and mean
error: without :func:`long_run_parameter` and factor 2, 75 % (-0.029, one export); factor 2
on every unfitted long-run field, whatever its effect on the fitted days, 100 % (-0.010 to
-0.038), but with a band of half-width 0.13-0.14 (and a pilot's fitted days fell to 52 %
inside). With :func:`long_run_parameter`: factor 1 (off) 96-99 % (-0.012 to -0.020, half-width
0.037-0.040); factor 1.5, as shipped, 96-100 % (-0.011 to -0.020, half-width 0.037-0.043),
and 88-100 % (-0.008 to -0.026) once the day's posters were a share of each day's members.
"""

from __future__ import annotations

import numpy as np

from simulation.analysis.fit_screen import CLEAR, RELATIVE, candidates
from simulation.analysis.fit_space import Parameter, get_value

#: the fields that set the long run of use (docs/ODD.md: need, lapse and dormancy)
LONG_RUN = (
    "need.duration",
    "need.duration_shape",
    "need.without_need",
    "need.lapse_factor",
    "habit.lapse_rate",
    "habit.return_rate",
    "habit.return_tau",
)
SPREAD_SEED = 400_000  # the draws' seed above the fit's: never the screen's or the forecast's


#: the long run's field ``--fit auto`` fits when the forecast runs past the fitted days
ENDS = "need.duration"
ENDS_RANGE = 10.0  # its range: value / ENDS_RANGE to value * ENDS_RANGE (log), within bounds


def long_run_parameter(scenario, taken: set[str]) -> tuple[list[Parameter], str | None]:
    """``need.duration`` to fit beside ``--fit auto``'s choice when needs end in ``scenario``
    (and it is neither given nor fixed), and the line that says why.

    How long members' needs last sets how far a community's use keeps falling after the fitted
    days; its start shows in them (the first cohort's decline), but the screening, which ranks
    fields by their effect on the fitted days alone, may prefer fields that move the posts or the
    launch week more. Measured on generated community exports fitted on 26 weeks (docs/how-to/
    calibrate.md): the forecast's mean error on the next 26 was -0.031 and -0.038 without it,
    -0.008 and -0.021 with it."""
    value = float(get_value(scenario, ENDS))
    if value <= 0 or ENDS in taken:
        return [], None
    high = min(value * ENDS_RANGE, 36_500.0)
    parameter = Parameter(ENDS, value / ENDS_RANGE, high, log=True)
    line = (
        f"fit {ENDS} in [{parameter.low:.3g}, {high:.3g}] (log) beside --fit auto's choice: how "
        "long members' needs last sets the long run of the forecast past the fitted days"
    )
    return [parameter], line


def unidentified(screen) -> set[str]:
    """The fields the screening found with too little effect on the observed days to fit."""
    if screen is None or not screen.ranking:
        return set()
    clear = max(CLEAR, RELATIVE * screen.ranking[0]["mu_star"])
    return {r["path"] for r in screen.ranking if r["mu_star"] < clear}


def spread(
    space, sets: list[dict], factor: float, unfixed: set[str], seed: int = 0
) -> tuple[list[dict], str | None]:
    """``sets`` with the long-run fields of ``unfixed`` (:func:`unidentified`) that ``space``
    neither fits nor fixes drawn in every set but the first, and the line that says which
    (None when none is spread)."""
    if factor <= 1 or len(sets) < 2:
        return sets, None
    taken = set(space.names) | set(space.fixed)
    ranges = {p.path: (p.low, p.high) for p in candidates(space.base, exclude=taken)}
    fields = []
    for path in LONG_RUN:
        if path in taken or path not in ranges or path not in unfixed:
            continue  # fitted, fixed, off (0), not in this scenario or fixed by the data
        value = float(get_value(space.base, path))
        low, high = ranges[path]  # the screen's range: within the field's own bounds
        fields.append((path, max(value / factor, low), min(value * factor, high), value))
    if not fields:
        return sets, None
    rng = np.random.default_rng(np.random.SeedSequence(seed + SPREAD_SEED))
    out = [dict(sets[0])]
    for values in sets[1:]:
        drawn = dict(values)
        for path, low, high, _ in fields:
            drawn[path] = float(np.exp(rng.uniform(np.log(low), np.log(high))))
        out.append(drawn)
    names = ", ".join(f"{path} ({value:.3g})" for path, _, _, value in fields)
    line = (
        f"the forecast's band also holds the long run's fields the observed days do not fix, "
        f"each drawn within a factor {factor:g} of its value (Settings.long_run_spread): {names}"
    )
    return out, line
