"""The contract of every component the engine runs: rollouts, interventions, presets, adoption rules.

A component is an object (usually a pydantic model of its parameters) with:

- ``prepare(engine)``: once, when the engine is built (precompute masks, draw one-off choices);
- ``apply(engine, day)``: every day, in its phase of the day (:data:`simulation.model.day.DAY_PLAN`:
  the rollout in phase 1, levers in phase 3; an adoption rule's phase-4 hook is
  ``probability(engine, exposure)``);
- ``run_state``: its declared per-run state, a tuple of :class:`StateArray`. The engine allocates
  them (zeros) before ``prepare`` and holds them under the component:
  ``engine.state(self).name``. Components themselves are shared by every engine built from the
  same scenario (and pickled to worker processes), so nothing per-run lives on them;
- ``daily_results``: the ``daily.parquet`` columns it reports, and ``daily(engine)`` returning
  today's value of each per replicate; the recorder adds them up over components;
- ``cost_items``: what it costs, declared as :class:`CostItem` (a set-up or running item, its
  unit and the field of the scenario's ``costs:`` group that prices it), and
  ``cost_quantities(basis)`` returning how much of each the plan uses over a run
  (:class:`CostBasis`: the organisation, the scenario, the days); a component that costs nothing
  says why in ``no_cost``. :func:`simulation.metrics.costs.plan_cost_lines` prices them: costs
  are declared once, here, and read by one function.

:class:`Component` gives the defaults (nothing to prepare, no state, no results). What a component
may read and the engine methods it writes through are listed by :class:`EngineView`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Protocol

import numpy as np
import scipy.sparse as sp

from simulation.model.effects import DayEffects


@dataclass(frozen=True)
class StateArray:
    """One declared array of a component's per-run state.

    Attributes
    ----------
    name : str
        Attribute name on the component's state (``engine.state(component).name``).
    dtype : numpy dtype
    shape : "person", "replicate" or "people"
        ``person``: (replicates, people); ``replicate``: (replicates,); ``people``: (people,),
        the same for every replicate (a mask over the organisation).
    """

    name: str
    dtype: Any
    shape: Literal["person", "replicate", "people"] = "person"

    def allocate(self, replicates: int, size: int) -> np.ndarray:
        dims = {"person": (replicates, size), "replicate": (replicates,), "people": (size,)}
        return np.zeros(dims[self.shape], dtype=self.dtype)


class ComponentState:
    """The per-run state of one component on one engine: its declared arrays, by name.

    Assigning a name that was not declared is an error (state is declared, not improvised).
    """

    def __init__(self, owner: str, specs: Sequence[StateArray], replicates: int, size: int):
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_names", frozenset(s.name for s in specs))
        for spec in specs:
            object.__setattr__(self, spec.name, spec.allocate(replicates, size))

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._names:
            raise AttributeError(
                f"{self._owner}: state {name!r} is not declared (declared: {sorted(self._names)})"
            )
        object.__setattr__(self, name, value)


MONTH_DAYS = 30.0  # days in a billing month


@dataclass(frozen=True)
class CostItem:
    """One item of what a component costs (a row of the report's cost table).

    Attributes
    ----------
    name : str
        The item; ``summary.parquet``'s column is ``cost_<name>``.
    label : str
        Plain words for the report ("community managers").
    kind : "set_up" or "running"
        A one-off cost, or one that runs with the days.
    unit : str
        Unit of the quantity ``cost_quantities`` returns ("manager-days", "hours", "months").
    price : str
        The field of the scenario's ``costs:`` group giving the price of one unit.
    override : str, optional
        A field of the component itself that, when set, replaces that price for it.
    """

    name: str
    label: str
    kind: Literal["set_up", "running"]
    unit: str
    price: str
    override: str | None = None


@dataclass(frozen=True)
class CostBasis:
    """What a plan's cost quantities depend on: the organisation, the (resolved) scenario and
    the days run (costs do not depend on the random numbers)."""

    org: Any
    scenario: Any
    days: int


class Component:
    """Defaults of the contract: nothing to prepare, no state, no results, no cost."""

    #: the per-run state the engine allocates for this component
    run_state: ClassVar[tuple[StateArray, ...]] = ()
    #: ``daily.parquet`` columns this component reports (``daily``)
    daily_results: ClassVar[tuple[str, ...]] = ()
    #: what this component costs (``cost_quantities``)
    cost_items: ClassVar[tuple[CostItem, ...]] = ()
    #: why a component with no cost item costs nothing (e.g. a condition, not a spend)
    no_cost: ClassVar[str] = ""

    def prepare(self, engine: EngineView) -> None:
        """Precompute once per engine (default: nothing)."""

    def apply(self, engine: EngineView, day: int) -> None:
        """Act on ``day`` (default: nothing)."""

    def daily(self, engine: EngineView) -> dict[str, np.ndarray]:
        """Today's value per replicate of each of :attr:`daily_results`."""
        return {}

    def cost_quantities(self, basis: CostBasis) -> dict[str, float]:
        """How much of each of :attr:`cost_items` the plan uses over ``basis.days`` (in each
        item's unit)."""
        return {}

    def price_field(self, item: CostItem) -> str:
        """The ``costs:`` field pricing ``item`` for this component (default ``item.price``)."""
        return item.price

    def facilitating(self, day: int) -> bool:
        """Whether the component provides facilitating conditions on ``day`` (community
        managers at work): read by the utility adoption rule."""
        return False


class EngineView(Protocol):
    """What components may read of the engine, and the methods they write through.

    Reads (arrays are (replicates, people) unless said otherwise; never modify them in place,
    except ``today`` and the component's own state):

    - ``org``, ``scenario``, ``replicates``, ``day``, ``streams`` (random numbers by name);
    - ``people`` (:class:`simulation.model.people.People`): the state at the start of the day, after
      the rollout (yesterday's posts in ``posts_yesterday``, the week's in ``week_posts``);
    - ``exposure_today``, ``activity_today`` and ``signals.feed``: the start-of-day signals,
      from phase 2 on;
    - ``ties`` (people x people, float32), ``effort`` and ``mobile_share`` (weekday, weekend) x
      people, ``post_propensity``;
    - ``today`` (:class:`simulation.model.effects.DayEffects`): today's effects, to add to or scale.

    Writes that other parts depend on go through methods, which keep the engine's caches right:
    ``make_aware``, ``register``, ``replace_ties``, ``set_rhythm``; and ``state(component)``
    gives a component its declared per-run state.
    """

    org: Any
    scenario: Any
    replicates: int
    day: int
    streams: Any
    people: Any
    signals: Any
    today: DayEffects
    levers: list
    post_propensity: np.ndarray

    @property
    def ties(self) -> sp.csr_matrix: ...

    @property
    def effort(self) -> np.ndarray: ...

    @property
    def mobile_share(self) -> np.ndarray: ...

    @property
    def exposure_today(self) -> np.ndarray: ...

    @property
    def activity_today(self) -> np.ndarray: ...

    def make_aware(self, who) -> None: ...

    def register(self, who, on_paper: bool = False) -> np.ndarray: ...

    def replace_ties(self, ties: sp.spmatrix) -> None: ...

    def set_rhythm(self, effort: np.ndarray, mobile_share: np.ndarray) -> None: ...

    def state(self, component) -> ComponentState: ...
