"""MkDocs hook: the scenario schema's page, rendered from the pydantic models at build time.

A page holding the line ``<!-- scenario-schema -->`` gets, in its place, one table per block of
a scenario file: the top level, then each block, rule, strategy and lever, in the order the
top level names them. The tables are made from ``Scenario.model_json_schema()``, the JSON
Schema that ``esnsim scenario schema`` writes, so they cannot drift from the code.
"""

from __future__ import annotations

import html
import json
import re

MARKER = "<!-- scenario-schema -->"
SCALARS = {"integer": "integer", "number": "number", "string": "text", "boolean": "true/false"}
BOUNDS = (
    ("minimum", ">= {}"),
    ("exclusiveMinimum", "> {}"),
    ("maximum", "<= {}"),
    ("exclusiveMaximum", "< {}"),
    ("minLength", "length >= {}"),
    ("maxLength", "length <= {}"),
    ("minItems", "items >= {}"),
    ("maxItems", "items <= {}"),
)


def on_page_markdown(markdown: str, page, config, files, **kwargs) -> str:
    if MARKER not in markdown:
        return markdown
    from simulation.plan.scenario import Scenario

    return markdown.replace(MARKER, render(Scenario.model_json_schema()))


def render(schema: dict) -> str:
    """The Markdown of every model of ``schema``: the top level first, then what it refers to."""
    definitions = schema.get("$defs", {})
    done: set[str] = set()
    parts = ["## The top level {#scenario}", "", text(schema.get("description", "")), ""]
    parts += table(schema, definitions)
    for name, field in schema["properties"].items():
        pending = [ref for ref in refs(field) if ref not in done]
        if not pending:
            continue
        parts += ["", f"## `{name}`", ""]
        if field.get("description"):
            parts += [text(field["description"]), ""]
        while pending:  # depth first: a block, then the blocks it refers to
            ref = pending.pop(0)
            if ref in done:
                continue
            done.add(ref)
            model = definitions[ref]
            parts += ["", f"### {title(ref, model)} {{#{anchor(ref)}}}", ""]
            if model.get("description"):
                parts += [text(model["description"]), ""]
            parts += table(model, definitions)
            pending = [r for r in refs(model) if r not in done] + pending
    return "\n".join(parts) + "\n"


def title(ref: str, model: dict) -> str:
    """``Facilitation`` (``type: facilitation``) for a member of a tagged union."""
    for key, value in model.get("properties", {}).items():
        if "const" in value:
            return f"`{ref}` (`{key}: {value['const']}`)"
    return f"`{ref}`"


def anchor(ref: str) -> str:
    return "schema-" + re.sub(r"[^a-z0-9]+", "-", ref.lower()).strip("-")


def refs(schema) -> list[str]:
    """The names of the definitions ``schema`` refers to, in order, each once."""
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                name = node["$ref"].rsplit("/", 1)[-1]
                if name not in found:
                    found.append(name)
            for key, value in node.items():
                if key not in ("$defs", "discriminator"):
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema.get("properties", schema) if "properties" in schema else schema)
    return found


def table(model: dict, definitions: dict) -> list[str]:
    required = set(model.get("required", ()))
    rows = ['<div class="schema-table" markdown>', ""]  # styled by docs/stylesheets/extra.css
    rows += ["| field | type | default | allowed | description |", "|---|---|---|---|---|"]
    for name, field in model.get("properties", {}).items():
        if name in required:
            default = "(required)"
        elif "default" in field:
            default = f"`{json.dumps(field['default'], ensure_ascii=False)}`"
        else:
            default = "-"  # made by the code: an empty list, or the block at its defaults
        rows.append(
            f"| `{name}` | {kind(field)} | {cell(default)} | {cell(bounds(field))} "
            f"| {cell(text(field.get('description', '')))} |"
        )
    rows += ["", "</div>"]
    if model.get("additionalProperties") is False:
        rows += ["", "Any other key is an error."]
    return rows


def kind(field: dict) -> str:
    """The field's type in words, with links to the blocks it is made of."""
    if "$ref" in field:
        name = field["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{anchor(name)})"
    if "const" in field:
        return f"`{json.dumps(field['const'], ensure_ascii=False)}`"
    if "enum" in field:
        return "one of " + ", ".join(f"`{value}`" for value in field["enum"])
    if "oneOf" in field or "anyOf" in field:
        members = field.get("oneOf") or field.get("anyOf")
        words = [kind(member) for member in members if member.get("type") != "null"]
        optional = len(words) < len(members)
        tag = field.get("discriminator", {}).get("propertyName")
        text_ = ("one of " if tag else "") + (", " if tag else " or ").join(words)
        if tag:
            text_ += f" (chosen by `{tag}`)"
        return text_ + (" or null" if optional else "")
    kind_ = field.get("type")
    if kind_ == "array":
        return "list of " + kind(field.get("items", {}))
    if kind_ == "object":
        values = field.get("additionalProperties")
        return "mapping" + (f" to {kind(values)}" if isinstance(values, dict) else "")
    if isinstance(kind_, list):
        return " or ".join(SCALARS.get(k, k) for k in kind_)
    return SCALARS.get(kind_, kind_ or "any")


def bounds(field: dict) -> str:
    """The field's range, from its own bounds or those of its non-null alternatives."""
    found = [form.format(field[key]) for key, form in BOUNDS if key in field]
    for member in field.get("anyOf", ()):
        found += [form.format(member[key]) for key, form in BOUNDS if key in member]
    return ", ".join(dict.fromkeys(found))


def text(description: str) -> str:
    """A docstring-style description as Markdown: one line, ``x`` and :role:`x` as code."""
    description = re.sub(r":[a-z]+:`~?([^`]+)`", r"``\1``", description)
    pieces = re.split(r"(``[^`]+``|`[^`]+`)", " ".join(description.split()))
    out = []
    for piece in pieces:
        if piece.startswith("`"):
            out.append("`" + piece.strip("`") + "`")
        else:
            out.append(html.escape(piece, quote=False))
    return "".join(out)


def cell(value: str) -> str:
    """A table cell: no pipe may end it early (a pipe inside a code span does not)."""
    pieces = re.split(r"(`[^`]+`)", value)
    return "".join(p if p.startswith("`") else p.replace("|", "\\|") for p in pieces)
