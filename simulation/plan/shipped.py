"""The scenarios shipped with esnsim, found by name (``esnsim run grassroots``).

They are the repository's ``scenarios/*.yaml``; an installed package carries them as package
data in ``simulation/scenarios/`` (see ``setup.py``). A source checkout reads them where they
are, so the README's paths (``scenarios/grassroots.yaml``) and the names both work.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from simulation.base.errors import ScenarioError

PACKAGE = Path(__file__).resolve().parents[1]  # the package, above this layer


def scenario_dir() -> Path:
    """The folder of the shipped scenario files (installed package data, else the checkout's)."""
    installed = PACKAGE / "scenarios"
    if installed.is_dir() and any(installed.glob("*.yaml")):
        return installed
    return PACKAGE.parent / "scenarios"


def shipped() -> dict[str, Path]:
    """Shipped scenario files by name (the file name without ``.yaml``), sorted."""
    return {p.stem: p for p in sorted(scenario_dir().glob("*.yaml"))}


def describe() -> list[tuple[str, str]]:
    """``(name, description)`` of every shipped scenario (read safely, not validated)."""
    out = []
    for name, path in shipped().items():
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        description = data.get("description", "") if isinstance(data, dict) else ""
        out.append((name, str(description)))
    return out


def looks_like_name(text: str) -> bool:
    """Whether ``text`` is a bare name (no folder) rather than a path."""
    return "/" not in text and "\\" not in text


def find(name: str) -> Path:
    """The file of the shipped scenario ``name`` (``grassroots`` or ``grassroots.yaml``).

    Raises
    ------
    ScenarioError
        Naming the closest shipped names.
    """
    stem = name.removesuffix(".yaml").removesuffix(".yml")
    files = shipped()
    if stem in files:
        return files[stem]
    close = difflib.get_close_matches(stem, list(files), n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise ScenarioError(
        f"{name}: no such file, and not a shipped scenario (esnsim scenario list){hint}"
    )


def resolve_path(text: str | Path) -> Path:
    """``text`` as a path when the file exists or it names a folder, else a shipped name."""
    path = Path(text)
    if path.exists() or not looks_like_name(str(text)):
        return path
    return find(str(text))
