"""The dashboard's parts without a browser: levers, network sampling, uploads, the command.

The real-browser checks are in ``tests/test_dashboard_browser.py``.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from simulation.base.errors import InputError, ScenarioError
from simulation.cli.dashboard import LOOPBACK, command, environment
from simulation.cli.main import build_parser
from simulation.dashboard import levers, uploads
from simulation.dashboard.compare_page import (
    AT_ASSUMED,
    Choices,
    comparison,
    receive,
    regions,
    resolve_org,
    resolve_plans,
    summary_html,
)
from simulation.dashboard.compare_results import answer_html
from simulation.dashboard.hr_form import HrFields, hr_options, org_facts, org_line
from simulation.dashboard.network import SAMPLE_LIMIT, layout, sample_note
from simulation.dashboard.pickers import too_large
from simulation.dashboard.single import curves_figure
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


def test_an_upload_never_replaces_another_file_of_the_same_name(tmp_path):
    """Two sessions share the upload folder: a second hr.csv must not become what the first
    session's run reads (it ran on 50 people while the page said 300)."""
    first = b"Worker,Boss\na,\nb,a\nc,a\n"
    assert receive("hr", "hr.csv", first, tmp_path) == (True, "uploaded hr.csv")
    assert receive("hr", "hr.csv", first, tmp_path) == (True, "uploaded hr.csv")  # the same file
    ok, message = receive("hr", "hr.csv", b"Worker,Boss\na,\n", tmp_path)
    assert ok and "(another file named hr.csv is kept as it was)" in message
    other = message.split()[1]
    assert other.startswith("hr-") and other.endswith(".csv")
    assert (tmp_path / "hr.csv").read_bytes() == first
    org = resolve_org("uploaded: hr.csv", 0, "employee_id=Worker,manager_id=Boss", tmp_path, [])
    assert org.size == 3


def test_a_bad_uploaded_scenario_is_named_without_the_servers_folder(tmp_path):
    ok, message = receive("scenario", "bad.yaml", b"name: x\nrollout: {strategy: nope}\n", tmp_path)
    assert (
        not ok
        and message.startswith("bad.yaml:2: rollout.strategy")
        and str(tmp_path) not in message
    )


# ------------------------------------------------------------------ issue 28, 30, 26 items

SF_CSV = (
    "User ID,Manager User ID,Status,Employee Class,Division\n"
    "00001,NO_MANAGER,Active,Salaried Employee,Vorstand\n"
    "00002,00001,Active,Hourly Employee,Vertrieb\n"
    "00003,00001,Inactive,Hourly Employee,Vertrieb\n"
    "00004,00003,Active,Hourly Employee,Vertrieb\n"
    "00005,00900383,Active,Salaried Employee,Informationstechnik\n"
)
SF_MAP = (
    "employee_id=User ID,manager_id=Manager User ID,department=Division,"
    "frontline=Employee Class=Hourly Employee"
)
REGION = "name: r\nparameters:\n  habit.decay: {low: 0.01, high: 0.05}\n"


def test_the_hr_form_reads_an_export_as_the_command_line_does(tmp_path):
    ok, _ = receive("hr", "sf.csv", SF_CSV.encode(), tmp_path)
    assert ok
    with pytest.raises(InputError, match="00900383") as caught:  # a manager not in the file
        resolve_org("uploaded: sf.csv", 0, HrFields(columns=SF_MAP), tmp_path)
    assert str(tmp_path) not in str(caught.value) and "sf.csv" in str(caught.value)
    fields = HrFields(columns=SF_MAP, where="Status=Active", orphans="roots")
    notes: list[str] = []
    org = resolve_org("uploaded: sf.csv", 0, fields, tmp_path, notes)
    # the inactive row is left out, its report re-attached above it, the orphan made a root
    assert org.size == 4 and org.frontline.sum() == 2
    assert org.ids[org.manager[list(org.ids).index("00004")]] == "00001"
    assert any("4 of 5 rows kept by --where 'Status=Active'" in n for n in notes), notes
    assert all(str(tmp_path) not in n for n in notes)
    assert org_line(org).startswith("sf: 4 people, frontline 50.0 %, levels 0 (top) to 1")
    assert org_facts(org)["data-people"] == "4" and org_facts(org)["data-ties"] == "generated"
    several = hr_options(HrFields(where="Status=Active; Division!=Vorstand", root_marker="X; Y"))
    assert several.where == ("Status=Active", "Division!=Vorstand")
    assert several.root_marker == ("X", "Y") and several.orphans is None
    # a bad option: the command line's one-line message, naming the flag
    with pytest.raises(InputError) as caught:
        hr_options(HrFields(encoding="no-such-codec"))
    assert "\n" not in str(caught.value) and "no-such-codec" in str(caught.value)


def test_an_excel_export_is_taken_and_a_file_over_the_limit_is_refused_from_its_size(tmp_path):
    ok, message = receive("hr", "export.xlsx", b"PK\x03\x04", tmp_path)
    assert ok and message == "uploaded export.xlsx"
    assert too_large("big.csv", uploads.MAX_BYTES) == ""
    refused = too_large("big.csv", uploads.MAX_BYTES + 1)
    assert refused.startswith("upload 'big.csv':") and "more than" in refused


def test_a_plausible_region_is_kept_apart_and_checked_as_compare_uncertainty_does(tmp_path):
    ok, message = receive("region", "mine.yaml", REGION.encode(), tmp_path)
    assert ok and (tmp_path / "regions" / "mine.yaml").is_file()
    assert "mine.yaml" not in uploads.uploaded("scenario", tmp_path)  # not offered as a plan
    offered = regions(tmp_path)
    assert offered["uploaded: mine.yaml"] == str(tmp_path / "regions" / "mine.yaml")
    assert offered["plausible"] == "plausible" and offered[AT_ASSUMED] == ""  # shipped; none
    bad = "name: r\nparameters:\n  habit.decay: {low: 0.01, high: 0.05, wide: true}\n"
    ok, message = receive("region", "bad.yaml", bad.encode(), tmp_path)
    assert not ok and "bad.yaml" in message and "wide" in message and "\n" not in message
    assert not (tmp_path / "regions" / "bad.yaml").exists()


