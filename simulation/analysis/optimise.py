"""The search for the best candidate in the unit cube (scipy.optimize).

A simulated loss with common random numbers is smooth-ish but not differentiable (it moves in
small steps as people's decisions flip): a quasi-random screening (scrambled Sobol points,
``scipy.stats.qmc``) with few replicates finds the region, then Nelder-Mead (bounded, scipy
>= 1.7) refines it with more replicates near the optimum. An analytic likelihood (per-person
adoption times) is smooth: L-BFGS-B from a few starts.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import minimize
from scipy.stats import qmc


def screen(objective: Callable[[np.ndarray], float], dims: int, points: int, seed: int):
    """The best of ``points`` scrambled Sobol points: ``(u, value, all_u, all_values)``."""
    n = 2 ** int(np.ceil(np.log2(max(2, points))))
    u = qmc.Sobol(dims, scramble=True, seed=seed).random(n)
    values = np.array([objective(x) for x in u])
    best = int(np.nanargmin(values))
    return u[best], float(values[best]), u, values


def refine(
    objective: Callable[[np.ndarray], float],
    start: np.ndarray,
    evaluations: int,
    step: float = 0.1,
) -> tuple[np.ndarray, float, int]:
    """Bounded Nelder-Mead from ``start`` within ``evaluations``: ``(u, value, evaluations)``."""
    dims = start.size
    simplex = np.vstack([start] * (dims + 1))
    for k in range(dims):  # step towards the middle, so that no vertex leaves the cube
        simplex[k + 1, k] += step if start[k] < 0.5 else -step
    result = minimize(
        objective,
        start,
        method="Nelder-Mead",
        bounds=[(0.0, 1.0)] * dims,
        options={
            "maxfev": max(dims + 2, int(evaluations)),
            "initial_simplex": simplex,
            "xatol": 2e-3,
            "fatol": 1e-6,
        },
    )
    return np.clip(result.x, 0, 1), float(result.fun), int(result.nfev)


def smooth(
    objective: Callable[[np.ndarray], float], dims: int, seed: int, starts: int = 4, start=None
) -> tuple[np.ndarray, float]:
    """L-BFGS-B from ``start`` (if given) and a few Sobol points; the best ``(u, value)``."""
    points = list(qmc.Sobol(dims, scramble=True, seed=seed).random(starts))
    if start is not None:
        points.insert(0, np.asarray(start))
    best_u, best = None, np.inf
    for x in points:
        result = minimize(objective, x, method="L-BFGS-B", bounds=[(0.0, 1.0)] * dims)
        if result.fun < best:
            best_u, best = np.clip(result.x, 0, 1), float(result.fun)
    return best_u, best
