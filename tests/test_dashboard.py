"""The dashboard's parts without a browser: levers, network sampling, uploads, the command.

The real-browser checks are in ``tests/test_dashboard_browser.py``.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from simulation.base.errors import InputError, ScenarioError
from simulation.cli.dashboard import LOOPBACK, command, environment
from simulation.cli.main import build_parser
from simulation.dashboard import levers, uploads
from simulation.dashboard.compare_page import receive, resolve_org, resolve_plans, summary_html
from simulation.dashboard.network import SAMPLE_LIMIT, layout, sample_note
from simulation.org.model import Organisation


def test_each_lever_sets_its_intervention():
    types = [i.type for i in levers.plan().interventions]
    assert types == ["facilitation", "sponsorship", "mobile_app", "jam"]
    bare = levers.plan("mandate", 0, "none", levers.NEVER, levers.NEVER)
    assert bare.interventions == [] and bare.rollout.strategy == "mandate"
    set_ = levers.plan("grassroots", 7, "directive", 30, 120)
    by_type = {i.type: i for i in set_.interventions}
    assert by_type["facilitation"].community_managers == 7
    assert by_type["sponsorship"].style == "directive"
    assert by_type["mobile_app"].launch_day == 30
    assert by_type["jam"].start_day == 120
    with pytest.raises(ScenarioError):
        levers.plan("grasroots")


def test_the_lever_model_runs_the_plan_the_sliders_describe():
    grassroots = levers.LeverModel(people=300, days=60).run(10)
    mandate = levers.LeverModel(strategy="mandate", people=300, days=60).run(10)
    registered = [
        m.datacollector.get_model_vars_dataframe()["registered"].iloc[-1]
        for m in (grassroots, mandate)
    ]
    assert registered[1] > registered[0] + 0.5  # a mandate registers nearly everyone at once
    assert mandate.levers["strategy"] == "mandate" and mandate.org.size == 300


def test_the_network_is_sampled_above_the_limit_with_a_note():
    small = Organisation.generate(500, seed=0)
    shown, xy = layout(small)
    assert shown.size == 500 and xy.shape == (500, 2) and sample_note(small) == ""
    big = Organisation.generate(SAMPLE_LIMIT + 500, seed=0)
    shown, xy = layout(big)
    assert shown.size == SAMPLE_LIMIT and np.unique(shown).size == SAMPLE_LIMIT
    assert f"{SAMPLE_LIMIT:,} of {big.size:,}" in sample_note(big)


@pytest.mark.parametrize(
    "name, stored",
    [
        ("../../escape.yaml", "escape.yaml"),
        ("/etc/cron.d/x.yaml", "x.yaml"),
        ("..\\..\\win.yaml", "win.yaml"),
        ("my plan (v2).yaml", "my_plan__v2_.yaml"),
    ],
)
def test_uploads_stay_in_the_upload_folder(tmp_path, name, stored):
    folder = tmp_path / "uploads"
    folder.mkdir()
    path = uploads.save(name, b"name: x\n", uploads.SCENARIO_SUFFIXES, folder)
    assert path == folder.resolve() / stored
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [stored]


@pytest.mark.parametrize("name", [".hidden.yaml", "..", "", "plan.exe", "plan.yaml.sh"])
def test_unusable_upload_names_are_refused(tmp_path, name):
    with pytest.raises(InputError):
        uploads.save(name, b"x", uploads.SCENARIO_SUFFIXES, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_an_upload_through_a_link_out_of_the_folder_is_refused(tmp_path):
    folder, outside = tmp_path / "uploads", tmp_path / "outside.yaml"
    folder.mkdir()
    outside.write_text("kept\n")
    (folder / "plan.yaml").symlink_to(outside)
    with pytest.raises(InputError, match="outside the upload folder"):
        uploads.save("plan.yaml", b"name: x\n", uploads.SCENARIO_SUFFIXES, folder)
    assert outside.read_text() == "kept\n"


def _cli_error(*args) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "simulation", *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("esnsim: error: ")]
    assert len(errors) == 1, result.stderr  # one line (a warning line may come before it)
    return errors[0].removeprefix("esnsim: error: ")


def test_uploaded_files_get_the_cli_s_one_line_errors(tmp_path):
    scenario = uploads.save(
        "bad.yaml", b"name: x\ndays: 30\nrollout: {strategy: grasroots}\n", (".yaml",), tmp_path
    )
    with pytest.raises(InputError) as caught:
        uploads.load_scenario(scenario)
    assert str(caught.value) == _cli_error("scenario", "check", str(scenario))
    assert "\n" not in str(caught.value) and "grasroots" in str(caught.value)

    export = uploads.save("hr.csv", b"Worker,Boss\na,\nb,zz\n", (".csv",), tmp_path)
    mapping = "employee_id=Worker,manager_id=Boss"
    with pytest.raises(InputError) as caught:
        uploads.load_hr_export(export, mapping)
    assert str(caught.value) == _cli_error("org", "inspect", str(export), "--columns", mapping)
    assert ":3:" in str(caught.value)

    good = uploads.save("ok.csv", b"Worker,Boss\na,\nb,a\nc,a\n", (".csv",), tmp_path)
    assert uploads.load_hr_export(good, mapping).manager.tolist() == [-1, 0, 0]
    assert set(uploads.uploaded("hr", tmp_path)) == {"hr.csv", "ok.csv"}


def test_compare_needs_two_to_four_plans(tmp_path):
    with pytest.raises(InputError, match="2 to 4"):
        resolve_plans(["grassroots"], tmp_path)
    with pytest.raises(InputError, match="2 to 4"):
        resolve_plans(["grassroots", "jam", "mandate", "pilot_use_case", "full_support"], tmp_path)
    assert len(resolve_plans(["grassroots", "full_support"], tmp_path)) == 2


def test_the_summary_table_holds_every_plan_s_mean():
    summary = pd.DataFrame(
        {
            "scenario": ["a", "b"],
            "metric": ["sustained_wau", "sustained_wau"],
            "mean": [0.25, 0.5],
            "low": [0.2, 0.4],
            "high": [0.3, 0.6],
            "n": [3, 3],
        }
    )
    table = summary_html(summary)
    assert 'data-plan="a" data-mean="0.25"' in table and "50.0 %" in table


def test_the_dashboard_binds_loopback_unless_told(tmp_path):
    args = build_parser().parse_args(["dashboard"])
    assert args.host == LOOPBACK == "127.0.0.1"
    line = command(args.host, args.port)
    assert line[line.index("--host") + 1] == "127.0.0.1" and "--production" in line
    wide = build_parser().parse_args(["dashboard", "--host", "0.0.0.0", "--port", "9000"])
    assert command(wide.host, wide.port)[line.index("--host") + 1] == "0.0.0.0"
    env = environment(str(tmp_path))
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert env["ESNSIM_UPLOADS"] == str(tmp_path.resolve())


def test_an_upload_is_kept_or_refused_with_the_cli_s_message(tmp_path):
    bad = b"name: x\ndays: 30\nrollout: {strategy: grasroots}\n"
    ok, message = receive("scenario", "bad.yaml", bad, tmp_path)
    assert not ok and "grasroots" in message and "\n" not in message
    assert list(tmp_path.iterdir()) == []  # a bad scenario is not kept
    ok, message = receive("scenario", "../mine.yaml", b"name: mine\ndays: 60\n", tmp_path)
    assert ok and message == "uploaded mine.yaml"
    assert resolve_plans(["grassroots", "uploaded: mine.yaml"], tmp_path)[1].name == "mine"
    ok, message = receive("hr", "evil.sh", b"x", tmp_path)
    assert not ok and ".csv" in message
    ok, _ = receive("hr", "hr.csv", b"Worker,Boss\na,\nb,a\n", tmp_path)
    notes = []
    org = resolve_org("uploaded: hr.csv", 0, "employee_id=Worker,manager_id=Boss", tmp_path, notes)
    assert ok and org.size == 2
    assert len(notes) == 1 and "department" in notes[0]  # the CLI's warning, shown on the page
    with pytest.raises(InputError, match="Boss"):
        resolve_org("uploaded: hr.csv", 0, "employee_id=Worker", tmp_path)  # no manager_id column
