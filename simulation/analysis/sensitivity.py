"""Global sensitivity of a sweep's outcomes to its parameters (SALib).

A sweep's design (Sobol, Morris, LHS, grid, list) gives each point a row of numeric values in the
SALib problem's space; its runs give each point one or more replicates. The indices are computed
on the **replicate mean** of each point, so that the noise of a single run does not pass for a
parameter effect, and the share of the variance that is replicate noise is reported beside them:

* ``noise_share``: the pooled within-point variance over the total variance of single runs
  (0: the outcome is fixed by the parameters; 1: the parameters do nothing visible);
* ``noise_share_of_mean``: the same noise divided by the replicates, over the variance of the
  point means: the part of what the indices explain that is still noise.

Methods (Herman and Usher 2017, "SALib: An open-source Python library for Sensitivity
Analysis", Journal of Open Source Software 2(9)):

* ``sobol``: first-order ``S1`` and total ``ST`` (and ``S2`` with second order) indices from a
  Saltelli design (Saltelli et al. 2010, "Variance based sensitivity analysis of model output",
  Computer Physics Communications 181); needs the sweep's ``sobol`` design;
* ``morris``: ``mu_star`` (mean absolute elementary effect), ``sigma`` (its spread: non-linearity
  or interaction) and ``mu`` (Morris 1991, Technometrics 33; Campolongo et al. 2007); needs the
  ``morris`` design;
* ``rbd-fast``: ``S1`` (Tarantola et al. 2006; Plischke 2010) from any design;
* ``delta``: the moment-independent ``delta`` and ``S1`` (Borgonovo 2007, Reliability
  Engineering & System Safety 92) from any design.

Every index has a bootstrap half-width ``conf`` at 95 % and the interval ``low``-``high``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation.analysis.sobol_checks import base_samples, implausible
from simulation.base.errors import InputError

METHODS = ("sobol", "morris", "rbd-fast", "delta")
#: the designs each method can read; ``None``: any design
DESIGNS = {"sobol": {"sobol"}, "morris": {"morris"}, "rbd-fast": None, "delta": None}
#: the index each method's chart shows first (with its interval), and a second one if any
MAIN_INDICES = {
    "sobol": ("S1", "ST"),
    "morris": ("mu_star", "sigma"),
    "rbd-fast": ("S1",),
    "delta": ("delta", "S1"),
}
COLUMNS = ["outcome", "parameter", "method", "index", "value", "conf", "low", "high"]
NOISE = ("noise_share", "noise_share_of_mean")
CONF_LEVEL = 0.95
RBD_HARMONICS = 10  # SALib's default M


@dataclass
class Problem:
    """What the analysis needs of a sweep's design.

    Attributes
    ----------
    method : the design's method (``sobol``, ``morris``, ``lhs``, ``grid``, ``list``).
    problem : the SALib problem (``num_vars``, ``names``, ``bounds``, ...).
    unit : points x parameters, the sampler's numeric values in the problem's space, in point
        order (row ``k`` is point ``k``).
    options : the design's options (``calc_second_order``, ``num_levels``, ...).
    """

    method: str
    problem: dict
    unit: np.ndarray
    options: dict = field(default_factory=dict)

    @classmethod
    def of(cls, design) -> Problem:
        """From a :class:`simulation.experiments.sweep.design.Design` (or anything with the same fields)."""
        return cls(
            method=str(design.method),
            problem=dict(design.problem),
            unit=np.asarray(design.unit, dtype=np.float64),
            options=dict(getattr(design, "options", None) or {}),
        )

    @property
    def names(self) -> list[str]:
        return list(self.problem["names"])


def default_method(design_method: str) -> str:
    """The method a design was made for: Sobol and Morris designs their own, others ``delta``."""
    return design_method if design_method in ("sobol", "morris") else "delta"


def check_method(method: str, design_method: str, source: object = "sweep") -> None:
    """Refuse a method the design cannot support, naming the design."""
    if method not in METHODS:
        raise InputError(f"{source}: method: {method!r} is not one of {', '.join(METHODS)}")
    allowed = DESIGNS[method]
    if allowed is not None and design_method not in allowed:
        raise InputError(
            f"{source}: design.method: {method} indices need a {' or '.join(sorted(allowed))} "
            f"design, this sweep's is {design_method} (rbd-fast and delta read any design)"
        )


def point_means(runs: pd.DataFrame, outcome: str, points: int) -> np.ndarray:
    """The replicate mean of ``outcome`` at each point ``0 .. points-1``.

    NaN where a run of the point has no value (a share of nobody, a day never reached): the
    mean of the others would describe a different population of runs.
    """
    grouped = runs.groupby("point")[outcome]
    means = grouped.mean().where(~runs[outcome].isna().groupby(runs["point"]).any())
    return means.reindex(np.arange(points)).to_numpy(np.float64)


def complete_groups(method: str, problem: Problem, y: np.ndarray, outcome: str):
    """Points to keep when some have no value, and a note saying what was left out.

    The estimators need whole groups of points: a Morris trajectory (parameters + 1 points), a
    Saltelli block (parameters + 2, or 2 x parameters + 2 with second order), or for the
    given-data methods (rbd-fast, delta) the point alone.
    """
    d = int(problem.problem["num_vars"])
    if method == "morris":
        size, what = d + 1, "trajectories"
    elif method == "sobol":
        second = bool(problem.options.get("calc_second_order", False))
        size, what = (2 * d + 2 if second else d + 2), "Saltelli blocks"
    else:
        size, what = 1, "points"
    group = np.arange(len(y)) // size
    missing = np.isnan(y)
    bad = np.isin(group, group[missing])
    lost, total = len(np.unique(group[bad])), len(np.unique(group))
    note = (
        f"{outcome}: {int(missing.sum())} of {len(y)} points have runs without a value; "
        f"{lost} of {total} {what} left out"
    )
    return ~bad, note


def noise_shares(runs: pd.DataFrame, outcome: str) -> tuple[float, float]:
    """``(noise_share, noise_share_of_mean)`` of ``outcome``; NaN without 2 replicates a point."""
    groups = runs.groupby("point")[outcome]
    counts = groups.count()
    if len(counts) == 0 or counts.min() < 2:
        return float("nan"), float("nan")
    within = float(groups.var(ddof=1).mean())
    total = float(runs[outcome].var(ddof=1))
    of_means = float(groups.mean().var(ddof=1))
    share = within / total if total > 0 else float("nan")
    replicates = float(counts.mean())
    share_mean = (within / replicates) / of_means if of_means > 0 else float("nan")
    return share, min(share_mean, 1.0)


def independent_noise(runs: pd.DataFrame) -> bool:
    """Whether the replicates of different points draw different random numbers.

    False when every replicate number runs with one seed at every point (common random numbers
    across points): then the noise of two points largely cancels in their difference.
    """
    if "seed" not in runs.columns or "replicate" not in runs.columns:
        return True
    return bool(runs.groupby("replicate")["seed"].nunique().max() > 1)


def without_noise(result: dict, share_of_mean: float) -> dict:
    """Sobol indices of the noise-free response from those of the replicate means.

    Saltelli's first-order estimator (Saltelli et al. 2010) is unbiased by independent noise in
    its numerator, Jansen's total-order estimator gains the noise variance of one point mean
    (``E[(Y_A - Y_ABi)^2] / 2 = V_Ti + s^2 / R``), and both divide by the variance of the means,
    which holds the noise too. With ``eta`` the noise's share of that variance
    (``noise_share_of_mean``): ``S1 / (1 - eta)`` and ``(ST - eta) / (1 - eta)``; the
    half-widths scale by ``1 / (1 - eta)`` (the uncertainty of ``eta`` itself is left out).
    """
    eta = min(max(float(share_of_mean), 0.0), 0.99)
    out = dict(result)
    scale = 1.0 / (1.0 - eta)
    out["S1"] = np.asarray(result["S1"]) * scale
    out["ST"] = (np.asarray(result["ST"]) - eta) * scale
    for key in ("S1_conf", "ST_conf"):
        out[key] = np.asarray(result[key]) * scale
    return out


def _salib(method: str, problem: Problem, y: np.ndarray, seed: int, resamples: int) -> dict:
    from SALib.analyze import delta, morris, rbd_fast, sobol

    spec = problem.problem
    x = problem.unit
    seed = int(seed) + 1  # SALib's sobol and delta read a seed of 0 as "unseeded"
    if method == "sobol":
        return sobol.analyze(
            spec,
            y,
            calc_second_order=bool(problem.options.get("calc_second_order", False)),
            num_resamples=resamples,
            conf_level=CONF_LEVEL,
            seed=seed,
        )
    if method == "morris":
        return morris.analyze(
            spec,
            x,
            y,
            num_resamples=resamples,
            conf_level=CONF_LEVEL,
            num_levels=int(problem.options.get("num_levels", 4)),
            seed=seed,
        )
    if method == "rbd-fast":
        if len(y) <= 4 * RBD_HARMONICS:
            raise ValueError(
                f"needs more than {4 * RBD_HARMONICS} points (its bootstrap uses half "
                f"of them, {RBD_HARMONICS} harmonics each side); this design has {len(y)}"
            )
        return rbd_fast.analyze(
            spec, x, y, M=RBD_HARMONICS, num_resamples=resamples, conf_level=CONF_LEVEL, seed=seed
        )
    # SALib's delta resets the warning filters, replaces warnings.formatwarning and warns of
    # every merge of its bins; its S1 bootstrap draws from numpy's global generator (seeded only
    # for a non-zero seed). Record its warnings, seed that generator here, restore both after.
    state = np.random.get_state()  # noqa: NPY002
    formatter = warnings.formatwarning
    try:
        np.random.seed(seed)  # noqa: NPY002
        with warnings.catch_warnings(record=True):
            result = delta.analyze(
                spec, x, y, num_resamples=resamples, conf_level=CONF_LEVEL, seed=seed
            )
    finally:
        np.random.set_state(state)  # noqa: NPY002
        warnings.formatwarning = formatter
    # the classic estimator (Borgonovo 2007) is SALib's "raw" one
    return {
        "delta": result["delta_raw"],
        "delta_conf": result["delta_raw_conf"],
        "S1": result["S1"],
        "S1_conf": result["S1_conf"],
    }


def _rows(method: str, outcome: str, names: list[str], result: dict) -> list[dict]:
    rows = []
    for index in ("S1", "ST", "mu_star", "sigma", "mu", "delta"):
        if index not in result:
            continue
        values = np.asarray(result[index], dtype=np.float64)
        conf = result.get(f"{index}_conf")
        confs = np.full(len(names), np.nan) if conf is None else np.asarray(conf, np.float64)
        for name, value, half in zip(names, values, confs, strict=True):
            rows.append(_row(outcome, name, method, index, value, half))
    if "S2" in result:
        s2, s2_conf = np.asarray(result["S2"]), np.asarray(result["S2_conf"])
        for i, a in enumerate(names):
            for j in range(i + 1, len(names)):
                pair = f"{a} & {names[j]}"
                rows.append(_row(outcome, pair, method, "S2", s2[i, j], s2_conf[i, j]))
    return rows


def _row(outcome, parameter, method, index, value, conf) -> dict:
    value, conf = float(value), float(conf)
    return {
        "outcome": outcome,
        "parameter": parameter,
        "method": method,
        "index": index,
        "value": value,
        "conf": conf,
        "low": value - conf,
        "high": value + conf,
    }


def analyse(
    runs: pd.DataFrame,
    problem: Problem,
    outcomes: Sequence[str],
    method: str | None = None,
    seed: int = 1,
    resamples: int = 200,
    source: object = "sweep",
) -> tuple[pd.DataFrame, list[str]]:
    """Sensitivity indices of each outcome, and notes on the outcomes left out.

    Parameters
    ----------
    runs : one row per run with ``point`` and the outcome columns (the store's ``runs/``).
    problem : the design (:class:`Problem`).
    outcomes : the per-run figures analysed.
    method : one of :data:`METHODS`; default :func:`default_method` of the design.
    seed : seed of the bootstrap behind the intervals.
    resamples : bootstrap resamples.
    source : named in error messages (the sweep's folder or file).

    Returns
    -------
    table : columns :data:`COLUMNS`; one row per outcome, parameter and index, and per outcome
        the rows ``noise_share`` and ``noise_share_of_mean`` (``parameter`` empty).
    notes : one line per outcome left out (missing values, no variation) and why.
    """
    method = method or default_method(problem.method)
    check_method(method, problem.method, source)
    points = len(problem.unit)
    have = set(runs["point"].unique()) if len(runs) else set()
    missing = points - len(have & set(range(points)))
    if missing:
        raise InputError(
            f"{source}: runs: {missing} of {points} points have no completed run; "
            "finish the sweep (--resume) before analysing it"
        )
    rows, notes = [], []
    for outcome in outcomes:
        if outcome not in runs.columns:
            raise InputError(f"{source}: outcome: {outcome!r} is not a column of the runs")
        values = runs[outcome].astype("float64")
        kept = runs.assign(**{outcome: values})
        y = point_means(kept, outcome, points)
        used = problem
        if np.isnan(y).any():
            keep, note = complete_groups(method, problem, y, outcome)
            notes.append(note)
            if not keep.any():
                continue
            y = y[keep]
            used = Problem(problem.method, problem.problem, problem.unit[keep], problem.options)
            kept = kept[kept["point"].isin(np.flatnonzero(keep))]
        if np.ptp(y) == 0:
            notes.append(f"{outcome}: left out, the same value at every point")
            continue
        try:
            result = _salib(method, used, y, seed, resamples)
        except (ValueError, RuntimeError, ZeroDivisionError) as exc:
            raise InputError(f"{source}: {method} analysis of {outcome}: {exc}") from exc
        share, share_mean = noise_shares(kept, outcome)
        if method == "sobol" and share_mean == share_mean and independent_noise(runs):
            result = without_noise(result, share_mean)
        found = _rows(method, outcome, problem.names, result)
        if all(np.isnan(r["value"]) for r in found):
            notes.append(f"{outcome}: left out, {method} gave no index from {points} points")
            continue
        rows += found
        if method == "sobol":
            n = base_samples(
                points, len(problem.names), bool(problem.options.get("calc_second_order"))
            )
            notes += implausible(outcome, pd.DataFrame(found), n)
        for name, value in zip(NOISE, (share, share_mean), strict=True):
            rows.append(_row(outcome, "", method, name, value, float("nan")))
    return pd.DataFrame(rows, columns=COLUMNS), notes


def wide(table: pd.DataFrame) -> pd.DataFrame:
    """One row per outcome and parameter, one column per index (and ``<index>_conf``)."""
    indices = table[table["parameter"] != ""]
    keys = ["outcome", "parameter"]
    value = indices.pivot(index=keys, columns="index", values="value")
    conf = indices.pivot(index=keys, columns="index", values="conf").add_suffix("_conf")
    out = value.join(conf)
    order = [
        c for i in ("S1", "ST", "mu_star", "sigma", "mu", "delta", "S2") for c in (i, f"{i}_conf")
    ]
    return out[[c for c in order if c in out.columns]].reset_index()


def text_table(table: pd.DataFrame) -> str:
    """The indices as aligned text, one block per outcome, most influential parameter first."""
    if table.empty:
        return "no outcome could be analysed"
    method = str(table["method"].iloc[0])
    main = MAIN_INDICES[method][0]
    shown = MAIN_INDICES[method]
    lines = []
    for outcome, part in table.groupby("outcome", sort=False):
        noise = part[part["parameter"] == ""].set_index("index")["value"]
        lines.append(
            f"{outcome} ({method}; replicate noise: {noise.get('noise_share', np.nan):.0%} of a "
            f"run's variance, {noise.get('noise_share_of_mean', np.nan):.0%} of the means')"
        )
        w = wide(part)
        w = w.sort_values(main, ascending=False)
        width = max(len("parameter"), *(len(p) for p in w["parameter"]))
        lines.append(
            "  " + f"{'parameter':<{width}}  " + "  ".join(f"{i + ' (95% CI)':>22}" for i in shown)
        )
        for r in w.itertuples(index=False):
            cells = []
            for i in shown:
                v, c = getattr(r, i), getattr(r, f"{i}_conf", np.nan)
                cells.append(
                    f"{v:>8.3f} [{v - c:>6.3f}, {v + c:>6.3f}]" if c == c else f"{v:>22.3f}"
                )
            lines.append("  " + f"{r.parameter:<{width}}  " + "  ".join(f"{x:>22}" for x in cells))
    return "\n".join(lines)
