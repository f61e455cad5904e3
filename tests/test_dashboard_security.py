"""``esnsim dashboard``'s server against hostile requests (issue 29), on 127.0.0.1 only.

One server for the module, started as a user starts it (``esnsim dashboard --port P``) but on a
copy of the asset cache (hard links: a file removed or replaced there leaves the real cache as
it was) and with every proxy variable pointing at a listening socket of the test that never
answers: a fetch from a public CDN would connect there first, so "no outgoing network attempt"
is that socket's backlog staying empty. Plain HTTP requests and raw WebSocket handshakes, each
with a timeout, then a real Chromium that loads the page and steps the model. Ctrl-C and SIGTERM
start servers of their own.
"""

from __future__ import annotations

import base64
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

import psutil
import pytest

from simulation.dashboard import assets, server
from simulation.dashboard.compare_page import receive
from tests.browser import CHROMIUM, DRIVER, LOOPBACK_HOSTS, chrome, requested_urls

VUETIFY = "@widgetti/solara-vuetify-app@10.1.1"
FAST = 2.0  # seconds: a 404 that fetched nothing (a fetch tried 4 times over 7 s)
TIMEOUT = 10.0  # seconds for any one request

needs_assets = pytest.mark.skipif(
    bool(assets.missing()), reason="the dashboard's JavaScript is not in Solara's cache"
)


# --- the guard's rules, without a server -------------------------------------------------


def test_the_host_names_answered_are_the_listening_address():
    names = server.host_names("127.0.0.1", 8765)
    assert names == {"127.0.0.1:8765", "localhost:8765", "[::1]:8765"}
    assert "10.0.0.5:9000" in server.host_names("10.0.0.5", 9000)
    wide = server.host_names("0.0.0.0", 9000, ("Laptop.Example",))
    assert "0.0.0.0:9000" not in wide and "laptop.example:9000" in wide
    assert "[fe80::1]:80" in server.host_names("fe80::1", 80)


def test_the_command_passes_solara_run_s_arguments_and_the_allowed_names():
    from simulation.cli.dashboard import command
    from simulation.cli.main import build_parser

    args = build_parser().parse_args(["dashboard", "--host", "0.0.0.0", "--allow-host", "laptop"])
    line = command(args.host, args.port, tuple(args.allow_host))
    assert line[1:3] == ["-m", "simulation.dashboard.server"]
    ours, solara_args = server.parse(line[3:])
    assert (ours.host, ours.port, ours.allow_host) == ("0.0.0.0", 8765, ["laptop"])
    assert solara_args[0].endswith("app.py") and "--allow-host" not in solara_args
    assert {"--no-open", "--production", "--no-check-version"} <= set(solara_args)
    assert solara_args[-4:] == ["--host", "0.0.0.0", "--port", "8765"]


@pytest.mark.parametrize(
    "kind, host, origin, status",
    [
        ("http", ["127.0.0.1:8765"], [], None),
        ("http", ["LOCALHOST:8765"], ["http://localhost:8765"], None),
        ("http", ["evil.example"], [], 400),
        ("http", ["evil.example:8765"], [], 400),
        ("http", ["127.0.0.1:8766"], [], 400),
        ("http", [], [], 400),
        ("http", ["127.0.0.1:8765", "evil.example"], [], 400),
        ("http", ["127.0.0.1:8765"], ["http://evil.example"], 403),
        ("http", ["127.0.0.1:8765"], ["null"], 403),
        ("websocket", ["127.0.0.1:8765"], ["http://127.0.0.1:8765"], None),
        ("websocket", ["127.0.0.1:8765"], ["http://evil.example"], 403),
        ("websocket", ["127.0.0.1:8765"], ["https://127.0.0.1:8765"], 403),
        ("websocket", ["127.0.0.1:8765"], [], 403),
        ("websocket", ["evil.example"], ["http://evil.example"], 400),
    ],
)
def test_requests_for_another_host_or_from_another_origin_are_refused(kind, host, origin, status):
    refused = server.refusal(kind, server.host_names("127.0.0.1", 8765), host, origin)
    assert (refused[0] if refused else None) == status


