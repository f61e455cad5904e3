"""Solara's JavaScript and CSS, taken from the npm registry into its proxy cache at set-up.

Solara's pages load their scripts through a proxy that fetches from a public CDN the first time;
on a locked-down network the page would stay blank. ``python -m simulation.dashboard.assets``
(run by ``make``'s install step) fills the cache with ``npm pack`` instead, each package unpacked
into ``<cache>/<name>@<version>/``, where the proxy finds it and never goes out. The versions are
those solara 1.64.1's page template names (``solara/server/templates/solara.html.j2``) and the
grid layout Mesa's ``SolaraViz`` needs; check them after upgrading solara.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGES = (
    ("@widgetti/solara-vuetify-app", "10.1.1"),
    ("requirejs", "2.3.6"),
    ("font-awesome", "4.5.0"),
    ("@widgetti/vue-grid-layout", "2.3.13-alpha.2"),
)


def cache_dir() -> Path:
    """Solara's proxy cache: ``SOLARA_ASSETS_PROXY_CACHE_DIR``, else ``<sys.prefix>/share/solara/cdn``."""
    configured = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR", "").strip()
    return Path(configured) if configured else Path(sys.prefix) / "share" / "solara" / "cdn"


def missing(cache: Path | None = None) -> list[str]:
    """The ``name@version`` folders not yet in the cache."""
    cache = cache or cache_dir()
    return [f"{n}@{v}" for n, v in PACKAGES if not (cache / f"{n}@{v}" / "package.json").is_file()]


def fill(cache: Path | None = None, npm: str = "npm") -> list[str]:
    """``npm pack`` each missing package and unpack it into ``cache``; returns those added."""
    cache = cache or cache_dir()
    added = missing(cache)
    if not added:
        return []
    if shutil.which(npm) is None:
        raise RuntimeError(
            f"npm not found: the dashboard's assets ({', '.join(added)}) come from the npm registry"
        )
    with tempfile.TemporaryDirectory() as scratch:
        for spec in added:
            out = subprocess.run(
                [npm, "pack", "--silent", spec],
                cwd=scratch,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()[-1]
            target = cache / spec
            unpacked = Path(scratch) / f"unpacked-{out}"
            with tarfile.open(Path(scratch) / out) as archive:
                archive.extractall(unpacked, filter="data")  # no path leaves the folder
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                shutil.rmtree(target)
            shutil.move(unpacked / "package", target)
    return added


if __name__ == "__main__":
    done = fill()
    print("dashboard assets:", ", ".join(done) if done else "already in place", f"({cache_dir()})")
