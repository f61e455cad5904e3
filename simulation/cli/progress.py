"""The progress bar of the commands that run for long (``run``, ``compare``, ``champions``,
``optimise``): on a terminal only, so that logs, CI and pipes stay clean."""

from __future__ import annotations

import sys


def progress_bar(label: str, quiet: bool, unit: str = "run", total: int | None = None):
    """A tqdm bar counting ``unit`` (of ``total``, when known), or None when quiet, in CI or when
    stderr is not a terminal. The caller closes it."""
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm  # only when a bar is shown: start-up stays quick

    return tqdm(total=total, desc=label, unit=unit, leave=False)


def run_progress(total: int, label: str, quiet: bool):
    """The bar of :func:`progress_bar` counting runs, and its update
    (both None when no bar is shown)."""
    bar = progress_bar(label, quiet, total=total)
    return bar, (None if bar is None else bar.update)
