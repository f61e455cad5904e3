"""Pattern-oriented validation: the default calibration against published figures.

A model earns trust by reproducing several independent patterns with one parameter set (Grimm
et al. 2005, *Science* 310:987). Each published pattern (docs/validation.md) is one
:class:`Pattern`: a statistic computed from runs of the default scenarios (``scenarios/``) on a
generated organisation, the published figure it is compared with, and the range it must fall in.

The statistic is computed per replicate; a pattern passes when the mean over replicates lies in
its accepted range; the 90 % interval reported beside it is the 5th to 95th percentile over
replicates (how much one rollout of one organisation can vary). For the Bass limit the statistic
is the error of the *mean* curve, and its interval comes from resampling replicates.

    from simulation.analysis.validate import FULL, run_checks
    checks = run_checks(FULL)          # list of Check; all(c.passed for c in checks)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from simulation.analysis import long_ebb
from simulation.analysis.patterns import PATTERNS, Pattern
from simulation.model.engine import Engine
from simulation.model.windows import SUSTAINED_DAYS, weekly_active
from simulation.org.model import Organisation
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
BASS_P, BASS_Q, BASS_DAYS = 0.003, 0.038, 150
LONG_RUN_DAYS = 60  # "long-run" weekly active (overambitious seeding): the mean of the last 60 days
STEADY_DAYS = SUSTAINED_DAYS  # participation and readership: the sustained window, 30 days
JAM_DAY = 60  # the jam scenario's event: days 60, 61, 62
VISIT_DAYS = 28  # visit frequency (Traffyk): visit days in the last 4 weeks
BEFORE_JAM = (46, 60)  # the two weeks before the Jam: days 46-59 (the baseline of the rise)
AFTER_JAM = {"jam_after_4": (88, 95), "jam_after_12": (144, 151)}  # weeks 4 and 12 after it


@dataclass(frozen=True)
class Settings:
    """How big the runs are: organisation size (people), replicates, seeds."""

    size: int = 2000
    replicates: int = 20
    seed: int = 0
    bass_size: int = 2000
    bass_replicates: int = 20
    org: Any = None  # an Organisation replacing the generated ones (real-network check)


FULL = Settings()
QUICK = Settings(size=1000, replicates=6, bass_size=1000, bass_replicates=10)


@dataclass
class Check:
    """One pattern's outcome: per-replicate values, mean, 90 % interval, pass."""

    pattern: Pattern
    mean: float
    low: float
    high: float

    @property
    def in_range(self) -> bool:
        """Whether the mean lies in the pattern's accepted range."""
        return bool(self.pattern.low <= self.mean <= self.pattern.high)

    @property
    def passed(self) -> bool:
        """In range, or a reported pattern (shown, never failed on: see ``Pattern.role``)."""
        return self.in_range or not self.pattern.checked


# ------------------------------------------------------------------ scenarios and runs
def scenario(name: str, overrides: dict[str, Any] | None = None, **fields) -> Scenario:
    """A scenario of ``scenarios/`` with dotted-path ``overrides`` and top-level ``fields``."""
    data = Scenario.load(SCENARIOS / f"{name}.yaml").model_dump(mode="python")
    data.update(fields)
    for path, value in (overrides or {}).items():
        set_path(data, path, value)
    return Scenario.from_dict(data, source=name)


def set_path(data: dict, path: str, value: Any) -> None:
    """Set ``data["a"]["b"] = value`` for ``path = "a.b"`` (``rollout.x``: only where the
    scenario's rollout strategy has ``x``, e.g. ``rollout.reluctance`` for the mandates)."""
    *parents, leaf = path.split(".")
    for part in parents:
        data = data[part]
    if leaf not in data:
        if parents == ["rollout"]:
            return  # a rollout's parameter applies to the scenarios whose rollout has it
        raise KeyError(f"{path}: not a parameter of this scenario")
    data[leaf] = value


