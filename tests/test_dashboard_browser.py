"""``esnsim dashboard`` in a real headless Chromium (Selenium, Debian's chromium-driver).

One server for the module, started as a user starts it (``esnsim dashboard --port P``) on a free
loopback port. The single-run page: a lever changed, the model reset and stepped, the curve's
series and the figures table differ. The compare page: two plans run, the leading plan's
sentence and the table read. Every URL the browser asked for is on the loopback address, and
every socket the server listens on is. Screenshots go to the test's temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlparse

import psutil
import pytest

from simulation.dashboard import assets
from tests.browser import CHROMIUM, CHROMIUM_FLAGS, DRIVER, requested_urls

FLAGS = [*CHROMIUM_FLAGS, "--window-size=1400,1000"]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
STEPS = 8

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHROMIUM.exists() and DRIVER.exists()),
        reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(predicate, timeout: float = 120.0, what: str = "condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    assert assets.missing() == [], (
        "the dashboard's JavaScript is not in Solara's cache: run `make .venv/.installed` "
        "(python -m simulation.dashboard.assets)"
    )
    port = _free_port()
    uploads = tmp_path_factory.mktemp("uploads")
    log = tmp_path_factory.mktemp("server") / "server.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "simulation", "dashboard", "--port", str(port)]
            + ["--uploads", str(uploads)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def answering() -> bool:
        assert process.poll() is None, log.read_text()
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    try:
        _wait(answering, 180, "the dashboard to listen")
        yield {"url": f"http://127.0.0.1:{port}", "process": process, "port": port}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def browser(tmp_path):
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager never looks for a driver online
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    driver.set_page_load_timeout(120)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def assert_only_loopback(driver) -> None:
    urls = requested_urls(driver)
    assert urls, "no request was logged"
    outside = sorted(u for u in urls if urlparse(u).hostname not in LOOPBACK_HOSTS)
    assert outside == [], outside


def _figures(driver) -> dict:
    from selenium.webdriver.common.by import By

    table = driver.find_element(By.ID, "run-figures")
    return {
        "day": int(table.get_attribute("data-day")),
        "series": json.loads(table.get_attribute("data-series")),
        "levers": json.loads(table.get_attribute("data-levers")),
        "text": table.text,
    }


def _button(driver, text: str):
    from selenium.webdriver.common.by import By

    return _wait(
        lambda: [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == text],
        what=f"button {text}",
    )[0]


def _step(driver, days: int) -> dict:
    for day in range(1, days + 1):
        _button(driver, "STEP").click()
        _wait(lambda d=day: _figures(driver)["day"] == d, 60, f"day {day}")
    return _figures(driver)


def _choose(driver, label: str, value: str) -> None:
    from selenium.webdriver.common.by import By

    driver.find_element(
        By.XPATH, f"//label[text()='{label}']/ancestor::div[contains(@class,'v-select__slot')][1]"
    ).click()
    item = _wait(
        lambda: [
            e
            for e in driver.find_elements(
                By.CSS_SELECTOR, ".menuable__content__active .v-list-item__title"
            )
            if e.text.strip() == value
        ],
        what=f"{value} in {label}",
    )[0]
    item.click()


def test_a_lever_changes_the_curve_and_the_table(server, browser, tmp_path):
    browser.get(server["url"] + "/")
    _wait(lambda: browser.find_elements("id", "run-figures"), what="the single-run page")
    before = _step(browser, STEPS)
    browser.save_screenshot(str(tmp_path / "single-grassroots.png"))
    assert before["levers"]["strategy"] == "grassroots"
    assert len(before["series"]["wau"]) == STEPS

    _choose(browser, "Rollout strategy", "mandate")
    _button(browser, "RESET").click()
    _wait(lambda: _figures(browser)["levers"]["strategy"] == "mandate", 60, "the reset model")
    after = _step(browser, STEPS)
    browser.save_screenshot(str(tmp_path / "single-mandate.png"))

    assert len(after["series"]["registered"]) == STEPS
    # a mandate registers everyone in the first days; grassroots seeds a few
    assert after["series"]["registered"][-1] > before["series"]["registered"][-1] + 0.5
    assert after["series"] != before["series"]
    assert after["text"] != before["text"]
    assert_only_loopback(browser)


def test_comparing_two_plans_gives_the_leading_plan_sentence(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(server["url"] + "/compare")
    run = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "button.esn-run"), what="Run")[0]
    run.click()
    lead = _wait(lambda: browser.find_elements(By.ID, "answer-lead"), 300, "the answer")[0]
    browser.save_screenshot(str(tmp_path / "compare.png"))
    assert lead.get_attribute("data-leader") == "full_support"
    assert lead.text.startswith("full_support leads on sustained weekly active")
    assert "top_down_mandate" in lead.text
    cells = {
        c.get_attribute("data-plan"): float(c.get_attribute("data-mean"))
        for c in browser.find_elements(By.CSS_SELECTOR, "#compare-summary td[data-metric]")
        if c.get_attribute("data-metric") == "sustained_wau"
    }
    assert set(cells) == {"top_down_mandate", "full_support"}
    assert cells["full_support"] > cells["top_down_mandate"]
    assert float(lead.get_attribute("data-mean")) == pytest.approx(cells["full_support"])
    assert _button(browser, "DOWNLOAD REPORT.HTML")
    assert_only_loopback(browser)


def test_the_dashboard_listens_only_on_loopback(server):
    root = psutil.Process(server["process"].pid)
    listening = [
        c.laddr
        for p in [root, *root.children(recursive=True)]
        for c in p.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    ]
    assert any(a.port == server["port"] for a in listening), listening
    assert all(a.ip in ("127.0.0.1", "::1") for a in listening), listening
