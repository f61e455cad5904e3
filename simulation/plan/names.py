"""The one pass that checks every name a plan uses against the organisation, before any run.

Every name field of a scenario's rollout (every phase and wave) and interventions
(``departments``, ``audience``, ``sites``, ``levels``, ``ids``) is turned into the
organisation's own names: roles (:mod:`simulation.org.roles`) are expanded, literal names are
matched case- and accent-insensitively and through synonyms (:mod:`simulation.org.names`). A
name that matches nothing is a one-line :class:`~simulation.base.errors.ScenarioError` naming the
file, the YAML line, the field and the closest valid names. The rollout and lever modules then
only ever see literal names of the organisation.

The pass is idempotent: a resolved plan resolves to itself (an organisation's exact names are
never read as roles), so the engine can run it again on whatever it is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from simulation.base.errors import InputError, ScenarioError
from simulation.base.suggest import did_you_mean
from simulation.base.validation_errors import format_path, parse_path
from simulation.org.roles import SINGULAR, RoleResolver, level_label, resolver_for

#: Keys of rollout and intervention mappings that hold names, and the kind of name they hold.
NAME_FIELDS = {
    "departments": "departments",
    "audience": "departments",
    "sites": "sites",
    "levels": "levels",
    "ids": "ids",
}


@dataclass(frozen=True)
class NameUse:
    """One name field of a plan: what the file says and what it resolved to."""

    path: str
    kind: str
    written: tuple
    resolved: tuple
    how: tuple[str, ...]


def resolve_names(scenario, org, roles: dict | None = None):
    """A copy of ``scenario`` whose name fields hold ``org``'s own names.

    Parameters
    ----------
    scenario : Scenario
    org : Organisation
    roles : dict, optional
        Role mappings from the command line, ``{"departments": {role: [names]}, "sites": ...}``;
        they take precedence over the scenario's ``roles:`` and the roles file.

    Returns
    -------
    Scenario
        Validated again; its ``name_uses`` lists every name field (:class:`NameUse`).

    Raises
    ------
    ScenarioError
        An unknown name, a role that names nothing, or a bad role mapping: one line with the
        file, line, field and the closest valid names.
    """
    from simulation.plan.scenario import Scenario

    as_list = bool(scenario._rollout_list)

    def display(path: tuple) -> tuple:
        return path[:1] + path[2:] if as_list and path[:2] == ("rollout", "phases") else path

    def prefix(path: tuple) -> str:
        shown = display(path)
        return f"{scenario.where(shown)}: {format_path(shown)}: "

    data = scenario.model_dump(mode="python")
    try:
        resolver = resolver_for(
            org,
            scenario_roles=data.get("roles"),
            cli_roles=roles,
            locate_scenario=lambda path: prefix(("roles", *parse_path(path))),
        )
        uses = _resolve(data, resolver, org, prefix)
    except ScenarioError:
        raise
    except InputError as exc:
        raise ScenarioError(str(exc)) from None
    out = Scenario.from_dict(data, source=scenario._source, document=scenario._document)
    out._rollout_list = as_list
    out._name_uses = [
        NameUse(format_path(display(u.path)), u.kind, u.written, u.resolved, u.how) for u in uses
    ]
    return out


def name_record(scenario) -> list[dict]:
    """The name fields of a resolved plan as JSON-ready rows (for the manifest)."""
    return [
        {
            "field": u.path,
            "written": list(u.written),
            "resolved": list(u.resolved),
            "how": list(u.how),
        }  # fmt: skip
        for u in scenario.name_uses
        if u.written
    ]


def _name_fields(node, path: tuple) -> Iterator[tuple[tuple, str, dict, str]]:
    """(path, kind, mapping, key) of every name field under ``node``, in file order."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = (*path, key)
            if key in NAME_FIELDS and isinstance(value, list):
                yield here, NAME_FIELDS[key], node, key
            elif isinstance(value, dict | list):
                yield from _name_fields(value, here)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _name_fields(item, (*path, i))


def _resolve(data: dict, resolver: RoleResolver, org, prefix) -> list[NameUse]:
    uses: list[NameUse] = []
    pending_rest: list[tuple] = []
    used_by_rollout: dict[str, set] = {kind: set() for kind in SINGULAR}
    for scope in ("rollout", "interventions"):
        for path, kind, node, key in _name_fields(data.get(scope), (scope,)):
            written = list(node[key])
            if kind == "ids":
                node[key] = _check_ids(written, org, path, prefix)
                uses.append(NameUse(path, kind, tuple(written), tuple(node[key]), ()))
                continue
            names, how, has_rest = _expand(written, kind, resolver, path, prefix)
            if scope == "rollout":
                used_by_rollout[kind].update(names)
            if has_rest:
                pending_rest.append((path, kind, node, key, written, names, how))
                continue
            node[key] = _canonical(kind, names)
            uses.append(NameUse(path, kind, tuple(written), tuple(node[key]), tuple(how)))
    for path, kind, node, key, written, names, how in pending_rest:
        units = resolver.units(kind)
        taken = used_by_rollout[kind] | set(names)
        rest = [n for n in units.names if n not in taken and _staffed(units, n)]
        # a wave with nobody left in it is harmless (a small organisation); anywhere else an
        # empty list would mean everyone
        if not rest and not names and "waves" not in path:
            raise ScenarioError(
                f"{prefix(path)}'rest' names no {SINGULAR[kind]} of {org.name}: the rest of the "
                f"rollout already names every one"
            )
        node[key] = _canonical(kind, list(dict.fromkeys(names + rest)))
        how = [*how, "rest: not named elsewhere in the rollout"]
        uses.append(NameUse(path, kind, tuple(written), tuple(node[key]), tuple(how)))
    return uses


def _staffed(units, name: str) -> bool:
    return bool(units.counts[units.names.index(name)] > 0)


def _expand(written: list, kind: str, resolver: RoleResolver, path: tuple, prefix):
    """Unit names of one field (roles expanded, ``rest`` left to the caller)."""
    names: list[str] = []
    how: list[str] = []
    has_rest = False
    for i, item in enumerate(written):
        if item == "rest" and resolver.is_role(kind, "rest"):
            has_rest = True
            continue
        if resolver.is_role(kind, item):
            resolved = resolver.resolve(kind, item)
            if not resolved.names:
                raise ScenarioError(
                    f"{prefix((*path, i))}role {item!r} names no {SINGULAR[kind]} of "
                    f"{resolver.org.name}"
                )
            names += resolved.names
            how.append(f"{item}: {resolved.how}")
        else:
            names += resolver.match(kind, item, prefix((*path, i)))
    return list(dict.fromkeys(names)), how, has_rest


def _canonical(kind: str, names: list[str]) -> list:
    # levels are matched by their labels ("level 2") and stored as numbers
    return [int(n.removeprefix(level_label(0)[:-1])) for n in names] if kind == "levels" else names


def _check_ids(ids: list, org, path: tuple, prefix) -> list[str]:
    known = set(org.ids.tolist())
    for i, person in enumerate(ids):
        if str(person) not in known:
            raise ScenarioError(
                f"{prefix((*path, i))}unknown employee id {str(person)!r} in {org.name}"
                f"{did_you_mean(str(person), list(org.ids[:100_000]))}"
            )
    return [str(person) for person in ids]
