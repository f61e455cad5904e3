"""Evaluators: where a sweep's chunks run. Swappable, with one interface.

The evaluators are the package's one process pool (:mod:`simulation.experiments.pool`, where
their interface is described), shared with ``esnsim run``, ``compare`` and calibration; this
module keeps their historical import path (``simulation.experiments.sweep.evaluators``,
``esn.sweep.PoolEvaluator``). A Dask cluster is
``simulation.experiments.sweep.dask_evaluator.DaskEvaluator``, in its own module.
"""

from __future__ import annotations

from simulation.experiments.pool import (
    Evaluator,
    InProcessEvaluator,
    PoolEvaluator,
    default_evaluator,
    default_workers,
)

__all__ = [
    "Evaluator",
    "InProcessEvaluator",
    "PoolEvaluator",
    "default_evaluator",
    "default_workers",
]
