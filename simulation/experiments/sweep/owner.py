"""Which process runs a sweep, so that ``esnsim sweep status`` tells a running sweep from one
that was killed.

A sweep's progress in ``sweep.json`` names its owner: the host, the process id and the process's
start time (Linux's ``/proc/PID/stat``, so that a later process given the same id is not taken
for it). On the same host the owner's liveness is checked directly; elsewhere the status falls
back on how long ago the progress was last written.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


def _started(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None where unknown."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) is in parentheses and may hold spaces: split after it
    fields = text[text.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else None


def current() -> dict:
    """This process as a sweep's owner: ``{"host", "pid", "started"}``."""
    return {"host": socket.gethostname(), "pid": os.getpid(), "started": _started(os.getpid())}


def alive(owner: dict | None) -> bool | None:
    """Whether the owning process still runs: True / False on this host, None when it cannot
    be told (another host, or a sweep written before owners were recorded)."""
    if not owner or owner.get("host") != socket.gethostname():
        return None
    pid = owner.get("pid")
    if not isinstance(pid, int) or pid <= 0:
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by another user
        pass
    recorded, now = owner.get("started"), _started(pid)
    if recorded is not None and now is not None and recorded != now:
        return False  # the id was given to a later process
    return True
