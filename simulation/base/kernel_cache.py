"""numba's on-disk cache of the compiled kernels, kept in step with their sources.

numba reuses a compiled function for as long as the file that defines it is unchanged, but a kernel
also inlines functions defined in other files (the day kernel inlines the habit and visit equations
and the random numbers): editing only those would leave a stale kernel in the cache. So at import
the package hashes every module that uses numba; when the hash differs from the one stored beside
the cache, the cache files of those modules are deleted and numba compiles afresh (a few seconds,
once). Where the package directory is read-only, numba caches elsewhere and nothing is deleted.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the package, above this layer


def kernel_sources(package: Path = PACKAGE) -> list[Path]:
    """The package's modules that use numba, in a stable order."""
    return sorted(p for p in package.rglob("*.py") if "numba" in p.read_text(encoding="utf-8"))


def sources_digest(sources: list[Path], package: Path = PACKAGE) -> str:
    """A hash of the sources' paths (relative to ``package``) and contents."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def cache_dir(folder: Path) -> Path:
    """Where numba caches the kernels of the modules in ``folder``: ``__pycache__`` beside them,
    or, with ``NUMBA_CACHE_DIR`` set, numba's sub-folder there for ``folder`` (its name and the
    SHA-1 of its absolute path, as numba's cache locators name it); the stamp goes there too."""
    home = os.environ.get("NUMBA_CACHE_DIR", "").strip()
    if home:
        path = os.path.abspath(folder)
        hashed = hashlib.sha1(path.encode()).hexdigest()  # noqa: S324 - numba's naming, not security
        return Path(home) / f"{os.path.basename(path)}_{hashed}"
    return folder / "__pycache__"


def refresh(package: Path = PACKAGE) -> bool:
    """Delete the cached kernels of ``package`` if its numba sources changed; True if it did."""
    stamp = cache_dir(package) / "kernels.sha256"
    try:
        sources = kernel_sources(package)
        digest = sources_digest(sources, package)
        if stamp.is_file() and stamp.read_text() == digest:
            return False
        for source in sources:
            for cached in cache_dir(source.parent).glob(f"{source.stem}.*.nb[ic]"):
                cached.unlink(missing_ok=True)
        stamp.parent.mkdir(parents=True, exist_ok=True)
        partial = stamp.with_name(f"{stamp.name}.{os.getpid()}")
        partial.write_text(digest)
        partial.replace(stamp)
    except OSError:  # a read-only installation: numba keeps its cache elsewhere
        return False
    return True