class Runs:
    """The organisation(s) and the engines the checks need, each run once and cached."""

    def __init__(self, settings: Settings, overrides: dict[str, Any] | None = None):
        self.settings = settings
        self.overrides = dict(overrides or {})
        self._orgs: dict[str, Organisation] = {}
        self._engines: dict[str, Engine] = {}

    @property
    def seeds(self) -> range:
        s = self.settings
        return range(s.seed, s.seed + s.replicates)

    def org(self, frontline: bool = False) -> Organisation:
        if self.settings.org is not None:
            return self.settings.org
        key = "frontline" if frontline else "default"
        if key not in self._orgs:
            extra = {"frontline_share": 0.6} if frontline else {}
            self._orgs[key] = Organisation.generate(self.settings.size, seed=0, **extra)
        return self._orgs[key]

    def engine(self, key: str, name: str | None = None, days: int | None = None, **fields):
        """Run (once) the scenario ``name`` (default ``key``) with ``fields`` replaced."""
        if key not in self._engines:
            frontline = key == "no_mobile_frontline_heavy"
            org = self.org(frontline)
            if days is not None:
                fields["days"] = days
            sc = scenario(name or key, self.overrides, **fields)
            engine = Engine(org, resolve_names(sc, org), seeds=self.seeds)
            if frontline:
                engine.observers.append(_GroupWeekly(org.frontline, sc.days - STEADY_DAYS))
            if key == "all_staff_announcement":
                engine.observers.append(_VisitDays(sc.days - VISIT_DAYS))
            self._engines[key] = engine.run()
        return self._engines[key]


class _GroupWeekly:
    """Observer: weekly active share of a group and of the others, summed from ``first_day``."""

    def __init__(self, group: np.ndarray, first_day: int):
        self.group, self.first_day, self.days = group, first_day, 0
        self.inside = self.outside = 0.0

    def observe(self, engine, day: int, visited) -> None:
        if day < self.first_day:
            return
        people = engine.people
        weekly = weekly_active(people.last_visit, day)
        # shares of the group's staff employed today (joiners and leavers)
        staff = people.employed
        inside, outside = staff[:, self.group], staff[:, ~self.group]
        self.inside = self.inside + (
            weekly[:, self.group].sum(axis=1) / np.maximum(inside.sum(axis=1), 1)
        )
        self.outside = self.outside + (
            weekly[:, ~self.group].sum(axis=1) / np.maximum(outside.sum(axis=1), 1)
        )
        self.days += 1


class _VisitDays:
    """Observer: each person's number of visit days from ``first_day`` on (replicates, people)."""

    def __init__(self, first_day: int):
        self.first_day, self.days = first_day, None

    def observe(self, engine, day: int, visited) -> None:
        if day < self.first_day:
            return
        today = np.asarray(visited, dtype=np.int32)
        self.days = today if self.days is None else self.days + today


def _tail(values: np.ndarray, days: int) -> np.ndarray:
    """Per replicate, the mean of the last ``days`` rows of a (days, replicates) series."""
    return values[-days:].mean(axis=0)


def bass_curve(t) -> np.ndarray:
    """F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}), p = 0.003, q = 0.038 per day."""
    e = np.exp(-(BASS_P + BASS_Q) * np.asarray(t, dtype=float))
    return (1 - e) / (1 + (BASS_Q / BASS_P) * e)


