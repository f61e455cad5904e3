"""Matplotlib figures of adoption: curves with a band across replicates, bars, the org chart.

No backend is chosen here: figures are :class:`matplotlib.figure.Figure` objects made without
pyplot, so nothing is left open in pyplot's registry, a notebook shows the returned figure
inline (:class:`PlotFigure` renders itself as PNG), a script saves it with ``fig.savefig``,
and the command line chooses its own backend (Agg). Sizes and fonts are chosen to be read on a
slide; legends sit outside the axes so they never hide data; the day axis has month ticks and
the curves mark the plan's events (waves, a Jam, an app launch).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib import rc_context
from matplotlib.figure import Figure

from simulation.report.labels import label as plain_label

CURVES = [
    ("registered", "registered", "#7f7f7f"),
    ("wau", "weekly active", "#1f77b4"),
    ("contributors", "contributors (week)", "#2ca02c"),
]
BAND = (0.05, 0.95)  # the 90 % band across replicates
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
FUNNEL = [
    ("aware", "aware"),
    ("registered", "registered"),
    ("wau", "weekly active"),
    ("contributors_all", "contributors"),
]
SLIDE = {  # readable when the figure fills half a slide
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
    "legend.fontsize": 12,
}
MONTH = 30  # days per month tick
ORG_CHART_MAX = 1000  # people drawn; larger organisations are sampled
HEATMAP_ROWS = 30  # groups drawn in a heat-map; the largest when there are more


class PlotFigure(Figure):
    """A matplotlib Figure that a notebook displays inline as PNG, whatever the backend."""

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return buffer.getvalue()


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches with a constrained layout."""
    return PlotFigure(figsize=(width, height), layout="constrained")


def band(daily: pd.DataFrame, column: str, by: str = "day") -> pd.DataFrame:
    """Mean and 90 % band (5th and 95th percentiles) of ``column`` across replicates, per day."""
    grouped = daily.groupby(by)[column]
    return pd.DataFrame(
        {
            "mean": grouped.mean(),
            "low": grouped.quantile(BAND[0]),
            "high": grouped.quantile(BAND[1]),
        }
    )


def month_axis(axis, days: int) -> None:
    """Day axis with a tick every month (30 days), labelled with the day and the month."""
    step = MONTH * max(1, math.ceil(days / MONTH / 13))
    ticks = list(range(0, days + 1, step))
    axis.set_xticks(ticks, [f"{d}\n{d // MONTH} mo" if d else "0\nlaunch" for d in ticks])
    axis.set_xlim(0, max(1, days - 1))
    axis.set_xlabel("days since launch (ticks: months of 30 days)")


def mark_events(axis, events: Mapping[str, list[tuple[int, str]]], colours: dict) -> float:
    """A dotted line at each event day and its labels above the axes (several events on one
    day share a label); coloured by plan, grey when the day's events are several plans'.

    Returns the height in points the labels take above the axes (for the title's padding).
    """
    by_day: dict[int, dict[str, list[str]]] = {}
    for name, items in events.items():
        for day, label in items:
            by_day.setdefault(day, {}).setdefault(label, []).append(name)
    longest = 0
    for day, labels in sorted(by_day.items()):
        plans = {name for names in labels.values() for name in names}
        colour = colours.get(next(iter(plans)), "#555555") if len(plans) == 1 else "#555555"
        text = " / ".join(labels)
        longest = max(longest, len(text))
        axis.axvline(day, color=colour, ls=":", lw=1.4, zorder=1)
        axis.annotate(  # above the axes, so that no label covers a curve
            text,
            (day, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(0, 3),
            textcoords="offset points",
            rotation=60,
            ha="left",
            va="bottom",
            fontsize=10,
            color=colour,
            annotation_clip=False,
        )
    return 6.0 + 5.2 * longest * 0.87 if by_day else 6.0


def _legend_below(fig, axis, columns: int) -> None:
    handles, labels = axis.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncol=max(1, columns))


