"""Every notebook in notebooks/ runs top to bottom without error (nbclient).

Each notebook's key cells assert what they show (e.g. notebook 02: full support beats a bare
mandate on sustained weekly active), so a notebook that runs but says something false fails
here. Notebooks that read the real networks are skipped, with the reason, without their files.

Each run is timed (wall time of the whole notebook, kernel start included), printed, kept in
pytest's cache (``notebooks/seconds``) and held to the time notebooks/README.md states for it
("about N s" on a 2-core machine): a notebook that takes more than 2.5 times that, plus 10 s
of slack for a busy machine, fails, so the stated times cannot go stale. A notebook's own
opening ("About 20 seconds.") must agree with that figure within a factor of 2.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

FOLDER = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
#: a notebook may take this many times its stated time, plus SLACK seconds, before it fails
FACTOR, SLACK = 2.5, 10.0
#: notebooks whose opening states a run time that notebooks/README.md's measured figure
#: contradicts (more than 2x off; measured 2026-12-07): strict, so a mended one fails until
#: it is taken off this list
STALE_INTROS: set[str] = set()
#: notebooks that need the real networks (read from ESNSIM_DATA)
NEEDS_DATA = {"05_real_networks": ("krackhardt", "email_eu_core", "lazega")}
#: the walkthroughs the issue asks for
EXPECTED = {
    "01_quickstart",
    "02_compare_rollout_plans",
    "03_levers",
    "04_sweep_and_sensitivity",
    "05_real_networks",
    "06_calibrate_to_pilot",
}


def stated_seconds() -> dict[str, float]:
    """Each notebook's run time as notebooks/README.md states it (``| `NAME.ipynb` | about N s``)."""
    text = (FOLDER / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\|\s*`([\w-]+)\.ipynb`\s*\|\s*about (\d+(?:\.\d+)?) s\b", text, re.M)
    return {name: float(seconds) for name, seconds in rows}


def test_every_notebook_has_a_stated_run_time():
    assert set(stated_seconds()) == {p.stem for p in NOTEBOOKS}


def intro_seconds(path: Path) -> float | None:
    """The run time a notebook's text states ("About 20 seconds", "About a minute"), if any."""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            said = re.search(r"\babout (a|\d+) (second|minute)s?\b", cell.source, re.I)
            if said:
                count = 1.0 if said[1].lower() == "a" else float(said[1])
                return count * (60 if said[2].lower() == "minute" else 1)
    return None


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            marks=pytest.mark.xfail(
                p.stem in STALE_INTROS,
                reason="its opening states a run time the measurement contradicts",
                strict=True,
            ),
        )
        for p in NOTEBOOKS
    ],
    ids=[p.stem for p in NOTEBOOKS],
)
def test_notebook_states_its_measured_run_time(path):
    said, measured = intro_seconds(path), stated_seconds()[path.stem]
    if said is not None:
        assert measured / 2 <= said <= measured * 2, (
            f"{path.name} says it runs in about {said:.0f} s; notebooks/README.md measured "
            f"about {measured:.0f} s"
        )


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, request, capsys):
    from tests.conftest import need_dataset

    for name in NEEDS_DATA.get(path.stem, ()):
        need_dataset(name)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    started = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - started
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors

    stated = stated_seconds().get(path.stem)
    cache = getattr(request.config, "cache", None)  # None under -p no:cacheprovider
    if cache is not None:
        cache.set(
            "notebooks/seconds",
            {**cache.get("notebooks/seconds", {}), path.stem: round(seconds, 1)},
        )
    request.node.user_properties.append(("seconds", round(seconds, 1)))
    with capsys.disabled():
        print(f"\n{path.name}: {seconds:.1f} s (notebooks/README.md states about {stated:g} s)")
    assert stated is not None, f"notebooks/README.md states no run time for {path.name}"
    assert seconds <= FACTOR * stated + SLACK, (
        f"{path.name} took {seconds:.0f} s; notebooks/README.md states about {stated:.0f} s"
    )


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds the walkthroughs the tests execute"
    assert EXPECTED <= {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_are_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, path.name
