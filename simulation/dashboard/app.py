"""The dashboard's pages, served by ``solara run`` (see :mod:`simulation.cli.dashboard`).

``/`` is one run on Mesa's SolaraViz, ``/compare`` compares plans.
"""

from __future__ import annotations

import solara

from simulation import datasets
from simulation.dashboard.compare_page import ComparePage
from simulation.dashboard.single import SinglePage


def sources() -> list[str]:
    """The organisations offered: a generated one and each real data set whose files are here."""
    return ["generated"] + [name for name in datasets.names() if datasets.find(name)]


@solara.component
def OneRun():
    SinglePage(sources())


@solara.component
def Compare():
    ComparePage(sources())


# the name solara looks for; a tuple, so that the module holds no mutable state
routes = (
    solara.Route(path="/", component=OneRun, label="One run"),
    solara.Route(path="compare", component=Compare, label="Compare plans"),
)
