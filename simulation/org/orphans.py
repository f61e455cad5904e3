"""Reporting lines as exports write them: root markers, managers outside the file, skip-levels.

- **Root markers.** The top of a tree has no manager, which exports write as an empty cell,
  ``NO_MANAGER``, ``0``, ``N/A``, ``none``, ``-`` or the person's own id. Each of
  :data:`ROOT_MARKERS` (case-insensitive) and each ``--root-marker`` is read as "no manager",
  unless it is an employee id of the file (then it is that person).
- **Managers outside the file** (another legal entity, a partial export) are listed all at once
  with their count; ``--orphans roots`` makes the people under them roots of their own trees,
  ``--orphans drop`` leaves them and their teams out, ``--orphans error`` (the default) refuses.
- **Skip-level.** When ``--where`` leaves a manager out (someone who left), the people under
  them report to their nearest kept manager above; the count is said in one line.

:func:`reporting_lines` returns the kept rows' manager ids rewritten accordingly, for
:func:`simulation.org.table.reporting_tree`, and the notes to show.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulation.base.errors import OrgDataError, located
from simulation.org.idmatch import match_managers, unlike_ids

#: Values of a manager cell that mean "no manager" (compared in lower case).
ROOT_MARKERS = ("", "no_manager", "no manager", "none", "null", "n/a", "na", "-", "0", "#n/a")
#: What to do with people whose manager is not in the file.
ORPHANS = ("error", "roots", "drop")
#: Rows listed in the message about managers outside the file.
SHOWN = 5


def check_orphans(value: str | None, where: str = "--orphans") -> str:
    """``error`` (default), ``roots`` or ``drop``."""
    if value is None:
        return "error"
    if value not in ORPHANS:
        raise OrgDataError(f"{where}: expected one of {', '.join(ORPHANS)}, got {value!r}")
    return value


def _up_to_kept(manager: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """For everyone, the nearest kept person at or above them (-1 past a root, -2 outside).

    Pointer doubling: a left-out person points to their manager, a kept one to themselves.
    """
    pointer = np.where(kept, np.arange(manager.size), manager)
    for _ in range(max(manager.size, 1).bit_length() + 1):
        inside = pointer >= 0
        step = pointer.copy()
        step[inside] = pointer[pointer[inside]]
        if np.array_equal(step, pointer):
            break
        pointer = step
    # a cycle of left-out people leads nowhere: their reports become roots
    stuck = pointer >= 0
    stuck[stuck] = ~kept[pointer[stuck]]
    pointer[stuck] = -1
    return pointer


def reporting_lines(
    frame: pd.DataFrame,
    label: str | Path,
    id_column: str,
    manager_column: str,
    kept: np.ndarray,
    markers: tuple[str, ...] = (),
    orphans: str = "error",
) -> tuple[np.ndarray, pd.Series, list[str]]:
    """Which rows stay and their managers' ids, root markers and skip-levels resolved.

    Parameters
    ----------
    frame : the whole table (before ``--where``), index = file line / row numbers.
    label : the file (and sheet) for messages.
    id_column, manager_column : the headers of employee and manager ids.
    kept : bool mask of the rows ``--where`` keeps.
    markers : extra root markers (``--root-marker``).
    orphans : ``error``, ``roots`` or ``drop``.

    Returns
    -------
    keep : ndarray of bool
        The rows of the organisation (``kept``, less any dropped orphans).
    managers : Series of str
        Manager id of each row of ``frame[keep]`` ("" for a root).
    notes : list of str
        One line each: markers read, people re-attached, orphans made roots or dropped.
    """
    ids = frame[id_column].to_numpy(dtype=str)
    raw = frame[manager_column].to_numpy(dtype=str)
    notes: list[str] = []
    id_set = set(ids.tolist())
    for marker in markers:
        if marker in id_set:
            raise OrgDataError(
                f"{label}: --root-marker {marker!r} is an employee id of this file "
                f"(column {id_column}), not a marker"
            )
        if not (np.char.lower(raw) == marker.lower()).any():
            raise OrgDataError(
                f"{label}: --root-marker {marker!r}: no row of column {manager_column} holds it"
            )
    lowered = np.char.lower(raw)
    wanted = {m.lower() for m in (*ROOT_MARKERS, *markers)}
    named = ids[ids != ""]  # a left-out row without an id is nobody's manager
    marked = np.isin(lowered, list(wanted)) & ~np.isin(raw, named)
    marked |= raw == ids  # managing yourself: the top of a tree
    shown = sorted({str(v) for v in raw[marked & (raw != "")]})
    if shown:
        count = int((marked & (raw != "")).sum())
        notes.append(
            f"{label}: {count:,} manager cell(s) read as 'no manager' "
            f"({', '.join(repr(v) for v in shown[:4])}): the top of a tree"
        )
    pending = ~marked & ~np.isin(raw, named)
    if pending.any():  # 1000.0, 001000 or E1000 for the id 1000 / e1000
        raw, note = match_managers(ids, raw, pending, label, manager_column)
        notes += [note] if note else []
    position = _positions(ids, kept, raw)
    manager = np.where(marked, -1, np.where(position >= 0, position, -2)).astype(np.int64)
    target = _up_to_kept(manager, kept)
    # who, among the kept, reports outside the file (directly or through left-out managers)
    manager_kept = np.where(manager >= 0, target[np.maximum(manager, 0)], manager)
    outside = kept & (manager_kept == -2)
    keep = kept.copy()
    lines = frame.index.to_numpy()
    if outside.any():
        rows = np.flatnonzero(outside)
        unit = "row" if str(label).endswith("]") else "line"  # a workbook's rows
        first = "; ".join(
            f"{unit} {lines[r]}: {str(raw[r])!r}" + ("" if manager[r] == -2 else " (left out)")
            for r in rows[:SHOWN]
        )
        more = f"; and {rows.size - SHOWN:,} more" if rows.size > SHOWN else ""
        count = f"{rows.size:,} {'person reports' if rows.size == 1 else 'people report'}"
        distinct = len(set(raw[rows].tolist()))
        managers = "a manager" if distinct == 1 else f"{distinct:,} managers"
        unlike = unlike_ids(ids, raw, outside, kept & ~marked)
        everyone = not (keep & ~outside & (manager_kept >= 0)).any()
        if unlike and (orphans == "error" or everyone):
            # not a few managers in another entity: the column holds something else
            value, some_id, missing, total = unlike
            flat = (
                f" (--orphans {orphans} would leave no reporting line)"
                if everyone and orphans != "error"
                else ""
            )
            raise OrgDataError(
                located(
                    label,
                    f"does not look like employee ids: {missing:,} of the {total:,} managers "
                    "named are no employee id of this file, even with '.0' dropped, leading "
                    f"zeros stripped and case folded (e.g. manager {value!r}; ids are like "
                    f"{some_id!r}){flat}: map manager_id to the column of the managers' "
                    "employee ids (--columns manager_id=HEADER)",
                    line=int(lines[rows[0]]),
                    field=manager_column,
                )
            )
        if unlike:
            notes.append(
                f"{label}: {manager_column}: WARNING: {unlike[2]:,} of the {unlike[3]:,} "
                "managers named are no employee id of this file: check that this column holds "
                "the managers' employee ids"
            )
        if orphans == "error":
            raise OrgDataError(
                located(
                    label,
                    f"{count} to {managers} not in this file ({first}{more}): add --orphans "
                    "roots (they head their own trees), --orphans drop (leave them and their "
                    "teams out), or --root-marker VALUE if that value means 'no manager'",
                    line=int(lines[rows[0]]),
                    field=manager_column,
                )
            )
        if orphans == "roots":
            manager_kept[outside] = -1
            notes.append(
                f"{label}: {count} to a manager not in this file: made roots (--orphans) "
                f"({first}{more})"
            )
        else:
            gone = _team_of(manager_kept, outside)
            keep &= ~gone
            if not keep.any():
                raise OrgDataError(
                    located(
                        label,
                        f"--orphans drop left nobody: all {int(kept.sum()):,} people report, "
                        f"directly or through their managers, to {managers} not in this file "
                        f"({first}{more}); use --orphans roots, or export the top of the tree",
                        field=manager_column,
                    )
                )
            notes.append(
                f"{label}: {count} to a manager not in this file: left out with their teams, "
                f"{int(gone.sum()):,} people (--orphans drop)"
            )
    skipped = keep & (manager >= 0) & ~kept[np.maximum(manager, 0)] & (manager_kept >= 0)
    if skipped.any():
        count = int(skipped.sum())
        who = (
            "person whose manager is left out by --where now reports"
            if count == 1
            else ("people whose manager is left out by --where now report")
        )
        notes.append(f"{label}: {count:,} {who} to the nearest kept manager above (skip-level)")
    ids_out = np.where(manager_kept >= 0, ids[np.maximum(manager_kept, 0)], "")
    managers = pd.Series(ids_out[keep], index=frame.index[keep], dtype=str)
    return keep, managers, notes


def _positions(ids: np.ndarray, kept: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Row of each ``wanted`` id (-1 when none), the kept row first.

    Rows ``--where`` leaves out are not checked for repeated ids (a rehire's old record keeps
    the id), so an id may stand on several rows: the kept one is the person, else the first.
    """
    order = np.concatenate([np.flatnonzero(kept), np.flatnonzero(~kept)])
    order = order[ids[order] != ""]
    index = pd.Index(ids[order])
    first = ~index.duplicated(keep="first")
    found = index[first].get_indexer(wanted)
    return np.where(found >= 0, order[first][np.maximum(found, 0)], -1)


def _team_of(manager: np.ndarray, heads: np.ndarray) -> np.ndarray:
    """``heads`` and everyone under them (manager = -1 / -2 for the top)."""
    inside = heads.copy()
    for _ in range(manager.size + 1):  # one level of the tree per round
        above = np.where(manager >= 0, inside[np.maximum(manager, 0)], False)
        grown = inside | above
        if np.array_equal(grown, inside):
            break
        inside = grown
    return inside
