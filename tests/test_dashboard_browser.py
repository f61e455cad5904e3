"""``esnsim dashboard`` in a real headless Chromium (Selenium, Debian's chromium-driver).

One server for the module, started as a user starts it (``esnsim dashboard --port P``) on a free
loopback port. The single-run page: a lever changed, the model reset and stepped, the curve's
series and the figures table differ, every slider shows its value. The compare page: two plans
run, the leading plan's sentence, the table (costs in their currency) and the value-for-money
ranking read; an HR export (an Excel workbook in a SuccessFactors-like layout) uploaded through
the file picker, its columns mapped and its inactive rows left out in the form, and its
head-count read on the page. Every URL the browser asked for is on the loopback address, and
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


def _slider_values(driver) -> list[str]:
    """The values the sliders show (their thumb labels, visible without dragging)."""
    from selenium.webdriver.common.by import By

    labels = driver.find_elements(By.CSS_SELECTOR, ".v-slider__thumb-label")
    return [e.text.strip() for e in labels if e.is_displayed()]


def test_a_lever_changes_the_curve_and_the_table(server, browser, tmp_path):
    browser.get(server["url"] + "/")
    _wait(lambda: browser.find_elements("id", "run-figures"), what="the single-run page")
    shown = _wait(lambda: _slider_values(browser), 60, "the sliders' values")
    assert {"2", "90", "1000"} <= set(shown), shown  # community managers, jam day, people
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
    cost = browser.find_element(By.CSS_SELECTOR, '#compare-summary td[data-metric="cost"]')
    assert cost.text.startswith("EUR "), cost.text  # costs carry their currency
    ranked = browser.find_elements(By.CSS_SELECTOR, "#value tr[data-scenario]")
    assert [r.get_attribute("data-scenario") for r in ranked][0] == "full_support"
    assert len(ranked) == 2 and "extra cost per extra person" in browser.page_source
    assert browser.find_element(By.ID, "answer-scope").get_attribute("data-uncertainty") == (
        "replicates"
    )
    assert _button(browser, "DOWNLOAD REPORT.HTML")
    assert_only_loopback(browser)


def _sf_export(path) -> None:
    """A SuccessFactors-like workbook: 22 rows, 3 of them inactive, German divisions."""
    import openpyxl

    rows = [("User ID", "Manager User ID", "Status", "Employee Class", "Division")]
    rows.append(("00001", "NO_MANAGER", "Active", "Salaried Employee", "Vorstand"))
    for m, division in enumerate(("Vertrieb", "Informationstechnik", "Produktion")):
        head = f"001{m:02d}"
        rows.append((head, "00001", "Active", "Salaried Employee", division))
        for k in range(6):
            status = "Inactive" if k == 5 else "Active"
            kind = "Hourly Employee" if k % 2 == 0 else "Salaried Employee"
            rows.append((f"1{m}{k:03d}", head, status, kind, division))
    book = openpyxl.Workbook()
    book.active.title = "Export"
    for row in rows:
        book.active.append(row)
    book.save(path)


def _type(driver, label_start: str, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    field = driver.find_element(
        By.XPATH,
        f"//label[starts-with(normalize-space(.), '{label_start}')]"
        "/ancestor::div[contains(@class,'v-text-field')][1]//input",
    )
    field.click()
    field.send_keys(text)
    _wait(lambda: field.get_attribute("value") == text, 10, f"{label_start} typed")
    time.sleep(0.5)  # the typed text reaches the server before the Enter that commits it
    field.send_keys(Keys.ENTER)


def test_an_hr_export_uploaded_through_the_file_picker_shows_its_head_count(
    server, browser, tmp_path
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    export = tmp_path / "sf_export.xlsx"
    _sf_export(export)
    browser.get(server["url"] + "/compare")
    picker = _wait(
        lambda: browser.find_elements(By.CSS_SELECTOR, ".esn-upload-hr input[type=file]"),
        what="the HR export's file picker",
    )[0]
    picker.send_keys(str(export))
    # read at once with no mapping: the reader's one-line error, which guesses the mapping
    error = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, ".esn-org-error"), 120, "error")
    assert "sf_export.xlsx" in error[0].text and "--columns" in error[0].text
    _type(
        browser,
        "HR columns",
        "employee_id=User ID,manager_id=Manager User ID,department=Division,"
        "frontline=Employee Class=Hourly Employee",
    )
    _wait(lambda: browser.find_elements(By.ID, "org-read"), 120, "the export read")
    assert browser.find_element(By.ID, "org-read").get_attribute("data-people") == "22"
    _type(browser, "Keep rows", "Status=Active")
    _wait(
        lambda: browser.find_elements(By.CSS_SELECTOR, '#org-read[data-people="19"]'),
        120,
        "the inactive rows left out",
    )
    read = browser.find_element(By.ID, "org-read")
    browser.save_screenshot(str(tmp_path / "compare-hr-upload.png"))
    assert read.text.startswith("sf_export: 19 people, frontline 47.4 %"), read.text
    assert read.get_attribute("data-ties") == "generated"
    assert "19 of 22 rows kept by --where 'Status=Active'" in browser.page_source
    assert "generated on the reporting tree" in browser.page_source

    # the plans run on the export's 19 people, the answer within a budget every plan fits,
    # and across 2 parameter sets of the shipped plausible region
    _type(browser, "Budget", "100,000,000")  # as people write amounts: read as 1e8
    _choose(browser, "Uncertainty of the parameters (plausible region)", "plausible")
    thumb = _wait(
        lambda: browser.find_elements(
            By.XPATH,
            "//label[text()='Parameter sets']/ancestor::div[contains(@class,'v-input')][1]"
            "//div[@role='slider']",
        ),
        what="the parameter sets' slider",
    )[0]
    thumb.send_keys(Keys.HOME)  # its least: 2 sets
    _wait(lambda: thumb.get_attribute("aria-valuenow") == "2", 30, "2 parameter sets")
    _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "button.esn-run"), what="Run")[0].click()
    budget = _wait(lambda: browser.find_elements(By.ID, "answer-budget"), 300, "the answer")[0]
    assert float(budget.get_attribute("data-budget")) == 1e8
    assert budget.get_attribute("data-best") == "full_support"
    assert float(budget.get_attribute("data-chance")) == 1.0
    ranked = browser.find_elements(By.CSS_SELECTOR, "#value tr[data-scenario]")
    assert {r.get_attribute("data-scenario") for r in ranked} == {
        "top_down_mandate",
        "full_support",
    }
    assert browser.find_element(By.ID, "org-read").get_attribute("data-people") == "19"
    scope = browser.find_element(By.ID, "answer-scope")
    assert scope.get_attribute("data-uncertainty") == "parameters"
    assert scope.get_attribute("data-sets") == "2"
    across = browser.find_elements(By.CSS_SELECTOR, "#answer-across li")
    assert [a.get_attribute("data-versus") for a in across] == ["top_down_mandate"]
    assert int(across[0].get_attribute("data-n-sets")) == 2
    assert browser.find_elements(By.CSS_SELECTOR, "#uncertainty-plans td[data-scenario]")
    browser.save_screenshot(str(tmp_path / "compare-hr-budget-uncertainty.png"))
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
