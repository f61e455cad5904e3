"""esnsim: try out an Enterprise Social Network rollout on a model of your organisation.

The public API (DESIGN.md section 7)::

    import simulation as esn
    org = esn.Organisation.generate(2000, seed=0)
    sim = esn.Sim(esn.Scenario.load("scenarios/grassroots.yaml"), org=org, seed=1).run()
    sim.daily; sim.summary; sim.plot()
    ms = esn.compare(["scenarios/top_down_mandate.yaml", "scenarios/full_support.yaml"], org=org)
    ms.summary(); ms.probability("wau>=0.4@180"); ms.to_html("report.html")
"""

from simulation import kernel_cache

kernel_cache.refresh()  # before any module loads a compiled kernel

from simulation.errors import InputError, OrgDataError, ScenarioError  # noqa: E402
from simulation.model import Employee, ESNModel  # noqa: E402
from simulation.multisim import MultiSim, compare  # noqa: E402
from simulation.org.model import Organisation  # noqa: E402
from simulation.people import Stage  # noqa: E402
from simulation.scenario import Scenario  # noqa: E402
from simulation.sim import Sim  # noqa: E402
from simulation.sweep import Sweep  # noqa: E402

__version__ = "0.1.0"

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
    "compare",
]
