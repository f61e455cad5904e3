"""The forwardable ``report.html`` of a comparison: one self-contained file.

Figures are PNGs embedded as base64 ``data:`` URIs and the style sheet is inline: no script, no
external link or file, so the file can be e-mailed and opened offline. Every number in a table
cell is also stored, unrounded, in the cell's ``data-mean``, ``data-low`` and ``data-high``
attributes (the values of ``compare.parquet``), so a script can read the report back.
"""

from __future__ import annotations

import base64
import io
import json
import math
from html import escape

import yaml

from simulation.base.outputs import versions
from simulation.metrics.groups import GROUP_BY
from simulation.plan.events import plan_events
from simulation.report.answer import answer, plans_list
from simulation.report.cost_table import cost_table
from simulation.report.labels import LABELS, USE_LABELS, data_number, fmt, target_label
from simulation.report.org_notes import ties_line
from simulation.report.plots import ORG_CHART_MAX
from simulation.report.uncertainty_section import section as uncertainty_section
from simulation.report.value_section import section as value_section

POCKETS_SHOWN = 5  # per plan and kind
FIGURE_DPI = 110

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; }
table { border-collapse: collapse; margin: .8em 0 1.6em; font-size: .92em; }
th, td { border: 1px solid #ddd; padding: .3em .6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f0f4f8; }
.interval { color: #666; font-size: .9em; }
.note { color: #555; font-size: .92em; }
#answer { background: #f4f8fb; border: 1px solid #c9d9e8; padding: .4em 1.2em 1em; }
#answer .lead { font-size: 1.2em; }
#answer li { margin: .4em 0; }
dl#plans dt { font-weight: bold; margin-top: .4em; } dl#plans dd { margin-left: 1.5em; }
img { max-width: 100%; }
pre { background: #f7f7f7; padding: .8em; overflow-x: auto; font-size: .85em; }
"""


def _cell(mean, low, high, kind: str, signed: bool = False, **data) -> str:
    attrs = "".join(f' data-{k}="{escape(str(v))}"' for k, v in data.items())
    numbers = f' data-mean="{data_number(mean)}" data-low="{data_number(low)}" data-high="{data_number(high)}"'
    interval = ""
    if not (_nan(low) and _nan(high)):
        interval = (
            f'<br><span class="interval">[{fmt(low, kind, signed)}, {fmt(high, kind, signed)}]'
            "</span>"
        )
    return f"<td{attrs}{numbers}>{fmt(mean, kind, signed)}{interval}</td>"


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _img(png: bytes | None, alt: str) -> str:
    if png is None:
        return ""
    data = base64.b64encode(png).decode("ascii")
    return f'<p><img alt="{escape(alt)}" src="data:image/png;base64,{data}"></p>'


def png(fig) -> bytes:
    """A matplotlib figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight")
    return buffer.getvalue()


def figures(result) -> dict[str, bytes]:
    """The report's figures as PNG bytes, by file stem, from a :class:`Comparison`."""
    from simulation.report import plots

    events = plan_events(result)
    out = {
        "adoption": png(
            plots.curves(
                result.daily, "wau", label="weekly active (mean, 90 % band)", events=events
            )
        ),
        "registered": png(
            plots.curves(result.daily, "registered", label="registered", events=events)
        ),
        "funnel": png(plots.funnel(result.daily)),
        "ebb": png(plots.ebb(result.runs)),
    }
    for group_by in ("department", "frontline"):
        part = result.by_group[(result.by_group["group_by"] == group_by)
                               & (result.by_group["day"] == result.by_group["day"].max())]  # fmt: skip
        sizes = part.groupby("group")["headcount"].mean()
        out[f"groups_{group_by}"] = png(plots.group_heatmap(result.groups[group_by], sizes=sizes))
    for k, name in enumerate(result.names):
        activity = result.first_sustained[name]
        out[f"org_{k}"] = png(plots.org_chart(result.org, activity, title=f"{name}, replicate 0"))
    return out


def _table(table_id: str, head: list[str], rows: list[str]) -> str:
    header = "".join(f"<th>{escape(h)}</th>" for h in head)
    return (
        f'<table id="{table_id}"><thead><tr>{header}</tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _targets(ms) -> str:
    rows, head = {}, ["plan"]
    for target in ms.targets:
        head.append(target_label(target))
        for r in ms.probabilities[target.text].itertuples():
            day = "" if _nan(r.day_reached) else f"<br>mean day reached {r.day_reached:.0f}"
            if not _nan(r.lost) and r.lost > 0:
                day += f"<br>lost again from day {r.day_lost:.0f} in {fmt(r.lost, 'pct')}"
            cell = _cell(
                r.probability, r.low, r.high, "pct", scenario=r.scenario, metric=target.text
            )
            rows.setdefault(r.scenario, f"<td>{escape(r.scenario)}</td>")
            rows[r.scenario] += cell.replace("</td>", f"{day}</td>")
    body = [f'<tr data-scenario="{escape(n)}">{rows.get(n, "")}</tr>' for n in ms.names]
    return _table("targets", head, body)


def _with_currency(label: str, kind: str, currency: str) -> str:
    return f"{label} ({currency})" if kind == "money" else label


def _summary(ms) -> str:
    stats = ms.summary.set_index(["metric", "scenario"])
    rows = []
    for metric, (label, kind) in LABELS.items():
        cells = "".join(
            _cell(*stats.loc[(metric, n), ["mean", "low", "high"]], kind, scenario=n, metric=metric)
            for n in ms.names
        )
        label = _with_currency(label, kind, ms.currency)
        rows.append(f'<tr data-metric="{metric}"><td>{escape(label)}</td>{cells}</tr>')
    return _table("summary", ["per run (mean, 90 % of runs)", *ms.names], rows)


def _use(ms) -> str:
    stats = ms.sustained.set_index(["metric", "scenario"])
    rows = []
    for metric, label in USE_LABELS.items():
        cells = "".join(
            _cell(
                *stats.loc[(metric, n), ["mean", "low", "high"]], "pct", scenario=n, metric=metric
            )
            for n in ms.names
        )
        rows.append(f'<tr data-metric="{metric}"><td>{escape(label)}</td>{cells}</tr>')
    return _table("use", ["last 30 days (mean, 90 % of runs)", *ms.names], rows)


def _differences(ms) -> tuple[str, str]:
    diffs = ms.differences
    others = ms.names[1:]
    table = diffs.set_index(["metric", "scenario"])
    rows = []
    for metric, (label, kind) in LABELS.items():
        label = _with_currency(label, kind, ms.currency)
        kind = "points" if kind == "pct" else kind  # a difference of two shares
        cells = ""
        for n in others:
            r = table.loc[(metric, n)]
            cells += _cell(r["mean"], r["low"], r["high"], kind, True, scenario=n, metric=metric)
            cells += (
                f'<td class="interval" data-low="{data_number(r["unpaired_low"])}" '
                f'data-high="{data_number(r["unpaired_high"])}">[{fmt(r["unpaired_low"], kind, True)}, '
                f"{fmt(r['unpaired_high'], kind, True)}]</td>"
            )
        rows.append(f'<tr data-metric="{metric}"><td>{escape(label)}</td>{cells}</tr>')
    head = ["difference with " + ms.names[0]]
    for n in others:
        head += [f"{n} (paired, 90 % CI)", f"{n} unpaired CI"]
    paired = diffs["high"] - diffs["low"]
    unpaired = diffs["unpaired_high"] - diffs["unpaired_low"]
    ratio = (unpaired / paired).where(paired > 0).dropna()
    note = (
        "The differences shown are <b>paired</b>: replicate k of every plan used the same random "
        "numbers (common random numbers), so each difference is taken run by run. "
    )
    if len(ratio):
        wider = ratio.median()
        note += (
            "Treating the same runs as independent samples (the 'unpaired' column) would give "
            + (
                f"intervals {wider:.1f} times wider (median over the figures)."
                if wider >= 1.5
                else "intervals about as wide: these plans differ too much for pairing to help."
            )
        )
    return _table("differences", head, rows), note


def _breakdown(ms, group_by: str) -> str:
    stats = ms.groups[group_by]
    stats = stats[stats["metric"] == "wau"].set_index(["group", "scenario"])
    groups = list(dict.fromkeys(stats.index.get_level_values("group")))
    rows = []
    for g in groups:
        cells = "".join(
            _cell(*stats.loc[(g, n), ["mean", "low", "high"]], "pct", scenario=n, group=g)
            for n in ms.names
        )
        rows.append(f'<tr data-group="{escape(str(g))}"><td>{escape(str(g))}</td>{cells}</tr>')
    return _table(f"breakdown-{group_by}", [group_by, *ms.names], rows)


def _pockets(ms) -> str:
    ranked = ms.pockets
    shown = ranked[ranked["rank"] <= POCKETS_SHOWN]
    rows = []
    for r in shown.itertuples():
        rows.append(
            f'<tr data-scenario="{escape(r.scenario)}" data-kind="{r.kind}">'
            f"<td>{escape(r.scenario)}</td><td>{r.kind}</td><td>{r.rank}</td>"
            f"<td>{escape(str(r.group))}</td><td>{r.size}</td>"
            f"<td>{fmt(r.sustained_wau, 'pct')}</td>"
            + _cell(r.gap, r.gap_low, r.gap_high, "pct", group=r.group)
            + f"<td>{fmt(r.below_share, 'pct')}</td></tr>"
        )
    head = [
        "plan",
        "kind",
        "rank",
        "unit",
        "people",
        "sustained weekly active",
        "below the organisation by (points)",
        "runs below",
    ]
    return _table("pockets", head, rows)


def _appendix(ms) -> str:
    parts = []
    for scenario in ms.scenarios:
        source = scenario._source
        text = ""
        if source is not None and source.exists():
            text = source.read_text(encoding="utf-8")
        resolved = yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False)
        parts.append(
            f"<h3>{escape(scenario.name)}</h3>"
            + (
                f"<p>File <code>{escape(source.name)}</code>:</p><pre>{escape(text)}</pre>"
                if text
                else ""
            )
            + f"<p>Every parameter, defaults filled in:</p><pre>{escape(resolved)}</pre>"
        )
    run = {
        "organisation": {"name": ms.org.name, "size": ms.org.size},
        "replicates": ms.replicates,
        "seeds": f"{ms.seeds[0]} to {ms.seeds[-1]} (replicate k of every plan: seed + k)",
        "versions": versions(),
    }
    return "".join(parts) + f"<h3>Run</h3><pre>{escape(json.dumps(run, indent=2))}</pre>"


def render(result, pngs: dict[str, bytes] | None = None, calibration: str = "") -> str:
    """The HTML text of the report of a :class:`~simulation.experiments.results.Comparison`.

    ``calibration`` is the section of the calibration the plans were built from
    (:func:`simulation.analysis.calibration_output.load_section`), placed before the appendix.
    """
    ms = result
    pngs = figures(ms) if pngs is None else pngs
    diff_table, diff_note = _differences(ms)
    org_charts = "".join(
        _img(pngs.get(f"org_{k}"), f"organisation, {n}") for k, n in enumerate(ms.names)
    )
    sampled = ""
    if ms.org.size > ORG_CHART_MAX:
        sampled = (
            f" The organisation has {ms.org.size:,} people: each chart draws {ORG_CHART_MAX:,} "
            "of them at random, with their managers up to the top."
        )
    title = " vs ".join(ms.names)
    body = f"""
<h1>Rollout plans compared: {escape(title)}</h1>
<p>{len(ms.names)} plans on <b>{escape(ms.org.name)}</b> ({ms.org.size:,} people),
{ms.replicates} replicates each, {ms.days} days. Intervals are 90 %: for a plan's figure, where
90 % of its runs fall; for a chance, the Wilson interval; for a difference between plans,
the confidence interval of the mean difference.{escape(" " + ties_line(ms.org))}</p>
{plans_list(ms)}
{answer(ms)}
{uncertainty_section(ms)}
{value_section(ms)}
<h2>Does the plan reach the target?</h2>
<p class="note">Chance over the replicates, with the mean day it was reached; a target by a day
is reached when the condition holds on some day up to that day.</p>
{_targets(ms)}
<h2>Adoption over time</h2>
<p class="note">Dotted lines mark what the plans do on a given day (waves, a Jam, an app
launch); grey when every plan does it.</p>
{_img(pngs.get("adoption"), "weekly active by plan")}
{_img(pngs.get("registered"), "registered by plan")}
{_img(pngs.get("funnel"), "funnel")}
{_img(pngs.get("ebb"), "peak and sustained weekly active")}
<h2>What it costs</h2>
{cost_table(ms)}
<h2>Summary</h2>
{_summary(ms)}
<h2>How registered people use it</h2>
{_use(ms)}
<h2>Differences with {escape(ms.names[0])}</h2>
<p class="note">{diff_note}</p>
{diff_table}
<h2>By department and frontline status</h2>
<p class="note">Weekly active over the last 30 days, share of each group.</p>
{_breakdown(ms, "department")}
{_img(pngs.get("groups_department"), "by department")}
{_breakdown(ms, "frontline")}
{_img(pngs.get("groups_frontline"), "by frontline status")}
<h2>Where adoption stalls</h2>
<p class="note">Teams (direct reports of one manager, at least 3 people), sites and
departments furthest below the organisation's sustained weekly active; the {POCKETS_SHOWN}
worst of each kind per plan (all in <code>pockets.parquet</code>).</p>
{_pockets(ms)}
<h2>Who is active, on the organisation chart</h2>
<p class="note">Each person coloured by the share of the last 30 days they were weekly active,
in replicate 0.{sampled}</p>
{org_charts}
{calibration}
<h2>Appendix: assumptions</h2>
<p class="note">Group breakdowns cover {", ".join(GROUP_BY)} (daily_by_group.parquet).</p>
{_appendix(ms)}
"""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>\n"
    )
