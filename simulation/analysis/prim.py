"""PRIM: the Patient Rule Induction Method (Friedman & Fisher 1999), for conditions of success.

Given runs (one row each: the parameters ``X`` and whether the run succeeded, ``y``), PRIM finds
a box, a limit on some parameters, inside which most runs succeed:

*peeling*
    From the whole space, repeatedly remove the thin slice (a share ``alpha`` of the box's runs,
    at the low or high end of one number parameter, or one category of a categorical one) whose
    removal raises the box's share of successes most per run removed (the EMA workbench's
    "lenient1" criterion, fair between a thin slice and a whole category); stop before the box
    holds less than ``min_mass`` of the runs. Each step is a box of the *peeling trajectory*.
*pasting*
    From the chosen box, add back slices (``alpha`` of the box's runs at one edge, or one
    category) while that raises the share of successes.

Each box is measured by its *coverage* (the share of all successes that fall inside it), its
*density* (the share of its runs that succeed) and its *mass* (the share of all runs inside
it). The trajectory trades coverage against density; :func:`prim` chooses the box that
maximises coverage x lift (the lift: how far its density rises from the share of all runs that
succeed towards 1; unless a minimum density is asked for: then the box of highest
coverage among those dense enough). Each limit of the chosen box gets a significance, as the
EMA workbench's ``show_box_details`` does: the one-sided hypergeometric chance of drawing at
least the box's successes when the limit is dropped (the box without that limit holds ``N``
runs of which ``K`` succeed; the box with it holds ``n`` runs of which ``k`` succeed). A
resampling check repeats the search on bootstrap samples of the runs and counts how often each
parameter is limited again.

Reference: Friedman, J. H. & Fisher, N. I. (1999). Bump hunting in high-dimensional data.
Statistics and Computing 9, 123-143.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import hypergeom

DEFAULT_ALPHA = 0.05  # Friedman & Fisher's peeling share (0.05 to 0.1)
DEFAULT_MIN_MASS = 0.05  # the smallest box considered: 5 % of the runs


@dataclass
class Box:
    """Limits on parameters: ``(low, high)`` for a number, the kept categories otherwise."""

    limits: dict[str, tuple[float, float] | frozenset]
    coverage: float = float("nan")
    density: float = float("nan")
    mass: float = float("nan")
    count: int = 0
    successes: int = 0

    def restricted(self, space: dict) -> list[str]:
        """The parameters this box limits (those whose limit is not the whole range)."""
        return [name for name, limit in self.limits.items() if limit != space[name]]


@dataclass
class PrimResult:
    """The peeling trajectory, the chosen box and its checks.

    ``trajectory``: one row per box (``box``, ``coverage``, ``density``, ``mass``, ``count``,
    ``successes``, ``restricted``: how many parameters it limits). ``chosen`` indexes it (the
    pasted box is :attr:`box`). ``limits``: one row per limited parameter of the box
    (``parameter``, ``kind``, ``low``, ``high``, ``categories``, ``full_low``, ``full_high``,
    ``p_value``, ``reappears``: the share of resamples limiting it).
    """

    trajectory: pd.DataFrame
    boxes: list[Box]
    chosen: int
    box: Box
    limits: pd.DataFrame
    space: dict
    base_density: float
    total: int
    total_successes: int
    resamples: int = 0
    #: every parameter's share 0-1 of resamples whose box limits it
    reappearance: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _space(x: pd.DataFrame, categorical: set[str]) -> dict:
    out = {}
    for name in x.columns:
        if name in categorical:
            out[name] = frozenset(x[name].tolist())
        else:
            values = x[name].to_numpy(dtype=np.float64)
            out[name] = (float(values.min()), float(values.max()))
    return out


def _columns(x) -> dict[str, np.ndarray]:
    """``x``'s columns as numpy arrays (numbers as float64), read once per search."""
    if isinstance(x, dict):
        return x
    return {
        name: (
            x[name].to_numpy(dtype=np.float64)
            if pd.api.types.is_numeric_dtype(x[name]) and not pd.api.types.is_bool_dtype(x[name])
            else x[name].to_numpy(dtype=object)
        )
        for name in x.columns
    }


def inside(x, limits: dict, skip: str | None = None) -> np.ndarray:
    """Rows of ``x`` (a DataFrame, or its :func:`_columns`) inside ``limits`` (every limit but
    ``skip``'s)."""
    columns = _columns(x)
    keep = np.ones(len(next(iter(columns.values()))), dtype=bool)
    for name, limit in limits.items():
        if name == skip:
            continue
        values = columns[name]
        if isinstance(limit, frozenset):
            keep &= np.isin(values, list(limit))
        else:
            keep &= (values >= limit[0]) & (values <= limit[1])
    return keep


