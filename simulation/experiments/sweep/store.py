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
``DIR/checksums/chunk-NNNNNN.json``, ``DIR/checksums/design.json``
    The SHA-256, size and rows of each file a chunk wrote (and of the design's two files),
    recorded before the files they vouch for.

Every file is written under a temporary name starting with ``.``, flushed to disk (fsync) and
renamed into place (``os.replace``), so a file with its final name is always complete; readers
(pyarrow ignores names starting with ``.`` or ``_``) never see a half-written chunk. A chunk's
``runs/`` file is its completion mark: a killed sweep loses at most the chunks in flight.

A chunk is trusted only once its files are read back: :meth:`Store.completed` counts a chunk
only when its files have the recorded checksums, so a chunk damaged on disk afterwards (a
faulty disk, a file overwritten) is *damaged* (:meth:`Store.damaged`): ``esnsim sweep status``
names it, ``--resume`` runs it again and the readers (:meth:`Store.runs`, ``esnsim
sensitivity``) refuse the store in one line instead of reading it. A store written before
checksums were recorded has none: its chunks are read as they are (not verified), and a file
that is not Parquet is still refused in one line. ``sweep.json`` must be a sweep's
(:meth:`Store.read_meta`).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from simulation.base.errors import SweepError

_CHUNK = re.compile(r"^chunk-(\d{6,})\.parquet$")
_RECORD = re.compile(r"^chunk-(\d{6,})\.json$")
_HASH_BLOCK = 1 << 20


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


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()


def _bytes(data: bytes):
    return lambda tmp: tmp.write_bytes(data)


def _record(data: bytes, rows: int | None = None) -> dict:
    """What a file must be read back as: its SHA-256, its size and (a table) its rows."""
    out = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    if rows is not None:
        out["rows"] = int(rows)
    return out


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


#: what ``sweep.json`` must hold for a sweep's readers: key -> the type of its value
_META = {"sweep": dict, "chunks": dict, "runs": int, "design": dict}
_META_PARTS = {
    "sweep": {"name": str, "replicates": int, "outcomes": list},
    "chunks": {"count": int, "points_per_chunk": int},
    "design": {"method": str, "names": list, "points": int, "problem": dict},
}


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
        self.sums_dir = self.dir / "checksums"
        self.meta_path = self.dir / "sweep.json"
        self._checked: dict[Path, tuple[tuple, bool]] = {}  # path -> (its stat, matched)

    # --- chunks
    def write_chunk(self, index: int, runs: pd.DataFrame, daily: pd.DataFrame | None) -> None:
        """Store one completed chunk: its checksums first, then its daily rows, then its runs
        file (which marks it complete)."""
        files = {"runs": _parquet_bytes(runs)}
        record = {"chunk": index, "runs": _record(files["runs"], len(runs))}
        if daily is not None:
            files["daily"] = _parquet_bytes(daily)
            record["daily"] = _record(files["daily"], len(daily))
        write_file(self._sum_path(index), _json(record))
        if daily is not None:
            write_file(self.daily_dir / chunk_name(index), _bytes(files["daily"]))
        write_file(self.runs_dir / chunk_name(index), _bytes(files["runs"]))
        (self.errors_dir / f"chunk-{index:06d}.json").unlink(missing_ok=True)

    def _sum_path(self, index: int) -> Path:
        return self.sums_dir / f"chunk-{index:06d}.json"

    def completed(self) -> set[int]:
        """Indices of the chunks whose ``runs/`` file is in place and, when checksums were
        recorded (every store written since they are), whose files match them."""
        return set(self._files(self.runs_dir)) - set(self.damaged())

    def damaged(self) -> dict[int, str]:
        """The chunks whose ``runs/`` file is in place but that cannot be trusted, with why:
        ``checksum differs``, ``daily file missing``, ``checksum record unreadable``."""
        out: dict[int, str] = {}
        daily = self._files(self.daily_dir)
        for index, path in sorted(self._files(self.runs_dir).items()):
            record = self._sums(index)
            if record is None:  # written before checksums: read as it is
                continue
            if not isinstance(record, dict) or not isinstance(record.get("runs"), dict):
                out[index] = "checksum record unreadable"
            elif not self._matches(path, record["runs"]):
                out[index] = "checksum differs"
            elif isinstance(record.get("daily"), dict):
                if index not in daily:
                    out[index] = "daily file missing"
                elif not self._matches(daily[index], record["daily"]):
                    out[index] = "checksum of its daily file differs"
        return out

    def missing(self, count: int) -> list[int]:
        """The chunks (of ``count``) written once (their checksum record is there) whose
        ``runs/`` file is gone: deleted or lost since; ``--resume`` runs them again."""
        present = self._files(self.runs_dir)
        return [k for k in range(count) if k not in present and self._sum_path(k).is_file()]

    def whole(self, count: int) -> bool:
        """Whether each of the ``count`` chunks and the design's files are in place and match
        their checksums: the sweep's results are complete, whatever its progress says."""
        return self.completed() >= set(range(count)) and self.design_damaged() is None

    def _sums(self, index: int):
        """The chunk's checksum record; None when none was written, False when unreadable."""
        path = self._sum_path(index)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (ValueError, UnicodeDecodeError, OSError):
            return False

    def _matches(self, path: Path, record: dict) -> bool:
        """Whether ``path`` has the recorded size and SHA-256 (hashed once per change of the
        file's size, time or inode in this Store)."""
        try:
            info = path.stat()
        except OSError:
            return False
        key = (info.st_size, info.st_mtime_ns, info.st_ino)
        seen = self._checked.get(path)
        if seen is not None and seen[0] == key:
            return seen[1]
        ok = info.st_size == record.get("bytes") and file_sha256(path) == record.get("sha256")
        self._checked[path] = (key, ok)
        return ok

    def check_readable(self) -> None:
        """Refuse (one line) a store holding a damaged chunk: its rows cannot be trusted."""
        damaged = self.damaged()
        if damaged:
            index, why = next(iter(damaged.items()))
            more = f" (and {len(damaged) - 1} more)" if len(damaged) > 1 else ""
            raise SweepError(
                f"{self.dir}: chunk {index}: damaged ({why}){more}; 'esnsim sweep FILE --out "
                f"{self.dir} --resume' runs it again"
            )

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

        self.check_readable()
        done = self.completed()
        files = [str(p) for k, p in sorted(self._files(self.dir / which).items()) if k in done]
        return ds.dataset(files, format="parquet")

    def _read(self, folder: Path, columns, order=("run",)) -> pd.DataFrame:
        self.check_readable()
        done = self.completed()
        files = [(k, p) for k, p in sorted(self._files(folder).items()) if k in done]
        if not files:
            return pd.DataFrame(columns=columns or [])
        frame = pd.concat(
            [self._read_one(index, path, columns) for index, path in files], ignore_index=True
        )
        keys = [k for k in order if k in frame.columns]
        return frame.sort_values(keys, kind="stable", ignore_index=True) if keys else frame

    def _read_one(self, index: int, path: Path, columns) -> pd.DataFrame:
        """One chunk's file; a file that is not Parquet (a store without checksums) is one line."""
        import pyarrow

        try:
            return pd.read_parquet(path, columns=columns, engine="pyarrow")
        except (pyarrow.ArrowException, ValueError, OSError) as error:
            reason = " ".join(str(error).split())[:120]
            raise SweepError(
                f"{path}: chunk {index}: cannot be read ({reason}); 'esnsim sweep FILE --out "
                f"{self.dir} --resume' runs it again once the file is removed"
            ) from None

    def clean_partials(self) -> int:
        """Remove the temporary files a killed sweep left; returns how many."""
        removed = 0
        for folder in (self.dir, self.runs_dir, self.daily_dir, self.errors_dir, self.sums_dir):
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
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data["chunk"] not in done:
                    out.append(data)
            except (ValueError, UnicodeDecodeError, KeyError, TypeError):
                continue  # an unreadable error record: the chunk is pending all the same
        return out

    # --- the sweep's description
    def write_meta(self, data: dict) -> None:
        write_file(self.meta_path, _json(data))

    def read_meta(self) -> dict:
        """``sweep.json``; a one-line :class:`SweepError` when it is missing or not a sweep's."""
        where = f"{self.meta_path}: not a sweep's description"
        if self.dir.exists() and not self.dir.is_dir():
            raise SweepError(f"{self.dir}: exists and is not a folder (give a sweep's folder)")
        try:
            data = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SweepError(f"{self.dir}: not a sweep's folder (no sweep.json)") from None
        except (ValueError, UnicodeDecodeError):
            raise SweepError(f"{where} (not JSON)") from None
        if not isinstance(data, dict):
            raise SweepError(f"{where} (not a mapping)")
        for key, kind in _META.items():
            if not isinstance(data.get(key), kind) or isinstance(data.get(key), bool):
                raise SweepError(f"{where} (no {key!r})")
            for part, part_kind in _META_PARTS.get(key, {}).items():
                value = data[key].get(part)
                if not isinstance(value, part_kind) or isinstance(value, bool):
                    raise SweepError(f"{where} (no {key}.{part})")
        if not isinstance(data.get("progress", {}), dict):
            raise SweepError(f"{where} (no 'progress')")
        return data

    def write_design(self, points: pd.DataFrame, unit) -> None:
        """The design's points and the sampler's numbers, their checksums first."""
        import numpy as np

        stream = io.BytesIO()
        np.save(stream, unit)
        files = {"design.parquet": _parquet_bytes(points), "design_unit.npy": stream.getvalue()}
        record = {name: _record(data) for name, data in files.items()}
        write_file(self.sums_dir / "design.json", _json(record))
        for name, data in files.items():
            write_file(self.dir / name, _bytes(data))

    def design_damaged(self) -> str | None:
        """Why the design's files cannot be trusted (``design.parquet: checksum differs``), or
        None (also for a store written before checksums)."""
        try:
            record = json.loads((self.sums_dir / "design.json").read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (ValueError, UnicodeDecodeError, OSError):
            return "checksums/design.json: unreadable"
        for name in ("design.parquet", "design_unit.npy"):
            entry = record.get(name) if isinstance(record, dict) else None
            if not isinstance(entry, dict):
                return "checksums/design.json: unreadable"
            if not self._matches(self.dir / name, entry):
                return f"{name}: checksum differs"
        return None

    def _check_design(self) -> None:
        why = self.design_damaged()
        if why is not None:
            raise SweepError(
                f"{self.dir}: the design is damaged ({why}); 'esnsim sweep FILE --out "
                f"{self.dir} --resume' writes it again"
            )

    def design_points(self) -> pd.DataFrame:
        import pyarrow

        self._check_design()
        path = self.dir / "design.parquet"
        try:
            return pd.read_parquet(path, engine="pyarrow")
        except (pyarrow.ArrowException, ValueError, OSError) as error:
            raise SweepError(f"{path}: cannot be read ({str(error)[:120]})") from None

    def design_unit(self):
        import numpy as np

        self._check_design()
        path = self.dir / "design_unit.npy"
        try:
            return np.load(path, allow_pickle=False)
        except (ValueError, OSError, EOFError) as error:
            raise SweepError(f"{path}: cannot be read ({str(error)[:120]})") from None
