"""The design: which points a sweep runs, in the order the samplers give them.

:func:`make_design` turns a :class:`~simulation.experiments.sweep.spec.SweepSpec` into a :class:`Design`:

``method``
    ``grid``, ``lhs``, ``sobol``, ``morris`` or ``list``.
``names``
    The parameter paths, in the sweep file's order (SALib's ``names``).
``points``
    A DataFrame: ``point`` (0, 1, ...) and one column per path with the value applied to the
    scenario.
``unit``
    An array (points x parameters) of the sampler's numbers in the SALib problem's space: what
    ``SALib.analyze.*`` takes as ``X``. Row ``i`` is point ``i`` (SALib's sample order, which the
    Sobol and Morris analyses rely on).
``problem``
    The SALib problem: ``num_vars``, ``names``, ``bounds``.
``options``
    The sampler's options (``calc_second_order``, ``num_levels``, ``samples``).

The problem's space: a uniform range is ``[low, high]`` (``log``: ``[log10 low, log10 high]``);
a whole-number range is widened by half a unit each side so that rounding gives every value the
same chance (``[low - 0.5, high + 0.5]``, clipped back after rounding); a list of ``k`` values is
``[0, k]`` and the number ``x`` picks ``values[floor(x)]``; a triangular or normal distribution
is its quantile ``[0, 1]``, mapped through the inverse distribution function.

Runs: point ``p`` has ``replicates`` runs, ``run = p * replicates + r``; :func:`run_seed` gives
each its seed from the sweep's seed and the run's index alone.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation.base.errors import SweepError
from simulation.experiments.sweep.checks import check_points
from simulation.experiments.sweep.size import check_size
from simulation.experiments.sweep.spec import ParameterSpec, SweepSpec

_EDGE = 1e-6  # quantiles kept inside (0, 1): a normal's 0 and 1 quantiles are infinite


@dataclass
class Axis:
    """One parameter: its bounds in the problem's space and the map to applied values."""

    name: str
    spec: ParameterSpec

    @property
    def whole(self) -> tuple[int, int]:
        """The whole numbers a whole-number range can take: ceil(low) .. floor(high)."""
        return math.ceil(self.spec.low), math.floor(self.spec.high)

    @property
    def bounds(self) -> list[float]:
        s = self.spec
        if s.categorical:
            return [0.0, float(len(s.values))]
        if s.distribution != "uniform" or s.low is None:  # a quantile; ``{}``: set by the file
            return [0.0, 1.0]
        if s.log:
            return [math.log10(s.low), math.log10(s.high)]
        if s.integer:
            low, high = self.whole
            return [low - 0.5, high + 0.5]
        return [float(s.low), float(s.high)]

    def value(self, x: np.ndarray) -> list:
        """Applied values of the sampler's numbers ``x`` (one per point)."""
        s = self.spec
        x = np.asarray(x, dtype=float)
        if s.categorical:
            index = np.clip(np.floor(x).astype(int), 0, len(s.values) - 1)
            return [s.values[k] for k in index]
        if s.low is not None and s.low == s.high:  # a range of one value: a constant
            v = np.full(x.shape, float(s.low))
        elif s.distribution == "triangular":
            from scipy.stats import triang

            width = s.high - s.low
            v = triang((s.mode - s.low) / width, loc=s.low, scale=width).ppf(
                np.clip(x, _EDGE, 1 - _EDGE)
            )
        elif s.distribution == "normal":
            from scipy.stats import truncnorm

            lo = -np.inf if s.low is None else (s.low - s.mean) / s.sd
            hi = np.inf if s.high is None else (s.high - s.mean) / s.sd
            v = truncnorm(lo, hi, loc=s.mean, scale=s.sd).ppf(np.clip(x, _EDGE, 1 - _EDGE))
        elif s.log:
            v = 10.0**x
        else:
            v = x
        if s.integer:
            v = np.rint(v)
            if s.low is not None:
                v = np.clip(v, *self.whole)
            return [int(k) for k in v]
        return [float(k) for k in v]

    def levels(self, count: int) -> np.ndarray:
        """Grid levels in the problem's space: every value of a list, ``count`` of a range."""
        s = self.spec
        if s.categorical:
            return np.arange(len(s.values), dtype=float) + 0.5
        if s.distribution != "uniform":
            return (np.arange(count) + 0.5) / count
        if s.log:
            raw = np.linspace(math.log10(s.low), math.log10(s.high), count)
        else:
            raw = np.linspace(s.low, s.high, count)
        raw = np.unique(raw)  # a range of one value is one level, not ``count`` copies
        if s.integer:
            values = np.unique(np.clip(np.rint(10.0**raw if s.log else raw), *self.whole))
            return np.log10(values) if s.log else values
        return raw


