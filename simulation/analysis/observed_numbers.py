"""Numbers of an observed file as spreadsheets write them, one parser for every reader.

A cell may hold

- a plain number (``1150``, ``0.25``, ``1e-3``), surrounding spaces ignored;
- thousands separators: ``1,150`` (in a comma-separated file, quoted: ``"1,150"``), ``1 150``
  or ``1'150`` (one separator throughout); in a file that uses decimal commas
  (:func:`uses_decimal_comma`: ``0,25``) ``1.150`` and ``1.150,5``;
- a percentage, ``12%`` or ``12 %``, in a column of shares only: 0.12. In a column of counts a
  percent sign is an error (a share cannot be turned back into people without the head-count).

Anything else (a word, ``nan``, ``inf``, ``1,15`` in a decimal-point file) is an error naming
the cell.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_PLAIN = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
#: thousands written with one separator throughout: a comma, a space (a no-break or narrow one
#: too), an apostrophe (Swiss 1'150) or its typographic form
_SPACES = " \u00a0\u202f'\u2019"
_GROUPED_POINT = re.compile(
    rf"^[+-]?\d{{1,3}}([,{_SPACES}])\d{{3}}(?:\1\d{{3}})*(?:\.\d+)?$"
)  # 1,150.5
_GROUPED_COMMA = re.compile(
    rf"^[+-]?\d{{1,3}}([.{_SPACES}])\d{{3}}(?:\1\d{{3}})*(?:,\d+)?$"
)  # 1.150,5
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")  # 0,25 or 1150,5
#: a cell that can only be a number with a decimal comma: 0,25 or 12,5 (not 1,150: thousands)
_SURELY_COMMA = re.compile(r"^[+-]?(?:0,\d+|\d+,\d{1,2}|\d+,\d{4,}|\d{1,3}(?:\.\d{3})+,\d+)\s*%?$")


class NotANumber(ValueError):
    """A cell that is not a number of its column; the message says why, for the error line."""


def uses_decimal_comma(cells, delimiter: str | None) -> bool:
    """Whether a file's numbers use decimal commas: only a file not separated by commas can,
    and one cell that can be nothing else (``0,25``, ``12,5``, ``1.150,5``) decides."""
    if delimiter in (None, ","):
        return False
    return any(_SURELY_COMMA.match(cell) for cell in cells if "," in cell)


def number(text: str, decimal_comma: bool = False, share: bool = False) -> float:
    """One cell as a number (module docstring).

    Parameters
    ----------
    decimal_comma : bool
        The file writes ``0,25`` for a quarter (and ``1.150`` for 1150).
    share : bool
        The column holds shares 0-1: a percentage is read (``12%`` = 0.12).

    Raises
    ------
    NotANumber
        Its message is the problem, for the error line.
    """
    cell = text.strip()
    if not cell:
        raise NotANumber("missing value")
    percent = cell.endswith("%")
    if percent:
        if not share:
            problem = (
                f"a percentage ({cell[:40]!r}) in a column of counts of people: give the counts"
            )
            raise NotANumber(problem)
        cell = cell[:-1].rstrip()
    if decimal_comma and (_GROUPED_COMMA.match(cell) or _DECIMAL_COMMA.match(cell)):
        cell = re.sub(rf"[.{_SPACES}]", "", cell).replace(",", ".")
    elif not decimal_comma and _GROUPED_POINT.match(cell):
        cell = re.sub(rf"[,{_SPACES}]", "", cell)
    if not _PLAIN.match(cell):
        raise NotANumber(f"not a number: {text[:40]!r}")
    value = float(cell)
    if not np.isfinite(value):
        raise NotANumber(f"not a number: {text[:40]!r}")
    return value / 100 if percent else value


def numbers(cells: pd.Series, decimal_comma: bool = False, share: bool = False):
    """A column's numbers, and the position of its first bad cell with the problem (or None).

    Plain numbers are read at once (a per-user export has millions); only the others go through
    :func:`number`.

    Returns
    -------
    values : float array
        NaN where a cell is bad.
    bad : list of (int, str)
        Position and problem of each bad cell, in the column's order.
    """
    values = np.full(len(cells), np.nan)
    texts = cells.astype(str).to_numpy()
    if not decimal_comma:  # a decimal-comma file's 1.150 is 1150: nothing is plain there
        numeric = pd.to_numeric(cells, errors="coerce")
        values = numeric.to_numpy(np.float64, na_value=np.nan, copy=True)  # filled in below
    bad = []
    for k in np.flatnonzero(~np.isfinite(values)):
        try:
            values[k] = number(texts[k], decimal_comma, share)
        except NotANumber as error:
            bad.append((int(k), str(error)))
    return values, bad
