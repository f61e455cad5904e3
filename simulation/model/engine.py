"""The vectorised day: R replicates of one scenario advanced together.

State lives in arrays of shape (replicates, people) (:mod:`simulation.model.people`). A day is: what
one's contacts did, as sums over the tie matrix kept up to date from the day's changes
(:mod:`simulation.model.contacts`, compiled), the levers' effects (numpy, on whole arrays), and one
compiled pass over the people for what each of them does (:mod:`simulation.model.person_day`). There
is no Python loop over people. Replicate ``k`` of a batch gives exactly the numbers it gives
alone: every operation is per replicate and every random number depends only on that
replicate's seed (:mod:`simulation.base.streams`).

The order of one day is declared once, in :data:`simulation.model.day.DAY_PLAN` (printed by
``esnsim describe-day``; docs/ODD.md section 3 is generated from it): :meth:`Engine.step` runs
the engine's phases by name (``_rollout``, ``_signals``, ``_levers``, ``_adoption``,
``_person_day``, ``_record``), and ``_person_day`` is phases 5-10 in one compiled pass.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from simulation.base.streams import Streams, generator
from simulation.model.components import ComponentState
from simulation.model.contacts import DaySignals, QuantisedTies
from simulation.model.daily import DAILY_COLUMNS, DailyRecorder
from simulation.model.effects import EFFECTS, DayEffects, EffectArrays, EffectFlags
from simulation.model.need import NeedClock
from simulation.model.people import People, Stage
from simulation.model.person_day import (
    COUNTS,
    Count,
    DayInputs,
    DayOutputs,
    DayParameters,
    DecisionKeys,
    advance,
)
from simulation.model.workforce import WorkforceFlow

_F = np.float32


class Engine:
    """A batch of replicates of one scenario on one organisation.

    Parameters
    ----------
    org : Organisation
        The organisation (its tie matrix is shared by all replicates).
    scenario : Scenario
        The validated plan, its names already the organisation's own (roles expanded:
        :func:`simulation.plan.names.resolve_names`, which its drivers, ``Sim``, ``MultiSim``,
        ``ESNModel`` and the sweeps, call once per plan).
    seeds : sequence of int
        One seed per replicate.
    """

    def __init__(self, org, scenario, seeds: Sequence[int]):
        self.org = org
        self.scenario = scenario
        self.seeds = [int(s) for s in seeds]
        self.replicates = len(self.seeds)
        self.day = 0
        size = org.size
        self.streams = Streams(self.seeds, size)
        # a preset may reweight the ties once, in ``prepare`` (``replace_ties``); the kernels use
        # their integer form (simulation.model.contacts), rebuilt whenever they are replaced
        ties = sp.csr_matrix(org.ties, dtype=_F)
        ties.sort_indices()
        self._ties = ties
        self._quantised: QuantisedTies | None = None
        self.signals = DaySignals(self.replicates, size)
        self.visited = np.zeros((self.replicates, size), dtype=bool)
        self._counts = np.zeros((self.replicates, len(COUNTS)), np.float64)
        self._registered_today = np.zeros((self.replicates, size), dtype=bool)
        self.people = People.empty(self.replicates, size)
        self._draw_traits()
        # joiners and leavers (simulation.model.workforce): set before any component prepares,
        # so a cohort taken in later is not there on day 0; None when the head-count is fixed
        workforce = getattr(scenario, "workforce", None)
        self.workforce = None
        if workforce is not None and workforce.active:
            self.workforce = WorkforceFlow(
                workforce, self.seeds, self.streams.keys("workforce.leave"), self.people,
                getattr(scenario, "where", lambda path=(): "scenario"),
            )  # fmt: skip
        # the weekly rhythm and device access, rows (weekday, weekend) x people; a lever may
        # replace both (``set_rhythm``: a mobile app launch, simulation.plan.levers.mobile_app)
        self._effort, self._mobile_share = visit_rhythm(scenario, org.frontline)
        # extra end-of-day observers (breakdowns by group...): ``observe(engine, day, visited)``
        self.observers: list = []
        self.today = DayEffects()
        # levers: interventions and whatever the scenario adds (platform presets, policies)
        self.levers = list(getattr(scenario, "levers", lambda: [])())
        # every component (simulation.model.components), the adoption rule first: what it prepares
        # (who will never adopt) comes before any rollout's choice
        self.components = [scenario.adoption, scenario.rollout, *self.levers]
        self._states: dict[int, ComponentState] = {}
        self._parts: list = []
        for part in self.components:
            self._new_state(part)
        extra = [
            c
            for part in self.components
            for c in getattr(part, "daily_results", ())
            if c not in DAILY_COLUMNS
        ]
        self.records = DailyRecorder(scenario.days, self.replicates, list(dict.fromkeys(extra)))
        self._reporting = [p for p in self.levers if getattr(p, "daily_results", ())]
        for part in self.components:
            prepare = getattr(part, "prepare", None)
            if prepare is not None:
                prepare(self)
        self._parameters = DayParameters.of(scenario)
        self._keys = DecisionKeys(*(self.streams.keys(name) for name in DecisionKeys._fields))
        from simulation.model.day import (
            ENGINE_PHASES,  # here: ``python -m simulation.model.day`` runs it
        )

        self._phases = [getattr(self, f"_{name}") for name in ENGINE_PHASES]

    # ------------------------------------------------------------------ set-up
    def _draw_traits(self) -> None:
        """Per-person traits of each replicate, each from its own stream (CRN)."""
        sc, people, size = self.scenario, self.people, self.org.size
        for r, seed in enumerate(self.seeds):
            if hasattr(sc.adoption, "draw_thresholds"):
                people.threshold[r] = sc.adoption.draw_thresholds(
                    generator(seed, "trait.threshold"), size
                )
            z = generator(seed, "trait.sharing").standard_normal(size)
            people.sharing[r] = np.exp(sc.posting.sharing_spread * z)
            people.fear[r] = generator(seed, "trait.fear").beta(2.0, 5.0, size)
            people.need[r] = sc.need.draw(generator(seed, "trait.need"), size)
        self._need_clock = None
        if sc.need.duration > 0:  # own stream: drawing it shifts no other number
            lasts = np.stack(
                [sc.need.draw_lasts(generator(s, "trait.need_lasts"), size) for s in self.seeds]
            )
            self._need_clock = NeedClock(people.need, lasts)
        propensity = people.sharing * _F(sc.posting.base * 2.0 * sc.culture.sharing)
        propensity *= _F(1.0) - _F(sc.posting.fear_weight) * people.fear
        self.post_propensity = np.clip(propensity, 0.0, 1.0).astype(_F)

    # ------------------------------------- what components read (EngineView)
    @property
    def ties(self) -> sp.csr_matrix:
        """The tie matrix (people x people, float32); replace it with :meth:`replace_ties`."""
        return self._ties

    @property
    def effort(self) -> np.ndarray:
        """Visit multipliers 0-1, rows (weekday, weekend) x people (:func:`visit_rhythm`)."""
        return self._effort

    @property
    def mobile_share(self) -> np.ndarray:
        """Shares 0-1 of visits made on a phone, rows (weekday, weekend) x people."""
        return self._mobile_share

    @property
    def exposure_today(self) -> np.ndarray:
        """Today's exposure (start of the day, after the rollout), float32 (R, n)."""
        return self.signals.exposure

    @property
    def activity_today(self) -> np.ndarray:
        """Today's activity (contacts active in the 7 days to yesterday), float32 (R, n)."""
        return self.signals.activity

    def state(self, component) -> ComponentState:
        """The declared per-run state of ``component`` on this engine.

        Allocated for every component when the engine is built, and on first use for the parts
        a component holds (the phases of a ``phases`` rollout), which the engine then keeps.
        """
        state = self._states.get(id(component))
        if state is None:
            self._parts.append(component)  # kept alive: its id stays its own
            state = self._new_state(component)
        return state

    def _new_state(self, component) -> ComponentState:
        specs = getattr(component, "run_state", ())
        state = ComponentState(type(component).__name__, specs, self.replicates, self.org.size)
        self._states[id(component)] = state
        return state

    def facilitated(self, day: int) -> bool:
        """Whether a component provides facilitating conditions on ``day``."""
        return any(getattr(p, "facilitating", lambda d: False)(day) for p in self.components)

    # --------------------------------------- what components write through
    def _mask(self, who) -> np.ndarray:
        """A (replicates, people) bool mask from a slice, an index array or a mask."""
        if isinstance(who, np.ndarray) and who.dtype == bool and who.ndim == 2:
            return who
        mask = np.zeros(self.people.stage.shape, dtype=bool)
        mask[:, who] = True
        return mask

    def make_aware(self, who) -> None:
        """Make ``who`` aware (those still unaware)."""
        stage = self.people.stage
        np.putmask(stage, self._mask(who) & (stage == Stage.UNAWARE), Stage.AWARE)

    def register(self, who, on_paper: bool = False) -> np.ndarray:
        """Register ``who`` today (those not registered yet); returns the newly registered mask.

        ``on_paper``: an account only (stage dormant, habit 0, never a visit), as a required
        sign-up may give; otherwise registered with habit ``novelty``, and registering is a visit.
        """
        people = self.people
        new = self._mask(who) & (people.stage < Stage.REGISTERED) & people.employed
        np.putmask(people.stage, new, Stage.DORMANT if on_paper else Stage.REGISTERED)
        np.putmask(people.habit, new, _F(0.0) if on_paper else _F(self.scenario.habit.novelty))
        np.putmask(people.registered_day, new, self.day)
        if not on_paper:
            self._registered_today |= new
        return new

    def replace_ties(self, ties: sp.spmatrix) -> None:
        """Replace the tie matrix (symmetric, people x people); the kernels' integer form and
        the network sums are rebuilt from it."""
        ties = sp.csr_matrix(ties, dtype=_F)
        ties.sort_indices()
        self._ties = ties
        self._quantised = None

    def set_rhythm(self, effort: np.ndarray, mobile_share: np.ndarray) -> None:
        """Replace the weekly rhythm (visit multipliers) and the mobile shares of visits, both
        (weekday, weekend) x people (:func:`visit_rhythm`)."""
        shape = (2, self.org.size)
        if np.shape(effort) != shape or np.shape(mobile_share) != shape:
            raise ValueError(f"set_rhythm: effort and mobile_share must have shape {shape}")
        self._effort = np.asarray(effort, dtype=_F)
        self._mobile_share = np.asarray(mobile_share, dtype=np.float64)

    # ------------------------------------------ what the recorder collects
    def daily_results(self) -> dict[str, np.ndarray]:
        """Today's declared daily results (column -> per replicate), summed over components."""
        totals: dict[str, np.ndarray] = {}
        for part in self._reporting:
            for column, value in part.daily(self).items():
                totals[column] = totals.get(column, np.zeros(self.replicates)) + value
        return totals

    # -------------------------------------------------------------- one day
    @property
    def quantised_ties(self) -> QuantisedTies:
        """The integer form of ``ties`` the kernels use (rebuilt after :meth:`replace_ties`)."""
        if self._quantised is None:
            self._quantised = QuantisedTies(self._ties, self.org.department)
        return self._quantised

    def step(self) -> dict[str, np.ndarray]:
        """Advance every replicate by one day (the phases of :data:`simulation.model.day.DAY_PLAN`);
        returns the day's counts per replicate."""
        day = self.day
        self._registered_today[:] = False
        self.today = DayEffects()
        for run_phase in self._phases:
            run_phase(day)
        self.day += 1
        return self._row

    # ------------------------------------------------- the phases of the day
    def _rollout(self, day: int) -> None:
        """1. The rollout acts."""
        self.scenario.rollout.apply(self, day)

    def _signals(self, day: int) -> None:
        """2. What one's contacts did, from the state at the start of the day (after the
        rollout): exposure (registered contacts) drives awareness and adoption; activity
        (contacts who visited in the last 7 days) drives replies, lapse and return (Fisher,
        Kim & Cummings, undated working paper)."""
        self.signals.compute(self.quantised_ties, self.people, day)

    def _levers(self, day: int) -> None:
        """3. The levers set today's effects (:mod:`simulation.model.day` says what they may read)."""
        for lever in self.levers:
            lever.apply(self, day)

    def _adoption(self, day: int) -> None:
        """4. The adoption rule's probabilities, for the aware (if there are any)."""
        rule, stage = self.scenario.adoption, self.people.stage
        self._adoption_today = self._rejection_today = _PLACEHOLDER
        if (stage == Stage.AWARE).any():
            exposure = self.signals.exposure
            self._adoption_today = _as_field(rule.probability(self, exposure), stage.shape)
            rejection = getattr(rule, "rejection", None)
            if rejection is not None:
                self._rejection_today = _as_field(rejection(self, exposure), stage.shape)

    def _person_day(self, day: int) -> None:
        """5-10. What each person does (:mod:`simulation.model.person_day`)."""
        effects, shape = self.today, self.people.stage.shape
        if self._need_clock is not None:
            self._need_clock.update(day, self.people.need, self.people.registered_day)
        present = EffectFlags(*(not effects.is_neutral(name) for name in EFFECTS))
        arrays = EffectArrays(
            *(
                _as_field(getattr(effects, name), shape) if on else _PLACEHOLDER
                for name, on in zip(EFFECTS, present, strict=True)
            )
        )
        weekend = int(day % 7 >= 5)
        inputs = DayInputs(
            adoption=self._adoption_today,
            rejection=self._rejection_today,
            has_rejection=self._rejection_today is not _PLACEHOLDER,
            propensity=self.post_propensity,
            need=self.people.need,
            effort=self.effort[weekend],
            mobile=self.mobile_share[weekend],
            newly=self._registered_today,
        )
        out = DayOutputs(self.visited, self.signals.posters[day % 2], self._counts)
        advance(
            day, self._keys, self._parameters, self.people.day_state(), self.signals.named,
            inputs, arrays, present, out,
        )  # fmt: skip

    def _record(self, day: int) -> None:
        """11. The day's counts are recorded; then the end-of-day observers run."""
        self._counts[:, Count.cross_reads] = self.signals.cross_reads(
            self.quantised_ties, day, self.visited
        )
        self._row = self.records.record(self, day, self._counts)
        for observer in self.observers:
            observer.observe(self, day, self.visited)

    def _workforce(self, day: int) -> None:
        """12. Joiners and leavers, at the end of the day (:mod:`simulation.model.workforce`)."""
        if self.workforce is not None:
            self.workforce.step(day)

    def run(self, days: int | None = None) -> Engine:
        """Advance ``days`` days (default: the scenario's remaining days)."""
        days = self.scenario.days - self.day if days is None else days
        for _ in range(days):
            self.step()
        return self