def adoption(daily: pd.DataFrame, title: str | None = None, events=None, ax=None):
    """Weekly active, registered and contributors over time, one panel per scenario.

    Parameters
    ----------
    daily : DataFrame
        Rows of ``daily.parquet`` (one or several scenarios, any number of replicates).
    title : str, optional
        Figure title.
    events : mapping of str to list of (int, str), optional
        Per scenario, the days to mark (:func:`simulation.plan.events.scenario_events`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = list(dict.fromkeys(daily["scenario"]))
    days = int(daily["day"].max()) + 1 if len(daily) else 1
    with rc_context(SLIDE):
        if ax is None:
            fig = new_figure(7.5 * len(names), 5.2)
            axes = fig.subplots(1, len(names), sharey=True, squeeze=False)[0]
        else:
            fig, axes = ax.figure, [ax]
        for axis, name in zip(axes, names, strict=False):
            part = daily[daily["scenario"] == name]
            reps = part["replicate"].nunique()
            for column, label, colour in CURVES:
                stats = band(part, column)
                axis.plot(stats.index, stats["mean"], color=colour, label=f"{label} (mean)", lw=2.2)
                if reps > 1:
                    axis.fill_between(
                        stats.index, stats["low"], stats["high"], color=colour, alpha=0.2
                    )
            pad = 6.0
            if events and name in events:
                pad = mark_events(axis, {name: events[name]}, {name: "#555555"})
            axis.set_title(f"{name} ({reps} replicate{'s' if reps > 1 else ''})", pad=pad)
            month_axis(axis, days)
            axis.set_ylim(0, 1)
            axis.yaxis.set_major_formatter(_percent)
            axis.grid(alpha=0.3)
        axes[0].set_ylabel("share of employees")
        _legend_below(fig, axes[0], 3)
        if title:
            fig.suptitle(title + ("  (bands: 90 % of runs)" if len(daily) else ""))
    return fig


def _percent(value, _pos=None) -> str:
    return f"{value * 100:.0f} %"


def curves(
    daily: pd.DataFrame, column: str = "wau", ax=None, label: str | None = None, events=None
):
    """One curve per plan of a daily ``column``: the mean with its 90 % band.

    Parameters
    ----------
    daily : DataFrame
        Rows of ``daily.parquet`` of several plans.
    column : str
        A daily column (shares 0-1 of head-count for people counts).
    label : str, optional
        The y-axis label.
    events : mapping of str to list of (int, str), optional
        Per plan, the days to mark.

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = list(dict.fromkeys(daily["scenario"]))
    colours = {n: PALETTE[k % len(PALETTE)] for k, n in enumerate(names)}
    days = int(daily["day"].max()) + 1 if len(daily) else 1
    with rc_context(SLIDE):
        if ax is None:
            fig = new_figure(10, 5.6)
            axis = fig.subplots()
        else:
            fig, axis = ax.figure, ax
        for name in names:
            stats = band(daily[daily["scenario"] == name], column)
            axis.plot(stats.index, stats["mean"], color=colours[name], lw=2.4, label=name)
            axis.fill_between(
                stats.index, stats["low"], stats["high"], color=colours[name], alpha=0.18
            )
        if events:
            mark_events(axis, events, colours)
        month_axis(axis, days)
        axis.set_ylabel(label or plain_label(column) + " (mean, 90 % band)")
        if column not in ("posts", "cross_department_interactions", "facilitator_load"):
            axis.yaxis.set_major_formatter(_percent)
            axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
        _legend_below(fig, axis, min(len(names), 3))
    return fig


