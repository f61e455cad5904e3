"""Pydantic's validation errors as one line a user can act on: ``file:line: field: message``.

Pydantic's own wording leaks its internals: the member of a union it tried
(``audience.literal['all']``), the tag of a discriminated union (``rollout.grassroots.seeds``),
"Input should be". Here the path is the one written in the file (``interventions[3].audience``,
``rollout[1].seeds`` for a list of phases), a union's alternatives are said together ("must be
'all' or a list"), an unknown tag names its field (``rollout.strategy``) and the closest valid
value.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from simulation.base.suggest import did_you_mean

#: Discriminated unions add the member's tag to an error's location: drop it from the path.
UNION_FIELDS = {"adoption", "rollout"}
LIST_OF_UNIONS = {"interventions", "phases"}
MESSAGES = {
    "extra_forbidden": "unknown field",
    "missing": "required field missing",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "dict_type": "must be a mapping",
}
SHORTER = [
    (r"^Value error, ", ""),
    (r"Input should be a valid dictionary or object to extract fields from", "must be a mapping"),
    (
        r"List should have at least (\d+) items? after validation, not \d+",
        r"must have at least \1 item(s)",
    ),
    (
        r"List should have at most (\d+) items? after validation, not \d+",
        r"must have at most \1 item(s)",
    ),
    (r"Input should be greater than or equal to", "must be >="),
    (r"Input should be less than or equal to", "must be <="),
    (r"Input should be greater than", "must be >"),
    (r"Input should be less than", "must be <"),
    (r"Input should be", "must be"),
]
# The labels pydantic gives the members of a plain union: "literal['all']", "list[str]", "int"
_MEMBER = re.compile(r"^(?:[a-z-]+\[.*\]|str|int|float|bool|none|dict|list)$")


def data_path(loc: tuple, rollout_list: bool = False) -> tuple:
    """The path in the data (``("interventions", 0, "audience")``) of a pydantic location.

    Without the tags of discriminated unions and the labels of union members that pydantic
    inserts; ``rollout_list``: the file wrote the rollout as a list of phases.
    """
    parts: list = []
    for i, part in enumerate(loc):
        previous = loc[i - 1] if i >= 1 else None
        in_union = previous in UNION_FIELDS and i == 1
        in_list = i >= 2 and isinstance(previous, int) and loc[i - 2] in LIST_OF_UNIONS
        if isinstance(part, str) and (in_union or in_list):
            continue
        if isinstance(part, str) and i > 0 and _MEMBER.match(part):
            continue
        parts.append(part)
    if rollout_list and tuple(parts[:2]) == ("rollout", "phases"):
        del parts[1]
    return tuple(parts)


def field_path(loc: tuple, rollout_list: bool = False) -> str:
    """``rollout.seeds`` or ``interventions[0].community_managers`` from a pydantic location."""
    return format_path(data_path(loc, rollout_list))


def format_path(path: tuple) -> str:
    """``("rollout", 0, "departments")`` -> ``rollout[0].departments``."""
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    return text.lstrip(".")


def parse_path(text: str) -> tuple:
    """``departments.open_to_social[1]`` -> ``("departments", "open_to_social", 1)``."""
    pieces = re.findall(r"[^.\[\]]+|\[\d+\]", text)
    return tuple(int(p[1:-1]) if p.startswith("[") else p for p in pieces)


def _message(error: dict) -> str:
    ctx = error.get("ctx") or {}
    kind = error["type"]
    if kind == "union_tag_invalid":
        expected = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
        return f"unknown value {ctx.get('tag')!r}{did_you_mean(str(ctx.get('tag')), expected)}"
    if kind == "union_tag_not_found":
        return f"needs a {ctx.get('discriminator', 'type')} field".replace("'", "")
    message = MESSAGES.get(kind, error["msg"])
    for pattern, short in SHORTER:
        message = re.sub(pattern, short, message)
    given = error.get("input")
    if kind == "string_type" and isinstance(given, int | float) and not isinstance(given, bool):
        # YAML reads 1107 (and 0107 as octal 71) as a number: an id must be quoted to stay as written
        message += f" (YAML read {given!r} as a number: quote ids, e.g. '0107')"
    return message


def _members(errors: list[dict], loc: tuple) -> list[dict]:
    """The errors of the other members of the union at ``loc`` (same prefix, one label more)."""
    return [e for e in errors if e["loc"][: len(loc)] == loc]


def first_problem(exc: ValidationError, rollout_list: bool = False) -> tuple[tuple, str, int]:
    """(data path, message, number of other problems) of a validation error's first problem."""
    # an unknown field (a typo) says more than the missing field it was meant to be
    errors = sorted(exc.errors(), key=lambda error: error["type"] != "extra_forbidden")
    first = errors[0]
    loc = tuple(first["loc"])
    labels = [i for i, part in enumerate(loc) if isinstance(part, str) and _MEMBER.match(part)]
    if labels:
        # a plain union: say what each member wanted, or the deepest member's own problem
        union = loc[: labels[0]]
        members = _members(errors, union)
        deepest = max(members, key=lambda e: len(e["loc"]))
        if len(deepest["loc"]) > labels[0] + 1:
            first, message = deepest, _message(deepest)
        else:
            wanted = [_message(e).removeprefix("must be ") for e in members]
            message = "must be " + " or ".join(dict.fromkeys(wanted))
        others = len(errors) - len(members)
    else:
        message, others = _message(first), len(errors) - 1
    path = data_path(tuple(first["loc"]), rollout_list)
    if first["type"] == "union_tag_invalid":
        tag = str((first.get("ctx") or {}).get("discriminator", "type")).strip("'")
        path = (*path, tag)
    return path, message, others


def format_validation_error(
    source: str | Path, exc: ValidationError, document=None, rollout_list: bool = False
) -> str:
    """One line: ``file:line: field.path: message`` for the first problem (and a count of the
    others); the line comes from ``document`` (:class:`simulation.base.safe_yaml.YamlDocument`)."""
    path, message, others = first_problem(exc, rollout_list)
    if document is not None:
        line = document.line_of(path)
        source = f"{source}:{line}" if line is not None else source
    more = f" (and {others} more problems)" if others > 0 else ""
    return f"{source}: {format_path(path) or '(top)'}: {message}{more}".replace("\n", " ")
