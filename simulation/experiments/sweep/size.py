"""A sweep's size before its design is built: the points it will have and the runs they make,
refused above :data:`~simulation.base.limits.MAX_SWEEP_RUNS` (a sweep of 10^9 samples would
otherwise allocate its design table until the memory ran out)."""

from __future__ import annotations

import math

from simulation.base.errors import SweepError
from simulation.base.limits import MAX_SWEEP_RUNS, gigabytes


def planned_points(spec) -> tuple[int, str]:
    """The number of points the design will have (an upper bound for a grid; 0 for a list
    design, whose points are counted when its file is read) and the field that sets it."""
    d = spec.design
    count = len(spec.parameters)
    if d.method == "grid":
        points = 1
        for parameter in spec.parameters.values():
            if parameter.categorical:
                points *= len(parameter.values)
            elif parameter.low is not None and parameter.low == parameter.high:
                continue  # a range of one value: one level
            elif parameter.integer and parameter.low is not None and parameter.high is not None:
                whole = math.floor(parameter.high) - math.ceil(parameter.low) + 1
                points *= max(1, min(d.levels, whole))
            else:
                points *= d.levels
        return points, "design.levels"
    if d.method == "lhs":
        return d.samples, "design.samples"
    if d.method == "sobol":
        return d.samples * (2 * count + 2 if d.calc_second_order else count + 2), ("design.samples")
    if d.method == "morris":
        return d.samples * (count + 1), "design.samples"
    return 0, "design.file"


def check_size(spec, points: int | None = None) -> None:
    """Refuse a design of more than :data:`MAX_SWEEP_RUNS` runs, before it is built.

    ``points``: the points counted (a list design's rows); default :func:`planned_points`.
    """
    field = "design.file"
    if points is None:
        points, field = planned_points(spec)
    runs = points * spec.replicates
    if runs <= MAX_SWEEP_RUNS:
        return
    # the design table (one number per parameter and point, twice: values and sampler's
    # numbers) and one seed per run: what would be allocated before the first run
    table = 8 * points * (2 * len(spec.parameters) + 1) + 8 * runs
    keys = tuple(field.split("."))
    raise SweepError(
        f"{spec.at(*keys)}: {field}: {points:,} points x {spec.replicates:,} replicates = "
        f"{runs:,} runs, more than the limit of {MAX_SWEEP_RUNS:,} runs (the design table "
        f"alone would need about {gigabytes(table)} of memory)"
    )
