"""The dashboard's server: ``solara run`` with Solara's Starlette app behind a guard.

``esnsim dashboard`` runs ``python -m simulation.dashboard.server APP --host H --port P ...``
(the arguments of ``solara run``, and ``--allow-host NAME``), which installs the guard, then runs
``solara run`` in the same process. The guard (:class:`Guard`, an ASGI middleware around the
app uvicorn serves, ``solara.server.starlette:app``):

- answers only requests whose ``Host`` is the address the server listens on
  (``127.0.0.1:PORT``, ``localhost:PORT``, ``[::1]:PORT``, the ``--host`` address, the
  ``--allow-host`` names): any other is a 400, so a web page cannot reach the dashboard through
  a name of its own that resolves to 127.0.0.1 (DNS rebinding);
- refuses (403) a request whose ``Origin`` is not the dashboard's own page, and a WebSocket
  without one: another page the user visits can neither open the app's WebSocket nor post to
  it;
- serves Solara's JavaScript (``/_solara/cdn/...``) itself, read-only, from the cache that
  :mod:`simulation.dashboard.assets` fills: a file of the cache or a 404. Solara's own handler
  would delete a cached folder asked for by its URL and fetch anything missing from a public
  CDN (solara 1.64.1, ``cdn_helper.get_path``); it is never reached, and is replaced by the
  read-only lookup as well (:func:`install`).

Ctrl-C is handled by ``esnsim dashboard``, which stops this process with SIGTERM: it ignores
SIGINT itself, so a Ctrl-C (which the terminal sends to both) prints nothing here.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

CDN_PREFIX = "/_solara/cdn"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARDS = ("", "0.0.0.0", "::", "[::]")


def host_names(host: str, port: int, allowed: tuple[str, ...] = ()) -> frozenset[str]:
    """The ``Host`` headers the server answers: ``name:port`` for the loopback names, the
    address it listens on (unless a wildcard) and the ``allowed`` names, in lower case."""
    names = list(LOOPBACK_NAMES) + list(allowed)
    if host not in WILDCARDS:
        names.append(host)
    bracketed = (f"[{n}]" if ":" in n and not n.startswith("[") else n for n in names)
    return frozenset(f"{n}:{port}".lower() for n in bracketed)


def refusal(kind: str, hosts: frozenset[str], host: list[str], origin: list[str]):
    """``(status, reason)`` for a request to refuse, else None.

    ``kind`` is the ASGI scope type (``http`` or ``websocket``), ``host`` and ``origin`` the
    values of those headers (a list: a header given twice is refused).
    """
    if len(host) != 1 or host[0].strip().lower() not in hosts:
        return 400, "this server answers only to its own address (the Host header)"
    if kind == "websocket" and not origin:
        return 403, "a WebSocket must come from the dashboard's own page (no Origin)"
    if origin and (len(origin) != 1 or origin[0].strip().lower() not in origins(hosts)):
        return 403, "a request from another site's page (the Origin header)"
    return None


def origins(hosts: frozenset[str]) -> frozenset[str]:
    """The dashboard's own page's origins."""
    return frozenset(f"http://{h}" for h in hosts)


def cached_file(cache: Path, path: str) -> Path | None:
    """The regular file ``path`` names inside ``cache``, or None: never a folder, nothing
    outside the cache (symbolic links resolved), nothing written, deleted or fetched."""
    try:
        root = Path(cache).resolve(strict=True)
        target = (root / str(path).replace("\\", "/").lstrip("/")).resolve(strict=True)
    except (OSError, ValueError, RuntimeError):  # missing, too long, a NUL, a loop of links
        return None
    if not target.is_relative_to(root) or not target.is_file():
        return None
    return target


def read_only_cdn(cache: Path):
    """Solara's CDN static files (its cache headers and compression), looked up read-only."""
    from solara.server.starlette import StaticCdn

    class ReadOnlyCdn(StaticCdn):
        def lookup_path(self, path: str):
            found = cached_file(cache, path)
            return (str(found), os.stat(found)) if found else ("", None)

    return ReadOnlyCdn(directory=cache, check_dir=False)


class Guard:
    """The ASGI middleware described above: Host and Origin checks, the read-only asset cache."""

    def __init__(self, app, hosts: frozenset[str], cache: Path):
        self.app, self.hosts, self.cdn = app, hosts, read_only_cdn(cache)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] not in ("http", "websocket"):  # lifespan
            await self.app(scope, receive, send)
            return
        headers = [(k.lower(), v.decode("latin-1")) for k, v in scope.get("headers", [])]
        refused = refusal(
            scope["type"],
            self.hosts,
            [v for k, v in headers if k == b"host"],
            [v for k, v in headers if k == b"origin"],
        )
        if refused:
            await _refuse(scope, send, *refused)
        elif scope["path"] == CDN_PREFIX or scope["path"].startswith(CDN_PREFIX + "/"):
            await self._cdn(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _cdn(self, scope, receive, send) -> None:
        from starlette.exceptions import HTTPException
        from starlette.responses import PlainTextResponse

        child = dict(scope, root_path=scope.get("root_path", "") + CDN_PREFIX)
        try:
            await self.cdn(child, receive, send)
        except HTTPException as error:  # a 404 or 405: outside Starlette's exception handler
            response = PlainTextResponse(error.detail, error.status_code, error.headers)
            await response(scope, receive, send)


async def _refuse(scope, send, status: int, reason: str) -> None:
    if scope["type"] == "websocket":
        # closed before it is accepted: uvicorn answers the handshake with 403
        await send({"type": "websocket.close", "code": 1008, "reason": reason})
        return
    body = f"{status}: {reason}\n".encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def install(hosts: frozenset[str], cache: Path) -> None:
    """Put the guard around the app ``solara run`` serves, and make Solara's own CDN lookup
    read-only (in case a request ever reached it); before ``solara run`` loads the app."""
    from solara.server import cdn_helper
    from solara.server import starlette as solara_starlette

    def get_path(base_cache_dir, path) -> Path:
        found = cached_file(Path(base_cache_dir), str(path))
        if found is None:
            raise FileNotFoundError(f"{path}: not in the dashboard's asset cache")
        return found

    def fetch_from_cdn(url) -> bytes:
        raise PermissionError(f"{url}: the dashboard fetches nothing (assets come from its cache)")

    solara_starlette.get_path = cdn_helper.get_path = get_path
    cdn_helper.fetch_from_cdn = fetch_from_cdn
    if not isinstance(solara_starlette.app, Guard):
        solara_starlette.app = Guard(solara_starlette.app, hosts, cache)


def parse(argv: list[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    """This launcher's arguments (the app, ``--host``, ``--port``, ``--allow-host``), and
    ``solara run``'s: all but ``--allow-host``."""
    parser = argparse.ArgumentParser(prog="python -m simulation.dashboard.server", add_help=False)
    parser.add_argument("app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--allow-host", action="append", default=[])
    ours, rest = parser.parse_known_args(argv)
    return ours, [ours.app, *rest, "--host", ours.host, "--port", str(ours.port)]


def main(argv: list[str] | None = None) -> int:
    """Install the guard and run ``solara run`` with the other arguments."""
    from simulation.dashboard.assets import cache_dir

    ours, arguments = parse(argv)
    # solara reads the app's name when its server module is imported, here before `run` sets it
    os.environ["SOLARA_APP"] = ours.app
    install(host_names(ours.host, ours.port, tuple(ours.allow_host)), cache_dir())
    from solara.__main__ import run

    with run.make_context("solara run", arguments) as ctx:
        run.invoke(ctx)
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # esnsim dashboard handles Ctrl-C (see above)
    sys.exit(main())
