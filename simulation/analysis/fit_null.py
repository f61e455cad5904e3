"""What a fit's likelihood says: information criteria, and a nested null model's test.

:func:`information_criteria` gives a fit's AIC and BIC (when its loss has a likelihood);
:func:`null_test` refits with the ``--null`` fields fixed (default ``adoption.q`` = 0: no
social influence) and compares the two by a likelihood-ratio test (Wilks; on a bound, half the
chi-square tail: Self & Liang 1987, J. Am. Stat. Assoc. 82:605).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import chi2

from simulation.analysis.fit_space import Space, fixed_values, get_value
from simulation.analysis.fitter import Fit, Fitter
from simulation.analysis.losses import observations
from simulation.base.errors import InputError


def information_criteria(fit: Fit, k: int, n: int) -> dict:
    """Log-likelihood, AIC, BIC and the number of observations ``n`` of a fit with ``k`` fields
    (empty when the loss has no likelihood)."""
    if fit.log_likelihood is None:
        return {}
    ll = fit.log_likelihood
    return {"log_likelihood": ll, "aic": 2 * k - 2 * ll, "bic": k * np.log(n) - 2 * ll, "n": n}


def null_test(org, space, observed, loss, population, settings, best: Fit, null) -> dict | None:
    """The likelihood-ratio test of ``null`` (fields fixed) against the ``best`` fit, or None
    when there is nothing to test."""
    fixed_null = fixed_values(null)
    if not fixed_null and "adoption.q" in space.names:
        fixed_null = {"adoption.q": 0.0}
    if not fixed_null:
        return None
    unknown = [k for k in fixed_null if k not in space.names]
    if unknown:
        raise InputError(f"--null {unknown[0]}: only fitted fields can be tested")
    for path in fixed_null:
        get_value(space.base, path)
    kept = [p for p in space.parameters if p.path not in fixed_null]
    if not kept:
        raise InputError("--null fixes every fitted field: nothing left to fit")
    null_space = Space(space.base, kept, {**space.fixed, **fixed_null}, space.raise_with)
    fitter = Fitter(org, null_space, observed, loss, population, settings)
    start = null_space.unit(best.values)
    fit0 = fitter.fit(start=start)
    statistic = max(0.0, 2 * (best.log_likelihood - fit0.log_likelihood))
    df = len(fixed_null)
    on_bound = all(
        abs(value - next(p.low for p in space.parameters if p.path == path)) < 1e-12 or value <= 0
        for path, value in fixed_null.items()
    )
    p_value = float(chi2.sf(statistic, df)) * (0.5 if on_bound and df == 1 else 1.0)
    n = observations(observed)
    return {
        "fixed": fixed_null,
        "values": fit0.values,
        "loss": fit0.loss,
        "log_likelihood": fit0.log_likelihood,
        "aic": 2 * len(kept) - 2 * fit0.log_likelihood,
        "bic": len(kept) * np.log(n) - 2 * fit0.log_likelihood,
        "statistic": statistic,
        "df": df,
        "p_value": p_value,
        "rejected_at_5pct": bool(p_value < 0.05),
        "method": "likelihood ratio"
        + (" (Gaussian likelihood of the residuals)" if loss == "rmse" else ""),
    }
