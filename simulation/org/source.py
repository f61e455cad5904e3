"""A scenario's ``organisation:`` block, typed and bounded, and the paths it may read.

The block names where the organisation comes from, exactly one of::

    organisation: {generate: {size: 2000, frontline_share: 0.3, ...}}
    organisation: {hr_csv: hr.csv, columns: {employee_id: Worker_ID}, ties: ties.csv, seed: 0}
    organisation: {hr_csv: hr.xlsx, sheet: Export, where: [Status=Active],
                   root_marker: [NO_MANAGER], orphans: roots,
                   columns: {frontline: "Employee Class=Hourly Employee"}}
    organisation: {edgelist: edges.txt, attributes: people.csv, columns: {...}}
    organisation: {dataset: krackhardt}

:class:`OrganisationSource` validates it when the scenario is read (so ``scenario check`` sees
a bad or oversized block, with the line), and bounds every size: at most :data:`MAX_PEOPLE`
people, sites and departments, finite numbers. :func:`scenario_org` then builds the organisation.

Paths in a scenario are *confined*: a scenario file is data that may come from someone else, so
its paths resolve against the scenario's folder and must stay inside the allowed roots: the
scenario's folder and the current folder, plus any folder given with ``--allow-path`` (or
:func:`allow_paths` in Python). A path outside is refused before the file is opened, so a shared
scenario cannot make an error message echo a line of a file it was not meant to read. Paths
given on the command line (``--org``) are the user's own and are not confined.
"""

from __future__ import annotations

import contextlib
import contextvars
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from simulation.base.errors import OrgDataError
from simulation.base.limits import MAX_PEOPLE, MAX_SEED
from simulation.org.table import KNOWN_COLUMNS

#: longest path or name accepted in the block, characters
MAX_PATH = 4096
#: most departments or sites a generated organisation may have
MAX_GROUPS = 10_000

_extra_roots: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar(
    "esnsim_allowed_roots", default=()
)


class _Block(BaseModel):
    """No unknown keys, no infinite numbers; dumps only what was written (stable digests)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_serializer(mode="wrap")
    def _written_only(self, handler) -> dict:
        return {k: v for k, v in handler(self).items() if v is not None}

    # The block was a plain mapping before it was typed; code that reads it as one (the sweep's
    # organisation cache, ``cfg["generate"]["size"]``) keeps working on its written form.
    def __eq__(self, other: object) -> bool:
        if isinstance(other, dict):
            return self.model_dump() == other
        return super().__eq__(other)

    def __getitem__(self, key: str) -> Any:
        return self.model_dump()[key]

    def get(self, key: str, default: Any = None) -> Any:
        """The written value of ``key`` (as in the mapping), or ``default``."""
        return self.model_dump().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.model_dump()


class GenerateOptions(_Block):
    """The generator's options (:func:`simulation.org.generate.generate`), bounded."""

    size: int = Field(ge=1, le=MAX_PEOPLE, description="Head-count, people.")
    seed: int | None = Field(None, ge=0, le=MAX_SEED, description="Seed of the organisation.")
    span_of_control: float | None = Field(None, ge=2, le=10_000, description="Reports/manager.")
    departments: Any = Field(
        None, description="A count, names (a list or 'a|b'), or name -> size / {size, frontline}."
    )
    frontline_share: float | None = Field(None, ge=0, le=1, description="Share 0-1.")
    sites: Any = Field(None, description="A count or a list of names.")
    team_tie_prob: float | None = Field(None, ge=0, le=1, description="Probability 0-1.")
    cross_ties: float | None = Field(None, ge=0, le=1000, description="Ties per person.")
    long_range_ties: float | None = Field(None, ge=0, le=1000, description="Ties per person.")
    homophily_department: float | None = Field(None, ge=1, le=1e6, description="Odds ratio.")
    homophily_site: float | None = Field(None, ge=1, le=1e6, description="Odds ratio.")

    @field_validator("departments", "sites", mode="before")
    @classmethod
    def _groups(cls, value: Any) -> Any:
        if value is None or isinstance(value, bool):
            if isinstance(value, bool):
                raise PydanticCustomError("groups", "must be a count or a list of names")
            return value
        if isinstance(value, int):
            if not 1 <= value <= MAX_GROUPS:
                raise PydanticCustomError("groups", f"must be from 1 to {MAX_GROUPS:,}")
            return value
        names = value.split("|") if isinstance(value, str) else value
        if not isinstance(names, list | dict) or not names:
            raise PydanticCustomError("groups", "must be a count or a list of names")
        if len(names) > MAX_GROUPS:
            raise PydanticCustomError("groups", f"more than {MAX_GROUPS:,} names")
        for name in names:
            _check_name(name)
        if isinstance(names, dict):
            for spec in names.values():
                numbers = list(spec.values()) if isinstance(spec, dict) else [spec]
                if not all(_finite_number(x) for x in numbers):
                    raise PydanticCustomError("groups", "sizes must be finite numbers >= 0")
        return value

    def options(self) -> dict[str, Any]:
        """The keyword arguments of :func:`~simulation.org.generate.generate`."""
        return self.model_dump()


