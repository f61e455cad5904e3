"""Matplotlib figures of adoption: curves with a band across replicates."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files, not windows: works on servers and in CI

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

CURVES = [
    ("registered", "registered", "#7f7f7f"),
    ("wau", "weekly active", "#1f77b4"),
    ("contributors", "contributors (week)", "#2ca02c"),
]
BAND = (0.05, 0.95)  # the 90 % band across replicates


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


def adoption(daily: pd.DataFrame, title: str | None = None, ax=None):
    """Weekly active, registered and contributors over time, one panel per scenario.

    Parameters
    ----------
    daily : DataFrame
        Rows of ``daily.parquet`` (one or several scenarios, any number of replicates).
    title : str, optional
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    names = list(dict.fromkeys(daily["scenario"]))
    if ax is None:
        fig, axes = plt.subplots(
            1, len(names), figsize=(6.5 * len(names), 4.2), sharey=True, squeeze=False
        )
        axes = axes[0]
    else:
        fig, axes = ax.figure, [ax]
    for axis, name in zip(axes, names, strict=False):
        part = daily[daily["scenario"] == name]
        reps = part["replicate"].nunique()
        for column, label, colour in CURVES:
            stats = band(part, column)
            axis.plot(stats.index, stats["mean"], color=colour, label=label, lw=2)
            if reps > 1:
                axis.fill_between(stats.index, stats["low"], stats["high"], color=colour, alpha=0.2)
        axis.set_title(f"{name} ({reps} replicate{'s' if reps > 1 else ''})")
        axis.set_xlabel("day")
        axis.set_ylim(0, 1)
        axis.grid(alpha=0.3)
    axes[0].set_ylabel("share of employees")
    axes[0].legend(loc="upper left", fontsize=9, title="mean, 90 % band" if len(daily) else None)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]
FUNNEL = [
    ("aware", "aware"),
    ("registered", "registered"),
    ("wau", "weekly active"),
    ("contributors_all", "contributors"),
]


