"""``esnsim dashboard [--host H] [--port P] [--uploads DIR]``: the Solara app, on 127.0.0.1.

It runs ``solara run`` on :mod:`simulation.dashboard.app` in production mode, without telemetry
or Solara's version check, behind :mod:`simulation.dashboard.server`'s guard: Solara's
JavaScript served read-only from its local cache (filled at set-up from the npm registry by
:mod:`simulation.dashboard.assets`), so the page loads nothing from elsewhere and no request
changes the cache; a request for another host name (DNS rebinding), from another site's page or
a WebSocket from one, refused. It listens on the loopback address unless ``--host`` says
otherwise. Ctrl-C stops the server (SIGTERM) and is the one line ``esnsim: interrupted``.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from simulation.base.errors import InputError

LOOPBACK = "127.0.0.1"


WILDCARDS = ("0.0.0.0", "::", "[::]")
STOP_SECONDS = 10.0  # Ctrl-C: how long the server may take to shut down before it is killed


def command(host: str, port: int, allow_hosts: tuple[str, ...] = ()) -> list[str]:
    """The server's command line: ``solara run``'s arguments, to the guarded launcher."""
    app = importlib.util.find_spec("simulation.dashboard.app").origin  # not imported here
    extra = [arg for name in allow_hosts for arg in ("--allow-host", name)]
    return [sys.executable, "-m", "simulation.dashboard.server", str(app), "--host", host,
            "--port", str(port), "--no-open", "--production", "--no-check-version", *extra]  # fmt: skip


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
            "run `python -m simulation.dashboard.assets` (needs the npm registry): the server "
            "fetches nothing, so the page stays blank without them",
            file=sys.stderr,
        )
    return env


def cmd_dashboard(args) -> int:
    if not 0 < args.port < 65536:
        raise InputError(f"--port {args.port}: expected 1 to 65535")
    if args.host in WILDCARDS and not args.allow_host:
        print(
            f"esnsim: warning: --host {args.host}: the page answers only to 127.0.0.1, "
            "localhost and the names given with --allow-host",
            file=sys.stderr,
        )
    print(f"esnsim dashboard: http://{args.host}:{args.port}/ (Ctrl-C stops it)", flush=True)
    line = command(args.host, args.port, tuple(args.allow_host))
    return serve(line, environment(args.uploads))


def serve(line: list[str], env: dict[str, str]) -> int:
    """Run the server until it ends; on Ctrl-C or SIGTERM stop it, then interrupt.

    The server ignores SIGINT (the terminal sends Ctrl-C to both processes), so it prints
    nothing; it is sent SIGTERM, given :data:`STOP_SECONDS` to shut down, then killed. The
    KeyboardInterrupt goes on to :func:`simulation.cli.guard.guarded`: ``esnsim: interrupted``.
    """
    process = subprocess.Popen(line, env=env)
    try:
        status = process.wait()
    except KeyboardInterrupt:
        try:
            process.terminate()
            process.wait(STOP_SECONDS)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            process.kill()
            process.wait()
        raise
    return 128 - status if status < 0 else status


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
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another name or address the page is opened by (with --host 0.0.0.0, say); "
        "repeatable. Requests for any other host name are refused",
    )
    parser.add_argument(
        "--uploads", help="folder for uploaded files (default: a temporary esnsim-uploads folder)"
    )
    parser.set_defaults(func=cmd_dashboard)
