"""A Ctrl-C (SIGINT) or SIGTERM that no library can swallow.

Python turns SIGINT into a ``KeyboardInterrupt`` wherever the main thread happens to be. Inside
a C extension's initialisation it comes back as that extension's ``ImportError``, which a
library trying an optional import catches and forgets; an ``except Exception`` meant for a
failed chunk can catch what it became. Measured: a sweep signalled while its first chunks ran
finished all of them and exited 0, several times in 20 tries on a loaded machine. So the
handler also *counts* the interrupt here. Code that must not miss one takes a :class:`Mark`
when it starts and checks it between steps (:mod:`simulation.sweep.run`, between chunks);
:func:`simulation.cli_guard.guarded` ends on one even when the command returned normally. A
count rather than a flag: an interrupt that ended one sweep in a notebook does not end the
next one.
"""

from __future__ import annotations

_count = 0  # signal handlers run in the main thread only: no lock needed


def handler(signum, frame) -> None:
    """The SIGINT / SIGTERM handler of the commands: count, then raise ``KeyboardInterrupt``."""
    request()
    raise KeyboardInterrupt


def request() -> None:
    """Count an interrupt (a handler that defers the ``KeyboardInterrupt`` calls this)."""
    global _count
    _count += 1


class Mark:
    """The interrupts counted so far; :meth:`check` raises if another arrived since."""

    def __init__(self) -> None:
        self.start = _count

    def arrived(self) -> bool:
        return _count > self.start

    def check(self) -> None:
        """Raise ``KeyboardInterrupt`` if an interrupt arrived since the mark, even one that a
        library swallowed."""
        if self.arrived():
            raise KeyboardInterrupt
