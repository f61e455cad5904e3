"""A worker function that kills its process on one input (for the pool tests): no imports of
the package, so that spawned workers start fast."""

from __future__ import annotations

import os


def die_on_three(x: int) -> int:
    if x == 3:
        os._exit(3)  # a worker killed mid-chunk
    return 2 * x


def double_with_pid(x: int) -> tuple[int, int]:
    return 2 * x, os.getpid()


def preloaded(x: int) -> tuple[int, bool, int]:
    """Whether this worker came from the fork server with the sweep's modules preloaded, and
    which process it is."""
    import sys

    return 2 * x, "simulation.experiments.sweep.warm_worker" in sys.modules, os.getpid()
