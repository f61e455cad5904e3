"""Manager ids written otherwise than the employee ids they name.

HR systems and spreadsheets write the same id in several ways within one export: ``1000.0``
for ``1000`` (a column Excel or pandas once held as numbers), ``001000`` for ``1000`` (a
padded personnel number beside an unpadded reference), ``E1000`` for ``e1000`` or
``First.Last@Firma.De`` for ``first.last@firma.de`` (an e-mail typed by hand). When manager
values do not match any id as written, :func:`match_managers` tries the normalisations of
:data:`STEPS` (on ids and managers alike) and takes the fewest that match them, saying so in
one note; ids that a normalisation would merge are never matched through it.

:func:`whole_number` is also how a workbook's numeric cells become text
(:mod:`simulation.org.workbook`), so that ids typed as numbers read the same in both.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd

#: A whole number written with a decimal point: ``1000.0``, ``-3.00``.
WHOLE = re.compile(r"^([+-]?\d+)\.0+$")
#: Leading zeros of a number (``001000``), not the last digit of ``0``.
LEADING_ZEROS = r"^0+(?=\d)"


def whole_number(value: object) -> str | None:
    """``"1000"`` for ``1000.0`` or ``"1000.0"``; None for anything else."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else None
    found = WHOLE.match(str(value))
    return found.group(1) if found else None


def _drop_point_zero(values: pd.Series) -> pd.Series:
    return values.str.replace(WHOLE, r"\1", regex=True)


def _strip_zeros(values: pd.Series) -> pd.Series:
    return values.str.replace(LEADING_ZEROS, "", regex=True)


def _fold_case(values: pd.Series) -> pd.Series:
    return values.str.casefold()


#: The normalisations tried, as the note names them.
STEPS = (
    ("a trailing '.0' dropped", _drop_point_zero),
    ("leading zeros stripped", _strip_zeros),
    ("case folded", _fold_case),
)


def match_managers(
    ids: np.ndarray, raw: np.ndarray, pending: np.ndarray, label: str | Path, column: str
) -> tuple[np.ndarray, str | None]:
    """Manager values rewritten as the employee ids they name once normalised.

    Parameters
    ----------
    ids : ndarray of str
        Every row's employee id ("" for none).
    raw : ndarray of str
        Every row's manager value.
    pending : ndarray of bool
        Rows whose manager value is neither a root marker nor an id as written.
    label, column : the file (and sheet) and the manager column's header, for the note.

    Returns
    -------
    managers : ndarray of str
        ``raw`` with the values matched replaced by the ids they match.
    note : str or None
        One line naming the normalisation and an example; None when nothing was matched.
    """
    values = pd.Series(pd.unique(raw[pending]), dtype=str)
    if values.empty:
        return raw, None
    named = pd.Series(pd.unique(ids[ids != ""]), dtype=str)
    best: tuple[int, tuple, dict] = (0, (), {})
    # the fewest normalisations that match the most values: a single one before any pair
    for size in range(1, len(STEPS) + 1):
        for combo in itertools.combinations(STEPS, size):
            keys, wanted = named, values
            for _, step in combo:
                keys, wanted = step(keys), step(wanted)
            unique = ~keys.duplicated(keep=False)  # ids one normalisation would merge
            lookup = pd.Series(named[unique].to_numpy(), index=keys[unique].to_numpy())
            hit = wanted.isin(lookup.index).to_numpy()
            if hit.sum() > best[0]:
                matched = dict(zip(values[hit], lookup[wanted[hit]].to_numpy(), strict=True))
                best = (int(hit.sum()), combo, matched)
        if best[0] == len(values):
            break
    count, combo, matched = best
    if not count:
        return raw, None
    managers = raw.astype(object)  # a fixed-width str array would cut longer ids short
    rewrite = pending & np.isin(raw, list(matched))
    managers[rewrite] = [matched[v] for v in raw[rewrite]]
    managers = managers.astype(str)
    example = next(iter(matched.items()))
    how = " and ".join(what for what, _ in combo)
    return managers, (
        f"{label}: {column}: {int(rewrite.sum()):,} manager cell(s) match employee ids only with "
        f"{how} (e.g. manager {example[0]!r} is employee {example[1]!r}): matched so"
    )


def unlike_ids(
    ids: np.ndarray, raw: np.ndarray, outside: np.ndarray, named: np.ndarray
) -> tuple[str, str, int, int] | None:
    """An example pair (manager value, an id) when most managers named are not ids.

    Parameters
    ----------
    ids, raw : every row's employee id and manager value.
    outside : bool mask of rows whose manager is not in the file.
    named : bool mask of rows naming a manager (not a root marker).

    Returns
    -------
    tuple or None
        ``(manager value, an employee id, managers missing, managers named)`` when more than
        half of the distinct managers named are missing: the column then holds something other
        than employee ids (names, e-mails, another numbering), not a few outside managers.
    """
    missing = pd.unique(raw[outside])
    total = pd.unique(raw[named])
    if not missing.size or 2 * missing.size <= total.size:
        return None
    some_id = next((i for i in ids if i != ""), "")
    return str(missing[0]), str(some_id), int(missing.size), int(total.size)
