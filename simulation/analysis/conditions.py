"""Conditions for success: PRIM (:mod:`simulation.analysis.prim`) on a sweep's runs.

:func:`discover` reads a completed sweep's folder (its ``runs/`` table and ``sweep.json``), marks
each run a success or not by a per-run target (``sustained_wau>=0.3``, parsed by
:class:`~simulation.metrics.targets.Target`), and finds the box of parameters inside which
runs succeed. :func:`summary_sentence` says it in plain words: "With interventions[0].
community_managers at least 3 and the mobile app's launch day at most 60, 78 % of runs succeed
(sustained weekly active >= 30 %), covering 64 % of the successes; 21 % of all runs succeed."
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.analysis.prim import DEFAULT_ALPHA, DEFAULT_MIN_MASS, PrimResult, prim
from simulation.base.errors import InputError, SweepError
from simulation.experiments.sweep import SweepResult
from simulation.metrics.targets import Target


@dataclass
class Discovery:
    """PRIM's result on a sweep, with what it was asked."""

    folder: Path
    sweep: str
    success: Target
    parameters: list[str]
    runs: int
    result: PrimResult

    @property
    def sentence(self) -> str:
        return summary_sentence(self.result, self.success)


def sweep_folder(folder: str | Path) -> Path:
    """``folder`` when it is a folder; else a one-line :class:`SweepError` naming it (the sweep
    argument, before any ``--out`` made from it is checked)."""
    folder = Path(folder)
    if folder.is_dir():
        return folder
    if folder.exists():
        raise SweepError(f"{folder}: exists and is not a folder (give a sweep's folder)")
    raise SweepError(f"{folder}: no such sweep folder")


def read_sweep(folder: str | Path, success: str) -> tuple[pd.DataFrame, np.ndarray, dict, Target]:
    """The parameters of each run of a *complete* sweep, whether it succeeded, ``sweep.json``
    and the parsed target.

    Raises
    ------
    InputError
        One line: not a sweep's folder, an incomplete or damaged sweep, a target with ``@DAY``
        or naming a figure the sweep did not keep.
    """
    folder = sweep_folder(folder)
    result = SweepResult(folder)
    meta = result.meta
    target = Target.parse(success)
    if target.day is not None:
        raise InputError(
            f"--success {success!r}: a condition on a per-run figure (no @DAY): a sweep keeps "
            "per-run figures"
        )
    outcomes = list(meta["sweep"].get("outcomes") or [])
    if target.metric not in outcomes:
        raise InputError(
            f"--success {success!r}: {target.metric!r} is not an outcome of this sweep; it kept "
            + ", ".join(outcomes)
        )
    names = list(meta["design"]["names"])
    points = result.store.design_points()
    total = len(points) * int(meta["sweep"]["replicates"])
    runs = result.runs
    if not result.complete or len(runs) < total:
        raise SweepError(
            f"{folder}: the sweep is incomplete ({len(runs):,} of {total:,} runs); finish it "
            "with 'esnsim sweep SWEEP.yaml --out DIR --resume' first"
        )
    x = runs[names].copy()
    specs = meta["sweep"].get("parameters", {})
    for name in names:
        listed = (specs.get(name) or {}).get("values") is not None
        if listed or not pd.api.types.is_numeric_dtype(x[name]):
            # a list of values (true/false, text or numbers) is peeled by category
            x[name] = x[name].astype(str).astype(object)
    return x, target.holds(runs[target.metric]), meta, target


def discover(
    folder: str | Path,
    success: str,
    alpha: float = DEFAULT_ALPHA,
    min_mass: float = DEFAULT_MIN_MASS,
    min_density: float | None = None,
    resamples: int = 50,
    seed: int = 0,
) -> Discovery:
    """PRIM on the sweep in ``folder`` for the target ``success`` (see :func:`read_sweep` and
    :func:`~simulation.analysis.prim.prim` for the options)."""
    x, y, meta, target = read_sweep(folder, success)
    categorical = {c for c in x.columns if not pd.api.types.is_numeric_dtype(x[c])}
    result = prim(
        x,
        y,
        categorical=categorical,
        alpha=alpha,
        min_mass=min_mass,
        min_density=min_density,
        resamples=resamples,
        seed=seed,
    )
    if y.all():
        result.notes.append("every run succeeds: the whole space is the box")
    return Discovery(Path(folder), meta["sweep"]["name"], target, list(x.columns), len(y), result)


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.3g}"


def limit_phrase(row: pd.Series) -> str:
    """One limit in words: ``adoption.q from 0.02 to 0.05``, ``... at least 3``, ``... by day
    60`` (a field named ``*day*`` limited from above), ``rollout.strategy grassroots or hubs``."""
    name = row["parameter"]
    if row["kind"] == "categorical":
        choices = str(row["categories"]).split(", ")
        return f"{name} {' or '.join(choices)}"
    low_cut = row["low"] > row["full_low"]
    high_cut = row["high"] < row["full_high"]
    last = name.rsplit(".", 1)[-1]
    day = last == "day" or (last.endswith("_day") and not last.endswith("per_day"))
    if low_cut and high_cut:
        return f"{name} from {_number(row['low'])} to {_number(row['high'])}"
    if low_cut:
        return f"{name} {'from day' if day else 'at least'} {_number(row['low'])}"
    return f"{name} {'by day' if day else 'at most'} {_number(row['high'])}"


#: a limit is firm when its significance is at most this and it reappears in at least
#: FIRM_REAPPEARS of the resamples; otherwise the sentence says it is weak
FIRM_P = 0.05
FIRM_REAPPEARS = 0.5


def _weak(row) -> str:
    """`` (weak: ...)`` after a limit whose test or resampling does not back it, else ``""``."""
    p, again = row.get("p_value"), row.get("reappears")
    weak = (p is not None and p == p and p > FIRM_P) or (
        again is not None and again == again and again < FIRM_REAPPEARS
    )
    if not weak:
        return ""
    return f" (weak: p = {p:.2g}, in {again:.0%} of resamples)"


def summary_sentence(result: PrimResult, target: Target) -> str:
    """The chosen box in plain words, with its density, coverage and the base rate."""
    box = result.box
    base = f"{result.base_density:.0%} of all {result.total:,} runs succeed"
    if result.total_successes == 0:
        return f"No run succeeds ({target.text}): there is no condition to find."
    if result.limits.empty:
        return f"No condition stands out: {base} ({target.text})."
    phrases = [limit_phrase(row) + _weak(row) for _, row in result.limits.iterrows()]
    joined = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
    return (
        f"With {joined}, {box.density:.0%} of runs succeed ({target.text}), covering "
        f"{box.coverage:.0%} of the successes; {base}."
    )
