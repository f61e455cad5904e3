"""A calibration's files: ``fit.json``, ``best_fit.yaml``, ``fit.parquet``, ``forecast.parquet``,
``calibration.png`` and ``calibration.html`` (a self-contained section to forward or to paste
into a report).
"""

from __future__ import annotations

import base64
import html
import io
import math
from pathlib import Path

import numpy as np

from simulation.analysis.intervals import interval_level
from simulation.base.outputs import (
    manifest,
    write_atomically,
    write_figure,
    write_json,
    write_parquet,
)
from simulation.base.yaml_dump import dump_scenario
from simulation.org.hr_options import options_of
from simulation.org.source import run_command

_LABELS = {
    "registered": "adopted",
    "wau": "weekly active",
    "dau": "daily active",
    "posts": "posters (daily)",
}


def _clean(value):
    """JSON-safe: NaN -> None, numpy scalars -> Python."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def fit_json(cal) -> dict:
    """Parameters, intervals, loss, information criteria, the test of the null, targets."""
    summary = cal.summary().to_dict("records")
    verdict = cal.verdict.to_dict() if cal.verdict is not None else None
    return _clean(
        {
            # first, so that a reader of the file meets it before the figures
            "verdict": verdict,
            "holdout": cal.holdout.to_dict() if cal.holdout is not None else None,
            "observed": {
                "file": cal.observed.source,
                "format": cal.observed.kind,
                "series": list(cal.observed.series),
                "days": [int(cal.observed.days[0]), int(cal.observed.days[-1])],
                "observations": int(cal.observed.days.size),
                "population": cal.observed.population,
                "period_days": cal.observed.period_days,
                "notes": cal.observed.lines(),  # the head-count the shares are of, days left out
            },
            "fitted": {
                p.path: {"low": p.low, "high": p.high, "log": p.log} for p in cal.space.parameters
            },
            "fixed": cal.space.fixed,
            "parameters": cal.parameters,
            "optimum": cal.fit.values,
            "intervals": {k: list(v) for k, v in cal.intervals.items()},
            "flags": cal.flags,
            "trade_offs": [list(t) for t in cal.trade_offs],
            "screen": cal.screen.to_dict() if cal.screen is not None else None,
            "organisation": {"block": cal.organisation, "name": cal.organisation_name},
            "interval_level": interval_level(len(cal.bootstrap)),
            "per_parameter": summary,
            "loss": {"name": cal.loss, "value": cal.fit.loss, **cal.information},
            "evaluations": cal.fit.evaluations,
            "null": cal.null,
            "bootstrap": {
                "histories": int(len(cal.bootstrap)),
                "method": "parametric bootstrap",
                "interval": "basic, order statistics at k/(n+1)",
                # each refit's values: esnsim compare --uncertainty DIR runs the plans under them
                "refits": cal.bootstrap[list(cal.space.names)].to_dict("records")
                if len(cal.bootstrap)
                else [],
            },
            "targets": cal.targets.to_dict("records"),
            "warnings": cal.warnings,
            "settings": vars(cal.settings),
        }
    )


def best_fit_yaml(cal) -> str:
    """The best-fit scenario as YAML (every default filled in), runnable with ``esnsim run``."""
    data = cal.best_scenario.model_dump(mode="json")
    head = "# best fit of esnsim calibrate to " + Path(cal.observed.source).name + "\n"
    if cal.organisation is not None:
        data["organisation"] = cal.organisation  # the one fitted on, not a default
        head += f"# run with: {run_command('best_fit.yaml', cal.organisation)}\n"
    elif data.get("organisation") is None:
        head += (
            f"# fitted on {cal.organisation_name}, given in Python: it cannot be written here,"
            " so give it again (--org) when running this file\n"
        )
    return head + dump_scenario(data)


def organisation_block(spec: str | None, columns: dict | None = None) -> dict | None:
    """The scenario ``organisation:`` block of an ``--org`` spec (for ``best_fit.yaml``), or
    None when the organisation was given as an object (it cannot be written down)."""
    if not spec:
        return None
    kind, sep, rest = spec.strip().partition(":")
    kind = kind.strip().lower() if sep else ""

    def options(text):
        out = {}
        for item in filter(None, (x.strip() for x in text.split(","))):
            key, _, value = item.partition("=")
            for cast in (int, float, str):
                try:
                    out[key.strip()] = cast(value.strip())
                    break
                except ValueError:
                    continue
        return out

    if kind == "generate":
        return {"generate": options(rest)}
    if kind == "dataset":
        return {"dataset": rest.strip()}
    if kind == "edgelist":
        target, _, more = rest.partition(",")
        block = {"edgelist": str(Path(target.strip()).resolve())}
        attributes = options(more).get("attributes")
        if attributes:
            block["attributes"] = str(Path(str(attributes)).resolve())
        return block
    block = {"hr_csv": str(Path(spec.strip()).resolve())}
    if columns:
        block["columns"] = dict(columns)
    # the reading options (--sheet, --where, --orphans, --ties...): best_fit.yaml reads the same
    for key, value in options_of(columns).keywords().items():
        block[key] = str(Path(value).resolve()) if key == "ties" else value
    return block


def figure(cal):
    """Observed points, the fitted band and the forecast band of each observed series."""
    from simulation.report.plots import new_figure

    columns = list(dict.fromkeys(cal.fitted["model_column"]))
    # no pyplot and no backend forced: the figure shows inline in a notebook (PlotFigure)
    fig = new_figure(5.5 * len(columns), 4)
    axes = fig.subplots(1, len(columns), squeeze=False)
    scale = cal.observed.period_days
    unit = "day" if scale == 1 else f"period ({scale} days)"
    for ax, column in zip(axes[0], columns, strict=True):
        band = cal.forecast[cal.forecast["column"] == column]
        x = (band["day"] + 1) / scale if scale > 1 else band["day"]
        ax.fill_between(x, band["low"], band["high"], alpha=0.25, label="forecast, 90 % band")
        ax.plot(x, band["mean"], lw=1.5, label="forecast mean")
        for name, rows in cal.fitted[cal.fitted["model_column"] == column].groupby("series"):
            ox = (rows["day"] + 1) / scale if scale > 1 else rows["day"]
            ax.plot(ox, rows["observed"], "o", ms=4, color="black", label=f"observed {name}")
        _held_out(ax, cal, column, scale)
        ax.set_title(_LABELS.get(column, column))
        ax.set_xlabel(unit)
        ax.set_ylabel("share of head-count")
        ax.set_ylim(bottom=0)
        ax.legend(fontsize=8)
    return fig


def _held_out(ax, cal, column: str, scale: int) -> None:
    """The held-out observations (not fitted) as open circles, after a line at the fit's last
    day: the forecast is judged against them, so the figure shows them beside it."""
    holdout = getattr(cal, "holdout", None)
    if holdout is None or holdout.table is None:
        return
    names = set(cal.fitted.loc[cal.fitted["model_column"] == column, "series"])
    rows = holdout.table[holdout.table["series"].isin(names)]
    if rows.empty:
        return
    edge = (holdout.fit_until + 1) / scale if scale > 1 else holdout.fit_until
    ax.axvline(edge, color="grey", lw=0.8, ls="--")
    x = (rows["day"] + 1) / scale if scale > 1 else rows["day"]
    ax.plot(x, rows["observed"], "o", ms=4, mfc="none", color="tab:red",
            label="held out (not fitted)")  # fmt: skip


def html_section(record: dict, png: bytes | None) -> str:
    """A self-contained HTML section of a calibration: the answer, the figure, the parameters.

    ``record`` is a calibration's :func:`fit_json` (what ``fit.json`` holds), so that
    ``calibration.html`` and the section of a comparison's report (``esnsim compare
    --calibration DIR``) are the same text.
    """
    level = record.get("interval_level") or 0.9
    rows = "".join(
        f"<tr><td>{html.escape(r['parameter'])}</td><td>{number(r.get('optimum'))}</td>"
        f"<td>{number(r['value'])}</td>"
        f"<td>{number(r['low'])} - {number(r['high'])}</td>"
        f"<td>{html.escape(r.get('flags') or '')}</td></tr>"
        for r in record["per_parameter"]
    )
    targets = "".join(
        f"<li>P({html.escape(r['target'])}) = {r['probability']:.0%} "
        f"(90 % interval {r['low']:.0%}-{r['high']:.0%}, {r['runs']} runs)</li>"
        for r in record["targets"]
    )
    null = ""
    if record.get("null"):
        test = record["null"]
        fixed = ", ".join(f"{k} = {v:g}" for k, v in test["fixed"].items())
        verdict = "rejected" if test["rejected_at_5pct"] else "not rejected"
        null = (
            f"<p>Test of the nested model ({html.escape(fixed)}): {test['method']}, "
            f"statistic {test['statistic']:.2f}, p = {test['p_value']:.3f}: {verdict} "
            "at the 5 % level.</p>"
        )
    warn = "".join(f"<p><b>Warning:</b> {html.escape(w)}</p>" for w in record["warnings"])
    first, last = _verdict_html(record.get("verdict"))
    held_first, held = _holdout_html(record.get("holdout"))
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in record["observed"].get("notes") or [])
    notes = f"<ul>{notes}</ul>" if notes else ""
    pairs = "".join(
        f"<p>{html.escape(a)} and {html.escape(b)} trade off (correlation of the bootstrap "
        f"refits {r:+.2f}): the data fix their combination, not each.</p>"
        for a, b, r in record.get("trade_offs") or []
    )
    chosen = ""
    if record.get("screen"):
        items = "".join(f"<li>{html.escape(x)}</li>" for x in record["screen"]["reasons"])
        chosen = f"<p>Fields chosen by <code>--fit auto</code>:</p><ul>{items}</ul>"
    image = ""
    if png:
        data = base64.b64encode(png).decode("ascii")
        image = f'<img alt="observed and forecast" src="data:image/png;base64,{data}">'
    observed, loss = record["observed"], record["loss"]
    value = loss["value"]
    caveat = (
        " <b>The held-out check says this forecast misses: do not use these chances as is.</b>"
        if held_first and targets
        else ""
    )
    return (
        f"<section><h2>Calibration</h2>{first}{held_first}"
        f"<p>Fitted to {html.escape(Path(observed['file']).name)} "
        f"({observed['observations']} observations, days {observed['days'][0]} to "
        f"{observed['days'][1]}; loss {html.escape(loss['name'])} = "
        f"{'n/a' if value is None else format(value, '.4g')}), "
        f"{record['bootstrap']['histories']} bootstrap histories.</p>{notes}"
        f"{warn}{chosen}<ul>{targets}</ul>{caveat}{image}{held}"
        "<table><tr><th>parameter</th><th>optimum</th><th>bias-corrected</th>"
        f"<th>{level:.0%} interval</th><th>flags</th></tr>"
        f"{rows}</table>{pairs}{null}{last}</section>"
    )


def number(value, spec: str = ".4g") -> str:
    """A figure for the page, ``n/a`` when there is none (no interval without a bootstrap)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    return format(value, spec)


