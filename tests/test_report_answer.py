"""The answer at the top of report.html, read in a real headless browser, = compare.parquet."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser

import pandas as pd
import pytest

import simulation as esn
from simulation.org import Organisation
from simulation.report.labels import fmt
from tests.browser import CHROMIUM_FLAGS
from tests.conftest import SCENARIOS
from tests.test_report_html import _chromium

# the leader is not the first plan, so the answer cannot lean on the first plan's differences
PLANS = [SCENARIOS / "grassroots.yaml", SCENARIOS / "full_support.yaml", SCENARIOS / "jam.yaml"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    org = Organisation.generate(300, seed=2)
    ms = esn.compare(
        PLANS,
        org=org,
        replicates=6,
        seed=4,
        days=120,
        targets=["wau>=0.3@90", "sustained_wau>=0.3"],
    )
    out = tmp_path_factory.mktemp("answer")
    ms.save(out)
    return out


class Items(HTMLParser):
    """The text of every <li> and <p> under #answer, with the element's attributes."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside #answer
        self.stack: list[dict] = []
        self.items: list[dict] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == "answer":
            self.depth = 1
        elif self.depth:
            self.depth += 1
        if self.depth and tag in ("li", "p"):
            self.stack.append({"tag": tag, **attrs, "text": ""})

    def handle_endtag(self, tag):
        if self.depth and tag in ("li", "p") and self.stack:
            self.items.append(self.stack.pop())
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        for item in self.stack:
            item["text"] += data
        self.text.append(data)


def dom(saved, tmp_path) -> str:
    result = subprocess.run(
        [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom"]
        + [(saved / "report.html").resolve().as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def row(stats, section, scenario, metric, reference=None):
    rows = stats[
        (stats["section"] == section)
        & (stats["scenario"] == scenario)
        & (stats["metric"] == metric)
    ]
    if reference is not None:
        rows = rows[rows["reference"] == reference]
    assert len(rows) == 1, (section, scenario, metric, reference)
    return rows.iloc[0]


def test_the_answer_names_the_leader_with_its_paired_interval_chance_and_costs(saved, tmp_path):
    page = Items()
    page.feed(dom(saved, tmp_path))
    stats = pd.read_parquet(saved / "compare.parquet")
    names = [p.stem for p in PLANS]
    means = {n: row(stats, "summary", n, "sustained_wau")["mean"] for n in names}
    leader = max(names, key=lambda n: means[n])
    assert leader != names[0]

    lead = next(i for i in page.items if i.get("id") == "answer-lead")
    assert lead["text"].startswith(f"{leader} leads on sustained weekly active")
    assert fmt(means[leader], "pct") in lead["text"]
    for other in names:
        assert f"{fmt(means[other], 'pct')} for {other}" in lead["text"] or other == leader

    versus = [i for i in page.items if i["tag"] == "li" and "data-reference" in i]
    assert sorted(i["data-reference"] for i in versus) == sorted(set(names) - {leader})
    for item in versus:
        other, text = item["data-reference"], " ".join(item["text"].split())
        diff = row(stats, "versus", leader, "sustained_wau", other)
        beats = row(stats, "beats", leader, "sustained_wau", other)
        expected = (
            f"{leader} is ahead of {other} by {fmt(diff['mean'], 'points')} (difference "
            f"{fmt(diff['mean'], 'points', True)}, 90 % interval {fmt(diff['low'], 'points', True)} "
            f"to {fmt(diff['high'], 'points', True)}, paired over {int(diff['n'])} replicates"
        )
        assert text.startswith(expected), (text, expected)
        wins = re.search(r"It does better in (\d+) of (\d+) paired replicates: a ([\d.]+) %", text)
        assert wins, text
        assert int(wins[2]) == beats["n"] == 6
        assert int(wins[1]) / int(wins[2]) == pytest.approx(beats["mean"])
        assert float(wins[3]) == pytest.approx(round(beats["mean"] * 100, 1))
        assert f"(90 % interval {fmt(beats['low'], 'pct')} to {fmt(beats['high'], 'pct')})" in text
        # the paired difference is the leader's runs minus the other plan's, replicate by replicate
        runs = pd.read_parquet(saved / "summary.parquet").set_index(["scenario", "replicate"])
        paired = runs.loc[leader, "sustained_wau"] - runs.loc[other, "sustained_wau"]
        assert diff["mean"] == pytest.approx(paired.mean(), rel=1e-12)
        assert beats["mean"] == pytest.approx((paired > 0).mean())

    costs = {
        i["data-scenario"]: " ".join(i["text"].split()) for i in page.items if "data-cost" in i
    }
    assert sorted(costs) == sorted(names)
    for name, text in costs.items():
        total = row(stats, "summary", name, "cost")["mean"]
        per = row(stats, "summary", name, "cost_per_sustained_wau")["mean"]
        licences = row(stats, "cost", name, "cost_licences")["mean"]
        assert text.startswith(f"{name} costs {fmt(total, 'money', currency='EUR')} over 120 days")
        assert f"licences {fmt(licences, 'money', currency='EUR')}" in text
        assert text.endswith(
            f"{fmt(per, 'money', currency='EUR')} per sustained weekly-active person."
        )
    managers = row(stats, "cost", "full_support", "cost_community_managers")["mean"]
    assert (
        managers > 0
        and f"community managers {fmt(managers, 'money', currency='EUR')}" in costs["full_support"]
    )

    targets = [i for i in page.items if i.get("data-metric") == "wau>=0.3@90"]
    assert len(targets) == 1
    text = " ".join(targets[0]["text"].split())
    assert text.startswith("Chance of 30 % weekly active by day 90:")
    for name in names:
        prob = row(stats, "target", name, "wau>=0.3@90")["mean"]
        assert f"{name} {fmt(prob, 'pct')} of runs" in text
        if prob > 0:
            day = row(stats, "target_day", name, "wau>=0.3@90")["mean"]
            assert f"{name} {fmt(prob, 'pct')} of runs, on day {day:.0f} on average" in text


def test_the_report_speaks_plainly_and_shows_the_plans(saved):
    page = Items()
    page.feed((saved / "report.html").read_text(encoding="utf-8"))
    text = "".join(page.text)
    shown = text.split("Appendix")[0]  # what a reader sees before the scenario files
    assert "P(" not in shown and ">=" not in shown and "sustained_wau" not in shown
    assert "chance of 30 % weekly active by day 90" in shown
    for plan in PLANS:
        description = esn.Scenario.load(plan).description
        assert description and description in text
