"""Download a real network from its original public source into a data folder (with pooch).

The files go to ``$ESNSIM_DATA/<folder>/`` when ``ESNSIM_DATA`` is set, else to the user's cache
(``pooch.os_cache("esnsim")``, e.g. ``~/.cache/esnsim``), where :func:`simulation.datasets.load`
looks for them. The publishers give no checksums, so a download is checked instead by loading
it: the organisation must have the documented head-count and number of ties.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from simulation.datasets.sources import EXPECTED, SOURCES


class DatasetFetchError(RuntimeError):
    """A download failed (no network, a server error) or gave files that do not load as expected."""


def cache_home() -> Path:
    """The user's cache folder for downloaded data sets."""
    import pooch

    return Path(pooch.os_cache("esnsim"))


def fetch_home() -> Path:
    """Where :func:`fetch` writes: ``ESNSIM_DATA`` when set, else :func:`cache_home`."""
    home = os.environ.get("ESNSIM_DATA", "").strip()
    return Path(home).expanduser() if home else cache_home()


def _download(url: str, folder: Path, name: str) -> None:
    import pooch
    import requests

    processor = pooch.Decompress(method="gzip", name=name) if url.endswith(".gz") else None
    try:
        pooch.retrieve(
            url,
            known_hash=None,
            fname=Path(url).name,
            path=folder,
            processor=processor,
            progressbar=False,
        )
    except (requests.exceptions.RequestException, OSError) as error:
        reason = type(error).__name__
        raise DatasetFetchError(
            f"could not download {url} ({reason}); without a network, put a copy of the files "
            f"in a folder {folder.name}/ and set ESNSIM_DATA to the folder above it"
        ) from None


def fetch(name: str, into: Path | None = None) -> Path:
    """Download data set ``name`` and return the folder holding its files.

    Parameters
    ----------
    name : str
        A data set name (:func:`simulation.datasets.names`).
    into : path, optional
        The data folder to write into (default :func:`fetch_home`); the files land in
        ``into/<folder>/``, which replaces an earlier copy only once complete.

    Raises
    ------
    DatasetFetchError
        A one-line message naming the URL and ``ESNSIM_DATA`` when a download fails, or naming the
        figures when the files do not give the documented organisation.
    """
    import pooch

    from simulation.datasets import canonical
    from simulation.datasets.loaders import LOADERS
    from simulation.datasets.pajek import write_lazega_tables

    key = canonical(name)
    source = SOURCES[key]
    home = Path(into) if into is not None else fetch_home()
    home.mkdir(parents=True, exist_ok=True)
    final = home / source.folder
    pooch.get_logger().setLevel("WARNING")
    with tempfile.TemporaryDirectory(dir=home, prefix=f".{source.folder}-") as scratch:
        work = Path(scratch) / source.folder
        work.mkdir()
        for file_name, url in source.downloads.items():
            _download(url, work, file_name)
        if key == "lazega":
            write_lazega_tables(work / "Lazega-Law-Firm.paj", work)
        org = LOADERS[key](work)
        got = (org.size, org.ties.nnz // 2)
        if got != EXPECTED[key]:
            raise DatasetFetchError(
                f"{source.home}: the downloaded files give {got[0]} people and {got[1]} ties, "
                f"not the documented {EXPECTED[key][0]} and {EXPECTED[key][1]}"
            )
        for leftover in work.glob("*.gz"):
            leftover.unlink()
        if final.exists():
            shutil.rmtree(final)
        work.rename(final)
    return final
