"""The figures the README's screenshots show, computed by the current model (one function each).

``docs/make_screenshots.py`` photographs each page, reads the figures it shows from the page,
checks them against these functions and writes them beside the picture
(``docs/screenshots/<picture>.json``, with the inputs they came from);
``tests/test_screenshots_current.py`` recomputes them from those inputs with these functions
and fails when the model no longer gives the figures a picture shows.

Figures are kept as the page displays them (rounded text), so a change the picture would show
is a change here, and one it would not show is not.
"""

from __future__ import annotations

import json
import re
import warnings
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIDECARS = ROOT / "docs" / "screenshots"

#: the synthetic client export's header names (examples/README.md)
COLUMNS = (
    "employee_id=Employee ID,manager_id=Manager Employee ID,department=Supervisory Organization,"
    "site=Location,frontline=Frontline Worker,level=Management Level"
)

#: ``report.png``: a comparison's report.html on the synthetic client export
REPORT = {
    "scenarios": ["top_down_mandate", "grassroots", "full_support"],
    "org": "examples/client_hr_workday.csv",
    "columns": COLUMNS,
    "replicates": 20,
    "seed": 0,
    "days": 365,
}

#: ``dashboard-compare.png``: the compare page as it opens (simulation/dashboard/compare_page.py)
COMPARE_PAGE = {
    "plans": ["top_down_mandate", "full_support"],
    "organisation": "generated",
    "people": 1000,
    "replicates": 10,
    "days": 180,
    "seed": 0,
}

NUMBER = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?")


def report_command(inputs: dict, out: str = "OUT") -> list[str]:
    """The ``esnsim compare`` command of ``report.png`` (writing to ``out``)."""
    return [
        "esnsim",
        "compare",
        *inputs["scenarios"],
        "--org",
        inputs["org"],
        "--columns",
        inputs["columns"],
        "--replicates",
        str(inputs["replicates"]),
        "--seed",
        str(inputs["seed"]),
        "--days",
        str(inputs["days"]),
        "--out",
        out,
        "--quiet",
    ]


def text(html: str) -> str:
    """The text of an HTML fragment, tags dropped and whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())


class _Lines(HTMLParser):
    """The text of a page as lines: one per block (heading, paragraph, item, table row)."""

    BLOCKS = {"h1", "h2", "h3", "p", "li", "dt", "dd", "tr", "section", "ul", "dl", "table"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.buffer = ""

    def _flush(self) -> None:
        line = " ".join(self.buffer.split())
        if line:
            self.lines.append(line)
        self.buffer = ""

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._flush()
        elif tag in ("td", "th") and self.buffer.strip():
            self.buffer += " | "
        elif tag == "br":
            self.buffer += " "

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        self.buffer += data

    def close(self):
        super().close()
        self._flush()


def lines(html: str) -> list[str]:
    """The lines of text of an HTML fragment (see :class:`_Lines`)."""
    parser = _Lines()
    parser.feed(html)
    parser.close()
    return parser.lines


def numbers(shown: list[str]) -> list[list[str]]:
    """The numbers of each line, as printed."""
    return [NUMBER.findall(line) for line in shown]


def report_top(html: str) -> list[str]:
    """The lines of report.html the picture shows: the top, down to the targets' table."""
    body = html.split("<body>", 1)[-1]
    start = body.find('<table id="targets"')
    end = body.find("</table>", start)
    if start < 0 or end < 0:
        raise ValueError("report.html has no table of targets: where does the picture end?")
    return lines(body[: end + len("</table>")])


def report_figures_of(result, html: str) -> dict:
    """The figures of ``report.png`` from a comparison and its report.html text."""
    from simulation.report.labels import fmt

    return {
        "leader": result.leader,
        "sustained_weekly_active": {
            name: fmt(result.stat("summary", name, "sustained_wau")["mean"], "pct")
            for name in result.names
        },
        "shown": report_top(html),
    }


def report_figures(inputs: dict = REPORT) -> dict:
    """The figures of ``report.png``, run in this process (what ``esnsim compare`` runs)."""
    from simulation.experiments.multisim import MultiSim
    from simulation.org import parse_columns
    from simulation.report.html import render

    ms = MultiSim(
        inputs["scenarios"],
        org=str(ROOT / inputs["org"]),
        columns=parse_columns(inputs["columns"]),
        replicates=inputs["replicates"],
        seed=inputs["seed"],
        days=inputs["days"],
    ).run()
    return report_figures_of(ms.result, render(ms.result, pngs={}))


class _Cells(HTMLParser):
    """The cells of the compare page's table: ``{metric: {plan: text}}``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: dict[str, dict[str, str]] = {}
        self.at: tuple[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag == "td" and "data-metric" in found:
            self.at = (found["data-metric"], found["data-plan"])
            self.cells.setdefault(self.at[0], {})[self.at[1]] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self.at = None

    def handle_data(self, data):
        if self.at is not None:
            metric, plan = self.at
            self.cells[metric][plan] = " ".join((self.cells[metric][plan] + data).split())


def compare_page_figures(inputs: dict) -> dict:
    """The figures of ``dashboard-compare.png``: the leading plan's sentence and the table."""
    from simulation.dashboard.compare_page import summary_html
    from simulation.dashboard.levers import organisation
    from simulation.experiments.multisim import MultiSim
    from simulation.report.answer import lead_sentence

    ms = MultiSim(
        inputs["plans"],
        org=organisation(inputs["organisation"], inputs["people"]),
        replicates=inputs["replicates"],
        seed=inputs["seed"],
        days=inputs["days"],
    ).run()
    cells = _Cells()
    cells.feed(summary_html(ms.summary(), ms.result.currency))  # costs as the page shows them
    cells.close()
    return {
        "leader": ms.result.leader,
        "lead": text(lead_sentence(ms.result)),
        "table": cells.cells,
    }


def one_run_figures(inputs: dict) -> dict:
    """The figures of ``dashboard-one-run.png``: the day's figures under the network."""
    from simulation.dashboard.levers import LeverModel

    with warnings.catch_warnings():  # solara's check of Mesa's hooks, at import
        warnings.simplefilter("ignore", UserWarning)
        from simulation.dashboard.single import FIGURES as SHOWN

    model = LeverModel(**inputs["levers"], **inputs["model"])
    model.run(inputs["day"])
    last = model.datacollector.get_model_vars_dataframe().iloc[-1]
    return {
        "heading": f"Day {model.day} of {model.scenario.days}, {model.org.name}",
        # as DayFigures shows them (simulation/dashboard/single.py)
        "table": {name: f"{float(last[column]):.1%}" for column, name in SHOWN},
    }


#: each picture's function, by the ``page`` its sidecar names
FIGURES = {
    "report": lambda sidecar: report_figures(sidecar["inputs"]),
    "dashboard-compare": lambda sidecar: compare_page_figures(sidecar["inputs"]),
    "dashboard-one-run": lambda sidecar: one_run_figures(sidecar["inputs"]),
}


def recompute(sidecar: dict) -> dict:
    """The figures a sidecar records, computed again by the current code."""
    return FIGURES[sidecar["page"]](sidecar)


def sidecars() -> dict[str, dict]:
    """Every sidecar of docs/screenshots/, by file name."""
    return {p.name: json.loads(p.read_text()) for p in sorted(SIDECARS.glob("*.json"))}