def curves(daily: pd.DataFrame, column: str = "wau", ax=None, label: str | None = None):
    """One curve per plan of a daily ``column``: the mean with its 90 % band.

    Parameters
    ----------
    daily : DataFrame
        Rows of ``daily.parquet`` of several plans.
    column : str
        A daily column (shares 0-1 of head-count for people counts).

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axis = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(8, 4.5))
    for k, name in enumerate(dict.fromkeys(daily["scenario"])):
        stats = band(daily[daily["scenario"] == name], column)
        colour = PALETTE[k % len(PALETTE)]
        axis.plot(stats.index, stats["mean"], color=colour, lw=2, label=name)
        axis.fill_between(stats.index, stats["low"], stats["high"], color=colour, alpha=0.18)
    axis.set_xlabel("day")
    axis.set_ylabel(label or column.replace("_", " ") + " (mean, 90 % band)")
    axis.grid(alpha=0.3)
    axis.legend(fontsize=9)
    fig.tight_layout()
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
    fig, axis = plt.subplots(figsize=(8, 4.2))
    width = 0.8 / len(names)
    for k, name in enumerate(names):
        mine = part[part["scenario"] == name]
        cols = [c for c, _ in FUNNEL]
        mean = mine[cols].mean()
        low, high = mine[cols].quantile(BAND[0]), mine[cols].quantile(BAND[1])
        x = [i + (k - (len(names) - 1) / 2) * width for i in range(len(cols))]
        axis.bar(x, mean, width, color=PALETTE[k % len(PALETTE)], label=name)
        axis.errorbar(x, mean, yerr=[mean - low, high - mean], fmt="none", ecolor="black", lw=1)
    axis.set_xticks(range(len(FUNNEL)), [label for _, label in FUNNEL])
    axis.set_ylabel(f"share of employees on day {day}")
    axis.set_ylim(0, 1)
    axis.grid(axis="y", alpha=0.3)
    axis.legend(fontsize=9)
    fig.tight_layout()
    return fig


def ebb(runs: pd.DataFrame):
    """Peak against sustained weekly active per plan (the ebb), with 90 % intervals."""
    names = list(dict.fromkeys(runs["scenario"]))
    fig, axis = plt.subplots(figsize=(8, 4.2))
    for k, (column, label) in enumerate([("peak_wau", "peak"), ("sustained_wau", "sustained")]):
        grouped = runs.groupby("scenario", sort=False)[column]
        mean = grouped.mean().reindex(names)
        low = grouped.quantile(BAND[0]).reindex(names)
        high = grouped.quantile(BAND[1]).reindex(names)
        x = [i + (k - 0.5) * 0.38 for i in range(len(names))]
        axis.bar(x, mean, 0.38, color=["#9ecae1", "#1f77b4"][k], label=label)
        axis.errorbar(x, mean, yerr=[mean - low, high - mean], fmt="none", ecolor="black", lw=1)
    ratio = runs.groupby("scenario", sort=False)["ebb_ratio"].mean().reindex(names)
    for i, value in enumerate(ratio):
        axis.annotate(f"ebb ratio {value:.2f}", (i, 1.0), ha="center", va="top", fontsize=9)
    axis.set_xticks(range(len(names)), names)
    axis.set_ylabel("weekly active, share of employees")
    axis.set_ylim(0, 1.05)
    axis.grid(axis="y", alpha=0.3)
    axis.legend(fontsize=9, loc="upper right", bbox_to_anchor=(1, 0.92))
    fig.tight_layout()
    return fig


def group_heatmap(breakdown: pd.DataFrame, title: str = "sustained weekly active"):
    """Heat-map of a group breakdown: groups (rows) by plans (columns), mean shares annotated.

    ``breakdown`` is :meth:`MultiSim.group_breakdown` (``scenario, group, metric, mean...``).
    """
    table = breakdown[breakdown["metric"] == "wau"].pivot(
        index="group", columns="scenario", values="mean"
    )
    table = table[list(dict.fromkeys(breakdown["scenario"]))]
    fig, axis = plt.subplots(figsize=(1.8 + 1.9 * table.shape[1], 0.9 + 0.38 * len(table)))
    image = axis.imshow(table.to_numpy(), cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    axis.set_xticks(range(table.shape[1]), table.columns, rotation=20, ha="right")
    axis.set_yticks(range(len(table)), table.index)
    for (i, j), value in np.ndenumerate(table.to_numpy()):
        axis.text(j, i, f"{value:.0%}", ha="center", va="center", fontsize=8)
    fig.colorbar(image, ax=axis, label=f"{title} (share of group)")
    fig.tight_layout()
    return fig


def org_chart(org, activity: np.ndarray, title: str = "", max_people: int = 1000):
    """The reporting tree with each person coloured by ``activity`` (share 0-1).

    People are placed by level (rows) and by the order of a depth-first walk (columns); lines
    join people to their manager. For organisations of at most ``max_people``.
    """
    if org.size > max_people:
        raise ValueError(f"org_chart draws at most {max_people} people, got {org.size}")
    children: dict[int, list[int]] = {}
    for person, boss in enumerate(org.manager.tolist()):
        children.setdefault(boss, []).append(person)
    x = np.zeros(org.size)
    order = 0
    stack = list(reversed(children.get(-1, [])))
    while stack:  # depth-first, so each team sits together under its manager
        person = stack.pop()
        x[person] = order
        order += 1
        stack.extend(reversed(children.get(person, [])))
    y = -org.level.astype(np.float64)
    fig, axis = plt.subplots(figsize=(10, 4.5))
    has = org.manager >= 0
    boss = org.manager[has]
    segments = np.stack([np.c_[x[has], y[has]], np.c_[x[boss], y[boss]]], axis=1)
    from matplotlib.collections import LineCollection

    axis.add_collection(LineCollection(segments, colors="#cccccc", linewidths=0.4, zorder=1))
    points = axis.scatter(
        x, y, c=activity, cmap="RdYlGn", vmin=0, vmax=1, s=12, zorder=2, edgecolors="none"
    )
    fig.colorbar(points, ax=axis, label="weekly active, share of last 30 days")
    axis.set_yticks(sorted(set(y.tolist())), [f"level {int(-v)}" for v in sorted(set(y.tolist()))])
    axis.set_xticks([])
    axis.set_title(title)
    fig.tight_layout()
    return fig