def _measure(box: Box, columns: dict, y: np.ndarray, total_successes: int) -> Box:
    mask = inside(columns, box.limits)
    box.count = int(mask.sum())
    box.successes = int(y[mask].sum())
    box.mass = box.count / len(y)
    box.density = box.successes / box.count if box.count else float("nan")
    box.coverage = box.successes / total_successes if total_successes else float("nan")
    return box


def _peels(columns: dict, limits: dict, mask: np.ndarray, alpha: float):
    """Candidate peels of the box: ``(name, new limit, runs removed)``."""
    for name, limit in limits.items():
        values = columns[name]
        if isinstance(limit, frozenset):
            if len(limit) > 1:
                for category in sorted(limit, key=str):
                    yield name, limit - {category}, mask & (values == category)
            continue
        kept = np.sort(values[mask])
        if kept[0] == kept[-1]:
            continue
        step = max(1, int(np.floor(alpha * len(kept))))
        # the low edge: drop the `step` smallest values (and their ties), the limit moving to
        # the smallest value kept; the high edge likewise
        above = kept[kept > kept[step - 1]]
        if len(above):
            yield name, (float(above[0]), limit[1]), mask & (values < above[0])
        below = kept[kept < kept[-step]]
        if len(below):
            yield name, (limit[0], float(below[-1])), mask & (values > below[-1])


def peel(
    x: pd.DataFrame,
    y: np.ndarray,
    categorical: set[str],
    alpha: float = DEFAULT_ALPHA,
    min_mass: float = DEFAULT_MIN_MASS,
) -> tuple[list[Box], dict]:
    """The peeling trajectory: the whole space, then each box peeled from the one before, down
    to ``min_mass`` (each peel the one of highest gain in density per share of runs removed;
    among equals, the one removing fewest)."""
    space = _space(x, categorical)
    columns = _columns(x)
    total_successes = int(y.sum())
    box = _measure(Box(dict(space)), columns, y, total_successes)
    boxes = [box]
    smallest = min_mass * len(y)
    while True:
        mask = inside(columns, box.limits)
        best = None
        for name, limit, removed in _peels(columns, box.limits, mask, alpha):
            count = box.count - int(removed.sum())
            if count < smallest or count == 0 or count == box.count:
                continue
            density = (box.successes - int(y[removed].sum())) / count
            # the gain in density per share of runs removed (the EMA workbench's "lenient1"),
            # fair between a thin slice of a number and a whole category
            gain = (density - box.density) / ((box.count - count) / len(y))
            if best is None or (gain, count) > best[0]:
                best = ((gain, count), name, limit)
        if best is None:
            break
        limits = dict(box.limits)
        limits[best[1]] = best[2]
        box = _measure(Box(limits), columns, y, total_successes)
        boxes.append(box)
    return boxes, space


def paste(
    x: pd.DataFrame, y: np.ndarray, box: Box, space: dict, alpha: float = DEFAULT_ALPHA
) -> Box:
    """Widen ``box`` one edge (or one category) at a time while its density rises."""
    columns = _columns(x)
    total_successes = int(y.sum())
    box = _measure(Box(dict(box.limits)), columns, y, total_successes)
    while True:
        best = None
        step = max(1, int(np.floor(alpha * box.count)))
        for name, limit in box.limits.items():
            others = inside(columns, box.limits, skip=name)
            options = []
            if isinstance(limit, frozenset):
                options = [limit | {c} for c in sorted(space[name] - limit, key=str)]
            else:
                values = columns[name][others]
                below = np.sort(values[values < limit[0]])
                above = np.sort(values[values > limit[1]])
                if len(below):
                    options.append((float(below[-min(step, len(below))]), limit[1]))
                if len(above):
                    options.append((limit[0], float(above[min(step, len(above)) - 1])))
            for option in options:
                trial = dict(box.limits)
                trial[name] = option
                candidate = _measure(Box(trial), columns, y, total_successes)
                if candidate.density > box.density and (
                    best is None or candidate.density > best.density
                ):
                    best = candidate
        if best is None:
            return box
        box = best


def choose(boxes: list[Box], min_density: float | None = None) -> int:
    """The box of the trajectory to keep.

    By default the box of highest coverage x lift, the lift being how far its density rises
    from the base rate (the whole space's density) towards 1: ``(density - base) / (1 -
    base)``. Coverage x density alone favours the whole space when most runs succeed (91 % of
    the runs succeeding give it 0.91); the lift gives the whole space 0 and a box that keeps
    the successes and sheds the failures close to 1. With ``min_density``: the box of highest
    coverage among those at least that dense (the densest if none is).
    """
    coverage = np.array([b.coverage for b in boxes])
    density = np.array([b.density for b in boxes])
    if min_density is not None:
        dense = np.flatnonzero(density >= min_density)
        if len(dense):
            return int(dense[np.argmax(coverage[dense])])
        return int(np.argmax(density))
    base = boxes[0].density
    if not base < 1:  # every run succeeds (or none is there): the whole space
        return 0
    lift = (density - base) / (1 - base)
    return int(np.argmax(np.nan_to_num(coverage * lift, nan=-np.inf)))


