"""What uncertainty each figure of a comparison covers, and the figures across plausible parameters.

Rendered from a :class:`~simulation.experiments.results.Comparison` and, when the comparison
ran with ``--uncertainty``, its :class:`~simulation.experiments.uncertainty.Uncertainty`:

- :func:`scope_paragraph`: the first lines of the report's answer, saying which uncertainty the
  figures cover (replicate noise at fixed assumed parameters, and across plausible parameters
  when asked for);
- :func:`across_items`: the answer across plausible parameters (the chance the leader beats
  each plan over the parameter sets, and over paired runs);
- :func:`section`: the report's section "Across plausible parameters" (each plan's outcome and
  target chances across the sets, the parameters and their ranges);
- :func:`scope_lines` and :func:`across_lines`: the same for the terminal.

Every number is also in the element's ``data-*`` attributes, unrounded (those of
``uncertainty.parquet``, recomputed).
"""

from __future__ import annotations

from html import escape

from simulation.metrics.lead import LOWER_IS_BETTER
from simulation.report.labels import (
    bold,
    data_number,
    difference_kind,
    fmt,
    kind_of,
    label,
    target_label,
)


def _replicate_scope(result) -> str:
    return (
        f"chances and intervals over {result.replicates} replicates at one fixed set of "
        "assumed model parameters (the plans' values: the defaults tuned to published "
        "patterns unless a plan sets its own). They cover the chance in one rollout (who "
        "meets whom, who lapses), not uncertainty about the parameters themselves"
    )


def scope_paragraph(result) -> str:
    """``<p id="answer-scope">``: which uncertainty the answer's figures cover (first lines)."""
    unc = getattr(result, "uncertainty", None)
    if unc is None:
        return (
            '<p class="scope" id="answer-scope" data-uncertainty="replicates">'
            "<b>What these figures cover:</b> " + _replicate_scope(result) + ". How people in "
            "your organisation respond may differ from these assumptions; "
            "<code>esnsim compare --uncertainty plausible</code> (or a calibration's folder) "
            "also runs the plans across plausible parameters.</p>"
        )
    return (
        f'<p class="scope" id="answer-scope" data-uncertainty="parameters" '
        f'data-sets="{unc.count}" data-kind="{escape(unc.sets.kind)}">'
        "<b>What these figures cover:</b> <i>at the assumed parameters</i>, "
        + _replicate_scope(result)
        + f". <i>Across plausible parameters</i>, the same plans under {escape(unc.sets.label)}, "
        f"{result.replicates} replicates each with the same random numbers for every plan: "
        "these chances cover uncertainty about the parameters as well.</p>"
        "<h3>At the assumed parameters</h3>"
    )


def across_items(result) -> str:
    """``<h3>`` and ``<ul id="answer-across">``: the leader against each plan across the sets."""
    unc = getattr(result, "uncertainty", None)
    if unc is None:
        return ""
    outcome, best = unc.outcome, unc.leader
    kind = difference_kind(outcome)
    items = []
    for r in unc.chances.itertuples():
        wins = round(r.sets * r.n_sets)
        word = "lower" if outcome in LOWER_IS_BETTER else "higher"
        items.append(
            f'<li data-scenario="{escape(best)}" data-versus="{escape(r.reference)}" '
            f'data-metric="{escape(outcome)}" data-sets="{data_number(r.sets)}" '
            f'data-sets-low="{data_number(r.sets_low)}" data-sets-high="{data_number(r.sets_high)}" '
            f'data-n-sets="{int(r.n_sets)}" data-pairs="{data_number(r.pairs)}" '
            f'data-n-pairs="{int(r.n_pairs)}" data-difference-low="{data_number(r.difference_low)}" '
            f'data-difference-high="{data_number(r.difference_high)}">'
            f"{bold(best)} has the {word} mean in {wins} of {int(r.n_sets)} parameter sets "
            f"against {bold(r.reference)}: a {fmt(r.sets, 'pct')} chance of being better across "
            f"plausible parameters (90 % interval {fmt(r.sets_low, 'pct')} to "
            f"{fmt(r.sets_high, 'pct')}); better in {fmt(r.pairs, 'pct')} of the "
            f"{int(r.n_pairs)} paired runs (sets x replicates). The difference of the means "
            f"goes from {fmt(r.difference_low, kind, True)} to "
            f"{fmt(r.difference_high, kind, True)} over the sets (5th to 95th percentile; "
            f"median {fmt(r.difference_median, kind, True)}).{_verdict(result, r)}</li>"
        )
    return (
        "<h3>Across plausible parameters</h3>"
        + '<ul id="answer-across">'
        + "".join(items)
        + "</ul>"
    )


def _verdict(result, row) -> str:
    """A warning when the lead at the assumed parameters does not survive the parameters."""
    beats = result.beats.set_index("reference")
    if row.reference not in beats.index:
        return ""
    at_assumed = float(beats.loc[row.reference, "mean"])
    if at_assumed >= 0.9 and row.sets < 0.8:
        return (
            f' <span class="caution">Not robust: {fmt(at_assumed, "pct")} of paired '
            "replicates at the assumed parameters, but the answer depends on parameters "
            "nobody has measured for your organisation.</span>"
        )
    return ""


