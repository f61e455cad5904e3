"""What a calibration fits: scenario fields by path, with bounds and an optional log scale.

``--fit adoption.p=1e-4:0.1:log`` fits ``adoption.p`` between 1e-4 and 0.1 on a log scale;
``--fix adoption.q=0`` sets a field before fitting (a nested model). Paths are the field paths
of scenario errors: ``adoption.p``, ``habit.lapse_rate``, ``interventions[0].community_managers``.
The optimiser works in the unit cube; :meth:`Space.values` maps a point of it to field values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from simulation.base.errors import InputError
from simulation.plan.scenario import Scenario

_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[\d+\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])?)*$")


@dataclass(frozen=True)
class Parameter:
    """One fitted field: ``path`` between ``low`` and ``high``, on a log scale if ``log``."""

    path: str
    low: float
    high: float
    log: bool = False

    @classmethod
    def parse(cls, text: str) -> Parameter:
        """``PATH=LOW:HIGH[:log]``; raises :class:`InputError` naming the option."""
        path, sep, rest = str(text).partition("=")
        parts = rest.split(":")
        if not sep or len(parts) not in (2, 3) or not _PATH.match(path.strip()):
            raise InputError(
                f"--fit {text!r}: expected PATH=LOW:HIGH[:log], e.g. adoption.p=1e-4:0.1:log"
            )
        try:
            low, high = float(parts[0]), float(parts[1])
        except ValueError:
            raise InputError(f"--fit {text!r}: LOW and HIGH must be numbers") from None
        log = len(parts) == 3
        if log and parts[2].strip().lower() != "log":
            raise InputError(f"--fit {text!r}: the third part may only be 'log'")
        if not low < high:
            raise InputError(f"--fit {text!r}: LOW must be below HIGH")
        if log and low <= 0:
            raise InputError(f"--fit {text!r}: a log scale needs LOW > 0")
        return cls(path.strip(), low, high, log)

    def value(self, u: float) -> float:
        """The field value at ``u`` (0-1) of the range."""
        u = float(np.clip(u, 0.0, 1.0))
        if self.log:
            return float(np.exp(np.log(self.low) + u * (np.log(self.high) - np.log(self.low))))
        return self.low + u * (self.high - self.low)

    def unit(self, value: float) -> float:
        """The position 0-1 of ``value`` in the range."""
        if self.log:
            span = np.log(self.high) - np.log(self.low)
            return float(np.clip((np.log(max(value, 1e-300)) - np.log(self.low)) / span, 0, 1))
        return float(np.clip((value - self.low) / (self.high - self.low), 0, 1))

    def on_bound(self, value: float, tolerance: float = 0.01) -> str | None:
        """``low`` or ``high`` when ``value`` is within ``tolerance`` of the range's end."""
        u = self.unit(value)
        return "low" if u <= tolerance else "high" if u >= 1 - tolerance else None


def parse_fix(text: str) -> tuple[str, float]:
    """``PATH=VALUE`` for ``--fix``; raises :class:`InputError` naming the option."""
    path, sep, value = str(text).partition("=")
    if not sep or not _PATH.match(path.strip()):
        raise InputError(f"--fix {text!r}: expected PATH=VALUE, e.g. adoption.q=0")
    try:
        return path.strip(), float(value)
    except ValueError:
        raise InputError(f"--fix {text!r}: VALUE must be a number") from None


def fixed_values(fix) -> dict[str, float]:
    """``--fix``'s fields: a dict kept as floats, or ``PATH=VALUE`` texts parsed; None: none."""
    if fix is None:
        return {}
    if isinstance(fix, dict):
        return {k: float(v) for k, v in fix.items()}
    return dict(parse_fix(text) for text in fix)


def _steps(path: str) -> list[str | int]:
    steps: list[str | int] = []
    for part in path.split("."):
        name, _, index = part.partition("[")
        steps.append(name)
        if index:
            steps.append(int(index.rstrip("]")))
    return steps


def get_value(scenario: Scenario, path: str) -> float:
    """The current value of field ``path`` of ``scenario``."""
    node = scenario.model_dump(mode="python")
    for step in _steps(path):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            raise InputError(f"{path}: no such scenario field") from None
    if isinstance(node, bool) or not isinstance(node, int | float):
        raise InputError(f"{path}: not a numeric scenario field ({node!r})")
    return float(node)


def with_values(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """A validated copy of ``scenario`` with the fields ``values`` set (integers rounded)."""
    data = scenario.model_dump(mode="python")
    for path, value in values.items():
        node = data
        steps = _steps(path)
        for step in steps[:-1]:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                raise InputError(f"{path}: no such scenario field") from None
        last = steps[-1]
        if isinstance(last, str) and (not isinstance(node, dict) or last not in node):
            raise InputError(f"{path}: no such scenario field")
        current = node[last]
        if isinstance(current, bool) or not isinstance(current, int | float):
            raise InputError(f"{path}: not a numeric scenario field ({current!r})")
        node[last] = int(round(value)) if isinstance(current, int) else float(value)
    return Scenario.from_dict(data, source=scenario._source)


@dataclass
class Space:
    """The fitted parameters and the fixed values, applied to a base scenario.

    ``raise_with`` maps a field to a fitted one that it is raised to when the fitted one passes
    it (``{"adoption.rate": "adoption.p"}``: the threshold rule requires ``p <= rate``, so a
    ``p`` fitted above the rate takes the rate with it); ``--fit auto`` sets it, and says so.
    """

    base: Scenario
    parameters: list[Parameter]
    fixed: dict[str, float]
    raise_with: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.parameters:
            raise InputError("nothing to fit: give at least one --fit PATH=LOW:HIGH[:log]")
        paths = [p.path for p in self.parameters]
        for path in paths:
            get_value(self.base, path)  # a bad path fails now, not mid-fit
        both = sorted(set(paths) & set(self.fixed))
        if both:
            raise InputError(f"{both[0]}: both fitted (--fit) and fixed (--fix)")
        self.base = with_values(self.base, self.fixed)

    @property
    def names(self) -> list[str]:
        return [p.path for p in self.parameters]

    def values(self, u) -> dict[str, float]:
        """Field values at unit-cube point ``u``."""
        return {p.path: p.value(x) for p, x in zip(self.parameters, u, strict=True)}

    def unit(self, values: dict[str, float]) -> np.ndarray:
        return np.array([p.unit(values[p.path]) for p in self.parameters])

    def scenario(self, values: dict[str, float], days: int | None = None) -> Scenario:
        """The base scenario with ``values`` set (and ``days`` if given)."""
        values = dict(values)
        for target, source in self.raise_with.items():
            if source in values:
                values[target] = max(values.get(target, get_value(self.base, target)),
                                     values[source])  # fmt: skip
        out = with_values(self.base, values)
        return out.with_overrides(days=days) if days is not None else out
