"""The report's cost table: every cost item of every plan, none silently zero.

One row per declared item (:data:`simulation.metrics.costs.COST_ITEMS`), one cell per plan: the
mean over the runs with where 90 % of runs fall, and, when the amount is zero, why (the item is
not in the plan, the plan uses none of it, or its price is 0, naming the ``costs:`` field). Then
the total and the cost per sustained weekly-active person, and the plans' levers that cost
nothing by nature, with the reason each declares.
"""

from __future__ import annotations

from html import escape

from simulation.metrics.costs import COST_COLUMNS, COST_ITEMS, no_cost_levers, plan_cost_lines
from simulation.report.labels import COST_LABELS, LABELS, data_number, fmt

NOT_IN_PLAN = "not in this plan"


def item_notes(result) -> dict[str, dict[str, str]]:
    """Plan -> item -> why its amount is zero ('' when it is not, or is not always)."""
    notes = {}
    for name, scenario in zip(result.names, result.scenarios, strict=True):
        lines = plan_cost_lines(scenario, result.org, scenario.days)
        mine: dict[str, list] = {}
        for line in lines:
            mine.setdefault(line.item, []).append(line)
        notes[name] = {}
        for item in COST_ITEMS:
            found = mine.get(item, [])
            if not found:
                notes[name][item] = NOT_IN_PLAN
            elif all(line.note for line in found):
                notes[name][item] = "; ".join(dict.fromkeys(line.note for line in found))
            else:
                notes[name][item] = ""
    return notes


def _cell(stats, name: str, metric: str, note: str = "") -> str:
    row = stats.loc[(metric, name)]
    mean, low, high = row["mean"], row["low"], row["high"]
    attrs = (
        f' data-scenario="{escape(name)}" data-metric="{metric}" data-mean="{data_number(mean)}" '
        f'data-low="{data_number(low)}" data-high="{data_number(high)}"'
    )
    if note and not mean:
        return f'<td{attrs} data-note="{escape(note)}">0<br><span class="interval">{escape(note)}</span></td>'
    interval = ""
    if low != high:
        interval = f'<br><span class="interval">[{fmt(low, "money")}, {fmt(high, "money")}]</span>'
    return f"<td{attrs}>{fmt(mean, 'money')}{interval}</td>"


def cost_table(result) -> str:
    """``<table id="costs">``: every item of every plan, the totals, then the no-cost levers."""
    stats = result.costs.set_index(["metric", "scenario"])
    summary = result.summary.set_index(["metric", "scenario"])
    notes = item_notes(result)
    rows = []
    for item, column in zip(COST_ITEMS, COST_COLUMNS, strict=True):
        if column not in stats.index.get_level_values("metric"):
            continue
        cells = "".join(_cell(stats, n, column, notes[n][item]) for n in result.names)
        rows.append(
            f'<tr data-metric="{column}"><td>{escape(COST_LABELS[column])}</td>{cells}</tr>'
        )
    for metric in ("cost", "cost_per_sustained_wau"):
        cells = "".join(_cell(summary, n, metric) for n in result.names)
        rows.append(f'<tr data-metric="{metric}"><td>{escape(LABELS[metric][0])}</td>{cells}</tr>')
    head = [f"{result.currency} over {result.days} days (mean, 90 % of runs)", *result.names]
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    table = (
        f'<table id="costs"><thead><tr>{header}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )
    free = {}
    for scenario in result.scenarios:
        for kind, why in no_cost_levers(scenario):
            free.setdefault(kind, why)
    note = ""
    if free:
        note = (
            '<p class="note" id="no-cost-levers">Levers with no cost: '
            + "; ".join(f"<b>{escape(k)}</b>, {escape(why)}" for k, why in free.items())
            + ".</p>"
        )
    licensing = {s.costs.licensing for s in result.scenarios}
    basis = (
        "every employed person, seat by seat (<code>costs.licensing: per_seat</code>)"
        if licensing == {"per_seat"}
        else "the registered people, day by day, where a plan says "
        "<code>costs.licensing: per_registered</code>"
    )
    return (
        table + note + f'<p class="note">Licences are charged for {basis}. Prices are the plans\' '
        "<code>costs:</code> group (docs/ODD.md gives each default and its source).</p>"
    )
