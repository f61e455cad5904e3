"""Uploaded files: kept inside one upload folder, validated exactly as the CLI validates its input.

A file's name is reduced to a plain base name (letters, digits, ``._-``; no folder, no leading
dot, at most :data:`MAX_NAME` characters: a longer one is refused, not cut), and the path it is written to must resolve inside the upload folder, so no upload can land
elsewhere. Scenarios are read with :meth:`Scenario.load` and HR exports with
:func:`simulation.org.load_org` and the ``--columns`` syntax, the loaders the CLI uses: a bad
file gives the same one-line :class:`~simulation.base.errors.InputError` message, shown on the page.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from simulation.base.errors import InputError

SCENARIO_SUFFIXES = (".yaml", ".yml")
HR_SUFFIXES = (".csv", ".txt")
MAX_BYTES = 50 * 1024 * 1024  # an HR export of a few hundred thousand people
MAX_NAME = 200  # characters of a file name (the file system's limit is 255 bytes)
SHOWN = 60  # characters of a refused name quoted in a message


def upload_dir() -> Path:
    """The upload folder: ``ESNSIM_UPLOADS`` (set by ``esnsim dashboard``) or a temporary one."""
    configured = os.environ.get("ESNSIM_UPLOADS", "").strip()
    folder = Path(configured) if configured else Path(tempfile.gettempdir()) / "esnsim-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder.resolve()


def shown(name: str) -> str:
    """``name`` as a message quotes it: at most :data:`SHOWN` characters, on one line."""
    text = " ".join(str(name).split())
    return repr(text if len(text) <= SHOWN else text[: SHOWN - 3] + "...")


def safe_name(name: str, suffixes: tuple[str, ...]) -> str:
    """``name`` reduced to a base name with an allowed suffix; refuses anything else."""
    base = re.sub(r"[^A-Za-z0-9._-]", "_", Path(str(name).replace("\\", "/")).name)
    if not base.strip("._") or base.startswith("."):
        raise InputError(f"upload {shown(name)}: not a usable file name")
    if len(base) > MAX_NAME:
        raise InputError(
            f"upload {shown(name)}: a file name of {len(base):,} characters (at most {MAX_NAME})"
        )
    if not base.lower().endswith(suffixes):
        raise InputError(f"upload {shown(name)}: expected a {' or '.join(suffixes)} file")
    return base


def save(name: str, data: bytes, suffixes: tuple[str, ...], folder: Path | None = None) -> Path:
    """Write an uploaded file into the upload folder and return its path.

    Raises
    ------
    InputError
        A name that is not a plain file name with an allowed suffix, a path that would resolve
        outside the folder, or a file over :data:`MAX_BYTES`.
    """
    folder = (folder or upload_dir()).resolve()
    target = (folder / safe_name(name, suffixes)).resolve()
    if target.parent != folder:
        raise InputError(
            f"upload {shown(name)}: the file would be written outside the upload folder"
        )
    if len(data) > MAX_BYTES:
        raise InputError(f"upload {shown(name)}: {len(data):,} bytes, more than {MAX_BYTES:,}")
    partial = target.with_name(f".{target.name}.part")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError:  # a full disk: no partial file left behind
        partial.unlink(missing_ok=True)
        raise
    return target


def load_scenario(path: Path):
    """The uploaded scenario, validated as ``esnsim scenario check`` does (InputError if bad)."""
    from simulation.plan.scenario import Scenario

    return Scenario.load(path)


def load_hr_export(path: Path, columns: str = ""):
    """The uploaded HR export, read as ``--org PATH --columns MAP`` (InputError if bad)."""
    from simulation.org import load_org, parse_columns

    mapping = parse_columns(columns) if columns.strip() else None
    return load_org(str(path), columns=mapping)


def uploaded(kind: str, folder: Path | None = None) -> dict[str, Path]:
    """The files already uploaded of ``kind`` (``scenario`` or ``hr``), by name."""
    folder = folder or upload_dir()
    suffixes = SCENARIO_SUFFIXES if kind == "scenario" else HR_SUFFIXES
    return {
        p.name: p
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".") and p.name.lower().endswith(suffixes)
    }
