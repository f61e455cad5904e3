"""HR exports written line by line in tests, and read with the notes said while reading."""

from __future__ import annotations

import warnings
from pathlib import Path

from simulation.org import Organisation


def write(tmp_path: Path, lines: list[str], name: str = "hr.csv", encoding: str = "utf-8") -> Path:
    """``lines`` as a file ``name`` in ``tmp_path`` (one line each, a final newline)."""
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def read(path: Path, **options) -> tuple[Organisation, list[str]]:
    """The organisation and the notes said while reading it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        org = Organisation.from_hr_csv(path, **options)
    return org, [str(w.message) for w in caught]
