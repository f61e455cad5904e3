"""The documentation site builds in strict mode, its generated pages are complete, and it is offline.

``mkdocs build --strict`` fails on any warning: a broken link or anchor, a page left out of the
navigation, a docstring mkdocstrings cannot read. The site must ask nothing of the network when
read: no script, style sheet, font or image from elsewhere (links in the text to publications
are fine).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
# a <link> with one of these rels makes the browser fetch its href
FETCHED_LINKS = {"stylesheet", "preload", "modulepreload", "preconnect", "dns-prefetch", "icon"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docs") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", ROOT / "mkdocs.yml"]
        + ["-d", out],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-5000:]
    return out


def page_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_the_site_builds_strictly_with_every_page(site):
    pages = ["index", "getting-started", "tutorials/consultant", "tutorials/strategist"]
    pages += ["tutorials/researcher", "how-to/sweep-script", "how-to/dask", "how-to/calibrate"]
    pages += ["ODD", "validation", "performance", "reliability", "extending", "sweeps"]
    for page in pages:  # page.html (use_directory_urls: false), so it also reads from file://
        assert (site / f"{page}.html").is_file(), page
    assert not list(site.rglob("*.py")), "hooks and scripts of docs/ are not pages"


def test_the_api_page_is_made_from_the_docstrings(site):
    text = page_text(site / "reference" / "api.html")
    assert "Run one scenario with replicates." in text  # Sim's docstring
    for name in [
        "simulation.experiments.sim.Sim",
        "simulation.experiments.multisim.compare",
        "simulation.experiments.sweep.Sweep",
    ]:
        assert f'id="{name}"' in text, name
    assert 'id="simulation.org.model.Organisation"' in text


def test_the_commands_page_lists_every_command_of_esnsim_help(site):
    help_text = subprocess.run(
        [sys.executable, "-m", "simulation", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "200"},
    ).stdout
    commands = re.search(r"\{([a-z,-]+)\}", help_text).group(1).split(",")
    assert {"run", "compare", "sweep", "calibrate"} <= set(commands)
    text = page_text(site / "reference" / "commands.html")
    for command in commands:
        assert f'<h3 id="esnsim-{command}"><code>esnsim {command}</code>' in text, command
        assert f"usage: esnsim {command}" in text, command  # its --help
    assert "--scheduler" in text and "--allow-path" in text  # options, from each --help


def test_the_schema_page_is_made_from_the_models(site):
    from simulation.plan.scenario import Scenario

    text = page_text(site / "reference" / "scenario-schema.html")
    schema = Scenario.model_json_schema()
    for field in schema["properties"]:
        assert f"<code>{field}</code>" in text, field
    for name in ["Facilitation", "Grassroots", "Threshold", "Costs"]:
        assert f'id="schema-{name.lower()}"' in text, name


class Fetches(HTMLParser):
    """What a browser would fetch on its own while showing the page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and FETCHED_LINKS & set((attrs.get("rel") or "").lower().split()):
            self.urls.append(attrs.get("href") or "")
        if tag == "style":
            self._in_style = True
        if attrs.get("style"):
            self.styles.append(attrs["style"])

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def remote_in_css(css: str) -> list[str]:
    imports = re.findall(r"@import\s+(?:url\()?\s*['\"]?([^'\")\s;]+)", css)
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", css)
    return [u for u in imports + urls if REMOTE.match(u)]


def test_the_site_fetches_nothing_from_elsewhere(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) >= 20
    for page in pages:
        text = page_text(page)
        parser = Fetches()
        parser.feed(text)
        remote = [url for url in parser.urls if REMOTE.match(url)]
        remote += [u for style in parser.styles for u in remote_in_css(style)]
        assert not remote, (page.relative_to(site), remote)
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, page
        assert 'class="mermaid"' not in text, page  # Material would load mermaid from a CDN
    for sheet in site.rglob("*.css"):
        assert not remote_in_css(page_text(sheet)), sheet.relative_to(site)
