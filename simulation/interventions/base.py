"""The common contract of interventions (levers that act on each day besides the rollout).

An intervention is a pydantic model: its parameters, validated from one item of the scenario's
``interventions:`` list (discriminated by ``type``), plus three hooks the engine calls:

- ``prepare(engine)`` once, when the engine is built (precompute masks, draw one-off choices);
- ``apply(engine, day)`` every day after the rollout: draws the lever's own random numbers (every
  day, whether active or not, so that its stream never depends on its window) and, on the days of
  its window ``start_day <= day < end_day``, changes ``engine.today`` (:class:`DayEffects`);
- optionally ``shadow_users(engine)``, ``facilitator_load(engine)`` and ``cost(engine, replicate)``.

A lever that is off (zero managers, zero lift, a window after the end) never touches
``engine.today``, so the run reproduces the core model's numbers exactly.

Per-run state (arrays of shape (replicates, people)) is not kept on the lever itself, which is
shared by every engine built from the same scenario (and pickled to worker processes): it lives
in :func:`lever_state`, a registry keyed weakly by the engine.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulation.errors import InputError
from simulation.people import Stage

_F = np.float32
_STATES: WeakKeyDictionary = WeakKeyDictionary()


def lever_state(engine, lever) -> dict[str, Any]:
    """The per-engine state of ``lever`` (a dict, empty until the lever fills it)."""
    per_engine = _STATES.setdefault(engine, {})
    return per_engine.setdefault(id(lever), {})


class Intervention(BaseModel):
    """Base class of interventions: a ``type`` tag and an active window of days."""

    model_config = ConfigDict(extra="forbid")

    start_day: int = Field(
        0, ge=0, le=36500, description="First day the lever acts (day 0 is the launch, a Monday)."
    )
    end_day: int | None = Field(
        None,
        ge=1,
        le=36500,
        description="First day the lever no longer acts (exclusive); default: never ends.",
    )

    @model_validator(mode="after")
    def _window(self):
        if self.end_day is not None and self.end_day <= self.start_day:
            raise ValueError("end_day must be after start_day")
        return self

    def active(self, day: int) -> bool:
        """Whether ``day`` is in the lever's window."""
        return self.start_day <= day and (self.end_day is None or day < self.end_day)

    def prepare(self, engine) -> None:
        """Precompute once per engine (default: nothing)."""

    def draw(self, engine, day: int) -> None:
        """Draw the lever's daily random numbers (default: none); called daily before ``act``."""

    def act(self, engine, day: int) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def apply(self, engine, day: int) -> None:
        """Draw today's numbers, then act if ``day`` is in the window."""
        self.draw(engine, day)
        if self.active(day):
            self.act(engine, day)


# ---------------------------------------------------------------- helpers shared by levers
def department_mask(org, names: list[str] | str, what: str = "departments") -> np.ndarray:
    """Bool (people,) of everyone in the named departments (``"all"`` or ``[]``: everyone).

    Unknown names are skipped; none known is an :class:`InputError` listing the departments.
    """
    if names == "all" or not names:
        return np.ones(org.size, dtype=bool)
    codes = [i for i, name in enumerate(org.department_names) if name in set(names)]
    if not codes:
        raise InputError(
            f"{what}: none of {list(names)} is a department of {org.name} "
            f"(departments: {list(org.department_names)[:12]})"
        )
    return np.isin(org.department, codes)


def site_mask(org, names: list[str]) -> np.ndarray:
    """Bool (people,) of everyone at the named sites (unknown names skipped)."""
    site_names = list(getattr(org, "site_names", []))
    codes = [i for i, name in enumerate(site_names) if name in set(names)]
    return np.isin(org.site, codes)


def team_mask(org, bosses: np.ndarray) -> np.ndarray:
    """Bool (replicates, people): members of the teams (direct reports) of ``bosses`` (R, n)."""
    manager = org.manager
    has_boss = manager >= 0
    members = np.zeros(bosses.shape, dtype=bool)
    members[:, has_boss] = bosses[:, manager[has_boss]]
    return members


def subtree_mask(org, sponsors: np.ndarray) -> np.ndarray:
    """Bool (replicates, people): everyone under any of ``sponsors`` (R, n), sponsors included.

    One pass per level of the reporting tree (a few levels), no loop over people.
    """
    covered = sponsors.copy()
    manager = org.manager
    has_boss = manager >= 0
    order = np.argsort(org.level, kind="stable")
    order = order[has_boss[order]]
    # parents come before children in ``order``, so one sweep per level propagates downwards
    for level in np.unique(org.level[order]):
        rows = order[org.level[order] == level]
        covered[:, rows] |= covered[:, manager[rows]]
    return covered


def registered_users(engine) -> np.ndarray:
    """Bool (replicates, people): registered and not lapsed, at the start of the day."""
    return engine.people.stage == Stage.REGISTERED


def bernoulli_rows(engine, stream: str, share: float, eligible: np.ndarray) -> np.ndarray:
    """Per replicate, each eligible person (bool, people) chosen with probability ``share``.

    One-off choice from the replicate's own ``stream`` generator: shape (replicates, people).
    """
    chosen = np.zeros((engine.replicates, engine.org.size), dtype=bool)
    for row, rng in zip(chosen, engine.streams.per_replicate(stream), strict=True):
        row[:] = eligible & (rng.random(engine.org.size) < share)
    return chosen
