"""Checking a sweep's parameters against its base scenario (called by
:meth:`simulation.experiments.sweep.spec.SweepSpec.base_scenario`).

Each parameter's path must name one field of the base scenario; its kind (whole number,
number, categorical) comes from the field's declared type, or the base's value where the type
does not say; a range on a categorical field, a range with no whole number, and any bound or
value the scenario would refuse are one-line errors naming the sweep file (and its line, with
the safe loader) and the field. So are a range of one value in a design that cannot take a
constant (sobol, morris), a normal distribution reaching values the field refuses, and (from
:func:`~simulation.experiments.sweep.design.make_design`, :func:`check_points`) a point whose
values are valid alone but not together: each names the parameter's line, not the base scenario.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from simulation.base.errors import SweepError

if TYPE_CHECKING:  # spec.py imports this module
    from simulation.experiments.sweep.spec import ParameterSpec, SweepSpec

_PATH_KEYS = ("hr_csv", "edgelist", "ties", "attributes")


def absolute_paths(organisation: dict, confine: Callable[..., Path]) -> dict:
    """The sweep's own ``organisation:`` with its file paths resolved against the sweep file
    (the base scenario would resolve them against its own folder) and confined:
    ``confine(value, "organisation", key)`` is
    :meth:`~simulation.experiments.sweep.spec.SweepSpec.confine`."""
    out = dict(organisation)
    for key in _PATH_KEYS:
        value = out.get(key)
        if isinstance(value, str) and value:
            out[key] = str(confine(value, "organisation", key))
    return out


def check_parameter(
    spec: SweepSpec, scenario, data: dict, text: str, parameter: ParameterSpec
) -> None:
    from simulation.experiments.sweep import paths

    where = f"parameters.{text}"
    try:
        path = paths.parse(text)
        current = paths.get(data, path, text)
    except SweepError as error:
        raise SweepError(
            f"{spec.at('parameters', text)}: {where}: {str(error).split(': ', 1)[-1]}"
        ) from None
    kind = paths.field_kind(scenario, path)
    if kind is None:  # the declaration does not say: the base's value does
        if isinstance(current, str | bool):
            kind = "categorical"
        elif isinstance(current, int):
            kind = "integer"
    if kind == "group" or isinstance(current, dict | list):
        raise SweepError(
            f"{spec.at('parameters', text)}: {where}: names a group of fields, not one field; name one of its "
            "fields (e.g. interventions[0].community_managers)"
        )
    categorical_field = kind == "categorical"
    if categorical_field and parameter.ranged:
        raise SweepError(
            f"{spec.at('parameters', text)}: {where}: a range (low, high) on a categorical field "
            f"(base value {current!r}); give values: [...] instead"
        )
    if not parameter.categorical and not parameter.ranged and spec.design.method != "list":
        raise SweepError(
            f"{spec.at('parameters', text)}: {where}: give a range (low, high) or values"
        )
    if parameter.integer is None:
        parameter.integer = kind == "integer"
    if parameter.integer and parameter.low is not None and parameter.high is not None:
        if math.ceil(parameter.low) > math.floor(parameter.high):
            raise SweepError(
                f"{spec.at('parameters', text)}: {where}: no whole number between low "
                f"{parameter.low:g} and high {parameter.high:g}"
            )
    if parameter.categorical:
        for k, value in enumerate(parameter.values):
            at = spec.at("parameters", text, "values", k)
            paths.check_value(data, text, value, at, f"{where}.values[{k}]")
    else:
        for bound in ("low", "high"):
            value = getattr(parameter, bound)
            if value is not None:
                if parameter.integer:
                    value = math.ceil(value) if bound == "low" else math.floor(value)
                at = spec.at("parameters", text, bound)
                paths.check_value(data, text, value, at, f"{where}.{bound}")
        if parameter.ranged:
            _check_shape(spec, data, text, parameter)
    if spec.daily is not None:
        days = data["days"]
        if text == "days":  # the shortest run must still reach every kept day
            shortest = min(parameter.values) if parameter.categorical else parameter.low
            days = int(shortest) if isinstance(shortest, int | float) else 1
        for day in spec.daily.days:
            if not 0 <= day < days:
                raise SweepError(
                    f"{spec.at('daily', 'days')}: daily.days: {day} is outside 0..{days - 1}"
                )


#: designs whose sampler (SALib) needs every range wider than one value: an index of a constant
#: means nothing and SALib refuses bounds of zero width ("Bounds are not legal")
_NEEDS_WIDTH = ("sobol", "morris")


def _check_shape(spec: SweepSpec, data: dict, text: str, parameter: ParameterSpec) -> None:
    """Refuse a range of one value (a constant) in a design that cannot take one, and a normal
    distribution reaching values the field refuses (one line naming the parameter's line)."""
    import numpy as np

    from simulation.experiments.sweep import paths
    from simulation.experiments.sweep.design import Axis

    at, where = spec.at("parameters", text), f"parameters.{text}"
    low, high = parameter.low, parameter.high
    if low is not None and high is not None and spec.design.method in _NEEDS_WIDTH:
        whole = parameter.integer and math.ceil(low) == math.floor(high)
        if low == high or whole:
            value = math.ceil(low) if whole else low
            raise SweepError(
                f"{at}: {where}: low must be < high for a {spec.design.method} design (this "
                f"range holds one value, {value:g}: a constant, whose index means nothing); a "
                f"fixed value belongs in the base scenario, or give values: [{value:g}]"
            )
    if parameter.distribution != "normal":
        return  # a uniform or triangular range stays within low..high, checked above
    axis = Axis(text, parameter)
    for value in axis.value(np.array(axis.bounds)):  # its extremes (quantiles 1e-6, 1 - 1e-6)
        reason = paths.value_problem(data, text, value)
        if reason is not None:
            bounds = "low and high" if low is None or high is None else "a narrower low..high"
            raise SweepError(
                f"{at}: {where}: the normal distribution (mean {parameter.mean:g}, sd "
                f"{parameter.sd:g}) reaches {value:.3g}, which the field refuses "
                f"({reason.split(': ', 1)[-1]}); give {bounds} within the field's range to "
                "truncate it"
            )


def parameter_lines(spec: SweepSpec) -> dict[str, str]:
    """``file:line`` of each parameter and (key ``"parameters"``) of the block, for the errors
    of points (:func:`~simulation.experiments.sweep.paths.point_error`)."""
    lines = {text: spec.at("parameters", text) for text in spec.parameters}
    lines["parameters"] = spec.at("parameters")
    return lines


def check_points(spec: SweepSpec, design, base: dict, limit: int = 100_000) -> None:
    """Validate the scenario of each distinct point (up to ``limit`` of them: 0.15 ms each,
    nothing beside a run), so that values valid alone but not together are one line naming the
    sweep file's parameters now, not a failure of every chunk at run time."""
    from simulation.base.errors import ScenarioError
    from simulation.experiments.sweep.paths import apply, point_error

    if not design.names:
        return
    points = design.points[design.names].drop_duplicates().head(limit)
    lines = parameter_lines(spec)
    for point, values in zip(points.index, points.to_dict("records"), strict=True):
        try:
            apply(base, values)
        except ScenarioError as error:
            raise point_error(error, values, lines, int(point)) from None
