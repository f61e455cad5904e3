"""The bootstrap's bias correction and 90 % intervals, from the refits of simulated histories.

The basic bootstrap interval (Efron & Tibshirani 1993, *An Introduction to the Bootstrap*,
13.4; Davison & Hinkley 1997, *Bootstrap Methods*, 5.2) takes the refits' deviations
``refit - best`` as draws of the estimator's error ``best - truth`` and keeps the truth between
``2 best - upper`` and ``2 best - lower``. Its bounds are order statistics of the ``n`` refits
at the plotting positions ``k / (n + 1)`` (Hyndman & Fan 1996, *The American Statistician* 50,
type 6; ``numpy.quantile(method="weibull")``): the error of a new history falls between the
``i``-th and ``j``-th smallest of ``n`` exchangeable draws with probability ``(j - i) / (n + 1)``
whatever their distribution, so the interval holds its nominal 90 % with as few as 19 refits.
The usual positions (numpy's default, ``1 + (n - 1) p``) sit inside those: with 20 refits they
cover about 82 %, with 40 about 86 % (Davison & Hinkley 5.2.3 recommend the ``(n + 1) p``-th
order statistic for this reason).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LEVEL = 0.9


def interval_level(refits: int, level: float = LEVEL) -> float:
    """The coverage of the interval that ``refits`` refits can give: ``level``, or the range's
    ``(n - 1) / (n + 1)`` when there are too few for its tails (fewer than 19 for 90 %)."""
    if refits < 2:
        return float("nan")
    return float(min(level, (refits - 1) / (refits + 1)))


def bias_corrected(space, best: dict[str, float], estimates: pd.DataFrame, level: float = LEVEL):
    """Bias-corrected values ``2 best - mean(refits)`` and basic intervals (module docstring).

    Parameters
    ----------
    space : Space
        The fitted parameters; everything is computed on their fitted scale (0-1 position in
        the range, log for a log range) and kept within the range.
    best : dict of str to float
        The optimiser's values (field units).
    estimates : DataFrame
        One row per refit of a simulated history, one column per fitted field (field units).
    level : float
        Nominal coverage (0-1); the tails use positions ``(1 -+ level) / 2`` of ``n + 1``.

    Returns
    -------
    corrected : dict of str to float
        Field units; the best fit itself when there are fewer than 2 refits.
    intervals : dict of str to (float, float)
        Field units; NaN when there are fewer than 2 refits.
    """
    if len(estimates) < 2:
        return dict(best), {k: (float("nan"), float("nan")) for k in space.names}
    tails = [(1 - level) / 2, (1 + level) / 2]
    corrected, intervals = {}, {}
    for p in space.parameters:
        theta = p.unit(best[p.path])
        refits = np.array([p.unit(x) for x in estimates[p.path]])
        corrected[p.path] = p.value(2 * theta - refits.mean())
        low, high = np.quantile(refits, tails, method="weibull")
        intervals[p.path] = (p.value(2 * theta - high), p.value(2 * theta - low))
    return corrected, intervals


def interval_flags(space, best: dict[str, float], intervals: dict) -> dict[str, list[str]]:
    """What each parameter's estimate and interval say about the range, field by field.

    ``on low bound`` / ``on high bound``: the optimum within 1 % of the range's end (the data
    would take it further); ``zero width``: the interval is a point (the refits never moved:
    the parameter is pinned on a bound or the data do not move it); ``touches low bound`` /
    ``touches high bound``: the interval reaches the range's end, so it is cut by the range and
    is not a 90 % interval of the data's own.
    """
    flags = {}
    for p in space.parameters:
        found = []
        side = p.on_bound(best[p.path])
        if side:
            found.append(f"on {side} bound")
        low, high = intervals.get(p.path, (np.nan, np.nan))
        if np.isfinite(low) and np.isfinite(high):
            if p.unit(high) - p.unit(low) < 1e-3:
                found.append("zero width")
            for end, value in (("low", low), ("high", high)):
                if p.on_bound(value, tolerance=1e-3) == end:
                    found.append(f"touches {end} bound")
        flags[p.path] = found
    return flags


def flag_lines(
    space,
    best: dict[str, float],
    intervals: dict,
    flags: dict,
    limits: dict | None = None,
    level: float = LEVEL,
) -> list[str]:
    """One line per flagged parameter (the warnings printed, each once).

    ``limits``: per path, the values the field may take (``(low, high)``); a range on a bound is
    then answered with the wider ``--fit`` to run, or, where the range already reaches the
    field's limit, with what that means.
    """
    lines = []
    for p in space.parameters:
        found = flags.get(p.path) or []
        if not found:
            continue
        low, high = intervals[p.path]
        bounds = f"range {p.low:g} to {p.high:g}"
        interval = f"[{low:.4g}, {high:.4g}]" if np.isfinite([low, high]).all() else "none"
        share = f"{100 * level:.0f} %" if np.isfinite(level) else "no"
        sides = [f.split()[-2] for f in found if f.endswith("bound")]
        advice = (
            _widen(p, sides[0], (limits or {}).get(p.path, (-np.inf, np.inf)))
            if sides
            else "the data do not move it: fix it"
        )
        lines.append(
            f"{p.path}: {', '.join(found)} (optimum {best[p.path]:.4g}, {share} interval "
            f"{interval}, {bounds}): {advice}"
        )
    return lines


def _widen(p, side: str, limit: tuple[float, float]) -> str:
    """The advice for a fit on its ``side`` (``low`` or ``high``) bound: the ``--fit`` with the
    range widened that way (five times on a log scale, by its width otherwise, within the
    field's ``limit``), or, at the limit, that the data ask for what the field cannot give."""
    lo, hi = limit
    edge = p.low if side == "low" else p.high
    end = lo if side == "low" else hi
    if np.isfinite(end) and abs(edge - end) <= 1e-3 * max(abs(end), 1e-3):
        word = "below the lowest" if side == "low" else "above the highest"
        return (
            f"the data ask for a value {word} the field allows ({end:g}): fix it there, or fit "
            "other fields with it"
        )
    if side == "low":
        new = p.low / 5 if p.log else p.low - (p.high - p.low)
        new = max(new, lo) if not (p.log and lo <= 0) else new
        wider = (new, p.high)
    else:
        new = p.high * 5 if p.log else p.high + (p.high - p.low)
        wider = (p.low, min(new, hi))
    option = f"{p.path}={wider[0]:.4g}:{wider[1]:.4g}{':log' if p.log else ''}"
    return f"widen the range (--fit {option}) or fix it"


def trade_offs(space, estimates: pd.DataFrame, threshold: float = 0.8) -> list[tuple]:
    """Pairs of fitted fields whose bootstrap refits are correlated (``|r| >= threshold``, on
    the fitted scale): the data fix a combination of the two rather than each."""
    if len(estimates) < 4 or len(space.parameters) < 2:
        return []
    unit = pd.DataFrame({p.path: [p.unit(x) for x in estimates[p.path]] for p in space.parameters})
    out = []
    names = space.names
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = unit.corr().to_numpy()
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if np.isfinite(corr[i, j]) and abs(corr[i, j]) >= threshold:
                out.append((names[i], names[j], round(float(corr[i, j]), 3)))
    return out
