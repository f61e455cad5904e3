"""Field paths into a scenario: read and set one parameter of a scenario mapping.

A path names a field of the validated scenario the way the scenario's own error messages do:
``adoption.q``, ``rollout.strategy``, ``interventions[0].community_managers``, ``days``.
``organisation.size`` (and any other option of the organisation generator, e.g.
``organisation.frontline_share``) means the option of the generated organisation
(``organisation.generate.size``).

Paths are resolved against the *dumped* base scenario (every default filled in), so a path is
valid exactly when the scenario has that field. Setting a discriminator (``rollout.strategy``,
``adoption.rule``, ``interventions[i].type``) switches the member: the fields the new member
does not have are dropped and its defaults fill in the rest. Every applied point is checked by
re-validating the whole :class:`~simulation.plan.scenario.Scenario`.
"""

from __future__ import annotations

import copy
import re
import typing
from typing import Any

from simulation.base.errors import ScenarioError, SweepError
from simulation.plan.adoption import AdoptionRule
from simulation.plan.levers import AnyIntervention
from simulation.plan.rollout import RolloutStrategy
from simulation.plan.scenario import Scenario

Path = tuple[str | int, ...]

#: fields a sweep never varies: the sweep sets the seeds and names the runs itself
RESERVED = {"name", "description", "seed", "organisation"}

_TOKEN = re.compile(r"\.?([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


class PathError(SweepError):
    """A path the scenario does not have; ``kind`` is ``unknown`` or ``outside``."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind


def parse(text: str) -> Path:
    """``interventions[0].community_managers`` -> ``("interventions", 0, "community_managers")``.

    ``organisation.<option>`` becomes ``("organisation", "generate", <option>)``. Raises
    :class:`PathError` (kind ``outside``) on anything that is not a field path.
    """
    parts: list[str | int] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or (position == 0 and text.startswith((".", "["))):
            raise PathError(f"{text!r} is not a field path of the scenario", "outside")
        name, index = match.groups()
        parts.append(name if name is not None else int(index))
        position = match.end()
    if not parts:
        raise PathError("an empty path is not a field of the scenario", "outside")
    if parts[0] == "organisation" and len(parts) == 2 and isinstance(parts[1], str):
        parts.insert(1, "generate")
    return tuple(parts)


def get(data: dict, path: Path, text: str) -> Any:
    """The value at ``path`` in the scenario mapping ``data``; :class:`PathError` if absent."""
    if path[0] in RESERVED and path[0] != "organisation":
        raise PathError(f"{text}: a sweep cannot vary {path[0]!r}", "outside")
    if path[0] == "organisation":
        org = data.get("organisation") or {}
        if "generate" not in org or len(path) != 3:
            raise PathError(
                f"{text}: only an option of a generated organisation can vary "
                "(organisation.size, ...), not of one read from a file",
                "outside",
            )
        from simulation.org.spec import _generator_options

        if path[2] not in _generator_options():
            raise PathError(f"{text}: unknown option of the organisation generator", "unknown")
        return org["generate"].get(path[2])
    node: Any = data
    for depth, part in enumerate(path):
        where = _text(path[: depth + 1])
        if isinstance(part, int):
            if not isinstance(node, list):
                raise PathError(
                    f"{text}: {_text(path[:depth]) or 'the scenario'} is not a list", "outside"
                )
            if part >= len(node):
                raise PathError(
                    f"{text}: the base scenario has {len(node)} item(s) in "
                    f"{_text(path[:depth])}, so {where} is outside it",
                    "outside",
                )
            node = node[part]
        else:
            if not isinstance(node, dict):
                raise PathError(f"{text}: {_text(path[:depth])} has no fields", "outside")
            if part not in node:
                raise PathError(f"{text}: unknown field {part!r}", "unknown")
            node = node[part]
    return node


def field_kind(scenario: Scenario, path: Path) -> str | None:
    """What the field at ``path`` holds, from its declared type: ``integer``, ``number``,
    ``categorical`` (text, true/false, a fixed list), ``group`` (a mapping or list of fields)
    or None when the declaration does not say."""
    import inspect
    import types

    if path[0] == "organisation":
        from simulation.org.generate import generate

        parameter = inspect.signature(generate).parameters.get(str(path[2]))
        default = None if parameter is None else parameter.default
        if path[2] in ("size", "seed") or (isinstance(default, int) and path[2] != "sites"):
            return "integer" if not isinstance(default, bool) else "categorical"
        return "number" if isinstance(default, float) else None
    node: Any = scenario
    for part in path[:-1]:
        node = node[part] if isinstance(part, int) else getattr(node, part)
    fields = getattr(type(node), "model_fields", {})
    if path[-1] not in fields:
        return None
    annotation = fields[path[-1]].annotation
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    kinds = set()
    for member in typing.get_args(annotation) if union else (annotation,):
        if member is type(None):
            continue
        if typing.get_origin(member) is typing.Annotated:  # base.counts.Count: an int
            member = typing.get_args(member)[0]
        origin = typing.get_origin(member)
        if origin is typing.Literal or member in (str, bool):
            kinds.add("categorical")
        elif member is int:
            kinds.add("integer")
        elif member is float:
            kinds.add("number")
        elif origin in (list, dict) or isinstance(member, type) and hasattr(member, "model_fields"):
            kinds.add("group")
        elif origin in (typing.Union, types.UnionType):
            return None
        else:
            return None
    if kinds == {"integer"}:
        return "integer"
    if kinds <= {"integer", "number"} and kinds:
        return "number"
    return kinds.pop() if len(kinds) == 1 else None


def put(data: dict, path: Path, value: Any) -> None:
    """Set ``path`` to ``value`` in ``data`` in place (switching members on a discriminator)."""
    if path[0] == "organisation":
        data["organisation"]["generate"][path[2]] = value
        return
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    last = path[-1]
    members = _discriminated(path)
    if members is not None and node.get(last) != value and value in members:
        keep = members[value].model_fields
        for key in [k for k in node if k not in keep]:
            del node[key]
    node[last] = value


def apply(base: dict, values: dict[str, Any], source=None) -> Scenario:
    """The scenario ``base`` with each ``path: value`` of ``values`` set, validated.

    Raises :class:`~simulation.base.errors.ScenarioError` naming the field when a value is out of
    the field's range.
    """
    data = copy.deepcopy(base)
    for text, value in values.items():
        put(data, parse(text), _plain(value))
    return Scenario.from_dict(data, source=source)


def check_value(base: dict, text: str, value: Any, source, where: str) -> None:
    """Raise :class:`SweepError` ``source: where: ...`` if ``text = value`` is not a valid scenario."""
    reason = value_problem(base, text, value)
    if reason is not None:
        raise SweepError(f"{source}: {where}: {value!r} is not a valid value ({reason})")


def value_problem(base: dict, text: str, value: Any) -> str | None:
    """Why ``text = value`` is not a valid scenario (``field: must be > 0``), or None."""
    try:
        scenario = apply(base, {text: value}, source=None)
        if text.startswith("organisation."):
            from simulation.org.spec import _generator_options

            option = parse(text)[2]
            if option not in _generator_options():
                raise SweepError(f"unknown option {option!r}")
            _check_org_value(scenario.organisation["generate"], option, value)
    except ScenarioError as error:
        return str(error).split(": ", 1)[-1]
    return None


def point_error(error: ScenarioError, values: dict[str, Any], lines: dict[str, str], point: int):
    """The :class:`SweepError` for a point the scenario refuses, naming the sweep file's line of
    the parameter the scenario's error names (``lines``: path -> ``file:line``; its key
    ``"parameters"``, the whole block's line, when the error names no parameter, e.g. two
    parameters that are valid alone but not together). The base scenario is not blamed: it is
    valid alone, the point's values are what changed."""
    reason = str(error).split(": ", 1)[-1]  # "field: why", without the scenario's source
    named = [text for text in values if f"{_text(parse(text))}: " in reason]
    shown = ", ".join(f"{text}={_plain(value)!r}" for text, value in values.items())[:200]
    line = lines.get(named[0], lines["parameters"]) if named else lines["parameters"]
    field = f"parameters.{named[0]}" if named else "parameters"
    return SweepError(
        f"{line}: {field}: point {point} ({shown}) is not a valid scenario ({reason})"
    )


