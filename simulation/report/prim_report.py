"""The conditions for success (``esnsim discover``): PRIM's figures and its HTML report.

Two figures: the peeling trajectory's trade-off (coverage against density, each box coloured by
how many parameters it limits, the chosen box marked) and the box (each limited parameter's
kept range within its swept range, with the limit's p-value and how often resampling limits it
again). :func:`render` makes the self-contained ``report.html`` with the report's own styles.
"""

from __future__ import annotations

from html import escape

import numpy as np

from simulation.report.html import STYLE, _img, png
from simulation.report.plots import new_figure


def tradeoff_figure(discovery):
    """Coverage (x) against density (y) along the peeling trajectory; the chosen box ringed."""
    result = discovery.result
    trajectory = result.trajectory
    fig = new_figure(6.4, 4.4)
    ax = fig.add_subplot()
    points = ax.scatter(
        trajectory["coverage"],
        trajectory["density"],
        c=trajectory["restricted"],
        cmap="viridis",
        s=18,
    )
    fig.colorbar(points, ax=ax, label="parameters limited")
    chosen = trajectory.iloc[result.chosen]
    ax.scatter(
        [chosen["coverage"]], [chosen["density"]], s=140, facecolors="none", edgecolors="red"
    )
    ax.scatter([result.box.coverage], [result.box.density], marker="*", s=120, color="red")
    ax.annotate("chosen (pasted: *)", (chosen["coverage"], chosen["density"]), xytext=(8, -14),
                textcoords="offset points", color="red", fontsize=8)  # fmt: skip
    ax.axhline(result.base_density, color="grey", lw=0.8, ls="--")
    ax.set_xlabel("coverage: share of all successes inside the box")
    ax.set_ylabel("density: share of the box's runs that succeed")
    ax.set_title(f"Peeling trajectory: {discovery.success.text}")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    return fig


def box_figure(discovery):
    """Each limited parameter's kept range as a bar within its swept range (0 to 1)."""
    result = discovery.result
    limits = result.limits
    fig = new_figure(9.0, 0.9 + 0.55 * max(1, len(limits)))
    ax = fig.add_subplot()
    for k, (_, row) in enumerate(limits.iterrows()):
        if row["kind"] == "categorical":
            kept, full = row["categories"].split(", "), sorted(result.space[row["parameter"]])
            label = " | ".join(kept)
            low, high = 0.0, len(kept) / max(1, len(full))
        else:
            span = row["full_high"] - row["full_low"] or 1.0
            low = (row["low"] - row["full_low"]) / span
            high = (row["high"] - row["full_low"]) / span
            label = f"{row['low']:.3g} to {row['high']:.3g}"
        ax.barh(k, high - low, left=low, color="#4c72b0", height=0.5)
        ax.text(1.02, k, f"{label}  (p {row['p_value']:.1g}, again {row['reappears']:.0%})",
                va="center", fontsize=8)  # fmt: skip
    ax.set_yticks(np.arange(len(limits)), limits["parameter"].tolist())
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("share of the swept range kept")
    ax.set_title("The box: where runs succeed")
    return fig


def limits_table(discovery) -> str:
    """The box's limits as an HTML table."""
    rows = []
    for _, row in discovery.result.limits.iterrows():
        if row["kind"] == "categorical":
            kept, swept = (
                row["categories"],
                ", ".join(sorted(map(str, discovery.result.space[row["parameter"]]))),
            )
        else:
            kept = f"{row['low']:.4g} to {row['high']:.4g}"
            swept = f"{row['full_low']:.4g} to {row['full_high']:.4g}"
        again = "" if np.isnan(row["reappears"]) else f"{row['reappears']:.0%}"
        rows.append(
            f"<tr><td>{escape(row['parameter'])}</td><td>{escape(kept)}</td>"
            f"<td>{escape(swept)}</td><td>{row['p_value']:.2g}</td><td>{again}</td></tr>"
        )
    head = "<tr><th>parameter</th><th>kept</th><th>swept</th><th>p-value</th><th>limited again</th></tr>"
    return f"<table id='limits'><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def section(discovery, pngs: dict[str, bytes]) -> str:
    """The report's "Conditions for success" section."""
    result = discovery.result
    box = result.box
    notes = "".join(f"<p class='note'>{escape(n)}</p>" for n in result.notes)
    return (
        "<h2 id='conditions'>Conditions for success</h2>"
        f"<p class='lead' id='sentence'>{escape(discovery.sentence)}</p>"
        f"<p>The box holds {box.count:,} of {result.total:,} runs ({box.mass:.0%}); "
        f"{box.successes:,} of them succeed (density {box.density:.1%}), "
        f"{box.coverage:.1%} of the {result.total_successes:,} successes (coverage).</p>"
        + limits_table(discovery)
        + "<p class='note'>p-value: the one-sided hypergeometric chance of as many successes in "
        "a box this size drawn from the box without that limit (small: the limit matters). "
        f"Limited again: the share of {result.resamples} bootstrap samples of the runs whose box "
        "limits that parameter too.</p>"
        + notes
        + _img(pngs.get("tradeoff"), "coverage against density along the peeling trajectory")
        + _img(pngs.get("box"), "the box")
    )


def render(discovery) -> tuple[str, dict[str, bytes]]:
    """``report.html``'s text and the figures as PNG bytes (``tradeoff``, ``box``)."""
    pngs = {
        name: png(draw(discovery))
        for name, draw in (("tradeoff", tradeoff_figure), ("box", box_figure))
    }
    title = f"Conditions for success: {discovery.sweep}"
    body = (
        f"<h1>{escape(title)}</h1><p>Sweep folder {escape(str(discovery.folder))}: "
        f"{discovery.runs:,} runs over {len(discovery.parameters)} parameters "
        f"({escape(', '.join(discovery.parameters))}); success: {escape(discovery.success.text)}. "
        "PRIM, the Patient Rule Induction Method (Friedman &amp; Fisher 1999).</p>"
        + section(discovery, pngs)
    )
    html = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title><style>{STYLE}</style></head><body>{body}</body></html>\n"
    )
    return html, pngs
