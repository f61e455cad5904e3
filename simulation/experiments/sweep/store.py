"""The sweep's store: a folder of completed chunks, written atomically.

``DIR/runs/``
    A Parquet dataset (pyarrow): one file ``chunk-NNNNNN.parquet`` per completed chunk, with the
    columns ``run`` (the run's index in the design), ``point``, ``replicate``, ``seed``, one
    column per parameter (named by its path) and the chosen outcomes.
``DIR/daily/``
    Optional: the requested daily columns at the requested days, ``run``, ``point``, ``day``,
    one file per chunk, written before the chunk's ``runs/`` file.
``DIR/design.parquet``
    The design's points (``point`` and one column per parameter) and ``DIR/design_unit.npy``
    the sampler's numbers (what SALib's analyses take as ``X``).
``DIR/sweep.json``
    The resolved sweep, the versions, the SALib problem, the chunking and the progress.
``DIR/errors/chunk-NNNNNN.json``
    A chunk that failed: its error (removed once the chunk completes).

Every file is written under a temporary name starting with ``.``, flushed to disk (fsync) and
renamed into place (``os.replace``), so a file with its final name is always complete; readers
(pyarrow ignores names starting with ``.`` or ``_``) never see a half-written chunk. A chunk's
``runs/`` file is its completion mark: a killed sweep loses at most the chunks in flight.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

_CHUNK = re.compile(r"^chunk-(\d{6,})\.parquet$")


def chunk_name(index: int) -> str:
    return f"chunk-{index:06d}.parquet"


def write_file(path: Path, write) -> None:
    """``write(tmp)`` into a hidden temporary file beside ``path``, fsync, rename to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(tmp))
        with open(tmp, "rb+") as stream:
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a crash
    finally:
        os.close(directory)


def _parquet(frame: pd.DataFrame):
    return lambda tmp: frame.to_parquet(tmp, index=False, engine="pyarrow")


def _json(data: dict):
    text = json.dumps(data, indent=2, default=str) + "\n"
    return lambda tmp: tmp.write_text(text, encoding="utf-8")


class Store:
    """The folder of one sweep (see the module docstring)."""

    def __init__(self, directory: str | Path):
        self.dir = Path(directory)
        self.runs_dir = self.dir / "runs"
        self.daily_dir = self.dir / "daily"
        self.errors_dir = self.dir / "errors"
        self.meta_path = self.dir / "sweep.json"

    # --- chunks
    def write_chunk(self, index: int, runs: pd.DataFrame, daily: pd.DataFrame | None) -> None:
        """Store one completed chunk (daily rows first: the runs file marks it complete)."""
        if daily is not None:
            write_file(self.daily_dir / chunk_name(index), _parquet(daily))
        write_file(self.runs_dir / chunk_name(index), _parquet(runs))
        (self.errors_dir / f"chunk-{index:06d}.json").unlink(missing_ok=True)

    def completed(self) -> set[int]:
        """Indices of the chunks whose ``runs/`` file is in place."""
        return set(self._files(self.runs_dir))

    def _files(self, folder: Path) -> dict[int, Path]:
        if not folder.is_dir():
            return {}
        out = {}
        for path in folder.iterdir():
            match = _CHUNK.match(path.name)
            if match:
                out[int(match.group(1))] = path
        return out

    def runs(self, columns: list[str] | None = None) -> pd.DataFrame:
        """Every completed run, sorted by ``run`` (read now, one file at a time)."""
        return self._read(self.runs_dir, columns)

    def daily(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The kept daily rows, sorted by ``run`` and ``day``."""
        return self._read(self.daily_dir, columns, ["run", "day"])

    def dataset(self, which: str = "runs"):
        """A ``pyarrow.dataset`` over the completed chunks (for sweeps too big for memory)."""
        import pyarrow.dataset as ds

        files = [str(p) for _, p in sorted(self._files(self.dir / which).items())]
        return ds.dataset(files, format="parquet")

    def _read(self, folder: Path, columns, order=("run",)) -> pd.DataFrame:
        files = [p for _, p in sorted(self._files(folder).items())]
        if not files:
            return pd.DataFrame(columns=columns or [])
        frame = pd.concat(
            [pd.read_parquet(p, columns=columns, engine="pyarrow") for p in files],
            ignore_index=True,
        )
        keys = [k for k in order if k in frame.columns]
        return frame.sort_values(keys, kind="stable", ignore_index=True) if keys else frame

    def clean_partials(self) -> int:
        """Remove the temporary files a killed sweep left; returns how many."""
        removed = 0
        for folder in (self.dir, self.runs_dir, self.daily_dir, self.errors_dir):
            if folder.is_dir():
                for path in folder.glob(".*.tmp"):
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed

    # --- failures
    def record_error(self, index: int, runs: tuple[int, int], error: str, attempts: int) -> None:
        data = {"chunk": index, "runs": list(runs), "attempts": attempts, "error": error}
        write_file(self.errors_dir / f"chunk-{index:06d}.json", _json(data))

    def errors(self) -> list[dict]:
        """The chunks that failed and have not completed since, by chunk."""
        if not self.errors_dir.is_dir():
            return []
        done = self.completed()
        out = []
        for path in sorted(self.errors_dir.glob("chunk-*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if data["chunk"] not in done:
                out.append(data)
        return out

    # --- the sweep's description
    def write_meta(self, data: dict) -> None:
        write_file(self.meta_path, _json(data))

    def read_meta(self) -> dict:
        return json.loads(self.meta_path.read_text(encoding="utf-8"))

    def write_design(self, points: pd.DataFrame, unit) -> None:
        import numpy as np

        write_file(self.dir / "design.parquet", _parquet(points))

        def save(tmp: Path) -> None:
            with open(tmp, "wb") as stream:  # np.save on a name would append ".npy"
                np.save(stream, unit)

        write_file(self.dir / "design_unit.npy", save)

    def design_points(self) -> pd.DataFrame:
        return pd.read_parquet(self.dir / "design.parquet", engine="pyarrow")

    def design_unit(self):
        import numpy as np

        return np.load(self.dir / "design_unit.npy")
