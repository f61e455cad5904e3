"""Running a sweep: chunks to an evaluator, each completed chunk straight to the store.

The loop holds no rows: each chunk's result is written to ``DIR/runs/`` as it arrives and
dropped, so memory stays flat in the number of runs. A chunk that raises is recorded in
``DIR/errors/`` and retried once after the others; the sweep goes on. ``resume`` skips the chunks
whose ``runs/`` file is in place and matches its checksum, so a damaged chunk runs again (the
same sweep file must be given: its resolved form is compared with ``DIR/sweep.json``). The
organisation's files are read before anything is written (:func:`check_organisation`).
"""

from __future__ import annotations

import time
import traceback
from pathlib import Path

from simulation.base import interrupts
from simulation.base.errors import SweepError
from simulation.base.outputs import check_out, now, versions
from simulation.experiments.sweep import owner
from simulation.experiments.sweep.chunks import check_organisation, make_chunks, run_chunk
from simulation.experiments.sweep.store import Store

PROGRESS_EVERY = 5.0  # seconds between rewrites of sweep.json's progress


def prepare(spec, design, out: Path, resume: bool) -> tuple[Store, list, dict]:
    """Check ``out``, write the sweep's description and design; return the pending chunks."""
    # a file, a folder of other files or an unwritable place: one line naming --out, at once
    check_out(out, ours=lambda folder: (folder / "sweep.json").is_file())
    store = Store(out)
    base = spec.base_mapping()
    chunks = make_chunks(spec, design, base, str(spec.base_path()))
    check_organisation(spec, chunks)  # its files are read now: nothing written if they fail
    meta = {
        "sweep": spec.resolved(),
        "source": spec.source,
        "versions": versions(),
        "design": {
            "method": design.method,
            "names": design.names,
            "points": design.size,
            "problem": {k: v for k, v in design.problem.items() if k != "sample_scaled"},
            "options": design.options,
            "file": "design.parquet",
            "unit": "design_unit.npy",
        },
        "chunks": {"count": len(chunks), "points_per_chunk": chunks[0].points if chunks else 0},
        "runs": design.runs,
        "digest": _digest(base, design),
    }
    if store.meta_path.exists():
        if not resume:
            raise SweepError(
                f"{out}: already holds a sweep; add --resume (resume=True) to finish it, "
                "or choose another --out"
            )
        old = store.read_meta()
        if any(old.get(key) != meta[key] for key in ("sweep", "chunks", "digest")):
            raise SweepError(
                f"{out}: holds a different sweep than {spec.source} (the sweep file, its base "
                "scenario or its points changed since); resume with the same files"
            )
        meta["started"] = old.get("started", now())
        store.clean_partials()
        if store.design_damaged() is not None:  # the same design (the digest matched)
            store.write_design(design.points, design.unit)
    else:
        meta["started"] = now()
        store.write_design(design.points, design.unit)
    done = store.completed()
    return store, [c for c in chunks if c.index not in done], meta


def _digest(base: dict, design) -> str:
    """SHA-256 of the resolved base scenario and the design's points: what a resume must find
    unchanged (the sweep file names the base; this catches an edited base or CSV of points)."""
    import hashlib
    import json

    text = json.dumps(base, sort_keys=True, default=str) + design.points.to_json(orient="split")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def execute(spec, design, out: Path, evaluator, resume: bool, progress: bool) -> dict:
    """Run the pending chunks of the sweep into ``out``; returns the final progress."""
    store, pending, meta = prepare(spec, design, out, resume)
    removed = remove_stale_plots(out) if pending and resume else None
    total = design.runs
    done_runs = total - sum(c.runs for c in pending)
    state = {
        "total_runs": total,
        "done_runs": done_runs,
        "done_at_start": done_runs,
        "due_runs": total - done_runs,
        "failed_chunks": 0,
        "status": "running",
        "owner": owner.current(),
    }
    if removed is not None:
        state["notes"] = [
            f"removed {removed}: its figures show the runs before this resume; "
            f"'esnsim sweep plot {out}' makes them again"
        ]
    state["updated"] = now()
    meta["progress"] = state
    store.write_meta(meta)
    bar = _bar(total, done_runs, spec.name, progress)
    clock = time.perf_counter()
    last = clock
    failed: list = []
    mark = interrupts.Mark()
    try:
        for attempt in (1, 2):
            retry, failed = failed, []
            todo = pending if attempt == 1 else retry
            if not todo:
                break
            for chunk, outcome in evaluator.evaluate(run_chunk, todo):
                mark.check()  # a Ctrl-C swallowed by a library still stops the sweep here
                if isinstance(outcome, BaseException):
                    text = "".join(traceback.format_exception_only(outcome)).strip()
                    span = (chunk.first_run, chunk.first_run + chunk.runs - 1)
                    store.record_error(chunk.index, span, text, attempt)
                    failed.append(chunk)
                    continue
                store.write_chunk(chunk.index, outcome.runs, outcome.daily)
                state["done_runs"] += chunk.runs
                if bar is not None:
                    bar.update(chunk.runs)
                if time.perf_counter() - last > PROGRESS_EVERY:
                    last = time.perf_counter()
                    state["seconds"] = round(last - clock, 3)
                    state["updated"] = now()
                    store.write_meta(meta)
    finally:
        if bar is not None:
            bar.close()
        state["failed_chunks"] = len(failed)
        state["status"] = "complete" if state["done_runs"] == total else "incomplete"
        state["seconds"] = round(time.perf_counter() - clock, 3)
        state["finished"] = state["updated"] = now()
        store.write_meta(meta)
    return state


def remove_stale_plots(out: Path) -> Path | None:
    """Remove ``out/plots`` (``esnsim sweep plot``'s default folder) before a resume adds runs:
    figures of fewer runs than the folder will hold would be read as the sweep's. Only a
    finished esnsim output (its completion marker) is removed; returns it, or None."""
    import shutil

    from simulation.base.outputs import is_complete

    plots = out / "plots"
    if plots.is_symlink() or not is_complete(plots):
        return None
    shutil.rmtree(plots)
    return plots


def _bar(total: int, initial: int, label: str, enabled: bool):
    """tqdm on a terminal or in a notebook (runs done, runs/s, time left); None when quiet, in
    CI or when nobody watches."""
    if not enabled:
        return None
    import os
    import sys

    shown = sys.stderr.isatty() or "ipykernel" in sys.modules  # a terminal or a notebook
    if not shown or os.environ.get("CI"):
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, initial=initial, desc=label, unit="run", smoothing=0.1)
