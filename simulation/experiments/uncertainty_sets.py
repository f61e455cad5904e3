"""The parameter sets a comparison is run under (``esnsim compare --uncertainty SOURCE``).

A source is one of

- a **plausible region**: a YAML file of ranges or distributions over model parameters, named
  by their scenario field paths (``adoption.threshold_mean``, ``habit.decay``)::

      name: plausible
      description: where the tuned validation patterns hold
      design: {method: lhs, seed: 0}        # lhs (Latin hypercube) | sobol (scrambled)
      parameters:
        adoption.threshold_mean: {low: 0.2, high: 0.3}
        habit.decay: {low: 0.01, high: 0.05, log: true}
        need.share: {distribution: normal, mean: 0.35, sd: 0.05, low: 0.2, high: 0.5}
        habit.novelty: {distribution: triangular, low: 0.3, mode: 0.5, high: 1.0}

  K sets are drawn from it by a seeded space-filling design (the same file and K give the same
  sets); ``plausible`` names the shipped one (``scenarios/uncertainty/plausible.yaml``);
- a **calibration** output folder (``esnsim calibrate --out DIR``): its bootstrap refits
  (``fit.json``, ``bootstrap.refits``), the first K of them.

Unknown fields, empty ranges and paths no plan has are refused with one line naming the file
and the field (:class:`~simulation.base.errors.InputError`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from scipy import stats
from scipy.stats import qmc

from simulation.base.errors import InputError
from simulation.base.safe_yaml import load_yaml
from simulation.base.validation_errors import first_problem, format_path
from simulation.experiments.sweep.paths import RESERVED, PathError, field_kind, get, parse
from simulation.plan.shipped import looks_like_name, scenario_dir

DEFAULT_SETS = 20
MAX_SETS = 1000
REGIONS = "uncertainty"  # the shipped regions' folder, under the shipped scenarios'


class UncertaintyError(InputError):
    """An uncertainty source (region file, calibration folder) is invalid."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Uniform(_Strict):
    """Uniform between ``low`` and ``high`` (on a log scale with ``log``)."""

    distribution: Literal["uniform"] = "uniform"
    low: float
    high: float
    log: bool = False
    integer: bool = False

    @model_validator(mode="after")
    def _range(self):
        if not self.low < self.high:
            raise ValueError(f"empty range: low {self.low:g} must be below high {self.high:g}")
        if self.log and self.low <= 0:
            raise ValueError("a log scale needs low > 0")
        return self

    def quantile(self, u: np.ndarray) -> np.ndarray:
        if self.log:
            return np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low)))
        return self.low + u * (self.high - self.low)


class Normal(_Strict):
    """Normal with ``mean`` and ``sd``, truncated to ``low``-``high`` when given."""

    distribution: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)
    low: float = -np.inf
    high: float = np.inf
    integer: bool = False

    @model_validator(mode="after")
    def _range(self):
        if not self.low < self.high:
            raise ValueError(f"empty range: low {self.low:g} must be below high {self.high:g}")
        return self

    def quantile(self, u: np.ndarray) -> np.ndarray:
        a, b = (self.low - self.mean) / self.sd, (self.high - self.mean) / self.sd
        return stats.truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd)


class Triangular(_Strict):
    """Triangular between ``low`` and ``high``, most likely at ``mode``."""

    distribution: Literal["triangular"]
    low: float
    mode: float
    high: float
    integer: bool = False

    @model_validator(mode="after")
    def _range(self):
        if not self.low < self.high:
            raise ValueError(f"empty range: low {self.low:g} must be below high {self.high:g}")
        if not self.low <= self.mode <= self.high:
            raise ValueError("mode must lie between low and high")
        return self

    def quantile(self, u: np.ndarray) -> np.ndarray:
        width = self.high - self.low
        return stats.triang.ppf(u, (self.mode - self.low) / width, loc=self.low, scale=width)


Distribution = Annotated[Uniform | Normal | Triangular, Field(discriminator="distribution")]
_TAGS = ("uniform", "normal", "triangular")


class Design(_Strict):
    """How K sets are drawn: a Latin hypercube or a scrambled Sobol sequence, seeded."""

    method: Literal["lhs", "sobol"] = "lhs"
    seed: int = Field(default=0, ge=0)


class Region(_Strict):
    """A plausible region: ranges or distributions over model parameters (field paths)."""

    name: str = "region"
    description: str = ""
    design: Design = Design()
    parameters: dict[str, Distribution] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _uniform_by_default(cls, data):
        # ``{low, high}`` alone is a uniform range: the tag may be left out
        if isinstance(data, dict) and isinstance(data.get("parameters"), dict):
            params = {}
            for key, value in data["parameters"].items():
                if isinstance(value, dict) and "distribution" not in value:
                    value = {"distribution": "uniform", **value}
                params[key] = value
            data = {**data, "parameters": params}
        return data

    def draw(self, k: int) -> pd.DataFrame:
        """``k`` parameter sets (rows; one column per path), the design's own seed."""
        d = len(self.parameters)
        if self.design.method == "sobol":
            unit = qmc.Sobol(d=d, scramble=True, seed=self.design.seed).random(k)
        else:
            unit = qmc.LatinHypercube(d=d, seed=self.design.seed).random(k)
        columns = {}
        for j, (path, dist) in enumerate(self.parameters.items()):
            values = np.asarray(dist.quantile(unit[:, j]), dtype=np.float64)
            columns[path] = np.round(values) if dist.integer else values
        return pd.DataFrame(columns)


