"""Headless Chromium as the browser tests start it: Debian's ``chromium`` and ``chromedriver``.

The flags are the ones measured on this stack: no sandbox (the tests may run as root), no GPU, no
first-run pages, and no background networking or component updates (on a closed network those
connections are refused, many at a time). Each test adds its own ``--user-data-dir``.
"""

from __future__ import annotations

from pathlib import Path

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]
