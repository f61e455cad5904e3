"""The search space of ``esnsim optimise``: which levers of a plan may change, and how far.

A search file is a sweep-like YAML file (the parameters of
:mod:`simulation.experiments.sweep.spec`, checked against the base plan by the sweep's own
:func:`~simulation.experiments.sweep.checks.check_parameter`)::

    description: How many community managers, and is the app worth it?
    objective: sustained_wau            # the per-run figure to maximise (default)
    target: sustained_wau>=0.3          # optional: "the cheapest plan that meets the target"
    parameters:
      interventions.facilitation: {values: [on, off]}            # the lever on or off
      interventions.facilitation.community_managers: {low: 0, high: 4}
      interventions.mobile_app.launch_day: {low: 0, high: 180}
      rollout.seeds_per_department: {low: 2, high: 10}

A lever is named by its ``type`` (``interventions.<type>.<field>``, the first lever of that type
in the base plan; ``interventions[2].launch_day`` works too); ``interventions.<type>`` with
``values: [on, off]`` switches it on or off (the base plan must have it, with the settings it
has when on). Any other field path of the scenario may vary as in a sweep. Errors are one line
naming the file, the line and the parameter (:class:`~simulation.base.errors.SweepError`).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pydantic import ValidationError

from simulation.base.errors import InputError, ScenarioError, SweepError
from simulation.base.safe_yaml import load_yaml
from simulation.base.suggest import closest
from simulation.base.validation_errors import format_validation_error
from simulation.experiments.sweep import paths
from simulation.experiments.sweep.checks import check_parameter
from simulation.experiments.sweep.spec import ParameterSpec
from simulation.metrics.summary import SUMMARY_COLUMNS
from simulation.metrics.targets import Target
from simulation.plan.levers import LEVERS
from simulation.plan.scenario import Scenario

LEVER_TYPES = [lever.model_fields["type"].default for lever in LEVERS]
_SWITCH = {True: True, False: False, "on": True, "off": False}
_LEVER_PATH = re.compile(r"^interventions\.([A-Za-z_][A-Za-z0-9_]*)(?:\.(.+))?$")
_KEYS = {"description", "objective", "target", "parameters"}
#: the per-run figures a search may optimise against the cost (the cost is the other objective)
OBJECTIVES = [c for c in SUMMARY_COLUMNS if c != "cost"]


@dataclass
class Dimension:
    """One searched parameter: ``text`` as the file writes it, ``path`` the scenario field it
    sets (None for a lever switch), ``lever`` the index in ``interventions`` it concerns."""

    text: str
    spec: ParameterSpec
    path: str | None = None
    lever: int | None = None

    @property
    def switch(self) -> bool:
        return self.path is None


@dataclass
class SearchSpace:
    """A loaded search file against its base plan (see the module docstring)."""

    base: Scenario
    dimensions: list[Dimension]
    objective: str = "sustained_wau"
    target: Target | None = None
    description: str = ""
    source: str = "search"
    mapping: dict = field(default_factory=dict)

    @classmethod
    def load(cls, path: str | Path, base: Scenario) -> SearchSpace:
        """Read and check a search file against ``base`` (a :class:`SweepError` on bad input)."""
        document = load_yaml(Path(path), error=SweepError)
        return cls.from_dict(document.data, base, source=str(path), document=document)

    @classmethod
    def from_dict(cls, data: Any, base: Scenario, source: str = "search", document=None):
        def at(*keys) -> str:
            return document.where(tuple(keys)) if document is not None else source

        if not isinstance(data, dict):
            raise SweepError(f"{source}: a search file is a mapping (parameters: ...)")
        unknown = sorted(set(data) - _KEYS, key=str)
        if unknown:
            raise SweepError(
                f"{at(unknown[0])}: {unknown[0]}: unknown field; known: {', '.join(sorted(_KEYS))}"
            )
        objective = data.get("objective", "sustained_wau")
        if str(objective).startswith("cost"):
            raise SweepError(
                f"{at('objective')}: objective: {objective!r}: the cost is always the search's "
                "other objective (it is minimised beside this one); name the outcome to maximise, "
                "e.g. sustained_wau"
            )
        if objective not in OBJECTIVES:
            hint = closest(str(objective), OBJECTIVES)
            raise SweepError(
                f"{at('objective')}: objective: unknown per-run figure {objective!r}"
                + (f"; did you mean {', '.join(hint)}?" if hint else "")
            )
        target = None
        if data.get("target") is not None:
            try:
                target = Target.parse(str(data["target"]))
            except InputError as error:
                raise SweepError(f"{at('target')}: target: {error}") from None
            if target.day is not None or target.metric != objective:
                raise SweepError(
                    f"{at('target')}: target: {target.text!r} must be a level of the objective "
                    f"{objective!r} (no @DAY)"
                )
        parameters = data.get("parameters")
        if not isinstance(parameters, dict) or not parameters:
            raise SweepError(f"{at('parameters')}: parameters: name at least one lever to search")
        mapping = base.model_dump(mode="json")
        shim = SimpleNamespace(at=at, design=SimpleNamespace(method="lhs"), daily=None)
        dimensions = []
        for text, raw in parameters.items():
            dimensions.append(_dimension(str(text), raw, base, mapping, shim, at))
        return cls(
            base, dimensions, objective, target, str(data.get("description", "")), source, mapping
        )

    def active(self, values: dict[str, Any]) -> dict[str, Any]:
        """``values`` with the settings of a switched-off lever as None (they change nothing:
        two plans that differ only there are the same plan)."""
        off = {d.lever for d in self.dimensions if d.switch and not _SWITCH[values[d.text]]}
        return {
            d.text: (None if not d.switch and d.lever in off else values[d.text])
            for d in self.dimensions
        }

    def scenario(self, values: dict[str, Any], name: str) -> Scenario:
        """The plan with ``values`` (by :attr:`Dimension.text`) applied, switched-off levers
        removed; a :class:`ScenarioError` if the scenario refuses the combination."""
        return Scenario.from_dict(self.plan_mapping(values, name))

    def plan_mapping(self, values: dict[str, Any], name: str) -> dict:
        """The plan's scenario mapping (what :meth:`scenario` validates and the YAML holds)."""
        data = copy.deepcopy(self.mapping)
        off = set()
        for dim in self.dimensions:
            value = values[dim.text]
            if dim.switch:
                if not _SWITCH[bool(value)]:
                    off.add(dim.lever)
            elif value is not None and value == value:  # None, NaN: a switched-off lever's
                if dim.spec.integer and not dim.spec.categorical:  # 89.0 from a float column
                    value = int(round(float(value)))
                paths.put(data, paths.parse(dim.path), paths._plain(value))
        data["interventions"] = [
            lever for k, lever in enumerate(data.get("interventions") or []) if k not in off
        ]
        data["name"] = name
        return data


