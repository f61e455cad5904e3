"""The terminal tables of ``esnsim run`` and ``esnsim compare``, rendered from result objects."""

from __future__ import annotations

from simulation.metrics.lead import CENSORED
from simulation.report.labels import LABELS, fmt, kind_of, label, target_label
from simulation.report.org_notes import ties_line
from simulation.report.uncertainty_section import across_lines, scope_lines
from simulation.report.value_section import value_lines

RUN_SHOWN = [
    "peak_wau",
    "peak_day",
    "sustained_wau",
    "ebb_ratio",
    "registered_final",
    "day_wau_25",
    "contributor_share",
    "gini_posts",
    "cost",
    "cost_licences",
    "cost_community_managers",
]
COMPARE_SHOWN = ["sustained_wau", "peak_wau", "ebb_ratio", "cost", "cost_per_sustained_wau"]
WIDTH = 44  # characters of the label column


def run_text(result) -> str:
    """Mean and 90 % interval of the main per-run figures of a :class:`RunResult`."""
    table = result.table
    org = result.org
    reps = len(result.seeds)
    title = f"{result.scenario.name} on {org.name} ({org.size:,} people), {reps} replicates"
    lines = [title, *filter(None, [ties_line(org)])]
    lines.append(f"{'':{WIDTH}s} {'mean':>12s}  {'90 % interval':>25s}")
    shown = RUN_SHOWN
    if getattr(result.scenario, "mode", "usage") == "one_shot":
        # adoption only: no visits, posts or licences to show (simulation.plan.adoption.one_shot)
        shown = ["registered_final", "never_registered"]
    for column in shown:
        row = table.loc[column]
        kind = "money" if column.startswith("cost") else LABELS[column][1]
        name = label(column) + (f" ({result.currency})" if kind == "money" else "")
        if row.isna().all():
            text, interval = "never", ""
        else:
            text = fmt(row["mean"], kind)
            interval = f"[{fmt(row['low'], kind)}, {fmt(row['high'], kind)}]"
        lines.append(f"{name[:WIDTH]:{WIDTH}s} {text:>12s}  {interval:>25s}")
    return "\n".join(lines)


def compare_text(result) -> str:
    """Target probabilities and the main figures per plan of a :class:`Comparison`."""
    stats = result.summary.set_index(["metric", "scenario"])
    names = result.names
    rows = []
    for target in result.targets:
        prob = result.probabilities[target.text].set_index("scenario")["probability"]
        rows.append((target_label(target), [fmt(prob[n], "pct") for n in names]))
    for metric in COMPARE_SHOWN:
        name, kind = LABELS[metric]
        if kind == "money":
            name += f" ({result.currency})"
        rows.append((name, [fmt(stats.loc[(metric, n), "mean"], kind) for n in names]))
    left = min(72, max(len(r[0]) for r in rows))
    width = max(14, *(len(n) for n in names))
    lines = [f"{'':{left}s} " + " ".join(f"{n:>{width}s}" for n in names)]
    lines += [
        f"{name[:left]:{left}s} " + " ".join(f"{c:>{width}s}" for c in cells)
        for name, cells in rows
    ]
    return "\n".join(
        [
            *scope_lines(result),
            "",
            f"{len(names)} plans on {result.org.name} ({result.org.size:,} people), "
            f"{result.days} days, {result.replicates} replicates each:",
            *lines,
            "",
            *lead_lines(result),
            *across_lines(result),
            *value_lines(result),
        ]
    )


def lead_lines(result) -> list[str]:
    """The answer in short: the leader on the outcome, its paired lead and chance of doing better."""
    kind = kind_of(result.outcome)
    kind = "points" if kind == "pct" else kind
    currency = result.currency if kind == "money" else None
    lines = [f"{result.leader} leads on {label(result.outcome)}:"]
    if result.outcome in CENSORED and (result.outcome_reached < result.replicates).any():
        reached = ", ".join(f"{n} {int(result.outcome_reached.get(n, 0))}" for n in result.names)
        lines.append(f"  runs that reached it, of {result.replicates}: {reached} (a run that never "
                     f"did counts as day {result.days})")  # fmt: skip
    beats = result.beats.set_index("reference")
    for row in result.versus.itertuples():
        win = beats.loc[row.reference]
        lines.append(
            f"  vs {row.reference}: {fmt(row.mean, kind, True, currency)} (90 % interval "
            f"{fmt(row.low, kind, True, currency)} to {fmt(row.high, kind, True, currency)}, "
            f"paired), better in {fmt(win['mean'], 'pct')} of paired replicates"
        )
    return lines
