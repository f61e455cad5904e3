"""Make the README's pictures: the dashboard's two pages and a report, in headless Chromium.

    make screenshots          # or: .venv/bin/python docs/make_screenshots.py

Starts ``esnsim dashboard`` on a free loopback port, plays the single-run page for a few months
of simulated time and runs the compare page's default plans, with Selenium and Debian's
``chromium``/``chromium-driver``; then writes a comparison's ``report.html`` on the synthetic
client export and screenshots it with ``chromium --headless --screenshot``. The PNGs go to
``docs/screenshots/`` (committed, so the README shows them).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--hide-scrollbars",
]
COLUMNS = (
    "employee_id=Employee ID,manager_id=Manager Employee ID,department=Supervisory Organization,"
    "site=Location,frontline=Frontline Worker,level=Management Level"
)


def _wait(predicate, timeout: float = 180.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise TimeoutError("the page did not get there in time")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _driver(profile: Path, size: str):
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--window-size={size}", f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)


def _button(driver, text: str):
    from selenium.webdriver.common.by import By

    return _wait(
        lambda: [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == text]
    )[0]


def dashboard(scratch: Path) -> list[Path]:
    """Screenshots of the single-run page (after a few months) and of the compare page."""
    from selenium.webdriver.common.by import By

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "simulation", "dashboard", "--port", str(port)]
        + ["--uploads", str(scratch / "uploads")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:

        def listening() -> bool:
            with socket.socket() as probe:
                return probe.connect_ex(("127.0.0.1", port)) == 0

        _wait(listening)
        driver = _driver(scratch / "profile", "1500,1000")
        try:
            driver.get(f"http://127.0.0.1:{port}/")
            _wait(lambda: driver.find_elements(By.ID, "run-figures"))
            _button(driver, "▶").click()

            def day() -> int:
                return int(driver.find_element(By.ID, "run-figures").get_attribute("data-day"))

            _wait(lambda: day() >= 120, 300)
            _button(driver, "❚❚").click()
            time.sleep(2)
            single = OUT / "dashboard-one-run.png"
            driver.save_screenshot(str(single))

            driver.get(f"http://127.0.0.1:{port}/compare")
            _wait(lambda: driver.find_elements(By.CSS_SELECTOR, "button.esn-run"))[0].click()
            _wait(lambda: driver.find_elements(By.ID, "answer-lead"), 300)
            time.sleep(2)
            compare = OUT / "dashboard-compare.png"
            driver.save_screenshot(str(compare))
        finally:
            driver.quit()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    return [single, compare]


def report(scratch: Path) -> Path:
    """A screenshot of the top of a comparison's report.html on the synthetic client export."""
    out = scratch / "compare"
    subprocess.run(
        [sys.executable, "-m", "simulation", "compare", "top_down_mandate", "grassroots"]
        + ["full_support", "--org", str(ROOT / "examples" / "client_hr_workday.csv")]
        + ["--columns", COLUMNS, "--replicates", "20", "--out", str(out), "--quiet"],
        check=True,
    )
    picture = OUT / "report.png"
    subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={scratch / 'report-profile'}"]
        + ["--window-size=1200,1500", f"--screenshot={picture}"]
        + [(out / "report.html").as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return picture


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="esnsim-screenshots-") as scratch:
        made = dashboard(Path(scratch)) + [report(Path(scratch))]
    for path in made:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