def test_the_compare_form_runs_the_budget_and_the_parameters_uncertainty(tmp_path):
    receive("region", "mine.yaml", REGION.encode(), tmp_path)
    choices = Choices(
        plans=("grassroots", "full_support"),
        people=300,
        replicates=2,
        days=40,
        budget=1e12,
        uncertainty="uploaded: mine.yaml",
        sets=2,
    )
    ms, runs = comparison(choices, tmp_path)
    assert runs == 2 * 2 * (1 + 2)
    result = ms.run().result
    value, unc = result.value, result.uncertainty
    assert unc is not None and unc.count == 2
    assert value.best == value.leader  # every plan is within so large a budget
    first = answer_html(result)
    assert first.index('id="answer-scope"') < first.index('id="answer-budget"')
    assert 'data-uncertainty="parameters"' in first and 'id="answer-across"' in first
    assert f'data-best="{value.best}"' in first
    # the lead with its paired interval and chance of beating, as the report and the CLI say it
    assert first.index('id="answer-lead"') < first.index('id="answer-versus"')
    assert "paired over 2 replicates" in first and "chance of beating it" in first
    cost = summary_html(ms.summary(), result.currency)
    assert f"cost ({result.currency})" in cost and f">{result.currency} " in cost
    with pytest.raises(InputError, match="budget") as caught:  # below what any plan costs
        comparison(replace(choices, budget=1.0, uncertainty=AT_ASSUMED), tmp_path)[0].run()
    assert "\n" not in str(caught.value)
    with pytest.raises(InputError, match="no such plausible region"):
        comparison(replace(choices, uncertainty="uploaded: gone.yaml"), tmp_path)


def test_the_one_run_curves_are_in_days_and_per_cent():
    model = levers.LeverModel(people=200, days=20).run(5)
    figure = curves_figure(model.datacollector.get_model_vars_dataframe())
    axes = figure.axes[0]
    assert "day" in axes.get_xlabel() and axes.get_xlabel() != "Step"
    assert axes.yaxis.get_major_formatter()(0.5, 0).strip() == "50%"
    assert list(axes.lines[0].get_xdata()) == [0, 1, 2, 3, 4]


def test_observed_ties_uploaded_beside_an_export_replace_the_generated_ones(tmp_path):
    receive("hr", "sf.csv", SF_CSV.encode(), tmp_path)
    ok, _ = receive("ties", "edges.csv", b"source,target\n00002,00004\n00004,00001\n", tmp_path)
    assert ok and (tmp_path / "ties" / "edges.csv").is_file()
    assert "edges.csv" not in uploads.uploaded("hr", tmp_path)  # not offered as an export
    fields = HrFields(columns=SF_MAP, where="Status=Active", orphans="roots", ties="edges.csv")
    org = resolve_org("uploaded: sf.csv", 0, fields, tmp_path, [])
    assert org.ties_origin == "observed" and org.ties.nnz == 4  # two ties, both ways
    assert org_facts(org)["data-ties"] == "observed"
    receive("ties", "bad.csv", b"source,target\n00002,99999\n", tmp_path)
    with pytest.raises(InputError) as caught:  # the edge list's one-line error, its own name
        resolve_org("uploaded: sf.csv", 0, replace(fields, ties="bad.csv"), tmp_path)
    assert "bad.csv:2" in str(caught.value) and str(tmp_path) not in str(caught.value)
    with pytest.raises(InputError, match="no such uploaded edge list"):
        resolve_org("uploaded: sf.csv", 0, replace(fields, ties="gone.csv"), tmp_path)


@pytest.mark.parametrize(
    ("text", "value"),
    [("", None), ("80000", 80000.0), ("80,000", 80000.0), ("80 000", 80000.0),
     ("1,234,567.5", 1234567.5), ("abc", "not an amount"), ("80,00", "not an amount"),
     ("-5", "0 or more")],
)  # fmt: skip
def test_the_budget_is_read_as_people_write_amounts_or_refused(text, value):
    """A number field took '80,000' for 80 and kept the previous value for 'abc'."""
    from simulation.dashboard.compare_page import parse_budget

    if isinstance(value, str):
        with pytest.raises(InputError, match=value):
            parse_budget(text)
    else:
        assert parse_budget(text) == value


def test_a_run_stops_at_its_next_batch_once_cancelled_or_its_page_is_gone():
    """A refreshed page left its run going for minutes (200 % CPU, 3.8 GB) for nobody: the
    progress callback stops it once the task is no longer current."""
    import solara.util

    from simulation.dashboard.compare_page import ticker
    from simulation.experiments.multisim import MultiSim

    shown, alive = [], [True]
    tick = ticker(10, shown.append, lambda: alive[0])
    tick(4)
    assert shown == [0.4]
    alive[0] = False
    with pytest.raises(solara.util.CancelledError):
        tick(4)
    assert shown == [0.4]
    ms = MultiSim(["grassroots", "full_support"], org="generate:size=100", replicates=4,
                  days=20, batch_size=1)  # fmt: skip
    calls = []
    ms.progress = ticker(8, lambda share: None, lambda: calls.append(1) or len(calls) < 3)
    with pytest.raises(solara.util.CancelledError):
        ms.run()
    assert len(calls) == 3 and ms.result is None  # two batches ran, then it stopped
