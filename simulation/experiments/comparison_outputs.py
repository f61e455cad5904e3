"""What a comparison writes: its manifest and every output file, rendered from its result.

``daily.parquet``, ``summary.parquet``, ``daily_by_group.parquet``, ``pockets.parquet``,
``compare.parquet``, ``manifest.json``, ``report.html``, the PNG figures, and with their options
``uncertainty.parquet`` and ``lever_table.parquet`` (:meth:`MultiSim.save
<simulation.experiments.multisim.MultiSim.save>`).
"""

from __future__ import annotations

from pathlib import Path

from simulation.base.outputs import manifest, write_atomically, write_json, write_parquet
from simulation.plan.names import name_record


def comparison_manifest(ms) -> dict:
    """What produced these results (versions, plans, seeds, organisation, targets, times)."""
    return manifest(
        scenarios=[s.model_dump(mode="json") for s in ms.scenarios],
        scenario_hashes={s.name: s.digest() for s in ms.scenarios},
        scenario_files={s.name: str(s._source) if s._source else None for s in ms.scenarios},
        names={s.name: name_record(s) for s in ms.scenarios},
        organisation={"name": ms.org.name, "size": ms.org.size},
        seeds=ms.seeds,
        replicates=ms.replicates,
        targets=[t.text for t in ms.targets],
        outcome=ms.outcome,
        calibration=str(ms.calibration) if ms.calibration else None,
        uncertainty=None
        if ms.uncertainty is None
        else {
            "source": ms.uncertainty.source,
            "kind": ms.uncertainty.kind,
            "sets": ms.uncertainty.count,
            "parameters": ms.uncertainty.paths,
        },
        workers=ms.workers,
        start=ms.started,
        end=ms.finished,
        elapsed_seconds=ms.elapsed,
    )


def save_comparison(ms, out_dir: str | Path, figures: bool = True) -> list[Path]:
    """Write every output of a comparison into ``out_dir`` (atomically).

    ``daily.parquet``, ``summary.parquet``, ``daily_by_group.parquet``, ``pockets.parquet``,
    ``compare.parquet``, ``manifest.json``, ``report.html`` and the PNG figures, all
    rendered from :attr:`result`.
    """
    # the report layer renders; imported when a comparison is saved (pyproject's contract)
    from simulation.report.html import figures as make_figures
    from simulation.report.html import render

    result = ms._require_run()
    pngs = make_figures(result) if figures else {}
    html = render(result, pngs, calibration=ms.calibration_section)
    summary = result.runs.drop(columns=["cost_per_sustained_wau"])
    writers = {
        "daily.parquet": write_parquet(result.daily),
        "summary.parquet": write_parquet(summary),
        "daily_by_group.parquet": write_parquet(result.by_group),
        "pockets.parquet": write_parquet(result.pockets),
        "compare.parquet": write_parquet(result.statistics),
        "manifest.json": write_json(comparison_manifest(ms)),
        "report.html": lambda path: path.write_text(html, encoding="utf-8"),
    }
    if result.uncertainty is not None:
        writers["uncertainty.parquet"] = write_parquet(result.uncertainty.runs)
    if result.value is not None and result.value.levers is not None:
        writers["lever_table.parquet"] = write_parquet(result.value.levers.rows)
    for name, png in pngs.items():
        writers[f"{name}.png"] = lambda path, png=png: path.write_bytes(png)
    return write_atomically(out_dir, writers)
