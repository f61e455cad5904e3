"""Real organisational networks, each with its loader and its citation (the data are not shipped).

>>> from simulation import datasets
>>> datasets.names()
['email_eu_core', 'krackhardt', 'lazega']
>>> org = datasets.load("krackhardt")          # an Organisation, org.citation set

The files are third-party research data, so the package holds only how to read them and whom
to cite (``citations/<name>.md``). They are read from ``$ESNSIM_DATA/<folder>/`` (a folder laid
out with ``krackhardt_hightech/``, ``email_eu_core/``, ``lazega_lawfirm/``) or from the download
cache that ``esnsim datasets fetch NAME`` fills from each data set's original public source.
"""

from __future__ import annotations

import os
from pathlib import Path

from simulation.base.errors import OrgDataError
from simulation.datasets.sources import SOURCES
from simulation.org.model import Organisation

CITATIONS = {
    "krackhardt": "Krackhardt, D. (1987). Cognitive social structures. Social Networks, 9(2), 109-134.",
    "email_eu_core": (
        "Leskovec, J., Kleinberg, J., & Faloutsos, C. (2007). Graph evolution: Densification and "
        "shrinking diameters. ACM TKDD, 1(1), 2; Yin, H., Benson, A. R., Leskovec, J., & Gleich, "
        "D. F. (2017). Local higher-order graph clustering. KDD 2017, 555-564."
    ),
    "lazega": (
        "Lazega, E. (2001). The Collegial Phenomenon: The Social Mechanisms of Cooperation Among "
        "Peers in a Corporate Law Partnership. Oxford University Press."
    ),
}

#: Other names people use for the same data (the data folders' names among them).
ALIASES = {
    "krackhardt_hightech": "krackhardt",
    "email-eu-core": "email_eu_core",
    "lazega_lawfirm": "lazega",
}

CITATION_FILES = Path(__file__).parent / "citations"


def names() -> list[str]:
    """The known data sets' names, sorted."""
    return sorted(CITATIONS)


def canonical(name: str) -> str:
    """The data set's own name for ``name`` (an alias or any case); unknown names raise."""
    key = ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in CITATIONS:
        raise OrgDataError(f"dataset: unknown name {name!r} (known: {', '.join(names())})")
    return key


def citation(name: str) -> str:
    """The reference to cite for data set ``name`` (details in its ``citations/NAME.md``)."""
    return CITATIONS[canonical(name)]


def citation_file(name: str) -> Path:
    """The markdown file saying where data set ``name`` comes from and how it is read."""
    return CITATION_FILES / f"{canonical(name)}.md"


def search_folders() -> list[Path]:
    """The data folders searched, in order: ``ESNSIM_DATA`` when set, then the download cache."""
    from simulation.datasets.fetch import cache_home

    home = os.environ.get("ESNSIM_DATA", "").strip()
    return [*([Path(home).expanduser()] if home else []), cache_home()]


def find(name: str) -> Path | None:
    """The folder holding every file data set ``name`` needs, or None when none does."""
    source = SOURCES[canonical(name)]
    for home in search_folders():
        folder = home / source.folder
        if all((folder / file).is_file() for file in source.reads):
            return folder
    return None


def path(name: str) -> Path:
    """The folder holding data set ``name``'s files; a one-line error naming the source if absent."""
    key = canonical(name)
    folder = find(key)
    if folder is None:
        source = SOURCES[key]
        where = os.environ.get("ESNSIM_DATA", "").strip()
        looked = f"ESNSIM_DATA={where}" if where else "ESNSIM_DATA (not set)"
        raise OrgDataError(
            f"dataset:{key}: its files are not here ({looked}, and the download cache); "
            f"get them from {source.home} with `esnsim datasets fetch {key}`, or set "
            f"ESNSIM_DATA to a folder that holds {source.folder}/"
        )
    return folder


def load(name: str) -> Organisation:
    """Load data set ``name`` as an :class:`Organisation` (a fresh copy each call).

    Its ``name`` is ``dataset:<name>`` and its ``citation`` the reference to cite.

    Raises
    ------
    OrgDataError
        An unknown name, or files found nowhere (the message names the source URL and
        ``ESNSIM_DATA``).
    """
    from simulation.datasets.loaders import LOADERS

    key = canonical(name)
    org = LOADERS[key](path(key))
    org.name, org.citation = f"dataset:{key}", CITATIONS[key]
    return org
