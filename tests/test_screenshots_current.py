"""The README's screenshots show what the current model gives (issue 24: nothing stale).

``make screenshots`` (docs/make_screenshots.py) writes beside each PNG of docs/screenshots/ a
JSON sidecar: the inputs the picture was made from and the figures it shows, as displayed.
Here each sidecar's figures are computed again, in this process, by the function the script
checked them with (docs/screenshot_figures.py). A model change that moves a figure a picture
shows fails here: rerun ``make screenshots`` and commit the pictures with their sidecars.
"""

from __future__ import annotations

import importlib.util
import json
from itertools import zip_longest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "docs" / "screenshots"


def _figures_module():
    spec = importlib.util.spec_from_file_location(
        "screenshot_figures", ROOT / "docs" / "screenshot_figures.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


figures = _figures_module()
SIDECARS = sorted(SHOTS.glob("*.json"))
HOW = "docs/screenshots/ is stale: rerun `make screenshots` and commit the PNGs with their JSON"


def test_every_picture_has_its_sidecar():
    pictures = {p.stem for p in SHOTS.glob("*.png")}
    assert pictures, "docs/screenshots/ holds the README's pictures"
    assert pictures == {p.stem for p in SIDECARS}
    for path in SIDECARS:
        sidecar = json.loads(path.read_text(encoding="utf-8"))
        assert sidecar["picture"] == path.with_suffix(".png").name
        assert sidecar["page"] in figures.FIGURES
        assert sidecar["inputs"] and sidecar["figures"]


def test_report_sidecar_records_the_command_the_script_runs():
    sidecar = json.loads((SHOTS / "report.json").read_text(encoding="utf-8"))
    assert sidecar["inputs"] == figures.REPORT
    assert sidecar["made_by"]["command"].split()[:5] == figures.report_command(figures.REPORT)[:5]


def test_compare_page_sidecar_records_the_pages_defaults():
    sidecar = json.loads((SHOTS / "dashboard-compare.json").read_text(encoding="utf-8"))
    assert sidecar["inputs"] == figures.COMPARE_PAGE


def _numbers(shown: dict) -> dict:
    """The figures with each line of text shown reduced to its numbers (the figures)."""
    out = dict(shown)
    if "shown" in out:
        out["shown"] = figures.numbers(out["shown"])
    if "lead" in out:
        out["lead"] = figures.numbers([out["lead"]])[0]
    return out


def _changed(recorded: dict, computed: dict) -> list[str]:
    """What differs, figure by figure (a line of text shown: recorded, then computed)."""
    out = []
    for key in dict.fromkeys([*recorded, *computed]):
        was, now = recorded.get(key), computed.get(key)
        if key == "shown":
            for a, b in zip_longest(was or [], now or [], fillvalue=""):
                if figures.numbers([a]) != figures.numbers([b]):
                    out.append(f"- {a}\n+ {b}")
        elif _numbers({key: was}) != _numbers({key: now}):
            out.append(f"- {key}: {json.dumps(was)}\n+ {key}: {json.dumps(now)}")
    return out


@pytest.mark.parametrize("path", SIDECARS, ids=[p.stem for p in SIDECARS])
def test_screenshot_figures_are_current(path):
    sidecar = json.loads(path.read_text(encoding="utf-8"))
    recorded = sidecar["figures"]
    computed = figures.recompute(sidecar)
    # each number shown, exactly as displayed (fixed seeds: the runs are deterministic)
    changed = _changed(recorded, computed)
    assert not changed, f"{path.name}: {HOW}\n" + "\n".join(changed)
    assert _numbers(computed) == _numbers(recorded)
