"""report.html: self-contained, opens in a real headless browser, tables = compare.parquet."""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pandas as pd
import pytest

import simulation as esn
from simulation.metrics.summary import SUMMARY_COLUMNS
from simulation.org import Organisation
from tests.browser import CHROMIUM_FLAGS
from tests.conftest import SCENARIOS

PLANS = [SCENARIOS / "top_down_mandate.yaml", SCENARIOS / "full_support.yaml"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """A saved comparison of two plans on a small organisation: its output folder."""
    org = Organisation.generate(250, seed=3)
    targets = ["wau>=0.4@60", "sustained_wau>=0.3"]
    ms = esn.compare(PLANS, org=org, replicates=5, seed=1, days=100, targets=targets)
    out = tmp_path_factory.mktemp("report")
    ms.save(out)
    return out


class Cells(HTMLParser):
    """Every <td> with data-mean, with its table id and data attributes; sources and links."""

    def __init__(self):
        super().__init__()
        self.table = None
        self.cells: list[dict] = []
        self.references: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if tag == "table":
            self.table = attrs.get("id")
        if tag == "td" and "data-mean" in attrs:
            self.cells.append({"table": self.table, **attrs})
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            if name in attrs:
                self.references.append(attrs[name])


def parse(text: str) -> Cells:
    cells = Cells()
    cells.feed(text)
    return cells


def test_report_is_self_contained(report):
    text = (report / "report.html").read_text(encoding="utf-8")
    page = parse(text)
    assert page.references and all(
        ref.startswith("data:image/png;base64,") for ref in page.references
    )
    assert not {"script", "link", "iframe", "object", "embed"} & page.tags
    assert not re.search(
        r"url\(|@import|https?://|file:", re.sub(r"data:image/png;base64,[^\"]+", "", text)
    )


def _chromium() -> str:
    path = shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but Chromium is missing: .ci/run installs Debian's chromium")
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium; .ci/run does)")
    return path


def _close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == pytest.approx(b, rel=1e-12, abs=1e-12)


def test_report_opens_in_headless_chromium_and_its_tables_hold_the_compare_numbers(
    report, tmp_path
):
    chromium = _chromium()
    result = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom"]
        + [(report / "report.html").resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    page = parse(result.stdout)  # the DOM the browser built, not the file's text
    stats = pd.read_parquet(report / "compare.parquet")
    checked = {"summary": 0, "targets": 0, "differences": 0, "use": 0}
    sections = {
        "summary": "summary",
        "targets": "target",
        "differences": "difference",
        "use": "sustained",
    }
    for cell in page.cells:
        if cell["table"] not in sections:
            continue
        rows = stats[
            (stats["section"] == sections[cell["table"]])
            & (stats["scenario"] == cell["data-scenario"])
            & (stats["metric"] == cell["data-metric"])
        ]
        assert len(rows) == 1, cell
        row = rows.iloc[0]
        for stat in ("mean", "low", "high"):
            assert _close(float(cell[f"data-{stat}"]), float(row[stat])), (cell, stat, row)
        checked[cell["table"]] += 1
    # every per-run figure and the cost per sustained weekly-active person, for each plan
    figures = len(SUMMARY_COLUMNS) + 1
    assert checked["summary"] == 2 * figures and checked["targets"] == 2 * 2
    assert checked["differences"] == figures and checked["use"] == 2 * 3


def test_a_heat_map_of_many_groups_draws_the_largest_and_says_so():
    """2,000 cost centres would draw a figure 100,000 pixels tall: the heat-map keeps the
    largest 30 and its title says how many of how many; a few groups are all drawn."""
    from simulation.report.plots import HEATMAP_ROWS, group_heatmap

    groups = [f"cc{g:03d}" for g in range(100)]
    rows = [{"scenario": s, "group": g, "metric": "wau", "mean": 0.3}
            for s in ("a", "b") for g in groups]  # fmt: skip
    sizes = pd.Series({g: (g.endswith("7") * 100) + k for k, g in enumerate(groups)})
    fig = group_heatmap(pd.DataFrame(rows), sizes=sizes)
    axis = fig.axes[0]
    drawn = [t.get_text() for t in axis.get_yticklabels()]
    assert len(drawn) == HEATMAP_ROWS == 30
    assert set(drawn) == set(sizes.sort_values(ascending=False).index[:30])
    assert "the 30 largest of 100 groups" in axis.get_title()
    few = group_heatmap(pd.DataFrame([r for r in rows if r["group"] < "cc005"]), sizes=sizes)
    assert len(few.axes[0].get_yticklabels()) == 5 and few.axes[0].get_title() == ""
