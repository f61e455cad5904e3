"""Matplotlib figures of adoption: curves with a band across replicates."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files, not windows: works on servers and in CI

import matplotlib.pyplot as plt  # noqa: E402
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
