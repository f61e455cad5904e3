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

#: Share 0-1 of manager-report pairs (with different levels) that must agree on the direction.
#: Assumption: an export's levels follow its reporting lines but for a few exceptions (a
#: specialist graded above their manager, a dotted line written as the solid one).
AGREEMENT = 0.9
#: A level: optional letters (L, Band, Grade, Level, E-), then an integer, then nothing else.
_LEVEL = re.compile(r"^\s*(?:[^\W\d_]+\.?[\s\-_]*)?(\d{1,5})\s*$")


def parse_levels(values: pd.Series, label: str | Path, column: str) -> np.ndarray:
    """The integers of ``3``, ``L8``, ``Band 3``, ``Grade 07`` (int64); "" is an error.

    Raises
    ------
    OrgDataError
        The first cell that is not a level, naming the file, line / row and column.
    """
    found = values.str.extract(_LEVEL, expand=False)
    bad = found.isna().to_numpy()
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
    return found.astype(np.int64).to_numpy()


def orient(
    level: np.ndarray, manager: np.ndarray, label: str | Path, column: str
) -> tuple[np.ndarray, str | None]:
    """Levels with 0 at the top, and a note when they were turned round or shifted.

    Parameters
    ----------
    level : ndarray of int
        The file's levels.
    manager : ndarray of int
        Manager index per person, -1 for a root.

    Raises
    ------
    OrgDataError
        Levels that contradict the reporting tree (neither direction holds in
        :data:`AGREEMENT` of the pairs), naming the counts.
    """
    level = np.asarray(level, dtype=np.int64)
    has = manager >= 0
    report, boss = level[has], level[manager[has]]
    down = int((boss < report).sum())  # the model's way: the manager nearer 0
    up = int((boss > report).sum())
    turned = False
    if up + down and up / (up + down) >= AGREEMENT:
        level = level.max() - level
        turned = True
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
    low = int(level.min()) if level.size else 0
    if low > 0:
        level = level - low
    if level.max(initial=0) > 32767:
        raise OrgDataError(located(label, "more than 32,768 levels", field=column))
    if turned:
        share = up / (up + down)
        return level, (
            f"{label}: {column}: levels rise towards the top of the reporting tree (the manager "
            f"higher in {share:.0%} of pairs): turned round, so the highest is level 0 (the top)"
        )
    if low > 0:
        return level, f"{label}: {column}: levels start at {low}: read as 0 (the top) upwards"
    return level, None