def _dimension(text: str, raw: Any, base: Scenario, mapping: dict, shim, at) -> Dimension:
    where = f"{at('parameters', text)}: parameters.{text}"
    try:
        spec = ParameterSpec.model_validate(raw)
    except ValidationError as exc:
        message = format_validation_error(where, exc).replace("Value error, ", "")
        raise SweepError(message) from None
    if spec.distribution != "uniform":
        raise SweepError(
            f"{where}: a search takes a range (low, high) or values; a {spec.distribution} "
            "distribution is for sweeps"
        )
    match = _LEVER_PATH.match(text)
    if match is None:
        _check(text, text, spec, base, mapping, shim, where)
        return Dimension(text, spec, path=text)
    kind, rest = match.groups()
    if kind not in LEVER_TYPES:
        hint = closest(kind, LEVER_TYPES)
        raise SweepError(
            f"{where}: unknown lever {kind!r}"
            + (
                f"; did you mean {', '.join(hint)}?"
                if hint
                else f"; levers: {', '.join(LEVER_TYPES)}"
            )
        )
    present = [
        k for k, lever in enumerate(mapping.get("interventions") or []) if lever["type"] == kind
    ]
    if not present:
        raise SweepError(
            f"{where}: the base plan has no {kind} lever; add it to the base scenario with the "
            "settings it has when on"
        )
    index = present[0]
    if rest is None:
        values = spec.values or []
        if spec.ranged or not values or any(v not in _SWITCH for v in values):
            raise SweepError(f"{where}: a lever is switched with values: [on, off]")
        spec.values = [bool(_SWITCH[v]) for v in values]
        return Dimension(text, spec, lever=index)
    target = f"interventions[{index}].{rest}"
    _check(text, target, spec, base, mapping, shim, where)
    return Dimension(text, spec, path=target, lever=index)


def _check(text, target, spec, base, mapping, shim, where) -> None:
    """The sweep's checks of one parameter, its messages naming the path as the file writes it."""
    try:
        check_parameter(shim, base, mapping, target, spec)
    except SweepError as error:
        rest = str(error).split(f"parameters.{target}", 1)[-1].replace(target, text)
        raise SweepError(
            where + (rest if rest.startswith(".") else f": {rest.lstrip(': ')}")
        ) from None
    except ScenarioError as error:  # pragma: no cover - check_parameter wraps these
        raise SweepError(f"{where}: {error}") from None
