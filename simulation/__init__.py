"""esnsim: try out an Enterprise Social Network rollout on a model of your organisation.

The public API (the README's Python examples use it)::

    import simulation as esn
    org = esn.Organisation.generate(2000, seed=0)
    sim = esn.Sim(esn.Scenario.load("scenarios/grassroots.yaml"), org=org, seed=1).run()
    sim.daily; sim.summary; sim.plot()
    ms = esn.compare(["scenarios/top_down_mandate.yaml", "scenarios/full_support.yaml"], org=org)
    ms.summary(); ms.probability("wau>=0.4@180"); ms.to_html("report.html")
"""

from simulation.base import kernel_cache

kernel_cache.refresh()  # before any module loads a compiled kernel

# The public names load on first use (PEP 562), so that ``import simulation.cli.main`` is quick and a
# Ctrl-C during the heavy imports (numba, pandas) lands inside the command's own handler.
_EXPORTS = {
    "InputError": "simulation.base.errors",
    "OrgDataError": "simulation.base.errors",
    "ScenarioError": "simulation.base.errors",
    "Employee": "simulation.experiments.mesa_model",
    "ESNModel": "simulation.experiments.mesa_model",
    "MultiSim": "simulation.experiments.multisim",
    "compare": "simulation.experiments.multisim",
    "Organisation": "simulation.org.model",
    "Stage": "simulation.model.people",
    "Scenario": "simulation.plan.scenario",
    "Sim": "simulation.experiments.sim",
    "Sweep": "simulation.experiments.sweep",
}


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'simulation' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__version__ = "0.1.0"


def calibrate(scenario, observed, org=None, fit=(), **options):
    """Fit scenario fields to an observed history; see :func:`simulation.analysis.calibrate.calibrate`.

    Returns a :class:`~simulation.analysis.calibrate.Calibration` with ``.parameters``,
    ``.intervals``, ``.best_scenario`` and ``.forecast``. Imported on first use (scipy's
    optimisers and statistics are not needed by a plain run).
    """
    from simulation.analysis.calibrate import calibrate as fit_to

    return fit_to(scenario, observed, org=org, fit=fit, **options)


__all__ = [
    "ESNModel",
    "Employee",
    "InputError",
    "MultiSim",
    "OrgDataError",
    "Organisation",
    "Scenario",
    "ScenarioError",
    "Sim",
    "Stage",
    "Sweep",
    "__version__",
    "calibrate",
    "compare",
]
