"""The common base of interventions (levers that act on each day besides the rollout).

An intervention is a pydantic model: its parameters, validated from one item of the scenario's
``interventions:`` list (discriminated by ``type``), and a :class:`~simulation.model.components.Component`:

- ``prepare(engine)`` once, when the engine is built (precompute masks, draw one-off choices);
- ``apply(engine, day)`` every day in phase 3 of the day (:mod:`simulation.model.day`): on the days of
  its window ``start_day <= day < end_day`` it calls ``act``, which changes ``engine.today``
  (:class:`~simulation.model.effects.DayEffects`). A lever that draws daily random numbers does so in
  ``apply`` every day, whether active or not, so that its stream never depends on its window;
- its per-run state declared in ``run_state`` (``engine.state(self)``), its daily results in
  ``daily_results`` and its costs in ``cost_items`` and ``cost_quantities`` (or why it costs
  nothing, ``no_cost``; :mod:`simulation.model.components`), priced by the scenario's
  ``costs:`` group.

A lever that is off (zero managers, zero lift, a window after the end) never touches
``engine.today``, so the run reproduces the core model's numbers exactly.

Adding a lever is one new file here and one line in :data:`simulation.plan.levers.LEVERS`
(``docs/extending.md``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from simulation.base.counts import Count
from simulation.model.components import Component, EngineView


class Intervention(Component, BaseModel):
    """Base class of interventions: a ``type`` tag and an active window of days."""

    model_config = ConfigDict(extra="forbid")

    start_day: Count = Field(
        0, ge=0, le=36500, description="First day the lever acts (day 0 is the launch, a Monday)."
    )
    end_day: Count | None = Field(
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

    def active_days(self, days: int) -> int:
        """Days of the window within a run of ``days`` days (days)."""
        end = days if self.end_day is None else min(self.end_day, days)
        return max(0, end - self.start_day)

    def act(self, engine: EngineView, day: int) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def apply(self, engine: EngineView, day: int) -> None:
        """Act if ``day`` is in the window."""
        if self.active(day):
            self.act(engine, day)
