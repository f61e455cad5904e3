"""The compare page's results: the report's own answer, value for money and the parameters' spread.

Nothing here computes a statistic: the comparison's result (``MultiSim.run``) holds them, and
the page writes them with the report's functions, so that the page and ``report.html`` say the
same thing: which uncertainty the figures cover
(:func:`simulation.report.uncertainty_section.scope_paragraph`), the best plan within the budget
(:func:`simulation.report.value_section.budget_answer`), the leading plan's sentence, the answer
across plausible parameters, the curves, the summary table (costs in the plans' currency), the
value-for-money ranking (:func:`simulation.report.value_section.section`) and the section across
plausible parameters (:func:`simulation.report.uncertainty_section.section`).
"""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import solara

from simulation.report.answer import lead_sentence, versus_items
from simulation.report.labels import fmt, kind_of, label
from simulation.report.uncertainty_section import across_items, scope_paragraph
from simulation.report.uncertainty_section import section as uncertainty_section
from simulation.report.value_section import budget_answer
from simulation.report.value_section import section as value_section

TABLE_METRICS = (
    "sustained_wau",
    "peak_wau",
    "ebb_ratio",
    "registered_final",
    "contributor_share",
    "cost",
)
#: the report's tables, readable without the report's style sheet
STYLE = """
.esn-results table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.9em; }
.esn-results th, .esn-results td { border-bottom: 1px solid #ddd; padding: 4px 8px;
  text-align: left; vertical-align: top; }
.esn-results .interval, .esn-results .note { color: #666; font-size: 0.9em; }
.esn-results .caution { color: #b00020; }
"""


def summary_html(summary, currency: str = "") -> str:
    """The summary table (a metric a row, a plan a column: mean and 90 % interval).

    Costs carry ``currency`` (the plans' ``costs.currency``) in their row's label and cells.
    """
    plans = list(dict.fromkeys(summary["scenario"]))
    head = "".join(f"<th>{html.escape(p)}</th>" for p in plans)
    rows = []
    for metric in TABLE_METRICS:
        kind = kind_of(metric)
        money = currency if kind == "money" else None
        cells = []
        for plan in plans:
            row = summary[(summary["scenario"] == plan) & (summary["metric"] == metric)]
            if row.empty:
                cells.append("<td></td>")
                continue
            mean, low, high = (float(row.iloc[0][c]) for c in ("mean", "low", "high"))
            cells.append(
                f'<td data-metric="{metric}" data-plan="{html.escape(plan)}" '
                f'data-mean="{mean!r}">{fmt(mean, kind, currency=money)} '
                f"({fmt(low, kind)} to {fmt(high, kind)})</td>"
            )
        name = label(metric) + (f" ({currency})" if money else "")
        rows.append(f"<tr><th>{html.escape(name)}</th>{''.join(cells)}</tr>")
    return f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"


def answer_html(result) -> str:
    """The answer's first lines: the scope, the budget's answer, the lead and its paired
    differences (as the report's), across parameters."""
    return (
        scope_paragraph(result)
        + budget_answer(result)
        + lead_sentence(result)
        + versus_items(result)  # by how much and how surely: 'leads' alone can mean by nothing
        + across_items(result)
    )


@solara.component
def Results(ms):
    """A finished comparison on the page, and the download of its ``report.html``."""
    result = ms.result
    with solara.Column(classes=["esn-results"]):
        solara.Style(STYLE)
        solara.HTML(tag="div", unsafe_innerHTML=answer_html(result))
        solara.FigureMatplotlib(ms.plot("wau"), format="png")
        solara.HTML(
            tag="table",
            unsafe_innerHTML=summary_html(ms.summary(), result.currency),
            attributes={"id": "compare-summary"},
        )
        solara.HTML(tag="div", unsafe_innerHTML=value_section(result))
        solara.HTML(tag="div", unsafe_innerHTML=uncertainty_section(result))

        def report() -> bytes:
            with tempfile.TemporaryDirectory() as scratch:
                return ms.to_html(Path(scratch) / "report.html").read_bytes()

        solara.FileDownload(
            report, filename="report.html", label="Download report.html", mime_type="text/html"
        )
