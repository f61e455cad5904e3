"""The best plan for a budget (``esnsim optimise``): the front as a figure, the picks, the report.

:func:`front_figure` draws every trial (grey, on the search's seeds), the search's front and the
front re-scored on fresh seeds with 90 % intervals on both axes, the budget and the three picks.
:func:`render` makes the self-contained ``report.html`` with the report's own styles.
"""

from __future__ import annotations

from html import escape

import numpy as np
from matplotlib.ticker import FuncFormatter

from simulation.experiments.plan_front import PICK_LABELS, PICKS
from simulation.report.html import STYLE, _img, png
from simulation.report.plots import new_figure

_MARKERS = {"cheapest_meeting_target": "s", "best_within_budget": "*", "knee": "D"}


def front_figure(result):
    """Cost (x) against the outcome (y): trials, the search's front, the re-scored front."""
    fig = new_figure(7.2, 4.6)
    ax = fig.add_subplot()
    trials = result.trials[result.trials["state"] == "complete"]
    ax.scatter(
        trials["cost"], trials["outcome"], s=12, color="#bbbbbb", label="trials (search seeds)"
    )
    searched = trials[trials["on_front"]].sort_values("cost")
    ax.plot(searched["cost"], searched["outcome"], color="#999999", ls="--", lw=1,
            label="the search's front")  # fmt: skip
    front = result.front.sort_values("cost")
    ax.errorbar(
        front["cost"],
        front["outcome"],
        xerr=[front["cost"] - front["cost_low"], front["cost_high"] - front["cost"]],
        yerr=[front["outcome"] - front["outcome_low"], front["outcome_high"] - front["outcome"]],
        fmt="o-",
        color="#4c72b0",
        ms=4,
        capsize=2,
        label="re-scored on fresh seeds (90 % intervals)",
    )
    for pick in PICKS:
        k = result.picks.get(pick)
        if k is not None:
            row = result.front.loc[k]
            ax.scatter([row["cost"]], [row["outcome"]], marker=_MARKERS[pick], s=110,
                       color="#dd8452", edgecolors="black", zorder=5,
                       label=pick.replace("_", " "))  # fmt: skip
    costs = result.front[["cost_low", "cost_high"]].to_numpy()
    if result.budget <= costs.max() * 1.2:
        ax.axvline(result.budget, color="#c44e52", lw=1, label=f"budget {result.budget:,.0f}")
    else:  # far to the right: said, not drawn (the plans would shrink to a line)
        ax.plot([], [], color="#c44e52", lw=1, label=f"budget {result.budget:,.0f} (beyond)")
    if np.isfinite(result.target_level):
        ax.axhline(result.target_level, color="#55a868", lw=1, ls=":", label="target")
    currency = result.space.base.costs.currency
    ax.set_xlabel(f"cost over {result.space.base.days} days ({currency})")
    ax.set_ylabel(result.space.objective.replace("_", " "))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:,.0f}"))
    ax.set_title("Cost against outcome: the plans worth looking at")
    ax.legend(fontsize=7, loc="lower right")
    return fig


def _value(value) -> str:
    return escape(_plain(value))


def front_table(result) -> str:
    """The re-scored front as an HTML table (one row per plan, cheapest first)."""
    names = [d.text for d in result.space.dimensions]
    head = "".join(f"<th>{escape(n)}</th>" for n in names)
    head += (
        "<th>cost</th><th>outcome</th><th>search's outcome</th><th>within budget</th><th>pick</th>"
    )
    rows = []
    for k, row in result.front.sort_values("cost").iterrows():
        cells = "".join(f"<td>{_value(row[n])}</td>" for n in names)
        cells += (
            f"<td>{row['cost']:,.0f}<br><span class='interval'>[{row['cost_low']:,.0f}, "
            f"{row['cost_high']:,.0f}]</span></td>"
            f"<td>{row['outcome']:.3f}<br><span class='interval'>[{row['outcome_low']:.3f}, "
            f"{row['outcome_high']:.3f}]</span></td><td>{row['search_outcome']:.3f}</td>"
            f"<td>{row['within_budget']:.0%}</td>"
            f"<td>{escape(', '.join(p.replace('_', ' ') for p, i in result.picks.items() if i == k))}</td>"
        )
        rows.append(f"<tr data-trial='{int(row['trial'])}'>{cells}</tr>")
    return f"<table id='front'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def pick_lines(result) -> list[str]:
    """One plain line per pick (the terminal and the report)."""
    currency = result.space.base.costs.currency
    lines = []
    for pick in PICKS:
        k = result.picks.get(pick)
        if k is None:
            lines.append(f"{PICK_LABELS[pick]}: none")
            continue
        row = result.front.loc[k]
        settings = ", ".join(
            f"{d.text} {_plain(row[d.text])}"
            for d in result.space.dimensions
            if _plain(row[d.text]) != "-"
        )
        lines.append(
            f"{PICK_LABELS[pick]}: {settings}: {result.space.objective} {row['outcome']:.3f} "
            f"[{row['outcome_low']:.3f}, {row['outcome_high']:.3f}] for {row['cost']:,.0f} "
            f"{currency} ({row['within_budget']:.0%} of runs within the budget) -> "
            f"plans/{pick}.yaml"
        )
    return lines


def _plain(value) -> str:
    if value is None or (isinstance(value, float | np.floating) and np.isnan(value)):
        return "-"  # a setting of a lever switched off
    if isinstance(value, bool | np.bool_):
        return "on" if value else "off"
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return f"{int(value):,}"
    return str(value)


def render(result) -> tuple[str, bytes]:
    """``report.html``'s text and the front figure as PNG bytes."""
    figure = png(front_figure(result))
    base = result.space.base
    items = "".join(f"<li>{escape(line)}</li>" for line in pick_lines(result))
    notes = "".join(f"<p class='note'>{escape(n)}</p>" for n in result.notes)
    title = f"The best plan for a budget: {base.name}"
    body = (
        f"<h1>{escape(title)}</h1>"
        f"<div id='answer'><p class='lead'>Budget {result.budget:,.0f} {escape(base.costs.currency)}; "
        f"target: {escape(result.target_text)}.</p><ul>{items}</ul></div>"
        "<h2 id='front-section'>The front</h2>"
        f"<p>{len(result.trials)} distinct plans tried by Optuna's {escape(result.method)}, each on the same "
        f"{len(result.seeds)} seeds (common random numbers); the {len(result.front)} plans of the "
        f"search's front re-scored on {len(result.check_seeds)} fresh seeds each, with 90 % "
        "intervals of the mean (a front of noisy means is optimistic: the re-score is the "
        "honest figure).</p>" + _img(figure, "cost against outcome") + front_table(result) + notes
    )
    html = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title><style>{STYLE}</style></head><body>{body}</body></html>\n"
    )
    return html, figure