class OrganisationSource(_Block):
    """Where a scenario's organisation comes from: exactly one of the four kinds."""

    generate: GenerateOptions | None = Field(None, description="Generated organisation.")
    hr_csv: str | None = Field(None, max_length=MAX_PATH, description="HR export (path).")
    edgelist: str | None = Field(None, max_length=MAX_PATH, description="Edge list (path).")
    dataset: str | None = Field(None, max_length=100, description="Bundled data set name.")
    columns: dict[str, str] | None = Field(None, description="Our names -> the file's headers.")
    ties: str | None = Field(None, max_length=MAX_PATH, description="HR export's ties (path).")
    attributes: str | None = Field(None, max_length=MAX_PATH, description="Edge list's people.")
    seed: int | None = Field(None, ge=0, le=MAX_SEED, description="Seed of generated ties.")
    sheet: str | None = Field(None, max_length=200, description="HR workbook's sheet (name).")
    encoding: str | None = Field(None, max_length=40, description="HR CSV's encoding (cp1252).")
    where: list[str] | None = Field(
        None, max_length=50, description="Rows kept: COLUMN=VALUE[|VALUE] or COLUMN!=VALUE."
    )
    root_marker: list[str] | None = Field(
        None, max_length=50, description="Manager values meaning 'no manager'."
    )
    orphans: Literal["error", "roots", "drop"] | None = Field(
        None, description="People whose manager is not in the file: error, roots or drop."
    )
    team_tie_prob: float | None = Field(None, ge=0, le=1, description="Probability 0-1.")
    cross_ties: float | None = Field(None, ge=0, le=1000, description="Ties per person.")
    long_range_ties: float | None = Field(None, ge=0, le=1000, description="Ties per person.")
    homophily_department: float | None = Field(None, ge=1, le=1e6, description="Odds ratio.")
    homophily_site: float | None = Field(None, ge=1, le=1e6, description="Odds ratio.")

    @field_validator("where", "root_marker", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("where", "root_marker")
    @classmethod
    def _texts(cls, value: list[str] | None) -> list[str] | None:
        for text in value or []:
            _check_name(text)
        return value

    @field_validator("hr_csv", "edgelist", "ties", "attributes", "dataset")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        if value is not None:
            _check_name(value)
        return value

    @field_validator("columns")
    @classmethod
    def _columns(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for name, header in (value or {}).items():
            if name not in KNOWN_COLUMNS:
                raise PydanticCustomError(
                    "columns", f"unknown name {name[:40]!r} (known: {', '.join(KNOWN_COLUMNS)})"
                )
            _check_name(header)
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> OrganisationSource:
        kinds = [k for k in _ALLOWED if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise PydanticCustomError("organisation", f"give exactly one of {', '.join(_ALLOWED)}")
        kind = kinds[0]
        for key in type(self).model_fields:
            if key != kind and key not in _ALLOWED[kind] and getattr(self, key) is not None:
                raise PydanticCustomError(
                    "organisation", f"{key} does not apply to a {kind} organisation"
                )
        return self

    @property
    def kind(self) -> str:
        """``generate``, ``hr_csv``, ``edgelist`` or ``dataset``."""
        return next(k for k in _ALLOWED if getattr(self, k) is not None)


_HR = ("sheet", "encoding", "where", "root_marker", "orphans")
_TIES = ("team_tie_prob", "cross_ties", "long_range_ties", "homophily_department", "homophily_site")
_ALLOWED: dict[str, set[str]] = {
    "generate": set(),
    "hr_csv": {"columns", "ties", "seed", *_HR, *_TIES},
    "edgelist": {"attributes", "columns"},
    "dataset": set(),
}


def _check_name(name: Any) -> None:
    if not isinstance(name, str) or not name.strip():
        raise PydanticCustomError("name", "must be a non-empty text")
    if len(name) > MAX_PATH:
        raise PydanticCustomError("name", f"longer than {MAX_PATH:,} characters")
    if any(ord(ch) < 32 for ch in name):
        raise PydanticCustomError("name", "contains a control character")


def _finite_number(value: Any) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and value == value
        and abs(value) != float("inf")
        and value >= 0
    )


def parse_source(cfg: Any, where: str = "organisation") -> OrganisationSource:
    """An :class:`OrganisationSource` from a mapping; one-line :class:`OrgDataError` naming
    ``where`` and the field."""
    if isinstance(cfg, OrganisationSource):
        return cfg
    try:
        return OrganisationSource.model_validate(cfg)
    except ValidationError as exc:
        raise OrgDataError(_one_line(where, exc)) from None


def generate_options(options: dict, where: str = "generate") -> dict[str, Any]:
    """Validated keyword arguments of the generator (``--org generate:...`` uses it too)."""
    try:
        return GenerateOptions.model_validate(options).options()
    except ValidationError as exc:
        raise OrgDataError(_one_line(where, exc)) from None


def _one_line(where: str, exc: ValidationError) -> str:
    from simulation.base.validation_errors import format_validation_error

    text = format_validation_error("", exc)
    return f"{where}.{text.removeprefix(': ')}".replace(".(top): ", ": ")


# ----------------------------------------------------------------------------- path confinement
@contextlib.contextmanager
def allow_paths(*folders: str | Path) -> Iterator[None]:
    """Let scenario paths also reach inside ``folders`` (the CLI's ``--allow-path``)."""
    extra = tuple(Path(f).expanduser().resolve() for f in folders)
    token = _extra_roots.set(_extra_roots.get() + extra)
    try:
        yield
    finally:
        _extra_roots.reset(token)


#: the keys of a scenario's ``organisation:`` block that name files
FILE_KEYS = ("hr_csv", "edgelist", "ties", "attributes")


def run_command(file_name: str, organisation: dict | None) -> str:
    """``esnsim run FILE`` for a scenario written beside results, with the ``--allow-path`` its
    organisation's files need: written as absolute paths, they lie outside the output folder,
    which the path confinement would refuse."""
    folders = dict.fromkeys(
        str(Path(value).parent)
        for key in FILE_KEYS
        if isinstance(value := (organisation or {}).get(key), str) and Path(value).is_absolute()
    )
    options = "".join(f" --allow-path {shlex.quote(folder)}" for folder in folders)
    return f"esnsim run {shlex.quote(file_name)}{options}"


def allowed_roots(base_dir: str | Path | None) -> list[Path]:
    """The folders a scenario in ``base_dir`` may read from: its own, the current one, and
    those of :func:`allow_paths`."""
    roots = [Path.cwd().resolve()]
    if base_dir is not None:
        roots.insert(0, Path(base_dir).resolve())
    return roots + list(_extra_roots.get())


def confined(
    path: str | Path, base_dir: str | Path | None, where: str, folder: str = "the scenario's folder"
) -> Path:
    """``path`` resolved against ``base_dir`` (symbolic links followed); refused with a one-line
    :class:`OrgDataError` naming ``where`` if it leaves every allowed root. ``folder`` names
    ``base_dir`` in the message (a sweep file's paths say ``the sweep file's folder``)."""
    raw = Path(path)
    try:
        resolved = (Path(base_dir or ".") / raw).resolve()
    except (RuntimeError, OSError):  # a loop of symbolic links
        raise OrgDataError(f"{where}: {str(path)[:200]!r}: a loop of symbolic links") from None
    roots = allowed_roots(base_dir)
    if not any(resolved.is_relative_to(root) for root in roots):
        raise OrgDataError(
            f"{where}: {str(path)[:200]!r} is outside {folder} and the current "
            "folder (allow it with --allow-path DIR)"
        )
    return resolved


def scenario_org(scenario) -> Any:
    """The organisation of ``scenario.organisation`` (an :class:`OrganisationSource`).

    Errors name the scenario file and the line of the block: ``plan.yaml:6:
    organisation.hr_csv: 'x.csv' is outside ...``; errors inside an organisation file name
    that file and its line.
    """
    source = parse_source(scenario.organisation, scenario.where(("organisation",)))
    return org_of_source(source, scenario.base_dir, scenario.where)


def org_of_source(source: OrganisationSource, base_dir: str | Path | None, where=None) -> Any:
    """Build the organisation ``source`` names; paths confined to the allowed roots."""
    from simulation import datasets
    from simulation.org.edgelist import from_edgelist
    from simulation.org.generate import generate
    from simulation.org.hr_csv import from_hr_csv

    def at(*field: str) -> str:
        label = ".".join(("organisation", *field))
        return f"{where(('organisation', *field))}: {label}" if where else label

    def path_of(field: str) -> Path:
        path = confined(getattr(source, field), base_dir, at(field))
        if not path.is_file():
            what = "a folder, not a file" if path.is_dir() else "no such file"
            raise OrgDataError(f"{at(field)}: {what} {getattr(source, field)[:200]!r}")
        return path

    kind = source.kind
    if kind == "generate":
        try:
            return generate(**source.generate.options())
        except OrgDataError as error:
            raise OrgDataError(f"{at('generate')}: {error}") from None
    if kind == "dataset":
        try:
            return datasets.load(source.dataset)
        except OrgDataError as error:
            raise OrgDataError(f"{at('dataset')}: {str(error).removeprefix('dataset: ')}") from None
    if kind == "edgelist":
        attributes = path_of("attributes") if source.attributes else None
        return from_edgelist(path_of("edgelist"), attributes=attributes, columns=source.columns)
    ties = path_of("ties") if source.ties else None
    tie_options = {k: getattr(source, k) for k in _TIES if getattr(source, k) is not None}
    reading = {k: getattr(source, k) for k in _HR if getattr(source, k) is not None}
    return from_hr_csv(
        path_of("hr_csv"),
        columns=source.columns,
        ties=ties,
        seed=source.seed or 0,
        **reading,
        **tie_options,
    )


def check_paths(scenario) -> None:
    """Refuse a scenario whose own paths leave the allowed roots (``scenario check``)."""
    if scenario.organisation is None:
        return
    source = parse_source(scenario.organisation, scenario.where(("organisation",)))
    for field in ("hr_csv", "ties", "edgelist", "attributes"):
        value = getattr(source, field)
        if value is not None:
            where = f"{scenario.where(('organisation', field))}: organisation.{field}"
            confined(value, scenario.base_dir, where)
