"""The process's entry point: the ``esnsim`` script and ``python -m simulation``.

It does the two things that must come before the command's imports (about 0.7 s: pandas, the
organisation loaders), then hands over to :func:`simulation.cli.main.command`:

- a Ctrl-C during those imports is the one line ``esnsim: interrupted`` (status 130), not a
  traceback;
- ``esnsim sweep FILE`` on more than one worker starts its workers' fork server
  (:mod:`simulation.experiments.forkserver`), so that its imports overlap the command's.

Both happen inside :func:`command`, never at import: a worker process (spawned, or forked from
the server) re-runs the script that started the command as ``__mp_main__``, where the script's
own ``if __name__ == "__main__":`` keeps :func:`command` from running. Starting the fork server
at import, as an earlier version did, made every worker of ``esnsim sweep --workers 2`` fail
during its bootstrapping ("An attempt has been made to start a new process before the current
process has finished its bootstrapping phase").
"""

from __future__ import annotations

import os
import signal
import sys


def _interrupted_early(signum, frame) -> None:  # pragma: no cover - timing dependent
    sys.stderr.write("esnsim: interrupted\n")
    os._exit(130)


def command() -> None:
    """Run the ``esnsim`` command with ``sys.argv`` and exit with its status."""
    signal.signal(signal.SIGINT, _interrupted_early)
    if sys.argv[1:2] == ["sweep"]:
        from simulation.cli.sweep import start_workers

        start_workers(sys.argv[2:])
    from simulation.cli.main import command as run_command  # the command's own imports

    run_command()


if __name__ == "__main__":
    command()