@dataclass
class ParameterSets:
    """K parameter sets and where they come from.

    Attributes
    ----------
    values : DataFrame
        One row per set (``parameter_set`` 0..K-1 is the row position), one column per field
        path.
    kind : str
        ``region`` or ``calibration``.
    source : str
        The file or folder (as given) the sets come from.
    label : str
        What the sets stand for, in words, for the report.
    """

    values: pd.DataFrame
    kind: str
    source: str
    label: str
    #: plan name -> the paths that plan does not have (left at the plan's own value)
    not_applicable: dict[str, list[str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def paths(self) -> list[str]:
        return list(self.values.columns)

    def check(self, scenarios) -> None:
        """Check every path against the plans; record those a plan lacks.

        Raises :class:`UncertaintyError` naming the source and the field when no plan has the
        path, it is reserved (``seed``, ``organisation``...) or it is not a number.
        """
        self.not_applicable = {}
        for path in self.paths:
            where = f"{self.source}: parameters.{path}"
            try:
                steps = parse(path)
            except PathError as error:
                raise UncertaintyError(f"{where}: not a field path ({error})") from None
            if steps[0] in RESERVED:
                raise UncertaintyError(f"{where}: {steps[0]} is not a model parameter")
            has = []
            for scenario in scenarios:
                try:
                    value = get(scenario.model_dump(mode="python"), steps, path)
                except PathError:
                    self.not_applicable.setdefault(scenario.name, []).append(path)
                    continue
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise UncertaintyError(f"{where}: not a numeric parameter ({value!r})")
                if field_kind(scenario, steps) == "integer":
                    self.values[path] = self.values[path].round()
                has.append(scenario.name)
            if not has:
                raise UncertaintyError(
                    f"{where}: none of the plans has this parameter (a field path such as "
                    "adoption.threshold_mean, habit.decay; see docs/ODD.md)"
                )


def region_path(text: str | Path) -> Path:
    """A region file: ``text`` itself, or a shipped region's name (``plausible``)."""
    path = Path(text)
    if path.exists() or not looks_like_name(str(text)):
        return path
    shipped = scenario_dir() / REGIONS / f"{Path(str(text)).stem}.yaml"
    if shipped.is_file():
        return shipped
    names = sorted(p.stem for p in (scenario_dir() / REGIONS).glob("*.yaml"))
    raise UncertaintyError(
        f"--uncertainty {text}: no such file or folder, and not a shipped region "
        f"({', '.join(names) or 'none'})"
    )


def load_region(path: str | Path) -> Region:
    """Read and validate a region file; raises :class:`UncertaintyError` naming file and field."""
    document = load_yaml(path, error=UncertaintyError)
    if not isinstance(document.data, dict):
        raise UncertaintyError(f"{path}: a region must be a mapping with 'parameters'")
    try:
        return Region.model_validate(document.data)
    except ValidationError as exc:
        found, message, others = first_problem(exc)
        if found[:1] == ("parameters",) and len(found) > 2 and found[2] in _TAGS:
            found = found[:2] + found[3:]  # the distribution's tag pydantic adds to the path
        more = f" (and {others} more problems)" if others else ""
        where = document.where(found)
        raise UncertaintyError(f"{where}: {format_path(found)}: {message}{more}") from None


def from_region(path: str | Path, k: int = DEFAULT_SETS) -> ParameterSets:
    """K sets drawn from the region file ``path``."""
    region = load_region(path)
    label = f"{k} parameter sets drawn from the plausible region {Path(path).name}"
    if region.description:
        label += f" ({region.description.strip().rstrip('.')})"
    return ParameterSets(region.draw(k), "region", str(path), label)


def from_calibration(folder: str | Path, k: int = DEFAULT_SETS) -> ParameterSets:
    """The first K bootstrap refits of a calibration output folder (``fit.json``)."""
    folder = Path(folder)
    path = folder / "fit.json"
    if not path.is_file():
        raise UncertaintyError(
            f"{folder}: not an esnsim calibrate output folder (no fit.json); give a "
            "calibration folder or a region file"
        )
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        refits = record["bootstrap"]["refits"]
        fitted = list(record["fitted"])
    except (ValueError, KeyError, TypeError) as error:
        raise UncertaintyError(
            f"{path}: bootstrap.refits: missing ({error!s}); not a calibration's fit.json, or "
            "made by an esnsim without refits in fit.json: calibrate again"
        ) from None
    if not isinstance(refits, list) or not refits:
        raise UncertaintyError(
            f"{path}: bootstrap.refits: no bootstrap refits (calibrate with --bootstrap >= 1)"
        )
    rows = refits[:k]
    for i, row in enumerate(rows):
        if not isinstance(row, dict) or sorted(row) != sorted(fitted):
            raise UncertaintyError(f"{path}: bootstrap.refits[{i}]: not one value per fitted path")
        for name, value in row.items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise UncertaintyError(f"{path}: bootstrap.refits[{i}].{name}: not a number")
    values = pd.DataFrame(rows, columns=fitted).astype(np.float64)
    observed = Path(str(record.get("observed", {}).get("file", "") or "")).name
    label = f"{len(rows)} bootstrap refits of the calibration in {folder.name}"
    if observed:
        label += f" (fitted to {observed})"
    return ParameterSets(values, "calibration", str(folder), label)


def check_count(k) -> int:
    """K as an int; :class:`UncertaintyError` unless a whole number 1 to :data:`MAX_SETS`."""
    if isinstance(k, bool) or not isinstance(k, int | float) or int(k) != k:
        raise UncertaintyError(f"--uncertainty-sets {k!r}: must be a whole number")
    if not 1 <= int(k) <= MAX_SETS:
        raise UncertaintyError(f"--uncertainty-sets {k}: must be from 1 to {MAX_SETS}")
    return int(k)


def load_sets(source: str | Path, k: int = DEFAULT_SETS) -> ParameterSets:
    """The parameter sets of ``source``: a calibration folder or a region file (or name)."""
    k = check_count(k)
    path = Path(source)
    if path.is_dir():
        return from_calibration(path, k)
    return from_region(region_path(source), k)