def funnel(daily: pd.DataFrame, day: int | None = None):
    """The funnel at ``day`` (default the last): aware, registered, weekly active, contributors.

    Bars are the mean across replicates, whiskers the 90 % interval; contributors include the
    heavy contributors.
    """
    day = int(daily["day"].max()) if day is None else int(day)
    part = daily[daily["day"] == day].assign(
        contributors_all=lambda f: f["contributors"] + f["heavy_contributors"]
    )
    names = list(dict.fromkeys(part["scenario"]))
    with rc_context(SLIDE):
        fig = new_figure(10, 5.4)
        axis = fig.subplots()
        width = 0.8 / len(names)
        for k, name in enumerate(names):
            mine = part[part["scenario"] == name]
            cols = [c for c, _ in FUNNEL]
            mean = mine[cols].mean()
            low, high = mine[cols].quantile(BAND[0]), mine[cols].quantile(BAND[1])
            x = [i + (k - (len(names) - 1) / 2) * width for i in range(len(cols))]
            axis.bar(x, mean, width, color=PALETTE[k % len(PALETTE)], label=name)
            axis.errorbar(
                x, mean, yerr=[mean - low, high - mean], fmt="none", ecolor="black", lw=1.2
            )
        axis.set_xticks(range(len(FUNNEL)), [label for _, label in FUNNEL])
        axis.set_ylabel(f"share of employees on day {day}")
        axis.set_ylim(0, 1)
        axis.yaxis.set_major_formatter(_percent)
        axis.grid(axis="y", alpha=0.3)
        _legend_below(fig, axis, min(len(names), 3))
    return fig


def ebb(runs: pd.DataFrame):
    """Peak against sustained weekly active per plan (the ebb), with 90 % intervals."""
    names = list(dict.fromkeys(runs["scenario"]))
    with rc_context(SLIDE):
        fig = new_figure(10, 5.4)
        axis = fig.subplots()
        for k, (column, label) in enumerate([("peak_wau", "peak"), ("sustained_wau", "sustained")]):
            grouped = runs.groupby("scenario", sort=False)[column]
            mean = grouped.mean().reindex(names)
            low = grouped.quantile(BAND[0]).reindex(names)
            high = grouped.quantile(BAND[1]).reindex(names)
            x = [i + (k - 0.5) * 0.38 for i in range(len(names))]
            axis.bar(x, mean, 0.38, color=["#9ecae1", "#1f77b4"][k], label=f"{label} weekly active")
            axis.errorbar(
                x, mean, yerr=[mean - low, high - mean], fmt="none", ecolor="black", lw=1.2
            )
        ratio = runs.groupby("scenario", sort=False)["ebb_ratio"].mean().reindex(names)
        for i, value in enumerate(ratio):
            text = "ebb ratio n/a" if np.isnan(value) else f"ebb ratio {value:.2f}"
            axis.annotate(text, (i, 1.12), ha="center", va="top", fontsize=12)
        axis.set_xticks(range(len(names)), names)
        axis.set_ylabel("weekly active, share of employees")
        axis.set_ylim(0, 1.15)
        axis.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
        axis.yaxis.set_major_formatter(_percent)
        axis.grid(axis="y", alpha=0.3)
        _legend_below(fig, axis, 2)
    return fig


