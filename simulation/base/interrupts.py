"""A Ctrl-C (SIGINT) or SIGTERM that no library can swallow.

Python turns SIGINT into a ``KeyboardInterrupt`` wherever the main thread happens to be, and
the code there may catch and forget what it became: inside a C extension's initialisation it
comes back as that extension's ``ImportError``, which a library trying an optional import
catches; a finaliser or a callback only prints it. Measured: ``esnsim sweep --workers 2``
signalled after its first 3 or 12 chunks finished every chunk and exited 0 in about one try in
four on a loaded machine (which code caught it was not traced). So the handler also *counts*
the interrupt here. Code that must not miss one takes a :class:`Mark`
when it starts and checks it between steps (:mod:`simulation.experiments.sweep.run`, between chunks);
:func:`simulation.cli.guard.guarded` ends on one even when the command returned normally. A
count rather than a flag: an interrupt that ended one sweep in a notebook does not end the
next one.
"""

from __future__ import annotations


class _Count:
    """How many interrupts this process received: state of the process's signals, as Python's
    own pending-signal flags are, not of any run (no run's result depends on it). Signal handlers
    run in the main thread only: no lock is needed."""

    value = 0


_RECEIVED = _Count()


def handler(signum, frame) -> None:
    """The SIGINT / SIGTERM handler of the commands: count, then raise ``KeyboardInterrupt``."""
    request()
    raise KeyboardInterrupt


def request() -> None:
    """Count an interrupt (a handler that defers the ``KeyboardInterrupt`` calls this)."""
    _RECEIVED.value += 1


class Mark:
    """The interrupts counted so far; :meth:`check` raises if another arrived since."""

    def __init__(self) -> None:
        self.start = _RECEIVED.value

    def arrived(self) -> bool:
        return _RECEIVED.value > self.start

    def check(self) -> None:
        """Raise ``KeyboardInterrupt`` if an interrupt arrived since the mark, even one that a
        library swallowed."""
        if self.arrived():
            raise KeyboardInterrupt
