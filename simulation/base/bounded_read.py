"""Reading a file a user names, within a size limit, refusing anything but a regular file.

One building block for every file esnsim reads whole (scenarios and sweeps through
:mod:`simulation.base.safe_yaml`, HR exports and edge lists through :mod:`simulation.org.table`,
observed histories through :mod:`simulation.analysis.observed`): a named pipe would block for
ever, ``/dev/zero`` or a 2 GB file would grow until the memory limit, so

- the file is opened without blocking and refused unless it is a regular file
  (``cannot read (not a regular file)``, ``cannot read (a folder)``);
- at most ``max_bytes + 1`` bytes are read, so a larger file is refused at once
  (``larger than 200,000,000 bytes (the limit)``) whatever its size;
- text must be UTF-8 (a byte-order mark is dropped), the first bad byte named by its line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from simulation.base.errors import InputError, located


def read_bounded(path: str | Path, max_bytes: int) -> bytes:
    """Up to ``max_bytes + 1`` bytes of a regular file (a FIFO or a device would block or never
    end: refused with ``OSError``, as is a folder)."""
    with open(path, "rb", opener=lambda p, flags: os.open(p, flags | os.O_NONBLOCK)) as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
            raise OSError(0, kind)
        return handle.read(max_bytes + 1)


def read_limited(path: str | Path, max_bytes: int, error: type[InputError] = InputError) -> bytes:
    """The whole of a regular file of at most ``max_bytes`` bytes.

    Raises
    ------
    InputError
        (of type ``error``) one line naming the file: not found, cannot read (not a regular
        file, a folder, no permission), larger than the limit.
    """
    try:
        raw = read_bounded(path, max_bytes)
    except FileNotFoundError:
        raise error(located(path, "file not found")) from None
    except IsADirectoryError:
        raise error(located(path, "cannot read (a folder)")) from None
    except OSError as exc:
        raise error(located(path, f"cannot read ({exc.strerror or exc})")) from None
    if len(raw) > max_bytes:
        raise error(located(path, f"larger than {max_bytes:,} bytes (the limit)"))
    return raw


def decode_utf8(raw: bytes, path: str | Path, error: type[InputError] = InputError) -> str:
    """``raw`` as UTF-8 text without its byte-order mark; a bad byte is one line naming its line."""
    bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    try:
        return raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start + bom
        line = raw.count(b"\n", 0, start) + 1
        problem = f"not UTF-8 text (byte 0x{raw[start]:02x}); save the file as UTF-8"
        raise error(located(path, problem, line=line)) from None
