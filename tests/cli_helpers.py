"""Running ``esnsim`` in tests: in this process (fast) or the installed command (as users do).

:func:`in_process` is what the ``esnsim`` fixtures of the command tests return;
:func:`installed` runs ``.venv/bin/esnsim`` in a subprocess. Both give a
:class:`subprocess.CompletedProcess` (``returncode``, ``stdout``, ``stderr``).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from simulation.cli.main import main

#: the installed command, beside the interpreter running the tests
ESNSIM = Path(sys.executable).with_name("esnsim")


def in_process(capsys, monkeypatch, folder: Path) -> Callable[..., subprocess.CompletedProcess]:
    """A function running ``esnsim ARGS...`` in this process from ``folder`` (pytest's
    ``capsys`` and ``monkeypatch`` fixtures capture its output and restore the folder)."""
    monkeypatch.chdir(folder)

    def call(*args: str) -> subprocess.CompletedProcess:
        code = main(list(args))
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, captured.out, captured.err)

    return call


def installed(*args, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """``esnsim ARGS...`` through the installed command, run from ``cwd`` (text output)."""
    return subprocess.run(
        [str(ESNSIM), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=timeout
    )
