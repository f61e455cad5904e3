"""Writing results: Parquet tables, the manifest, figures; atomically.

Everything is written into a temporary folder next to the output folder and moved into place
only when complete, so an interrupted command never leaves a file that looks complete, and bad
input (checked before anything is written) leaves nothing at all.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

PACKAGES = ["esnsim", "mesa", "numpy", "scipy", "pandas", "pyarrow", "networkx", "pydantic"]


def versions() -> dict[str, str]:
    """Versions of Python and the packages that shape the results."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def now() -> str:
    """The current time, ISO 8601 in UTC."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def manifest(**fields) -> dict:
    """A run's manifest: versions, the command line, and whatever the caller adds."""
    return {"versions": versions(), "command": sys.argv, "platform": platform.platform(), **fields}


def write_atomically(out_dir: str | Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Write files into ``out_dir``: each ``writers[name](path)`` writes one file.

    The files are first written in a temporary folder beside ``out_dir`` and then renamed into
    it, each with one ``os.replace``; returns the final paths.
    """
    out_dir = Path(out_dir)
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=parent))
    try:
        for name, write in writers.items():
            write(staging / name)
        out_dir.mkdir(parents=True, exist_ok=True)
        final = []
        for name in writers:
            target = out_dir / name
            os.replace(staging / name, target)
            final.append(target)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_json(data: dict) -> Callable[[Path], None]:
    """A writer of ``data`` as indented JSON."""

    def write(path: Path) -> None:
        path.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")

    return write


def write_parquet(frame) -> Callable[[Path], None]:
    """A writer of a pandas DataFrame as Parquet (pyarrow, no index)."""

    def write(path: Path) -> None:
        frame.to_parquet(path, index=False, engine="pyarrow")

    return write


def write_figure(figure, dpi: int = 120) -> Callable[[Path], None]:
    """A writer of a matplotlib figure as PNG."""

    def write(path: Path) -> None:
        figure.savefig(path, dpi=dpi, bbox_inches="tight", format="png")

    return write
