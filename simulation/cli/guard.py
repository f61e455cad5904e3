"""How every ``esnsim`` command fails: one line on standard error and a known exit status.

- bad input (:class:`~simulation.base.errors.InputError`: a scenario, an HR file, a value, ``--out``)
  is one line naming the file and the line or field, exit status 2;
- a command-line mistake (argparse) is one line with a hint, exit status 2 (:class:`Parser`);
- Ctrl-C (SIGINT) or SIGTERM at any moment, workers included, is ``esnsim: interrupted``, exit
  status 130 (the workers ignore SIGINT and are ended by the parent, see
  :mod:`simulation.experiments.runner`);
- a closed standard output (``esnsim org inspect ... | head``) ends quietly, status 0;
- a system error while working (a full disk, a file that vanished) is one line, exit status 1,
  and, as outputs are written atomically, no partial result;
- anything else is a bug: a traceback and exit status 1.

Commands added in their own modules (``sweep``, ``calibrate``) get all of this by being
registered on the parser of :func:`simulation.cli.main.build_parser`: subparsers inherit
:class:`Parser`, and :func:`guarded` wraps whatever function a subcommand sets as ``func``.
:func:`add_path_arguments` adds ``--allow-path`` (the roots a scenario's own paths may reach).
"""

from __future__ import annotations

import _thread
import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable

from simulation.base import interrupts
from simulation.base.errors import InputError

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``esnsim run: error: ... (see esnsim run --help)``."""

    def error(self, message: str) -> None:  # type: ignore[override]
        text = " ".join(message.split())
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {text} (see {self.prog} --help)\n")


def add_path_arguments(parser: argparse.ArgumentParser) -> None:
    """``--allow-path DIR`` (repeatable): a folder a scenario's own paths may also reach."""
    parser.add_argument(
        "--allow-path",
        action="append",
        default=[],
        metavar="DIR",
        help="a folder the scenario's own paths (hr_csv, ties, edgelist, attributes) may read "
        "besides the scenario's folder and the current folder; repeatable",
    )


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def guarded(func: Callable[[], int]) -> int:
    """Run ``func`` and turn every way it can end into an exit status and at most one line."""
    mark = interrupts.Mark()
    previous = _set_signal(signal.SIGTERM, interrupts.handler)
    previous_int = _set_signal(signal.SIGINT, interrupts.handler)
    previous_hook, sys.unraisablehook = sys.unraisablehook, _redeliver(sys.unraisablehook)
    try:
        status = int(func() or 0)
        # an interrupt a library swallowed (simulation.base.interrupts) still ends the command on it
        return _interrupted() if mark.arrived() else status
    except InputError as exc:
        print(f"esnsim: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return _interrupted()
    except BrokenPipeError:
        _quiet_stdout()
        return 0
    except MemoryError:
        print("esnsim: error: out of memory", file=sys.stderr)
        return 1
    except OSError as exc:
        if _caused_by_interrupt(exc):
            return _interrupted()
        where = f": {exc.filename}" if exc.filename else ""
        print(f"esnsim: error: {_one_line(exc.strerror or exc)}{where}", file=sys.stderr)
        return 1
    except Exception as exc:
        # Ctrl-C inside a C extension's initialisation (scipy's, during the first second) comes
        # back as "ImportError: initialization failed" raised from the KeyboardInterrupt
        if _caused_by_interrupt(exc):
            return _interrupted()
        raise
    finally:
        sys.unraisablehook = previous_hook
        _set_signal(signal.SIGTERM, previous)
        _set_signal(signal.SIGINT, previous_int)


def _redeliver(hook):
    """An unraisable-exception hook that delivers a swallowed Ctrl-C again.

    A KeyboardInterrupt raised inside a finaliser or a ctypes callback (llvmlite's, while
    numba loads the compiled kernels) cannot propagate: Python prints "Exception ignored in"
    and goes on, so the interrupt would be lost. It is interrupted again from the main
    thread's point of view a moment later, outside that callback; nothing happens if Ctrl-C is
    ignored by then (the command already ended on it).
    """

    def handle(unraisable) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            threading.Timer(0.01, _thread.interrupt_main).start()
            return
        hook(unraisable)

    return handle


@contextlib.contextmanager
def signals_held():
    """Hold SIGINT and SIGTERM back (blocked in this thread) while compiled libraries load.

    A Ctrl-C that lands inside an extension's initialisation comes back as that extension's
    ``ImportError``, can be swallowed by a library that tries an optional import, or marks the
    interpreter so that it kills itself with SIGINT at exit. Held back, it is delivered when
    the block ends, as a plain ``KeyboardInterrupt`` in Python code. No thread is started while
    it is held, and the threads the imports start inherit the block until it ends here.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, OSError, ValueError):  # no POSIX signal masks: nothing to hold
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _interrupted() -> int:
    _quiet_interrupts()
    print("esnsim: interrupted", file=sys.stderr)
    return EXIT_INTERRUPTED


def _caused_by_interrupt(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt stands anywhere in the chain of causes of ``exc``."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return True
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return False


def _set_signal(signum: int, handler):
    """``signal.signal`` where allowed (only the main thread may set handlers)."""
    try:
        return signal.signal(signum, handler)
    except (ValueError, TypeError):
        return None


def _quiet_interrupts() -> None:
    """A second Ctrl-C while exiting prints nothing more."""
    _set_signal(signal.SIGINT, signal.SIG_IGN)


def _quiet_stdout() -> None:
    """After a closed pipe, send the rest of standard output nowhere (no flush error at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
