"""Value for money in the report and the terminal, rendered from ``result.value``.

The statistics are computed once (:class:`simulation.metrics.value.ValueForMoney`, set by
``MultiSim.run``); this module only writes them: the budget's answer at the top of the report's
answer, the section ranking the plans on the outcome and on the extra cost per extra sustained
weekly-active person against the cheapest plan, the lever table when it was asked for, and the
same in short for the terminal. Every number is also in ``data-*`` attributes, unrounded.
"""

from __future__ import annotations

from html import escape

from simulation.report.labels import bold, data_number, difference_kind, fmt, kind_of, label


def budget_answer(result) -> str:
    """``<p id="answer-budget">``: the best plan within the budget, and the better plans over it
    ('' without a budget)."""
    value = getattr(result, "value", None)
    if value is None or value.budget is None:
        return ""
    cur = result.currency
    best = value.row(value.best)
    outcome = value.outcome
    kind = kind_of(outcome)
    text = (
        f"Within a budget of {fmt(value.budget, 'money', currency=cur)}, {bold(value.best)} is the "
        f"best plan on <i>{escape(label(outcome))}</i>: {fmt(best['outcome'], kind)}, for "
        f"{fmt(best['cost'], 'money', currency=cur)} on average; its cost stays within the "
        f"budget in {fmt(best['budget_chance'], 'pct')} of runs (90 % interval "
        f"{fmt(best['budget_chance_low'], 'pct')} to {fmt(best['budget_chance_high'], 'pct')})."
    )
    over = value.plans[(~value.plans["within_budget"]) & (value.plans["rank"] < best["rank"])]
    for r in over.itertuples():
        text += (
            f" {bold(r.scenario)} does better ({fmt(r.outcome, kind)}) but costs "
            f"{fmt(r.cost, 'money', currency=cur)}, over the budget: not the answer."
        )
    return (
        f'<p class="lead" id="answer-budget" data-best="{escape(value.best)}" '
        f'data-budget="{data_number(value.budget)}" data-chance="{data_number(best["budget_chance"])}">'
        f"{text}</p>"
    )


