"""Sweeps: declared experiments over a scenario's parameters, run in chunks, stored as Parquet.

The notebook API::

    import simulation as esn
    result = esn.Sweep.load("scenarios/sweeps/lhs_facilitation_sponsorship.yaml").run(
        evaluator=esn.sweep.PoolEvaluator(workers=2), out="results/lhs")
    result.runs          # DataFrame: run, point, replicate, seed, <parameter paths>, <outcomes>
    result.design        # the Design (points, unit, SALib problem)

Modules: :mod:`~simulation.experiments.sweep.spec` (the file), :mod:`~simulation.experiments.sweep.checks` (its
parameters against the base), :mod:`~simulation.experiments.sweep.paths` (field
paths), :mod:`~simulation.experiments.sweep.design` (the points), :mod:`~simulation.experiments.sweep.chunks` (what a
worker runs), :mod:`~simulation.experiments.sweep.points_file` (a list design's CSV),
:mod:`~simulation.experiments.sweep.estimate` (``sweep check``'s time), :mod:`~simulation.experiments.sweep.evaluators` (where), :mod:`~simulation.experiments.sweep.store` (the
folder), :mod:`~simulation.experiments.sweep.run` (the loop).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from simulation.experiments.sweep.design import Design, make_design
from simulation.experiments.sweep.evaluators import (
    Evaluator,
    InProcessEvaluator,
    PoolEvaluator,
    default_evaluator,
)
from simulation.experiments.sweep.spec import SweepSpec
from simulation.experiments.sweep.store import Store


class SweepResult:
    """A sweep's folder: ``runs`` and ``daily`` are read from the store when asked for."""

    def __init__(self, directory: str | Path, design: Design | None = None, progress=None):
        self.dir = Path(directory)
        self.store = Store(self.dir)
        self._design = design
        self.progress = progress if progress is not None else self.meta.get("progress", {})

    @property
    def meta(self) -> dict:
        """``sweep.json``."""
        return self.store.read_meta()

    @property
    def runs(self) -> pd.DataFrame:
        """One row per completed run, sorted by ``run``."""
        return self.store.runs()

    @property
    def daily(self) -> pd.DataFrame:
        """The kept daily rows (``daily:`` in the sweep file), sorted by run and day."""
        return self.store.daily()

    @property
    def design(self) -> Design:
        """The design (rebuilt from the store when this result was opened from a folder)."""
        if self._design is None:
            info = self.meta["design"]
            self._design = Design(
                info["method"],
                info["names"],
                self.store.design_points(),
                self.store.design_unit(),
                info["problem"],
                info["options"],
                self.meta["sweep"]["replicates"],
            )
        return self._design

    @property
    def failed(self) -> list[dict]:
        """Chunks that failed twice: their runs and errors."""
        return self.store.errors()

    @property
    def complete(self) -> bool:
        """Whether every chunk and the design are in place and match their checksums: a check
        of the folder now (a chunk damaged or deleted after the sweep finished makes it
        incomplete; ``--resume`` repairs it), not the progress recorded when it last ran."""
        return self.store.whole(self.meta["chunks"]["count"])


class Sweep:
    """A loaded sweep file: its spec and design; :meth:`run` runs it into a folder."""

    def __init__(self, spec: SweepSpec):
        self.spec = spec
        self.design = make_design(spec)

    @classmethod
    def load(cls, path: str | Path) -> Sweep:
        """Read and validate a sweep file (raises :class:`~simulation.base.errors.SweepError`)."""
        return cls(SweepSpec.load(path))

    @property
    def runs(self) -> int:
        return self.design.runs

    def run(
        self,
        evaluator: Evaluator | None = None,
        out: str | Path | None = None,
        resume: bool = False,
        progress: bool = True,
    ) -> SweepResult:
        """Run every pending chunk into ``out`` (default ``results/sweep-<name>``).

        ``evaluator``: default :func:`~simulation.experiments.sweep.evaluators.default_evaluator` (a pool
        on the cores, this process on one core; entered and closed here). A given evaluator is
        used as is and left open.
        """
        from simulation.experiments.sweep.run import execute

        out = Path(out) if out is not None else Path("results") / f"sweep-{self.spec.name}"
        if evaluator is None:
            with default_evaluator() as chosen:
                state = execute(self.spec, self.design, out, chosen, resume, progress)
        else:
            state = execute(self.spec, self.design, out, evaluator, resume, progress)
        return SweepResult(out, self.design, state)

    @staticmethod
    def open(directory: str | Path) -> SweepResult:
        """The result in a sweep's folder (complete or not)."""
        return SweepResult(directory)


__all__ = [
    "Design",
    "Evaluator",
    "InProcessEvaluator",
    "PoolEvaluator",
    "Store",
    "Sweep",
    "SweepResult",
    "SweepSpec",
    "make_design",
]
