"""A fit to a pilot export the model did not make (issue 26): the verdict, the flags, the
warnings once, the organisation in best_fit.yaml, through the installed ``esnsim``.

The export (tests/pilot_export.py) is made by hand: 600 people, 65 % read on launch day, a
launch week, weekdays falling from 28 % to 18 %, weekends and three holidays near 2 %. With the
holidays left out, ``--fit auto`` keeps at least 80 % of its days inside the fitted 90 % band.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pilot_export import write

from simulation.analysis.calibrate import Settings, calibrate

ROOT = Path(__file__).resolve().parents[1]
ESNSIM = Path(sys.executable).parent / "esnsim"
PILOT = ROOT / "examples" / "viva_engage" / "pilot.yaml"
README_FIT = ["--fit", "adoption.p=5e-4:0.02:log", "--fit", "adoption.threshold_mean=0.1:0.5"]
SMALL = ["--bootstrap", "2", "--evaluations", "10", "--replicates", "6"]


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return write(tmp_path_factory.mktemp("pilot") / "activity.csv")


@pytest.fixture(scope="module")
def readme_run(export, tmp_path_factory):
    out = tmp_path_factory.mktemp("readme") / "out"
    done = subprocess.run(
        [str(ESNSIM), "calibrate", str(PILOT), "--observed", str(export),
         "--org", "generate:size=600", *README_FIT, *SMALL, "--out", str(out)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done, out


def test_the_readme_recipe_says_poor_in_its_first_line(readme_run):
    done, out = readme_run
    first = done.stdout.splitlines()[0]
    assert first.startswith("Poor fit: "), done.stdout
    assert "inside the 90 % band" in first and "skill" in first
    record = json.loads((out / "fit.json").read_text())
    assert next(iter(record)) == "verdict" and record["verdict"]["grade"] == "poor"
    assert record["verdict"]["inside"] < 0.5
    page = (out / "calibration.html").read_text()
    section = page[page.index("<h2>Calibration</h2>") :]
    assert section.index("Verdict: Poor fit") < section.index("Fitted to")


def test_a_bound_is_flagged_once_in_one_line_and_no_raw_python_warning(readme_run):
    done, out = readme_run
    assert "UserWarning" not in done.stderr and "warnings.warn" not in done.stderr
    warned = [line for line in done.stdout.splitlines() if line.startswith("warning: ")]
    assert warned and len(warned) == len(set(warned))
    record = json.loads((out / "fit.json").read_text())
    flagged = [f for flags in record["flags"].values() for f in flags]
    assert any(f.endswith("bound") for f in flagged)
    for path, flags in record["flags"].items():  # one warning line per flagged field
        assert len([w for w in warned if w.startswith(f"warning: {path}:")]) == bool(flags)
    # the optimum and the bias-corrected value side by side
    assert "optimum" in done.stdout and "corrected" in done.stdout
    assert set(record["optimum"]) == set(record["parameters"])


def test_best_fit_records_the_organisation_it_was_fitted_on(readme_run):
    _, out = readme_run
    best = yaml.safe_load((out / "best_fit.yaml").read_text())
    assert best["organisation"] == {"generate": {"size": 600}}


def test_without_a_bootstrap_the_outputs_say_n_a(export, tmp_path):
    settings = Settings(bootstrap=0, evaluations=4, replicates=2, final_replicates=2,
                        screening=2, forecast_sets=1, forecast_replicates=2)  # fmt: skip
    with pytest.warns(UserWarning):
        cal = calibrate(PILOT, export, org="generate:size=600", settings=settings,
                        fit=["adoption.p=5e-4:0.02:log"])  # fmt: skip
    cal.save(tmp_path / "out")
    page = (tmp_path / "out" / "calibration.html").read_text()
    assert "n/a - n/a" in page
    assert json.loads((tmp_path / "out" / "fit.json").read_text())["intervals"]["adoption.p"] == [
        None,
        None,
    ]


def test_fit_auto_says_what_it_chose_and_fits_better_than_the_readme_recipe(export, readme_run):
    from pilot_export import HOLIDAYS

    from simulation.analysis.observed import load_observed

    _, out = readme_run
    recipe = json.loads((out / "fit.json").read_text())
    observed = load_observed(export, default_population=600,
                             holidays=",".join(d.isoformat() for d in HOLIDAYS))  # fmt: skip
    assert len(observed.holidays) == 3
    settings = Settings(bootstrap=4, final_replicates=6, replicates=4, forecast_sets=4,
                        forecast_replicates=4, screen_replicates=4, screen_trajectories=4)  # fmt: skip
    cal = calibrate(PILOT, observed, org="generate:size=600", fit="auto", settings=settings)
    # the weekly rhythm read off the data: the model's weekend floor (frontline staff visit at
    # weekends too) brought down to the export's 2 %, so its weekends fall inside the band
    assert {"visits.weekend_factor", "visits.frontline_factor"} <= set(cal.space.fixed)
    assert cal.screen.lines()[-1].startswith("set visits.weekend_factor = ")
    # issue 26's bar: at least 80 % of the observed days inside the fitted 90 % band
    # (measured 92 %, RMSE 0.015; 74 % and RMSE 0.025 without the weekly rhythm)
    assert cal.verdict.inside >= 0.8, cal.verdict.headline
    assert cal.verdict.rmse < 0.02
    assert cal.screen is not None and 1 <= len(cal.screen.chosen) <= 4
    assert [p.path for p in cal.space.parameters] == [p.path for p in cal.screen.chosen]
    fitted_lines = [line for line in cal.screen.lines() if line.startswith("fit ")]
    assert [line.split()[1] for line in fitted_lines] == [p.path for p in cal.screen.chosen]
    ranked = [r["mu_star"] for r in cal.screen.ranking]
    assert ranked == sorted(ranked, reverse=True) and len(ranked) >= 20
    # the launch is p's: the screen finds it moves the misfit most
    assert "adoption.p" in [p.path for p in cal.screen.chosen]
    assert cal.fit.loss < 0.9 * recipe["loss"]["value"]
    assert cal.verdict.inside > recipe["verdict"]["inside"]
    assert cal.verdict.excluded == 3
    record = cal.to_dict()
    assert record["screen"]["chosen"] and record["verdict"]["grade"] in ("poor", "usable", "good")
