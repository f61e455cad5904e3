"""Roles: plans that name departments, sites and levels by what they are, not what they are called.

A shipped plan says ``departments: [open_to_social]`` rather than ``[sales, marketing, it]``,
so that it runs on any organisation. A role resolves, first match wins:

1. on the command line: ``--departments open_to_social=Sales,Marketing,IT``,
   ``--sites headquarters=Zürich`` (``run``, ``compare``, ``scenario check``);
2. in the scenario: a top-level ``roles:`` mapping, e.g.
   ``roles: {departments: {open_to_social: [Sales, IT]}, sites: {headquarters: [Zürich]}}``;
3. in a roles file beside the HR export: ``<export name>.roles.yaml`` (``hr.csv`` ->
   ``hr.roles.yaml``) with the same ``departments:`` / ``sites:`` / ``levels:`` mapping;
4. by the heuristic of :data:`ROLES` (names matched case- and accent-insensitively, with the
   synonyms of :data:`simulation.org.names.FUNCTIONS`; head-counts and frontline shares).

A mapping may also define new roles (any name), which the scenario can then use. Names in a
mapping are checked against the organisation like any other name in a plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simulation.base.errors import InputError, OrgDataError
from simulation.base.suggest import did_you_mean
from simulation.org.names import function_of, head_counts, match_unit
from simulation.org.tree import top_of_largest_tree

KINDS = ("departments", "sites", "levels")
#: Other keys of a roles file beside an HR export: how its values read (simulation.org.values).
MAPPING_KEYS = ("values",)
SINGULAR = {"departments": "department", "sites": "site", "levels": "level"}

#: Share 0-1 of frontline staff from which a unit counts as frontline heavy (assumption: "mostly
#: frontline"); when no unit reaches it, the unit(s) with the highest share.
FRONTLINE_HEAVY_SHARE = 0.5
#: Names listed per role in messages and ``org inspect`` before "and N more".
MAX_SHOWN = 8
#: Departments taken when no department name matches the functions of a name-based role.
OPEN_TO_SOCIAL_FALLBACK = 3

#: Every built-in role: the kinds it applies to and how the heuristic resolves it.
ROLES: dict[str, tuple[tuple[str, ...], str]] = {
    "all": (KINDS, "every one of them"),
    "rest": (KINDS, "those no other part of the same rollout names (every phase and wave)"),
    "largest": (("departments", "sites"), "the one with the most people"),
    "headquarters": (
        ("departments", "sites"),
        "site: the one with the most people; department: the department of the person at the "
        "top of the largest reporting tree (the largest department when everyone is a root)",
    ),
    "frontline_heavy": (
        ("departments", "sites"),
        f"those where at least {FRONTLINE_HEAVY_SHARE:.0%} of people are frontline, else the one "
        "with the highest frontline share; the largest when nobody is frontline",
    ),
    "open_to_social": (
        ("departments",),
        "sales, marketing and IT by name (synonyms such as 'Information Technology'; assumption: "
        "the functions practitioners find most open to social tools), else the "
        f"{OPEN_TO_SOCIAL_FALLBACK} largest departments",
    ),
    "customer_facing": (("departments",), "sales and marketing by name, else the largest"),
    "commercial": (("departments",), "sales by name, else the largest department"),
    "technical": (("departments",), "engineering and IT by name, else the largest department"),
    "top": (("levels",), "level 0, the top of the reporting tree"),
    "bottom": (("levels",), "the deepest level"),
}
_FUNCTIONS_OF_ROLE = {
    "open_to_social": (("sales", "marketing", "it"), OPEN_TO_SOCIAL_FALLBACK),
    "customer_facing": (("sales", "marketing"), 1),
    "commercial": (("sales",), 1),
    "technical": (("engineering", "it"), 1),
}


Locate = Callable[[str], str]


def built_in(kind: str) -> list[str]:
    """The built-in roles that apply to ``kind`` (departments, sites or levels)."""
    return [role for role, (kinds, _) in ROLES.items() if kind in kinds]


@dataclass(frozen=True)
class Units:
    """One kind of unit of an organisation: names, head-counts and frontline shares."""

    kind: str
    names: list[str]
    counts: np.ndarray
    frontline: np.ndarray

    @classmethod
    def of(cls, org, kind: str) -> Units:
        if kind == "levels":
            depth = int(org.level.max()) + 1 if org.size else 0
            names, codes = [level_label(k) for k in range(depth)], org.level
        else:
            names = list(org.department_names if kind == "departments" else org.site_names)
            codes = org.department if kind == "departments" else org.site
        counts = head_counts(codes, len(names))
        frontline = np.bincount(
            np.asarray(codes, np.int64), weights=org.frontline, minlength=len(names)
        ) / np.maximum(counts, 1)
        return cls(kind, names, counts, frontline)

    def by_size(self) -> list[str]:
        """Names, most people first (ties in name order)."""
        order = np.lexsort((np.arange(len(self.names)), -self.counts))
        return [self.names[i] for i in order if self.counts[i] > 0]


def level_label(level: int) -> str:
    """``level 2``: the name of a level in messages and group tables."""
    return f"level {level}"


@dataclass(frozen=True)
class Resolved:
    """What a role stands for on one organisation, and how that was decided."""

    names: tuple[str, ...]
    how: str


class RoleError(InputError):
    """A role or a name in a role mapping does not fit the organisation."""


def heuristic(org, kind: str, role: str) -> Resolved:
    """The heuristic resolution of built-in ``role`` (see :data:`ROLES`)."""
    units = Units.of(org, kind)
    ranked = units.by_size()
    if role == "all":
        return Resolved(tuple(n for n in units.names if n in ranked), "every one")
    if role == "largest":
        return Resolved(tuple(ranked[:1]), "the most people")
    if role == "top":
        return Resolved((units.names[0],), "top of the tree")
    if role == "bottom":
        return Resolved((units.names[-1],), "deepest level")
    if role == "headquarters" and kind == "departments":
        top = top_of_largest_tree(org.manager)
        if top is not None:
            return Resolved(
                (units.names[int(org.department[top])],),
                f"department of {org.ids[top]}, the top of the largest reporting tree",
            )
        return Resolved(tuple(ranked[:1]), "fallback, no reporting tree: the most people")
    if role == "headquarters":
        return Resolved(tuple(ranked[:1]), "the most people")
    if role == "frontline_heavy":
        share = units.frontline
        if not (share > 0).any():
            return Resolved(tuple(ranked[:1]), "nobody is frontline: the most people")
        heavy = [n for n, s in zip(units.names, share, strict=True) if s >= FRONTLINE_HEAVY_SHARE]
        if heavy:
            return Resolved(tuple(heavy), f"frontline share >= {FRONTLINE_HEAVY_SHARE:.0%}")
        top = units.names[int(np.argmax(share))]
        return Resolved((top,), f"highest frontline share ({share.max():.0%})")
    functions, fallback = _FUNCTIONS_OF_ROLE[role]
    named = [n for n in units.names if function_of(n) in functions]
    if named:
        found = sorted({function_of(n) for n in named}, key=functions.index)
        lacking = [f for f in functions if f not in found]
        how = "by name" + (f"; no {', '.join(lacking)} department" if lacking else "")
        return Resolved(tuple(named), how)
    wanted = " or ".join(f for f in functions)
    return Resolved(
        tuple(ranked[:fallback]),
        f"fallback: no department named as {wanted}, so the {fallback} largest"
        if fallback > 1
        else f"fallback: no department named as {wanted}, so the largest",
    )


class RoleMaps:
    """The explicit role mappings in force, most binding first, each with where it came from.

    Parameters
    ----------
    layers : list of (mapping, locate, label)
        ``mapping`` is ``{kind: {role: [names]}}``; ``locate(path)`` turns a field path inside
        it (``departments.open_to_social[1]``) into the start of an error message; ``label``
        says where the mapping comes from ("command line", "scenario", a roles file).
    """

    def __init__(self, layers: list[tuple[dict, Locate, str]]):
        self.layers = [(check_mapping(m, locate), locate, label) for m, locate, label in layers]

    def lookup(self, kind: str, role: str) -> tuple[list, Locate, str] | None:
        for mapping, locate, label in self.layers:
            if role in mapping.get(kind, {}):
                return mapping[kind][role], locate, label
        return None

    def custom(self, kind: str) -> list[str]:
        """Roles defined by a mapping that are not built in."""
        seen: list[str] = []
        for mapping, _, _ in self.layers:
            seen += [r for r in mapping.get(kind, {}) if r not in ROLES and r not in seen]
        return seen


class RoleResolver:
    """Resolves roles on one organisation: explicit mappings first, then the heuristic."""

    def __init__(self, org, maps: RoleMaps | None = None):
        self.org = org
        self.maps = maps or RoleMaps([])
        self._units = {kind: Units.of(org, kind) for kind in KINDS}
        self._cache: dict[tuple[str, str], Resolved] = {}

    def units(self, kind: str) -> Units:
        return self._units[kind]

    def is_role(self, kind: str, name: object) -> bool:
        """Whether ``name`` names a role (and not, exactly, one of the organisation's units)."""
        if not isinstance(name, str) or name in self._units[kind].names:
            return False
        return name in built_in(kind) or self.maps.lookup(kind, name) is not None

    def resolve(self, kind: str, role: str) -> Resolved:
        """The units ``role`` stands for (``rest`` is resolved by the caller)."""
        key = (kind, role)
        if key not in self._cache:
            explicit = self.maps.lookup(kind, role)
            if explicit is not None:
                names, locate, label = explicit
                found = [
                    self.match(kind, n, locate(f"{kind}.{role}[{i}]")) for i, n in enumerate(names)
                ]
                unique = tuple(dict.fromkeys(n for group in found for n in group))
                self._cache[key] = Resolved(unique, label)
            else:
                self._cache[key] = heuristic(self.org, kind, role)
        return self._cache[key]

    def match(self, kind: str, name: object, where: str) -> list[str]:
        """The unit names that literal ``name`` denotes; an error naming ``where`` if none."""
        units = self._units[kind]
        text = str(name)
        if kind == "levels" and (_is_int(name) or text.strip().isdigit()):
            text = level_label(int(text))
        found = match_unit(text, units.names)
        if not found:
            known = units.names + built_in(kind) + self.maps.custom(kind)
            unit = SINGULAR[kind]
            raise RoleError(
                f"{where}unknown {unit} {name!r} in {self.org.name}{did_you_mean(text, known)}"
            )
        return found

    def describe(self) -> list[tuple[str, str, Resolved]]:
        """(kind, role, resolution) of every role that applies, for ``esnsim org inspect``."""
        rows = []
        for kind in KINDS:
            for role in [*built_in(kind), *self.maps.custom(kind)]:
                if role == "rest":
                    continue
                rows.append((kind, role, self.resolve(kind, role)))
        return rows


def _is_int(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def check_mapping(data: object, locate: Callable[[str], str]) -> dict:
    """Validate a role mapping ``{kind: {role: [names]}}``; a single name may stand for a list."""
    if not isinstance(data, dict):
        raise RoleError(f"{locate('')}expected a mapping of departments/sites/levels to roles")
    out: dict[str, dict[str, list]] = {}
    for kind, roles in data.items():
        if kind in MAPPING_KEYS:  # read with the export (simulation.org.values), not roles
            continue
        if kind not in KINDS:
            raise RoleError(f"{locate(str(kind))}unknown key (expected {', '.join(KINDS)})")
        if not isinstance(roles, dict):
            raise RoleError(f"{locate(kind)}expected a mapping of role names to {kind}")
        out[kind] = {}
        for role, names in roles.items():
            names = [names] if isinstance(names, str | int) else names
            if not isinstance(names, list) or not names:
                raise RoleError(f"{locate(f'{kind}.{role}')}expected a non-empty list of names")
            out[kind][str(role)] = names
    return out


def parse_role_options(values: list[str] | None, kind: str) -> dict[str, list[str]]:
    """``["open_to_social=Sales,Marketing,IT"]`` (``--departments``) -> ``{role: names}``."""
    roles: dict[str, list[str]] = {}
    for value in values or []:
        role, sep, names = (part.strip() for part in value.partition("="))
        listed = [n.strip() for n in names.split(",") if n.strip()]
        if not sep or not role or not listed:
            raise InputError(f"--{kind}: expected ROLE=NAME[,NAME...], got {value!r}")
        if role in roles:
            raise InputError(f"--{kind}: role {role!r} given twice")
        roles[role] = listed
    return roles


def roles_file_for(org) -> Path | None:
    """``<stem>.roles.yaml`` beside the HR export ``org`` was read from, when it exists."""
    source = getattr(org, "source", None)
    if source is None:
        return None
    path = Path(source).with_name(Path(source).stem + ".roles.yaml")
    return path if path.is_file() else None


def read_roles_file(path: Path):
    """The roles file read with the bounded safe loader: a document with lines."""
    from simulation.base.safe_yaml import load_yaml

    document = load_yaml(path, error=OrgDataError)
    if document.data is None:
        return {}, document
    return document.data, document


def _locate_option(path: str) -> str:
    kind, _, rest = path.partition(".")
    role = rest.split("[")[0]
    return f"--{kind} {role}: " if role else f"--{kind}: "


def resolver_for(org, scenario_roles: dict | None = None, cli_roles: dict | None = None,
                 locate_scenario: Callable[[str], str] | None = None) -> RoleResolver:  # fmt: skip
    """A :class:`RoleResolver` with the command line's, the scenario's and the roles file's maps."""
    layers: list[tuple[dict, Locate, str]] = []
    if cli_roles:
        layers.append((cli_roles, _locate_option, "command line"))
    if scenario_roles:
        locate = locate_scenario or (lambda path: f"roles.{path}: ")
        layers.append((scenario_roles, locate, "scenario roles"))
    file = roles_file_for(org)
    if file is not None:
        from simulation.base.validation_errors import parse_path

        data, document = read_roles_file(file)

        def locate_file(path: str) -> str:
            return f"{document.where(parse_path(path))}: {path}: " if path else f"{file}: "

        layers.append((data, locate_file, file.name))
    return RoleResolver(org, RoleMaps(layers))