def _verdict_html(verdict: dict | None) -> tuple[str, str]:
    """(what goes first, what goes last): a poor fit says so first, every fit ends with it."""
    if not verdict:
        return "", ""
    items = "".join(f"<li>{html.escape(r)}</li>" for r in verdict["reasons"])
    items += "".join(f"<li>Try: {html.escape(t)}</li>" for t in verdict["suggestions"])
    block = (
        f"<div class='verdict verdict-{html.escape(verdict['grade'])}'><p><b>Verdict: "
        f"{html.escape(verdict['headline'])}</b></p>"
        + (f"<ul>{items}</ul>" if items else "")
        + "</div>"
    )
    first = block if verdict["grade"] == "poor" else ""
    return first, block


def _holdout_html(holdout: dict | None) -> tuple[str, str]:
    """(what goes first, the check's block): a forecast that misses its held-out days says so
    first, as a poor verdict does; the block is the check's lines as printed."""
    if not holdout or not holdout.get("lines"):
        return "", ""
    head, *rest = holdout["lines"]
    items = "".join(f"<li>{html.escape(line.strip())}</li>" for line in rest)
    block = (
        f"<div class='holdout holdout-{html.escape(holdout.get('grade', ''))}'><p><b>"
        f"{html.escape(head[0].upper() + head[1:])}</b></p><ul>{items}</ul></div>"
    )
    first = (
        f"<p><b>Held-out check: {html.escape(rest[0].strip())}.</b></p>"
        if holdout.get("grade") == "misses" and rest
        else ""
    )
    return first, block


