"""An organisation from an HR export: one row per employee, with their manager.

Required columns ``employee_id`` and ``manager_id`` (empty for the top of the tree); optional
``department``, ``site``, ``frontline`` (true/false, yes/no, 1/0, y/n in any case; empty means
false) and ``level`` (integer, 0 = top; computed from the tree when absent). Any other column is
kept, as strings, in ``Organisation.attributes``. ``columns`` maps our names to other headers.

Every problem is an :class:`~simulation.base.errors.OrgDataError` with a one-line message naming the
file and the line (header = line 1) or the column.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from simulation.base.errors import OrgDataError
from simulation.org.edgelist import read_pairs, ties_from_pairs
from simulation.org.model import Organisation
from simulation.org.table import people_from_table, read_table, resolve_columns
from simulation.org.ties import build_informal_ties, check_tie_options, tie_rng

OPTIONAL = ("department", "site", "frontline", "level")
#: Optional columns worth a warning when a column mapping leaves them out.
WORTH_MAPPING = ("department", "site", "frontline")
#: Words in an export's headers that suggest our required columns (for the --columns example).
_HEADER_WORDS = {
    "manager_id": ("manager", "supervisor", "boss", "reports", "line"),
    "employee_id": ("worker", "employee", "person", "staff", "personnel", "id"),
}


class OrgDataWarning(UserWarning):
    """An HR export was read, but part of what it could say was not found."""


def columns_hint(headers: list[str]) -> str:
    """``; map headers with --columns "employee_id=Worker ID,manager_id=Manager ID"``: an
    example built from the file's own headers where they suggest our names."""
    guesses: dict[str, str] = {}
    for name, words in _HEADER_WORDS.items():
        for header in headers:
            lower = header.lower()
            if header not in guesses.values() and any(w in lower for w in words):
                guesses[name] = header
                break
    example = ",".join(f"{n}={guesses.get(n, 'HEADER')}" for n in ("employee_id", "manager_id"))
    return (
        f'; map headers with --columns "{example}" (also department, site, frontline, level; '
        "in a scenario: organisation: {hr_csv: FILE, columns: {employee_id: HEADER}})"
    )


def from_hr_csv(
    path: str | Path,
    columns: dict[str, str] | None = None,
    ties: str | Path | None = None,
    seed: int = 0,
    **tie_options: float,
) -> Organisation:
    """Read an HR export.

    Parameters
    ----------
    path : path
        The CSV (UTF-8 with or without BOM; comma or semicolon, sniffed from the header).
    columns : dict, optional
        Our names -> the export's headers, e.g. ``{"employee_id": "Worker_ID"}``. Names not
        mapped are looked up as themselves, case-insensitively.
    ties : path, optional
        An edge list (see :func:`simulation.org.edgelist.from_edgelist`) keyed by employee_id.
        Without it, informal ties are generated on top of the real reporting tree.
    seed : int
        Seed of the generated ties (>= 0). The same file and seed give the same ties, and a
        generated organisation written with :func:`simulation.org.inspect.to_hr_csv` is read
        back identically with its seed.
    **tie_options
        Options of :func:`simulation.org.ties.build_informal_ties` for generated ties.

    Returns
    -------
    Organisation
        Rows in file order; department and site names sorted ("unknown" when absent or empty).

    Raises
    ------
    OrgDataError
        Empty file, a missing required column, a duplicate id, an unknown manager, a reporting
        cycle, no root, a bad boolean or level, or a bad ties file.
    """
    path = Path(path)
    frame = read_table(path)
    found = resolve_columns(
        frame,
        path,
        ("employee_id", "manager_id"),
        OPTIONAL,
        columns,
        hint=columns_hint(list(frame.columns)),
    )
    missing = [name for name in WORTH_MAPPING if name not in found]
    if columns and missing:
        warnings.warn(
            OrgDataWarning(
                f"{path}: no {', '.join(missing)} column found (map with --columns "
                f"{','.join(f'{m}=HEADER' for m in missing)}); "
                f"{'everyone counts as not frontline' if 'frontline' in missing else ''}".rstrip(
                    "; "
                )
            ),
            stacklevel=2,
        )
    people = people_from_table(frame, path, found)
    if ties is None:
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise OrgDataError(f"seed: must be an integer >= 0, got {seed!r}")
        matrix = build_informal_ties(
            people["manager"],
            people["department"],
            people["site"],
            tie_rng(int(seed)),
            **check_tie_options(tie_options),
        )
    else:
        if tie_options:
            raise OrgDataError(
                f"{sorted(tie_options)[0]}: tie options apply to generated ties, not a ties file"
            )
        ties = Path(ties)
        matrix = ties_from_pairs(read_pairs(ties), ties, people["ids"], "the HR file")
    return Organisation(ties=matrix, name=path.stem, source=path, **people)
