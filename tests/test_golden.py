"""The golden record holds: every recorded output recomputed and equal.

``tests/golden/record.py`` recorded every shipped scenario's daily and summary tables, one
comparison's ``compare.parquet`` and ``pockets.parquet``, and ``validate --quick``'s
``validation.parquet``. Refactoring must leave every recorded value equal: integers, strings and
booleans exactly, floats to 1e-12 (relative to the value's size, at least 1e-12 absolute), NaN
where NaN was recorded. Columns and rows added since the record are allowed; a recorded row or
column that disappears fails.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.analysis import long_ebb

HERE = Path(__file__).resolve().parent / "golden"
_spec = importlib.util.spec_from_file_location("golden_record", HERE / "record.py")
record = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(record)

TOLERANCE = 1e-12

pytestmark = pytest.mark.slow


def recorded(name: str) -> pd.DataFrame:
    return pd.read_parquet(HERE / f"{name}.parquet")


def _keyed(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    for key in keys:
        # nullable keys (the day of a per-run statistic, the reference of a non-difference)
        frame[key] = frame[key].astype(object).where(frame[key].notna(), "<none>").astype(str)
    return frame.set_index(keys)


def assert_same(name: str, now: pd.DataFrame, skip=None) -> None:
    """Every recorded row and column of table ``name`` is in ``now`` with an equal value
    (but the recorded rows ``skip(table)`` marks, when given)."""
    keys = record.KEYS[name]
    table = recorded(name)
    if skip is not None:
        table = table[~skip(table)]
    old = _keyed(table, keys)
    new = _keyed(now, keys)
    assert old.index.is_unique and new.index.is_unique, f"{name}: rows not unique by {keys}"
    missing_columns = [c for c in old.columns if c not in new.columns]
    assert not missing_columns, f"{name}: columns gone: {missing_columns}"
    missing_rows = old.index.difference(new.index)
    assert len(missing_rows) == 0, f"{name}: rows gone, e.g. {list(missing_rows[:3])}"
    new = new.loc[old.index]
    for column in old.columns:
        a, b = old[column], new[column]
        if pd.api.types.is_float_dtype(a):
            x = a.to_numpy(np.float64)
            y = b.to_numpy(np.float64)
            both_nan = np.isnan(x) & np.isnan(y)
            close = np.abs(x - y) <= TOLERANCE * np.maximum(1.0, np.abs(x))
            bad = ~(both_nan | close)
        else:
            bad = ~((a.astype(object) == b.astype(object)) | (a.isna() & b.isna())).to_numpy()
        if bad.any():
            first = old.index[np.flatnonzero(bad)[0]]
            raise AssertionError(
                f"{name}.{column}: {int(bad.sum())} of {len(bad)} values differ, first at "
                f"{dict(zip(keys, first if isinstance(first, tuple) else (first,), strict=True))}"
                f": recorded {a.loc[first]!r}, now {b.loc[first]!r}"
            )


def test_every_shipped_scenario_is_recorded_and_every_recorded_one_shipped():
    """A scenario added to scenarios/ is recorded with it (``record.py``'s ``runs`` of that file,
    appended), so the record keeps covering every shipped scenario."""
    files = set(recorded("runs_summary")["file"])
    shipped = set(record.scenario_files())
    assert files <= shipped, f"recorded but no longer shipped: {sorted(files - shipped)}"
    assert shipped <= files, f"shipped but not in the golden record: {sorted(shipped - files)}"


def test_runs_daily_and_summary_hold():
    from simulation import datasets

    if datasets.find("email_eu_core") is None:  # two recorded runs are on the real network
        pytest.skip("the email_eu_core files are not here: set ESNSIM_DATA (see tests/conftest.py)")
    cases = recorded("runs_summary")[["file", "org"]].drop_duplicates()
    daily, summary = record.runs(list(cases.itertuples(index=False, name=None)))
    assert_same("runs_daily", daily)
    assert_same("runs_summary", summary)


def test_comparison_holds():
    statistics, pockets = record.comparison()
    assert_same("compare", statistics)
    assert_same("pockets", pockets)


def test_validation_holds():
    now = record.validation()
    without_data = long_ebb.data_file() is None
    # the long-ebb patterns read the NHS-R Community's export at run time: without it they are
    # skipped, and the recorded rows are checked without them
    assert_same(
        "validation",
        now,
        skip=(lambda r: r["pattern"].str.startswith("long ebb")) if without_data else None,
    )


def test_the_comparison_detects_a_change():
    """The check is not vacuous: a value off by 1e-9 fails."""
    table = recorded("validation")
    table.loc[0, "simulated_mean"] += 1e-9
    with pytest.raises(AssertionError, match="simulated_mean"):
        assert_same("validation", table)
