"""Levels as exports write them, turned the way the model reads them (0 = top).

An export's level column may say ``3``, ``L8``, ``Band 3``, ``Grade 07`` or ``E-3``: the number
in it is read (:func:`parse_levels`). Its direction is then checked against the reporting tree
(:func:`orient`): in the model, level 0 is the top and a manager's level is below their
report's. When the file's levels rise towards the top (``L1`` the shop floor, ``L8`` the CEO),
in at least :data:`AGREEMENT` of the manager-report pairs whose levels differ, they are turned
round (the highest becomes 0) and one line says so; when they fall towards the top in as many
pairs they are kept, shifted so the top is 0; anything in between contradicts the tree and is
refused, never used upside down.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.base.errors import OrgDataError, located
from simulation.org import tree

#: Share 0-1 of manager-report pairs (with different levels) that must agree on the direction.
#: Assumption: an export's levels follow its reporting lines but for a few exceptions (a
#: specialist graded above their manager, a dotted line written as the solid one).
AGREEMENT = 0.9
#: A level: optional letters (L, Band, Grade, Level, E-), then an integer (``8.0`` too: a
#: column once held as numbers), then nothing else.
_LEVEL = re.compile(r"^\s*(?:[^\W\d_]+\.?[\s\-_]*)?(\d{1,5})(?:\.0+)?\s*$")


def parse_levels(values: pd.Series, label: str | Path, column: str) -> np.ndarray:
    """The integers of ``3``, ``8.0``, ``L8``, ``Band 3``, ``Grade 07`` (float64; NaN for an
    empty cell, filled from the tree by :func:`orient`).

    Raises
    ------
    OrgDataError
        The first cell that is not a level, naming the file, line / row and column.
    """
    found = values.str.extract(_LEVEL, expand=False)
    blank = (values == "").to_numpy()
    bad = found.isna().to_numpy() & ~blank
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise OrgDataError(
            located(
                label,
                f"not a level: {values.iloc[first]!r} (a number, or a word and a number such as "
                "L8 or Band 3; levels run either way and are turned so that the top is 0)",
                line=int(values.index[first]),
                field=column,
            )
        )
    return pd.to_numeric(found, errors="coerce").to_numpy(dtype=float)


def orient(
    level: np.ndarray, manager: np.ndarray, label: str | Path, column: str, lines=None
) -> tuple[np.ndarray, list[str]]:
    """Levels with 0 at the top, and notes when they were turned round, shifted or filled.

    Parameters
    ----------
    level : ndarray of float
        The file's levels, NaN where the cell is empty.
    manager : ndarray of int
        Manager index per person, -1 for a root.
    lines : ndarray of int, optional
        Each row's line / row number in the file, for the note on empty cells.

    Returns
    -------
    level : ndarray of int64
        0 at the top. Empty cells are filled from the tree (the manager's level + 1, 0 for a
        root); a column with one value for everyone (it says nothing about rank) or none at
        all gives the tree's depths, as a file without a level column does.
    notes : list of str

    Raises
    ------
    OrgDataError
        Levels that contradict the reporting tree (neither direction holds in
        :data:`AGREEMENT` of the pairs), naming the counts.
    """
    level = np.asarray(level, dtype=float)
    known = ~np.isnan(level)
    depth = tree.depths(manager)[0]
    values = np.unique(level[known])
    if values.size <= 1 and depth.max(initial=0) > 0:
        said = f"holds only {values[0]:g}" if values.size else "is empty"
        return depth.astype(np.int64), [
            f"{label}: {column}: the column {said}: levels computed from the reporting tree"
        ]
    has = (manager >= 0) & known
    has[has] = known[manager[has]]
    report, boss = level[has], level[manager[has]]
    down = int((boss < report).sum())  # the model's way: the manager nearer 0
    up = int((boss > report).sum())
    notes = []
    if up + down and up / (up + down) >= AGREEMENT:
        level = np.nanmax(level) - level
        notes.append(
            f"{label}: {column}: levels rise towards the top of the reporting tree (the manager "
            f"higher in {up / (up + down):.0%} of pairs): turned round, so the highest is level 0 "
            "(the top)"
        )
    elif up + down and down / (up + down) < AGREEMENT:
        raise OrgDataError(
            located(
                label,
                f"levels contradict the reporting tree: the manager's level is above the "
                f"report's in {down:,} pairs and below it in {up:,}; check the column, or map "
                "level to another one (without a level column, levels come from the tree)",
                field=column,
            )
        )
    low = int(np.nanmin(level))
    if low > 0:
        level = level - low
        if not notes:
            notes.append(f"{label}: {column}: levels start at {low}: read as 0 (the top) upwards")
    if not known.all():
        level = _fill(level, known, manager, depth)
        first = f" (line {int(lines[np.flatnonzero(~known)[0]])})" if lines is not None else ""
        notes.append(
            f"{label}: {column}: {int((~known).sum()):,} empty level(s){first} filled from the "
            "reporting tree: the manager's level + 1"
        )
    if level.max(initial=0) > 32767:
        raise OrgDataError(located(label, "more than 32,768 levels", field=column))
    return level.astype(np.int64), notes


def _fill(level: np.ndarray, known: np.ndarray, manager: np.ndarray, depth) -> np.ndarray:
    """Empty levels from the top down: a root's 0, anyone else's their manager's + 1."""
    level = level.copy()
    for step in np.unique(depth[~known]):  # a manager is filled before their reports
        rows = np.flatnonzero(~known & (depth == step))
        above = manager[rows]
        level[rows] = np.where(above >= 0, level[np.maximum(above, 0)] + 1, 0)
    return level