def _check_org_value(options: dict, option: str, value: Any) -> None:
    if option == "size" and (not isinstance(value, int | float) or value < 1):
        raise ScenarioError(f"organisation.generate.size: must be >= 1, got {value!r}")


def _plain(value: Any) -> Any:
    """numpy scalars as Python numbers (pydantic and YAML dumps want plain types)."""
    if hasattr(value, "item") and not isinstance(value, list | dict | str):
        return value.item()
    return value


def _text(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _members_of(annotated, tag: str) -> dict[str, type]:
    union = typing.get_args(annotated)[0]
    out = {}
    for cls in typing.get_args(union):
        for literal in typing.get_args(cls.model_fields[tag].annotation):
            out[literal] = cls
    return out


_DISCRIMINATORS = {
    ("rollout", "strategy"): _members_of(RolloutStrategy, "strategy"),
    ("adoption", "rule"): _members_of(AdoptionRule, "rule"),
    ("interventions", "type"): _members_of(AnyIntervention, "type"),
}


def _discriminated(path: Path) -> dict[str, type] | None:
    """The members of the union whose tag ``path`` names, or None."""
    if len(path) == 2:
        return _DISCRIMINATORS.get((path[0], path[1]))
    if len(path) == 3 and path[0] == "interventions" and isinstance(path[1], int):
        return _DISCRIMINATORS.get(("interventions", path[2]))
    return None
