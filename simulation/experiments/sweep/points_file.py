"""A ``list`` design's points: a CSV with one column per parameter path, one row per point.

The file is read as text by the organisation files' reader
(:func:`simulation.org.table.read_table`: bounded, UTF-8 or UTF-16, comma, semicolon or tab,
each row numbered by its line), and every cell is parsed here, so that a bad cell is one line
naming the CSV, its line and the column (``points.csv:3: adoption.q: not a number: 'abc'``)
instead of a traceback:

- a range's column holds numbers (``empty cell``, ``not a number``; a whole-number field's,
  ``not a whole number``) inside the range the sweep file declares for it (a point outside the
  declared ``low``..``high`` is refused: the range is the SALib problem's bounds the analyses
  read; a parameter given as ``{}`` takes its bounds from the file);
- a list's column holds one of its ``values`` (text as written, true/false in any case,
  numbers by value);
- each value must be one the field accepts
  (:func:`~simulation.experiments.sweep.paths.check_value`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.base.errors import OrgDataError, SweepError, located
from simulation.experiments.sweep.size import check_size
from simulation.org.table import MAX_FILE_BYTES, read_table

_NO_MATCH = object()


def list_design(spec, axes: list, problem: dict):
    """The :class:`~simulation.experiments.sweep.design.Design` of the points in
    ``spec.design.file`` (``axes``: the parameters' :class:`~simulation.experiments.sweep.design.Axis`;
    ``problem``: the SALib problem, whose bounds of a parameter without a range are set here)."""
    from simulation.experiments.sweep import paths
    from simulation.experiments.sweep.design import Design

    path = spec.confine(spec.design.file, "design", "file")  # refused before it is opened
    shown = spec.base_dir / spec.design.file  # the CSV as the user names it, in messages
    where = f"{spec.at('design', 'file')}: design.file ({Path(spec.design.file).name})"
    if not path.is_file():
        reason = "not a regular file" if path.exists() else "no such file"
        raise SweepError(f"{where}: cannot read a CSV of points ({reason})")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise SweepError(
            f"{where}: larger than {MAX_FILE_BYTES:,} bytes (the limit of a CSV of points)"
        )
    try:
        table = read_table(path)
    except OrgDataError as error:
        message = str(error).replace(str(path), str(shown), 1)
        # the organisation readers' advice on --encoding: a sweep has no such option
        raise SweepError(message.split(", or name its encoding with --encoding")[0]) from None
    check_size(spec, len(table))
    missing = [a.name for a in axes if a.name not in table.columns]
    extra = [c for c in table.columns if c not in problem["names"] and c != "point"]
    if missing or extra:
        text = f"no column {missing[0]!r}" if missing else f"unknown column {extra[0][:40]!r}"
        raise SweepError(located(shown, f"{text} (one column per parameter path)", line=1))
    base = spec.base_mapping()
    unit = np.zeros((len(table), len(axes)))
    columns = {"point": np.arange(len(table), dtype=np.int64)}
    for k, axis in enumerate(axes):
        s, cells = axis.spec, table[axis.name]
        values, checked = [], set()
        for line, cell in cells.items():
            try:
                value = _category(cell, s.values) if s.categorical else _number(cell, s, spec)
                if repr(value) not in checked:  # each distinct value once (0.15 ms each)
                    reason = paths.value_problem(base, axis.name, value)
                    if reason is not None:
                        raise ValueError(f"{value!r} is not a valid value ({reason})")
                    checked.add(repr(value))
            except ValueError as error:
                raise SweepError(located(shown, str(error), line=line, field=axis.name)) from None
            values.append(value)
        if s.categorical:
            unit[:, k] = [s.values.index(v) + 0.5 for v in values]
        else:
            unit[:, k] = np.log10(values) if s.log else values
            if not s.ranged:
                problem["bounds"][k] = [float(unit[:, k].min()), float(unit[:, k].max())]
        columns[axis.name] = values
    return Design(
        "list", problem["names"], pd.DataFrame(columns), unit, problem, {}, spec.replicates
    )


def _number(cell: str, parameter, spec) -> int | float:
    """The number in ``cell`` for a range's column; ValueError saying what is wrong with it."""
    if cell == "":
        raise ValueError("empty cell (a number is needed)")
    try:
        value = float(cell)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"not a number: {cell[:40]!r}")
    if parameter.integer:
        if not value.is_integer():
            raise ValueError(f"not a whole number: {cell[:40]!r}")
        value = int(value)
    low, high = parameter.low, parameter.high
    if (low is not None and value < low) or (high is not None and value > high):
        declared = f"{'' if low is None else f'{low:g}'}..{'' if high is None else f'{high:g}'}"
        raise ValueError(
            f"{value:g} is outside the range the sweep file declares for it ({declared}); "
            f"widen its low..high, or give it as {{}} to take the file's values"
        )
    if parameter.log and value <= 0:
        raise ValueError(f"{value:g}: a log parameter's values must be > 0")
    return value


def _category(cell: str, values: list) -> Any:
    """The one of ``values`` that ``cell`` is: text as written, true/false in any case, a number
    by value; ValueError when none."""
    if cell == "" and None not in values:
        raise ValueError(f"empty cell (one of {_listed(values)} is needed)")
    for value in values:
        if _same(cell, value):
            return value
    raise ValueError(f"{cell[:40]!r} is not one of its values ({_listed(values)})")


def _same(cell: str, value: Any) -> bool:
    if value is None:
        return cell == ""
    if isinstance(value, bool):
        return cell.lower() == str(value).lower()
    if isinstance(value, int | float):
        try:
            return float(cell) == value
        except ValueError:
            return False
    return cell == value


def _listed(values: list) -> str:
    text = ", ".join(map(str, values))
    return text if len(text) <= 80 else text[:77] + "..."