def test_the_asset_lookup_finds_files_of_the_cache_only(tmp_path):
    cache, outside = tmp_path / "cdn", tmp_path / "secret.txt"
    (cache / "pkg@1.0.0" / "dist").mkdir(parents=True)
    (cache / "pkg@1.0.0" / "dist" / "main.js").write_text("ok")
    outside.write_text("secret")
    (cache / "pkg@1.0.0" / "link.js").symlink_to(outside)
    assert server.cached_file(cache, "pkg@1.0.0/dist/main.js") == cache / "pkg@1.0.0/dist/main.js"
    for path in ["pkg@1.0.0", "pkg@1.0.0/dist", "", "pkg@1.0.0/link.js", "../secret.txt",
                 "/etc/passwd", "pkg@1.0.0/../../secret.txt", "x\0y", "a" * 5000, "other@1/x.js"]:  # fmt: skip
        assert server.cached_file(cache, path) is None, path
    assert sorted(p.name for p in cache.rglob("*")) == ["dist", "link.js", "main.js", "pkg@1.0.0"]


def test_a_300_character_upload_name_is_the_one_line_error(tmp_path):
    ok, message = receive("scenario", "a" * 300 + ".yaml", b"name: x\ndays: 30\n", tmp_path)
    assert not ok and "\n" not in message and len(message) < 200
    assert message.endswith("a file name of 305 characters (at most 200)")
    assert list(tmp_path.iterdir()) == []


# --- a running server --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _listening(process: subprocess.Popen, port: int, log: Path, timeout: float = 180.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        assert process.poll() is None, log.read_text()
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"the dashboard did not listen within {timeout} s")


