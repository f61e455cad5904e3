"""``esnsim sweep plot DIR``: each outcome against each parameter, and grids as heat maps.

::

    esnsim sweep plot DIR [--outcome NAME]... [--out DIR]

Writes into ``--out`` (default ``DIR/plots/``) ``<outcome>.png``: one panel per parameter with
every run and each point's replicate mean; for a ``grid`` design with two or more parameters also
``<outcome>_heatmap.png``: the mean outcome over the two parameters with the largest main
effects. Registered under ``esnsim sweep`` by :mod:`simulation.cli.sweep`.
"""

from __future__ import annotations

from pathlib import Path

from simulation.base.errors import SweepError


def register(subparsers) -> None:
    """Add ``plot`` to ``esnsim sweep``'s sub-commands."""
    plot = subparsers.add_parser(
        "plot", prog="esnsim sweep plot", help="outcomes against parameters (PNG)"
    )
    plot.add_argument("dir", help="a sweep's folder")
    plot.add_argument("--outcome", action="append", help="outcome (repeatable; default: all)")
    plot.add_argument("--out", help="output folder (default DIR/plots/)")
    plot.set_defaults(func=cmd_plot)


def figures(runs, names: list[str], outcomes: list[str], method: str) -> dict:
    """File name -> matplotlib Figure for every outcome."""
    from simulation.report.sweep_plots import heatmap, main_parameters, scatter

    out = {}
    for outcome in outcomes:
        out[f"{outcome}.png"] = scatter(runs, names, outcome)
        if method == "grid" and len(names) >= 2:
            first, second = main_parameters(runs, names, outcome)[:2]
            out[f"{outcome}_heatmap.png"] = heatmap(runs, first, second, outcome)
    return out


def cmd_plot(args) -> int:
    import matplotlib.pyplot as plt

    from simulation.base.outputs import write_atomically, write_figure
    from simulation.experiments.sweep import SweepResult

    folder = Path(args.dir)
    if not (folder / "sweep.json").exists():
        raise SweepError(f"{folder}: not a sweep's folder (no sweep.json)")
    result = SweepResult(folder)
    meta = result.meta
    known = list(meta["sweep"]["outcomes"])
    outcomes = args.outcome or known
    for name in outcomes:
        if name not in known:
            raise SweepError(
                f"--outcome: {name!r} is not an outcome of {folder} ({', '.join(known)})"
            )
    runs = result.runs
    if runs.empty:
        raise SweepError(f"{folder}: no completed run yet")
    names = list(meta["design"]["names"])
    made = figures(runs, names, outcomes, meta["design"]["method"])
    out = Path(args.out) if args.out else folder / "plots"
    paths = write_atomically(out, {name: write_figure(fig) for name, fig in made.items()})
    for fig in made.values():
        plt.close(fig)
    done, total = len(runs), int(meta["runs"])
    partial = "" if done == total else f" (from {done:,} of {total:,} runs)"
    print(f"{len(paths)} figures{partial} in {out}: {', '.join(p.name for p in paths)}")
    return 0