def section(result) -> str:
    """``<section id="uncertainty">``: each plan across the parameter sets, and the sets."""
    unc = getattr(result, "uncertainty", None)
    if unc is None:
        return ""
    outcome = unc.outcome
    kind = kind_of(outcome)
    head = "".join(f"<th>{escape(n)}</th>" for n in unc.names)
    best = unc.best.set_index("scenario")
    cells = "".join(
        f'<td data-scenario="{escape(n)}" data-mean="{data_number(best.loc[n, "mean"])}" '
        f'data-low="{data_number(best.loc[n, "low"])}" data-high="{data_number(best.loc[n, "high"])}" '
        f'data-best="{data_number(best.loc[n, "best"])}">{fmt(best.loc[n, "mean"], kind)}'
        f'<br><span class="interval">[{fmt(best.loc[n, "low"], kind)}, '
        f"{fmt(best.loc[n, 'high'], kind)}]</span><br>best in {fmt(best.loc[n, 'best'], 'pct')}"
        " of sets</td>"
        for n in unc.names
    )
    rows = [f"<tr><td>{escape(label(outcome))} (mean over replicates, per set)</td>{cells}</tr>"]
    for target in unc.target_list:
        spread = unc.targets[target.text].set_index("scenario")
        text = target_label(target)
        cells = "".join(
            f'<td data-scenario="{escape(n)}" data-metric="{escape(target.text)}" '
            f'data-mean="{data_number(spread.loc[n, "probability"])}" '
            f'data-low="{data_number(spread.loc[n, "low"])}" data-high="{data_number(spread.loc[n, "high"])}">'
            f'{fmt(spread.loc[n, "probability"], "pct")}<br><span class="interval">'
            f"[{fmt(spread.loc[n, 'low'], 'pct')}, {fmt(spread.loc[n, 'high'], 'pct')}]</span></td>"
            for n in unc.names
        )
        rows.append(f"<tr><td>{escape(text[0].upper() + text[1:])}</td>{cells}</tr>")
    table = (
        f'<table id="uncertainty-plans"><thead><tr><th>across {unc.count} parameter sets</th>'
        f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    values = unc.sets.values
    params = "".join(
        f'<tr data-parameter="{escape(p)}" data-low="{data_number(values[p].min())}" '
        f'data-high="{data_number(values[p].max())}"><td><code>{escape(p)}</code></td>'
        f"<td>{values[p].min():.4g}</td><td>{values[p].median():.4g}</td>"
        f"<td>{values[p].max():.4g}</td></tr>"
        for p in unc.sets.paths
    )
    lacking = "".join(
        f"<li>{bold(name)} has no {', '.join(f'<code>{escape(p)}</code>' for p in paths)}: "
        "left at its own value.</li>"
        for name, paths in unc.sets.not_applicable.items()
    )
    return (
        '<section id="uncertainty"><h2>Across plausible parameters</h2>'
        f'<p class="note">Every plan ran under {escape(unc.sets.label)}, {unc.replicates} '
        "replicates each, with the comparison's seeds: within a set the plans share their "
        "random numbers, so a difference is what the plans change under those parameters. A "
        "plan's figure is its mean over the sets (in brackets: the 5th to 95th percentile over "
        "the sets of its mean over replicates); a target's chance is pooled over every run of "
        "every set (in brackets: the 5th to 95th percentile over the sets of the chance). "
        "Every run is in <code>uncertainty.parquet</code>.</p>"
        + table
        + '<table id="uncertainty-parameters"><thead><tr><th>parameter</th><th>lowest</th>'
        + f"<th>median</th><th>highest (of the {unc.count} sets)</th></tr></thead><tbody>"
        + params
        + "</tbody></table>"
        + (f"<ul>{lacking}</ul>" if lacking else "")
        + "</section>"
    )


def scope_lines(result) -> list[str]:
    """The terminal's first lines: which uncertainty the figures cover."""
    unc = getattr(result, "uncertainty", None)
    at = (
        f"At the assumed parameters: chances over {result.replicates} replicates at one fixed "
        "set of model parameters (replicate noise only, not uncertainty about the parameters)."
    )
    if unc is None:
        return [at, "Add --uncertainty plausible (or a calibration folder) for the parameters'."]
    return [at, f"Across plausible parameters: {unc.sets.label}."]


def across_lines(result) -> list[str]:
    """The answer across plausible parameters, for the terminal (empty without it)."""
    unc = getattr(result, "uncertainty", None)
    if unc is None:
        return []
    kind = difference_kind(unc.outcome)
    lines = [f"Across {unc.count} plausible parameter sets, {unc.leader}:"]
    for r in unc.chances.itertuples():
        lines.append(
            f"  vs {r.reference}: better mean in {round(r.sets * r.n_sets)} of {int(r.n_sets)} "
            f"sets ({fmt(r.sets, 'pct')}), better in {fmt(r.pairs, 'pct')} of "
            f"{int(r.n_pairs)} paired runs; difference {fmt(r.difference_low, kind, True)} to "
            f"{fmt(r.difference_high, kind, True)} over the sets"
        )
    for target in unc.target_list:
        spread = unc.targets[target.text]
        cells = ", ".join(
            f"{r.scenario} {fmt(r.probability, 'pct')} [{fmt(r.low, 'pct')}, {fmt(r.high, 'pct')}]"
            for r in spread.itertuples()
        )
        lines.append(f"  {target_label(target)}, pooled [5th-95th percentile over sets]: {cells}")
    return lines
