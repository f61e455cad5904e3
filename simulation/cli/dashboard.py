"""``esnsim dashboard [--host H] [--port P] [--uploads DIR]``: the Solara app, on 127.0.0.1.

It runs ``solara run`` on :mod:`simulation.dashboard.app` in production mode, without telemetry,
with Solara's JavaScript served from its local proxy cache (filled at set-up from the npm
registry by :mod:`simulation.dashboard.assets`), so the page loads nothing from elsewhere. It
listens on the loopback address unless ``--host`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from simulation.base.errors import InputError

LOOPBACK = "127.0.0.1"


def command(host: str, port: int) -> list[str]:
    """The ``solara run`` command line."""
    from simulation.dashboard import app

    return [sys.executable, "-m", "solara", "run", str(Path(app.__file__)), "--host", host,
            "--port", str(port), "--no-open", "--production"]  # fmt: skip


def environment(uploads_dir: str | None) -> dict[str, str]:
    """The server's environment: no telemetry, the local asset cache, the upload folder."""
    from simulation.dashboard.assets import cache_dir, missing

    env = dict(os.environ)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
    env["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(cache_dir())
    env.setdefault("MPLBACKEND", "Agg")
    if uploads_dir:
        env["ESNSIM_UPLOADS"] = str(Path(uploads_dir).resolve())
    absent = missing(cache_dir())
    if absent:
        print(
            f"esnsim: warning: dashboard assets not in {cache_dir()} ({', '.join(absent)}): "
            "run `python -m simulation.dashboard.assets` (needs the npm registry) or the page "
            "will try a public CDN",
            file=sys.stderr,
        )
    return env


def cmd_dashboard(args) -> int:
    if not 0 < args.port < 65536:
        raise InputError(f"--port {args.port}: expected 1 to 65535")
    print(f"esnsim dashboard: http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    try:
        return subprocess.call(command(args.host, args.port), env=environment(args.uploads))
    except KeyboardInterrupt:
        return 130


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``dashboard`` to the ``esnsim`` command."""
    parser = subparsers.add_parser(
        "dashboard", help="the Solara app (one run on SolaraViz, a compare page), on 127.0.0.1"
    )
    parser.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    parser.add_argument(
        "--host",
        default=LOOPBACK,
        help="address to listen on (default 127.0.0.1; another address exposes the dashboard "
        "to the network)",
    )
    parser.add_argument(
        "--uploads", help="folder for uploaded files (default: a temporary esnsim-uploads folder)"
    )
    parser.set_defaults(func=cmd_dashboard)
