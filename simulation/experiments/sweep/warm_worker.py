"""Imported by the sweep pool's fork server (:mod:`simulation.experiments.forkserver`): what a chunk needs,
and the compiled kernels loaded.

Importing this module imports :mod:`simulation.experiments.sweep.chunks` and runs a two-day model of 60
people, so that the engine's compiled kernels are loaded from their cache; every worker forked
from the server then starts with them (measured: a fresh process's first 50-run chunk of the
1,000-person benchmark takes about 0.7 s more than the next). Kernels only a sweep's own levers
use still load in the worker, on first use. A failed warm-up costs only that time. (This text
does not name the compiler: :mod:`simulation.base.kernel_cache` empties the cache whenever a module
naming it changes.)
"""

from __future__ import annotations

import gc

import simulation.experiments.sweep.chunks  # noqa: F401  (what every chunk needs)


def warm() -> None:
    """Run a tiny model once (the default scenario, two days, two replicates)."""
    from simulation.experiments.mesa_model import ESNModel
    from simulation.org.model import Organisation
    from simulation.plan.scenario import Scenario

    org = Organisation.generate(60, seed=0)
    ESNModel(org, Scenario.from_dict({"name": "warm-up", "days": 2}), seeds=[0, 1]).run()


try:
    warm()
except Exception:  # noqa: BLE001 (a warm-up that fails leaves the kernels to load on first use)
    pass
# what the server holds now, every worker shares: left out of the workers' garbage collections,
# which would otherwise write to (and so copy) every page holding it (Python's gc.freeze)
gc.freeze()
