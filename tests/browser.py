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

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def chrome(profile: Path, *flags: str):
    """A headless Chromium under Selenium with ``profile`` as its user-data folder, its network
    requests logged (see :func:`requested_urls`), pages given 120 s to load."""
    import os

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager never looks for a driver online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*CHROMIUM_FLAGS, *flags, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.set_page_load_timeout(120)
    return driver


def requested_urls(driver) -> set[str]:
    """Every http(s)/ws(s) URL the page asked for (from Chromium's performance log)."""
    import json
    from urllib.parse import urlparse

    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.add(message["params"]["request"]["url"])
        elif message["method"] == "Network.webSocketCreated":
            urls.add(message["params"]["url"])
    return {u for u in urls if urlparse(u).scheme in ("http", "https", "ws", "wss")}