@dataclass
class Design:
    """The points of a sweep (see the module docstring)."""

    method: str
    names: list[str]
    points: pd.DataFrame
    unit: np.ndarray
    problem: dict
    options: dict = field(default_factory=dict)
    replicates: int = 1

    @property
    def size(self) -> int:
        """Number of points."""
        return len(self.points)

    @property
    def runs(self) -> int:
        """Number of runs (points x replicates)."""
        return self.size * self.replicates


def run_seed(sweep_seed: int, run: int, replicates: int = 1, common: bool = False) -> int:
    """The seed of run ``run``: a function of the sweep's seed and the run's index only.

    ``common``: replicate ``run % replicates`` gets the same seed at every point (common random
    numbers across points).
    """
    key = run % replicates if common else run
    sequence = np.random.SeedSequence(entropy=int(sweep_seed), spawn_key=(int(key), 0x5EE9))
    return int(sequence.generate_state(1, np.uint32)[0])


def make_design(spec: SweepSpec) -> Design:
    """The design of ``spec``; raises :class:`SweepError` on a bad CSV of points or a design of
    more runs than :data:`~simulation.base.limits.MAX_SWEEP_RUNS`."""
    check_size(spec)
    axes = [Axis(name, parameter) for name, parameter in spec.parameters.items()]
    names = [a.name for a in axes]
    problem = {"num_vars": len(axes), "names": names, "bounds": [a.bounds for a in axes]}
    d = spec.design
    options: dict = {"samples": d.samples}
    if d.method == "grid":
        unit = np.array(list(itertools.product(*(a.levels(d.levels) for a in axes))), dtype=float)
        options = {"levels": d.levels}
    elif d.method == "lhs":
        from scipy.stats import qmc

        sample = qmc.LatinHypercube(d=len(axes), rng=np.random.default_rng(spec.seed)).random(
            d.samples
        )
        lows, highs = np.array(problem["bounds"]).T
        unit = lows + sample * (highs - lows)
    elif d.method in ("sobol", "morris"):
        unit = _salib_sample(spec, problem, options)
    else:
        from simulation.experiments.sweep.points_file import list_design

        design = list_design(spec, axes, problem)
        check_points(spec, design, spec.base_mapping())
        return design
    columns = {"point": np.arange(len(unit), dtype=np.int64)}
    for k, axis in enumerate(axes):
        columns[axis.name] = axis.value(unit[:, k])
    points = pd.DataFrame(columns)
    design = Design(
        d.method, names, points, np.asarray(unit, dtype=float), problem, options, spec.replicates
    )
    check_points(spec, design, spec.base_mapping())
    return design


def _salib_sample(spec: SweepSpec, problem: dict, options: dict) -> np.ndarray:
    """SALib's Sobol (Saltelli) or Morris sample; its refusals (the spec's checks should leave
    none) as one line naming the design instead of a traceback."""
    import warnings

    from SALib.sample import morris, sobol

    d = spec.design
    try:
        if d.method == "sobol":
            options["calc_second_order"] = d.calc_second_order
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # SALib's note on sample sizes: checked in the spec
                return sobol.sample(
                    dict(problem), d.samples, calc_second_order=d.calc_second_order, seed=spec.seed
                )
        options["num_levels"] = d.num_levels
        return morris.sample(dict(problem), d.samples, num_levels=d.num_levels, seed=spec.seed)
    except ValueError as error:
        raise SweepError(f"{spec.at('design')}: design: SALib refuses it ({error})") from None
