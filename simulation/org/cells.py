"""Typed cells of an organisation table: booleans and integer levels, and the one-line error
naming the first bad cell (``file:line: column: problem 'cell'``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulation.base.errors import OrgDataError, located

#: Boolean words in English, German, French, Spanish, Italian and Dutch (compared lower case).
TRUE_WORDS = frozenset({"true", "yes", "1", "y", "ja", "j", "wahr", "oui", "vrai", "si", "sí",
                        "sì", "vero", "waar"})  # fmt: skip
FALSE_WORDS = frozenset({"false", "no", "0", "n", "nein", "falsch", "non", "faux", "falso",
                         "nee", "onwaar"})  # fmt: skip


def fail_at_first(path: str | Path, values: pd.Series, bad: np.ndarray, column: str, problem: str):
    """Raise :class:`OrgDataError` for the first ``bad`` cell: ``file:line: column: problem 'cell'``.

    ``values`` is indexed by file line numbers (as :func:`read_table` gives them).
    """
    first = np.flatnonzero(bad)[0]
    raise OrgDataError(
        located(
            path,
            problem.format(cell=repr(values.iloc[first])),
            line=int(values.index[first]),
            field=column,
        )
    )


def parse_bool(values: pd.Series, path: str | Path, column: str) -> np.ndarray:
    """Booleans from true/false, yes/no, 1/0, y/n (any case); an empty cell is False."""
    lowered = values.str.lower()
    truth = lowered.isin(TRUE_WORDS).to_numpy()
    bad = ~(truth | lowered.isin(FALSE_WORDS).to_numpy() | (lowered == "").to_numpy())
    if bad.any():
        fail_at_first(
            path,
            values,
            bad,
            column,
            "not a boolean: {cell} (use true/false, yes/no, 1/0, y/n, ja/nein or oui/non)",
        )
    return truth


def parse_levels(values: pd.Series, path: str | Path, column: str) -> np.ndarray:
    """Non-negative integer levels (0 = top) as int16."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(numbers) | (numbers < 0) | (numbers != np.round(numbers)) | (numbers > 32767)
    if bad.any():
        fail_at_first(path, values, bad, column, "not a level (an integer >= 0): {cell}")
    return numbers.astype(np.int16)
