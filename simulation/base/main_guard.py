"""A clear error for a pool of workers started by an unguarded script.

A worker process (spawned, or forked from the fork server) re-runs the script that started its
parent, as ``__mp_main__``, to find what the parent's ``__main__`` defined: Python's rule is that a
script starting processes keeps that code under ``if __name__ == "__main__":``. Without it every
worker starts the sweep again during its own start-up and dies ("An attempt has been made to
start a new process before the current process has finished its bootstrapping phase"), and the
parent sees only broken workers. So before a pool starts, the script's own call is located and
checked against the script's source; an unguarded one is a one-line :class:`InputError`.
A notebook, ``python -c``, the ``esnsim`` command and a call from an imported module need no
guard and are never refused.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from simulation.base.errors import InputError


def _is_main_test(node: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    if not isinstance(node, ast.Compare) or len(node.ops) != 1:
        return False
    if not isinstance(node.ops[0], ast.Eq):
        return False
    sides = [node.left, node.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    texts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and texts)


def _guarded_lines(path: str) -> tuple[tuple[int, int], ...] | None:
    """Line spans of the script's ``if __name__ == "__main__":`` bodies; None if unreadable."""
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_main_test(node.test):
            first, last = node.body[0].lineno, node.body[-1].end_lineno or node.lineno
            spans.append((first, last))
    return tuple(spans)


def unguarded_call() -> str | None:
    """``file:line`` of the script's top-level statement that led here when it lies outside
    every ``if __name__ == "__main__":`` block; None when guarded or when it cannot be told."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if not path or not str(path).endswith(".py"):
        return None  # a notebook, python -c, an interactive session, a console script
    if Path(path).resolve().is_relative_to(Path(__file__).resolve().parents[1]):
        return None  # python -m simulation
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") == "__main__":
            break
        frame = frame.f_back
    if frame is None:
        return None
    try:
        spans = _guarded_lines(str(path))
    except OSError:
        return None
    if spans is None:
        return None
    line = frame.f_lineno
    if any(first <= line <= last for first, last in spans):
        return None
    return f"{path}:{line}"


def check_main_guard(what: str = "worker processes") -> None:
    """Raise :class:`InputError` when an unguarded script is about to start ``what``."""
    where = unguarded_call()
    if where is not None:
        raise InputError(
            f"{where}: starting {what} from a script needs the call under "
            "'if __name__ == \"__main__\":' (each worker re-runs the script), "
            "or run on one worker"
        )
