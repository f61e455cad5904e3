"""Bundled real organisational networks, each with its citation.

>>> from simulation import datasets
>>> datasets.names()
['email_eu_core', 'krackhardt', 'lazega']
>>> org = datasets.load("krackhardt")          # an Organisation, org.citation set

The raw files live in ``data/<name>/`` inside the package, unchanged, each folder with a
``CITATION.md`` saying where they come from and how they become an organisation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.errors import OrgDataError
from simulation.org.edgelist import read_pairs, ties_from_pairs
from simulation.org.model import Organisation
from simulation.org.ties import symmetrise

DATA = Path(__file__).parent / "data"

CITATIONS = {
    "krackhardt": "Krackhardt, D. (1987). Cognitive social structures. Social Networks, 9(2), 109-134.",
    "email_eu_core": (
        "Leskovec, J., Kleinberg, J., & Faloutsos, C. (2007). Graph evolution: Densification and "
        "shrinking diameters. ACM TKDD, 1(1), 2; Yin, H., Benson, A. R., Leskovec, J., & Gleich, "
        "D. F. (2017). Local higher-order graph clustering. KDD 2017, 555-564."
    ),
    "lazega": (
        "Lazega, E. (2001). The Collegial Phenomenon: The Social Mechanisms of Cooperation Among "
        "Peers in a Corporate Law Partnership. Oxford University Press."
    ),
}

#: Other names people use for the same data (the shared data folders' names among them).
ALIASES = {
    "krackhardt_hightech": "krackhardt",
    "email-eu-core": "email_eu_core",
    "lazega_lawfirm": "lazega",
}


def names() -> list[str]:
    """The bundled data sets' names, sorted."""
    return sorted(CITATIONS)


def _canonical(name: str) -> str:
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in CITATIONS:
        raise OrgDataError(f"dataset: unknown name {name!r} (known: {', '.join(names())})")
    return key


def citation(name: str) -> str:
    """The reference to cite for data set ``name`` (details in its ``CITATION.md``)."""
    return CITATIONS[_canonical(name)]


def path(name: str) -> Path:
    """The folder holding data set ``name``'s files and ``CITATION.md``."""
    return DATA / _canonical(name)


def _krackhardt(folder: Path) -> Organisation:
    attributes = pd.read_csv(folder / "Krack-High-Tec-Attributes.csv").sort_values("ID")
    n = len(attributes)

    def nominations(relation: str) -> np.ndarray:
        """``(ego, alter)`` index pairs (0-based) where the file says 1."""
        rows = np.loadtxt(folder / f"Krack-High-Tec-edgelist-{relation}.txt", dtype=np.int64)
        return rows[rows[:, 2] == 1, :2] - 1

    manager = np.full(n, -1, dtype=np.int64)
    reports = nominations("ReportsTo")
    manager[reports[:, 0]] = reports[:, 1]
    informal = np.concatenate([nominations("Advice"), nominations("Friendship")])
    dept = attributes["DEPT"].to_numpy()
    return Organisation.from_arrays(
        manager=manager,
        ties=symmetrise(n, informal[:, 0], informal[:, 1]),
        department=np.where(dept == 0, "executive", np.char.add("dept", dept.astype(str))),
        ids=attributes["ID"].astype(str).to_numpy(),
        attributes={
            "age": attributes["AGE"].astype(str).to_numpy(),
            "tenure": attributes["TENURE"].astype(str).to_numpy(),
            "reported_level": attributes["LEVEL"].astype(str).to_numpy(),
        },
    )


def _email_eu_core(folder: Path) -> Organisation:
    labels = np.loadtxt(folder / "email-Eu-core-department-labels.txt", dtype=np.int64, ndmin=2)
    labels = labels[np.argsort(labels[:, 0])]
    ids = labels[:, 0].astype(str)
    edges = folder / "email-Eu-core.txt"
    return Organisation.from_arrays(
        manager=np.full(ids.size, -1),
        ties=ties_from_pairs(read_pairs(edges), edges, ids, "the department labels"),
        department=np.char.add("dept", np.char.zfill(labels[:, 1].astype(str), 2)),
        ids=ids,
    )


def _lazega(folder: Path) -> Organisation:
    nodes = pd.read_csv(folder / "nodes.csv").sort_values("id")
    ids = nodes["id"].astype(str).to_numpy()
    edges = folder / "edges.csv"

    def named(column: str, labels: dict[int, str]) -> np.ndarray:
        return nodes[column].map(labels).to_numpy(dtype=str)

    return Organisation.from_arrays(
        manager=np.full(ids.size, -1),
        ties=ties_from_pairs(read_pairs(edges), edges, ids, "nodes.csv"),
        department=named("practice", {1: "litigation", 2: "corporate"}),
        site=named("office", {1: "Boston", 2: "Hartford", 3: "Providence"}),
        level=(nodes["status"].to_numpy() == 2).astype(np.int16),  # partners 0, associates 1
        ids=ids,
        attributes={
            "status": named("status", {1: "partner", 2: "associate"}),
            "gender": named("gender", {1: "man", 2: "woman"}),
            "law_school": named("lawSchool", {1: "Harvard/Yale", 2: "UConn", 3: "other"}),
            "seniority": nodes["seniority"].astype(str).to_numpy(),
            "age": nodes["age"].astype(str).to_numpy(),
        },
    )


LOADERS: dict[str, Callable[[Path], Organisation]] = {
    "krackhardt": _krackhardt,
    "email_eu_core": _email_eu_core,
    "lazega": _lazega,
}


def load(name: str) -> Organisation:
    """Load bundled data set ``name`` as an :class:`Organisation` (a fresh copy each call).

    Its ``name`` is ``dataset:<name>`` and its ``citation`` the reference to cite.
    """
    key = _canonical(name)
    org = LOADERS[key](DATA / key)
    org.name, org.citation = f"dataset:{key}", CITATIONS[key]
    return org
