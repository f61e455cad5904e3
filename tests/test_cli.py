"""The esnsim command: outputs, exit status, one-line errors, nothing half-written."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from simulation.cli.main import main
from simulation.metrics.summary import ALL_SUMMARY_COLUMNS
from simulation.model.daily import DAILY_COLUMNS
from tests.conftest import ROOT, SCENARIOS

GOOD_HR = "employee_id,manager_id,department,frontline\n1,,exec,no\n2,1,sales,yes\n3,1,it,no\n4,2,sales,y\n"

BAD_HR = {
    "duplicate id": ("employee_id,manager_id\n1,\n2,1\n2,1\n", "client_hr.csv:4: employee_id"),
    "unknown manager": ("employee_id,manager_id\n1,\n2,9\n", "client_hr.csv:3: manager_id"),
    "reporting cycle": ("employee_id,manager_id\n1,\n2,3\n3,2\n", "cycle"),
    "empty file": ("", "client_hr.csv:1: empty"),
    "missing column": ("employee_id,department\n1,sales\n", "manager_id: missing"),
    "bad boolean": (
        "employee_id,manager_id,frontline\n1,,no\n2,1,maybe\n",
        "client_hr.csv:3: frontline",
    ),
}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The command in a child process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "simulation.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


@pytest.fixture
def cli(capsys):
    """The command in this process (fast): returns (exit status, stdout, stderr)."""

    def call(*args: str) -> subprocess.CompletedProcess:
        code = main(list(args))
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, captured.out, captured.err)

    return call


def test_run_writes_every_output_with_the_contract_columns(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(
        [
            "run",
            str(SCENARIOS / "grassroots.yaml"),
            "--org",
            "generate:size=300,seed=3",
            "--days",
            "40",
            "--replicates",
            "3",
            "--seed",
            "11",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "sustained weekly active" in printed and "daily.parquet" in printed
    daily = pd.read_parquet(out / "daily.parquet")
    assert list(daily.columns) == ["scenario", "replicate", "seed", "day", *DAILY_COLUMNS]
    assert len(daily) == 3 * 40
    assert sorted(daily["seed"].unique()) == [11, 12, 13]
    summary = pd.read_parquet(out / "summary.parquet")
    assert list(summary.columns) == ["scenario", "replicate", "seed", *ALL_SUMMARY_COLUMNS]
    # the run's figures of weekly active are the daily series' means: the last 30 days, all days
    wau = daily.pivot_table(index="day", columns="replicate", values="wau")
    figures = summary.set_index("replicate")
    assert np.allclose(figures["sustained_wau"], wau.iloc[-30:].mean(), atol=1e-12)
    assert np.allclose(figures["mean_wau"], wau.mean(), atol=1e-12)
    assert (figures["mean_wau"] != figures["sustained_wau"]).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds"] == [11, 12, 13] and "mesa" in manifest["versions"]
    assert manifest["scenario"]["days"] == 40 and len(manifest["scenario_hash"]) == 64
    assert (out / "adoption.png").stat().st_size > 10_000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left


def test_hr_csv_org_runs_end_to_end(tmp_path):
    hr = tmp_path / "hr.csv"
    hr.write_text(
        "Worker;Boss;department\n1;;exec\n2;1;sales\n3;1;it\n4;2;sales\n", encoding="utf-8-sig"
    )
    out = tmp_path / "out"
    result = run_cli(
        "run", str(SCENARIOS / "grassroots.yaml"), "--org", str(hr), "--columns",
        "employee_id=Worker,manager_id=Boss", "--days", "10", "--replicates", "2", "--quiet",
        "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(pd.read_parquet(out / "daily.parquet")) == 20


@pytest.mark.parametrize("case", sorted(BAD_HR))
@pytest.mark.parametrize("command", ["run", "inspect"])
def test_bad_hr_export_gives_one_line_exit_2_and_writes_nothing(cli, tmp_path, case, command):
    text, expected = BAD_HR[case]
    hr = tmp_path / "client_hr.csv"
    hr.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    if command == "run":
        args = ["run", str(SCENARIOS / "grassroots.yaml"), "--org", str(hr), "--out", str(out)]
    else:
        args = ["org", "inspect", str(hr)]
    result = cli(*args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "client_hr.csv" in lines[0] and expected in lines[0], lines[0]
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client_hr.csv"]


@pytest.mark.parametrize(
    ("scenario_text", "expected"),
    [
        ("name: x\nrollout: {strategy: random_seeds, seeds: 0}\n", "rollout.seeds: must be >= 1"),
        ("name: x\nbogus: 1\n", "bogus: unknown field"),
        ("name: x\ndays: many\n", "days:"),
        ("name: x\nrollout: {strategy: teleport}\n", "rollout.strategy: unknown value 'teleport'"),
        ("name: x\nadoption: [1, 2\n", "plan.yaml:3: did not find expected"),
        (
            "name: x\nrollout: {strategy: champions, ids: [nobody]}\n",
            "rollout.ids[0]: unknown employee id 'nobody'",
        ),
    ],
)
def test_bad_scenario_gives_one_line_exit_2_and_writes_nothing(
    cli, tmp_path, scenario_text, expected
):
    path = tmp_path / "plan.yaml"
    path.write_text(scenario_text, encoding="utf-8")
    out = tmp_path / "out"
    result = cli("run", str(path), "--org", "generate:size=100", "--days", "5", "--out", str(out))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--org", "generate:size=abc"],
        ["--org", "generate:sise=100"],
        ["--org", "dataset:nope"],
        ["--org", "missing.csv"],
        ["--columns", "employee_id"],
        ["--days", "0"],
    ],
)
def test_bad_options_give_exit_2(cli, tmp_path, args):
    out = tmp_path / "out"
    full = ["run", str(SCENARIOS / "grassroots.yaml"), "--out", str(out), *args]
    if "--org" not in args:
        full += ["--org", "generate:size=100"]
    result = cli(*full)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_org_inspect_describes_a_dataset(real_data):
    result = run_cli("org", "inspect", "dataset:krackhardt")
    assert result.returncode == 0, result.stderr
    assert "21" in result.stdout and "Span of control" in result.stdout


def test_scenario_check_and_schema(cli, tmp_path):
    assert cli("scenario", "check", str(SCENARIOS / "grassroots.yaml")).returncode == 0
    schema = tmp_path / "schema.json"
    assert cli("scenario", "schema", "--out", str(schema)).returncode == 0
    assert "rollout" in json.loads(schema.read_text())["properties"]


def test_validate_is_a_subcommand(cli, tmp_path):
    result = cli("validate", "--quick", "--out", str(tmp_path / "val"))
    assert result.returncode == 0, result.stderr
    assert "patterns hold" in result.stdout
    assert (tmp_path / "val" / "validation.parquet").exists()
