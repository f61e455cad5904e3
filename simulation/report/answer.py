"""The top of ``report.html``: the answer in plain words, from a :class:`Comparison`.

Which plan leads on the chosen outcome, by how much (the paired difference with its 90 %
interval), how surely (the chance it does better than each other plan in a pair of replicates),
what each plan costs (by item, in the scenario's currency, and per sustained weekly-active
person) and when each plan reaches each target. Every number is also in the element's
``data-*`` attributes, unrounded (the values of ``compare.parquet``).
"""

from __future__ import annotations

from html import escape

from simulation.metrics.costs import COST_COLUMNS
from simulation.metrics.lead import CENSORED, LOWER_IS_BETTER
from simulation.report.labels import (
    COST_LABELS,
    LABELS,
    bold,
    data_number,
    difference_kind,
    fmt,
    kind_of,
    label,
    target_label,
)
from simulation.report.org_notes import names_used_html
from simulation.report.uncertainty_section import across_items, scope_paragraph
from simulation.report.value_section import budget_answer


def _unit(kind: str) -> str:
    return {"day": " days", "ratio": ""}.get(kind, "")


def _money(result):
    """``fmt`` with the comparison's currency on money."""

    def show(value, kind: str, signed: bool = False) -> str:
        currency = result.currency if kind == "money" else None
        return fmt(value, kind, signed, currency=currency)

    return show


def lead_sentence(result) -> str:
    """``<p id="answer-lead">``: the leading plan and every plan's mean outcome."""
    outcome, best = result.outcome, result.leader
    fmt = _money(result)
    kind = kind_of(outcome)
    means = result.outcome_means.to_dict()
    others = [n for n in result.names if n != best]
    against = ", ".join(f"{fmt(means[n], kind)} for {bold(n)}" for n in others)
    better = "lowest" if outcome in LOWER_IS_BETTER else "highest"
    share = " of employees" if kind == "pct" else ""
    return (
        f'<p class="lead" id="answer-lead" data-leader="{escape(best)}" '
        f'data-outcome="{escape(outcome)}" data-mean="{data_number(means[best])}">'
        f"{bold(best)} leads on <i>{escape(label(outcome))}</i> (the {better} mean over "
        f"{result.replicates} replicates): {fmt(means[best], kind)}{share}, against {against}."
        f"{censored_note(result)}</p>"
    )


def censored_note(result) -> str:
    """For a day-reached outcome, how many runs of each plan reached it; the others are counted
    at the run's last day (:data:`~simulation.metrics.lead.CENSORED`)."""
    if result.outcome not in CENSORED:
        return ""
    counts = result.outcome_reached.to_dict()
    if all(counts.get(n, 0) == result.replicates for n in result.names):
        return ""
    reached = ", ".join(f"{escape(n)} {counts.get(n, 0)}" for n in result.names)
    return (
        f" Runs that reached it, of {result.replicates}: {reached}; a run that never did counts "
        f"as day {result.days} (the run's end), so these means and the differences below are "
        "the earliest it could be."
    )


def versus_items(result) -> str:
    """``<ul id="answer-versus">``: by how much and how surely the leader beats each plan."""
    outcome, best = result.outcome, result.leader
    fmt = _money(result)
    kind = difference_kind(outcome)
    unit = _unit(kind_of(outcome))
    items = []
    beats = result.beats.set_index("reference")
    for row in result.versus.itertuples():
        other = row.reference
        win = beats.loc[other]
        direction = "below" if outcome in LOWER_IS_BETTER else "ahead of"
        size = abs(row.mean) if outcome in LOWER_IS_BETTER else row.mean
        clear = row.low > 0 or row.high < 0
        verdict = (
            "a clear lead: the whole interval is on one side of zero"
            if clear
            else "not a clear lead: the interval includes zero"
        )
        items.append(
            f'<li data-scenario="{escape(best)}" data-reference="{escape(other)}" '
            f'data-metric="{escape(outcome)}" data-mean="{data_number(row.mean)}" '
            f'data-low="{data_number(row.low)}" data-high="{data_number(row.high)}" '
            f'data-beats="{data_number(win["mean"])}" data-beats-low="{data_number(win["low"])}" '
            f'data-beats-high="{data_number(win["high"])}" data-pairs="{int(win["n"])}">'
            f"{bold(best)} is {direction} {bold(other)} by {fmt(size, kind)}{unit} "
            f"(difference {fmt(row.mean, kind, True)}{unit}, 90 % interval "
            f"{fmt(row.low, kind, True)}{unit} to {fmt(row.high, kind, True)}{unit}, paired over "
            f"{int(row.n)} replicates; {verdict}). It does better in "
            f"{round(win['mean'] * win['n'])} of {int(win['n'])} paired replicates: a "
            f"{fmt(win['mean'], 'pct')} chance of beating it (90 % interval "
            f"{fmt(win['low'], 'pct')} to {fmt(win['high'], 'pct')}).</li>"
        )
    return '<ul id="answer-versus">' + "".join(items) + "</ul>"


def cost_sentences(result) -> str:
    """``<ul id="answer-costs">``: each plan's cost by item, its total and per sustained user."""
    cur = result.currency
    items = []
    for name in result.names:
        total = result.stat("summary", name, "cost")
        per = result.stat("summary", name, "cost_per_sustained_wau")
        parts = []
        for column in COST_COLUMNS:
            value = result.stat("cost", name, column)["mean"]
            if value > 0 or column == "cost_licences":
                parts.append(
                    f'<span data-metric="{column}" data-mean="{data_number(value)}">'
                    f"{COST_LABELS[column]} {fmt(value, 'money', currency=cur)}</span>"
                )
        items.append(
            f'<li data-scenario="{escape(name)}" data-cost="{data_number(total["mean"])}" '
            f'data-cost-per-user="{data_number(per["mean"])}">{bold(name)} costs '
            f"{fmt(total['mean'], 'money', currency=cur)} over {result.days} days ("
            + ", ".join(parts)
            + f"): {fmt(per['mean'], 'money', currency=cur)} per sustained weekly-active "
            "person.</li>"
        )
    return '<ul id="answer-costs">' + "".join(items) + "</ul>"


def target_sentences(result) -> str:
    """``<ul id="answer-targets">``: per target, each plan's chance and mean day reached."""
    items = []
    for target in result.targets:
        prob = result.probabilities[target.text]
        parts = []
        for r in prob.itertuples():
            when = ""
            if target.day is not None:
                when = (
                    f", on day {r.day_reached:.0f} on average when it does"
                    if r.probability > 0
                    else ", in none of the runs"
                )
                if r.probability > 0 and r.lost > 0:
                    when += (
                        f' <span class="lost">but below it again for good from day '
                        f"{r.day_lost:.0f} on average in {fmt(r.lost, 'pct')} of those runs: "
                        "reached in a launch spike, not kept</span>"
                    )
            parts.append(
                f'<span data-scenario="{escape(r.scenario)}" data-mean="{data_number(r.probability)}" '
                f'data-day="{data_number(r.day_reached)}">{bold(r.scenario)} '
                f"{fmt(r.probability, 'pct')} of runs{when}</span>"
            )
        text = target_label(target)
        items.append(
            f'<li data-metric="{escape(target.text)}">{escape(text[0].upper() + text[1:])}: '
            + "; ".join(parts)
            + ".</li>"
        )
    return '<ul id="answer-targets">' + "".join(items) + "</ul>"


def plans_list(result) -> str:
    """``<dl id="plans">``: each plan's name and description."""
    rows = "".join(
        f"<dt>{escape(s.name)}</dt><dd>{escape(s.description or '(no description)')}"
        f"{names_used_html(s)}</dd>"
        for s in result.scenarios
    )
    return f'<dl id="plans">{rows}</dl>'


def answer(result) -> str:
    """The report's first section."""
    outcome = LABELS.get(result.outcome, (result.outcome,))[0]
    return (
        '<section id="answer"><h2>The answer</h2>'
        + scope_paragraph(result)
        + budget_answer(result)
        + lead_sentence(result)
        + versus_items(result)
        + across_items(result)
        + f"<h3>What it costs (in {escape(result.currency)}, the plans' "
        "<code>costs.currency</code>; EUR when a plan names none)</h3>"
        + cost_sentences(result)
        + "<h3>When each plan reaches the targets</h3>"
        + target_sentences(result)
        + f'<p class="note">Ranked on {escape(outcome)} (change with <code>--outcome</code>). '
        "A paired difference compares replicate k of one plan with replicate k of the other "
        "(the same random numbers), so it shows what the plans change, not chance.</p>"
        + "</section>"
    )
