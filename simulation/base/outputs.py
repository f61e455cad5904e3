"""Writing results: Parquet tables, the manifest, figures; atomically.

Everything is written into a temporary folder next to the output folder, which is renamed into
place only when complete (:func:`write_atomically`): an interrupted command or a full disk never
leaves a partial result, an earlier result folder is replaced whole, and bad input (checked
before anything is written) leaves nothing at all. Commands call :func:`check_out` before any
simulation so that an unusable ``--out`` is refused at once.
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

from simulation.base.errors import InputError

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


#: the completion marker, written last in every output folder: a reader (the sweep store, the
#: dashboard) takes a folder's files only when :func:`is_complete` says so
MARKER = ".esnsim-complete"


class OutputError(InputError):
    """``--out`` cannot hold the results (a file, not writable, not an esnsim result folder)."""


def is_complete(folder: str | Path) -> bool:
    """Whether ``folder`` is a finished esnsim output (its completion marker is there)."""
    return (Path(folder) / MARKER).is_file()


def _is_result_folder(folder: Path) -> bool:
    # manifest.json: folders written before the marker existed
    return is_complete(folder) or (folder / "manifest.json").is_file()


def check_out(out_dir: str | Path, ours: Callable[[Path], bool] | None = None) -> Path:
    """Check, before any simulation, that the results can go to ``out_dir``.

    ``out_dir`` may be missing (its parents are created at the end), an empty folder or an
    earlier esnsim result folder (replaced whole at the end; ``ours(folder)``, when given, says
    instead which folders a command may use, e.g. a sweep's own folder, which it resumes). It may
    not be a file, a folder holding anything else, or a place where a folder cannot be made
    (probed by making and removing one in the nearest existing parent).

    Raises
    ------
    OutputError
        One line naming ``--out``.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() or out_dir.is_symlink():
        if not out_dir.is_dir():
            raise OutputError(f"--out {out_dir}: exists and is not a folder")
        if any(out_dir.iterdir()) and not (ours or _is_result_folder)(out_dir):
            raise OutputError(
                f"--out {out_dir}: a folder holding files that are not esnsim results "
                "(give a new or empty folder; nothing there is replaced)"
            )
    parent = out_dir.absolute().parent
    while not parent.exists():
        parent = parent.parent
    try:
        if not parent.is_dir():
            raise OutputError(f"--out {out_dir}: {parent} is not a folder")
        os.rmdir(tempfile.mkdtemp(prefix=".esnsim-probe-", dir=parent))
    except OSError as exc:
        raise OutputError(f"--out {out_dir}: cannot write in {parent} ({exc.strerror})") from None
    return out_dir


def _umask() -> int:
    """The process's umask (read by setting it and putting it back: the only portable way)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _as_if_created(path: Path, folder: bool) -> None:
    """Give a staged file or folder the mode a plain ``mkdir`` or ``open`` would have: the
    temporary ones are made private (0700 / 0600), which would keep results from colleagues
    sharing the machine's folder while every other file there is readable."""
    path.chmod((0o777 if folder else 0o666) & ~_umask())


def write_atomically(out_dir: str | Path, writers: dict[str, Callable[[Path], None]]) -> list[Path]:
    """Write a whole output folder, all or nothing: each ``writers[name](path)`` writes one file.

    The files and the completion marker (:data:`MARKER`, last) are written in a temporary
    folder beside ``out_dir``, which is then renamed to ``out_dir``; an earlier result folder
    there is replaced whole (renamed aside, then removed), so old and new files never mix. On
    any error (a full disk, an interruption) the temporary folder is removed and ``out_dir`` is
    left as it was. Returns the final paths.

    Raises
    ------
    OutputError
        ``out_dir`` is refused by :func:`check_out`.
    """
    out_dir = Path(out_dir)
    check_out(out_dir)
    parent = out_dir.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=parent))
    old: Path | None = None
    try:
        for name, write in writers.items():
            write(staging / name)
        (staging / MARKER).write_text(
            json.dumps({"complete": True, "written": now(), "files": list(writers)}) + "\n",
            encoding="utf-8",
        )
        _as_if_created(staging, folder=True)
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
            os.replace(out_dir, old / "previous")
        os.replace(staging, out_dir)
        return [out_dir / name for name in writers]
    except BaseException:
        if old is not None and (old / "previous").exists() and not out_dir.exists():
            os.replace(old / "previous", out_dir)  # put the earlier results back
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def write_file_atomically(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Write one file via a temporary file beside it, renamed over ``path`` when complete."""
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"--out {path}: is a folder (give a file name)")
    folder = path.absolute().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.partial-", dir=folder)
    except OSError as exc:  # named by the folder given, not by the staging file's name
        raise OutputError(f"--out {path}: cannot write in {folder} ({exc.strerror})") from None
    os.close(handle)
    try:
        write(Path(temporary))
        _as_if_created(Path(temporary), folder=False)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return path


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


def safe_folder_name(name: str, limit: int = 100) -> str:
    """``name`` (a scenario's, from a file that may come from anyone) as one folder name.

    Anything but letters, digits, ``.``, ``_`` and ``-`` becomes ``_`` (so ``../../x`` or
    ``/etc`` stay inside ``results/``), leading dots are dropped (no hidden or ``..`` folder),
    and a name longer than ``limit`` characters is cut and given a short hash to stay distinct.
    """
    import hashlib
    import re

    text = re.sub(r"[^A-Za-z0-9._-]", "_", str(name)).lstrip(".") or "scenario"
    if len(text) > limit:
        digest = hashlib.sha256(str(name).encode("utf-8", "surrogatepass")).hexdigest()[:8]
        text = f"{text[: limit - 9]}-{digest}"
    return text