def group_heatmap(
    breakdown: pd.DataFrame,
    title: str = "sustained weekly active",
    sizes: pd.Series | None = None,
    most: int = HEATMAP_ROWS,
):
    """Heat-map of a group breakdown: groups (rows) by plans (columns), mean shares annotated.

    ``breakdown`` is :meth:`Comparison.group_breakdown` (``scenario, group, metric, mean...``).
    ``sizes`` (people per group) keeps the ``most`` largest groups when there are more (an HR
    export with 2,000 cost centres would draw a figure 100,000 pixels tall); the title says
    how many are shown, and the report's table has them all.
    """
    table = breakdown[breakdown["metric"] == "wau"].pivot(
        index="group", columns="scenario", values="mean"
    )
    table = table[list(dict.fromkeys(breakdown["scenario"]))]
    shown = ""
    if len(table) > most:
        order = (
            sizes.reindex(table.index).fillna(0).sort_values(ascending=False, kind="stable").index
            if sizes is not None
            else table.index
        )
        shown = f"; the {most} largest of {len(table):,} groups"
        table = table.loc[list(order[:most])]
    with rc_context(SLIDE):
        fig = new_figure(3.0 + 2.2 * table.shape[1], 1.6 + 0.45 * len(table))
        axis = fig.subplots()
        image = axis.imshow(table.to_numpy(), cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
        axis.set_xticks(range(table.shape[1]), table.columns, rotation=20, ha="right")
        axis.set_yticks(range(len(table)), table.index)
        for (i, j), value in np.ndenumerate(table.to_numpy()):
            axis.text(j, i, f"{value:.0%}", ha="center", va="center", fontsize=11)
        fig.colorbar(image, ax=axis, label=f"{title} (share of group)")
        if shown:
            axis.set_title(f"{title}{shown}")
    return fig


def chart_sample(org, max_people: int = ORG_CHART_MAX, seed: int = 0) -> np.ndarray:
    """People drawn in the org chart: everyone, or ``max_people`` at random plus their managers
    up to the top (so every drawn person hangs from a drawn chain). Sorted indices."""
    if org.size <= max_people:
        return np.arange(org.size)
    rng = np.random.default_rng(seed)
    keep = np.zeros(org.size, dtype=bool)
    keep[rng.choice(org.size, size=max_people, replace=False)] = True
    frontier = np.flatnonzero(keep)
    while frontier.size:  # climb to the top, one level at a time
        boss = org.manager[frontier]
        boss = boss[(boss >= 0) & ~keep[np.maximum(boss, 0)]]
        keep[boss] = True
        frontier = np.unique(boss)
    return np.flatnonzero(keep)


def org_chart(org, activity: np.ndarray, title: str = "", max_people: int = ORG_CHART_MAX):
    """The reporting tree with each person coloured by ``activity`` (share 0-1).

    People are placed by level (rows) and by the order of a depth-first walk (columns); lines
    join people to their manager. Above ``max_people`` a random sample of that many people and
    their managers is drawn (:func:`chart_sample`), and the title says so.
    """
    from matplotlib.collections import LineCollection

    drawn = chart_sample(org, max_people)
    index = np.full(org.size, -1)
    index[drawn] = np.arange(drawn.size)
    manager = org.manager[drawn]
    children: dict[int, list[int]] = {}
    for k, boss in enumerate(manager.tolist()):
        children.setdefault(int(index[boss]) if boss >= 0 else -1, []).append(k)
    x = np.zeros(drawn.size)
    order = 0
    stack = list(reversed(children.get(-1, [])))
    while stack:  # depth-first, so each team sits together under its manager
        person = stack.pop()
        x[person] = order
        order += 1
        stack.extend(reversed(children.get(person, [])))
    y = -org.level[drawn].astype(np.float64)
    if drawn.size < org.size:
        title = (
            f"{title}\n{drawn.size:,} of {org.size:,} people drawn "
            f"({max_people:,} at random and their managers)"
        )
    with rc_context(SLIDE):
        fig = new_figure(12, 5.6)
        axis = fig.subplots()
        has = manager >= 0
        boss = index[manager[has]]
        segments = np.stack([np.c_[x[has], y[has]], np.c_[x[boss], y[boss]]], axis=1)
        axis.add_collection(LineCollection(segments, colors="#cccccc", linewidths=0.4, zorder=1))
        points = axis.scatter(
            x,
            y,
            c=np.asarray(activity)[drawn],
            cmap="RdYlGn",
            vmin=0,
            vmax=1,
            s=14,
            zorder=2,
            edgecolors="none",
        )
        fig.colorbar(points, ax=axis, label="weekly active, share of last 30 days")
        levels = sorted(set(y.tolist()))
        axis.set_yticks(levels, [f"level {int(-v)}" for v in levels])
        axis.set_xticks([])
        axis.set_title(title)
    return fig
