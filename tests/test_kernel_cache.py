"""The compiled-kernel cache is cleared when any numba source of the package changes."""

from simulation.base import kernel_cache


def _package(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub" / "__pycache__").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "kernel.py").write_text("import numba\n")
    (package / "sub" / "formula.py").write_text("import numba\nX = 1\n")
    (package / "plain.py").write_text("X = 1\n")
    return package


def _cached(package):
    files = [
        package / "__pycache__" / "kernel.advance-10.py311.nbi",
        package / "__pycache__" / "kernel.advance-10.py311.1.nbc",
        package / "sub" / "__pycache__" / "formula.step-3.py311.nbi",
        package / "__pycache__" / "plain.cpython-311.pyc",
    ]
    for f in files:
        f.write_text("x")
    return files


def test_refresh_clears_the_kernels_when_an_inlined_source_changes(tmp_path, monkeypatch):
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)  # numba's default: beside the sources
    package = _package(tmp_path)
    assert [p.name for p in kernel_cache.kernel_sources(package)] == ["kernel.py", "formula.py"]
    assert kernel_cache.refresh(package)  # no stamp yet: clears and stamps
    files = _cached(package)
    assert not kernel_cache.refresh(package)  # nothing changed: the cache stays
    assert all(f.exists() for f in files)

    (package / "sub" / "formula.py").write_text("import numba\nX = 2\n")  # only the inlined file
    assert kernel_cache.refresh(package)
    assert not any(f.exists() for f in files[:3])  # every kernel's cache went
    assert files[3].exists()  # bytecode is Python's business

    (package / "plain.py").write_text("X = 3\n")  # no numba in it: no effect
    files = _cached(package)
    assert not kernel_cache.refresh(package)
    assert all(f.exists() for f in files)


def test_the_package_stamp_matches_its_sources():
    import simulation  # noqa: F401  (importing the package refreshes)

    stamp = kernel_cache.cache_dir(kernel_cache.PACKAGE) / "kernels.sha256"
    sources = kernel_cache.kernel_sources()
    assert {p.name for p in sources} >= {"person_day.py", "contacts.py", "streams.py", "habit.py"}
    assert stamp.read_text() == kernel_cache.sources_digest(sources)


def test_with_numba_cache_dir_the_kernels_there_are_cleared(tmp_path, monkeypatch):
    from numba.core.caching import _CacheLocator

    package = _package(tmp_path)
    elsewhere = tmp_path / "numba-cache"
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(elsewhere))
    # numba's own name for a source folder's cache under NUMBA_CACHE_DIR
    sub = _CacheLocator.get_suitable_cache_subpath(str(package / "sub" / "formula.py"))
    assert kernel_cache.cache_dir(package / "sub") == elsewhere / sub
    assert kernel_cache.refresh(package)
    kept = kernel_cache.cache_dir(package / "sub") / "formula.step-3.py311.nbi"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_text("x")
    assert not kernel_cache.refresh(package) and kept.exists()
    (package / "kernel.py").write_text("import numba\nY = 1\n")
    assert kernel_cache.refresh(package) and not kept.exists()
