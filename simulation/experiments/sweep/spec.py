"""The sweep file: a declared experiment as validated YAML.

A sweep names a base scenario, the parameters to vary (by field path, see
:mod:`simulation.experiments.sweep.paths`), a design, replicates per point, a seed and the per-run figures
to keep::

    name: facilitation-capacity
    base: ../grassroots_facilitated.yaml        # relative to this file
    organisation: {generate: {size: 1000}}      # optional: replaces the base's
    days: 365                                   # optional: replaces the base's
    design: {method: lhs, samples: 200}         # grid | lhs | sobol | morris | list
    replicates: 5
    seed: 7
    parameters:
      interventions[0].community_managers: {low: 0, high: 10, integer: true}
      adoption.q: {low: 0.01, high: 0.10, log: true}
      rollout.strategy: {values: [grassroots, hub_seeding]}
    outcomes: [sustained_wau, peak_wau, ebb_ratio, cost]   # ``outputs`` is the same field
    daily: {columns: [wau], days: [90, 180, 364]}           # optional daily series kept

A parameter is a range (``low``, ``high``; ``integer``, ``log``; ``distribution``: ``uniform``
(default), ``triangular`` with ``mode``, or ``normal`` with ``mean`` and ``sd``, truncated to
``low``..``high`` when given) or a list of ``values`` (categorical; required for text and
true/false fields). Every value a parameter can take must be valid for its field (a normal's
extremes too; :mod:`~simulation.experiments.sweep.checks`); a range of one value is a constant,
refused by ``sobol`` and ``morris``. The design's options: ``samples`` (lhs: points; sobol: the base N, a power
of two, giving N (2D + 2) points with second-order indices or N (D + 2) without; morris:
trajectories, giving N (D + 1) points), ``levels`` (grid: values per range), ``num_levels``
(morris), ``calc_second_order`` (sobol), ``file`` (list: a CSV with one column per parameter,
relative to the sweep file). ``seeds: common`` gives replicate r the same seed at every point
(common random numbers) instead of one seed per run.

:meth:`SweepSpec.load` validates the file and the base scenario together: every error is one
line naming the file and the field (``sweep.yaml: parameters.adoption.qq: unknown field``),
raised as :class:`~simulation.base.errors.SweepError` before anything is written.

A sweep file is data that may come from someone else, so its paths are *confined* like a
scenario's (:mod:`simulation.org.source`): ``base``, ``design.file`` and the paths of its
``organisation:`` block resolve against the sweep file's folder and must stay inside the sweep
file's folder, the current folder, the shipped scenarios' folder or a ``--allow-path`` folder;
a path outside is refused before the file is opened. The number of runs is bounded
(:data:`~simulation.base.limits.MAX_SWEEP_RUNS`) before the design is built.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from simulation.base.errors import InputError, OrgDataError, SweepError
from simulation.base.safe_yaml import load_yaml
from simulation.base.validation_errors import format_validation_error
from simulation.experiments.sweep.size import check_size
from simulation.metrics.summary import SUMMARY_COLUMNS
from simulation.model.daily import DAILY_COLUMNS
from simulation.org.source import allow_paths, allowed_roots, confined
from simulation.plan.shipped import scenario_dir

DEFAULT_OUTCOMES = ["sustained_wau", "peak_wau", "ebb_ratio", "registered_final", "cost"]


class ParameterSpec(BaseModel):
    """One varied field: a range or a list of values."""

    model_config = ConfigDict(extra="forbid")

    low: float | None = Field(None, description="Lowest value of a range.")
    high: float | None = Field(None, description="Highest value of a range.")
    integer: bool | None = Field(
        None, description="Round to whole numbers (default: when the field is a whole number)."
    )
    log: bool = Field(False, description="Sample the range evenly in log10 (low > 0).")
    values: list[Any] | None = Field(None, min_length=1, description="The values (categorical).")
    distribution: Literal["uniform", "triangular", "normal"] = "uniform"
    mode: float | None = Field(None, description="Most likely value (triangular).")
    mean: float | None = Field(None, description="Mean (normal).")
    sd: float | None = Field(None, gt=0, description="Standard deviation (normal).")

    @field_validator("values")
    @classmethod
    def _one_type(cls, values: list[Any] | None) -> list[Any] | None:
        """One type per parameter (a Parquet column has one): whole numbers among decimals
        become decimals; text mixed with numbers is refused."""
        if values is None:
            return values
        given = [v for v in values if v is not None]
        if any(isinstance(v, dict | list) for v in given):
            raise ValueError("values must be numbers, text or true/false, not lists or mappings")
        numeric = [isinstance(v, int | float) and not isinstance(v, bool) for v in given]
        if any(numeric) and not all(numeric):
            raise ValueError("values mix numbers with text or true/false")
        if any(isinstance(v, float) for v in given):
            return [None if v is None else float(v) for v in values]
        kinds = {type(v) for v in given}
        if len(kinds) > 1:
            raise ValueError("values mix text with true/false")
        if len(set(map(repr, values))) != len(values):
            raise ValueError("values are listed twice")
        return values

    @model_validator(mode="after")
    def _consistent(self) -> ParameterSpec:
        ranged = self.low is not None or self.high is not None
        if self.values is not None and (ranged or self.log or self.distribution != "uniform"):
            raise ValueError("give either values or a range (low, high), not both")
        if self.log and self.distribution != "uniform":
            raise ValueError("log applies to a uniform range only")
        if self.distribution == "normal":
            if self.mean is None or self.sd is None:
                raise ValueError("a normal distribution needs mean and sd")
            if self.low is not None and self.high is not None and self.low > self.high:
                raise ValueError(f"low {self.low:g} > high {self.high:g}")
            return self
        if self.values is None and ranged and (self.low is None or self.high is None):
            raise ValueError("a range needs both low and high")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low:g} > high {self.high:g}")
        if self.log and self.low is not None and self.low <= 0:
            raise ValueError("a log range needs low > 0")
        if self.distribution == "triangular":
            if self.mode is None or self.low is None or not self.low <= self.mode <= self.high:
                raise ValueError("a triangular distribution needs low <= mode <= high")
        return self

    @property
    def categorical(self) -> bool:
        return self.values is not None

    @property
    def ranged(self) -> bool:
        return self.low is not None or self.distribution == "normal"


class DesignSpec(BaseModel):
    """How the points are chosen."""

    model_config = ConfigDict(extra="forbid")

    method: Literal["grid", "lhs", "sobol", "morris", "list"]
    samples: int | None = Field(
        None, strict=True, description="lhs: points; sobol: base N; morris: trajectories."
    )
    levels: int = Field(3, ge=2, strict=True, description="grid: values per range (default 3).")
    num_levels: int = Field(
        4, ge=2, strict=True, description="morris: levels of the grid (default 4)."
    )
    calc_second_order: bool = Field(True, description="sobol: second-order indices too.")
    file: str | None = Field(None, description="list: CSV of points, relative to the sweep file.")

    @model_validator(mode="after")
    def _consistent(self) -> DesignSpec:
        if self.method in ("lhs", "sobol", "morris"):
            if self.samples is None:
                raise ValueError(f"a {self.method} design needs samples")
            if self.samples < 1:
                raise ValueError(f"samples must be >= 1, got {self.samples}")
        if self.method == "sobol" and self.samples & (self.samples - 1):
            lower = 2 ** int(math.log2(self.samples))
            raise ValueError(
                f"a Sobol design's base samples must be a power of two (Saltelli's scheme), "
                f"got {self.samples}; use {lower} or {lower * 2}"
            )
        if self.method == "list" and not self.file:
            raise ValueError("a list design needs file (a CSV of points)")
        return self


class DailySpec(BaseModel):
    """Daily series kept per run, at chosen days only."""

    model_config = ConfigDict(extra="forbid")

    columns: list[str] = Field(min_length=1)
    days: list[Annotated[int, Field(strict=True)]] = Field(min_length=1)

    @field_validator("columns")
    @classmethod
    def _known_columns(cls, names: list[str]) -> list[str]:
        for name in names:
            if name not in DAILY_COLUMNS:
                raise ValueError(f"unknown daily column {name!r}")
        return names


class SweepSpec(BaseModel):
    """A declared experiment (see the module docstring)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.\-]+$")
    description: str = ""
    base: str = Field(
        description="The base scenario: a file relative to the sweep file, or a shipped "
        "scenario's name (esnsim scenario list)."
    )
    organisation: dict[str, Any] | None = Field(None, description="Replaces the base's.")
    days: int | None = Field(None, ge=1, le=3650, strict=True, description="Replaces the base's.")
    design: DesignSpec
    replicates: int = Field(1, ge=1, le=100_000, strict=True)
    seed: int = Field(0, ge=0, strict=True)
    seeds: Literal["independent", "common"] = "independent"
    parameters: dict[str, ParameterSpec] = Field(min_length=1)
    outcomes: list[str] | None = None
    outputs: list[str] | None = None
    daily: DailySpec | None = None
    chunk_runs: int | None = Field(
        None, ge=1, strict=True, description="Runs per chunk (whole points); default: about 20."
    )

    _source: Path | None = None
    _document: Any = None

    @model_validator(mode="after")
    def _outcomes(self) -> SweepSpec:
        if self.outcomes is not None and self.outputs is not None:
            raise ValueError("give outcomes or outputs (the same field), not both")
        chosen = self.outcomes if self.outcomes is not None else self.outputs
        self.outcomes = list(DEFAULT_OUTCOMES if chosen is None else chosen)
        self.outputs = None
        return self

    @field_validator("outcomes", "outputs")
    @classmethod
    def _known_outcomes(cls, names: list[str] | None) -> list[str] | None:
        if names is None:
            return names
        if not names:
            raise ValueError("name at least one per-run figure")
        for name in names:
            if name not in SUMMARY_COLUMNS:
                raise ValueError(f"unknown outcome {name!r}; known: {', '.join(SUMMARY_COLUMNS)}")
        return names

    @classmethod
    def load(cls, path: str | Path) -> SweepSpec:
        """Read and validate a sweep file and its base scenario; raises :class:`SweepError`."""
        path = Path(path)
        data, document = _load_yaml(path)
        if not isinstance(data, dict):
            raise SweepError(f"{path}: a sweep must be a mapping of fields")
        return cls.from_dict(data, source=path, document=document)

    @classmethod
    def from_dict(
        cls, data: dict, source: str | Path | None = None, document: Any = None
    ) -> SweepSpec:
        """Validate a mapping (relative paths resolve against ``source``'s folder).

        ``document``: the safe loader's document, whose line map puts the line in messages.
        """
        where = source or "sweep"
        try:
            spec = cls.model_validate(data)
        except ValidationError as exc:
            extra = (document,) if document is not None else ()
            message = format_validation_error(where, exc, *extra).replace("Value error, ", "")
            raise SweepError(message) from None
        spec._source = Path(source) if source is not None else None
        spec._document = document
        spec.check_paths()  # before any file the sweep names is opened
        spec.base_scenario()  # the base and every parameter are checked now
        check_size(spec)  # before the design is built (whole-number ranges known now)
        return spec

    def roots(self) -> list[Path]:
        """The folders the sweep's paths may reach: the sweep file's folder, the current folder,
        the ``--allow-path`` folders (:func:`~simulation.org.source.allow_paths`) and the shipped
        scenarios' folder."""
        with allow_paths(scenario_dir()):
            return allowed_roots(self.base_dir)

    def confine(self, value: str, *field: str) -> Path:
        """``value``, a path the sweep file gives at ``field``, resolved against the sweep file's
        folder; a one-line :class:`SweepError` naming the file, the line and the field if it
        leaves :meth:`roots` (checked before the file is opened)."""
        where = f"{self.at(*field)}: {'.'.join(field)}"
        with allow_paths(scenario_dir()):
            try:
                return confined(value, self.base_dir, where, "the sweep file's folder")
            except OrgDataError as error:
                raise SweepError(str(error)) from None

    def check_paths(self) -> None:
        """Confine every path the sweep file gives (:meth:`confine`): ``base``,
        ``design.file`` and its ``organisation:`` block's files."""
        from simulation.experiments.sweep.checks import absolute_paths

        self.base_path()
        if self.design.file is not None:
            self.confine(self.design.file, "design", "file")
        if self.organisation is not None:
            absolute_paths(self.organisation, self.confine)

    @property
    def source(self) -> str:
        return str(self._source) if self._source is not None else "sweep"

    def at(self, *keys: str | int) -> str:
        """``file:line`` of the field ``keys`` (the line when the safe loader gave one)."""
        if self._document is not None:
            return self._document.where(tuple(keys))
        return self.source

    @property
    def base_dir(self) -> Path:
        return self._source.parent if self._source is not None else Path.cwd()

    def base_path(self) -> Path:
        """The base scenario's file: ``base`` relative to the sweep file, or, when no such file
        exists and ``base`` is a bare name, the shipped scenario of that name (as ``esnsim run``
        and ``compare`` accept; an unknown name is a ``ScenarioError`` naming the closest)."""
        from simulation.plan.shipped import find, looks_like_name

        path = self.confine(self.base, "base")
        if path.exists() or not looks_like_name(self.base):
            return path
        try:
            return find(self.base)
        except InputError as error:
            raise SweepError(f"{self.source}: base: {error}") from None

    def base_scenario(self):
        """The base scenario with the sweep's overrides; checks every parameter against it."""
        from simulation.plan.scenario import Scenario

        path = self.base_path()  # confined: its errors are the sweep file's own
        try:
            scenario = Scenario.load(path)
        except InputError as error:
            raise SweepError(f"{self.source}: base: {error}") from None
        from simulation.experiments.sweep.checks import check_parameter

        data = self.base_mapping(scenario)
        for text, parameter in self.parameters.items():
            check_parameter(self, scenario, data, text, parameter)
        return scenario

    def base_mapping(self, scenario=None) -> dict:
        """The base scenario as a plain mapping, every default filled in, with the overrides."""
        from simulation.experiments.sim import DEFAULT_ORG_SIZE
        from simulation.experiments.sweep.checks import absolute_paths
        from simulation.plan.scenario import Scenario

        if scenario is None:
            scenario = Scenario.load(self.base_path())
        data = scenario.model_dump(mode="json")
        if self.organisation is not None:
            data["organisation"] = absolute_paths(self.organisation, self.confine)
        elif data.get("organisation") is None:
            data["organisation"] = {"generate": {"size": DEFAULT_ORG_SIZE}}
        if self.days is not None:
            data["days"] = self.days
        return data

    def resolved(self) -> dict:
        """The sweep as stored in ``sweep.json``: every field, the base as an absolute path."""
        data = self.model_dump(mode="json")
        data["base"] = str(self.base_path())
        return data


def _load_yaml(path: Path) -> tuple[Any, Any]:
    """The file's data and document, read with the project's bounded safe loader; errors name
    the file and the line."""
    document = load_yaml(path, error=SweepError)
    return document.data, document