def visit_rhythm(scenario, frontline: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Visit multipliers 0-1 and mobile shares 0-1 of visits, rows (weekday, weekend) x people.

    ``frontline`` (bool, people) marks frontline staff; the platform's ``mobile_app`` decides
    whether they visit with ``visits.frontline_factor`` (no app) or fully, on a phone.
    """
    visits, platform = scenario.visits, scenario.platform
    app = platform.mobile_app
    front = _F(1.0) if app else _F(visits.frontline_factor)
    desk_weekend = visits.weekend_factor + (platform.weekend_push if app else 0.0)
    effort = np.empty((2, frontline.size), _F)
    effort[0] = np.where(frontline, front, _F(1.0))
    effort[1] = np.where(frontline, front, _F(min(desk_weekend, 1.0)))
    mobile = np.zeros((2, frontline.size), np.float64)
    if app:
        push_share = platform.weekend_push / desk_weekend if desk_weekend > 0 else 0.0
        mobile[0] = np.where(frontline, 1.0, platform.mobile_desk_share)
        mobile[1] = np.where(frontline, 1.0, push_share)
    return effort, mobile


_PLACEHOLDER = np.zeros((1, 1), _F)  # an effect or probability nobody reads today


def _as_field(value, shape: tuple[int, int]) -> np.ndarray:
    """``value`` (a scalar or an array broadcastable to ``shape``) as a C-ordered float32 array."""
    value = np.asarray(value, dtype=_F)
    if value.shape == shape and value.flags.c_contiguous:
        return value
    return np.ascontiguousarray(np.broadcast_to(value, shape))
