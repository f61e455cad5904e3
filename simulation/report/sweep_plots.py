"""Figures of a sweep: outcomes against parameters, heat maps of grids, sensitivity bars."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files, not windows: works on servers and in CI

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from simulation.analysis.sensitivity import MAIN_INDICES  # noqa: E402

COLOURS = ("#1f77b4", "#ff7f0e")


def _axis_values(column: pd.Series) -> tuple[np.ndarray, list[str] | None]:
    """Numeric x positions of a parameter column, and tick labels if it is categorical."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(np.float64), None
    labels = sorted(column.astype(str).unique())
    codes = column.astype(str).map({v: k for k, v in enumerate(labels)})
    return codes.to_numpy(np.float64), labels


def scatter(runs: pd.DataFrame, parameters: list[str], outcome: str):
    """One panel per parameter: every run (light) and each point's replicate mean (dark).

    Parameters
    ----------
    runs : the sweep's runs (``point``, the parameter columns, the outcome).
    parameters : parameter paths (columns of ``runs``).
    outcome : the per-run figure on the y axis.
    """
    n = len(parameters)
    cols = min(n, 4)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.8 * rows), squeeze=False)
    means = runs.groupby("point").agg({**{p: "first" for p in parameters}, outcome: "mean"})
    rng = np.random.default_rng(0)  # jitter of categorical positions only
    for ax, name in zip(axes.flat, parameters, strict=False):
        x, labels = _axis_values(runs[name])
        xm, _ = _axis_values(means[name])
        if labels is not None:
            x = x + rng.uniform(-0.15, 0.15, len(x))
            ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=7)
        ax.scatter(x, runs[outcome], s=5, alpha=0.5, color="#9ecae1", linewidths=0)
        ax.scatter(xm, means[outcome], s=6, color="#08306b", linewidths=0)
        ax.set_xlabel(name, fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for row in axes:
        row[0].set_ylabel(outcome, fontsize=8)
    fig.suptitle(f"{outcome}: runs (light) and replicate means (dark)", fontsize=10)
    fig.tight_layout()
    return fig


def main_parameters(runs: pd.DataFrame, parameters: list[str], outcome: str) -> list[str]:
    """Parameters ranked by their main effect on ``outcome``.

    The share of the variance of the point means explained by the parameter's own levels
    (between-level variance over total): on a grid, the first-order share of each factor.
    """
    means = runs.groupby("point").agg({**{p: "first" for p in parameters}, outcome: "mean"})
    total = float(means[outcome].var(ddof=0))

    def share(name: str) -> float:
        if total == 0:
            return 0.0
        level = means.groupby(name)[outcome].transform("mean")
        return float(level.var(ddof=0)) / total

    return sorted(parameters, key=share, reverse=True)


def _label(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def heatmap(runs: pd.DataFrame, x: str, y: str, outcome: str):
    """The mean of ``outcome`` over the runs at each pair of levels of ``x`` and ``y``."""
    table = runs.pivot_table(index=y, columns=x, values=outcome, aggfunc="mean", sort=True)
    fig, ax = plt.subplots(figsize=(3.2 + 0.9 * len(table.columns), 2.2 + 0.45 * len(table.index)))
    image = ax.imshow(table.to_numpy(np.float64), aspect="auto", cmap="viridis", origin="lower")
    ax.set_xticks(
        range(len(table.columns)),
        [_label(v) for v in table.columns],
        fontsize=8,
        rotation=30,
        ha="right",
    )
    ax.set_yticks(range(len(table.index)), [_label(v) for v in table.index], fontsize=8)
    for (i, j), value in np.ndenumerate(table.to_numpy(np.float64)):
        if value == value:
            ax.text(j, i, f"{value:.3g}", ha="center", va="center", fontsize=7, color="white")
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    fig.colorbar(image, ax=ax, label=f"mean {outcome}")
    ax.set_title(f"{outcome}: mean over the replicates", fontsize=10)
    fig.tight_layout()
    return fig


def sensitivity_bars(table: pd.DataFrame):
    """One panel per outcome: the method's main indices per parameter with 95 % intervals.

    Parameters
    ----------
    table : :func:`simulation.analysis.sensitivity.analyse`'s table (one method).
    """
    from simulation.analysis.sensitivity import wide

    method = str(table["method"].iloc[0])
    shown = MAIN_INDICES[method]
    outcomes = list(dict.fromkeys(table["outcome"]))
    params = table.loc[table["parameter"] != "", "parameter"]
    params = [p for p in dict.fromkeys(params) if " & " not in p]
    height = 0.8 + 0.28 * len(params) * len(outcomes)
    fig, axes = plt.subplots(len(outcomes), 1, figsize=(7.5, height), squeeze=False)
    for ax, outcome in zip(axes[:, 0], outcomes, strict=True):
        w = wide(table[table["outcome"] == outcome]).set_index("parameter")
        w = w.loc[[p for p in params if p in w.index]].sort_values(shown[0])
        y = np.arange(len(w))
        step = 0.8 / len(shown)
        for k, index in enumerate(shown):
            conf = w.get(f"{index}_conf")
            if conf is not None and conf.isna().all():
                conf = None  # Morris's sigma has no interval
            ax.barh(
                y + (k - (len(shown) - 1) / 2) * step,
                w[index],
                height=step,
                xerr=None if conf is None else conf.fillna(0),
                color=COLOURS[k % len(COLOURS)],
                label=index,
                error_kw={"elinewidth": 0.8, "capsize": 2},
            )
        ax.set_yticks(y, w.index, fontsize=7)
        ax.axvline(0, color="black", linewidth=0.6)
        noise = table[(table["outcome"] == outcome) & (table["index"] == "noise_share")]
        note = f"; replicate noise {noise['value'].iloc[0]:.0%}" if len(noise) else ""
        ax.set_title(f"{outcome} ({method}{note})", fontsize=9)
        ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig
