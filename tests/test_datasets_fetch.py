"""The real networks' files: where they are looked for, the error without them, the download.

Downloads are tested against a loopback HTTP server that serves the publishers' file formats
(the Stanford files as they are, SNAP's gzipped text, the Lazega Pajek file) made from the
shared data folder, so the test needs no network and checks the whole path: download, unpack,
convert, check, move into place.
"""

from __future__ import annotations

import gzip
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from simulation import datasets
from simulation.base.errors import OrgDataError
from simulation.cli.main import main
from simulation.datasets import fetch as fetch_module
from simulation.datasets import sources
from simulation.datasets.pajek import read_lazega_paj


@pytest.fixture
def no_data(tmp_path, monkeypatch):
    """No ESNSIM_DATA and an empty download cache."""
    monkeypatch.delenv("ESNSIM_DATA", raising=False)
    monkeypatch.setattr(fetch_module, "cache_home", lambda: tmp_path / "cache")
    return tmp_path


def test_without_the_files_loading_names_the_source_url_and_esnsim_data(no_data):
    with pytest.raises(OrgDataError) as caught:
        datasets.load("krackhardt")
    message = str(caught.value)
    assert "\n" not in message
    assert "http://sna.stanford.edu/sna_R_labs/data/" in message
    assert "ESNSIM_DATA" in message and "esnsim datasets fetch krackhardt" in message


def test_without_the_files_the_cli_exits_2_with_one_line(no_data, capsys):
    assert main(["org", "inspect", "dataset:krackhardt"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sna.stanford.edu" in err[0] and "ESNSIM_DATA" in err[0]


def test_esnsim_data_is_searched_before_the_cache(real_data, no_data, monkeypatch):
    shared = real_data
    monkeypatch.setenv("ESNSIM_DATA", str(shared))
    assert datasets.find("krackhardt") == shared / "krackhardt_hightech"
    cached = no_data / "cache" / "krackhardt_hightech"
    shutil.copytree(shared / "krackhardt_hightech", cached)
    monkeypatch.setenv("ESNSIM_DATA", str(no_data / "elsewhere"))
    assert datasets.find("krackhardt") == cached  # ESNSIM_DATA lacks it: the cache has it
    assert datasets.load("krackhardt").size == 21


def test_fetch_offline_is_one_line_naming_the_url_and_esnsim_data(no_data, monkeypatch, capsys):
    dead = "http://127.0.0.1:9/"  # the discard port: nothing listens, the connection is refused
    source = sources.SOURCES["krackhardt"]
    downloads = {name: dead + name for name in source.downloads}
    monkeypatch.setitem(
        sources.SOURCES, "krackhardt", sources.Source(source.folder, downloads, source.reads, dead)
    )
    assert main(["datasets", "fetch", "krackhardt", "--into", str(no_data / "into")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert dead + "Krack-High-Tec-Attributes.csv" in err[0] and "ESNSIM_DATA" in err[0]
    assert not (no_data / "into" / "krackhardt_hightech").exists()


def _serve(folder: Path):
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _same(a, b) -> None:
    assert a.ids.tolist() == b.ids.tolist()
    assert a.manager.tolist() == b.manager.tolist()
    assert a.department_names == b.department_names
    assert np.array_equal(a.department, b.department)
    assert (a.ties != b.ties).nnz == 0


def test_fetch_downloads_unpacks_converts_and_loads_the_same_organisations(
    real_data, no_data, monkeypatch
):
    shared = real_data
    published = no_data / "published"
    published.mkdir()
    for name in sources.SOURCES["krackhardt"].downloads:
        shutil.copy(shared / "krackhardt_hightech" / name, published / name)
    for name in sources.SOURCES["email_eu_core"].downloads:
        with gzip.open(published / f"{name}.gz", "wb") as packed:
            packed.write((shared / "email_eu_core" / name).read_bytes())
    shutil.copy(shared / "lazega_lawfirm" / "Lazega-Law-Firm.paj", published)
    server = _serve(published)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for key, source in list(sources.SOURCES.items()):
            downloads = {name: base + Path(url).name for name, url in source.downloads.items()}
            monkeypatch.setitem(
                sources.SOURCES, key, sources.Source(source.folder, downloads, source.reads, base)
            )
        into = no_data / "data"
        monkeypatch.setenv("ESNSIM_DATA", str(into))
        for key in datasets.names():
            folder = fetch_module.fetch(key)
            assert folder == into / sources.SOURCES[key].folder
            assert not list(folder.glob("*.gz"))
    finally:
        server.shutdown()
    for key in datasets.names():
        fetched = datasets.load(key)
        monkeypatch.setenv("ESNSIM_DATA", str(shared))
        _same(fetched, datasets.load(key))
        monkeypatch.setenv("ESNSIM_DATA", str(into))


def test_the_lazega_pajek_file_parses_to_the_shared_tables(real_data):
    import pandas as pd

    folder = real_data / "lazega_lawfirm"
    nodes, edges = read_lazega_paj(folder / "Lazega-Law-Firm.paj")
    assert nodes.equals(pd.read_csv(folder / "nodes.csv"))
    assert edges.equals(pd.read_csv(folder / "edges.csv"))
    assert edges["relation"].value_counts().to_dict() == {
        "cowork": 1104,
        "advice": 892,
        "friendship": 575,
    }