def _start(folder: Path, env: dict[str, str] | None = None):
    """``esnsim dashboard --port P`` in a session of its own; ``(process, port, stdout, stderr)``."""
    port = _free_port()
    out, err = folder / "stdout.log", folder / "stderr.log"
    with open(out, "w") as stdout, open(err, "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "simulation", "dashboard", "--port", str(port)]
            + ["--uploads", str(folder / "uploads")],
            stdout=stdout,
            stderr=stderr,
            env=env,
            start_new_session=True,
        )
    try:
        _listening(process, port, err)
    except BaseException:
        _stop(process)
        raise
    return process, port, out, err


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _files(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*") if p.is_file()}


def _link_copy(source: Path, target: Path) -> None:
    def link(src, dst):
        try:
            os.link(src, dst)
        except OSError:  # another file system
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    if assets.missing():
        pytest.skip("the dashboard's JavaScript is not in Solara's cache (make .venv/.installed)")
    folder = tmp_path_factory.mktemp("dashboard")
    cache = folder / "cdn"
    _link_copy(assets.cache_dir(), cache)
    trap = socket.socket()  # the "proxy" every fetch would go through: it never answers
    trap.bind(("127.0.0.1", 0))
    trap.listen(64)
    proxy = f"http://127.0.0.1:{trap.getsockname()[1]}"
    env = dict(os.environ, SOLARA_ASSETS_PROXY_CACHE_DIR=str(cache), NO_PROXY="", no_proxy="")
    env.update({name: proxy for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")})
    env.update({name.lower(): proxy for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")})
    process, port, out, err = _start(folder, env)
    try:
        yield {"port": port, "cache": cache, "trap": trap, "log": err, "process": process}
    finally:
        _stop(process)
        trap.close()


def _request(port: int, path: str, headers: dict[str, str] | None = None):
    """``(status, body, seconds)`` of one GET to 127.0.0.1 with exactly these headers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        headers = {"Host": f"127.0.0.1:{port}", **(headers or {})}
        started = time.monotonic()
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        return response.status, body, time.monotonic() - started
    finally:
        connection.close()


def _handshake(port: int, origin: str | None, host: str | None = None, kernel: str = "k") -> str:
    """The status line answering a raw WebSocket upgrade to the app's kernel channel."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET /jupyter/api/kernels/{kernel}/channels?session_id={kernel} HTTP/1.1",
        f"Host: {host or f'127.0.0.1:{port}'}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ] + ([f"Origin: {origin}"] if origin else [])
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT) as connection:
        connection.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode()


def _no_connection_to(trap: socket.socket) -> bool:
    trap.setblocking(False)
    try:
        trap.accept()[0].close()
    except BlockingIOError:
        return True
    return False


@pytest.mark.parametrize(
    "path",
    [
        VUETIFY,  # Solara deleted this folder (109 files), then fetched it
        VUETIFY + "/",
        VUETIFY + "/dist",
        "requirejs@2.3.6",  # Solara fetched <package>/__main.js
        "font-awesome@4.5.0/css",
        "",
    ],
)
def test_a_cached_folder_s_url_deletes_nothing(dashboard, path):
    cache = dashboard["cache"]
    before = _files(cache)
    status, _, seconds = _request(dashboard["port"], f"/_solara/cdn/{path}")
    assert status == 404 and seconds < FAST
    assert _files(cache) == before
    assert (cache / VUETIFY / "dist").is_dir()
    assert _no_connection_to(dashboard["trap"])


@pytest.mark.parametrize(
    "path",
    [
        "left-pad@1.3.0/index.js",
        "left-pad@1.3.0",
        "@evil/pkg@1.0.0/x.js",
        "requirejs@2.3.7/require.js",
        "..%2f..%2f..%2fetc/passwd",
        "../../../../etc/passwd",
        "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "requirejs@2.3.6/require.js%00.png",
    ],
)
def test_an_unknown_package_or_a_path_out_is_a_fast_404_with_no_fetch(dashboard, path):
    before = _files(dashboard["cache"])
    status, body, seconds = _request(dashboard["port"], f"/_solara/cdn/{path}")
    assert status == 404 and seconds < FAST
    assert b"root:" not in body
    assert _files(dashboard["cache"]) == before
    assert _no_connection_to(dashboard["trap"])
    assert "Could not load URL" not in dashboard["log"].read_text()


def test_the_cached_files_are_served(dashboard):
    status, body, _ = _request(dashboard["port"], "/_solara/cdn/requirejs@2.3.6/require.js")
    assert status == 200
    assert body == (dashboard["cache"] / "requirejs@2.3.6" / "require.js").read_bytes()


@pytest.mark.parametrize(
    "headers, status",
    [
        ({"Host": "evil.example"}, 400),
        ({"Host": "evil.example:{port}"}, 400),
        ({"Host": "127.0.0.1:1"}, 400),
        ({"Host": "localhost:{port}"}, 200),
        ({"Host": "127.0.0.1:{port}"}, 200),
        ({"Origin": "http://evil.example"}, 403),
        ({"Origin": "http://127.0.0.1:{port}"}, 200),
    ],
)
def test_another_host_name_or_another_site_is_refused(dashboard, headers, status):
    port = dashboard["port"]
    headers = {k: v.format(port=port) for k, v in headers.items()}
    got, body, seconds = _request(port, "/", headers)
    assert got == status and seconds < TIMEOUT
    if status != 200:
        assert b"<html" not in body.lower()


def test_a_websocket_from_another_site_is_refused(dashboard):
    port = dashboard["port"]
    assert _handshake(port, "http://evil.example", kernel="a1").split()[1] == "403"
    assert _handshake(port, None, kernel="a2").split()[1] == "403"
    assert _handshake(port, "null", kernel="a3").split()[1] == "403"
    refused = _handshake(port, "http://evil.example", host="evil.example", kernel="a4")
    assert refused.split()[1] in ("400", "403")


def test_a_websocket_from_the_dashboard_s_own_page_is_accepted(dashboard):
    port = dashboard["port"]
    assert _handshake(port, f"http://127.0.0.1:{port}", kernel="b1").split()[1] == "101"
    own = _handshake(port, f"http://localhost:{port}", host=f"localhost:{port}", kernel="b2")
    assert own.split()[1] == "101"


@pytest.mark.slow
@needs_assets
@pytest.mark.skipif(
    not (CHROMIUM.exists() and DRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
)
def test_the_page_still_loads_and_runs_after_those_requests(dashboard, tmp_path):
    from selenium.webdriver.common.by import By

    port = dashboard["port"]
    for path in [VUETIFY, "requirejs@2.3.6", "left-pad@1.3.0/index.js"]:
        assert _request(port, f"/_solara/cdn/{path}")[0] == 404
    driver = chrome(tmp_path / "profile", "--window-size=1400,1000")
    try:
        driver.get(f"http://127.0.0.1:{port}/")
        end = time.monotonic() + 120
        while not driver.find_elements(By.ID, "run-figures"):
            assert time.monotonic() < end, "the single-run page did not render"
            time.sleep(0.2)
        step = [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == "STEP"]
        step[0].click()
        end = time.monotonic() + 60
        while driver.find_element(By.ID, "run-figures").get_attribute("data-day") != "1":
            assert time.monotonic() < end, "the model did not step"
            time.sleep(0.2)
        driver.save_screenshot(str(tmp_path / "after-hostile-requests.png"))
        urls = requested_urls(driver)
        assert any("/_solara/cdn/" in u for u in urls)
        assert sorted(u for u in urls if urlparse(u).hostname not in LOOPBACK_HOSTS) == []
    finally:
        driver.quit()
    assert _no_connection_to(dashboard["trap"])
    assert dashboard["process"].poll() is None


@pytest.mark.slow
@needs_assets
@pytest.mark.skipif(
    not (CHROMIUM.exists() and DRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
)
def test_a_300_character_upload_name_on_the_page_is_the_one_line_error(dashboard, tmp_path):
    """The compare page's drop zone given a file of a 300-character name (a drop event with
    the file, as Chromium makes one from a real drag)."""
    from selenium.webdriver.common.by import By

    port = dashboard["port"]
    driver = chrome(tmp_path / "profile", "--window-size=1400,1000")
    try:
        driver.get(f"http://127.0.0.1:{port}/compare")
        end = time.monotonic() + 120
        while not driver.find_elements(By.CSS_SELECTOR, ".solara-file-drop"):
            assert time.monotonic() < end, "the compare page did not render"
            time.sleep(0.2)
        driver.execute_script(
            """
            const file = new File(["name: x\\ndays: 30\\n"], "a".repeat(300) + ".yaml");
            const entry = {isFile: true, file: (ok) => ok(file)};
            const drop = new Event("drop", {bubbles: true, cancelable: true});
            Object.defineProperty(drop, "dataTransfer", {value: {items: [
                {webkitGetAsEntry: () => entry}]}});
            document.querySelector(".solara-file-drop").dispatchEvent(drop);
            """
        )
        end = time.monotonic() + 60
        while not driver.find_elements(By.CSS_SELECTOR, ".esn-error"):
            assert time.monotonic() < end, "no error shown for the upload"
            time.sleep(0.2)
        text = driver.find_element(By.CSS_SELECTOR, ".esn-error").text
        driver.save_screenshot(str(tmp_path / "long-upload-name.png"))
    finally:
        driver.quit()
    assert "a file name of 305 characters (at most 200)" in text
    assert "\n" not in text.strip() and "OSError" not in text and "Errno" not in text
    assert "OSError" not in dashboard["log"].read_text()


# --- stopping it -------------------------------------------------------------------------


def _server_processes(process: subprocess.Popen) -> list[psutil.Process]:
    return psutil.Process(process.pid).children(recursive=True)


@pytest.mark.slow
@needs_assets
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_stopping_the_dashboard_is_one_line(tmp_path, how):
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) or SIGTERM to esnsim alone:
    ``esnsim: interrupted``, status 130, nothing else printed, the server gone."""
    process, port, out, err = _start(tmp_path)
    try:
        assert _request(port, "/")[0] == 200
        children = _server_processes(process)
        assert children
        printed = err.stat().st_size
        if how == "ctrl-c":
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGTERM)
        status = process.wait(60)
    finally:
        _stop(process)
    gone, alive = psutil.wait_procs(children, timeout=5)
    assert alive == []
    after = err.read_bytes()[printed:].decode()
    assert after == "esnsim: interrupted\n", after
    assert status == 130
    assert "Aborted" not in err.read_text() + out.read_text()