def _ranking(result) -> str:
    value, cur = result.value, result.currency
    kind = kind_of(value.outcome)
    head = [
        "rank",
        "plan",
        label(value.outcome),
        f"cost ({cur}, mean, 90 % of runs)",
        f"extra cost against {value.cheapest} (paired, 90 % CI)",
        f"extra sustained weekly-active people against {value.cheapest}",
        "extra cost per extra person",
    ]
    if value.budget is not None:
        head.append(f"within {fmt(value.budget, 'money', currency=cur)}")
    rows = []
    for r in value.plans.itertuples():
        per = fmt(r.cost_per_extra_person, "money", currency=cur)
        if r.scenario == value.cheapest:
            per = "the cheapest plan"
        elif per == "n/a":
            per = "n/a: no clear extra people"
        flags = " (dominated: another plan costs no more and does better)" if r.dominated else ""
        cells = [
            f"<td>{r.rank}</td>",
            f"<td>{escape(r.scenario)}{flags}</td>",
            f'<td data-mean="{data_number(r.outcome)}">{fmt(r.outcome, kind)}</td>',
            f'<td data-mean="{data_number(r.cost)}" data-low="{data_number(r.cost_low)}" '
            f'data-high="{data_number(r.cost_high)}">{fmt(r.cost, "money")}<br><span class="interval">'
            f"[{fmt(r.cost_low, 'money')}, {fmt(r.cost_high, 'money')}]</span></td>",
            f'<td data-mean="{data_number(r.extra_cost)}" data-low="{data_number(r.extra_cost_low)}" '
            f'data-high="{data_number(r.extra_cost_high)}">{fmt(r.extra_cost, "money", True)}'
            f'<br><span class="interval">[{fmt(r.extra_cost_low, "money", True)}, '
            f"{fmt(r.extra_cost_high, 'money', True)}]</span></td>",
            f'<td data-mean="{data_number(r.extra_people)}" data-low="{data_number(r.extra_people_low)}" '
            f'data-high="{data_number(r.extra_people_high)}">{fmt(r.extra_people, "count", True)}'
            f'<br><span class="interval">[{fmt(r.extra_people_low, "count", True)}, '
            f"{fmt(r.extra_people_high, 'count', True)}]</span></td>",
            f'<td data-mean="{data_number(r.cost_per_extra_person)}">{per}</td>',
        ]
        if value.budget is not None:
            verdict = "yes" if r.within_budget else "no: over the budget"
            cells.append(
                f'<td data-mean="{data_number(r.budget_chance)}">{verdict}; within it in '
                f"{fmt(r.budget_chance, 'pct')} of runs</td>"
            )
        rows.append(f'<tr data-scenario="{escape(r.scenario)}">{"".join(cells)}</tr>')
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    return (
        f'<table id="value"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _levers(result) -> str:
    value, cur = result.value, result.currency
    table = value.levers
    if table is None:
        return ""
    kind = difference_kind(table.outcome)
    rows = []
    for r in table.rows.itertuples():
        per = fmt(r.cost_per_extra_person, "money", currency=cur)
        rows.append(
            f'<tr data-lever="{escape(r.lever)}"><td>{escape(r.lever)}</td>'
            f'<td data-mean="{data_number(r.effect)}" data-low="{data_number(r.effect_low)}" '
            f'data-high="{data_number(r.effect_high)}">{fmt(r.effect, kind, True)}<br>'
            f'<span class="interval">[{fmt(r.effect_low, kind, True)}, '
            f"{fmt(r.effect_high, kind, True)}]</span></td>"
            f'<td data-mean="{data_number(r.cost)}">{fmt(r.cost, "money")}</td>'
            f'<td data-mean="{data_number(r.extra_people)}">{fmt(r.extra_people, "count", True)}</td>'
            f'<td data-mean="{data_number(r.cost_per_extra_person)}">'
            f"{per if per != 'n/a' else 'n/a: no clear extra people'}</td>"
            + _without_cell(value, r, kind="pct" if kind == "points" else kind)
            + "</tr>"
        )
    total, rest = table.total, table.remainder
    rows.append(
        f'<tr data-lever="all"><td>all levers (the plan minus the plan with none)</td>'
        f'<td data-mean="{data_number(total["mean"])}" data-low="{data_number(total["low"])}" '
        f'data-high="{data_number(total["high"])}">{fmt(total["mean"], kind, True)}<br>'
        f'<span class="interval">[{fmt(total["low"], kind, True)}, '
        f"{fmt(total['high'], kind, True)}]</span></td>"
        f'<td data-mean="{data_number(total["cost"])}">{fmt(total["cost"], "money")}</td><td></td><td></td>'
        "<td></td></tr>"
    )
    head = [
        f"lever of {table.plan}, removed in turn",
        f"effect on {label(table.outcome)} (paired, 90 % CI)",
        f"its cost ({cur})",
        "extra sustained weekly-active people",
        "cost per extra person",
        f"the plan without it: {label(table.outcome)}, cost"
        + (f", within {fmt(value.budget, 'money', currency=cur)}?" if value.budget else ""),
    ]
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    adds_up = rest["low"] <= 0 <= rest["high"]
    verdict = (
        "they add up, within the noise: the levers barely interact"
        if adds_up
        else (
            "the levers overlap: each is credited with less than it brings alone, because the "
            "others would bring part of it too"
            if rest["mean"] > 0
            else "the levers overlap: removing one at a time credits each with what the others "
            "would also bring, so the effects add up to more than all levers together"
        )
    )
    note = (
        f'<p class="note" id="lever-remainder" data-sum="{data_number(table.sum_of_effects)}" '
        f'data-total="{data_number(total["mean"])}" data-mean="{data_number(rest["mean"])}" '
        f'data-low="{data_number(rest["low"])}" data-high="{data_number(rest["high"])}">The effects sum to '
        f"{fmt(table.sum_of_effects, kind, True)}; all levers together bring "
        f"{fmt(total['mean'], kind, True)}. The difference, the levers' interaction, is "
        f"{fmt(rest['mean'], kind, True)} (paired, 90 % interval {fmt(rest['low'], kind, True)} "
        f"to {fmt(rest['high'], kind, True)}): {verdict}.</p>"
    )
    return (
        "<h3>What each lever brings</h3>"
        f'<table id="lever-table"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}'
        "</tbody></table>" + note
    )


def _without_cell(value, r, kind: str) -> str:
    """The plan without lever ``r``: its outcome and cost, and whether it fits the budget."""
    text = f"{fmt(r.without_outcome, kind)}, {fmt(r.without_cost, 'money')}"
    fits = ""
    if value.budget is not None:
        inside = r.without_cost <= value.budget
        fits = f' data-fits="{str(inside).lower()}"'
        text += "; within the budget" if inside else "; over the budget"
    return (
        f'<td class="without" data-outcome="{data_number(r.without_outcome)}" '
        f'data-cost="{data_number(r.without_cost)}"{fits}>{text}</td>'
    )


def section(result) -> str:
    """``<section id="value-for-money">``: the ranking, then the lever table if it was run."""
    value = getattr(result, "value", None)
    if value is None:
        return ""
    hint = (
        f'<p class="note" id="lever-table-note">{escape(value.levers_note)}.</p>'
        if value.levers_note
        else ""
        if value.levers is not None
        else '<p class="note">Run <code>esnsim compare ... --lever-table</code> to see what each '
        "lever of the leading plan brings and costs.</p>"
    )
    return (
        '<section id="value-for-money"><h2>Value for money</h2>'
        f'<p class="note">Plans ranked on {escape(label(value.outcome))}; the extra figures are '
        f"paired against the cheapest plan, {bold(value.cheapest)} (replicate k against replicate "
        "k). An extra person is one more sustained weekly-active person (the last 30 days). The "
        "cost per extra person is the mean extra cost over the mean extra people, shown when the "
        "extra people are clearly above zero.</p>"
        + _ranking(result)
        + _levers(result)
        + hint
        + "</section>"
    )


def value_lines(result) -> list[str]:
    """The terminal's value-for-money lines."""
    value = getattr(result, "value", None)
    if value is None:
        return []
    cur = result.currency
    lines = [f"Value for money, against the cheapest plan ({value.cheapest}):"]
    for r in value.plans.itertuples():
        if r.scenario == value.cheapest:
            continue
        per = fmt(r.cost_per_extra_person, "money", currency=cur)
        lines.append(
            f"  {r.scenario}: {fmt(r.extra_cost, 'money', True, cur)} for "
            f"{fmt(r.extra_people, 'count', True)} sustained weekly-active people: "
            + (f"{per} per extra person" if per != "n/a" else "no clear extra people")
            + (" (dominated)" if r.dominated else "")
        )
    if value.budget is not None:
        best = value.row(value.best)
        lines.append(
            f"Within {fmt(value.budget, 'money', currency=cur)}: {value.best} "
            f"({fmt(best['cost'], 'money', currency=cur)}; within the budget in "
            f"{fmt(best['budget_chance'], 'pct')} of runs)"
            + (
                f"; {value.leader} does better but is over the budget"
                if value.leader != value.best
                else ""
            )
        )
    if value.levers_note:
        lines.append(value.levers_note)
    table = value.levers
    if table is not None:
        kind = difference_kind(table.outcome)
        lines.append(f"Each lever of {table.plan}, removed in turn (paired):")
        plain = "pct" if kind == "points" else kind
        for r in table.rows.itertuples():
            fits = ""
            if value.budget is not None and r.without_cost <= value.budget:
                fits = (
                    f"; without it: {fmt(r.without_outcome, plain)} for "
                    f"{fmt(r.without_cost, 'money', currency=cur)}, within the budget"
                )
            lines.append(
                f"  {r.lever}: {fmt(r.effect, kind, True)} "
                f"[{fmt(r.effect_low, kind, True)}, {fmt(r.effect_high, kind, True)}] for "
                f"{fmt(r.cost, 'money', currency=cur)}{fits}"
            )
        rest = table.remainder
        lines.append(
            f"  sum {fmt(table.sum_of_effects, kind, True)}, all together "
            f"{fmt(table.total['mean'], kind, True)}, interaction {fmt(rest['mean'], kind, True)} "
            f"[{fmt(rest['low'], kind, True)}, {fmt(rest['high'], kind, True)}]"
        )
    return lines
