"""The loaders: each data set's files -> an :class:`Organisation` (see ``citations/NAME.md``).

Each loader takes the folder holding the files (laid out as in :mod:`simulation.datasets.sources`)
and builds the organisation the same way every time: same ids in the same order, same ties,
same departments.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.org.edgelist import read_pairs, ties_from_pairs
from simulation.org.model import Organisation
from simulation.org.ties import symmetrise


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