def load_section(folder) -> str:
    """The calibration section of the output folder of ``esnsim calibrate`` (for a report).

    Raises
    ------
    InputError
        One line naming the folder or file: no folder, no ``fit.json``, or one that is not a
        calibration's.
    """
    import json

    from simulation.base.errors import InputError

    folder = Path(folder)
    path = folder / "fit.json"
    if not folder.is_dir():
        raise InputError(f"--calibration {folder}: no such folder (an esnsim calibrate --out)")
    if not path.is_file():
        raise InputError(f"{path}: no such file (an esnsim calibrate output folder has one)")
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        png = folder / "calibration.png"
        return html_section(record, png.read_bytes() if png.is_file() else None)
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise InputError(f"{path}: not a calibration's fit.json ({error!r})") from None


def save(cal, out_dir) -> list[Path]:
    """Write every file of a calibration under ``out_dir`` (atomically)."""
    fig = figure(cal)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    png = buffer.getvalue()
    record = fit_json(cal)
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>calibration</title></head>"
        f"<body>{html_section(record, png)}</body></html>"
    )
    writers = {
        "fit.json": write_json({**record, "manifest": manifest()}),
        "best_fit.yaml": lambda path: path.write_text(best_fit_yaml(cal), encoding="utf-8"),
        "fit.parquet": write_parquet(cal.fitted),
        "forecast.parquet": write_parquet(cal.forecast),
        **(
            {"holdout.parquet": write_parquet(cal.holdout.table)} if cal.holdout is not None else {}
        ),
        "calibration.png": write_figure(fig),
        "calibration.html": lambda path: path.write_text(page, encoding="utf-8"),
    }
    return write_atomically(out_dir, writers)
