"""The Lazega law firm's Pajek project file -> the ``nodes.csv`` and ``edges.csv`` the loader reads.

The original public copy (V. Batagelj's conversion of Snijders' data) is one ``.paj`` file: a
network with three arc relations (``*arcs :1 "advice"`` ...), then five partitions and two
vectors, one value per lawyer each. This turns it into the two tables, rows in file order.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from simulation.base.errors import OrgDataError, located

#: Relation names as the tables spell them (the .paj says "co-work").
RELATIONS = {"advice": "advice", "friendship": "friendship", "co-work": "cowork"}
#: Node columns in the table's order, from the partitions and vectors named ``<column>.clu|vec``.
COLUMNS = ["status", "gender", "office", "seniority", "age", "practice", "lawSchool"]


def _blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """``(header, data lines)`` for each ``*`` section, comments and blank lines dropped."""
    blocks: list[tuple[str, list[str]]] = []
    for line in lines:
        text = line.strip()
        if not text or text.startswith("%"):
            continue
        if text.startswith("*"):
            blocks.append((text, []))
        elif blocks:
            blocks[-1][1].append(text)
    return blocks


def read_lazega_paj(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``nodes`` and ``edges`` tables of the Lazega ``.paj`` file at ``path``.

    Returns
    -------
    nodes : DataFrame
        ``id,status,gender,office,seniority,age,practice,lawSchool`` (integers), one row a lawyer.
    edges : DataFrame
        ``source,target,relation``: directed arcs, relation ``advice``, ``friendship`` or
        ``cowork``.
    """
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    relation_of: dict[str, str] = {}
    arcs: list[tuple[int, int, str]] = []
    values: dict[str, list[int]] = {}
    size = 0
    section = None
    for header, data in _blocks(lines):
        words = header.split()
        kind = words[0].lower()
        if kind == "*vertices" and section is None:
            size = int(words[1])
        elif kind == "*arcs" and len(words) > 2 and words[1].startswith(":"):
            relation_of[words[1][1:]] = RELATIONS[header.split('"')[1]]
        elif kind == "*arcs":
            for row in data:
                relation, source, target = row.replace(":", " ").split()[:3]
                arcs.append((int(source), int(target), relation_of[relation]))
        elif kind in ("*partition", "*vector"):
            section = words[1].rsplit(".", 1)[0]
        elif kind == "*vertices" and section is not None:
            values[section] = [int(float(value)) for value in data]
    missing = [column for column in COLUMNS if len(values.get(column, ())) != size]
    if not size or not arcs or missing:
        raise OrgDataError(
            located(path, f"not the Lazega law firm file (missing {missing or 'arcs'})")
        )
    nodes = pd.DataFrame({"id": range(1, size + 1), **{c: values[c] for c in COLUMNS}})
    edges = pd.DataFrame(arcs, columns=["source", "target", "relation"])
    return nodes, edges


def write_lazega_tables(paj: Path, folder: Path) -> None:
    """Write ``nodes.csv`` and ``edges.csv`` beside ``paj`` (in ``folder``)."""
    nodes, edges = read_lazega_paj(paj)
    nodes.to_csv(folder / "nodes.csv", index=False)
    edges.to_csv(folder / "edges.csv", index=False)
