"""The long run's fields a short history cannot fix, spread over the forecast's parameter sets.

A fit to a community's first weeks fixes what those weeks show: the launch, the first ebb, the
level. How members drift away over the following months (how long a need lasts, how often a
lapsed member comes back, how much the people without a need still visit) shows only later: the
screening (:mod:`simulation.analysis.fit_screen`) finds these fields have too little effect on
the observed days to be fitted, and they stay at their assumed values. A forecast band that holds
only the fitted fields' uncertainty then claims to know the long run. So, when the forecast runs
past the observed days after ``--fit auto``, every parameter set but the best fit's draws each of
:data:`LONG_RUN`'s fields that the screening found with too little effect on the observed days
(neither fitted nor fixed, and not 0: a mechanism that is off stays off) log-uniformly within ``value / factor`` to ``value * factor`` of its assumed value,
within its bounds: the band then holds the long run's assumptions too, and says so. ``factor`` 1
turns it off (``Settings.long_run_spread``).

``factor`` 2 is an assumption: a field set by hand or tuned to other organisations is not known
to better than a factor of two for a given community (the defaults' sources in docs/ODD.md).
"""

from __future__ import annotations

import numpy as np

from simulation.analysis.fit_screen import CLEAR, RELATIVE, candidates
from simulation.analysis.fit_space import get_value

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


def unidentified(screen) -> set[str]:
    """The fields the screening found with too little effect on the observed days to fit."""
    if screen is None or not screen.ranking:
        return set()
    clear = max(CLEAR, RELATIVE * screen.ranking[0]["mu_star"])
    return {r["path"] for r in screen.ranking if r["mu_star"] < clear}


def spread(
    space, sets: list[dict], factor: float, unfixed: set[str], seed: int = 0
) -> tuple[list[dict], str | None]:
    """``sets`` with the long-run fields of ``unfixed`` (:func:`unidentified`) drawn in every
    set but the first, and the line that says which (None when none is spread)."""
    if factor <= 1 or len(sets) < 2:
        return sets, None
    taken = set(space.names) | set(space.fixed)
    ranges = {p.path: (p.low, p.high) for p in candidates(space.base, exclude=taken)}
    fields = []
    for path in LONG_RUN:
        if path in taken or path not in ranges or path not in unfixed:
            continue  # fitted, fixed, off (0) or not in this scenario
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
        f"each drawn within a factor {factor:g} of its value: {names}"
    )
    return out, line
