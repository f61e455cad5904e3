"""The figure of ``esnsim champions``: sustained weekly active against the number seeded.

One line per method (the searched champions up to the budget, each heuristic, random people),
each point the mean over the check's fresh seeds with its 90 % interval of the mean; a dotted
line at the budget. Where a curve flattens, more champions stop helping; where it falls, they
start hurting (Iyer & Adamic 2019, Applied Network Science 4:38).
"""

from __future__ import annotations

from matplotlib import rc_context

from simulation.report.plots import PALETTE, SLIDE, new_figure

SEARCHED = "searched"


def curve_figure(result):
    """A matplotlib Figure of ``result.curve`` (a :class:`ChampionsResult`)."""
    table = result.curve
    methods = [SEARCHED, *sorted(m for m in table["method"].unique() if m != SEARCHED)]
    others = [m for m in methods if m not in (SEARCHED, "random")]
    colours = {SEARCHED: "#000000", "random": "#7f7f7f"}
    colours.update({m: PALETTE[k % len(PALETTE)] for k, m in enumerate(others)})
    with rc_context(SLIDE):
        fig = new_figure(9, 5.5)
        axis = fig.add_subplot()
        for method in methods:
            part = table[table["method"] == method].sort_values("k")
            colour = colours[method]
            wide = method == SEARCHED
            axis.plot(
                part["k"], 100 * part["mean"], marker="o", ms=6 if wide else 4,
                lw=2.6 if wide else 1.4, color=colour, label=method, zorder=3 if wide else 2,
            )  # fmt: skip
            axis.fill_between(
                part["k"], 100 * part["low"], 100 * part["high"], color=colour, alpha=0.12, lw=0
            )
        axis.axvline(result.budget, color="#555555", ls=":", lw=1.2)
        axis.annotate(
            f"budget {result.budget}", (result.budget, 1.0), xycoords=("data", "axes fraction"),
            xytext=(3, -14), textcoords="offset points", fontsize=11, color="#555555",
        )  # fmt: skip
        if table["k"].max() > 10 * max(result.budget, 1):  # the tail to the whole head-count
            axis.set_xscale("symlog", linthresh=max(result.budget, 1), linscale=1.5)
            axis.set_xlim(left=0)
        axis.set_xlabel("people seeded (champions)")
        axis.set_ylabel("sustained weekly active, % of head-count")
        axis.set_ylim(bottom=0)
        axis.set_title(
            f"{result.scenario.name} on {result.org.name}: outcome against the number seeded\n"
            f"({len(result.check_seeds)} runs at the budget, "
            f"{getattr(result, 'curve_replicates', 0) or len(result.check_seeds)} elsewhere; "
            "90 % intervals)",
            fontsize=12,
        )
        axis.grid(alpha=0.3)
        fig.legend(*axis.get_legend_handles_labels(), loc="outside lower center", ncol=4)
    return fig