# ------------------------------------------------------------------ statistics
def bass_errors(settings: Settings, resamples: int = 200) -> tuple[float, np.ndarray]:
    """Max error of the mean adoption curve, and its values over resampled replicates."""
    import scipy.sparse as sp

    n = settings.bass_size
    ties = sp.csr_matrix(np.ones((n, n), np.float32) - np.eye(n, dtype=np.float32))
    org = Organisation.from_arrays(manager=np.full(n, -1), ties=ties, name=f"complete-{n}")
    sc = Scenario.from_dict(
        {
            "name": "bass_limit",
            "days": BASS_DAYS,
            "adoption": {"rule": "bass", "p": BASS_P, "q": BASS_Q},
            "habit": {"enabled": False},
            "rollout": {"strategy": "announcement"},
            # the limit is of a fixed population: nobody joins or leaves
            "workforce": {"annual_turnover": 0},
        }
    )
    seeds = range(settings.seed, settings.seed + settings.bass_replicates)
    curves = Engine(org, resolve_names(sc, org), seeds=seeds).run().records.values["registered"]
    target = bass_curve(np.arange(1, BASS_DAYS + 1))[:, None]
    rng = np.random.default_rng(settings.seed)
    picks = rng.integers(0, curves.shape[1], (resamples, curves.shape[1]))
    boot = np.array(
        [np.abs(curves[:, p].mean(axis=1, keepdims=True) - target).max() for p in picks]
    )
    return float(np.abs(curves.mean(axis=1, keepdims=True) - target).max()), boot


def statistics(runs: Runs, keys: list[str] | None = None) -> dict[str, np.ndarray]:
    """Per-replicate values of each pattern's statistic (all but the Bass limit)."""
    keys = keys or [p.key for p in PATTERNS if p.key != "bass_limit"]
    out: dict[str, np.ndarray] = {}
    want = set(keys)
    if want & {
        "lurkers",
        "contributors",
        "heavy",
        "never_registered",
        "weekly_readers",
        "ebb_fall",
        "ebb_registered",
        "reach",
        "read_only",
    }:
        announced = runs.engine("all_staff_announcement")
        v = announced.records.values
        wau = np.maximum(v["wau"][-STEADY_DAYS:], 1e-12)
        for key, column in (
            ("lurkers", "lurkers"),
            ("contributors", "contributors"),
            ("heavy", "heavy_contributors"),
        ):
            out[key] = (v[column][-STEADY_DAYS:] / wau).mean(axis=0)
        out["never_registered"] = 1.0 - v["registered"][-1]
        out["weekly_readers"] = _tail(v["wau_of_registered"], STEADY_DAYS)
        peak_day = v["wau"].argmax(axis=0)
        cols = np.arange(v["wau"].shape[1])
        out["ebb_fall"] = 1.0 - _tail(v["wau"], STEADY_DAYS) / v["wau"][peak_day, cols]
        out["ebb_registered"] = v["registered"][-1] - v["registered"][peak_day, cols]
        people = announced.people
        visited = people.last_visit >= 0
        # of the staff employed at the end (a vacant position has no holder to reach)
        out["reach"] = visited.sum(axis=1) / np.maximum(people.employed.sum(axis=1), 1)
        silent = (visited & (people.total_posts == 0)).sum(axis=1)
        out["read_only"] = silent / np.maximum(visited.sum(axis=1), 1)
    if "frequent_visitors" in want:
        days = runs.engine("all_staff_announcement").observers[0].days
        out["frequent_visitors"] = (days > 8).sum(axis=1) / np.maximum((days > 0).sum(axis=1), 1)
    if "overambitious" in want:
        gradual = runs.engine("grassroots", rollout=runs_grassroots(runs)).records.values["wau"]
        mandate = runs.engine("top_down_mandate").records.values["wau"]
        out["overambitious"] = _tail(gradual, LONG_RUN_DAYS) - _tail(mandate, LONG_RUN_DAYS)
    if "hub_seeding" in want:
        hubs = runs.engine("hub_seeding").records.values["registered"][180]
        rand = runs.engine(
            "random_seeds", "hub_seeding", rollout={"strategy": "random_seeds", "seeds": 15}
        ).records.values["registered"][180]
        out["hub_seeding"] = hubs - rand
    if "jam" in want:
        rollout = {"strategy": "grassroots", "departments": runs_grassroots(runs)["departments"]}
        people = runs.engine("jam", days=JAM_DAY + 3, rollout=rollout).people
        out["jam"] = (people.last_visit >= JAM_DAY).sum(axis=1) / people.employed.sum(axis=1)
    if want & {"frontline_ratio", "shadow_channel"} and runs.org(True).frontline.any():
        engine = runs.engine("no_mobile_frontline_heavy")
        group = engine.observers[0]
        out["frontline_ratio"] = group.inside / np.maximum(group.outside, 1e-12)
        front = engine.org.frontline
        shadow = engine.records.values["shadow_channel_users"][-1] * engine.org.size
        out["shadow_channel"] = shadow / front.sum()
    if want & {"top_weekly", "top_monthly"}:
        out.update(top_end(runs))
    if want & set(long_ebb.PATTERN_KEYS) and long_ebb.data_file() is not None:
        # the same run as the top end's (``top:NAME``): a shipped scenario, four years
        stem = long_ebb.SCENARIO.stem
        out.update(long_ebb.statistics(runs.engine(f"top:{stem}", stem)))
    if want & {"jam_after_4", "jam_after_12"}:
        out.update(after_effect(runs))
    return {k: v for k, v in out.items() if k in want}


def top_end(runs: Runs) -> dict[str, np.ndarray]:
    """Per replicate, the largest sustained weekly and monthly active share over every shipped
    scenario (``scenarios/*.yaml``, each as shipped, on the settings' organisation)."""
    weekly, monthly = [], []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        name = path.stem
        frontline = name == "no_mobile_frontline_heavy"
        key = name if name in runs._engines else f"top:{name}"
        if key not in runs._engines and not frontline:
            runs.engine(key, name)
        engine = runs.engine(name) if frontline else runs._engines[key]
        v = engine.records.values
        weekly.append(_tail(v["wau"], STEADY_DAYS))
        monthly.append(_tail(v["mau"], STEADY_DAYS))
    return {"top_weekly": np.max(weekly, axis=0), "top_monthly": np.max(monthly, axis=0)}


def after_effect(runs: Runs) -> dict[str, np.ndarray]:
    """Per replicate, the share of the Jam's rise in daily visits left 4 and 12 weeks later:
    ``(after - before) / (during - before)``, daily visits (dau) averaged over each window."""
    rollout = {"strategy": "grassroots", "departments": runs_grassroots(runs)["departments"]}
    dau = runs.engine("jam_year", "jam", rollout=rollout).records.values["dau"]
    before = dau[slice(*BEFORE_JAM)].mean(axis=0)
    rise = np.maximum(dau[JAM_DAY : JAM_DAY + 3].mean(axis=0) - before, 1e-12)
    return {k: (dau[slice(*w)].mean(axis=0) - before) / rise for k, w in AFTER_JAM.items()}


def runs_grassroots(runs: Runs) -> dict[str, Any]:
    """The grassroots rollout. Its departments are the role ``open_to_social``, which the engine
    resolves on the organisation: sales, marketing and IT by name, else the 3 largest
    departments (:mod:`simulation.org.roles`)."""
    return scenario("grassroots").rollout.model_dump()


def run_checks(
    settings: Settings = FULL, overrides: dict[str, Any] | None = None, bass: bool = True
) -> list[Check]:
    """Every pattern's check for ``settings`` (and parameter ``overrides``), in table order."""
    runs = Runs(settings, overrides)
    values = statistics(runs)
    checks = []
    for pattern in PATTERNS:
        if pattern.key == "bass_limit":
            if not bass:
                continue
            mean, boot = bass_errors(settings)
            low, high = np.percentile(boot, [5, 95])
        elif pattern.key in values:
            v = values[pattern.key]
            mean, (low, high) = float(v.mean()), np.percentile(v, [5, 95])
        else:
            continue  # not applicable (no frontline staff in a real network)
        checks.append(Check(pattern, float(mean), float(low), float(high)))
    return checks


def quick(settings: Settings = QUICK, **fields) -> Settings:
    """``settings`` with fields replaced (e.g. ``replicates``)."""
    return replace(settings, **{k: v for k, v in fields.items() if v is not None})
