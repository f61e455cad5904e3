"""Make the README's pictures: the dashboard's two pages and a report, in headless Chromium.

    make screenshots          # or: .venv/bin/python docs/make_screenshots.py [report] [dashboard]

Starts ``esnsim dashboard`` on a free loopback port, plays the single-run page for a few months
of simulated time and runs the compare page's default plans, with Selenium and Debian's
``chromium``/``chromium-driver``; then writes a comparison's ``report.html`` on the synthetic
client export and screenshots it with ``chromium --headless --screenshot``. The PNGs go to
``docs/screenshots/`` (committed, so the README shows them).

Beside each PNG goes a JSON sidecar (``report.json``, ``dashboard-compare.json``,
``dashboard-one-run.json``): how the picture was made (the command or the page's settings:
plans, organisation, seed, replicates, days) and the figures it shows, read from the page and
checked here against ``docs/screenshot_figures.py``, which computes them in this process.
``tests/test_screenshots_current.py`` computes them again with the same function and fails when
the current model no longer gives what a picture shows: then rerun ``make screenshots``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT / "docs"))
import screenshot_figures as figures  # noqa: E402  (docs/ is not a package)

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


def _made_with() -> dict:
    """The code the figures came from: esnsim's version and the repository's commit."""
    from simulation import __version__

    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "simulation", "scenarios"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {"esnsim": __version__, "commit": commit + (" (with changes)" if dirty else "")}


def _checked(picture: Path, page: str, made_by: dict, inputs: dict, shown: dict) -> Path:
    """Write the picture's sidecar, once the figures it shows are those the code computes."""
    sidecar = {
        "picture": picture.name,
        "page": page,
        "made_by": made_by,
        "inputs": inputs,
        "figures": shown,
        "made_with": _made_with(),
    }
    computed = figures.recompute(sidecar)
    if computed != shown:
        raise SystemExit(
            f"{picture.name}: the page shows figures the code does not compute:\n"
            f"  shown:    {json.dumps(shown)}\n  computed: {json.dumps(computed)}"
        )
    path = picture.with_suffix(".json")
    path.write_text(json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _button(driver, text: str):
    from selenium.webdriver.common.by import By

    return _wait(
        lambda: [b for b in driver.find_elements(By.TAG_NAME, "button") if b.text.strip() == text]
    )[0]


def _one_run_shown(driver) -> tuple[dict, dict]:
    """The single-run page's settings and the figures under its network, read from the page."""
    from selenium.webdriver.common.by import By

    from simulation.dashboard.single import FIGURES, model_params

    table = driver.find_element(By.ID, "run-figures")
    params = model_params(["generated"])
    inputs = {
        "levers": json.loads(table.get_attribute("data-levers")),
        # the organisation and seed the page starts with (its sliders, untouched)
        "model": {name: params[name]["value"] for name in ("source", "people", "seed")},
        "day": int(table.get_attribute("data-day")),
    }
    body = driver.find_element(By.TAG_NAME, "body").text
    heading = re.search(r"^Day \d+ of \d+, .+$", body, re.MULTILINE)
    shown = {
        "heading": heading.group(0).strip() if heading else None,
        "table": {
            name: driver.find_element(By.ID, f"figure-{column}").text.strip()
            for column, name in FIGURES
        },
    }
    return inputs, shown


def _compare_shown(driver) -> dict:
    """The compare page's figures: the leading plan's sentence and the table, from the page."""
    from selenium.webdriver.common.by import By

    lead = driver.find_element(By.ID, "answer-lead")
    table: dict[str, dict[str, str]] = {}
    for cell in driver.find_elements(By.CSS_SELECTOR, "#compare-summary td[data-metric]"):
        metric, plan = cell.get_attribute("data-metric"), cell.get_attribute("data-plan")
        table.setdefault(metric, {})[plan] = " ".join(cell.get_attribute("textContent").split())
    return {
        "leader": lead.get_attribute("data-leader"),
        "lead": " ".join(lead.get_attribute("textContent").split()),
        "table": table,
    }


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
            one_run = _one_run_shown(driver)

            driver.get(f"http://127.0.0.1:{port}/compare")
            _wait(lambda: driver.find_elements(By.CSS_SELECTOR, "button.esn-run"))[0].click()
            _wait(lambda: driver.find_elements(By.ID, "answer-lead"), 300)
            time.sleep(2)
            compare = OUT / "dashboard-compare.png"
            driver.save_screenshot(str(compare))
            compared = _compare_shown(driver)
        finally:
            driver.quit()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    page = {"command": "esnsim dashboard", "page": "/ (one run)"}
    steps = "Play from the start, paused at the day recorded (the page's own settings)"
    sidecars = [
        _checked(single, "dashboard-one-run", {**page, "steps": steps}, *one_run),
        _checked(
            compare,
            "dashboard-compare",
            {"command": "esnsim dashboard", "page": "/compare", "steps": "Run (its defaults)"},
            figures.COMPARE_PAGE,
            compared,
        ),
    ]
    return [single, sidecars[0], compare, sidecars[1]]


def report(scratch: Path) -> list[Path]:
    """A screenshot of the top of a comparison's report.html on the synthetic client export."""
    out = scratch / "compare"
    command = figures.report_command(figures.REPORT, str(out))
    subprocess.run([sys.executable, "-m", "simulation", *command[1:]], cwd=ROOT, check=True)
    html = (out / "report.html").read_text(encoding="utf-8")
    picture = OUT / "report.png"
    subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={scratch / 'report-profile'}"]
        + ["--window-size=1200,1500", f"--screenshot={picture}"]
        + [(out / "report.html").as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shown = figures.report_figures(figures.REPORT)  # what the code computes in this process
    if shown["shown"] != figures.report_top(html):
        raise SystemExit("report.png: esnsim compare wrote figures the code does not compute")
    made_by = {"command": " ".join(_quoted(figures.report_command(figures.REPORT, "OUT")))}
    return [picture, _checked(picture, "report", made_by, figures.REPORT, shown)]


def _quoted(words: list[str]) -> list[str]:
    import shlex

    return [shlex.quote(w) for w in words]


def main(argv: list[str] | None = None) -> int:
    """Every picture, or only those named (``report``, ``dashboard``)."""
    wanted = set(sys.argv[1:] if argv is None else argv) or {"dashboard", "report"}
    unknown = wanted - {"dashboard", "report"}
    if unknown:
        raise SystemExit(
            f"make_screenshots: unknown picture(s) {sorted(unknown)}: dashboard, report"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="esnsim-screenshots-") as scratch:
        made = []
        if "dashboard" in wanted:
            made += dashboard(Path(scratch))
        if "report" in wanted:
            made += report(Path(scratch))
    for path in made:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
