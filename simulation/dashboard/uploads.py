"""Uploaded files: kept inside one upload folder, validated exactly as the CLI validates its input.

A file's name is reduced to a plain base name (letters, digits, ``._-``; no folder, no leading
dot, at most :data:`MAX_NAME` characters: a longer one is refused, not cut), and the path it is written to must resolve inside the upload folder, so no upload can land
elsewhere. Scenarios are read with :meth:`Scenario.load`, HR exports (CSV, tab-separated text or
an Excel ``.xlsx`` workbook) with :func:`simulation.org.load_org`, the ``--columns`` syntax and the
reading options (``--sheet``, ``--encoding``, ``--where``, ``--root-marker``, ``--orphans``), and
plausible regions (``compare --uncertainty FILE``) with
:func:`simulation.experiments.uncertainty_sets.load_region`, the loaders the CLI uses: a bad file
gives the same one-line :class:`~simulation.base.errors.InputError` message, shown on the page.
Regions are kept in a ``regions`` folder inside the upload folder (they are YAML, as scenarios),
observed informal ties (an edge list, ``--ties``) in a ``ties`` folder (they are CSV, as exports).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from simulation.base.errors import InputError

SCENARIO_SUFFIXES = (".yaml", ".yml")
HR_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx")
REGION_SUFFIXES = (".yaml", ".yml")
TIES_SUFFIXES = (".csv", ".txt", ".tsv")
#: the sub-folders of uploaded plausible regions (YAML, as scenarios) and observed ties (CSV, as
#: HR exports), so that neither is offered as the other
SUBFOLDERS = {"region": "regions", "ties": "ties"}
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
    if target.exists() and target.read_bytes() != data:
        # another file of that name, perhaps picked in another browser session: never replaced
        # under it (its run would read this one), kept beside it under its content's digest
        digest = hashlib.sha256(data).hexdigest()[:8]
        target = target.with_name(f"{target.stem}-{digest}{target.suffix}")
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


def load_hr_export(path: Path, columns: str = "", options=None):
    """The uploaded HR export, read as ``--org PATH --columns MAP`` and the reading options.

    Parameters
    ----------
    path : Path
        The uploaded export.
    columns : str
        The ``--columns`` text ('' for none).
    options : HrOptions, optional
        ``--sheet``, ``--encoding``, ``--where``, ``--root-marker``, ``--orphans``
        (:class:`simulation.org.hr_options.HrOptions`).

    Raises
    ------
    InputError
        The CLI's one-line message for the same file and options.
    """
    from simulation.org import load_org, parse_columns
    from simulation.org.hr_options import HrColumns

    mapping = parse_columns(columns) if columns.strip() else None
    if options:
        mapping = HrColumns(mapping, options)
    return load_org(str(path), columns=mapping)


def load_region(path: Path):
    """The uploaded plausible region, validated as ``compare --uncertainty FILE`` reads it."""
    from simulation.experiments.uncertainty_sets import load_region as read

    return read(path)


def suffixes_of(kind: str) -> tuple[str, ...]:
    """The file suffixes an upload of ``kind`` (``scenario``, ``hr``, ``region``, ``ties``) may
    have."""
    return {
        "scenario": SCENARIO_SUFFIXES,
        "hr": HR_SUFFIXES,
        "region": REGION_SUFFIXES,
        "ties": TIES_SUFFIXES,
    }[kind]


def folder_of(kind: str, folder: Path | None = None) -> Path:
    """Where uploads of ``kind`` are kept: the upload folder, or its sub-folder
    (:data:`SUBFOLDERS`) for regions and ties."""
    folder = folder or upload_dir()
    if kind in SUBFOLDERS:
        folder = folder / SUBFOLDERS[kind]
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def uploaded(kind: str, folder: Path | None = None) -> dict[str, Path]:
    """The files already uploaded of ``kind`` (``scenario``, ``hr``, ``region`` or ``ties``),
    by name."""
    folder = folder_of(kind, folder)
    suffixes = suffixes_of(kind)
    return {
        p.name: p
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".") and p.name.lower().endswith(suffixes)
    }
