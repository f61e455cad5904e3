"""The top end: how far each shipped plan's use goes, against the best published organisations.

The best-run ESN programmes published reach about 30 % of staff active (Syngenta) or 40 %
engaging each month (KFC Australia) (SWOOP Analytics 2018 awards); on average 80-85 % of staff
ever reach the platform in six months (SWOOP Analytics 2022/23). A plan the model says keeps
more of an organisation weekly active than that is beyond anything observed.
:func:`usage` runs every scenario of ``scenarios/`` on one organisation and returns its
sustained weekly and monthly active shares; :func:`effects` the seed articles' comparisons
(full support against a bare mandate; each lever of full support removed in turn), paired by
seed (common random numbers).

    from simulation.analysis.top_end import usage
    table = usage(Organisation.generate(2000, seed=0), replicates=2, days=365)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from simulation.model.engine import Engine
from simulation.model.windows import SUSTAINED_DAYS
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
#: the levers of ``full_support`` whose removal the seed articles say lowers sustained use
LEVERS = {
    "facilitation": ("facilitation",),
    "sponsorship": ("sponsorship",),
    "mobile app": ("mobile_app",),
    "purpose": ("interest_communities", "jam"),
}


def shipped() -> list[str]:
    """The names of the shipped scenarios (``scenarios/*.yaml``), sorted."""
    return sorted(p.stem for p in SCENARIOS.glob("*.yaml"))


def _scenario(name: str, days: int | None, drop: tuple[str, ...] = ()) -> Scenario:
    data = Scenario.load(SCENARIOS / f"{name}.yaml").model_dump(mode="python")
    if days is not None:
        data["days"] = days
    data["interventions"] = [i for i in data["interventions"] if i["type"] not in drop]
    return Scenario.from_dict(data, source=name)


def _sustained(engine: Engine, column: str) -> np.ndarray:
    """Per replicate, the mean of ``column`` over the sustained window (last 30 days), 0-1."""
    return engine.records.values[column][-SUSTAINED_DAYS:].mean(axis=0)


def run(org, name: str, replicates: int, days: int | None, drop=(), seed: int = 0) -> Engine:
    """One shipped scenario (levers ``drop`` removed) on ``org``, seeds ``seed..``."""
    sc = _scenario(name, days, tuple(drop))
    return Engine(org, resolve_names(sc, org), seeds=range(seed, seed + replicates)).run()


def usage(
    org, replicates: int = 2, days: int | None = None, names: list[str] | None = None
) -> dict[str, dict[str, float]]:
    """Sustained weekly / monthly / daily active (shares of staff, 0-1) of each scenario.

    Parameters
    ----------
    org : Organisation
    replicates : int
        Replicates per scenario (seeds 0..replicates-1).
    days : int, optional
        Horizon (days); default each scenario's own.
    names : list of str, optional
        Scenario names; default every shipped one.

    Returns
    -------
    dict
        ``{name: {"wau": .., "mau": .., "dau": .., "peak_wau": ..}}``, means over replicates.
    """
    out = {}
    for name in names or shipped():
        engine = run(org, name, replicates, days)
        v = engine.records.values
        out[name] = {
            "wau": float(_sustained(engine, "wau").mean()),
            "mau": float(_sustained(engine, "mau").mean()),
            "dau": float(_sustained(engine, "dau").mean()),
            "peak_wau": float(v["wau"].max(axis=0).mean()),
        }
    return out


def _posters(engine: Engine) -> np.ndarray:
    """Per replicate, the sustained share of staff (0-1) who posted in the last 7 days."""
    v = engine.records.values
    tail = v["contributors"][-SUSTAINED_DAYS:] + v["heavy_contributors"][-SUSTAINED_DAYS:]
    return tail.mean(axis=0)


def effects(org, replicates: int = 4, days: int | None = None) -> dict[str, Any]:
    """The seed articles' comparisons: paired differences of sustained use (shares 0-1).

    ``full_support - top_down_mandate``, ``grassroots_facilitated - grassroots``, and for each
    lever of :data:`LEVERS`: ``full_support - full_support without it``. Each entry holds the
    mean difference of sustained weekly active (``mean``) and its standard error over
    replicates (``se``), and the same for the share of staff posting in a week (``posters``:
    sponsorship acts on fear, which lowers posting rather than reading).
    """

    def both(engine: Engine) -> tuple[np.ndarray, np.ndarray]:
        return _sustained(engine, "wau"), _posters(engine)

    full = both(run(org, "full_support", replicates, days))
    pairs = {
        "full_support - top_down_mandate": (
            full,
            both(run(org, "top_down_mandate", replicates, days)),
        ),
        "grassroots_facilitated - grassroots": (
            both(run(org, "grassroots_facilitated", replicates, days)),
            both(run(org, "grassroots", replicates, days)),
        ),
    }
    for label, drop in LEVERS.items():
        pairs[f"full_support - without {label}"] = (
            full,
            both(run(org, "full_support", replicates, days, drop)),
        )
    out = {}
    for label, (a, b) in pairs.items():
        wau, posters = _paired(a[0], b[0]), _paired(a[1], b[1])
        out[label] = {**wau, "posters": posters}
    return out


def _paired(a: np.ndarray, b: np.ndarray) -> dict[str, float]:
    d = a - b
    se = float(d.std(ddof=1) / np.sqrt(len(d))) if len(d) > 1 else float("nan")
    return {"mean": float(d.mean()), "se": se}
