"""The organisation's network coloured by each person's stage, for the single-run page.

People are placed by department (one cluster per department on a circle, a department's people
spread around its centre) so that the picture shows which departments take it up. Above
:data:`SAMPLE_LIMIT` people a fixed random sample is drawn (the page says so); ties are drawn
among the people shown, at most :data:`TIE_LIMIT` of them.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from simulation.model.people import Stage

SAMPLE_LIMIT = 2000
TIE_LIMIT = 3000
COLOURS = {
    Stage.UNAWARE: "#d9d9d9",
    Stage.AWARE: "#9ecae1",
    Stage.NEVER: "#636363",
    Stage.REGISTERED: "#31a354",
    Stage.LAPSED: "#fd8d3c",
    Stage.DORMANT: "#bcbddc",
}
LABELS = {
    Stage.UNAWARE: "not yet aware",
    Stage.AWARE: "aware",
    Stage.NEVER: "will never join",
    Stage.REGISTERED: "registered, visiting",
    Stage.LAPSED: "lapsed",
    Stage.DORMANT: "account, never visits",
}


def layout(org, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``(shown, xy)``: the indices of the people drawn and their positions (shown x 2)."""
    rng = np.random.default_rng(seed)
    shown = np.arange(org.size)
    if org.size > SAMPLE_LIMIT:
        shown = np.sort(rng.choice(org.size, SAMPLE_LIMIT, replace=False))
    department = np.asarray(org.department)[shown]
    groups = max(int(department.max()) + 1 if department.size else 1, 1)
    angle = 2 * np.pi * department / groups
    centre = np.column_stack([np.cos(angle), np.sin(angle)]) * (0.0 if groups == 1 else 1.0)
    spread = 0.9 if groups == 1 else 0.9 * np.sin(np.pi / groups) + 0.05
    radius = spread * np.sqrt(rng.random(shown.size))
    theta = 2 * np.pi * rng.random(shown.size)
    xy = centre + np.column_stack([radius * np.cos(theta), radius * np.sin(theta)])
    return shown, xy


def sample_note(org) -> str:
    """The page's note when the picture is a sample ('' otherwise)."""
    if org.size <= SAMPLE_LIMIT:
        return ""
    return f"Showing a random sample of {SAMPLE_LIMIT:,} of {org.size:,} people."


def draw(org, stage: np.ndarray, shown: np.ndarray, xy: np.ndarray) -> Figure:
    """The network figure: ties among the people shown, each person a dot coloured by stage."""
    figure = Figure(figsize=(6.4, 4.4), layout="constrained")  # its legend inside the cell
    axes = figure.add_subplot()
    position = np.full(org.size, -1)
    position[shown] = np.arange(shown.size)
    ties = org.ties.tocoo()
    keep = (ties.row < ties.col) & (position[ties.row] >= 0) & (position[ties.col] >= 0)
    rows, cols = ties.row[keep], ties.col[keep]
    if rows.size > TIE_LIMIT:
        pick = np.random.default_rng(1).choice(rows.size, TIE_LIMIT, replace=False)
        rows, cols = rows[pick], cols[pick]
    segments = np.stack([xy[position[rows]], xy[position[cols]]], axis=1)
    axes.add_collection(LineCollection(segments, colors="#bdbdbd", linewidths=0.3, alpha=0.5))
    codes = stage[shown]
    for code, colour in COLOURS.items():
        mask = codes == code
        if mask.any():
            axes.scatter(*xy[mask].T, s=8, c=colour, label=f"{LABELS[code]} ({mask.sum():,})")
    axes.set_aspect("equal")
    axes.set_axis_off()
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=3, fontsize=7, frameon=False)
    return figure