def significance(x: pd.DataFrame, y: np.ndarray, box: Box, name: str) -> float:
    """One-sided hypergeometric p-value of ``name``'s limit: the chance that ``box.count`` runs
    drawn from the box without that limit hold at least ``box.successes`` successes."""
    wider = inside(_columns(x), box.limits, skip=name)
    population, good = int(wider.sum()), int(y[wider].sum())
    return float(hypergeom.sf(box.successes - 1, population, good, box.count))


def _search(x, y, categorical, alpha, min_mass, min_density) -> tuple[list[Box], dict, int, Box]:
    boxes, space = peel(x, y, categorical, alpha, min_mass)
    chosen = choose(boxes, min_density)
    return boxes, space, chosen, paste(x, y, boxes[chosen], space, alpha)


def prim(
    x: pd.DataFrame,
    y,
    categorical: set[str] | None = None,
    alpha: float = DEFAULT_ALPHA,
    min_mass: float = DEFAULT_MIN_MASS,
    min_density: float | None = None,
    resamples: int = 50,
    seed: int = 0,
) -> PrimResult:
    """Find the box of parameters inside which runs succeed (module docstring).

    Parameters
    ----------
    x : DataFrame
        One row per run, one column per parameter (numbers, or categories).
    y : array of bool
        Whether each run succeeded.
    categorical : set of str, optional
        Columns peeled by category (default: the columns that are not numbers; true/false
        columns are categories).
    alpha : float
        Share 0-1 of the box's runs removed by a peel (and added by a paste).
    min_mass : float
        Share 0-1 of the runs below which a box is not peeled further.
    min_density : float, optional
        Choose the box of highest coverage with at least this density (share 0-1).
    resamples : int
        Bootstrap samples of the resampling check (0: none).
    seed : int
        Seed of the bootstrap.
    """
    x = x.reset_index(drop=True)
    y = np.asarray(y, dtype=bool)
    if len(x) != len(y) or len(y) == 0:
        raise ValueError("x and y must have the same, non-zero number of rows")
    if categorical is None:
        categorical = {
            c
            for c in x.columns
            if not pd.api.types.is_numeric_dtype(x[c]) or pd.api.types.is_bool_dtype(x[c])
        }
    categorical = set(categorical)
    notes = []
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha must be between 0 and 0.5, got {alpha}")
    if y.sum() == 0:
        notes.append("no run succeeds: there is no box to find")
    boxes, space, chosen, box = _search(x, y, categorical, alpha, min_mass, min_density)
    trajectory = pd.DataFrame(
        {
            "box": range(len(boxes)),
            "coverage": [b.coverage for b in boxes],
            "density": [b.density for b in boxes],
            "mass": [b.mass for b in boxes],
            "count": [b.count for b in boxes],
            "successes": [b.successes for b in boxes],
            "restricted": [len(b.restricted(space)) for b in boxes],
        }
    )
    counts = dict.fromkeys(x.columns, 0)
    rng = np.random.default_rng(seed)
    for _ in range(resamples):
        rows = rng.integers(0, len(y), len(y))
        xs, ys = x.iloc[rows].reset_index(drop=True), y[rows]
        _, space_s, _, box_s = _search(xs, ys, categorical, alpha, min_mass, min_density)
        for name in box_s.restricted(space_s):
            counts[name] += 1
    rows = []
    for name in box.restricted(space):
        limit = box.limits[name]
        row = {"parameter": name, "kind": "categorical" if name in categorical else "number"}
        if isinstance(limit, frozenset):
            row.update(low=np.nan, high=np.nan, full_low=np.nan, full_high=np.nan)
            row["categories"] = ", ".join(sorted(map(str, limit)))
        else:
            row.update(low=limit[0], high=limit[1], categories="")
            row.update(full_low=space[name][0], full_high=space[name][1])
        row["p_value"] = significance(x, y, box, name)
        row["reappears"] = counts[name] / resamples if resamples else np.nan
        rows.append(row)
    columns = ["parameter", "kind", "low", "high", "categories", "full_low", "full_high"]
    limits = pd.DataFrame(rows, columns=[*columns, "p_value", "reappears"])
    return PrimResult(
        trajectory=trajectory,
        boxes=boxes,
        chosen=chosen,
        box=box,
        limits=limits,
        space=space,
        base_density=float(y.mean()),
        total=len(y),
        total_successes=int(y.sum()),
        resamples=resamples,
        reappearance={k: (v / resamples if resamples else np.nan) for k, v in counts.items()},
        notes=notes,
    )
