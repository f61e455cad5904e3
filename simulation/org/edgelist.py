"""An organisation known by an observed network (e-mail or chat metadata): an edge list.

Two formats, told apart by the first line that is not blank or a ``#`` comment:

- a CSV (comma or semicolon) with a header naming ``source`` and ``target`` and optionally
  ``weight`` (any case; other columns ignored);
- headerless, whitespace-separated pairs, SNAP style, ``#`` comment lines allowed; only the
  first two fields of a line are read (SNAP files often carry a timestamp third).

Ids are strings. Directed pairs are made mutual, self-loops dropped, and a pair listed more
than once (either direction) keeps its largest weight; weights default to 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from simulation.base.errors import OrgDataError, located
from simulation.org.cells import fail_at_first
from simulation.org.model import Organisation
from simulation.org.table import people_from_table, read_table, resolve_columns
from simulation.org.ties import symmetrise


@dataclass
class Pairs:
    """The pairs of an edge list as read: ids, weights (or None) and 1-based line numbers."""

    source: np.ndarray
    target: np.ndarray
    weight: np.ndarray | None
    line: np.ndarray


def _first_content_line(path: Path) -> str | None:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            for raw in handle:
                text = raw.strip()
                if text and not text.startswith("#"):
                    return text
    except FileNotFoundError:
        raise OrgDataError(located(path, "file not found")) from None
    except UnicodeDecodeError as error:
        raise OrgDataError(located(path, f"not UTF-8 text ({error.reason})")) from None
    return None


def _read_csv_pairs(path: Path) -> Pairs:
    frame = read_table(path)
    found = resolve_columns(frame, path, ("source", "target"), ("weight",), None)
    source, target = frame[found["source"]], frame[found["target"]]
    for column, values in ((found["source"], source), (found["target"], target)):
        empty = (values == "").to_numpy()
        if empty.any():
            line = int(values.index[np.flatnonzero(empty)[0]])
            raise OrgDataError(located(path, "empty id", line=line, field=column))
    weight = None
    if "weight" in found:
        raw = frame[found["weight"]]
        weight = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(weight) | (weight < 0)
        if bad.any():
            fail_at_first(path, raw, bad, found["weight"], "not a weight (a number >= 0): {cell}")
    return Pairs(source.to_numpy(str), target.to_numpy(str), weight, frame.index.to_numpy())


def _read_whitespace_pairs(path: Path) -> Pairs:
    sources, targets, lines = [], [], []
    with open(path, encoding="utf-8-sig") as handle:
        for number, raw in enumerate(handle, start=1):
            fields = raw.split()
            if not fields or fields[0].startswith("#"):
                continue
            if len(fields) < 2:
                raise OrgDataError(
                    located(
                        path, f"expected two ids 'source target', got {raw.strip()!r}", line=number
                    )
                )
            sources.append(fields[0])
            targets.append(fields[1])
            lines.append(number)
    return Pairs(np.array(sources, dtype=str), np.array(targets, dtype=str), None, np.array(lines))


def read_pairs(path: str | Path) -> Pairs:
    """Read an edge list in either format (see the module docstring)."""
    path = Path(path)
    first = _first_content_line(path)
    if first is None:
        raise OrgDataError(located(path, "empty file (no pairs)", line=1))
    if "," in first or ";" in first:
        return _read_csv_pairs(path)
    return _read_whitespace_pairs(path)


def ties_from_pairs(pairs: Pairs, path: Path, ids: np.ndarray, owner: str) -> sp.csr_matrix:
    """The symmetric tie matrix of ``pairs`` over people ``ids``.

    Raises :class:`OrgDataError` at the first line naming an id not in ``ids`` (``owner`` says
    where the ids come from, for the message).
    """
    position = pd.Index(ids)
    rows, cols = position.get_indexer(pairs.source), position.get_indexer(pairs.target)
    for names, index in ((pairs.source, rows), (pairs.target, cols)):
        missing = index < 0
        if missing.any():
            first = np.flatnonzero(missing)[0]
            raise OrgDataError(
                located(
                    path,
                    f"id {str(names[first])!r} is not an employee_id of {owner}",
                    line=int(pairs.line[first]),
                )
            )
    return symmetrise(len(ids), rows, cols, pairs.weight)


def from_edgelist(
    path: str | Path,
    attributes: str | Path | None = None,
    columns: dict[str, str] | None = None,
) -> Organisation:
    """An organisation from an observed network.

    Parameters
    ----------
    path : path
        The edge list (see the module docstring).
    attributes : path, optional
        A CSV (comma or semicolon, UTF-8 with or without BOM) whose ``employee_id`` column holds
        the people (all of them, so people without any tie are kept), with optional
        ``department``, ``site``, ``frontline``, ``level``, ``manager_id`` and any other
        columns (kept in ``attributes``). Every id of the edge list must be in it.
    columns : dict, optional
        Our column names -> the attribute file's headers, as for :func:`from_hr_csv`.

    Returns
    -------
    Organisation
        Without attributes, people are the ids of the edge list in order of first appearance,
        in one department and site "unknown". Without a ``manager_id`` column everyone is a
        root at level 0 (``describe()`` says ``reporting_tree: False``).

    Raises
    ------
    OrgDataError
        Naming the file and line: empty file, a line without two ids, a bad weight, an id
        missing from the attributes, or any error of the attributes file (as in HR exports).
    """
    path = Path(path)
    pairs = read_pairs(path)
    if attributes is not None:
        frame = read_table(attributes)
        found = resolve_columns(
            frame,
            attributes,
            ("employee_id",),
            ("manager_id", "department", "site", "frontline", "level"),
            columns,
        )
        people = people_from_table(frame, Path(attributes), found)
    else:
        if columns:
            raise OrgDataError(located(path, "columns given without an attributes file"))
        order = np.column_stack([pairs.source, pairs.target]).ravel()
        ids = pd.unique(pd.Series(order, dtype=object)).astype(str)
        n = ids.size
        people = {
            "manager": np.full(n, -1, dtype=np.int32),
            "level": np.zeros(n, dtype=np.int16),
            "department": np.zeros(n, dtype=np.int16),
            "site": np.zeros(n, dtype=np.int16),
            "frontline": np.zeros(n, dtype=bool),
            "department_names": ["unknown"],
            "site_names": ["unknown"],
            "ids": ids,
            "attributes": {},
        }
    owner = Path(attributes).name if attributes is not None else "the edge list"
    ties = ties_from_pairs(pairs, path, people["ids"], owner)
    return Organisation(ties=ties, name=path.stem, ties_origin="observed", **people)
