"""Hostile and careless inputs through the command: one line, exit status 2, nothing written.

Each case is one row of the table in docs/reliability.md. The command runs in this process (fast);
every refusal must come before any simulation, so the organisations are small or never built.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from simulation.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
GRASSROOTS = str(ROOT / "scenarios" / "grassroots.yaml")
TINY = ["--org", "generate:size=60", "--days", "5", "--replicates", "2", "--quiet"]


@pytest.fixture
def cli(capsys):
    def call(*args: str) -> subprocess.CompletedProcess:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, captured.out, captured.err)

    return call


def refused(result, fragment: str, code: int = 2) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.returncode == code, result.stderr
    assert len(lines) == 1, result.stderr
    assert fragment in lines[0], lines[0]
    return lines[0]


def scenario(folder: Path, text: str, name: str = "plan.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def alias_bomb() -> str:
    lines = ["  l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]")
    return "name: bomb\norganisation:\n  generate: {size: 100}\n" + "\n".join(lines) + "\n"


SCENARIO_CASES = [
    ("alias bomb under organisation", alias_bomb(), "aliases expand to more than"),
    ("nesting 50,000 deep", "name: x\nrollout: " + "[" * 50_000, "nest"),
    ("duplicate key", "name: x\ndays: 30\ndays: 60\n", ":3: duplicate key 'days'"),
    ("seed of 2^63", "name: x\nseed: 9223372036854775808\n", ":2: seed: must be <="),
    ("infinite cost", "name: x\ncosts: {licence_per_seat_month: .inf}\n", "not a finite"),
    ("10^12 people", "name: x\norganisation: {generate: {size: 1000000000000}}\n", "size:"),
    ("size as text", "name: x\norganisation: {generate: {size: 10^12}}\n", "valid integer"),
    ("two sources", "name: x\norganisation: {dataset: lazega, hr_csv: a.csv}\n", "exactly one"),
    ("unknown key", "name: x\norganisation: {generate: {size: 9, colour: red}}\n", "colour"),
    ("NUL in a name", 'name: x\norganisation: {dataset: "a\\0b"}\n', "control character"),
    ("control char", "name: x\ndescription: a\x01b\n", ":2: character U+0001"),
    ("a list", "- name: x\n", "must be a mapping"),
]


@pytest.mark.parametrize(
    ("text", "fragment"), [c[1:] for c in SCENARIO_CASES], ids=[c[0] for c in SCENARIO_CASES]
)
def test_scenario_refused_by_check_and_run(cli, tmp_path, text, fragment):
    path = scenario(tmp_path, text)
    refused(cli("scenario", "check", path), fragment)
    out = tmp_path / "out"
    refused(cli("run", path, "--days", "5", "--replicates", "2", "--out", out), fragment)
    assert not out.exists()


def test_latin1_scenario_names_the_line(cli, tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_bytes("name: x\ndays: 30\ndescription: caf\u00e9\n".encode("latin-1"))
    refused(cli("scenario", "check", path), "plan.yaml:3: not UTF-8 text (byte 0xe9)")


@pytest.mark.parametrize(
    "target",
    ["/etc/passwd", "../../../../etc/passwd", "link/passwd"],
    ids=["absolute", "dot-dot", "symlink"],
)
@pytest.mark.parametrize("field", ["hr_csv", "edgelist"])
def test_scenario_paths_are_confined(cli, tmp_path, monkeypatch, target, field):
    monkeypatch.chdir(tmp_path)
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "link").symlink_to("/etc")
    path = scenario(plans, f"name: x\norganisation: {{{field}: {target}}}\n")
    for args in (["scenario", "check", path], ["run", path, "--out", tmp_path / "out"]):
        line = refused(cli(*args), f"plan.yaml:2: organisation.{field}: ")
        assert "outside the scenario's folder" in line
        assert "root:" not in line  # nothing of the file is echoed
    assert not (tmp_path / "out").exists()


def test_allow_path_widens_the_roots(cli, tmp_path, monkeypatch):
    data = tmp_path / "data"
    data.mkdir()
    (data / "hr.csv").write_text(
        "employee_id,manager_id\n" + "a,\n" + "".join(f"p{i},a\n" for i in range(30)),
        encoding="utf-8",
    )
    plans = tmp_path / "plans"
    plans.mkdir()
    monkeypatch.chdir(plans)
    path = scenario(plans, "name: x\ndays: 5\norganisation: {hr_csv: ../data/hr.csv}\n")
    refused(cli("scenario", "check", path), "outside")
    result = cli("scenario", "check", path, "--allow-path", data)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    result = cli("run", path, "--replicates", "2", "--quiet", "--allow-path", data, "--out", out)
    assert result.returncode == 0, result.stderr


def test_a_scenario_name_cannot_choose_the_folder(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inner").mkdir()
    path = scenario(tmp_path / "inner", "name: ../../escape\ndays: 5\n")
    result = cli("run", path, *TINY)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["_.._escape"]
    assert not (tmp_path.parent / "escape").exists()
    path = scenario(tmp_path / "inner", "name: /tmp/abs\ndays: 5\n", "abs.yaml")
    assert cli("run", path, *TINY).returncode == 0
    assert (tmp_path / "results" / "_tmp_abs").is_dir()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--replicates", "100000000"], "--replicates: must be from 1 to 100,000"),
        (["--seed", str(2**63)], "--seed: must be from 0"),
        (["--seed", str(2**63 - 2), "--replicates", "5"], "--seed: must be from 0"),
        (["--days", "40000"], "--days: must be from 1 to 30,000"),
        (["--workers", "0"], "--workers: must be from 1"),
        (["--replicates", "x"], "invalid int value: 'x' (see esnsim run --help)"),
        (["--bogus"], "unrecognized arguments: --bogus"),
        (["--org", "generate:size=1000000000000"], "generate.size: must be <="),
        (["--org", "generate:size=10^12"], "generate.size: must be a valid integer"),
    ],
)
def test_bad_values_refused_at_once(cli, tmp_path, args, fragment):
    out = tmp_path / "out"
    refused(cli("run", GRASSROOTS, *args, "--out", out), fragment)
    assert not out.exists()


def test_memory_estimate_refuses_before_allocating(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ESNSIM_MEMORY_LIMIT", "1M")
    out = tmp_path / "out"
    line = refused(cli("run", GRASSROOTS, *TINY[:2], "--replicates", "50", "--out", out), "need")
    assert "more than the limit of 0.0 GB" in line
    assert not out.exists()


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        ("wau>=0.4@" + "9" * 5000, "characters (at most 200)"),
        ("wau>=1e999@10", "finite"),
        ("wau>=0.4@99999999", "beyond"),
        ("drop table", "expected METRIC"),
    ],
)
def test_bad_targets(cli, tmp_path, target, fragment):
    plans = [GRASSROOTS, str(ROOT / "scenarios" / "all_staff_announcement.yaml")]
    out = tmp_path / "out"
    refused(cli("compare", *plans, "--target", target, "--out", out, *TINY), fragment)
    assert not out.exists()


def test_out_that_cannot_hold_results(cli, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep me", encoding="utf-8")
    refused(cli("run", GRASSROOTS, *TINY, "--out", a_file), "exists and is not a folder")
    refused(cli("run", GRASSROOTS, *TINY, "--out", "/proc/esnsim"), "cannot write in /proc")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me too", encoding="utf-8")
    refused(cli("run", GRASSROOTS, *TINY, "--out", mine), "not esnsim results")
    assert a_file.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in mine.iterdir()) == ["notes.txt"]


def test_a_result_folder_is_replaced_whole(cli, tmp_path):
    plans = [GRASSROOTS, str(ROOT / "scenarios" / "all_staff_announcement.yaml")]
    out = tmp_path / "out"
    assert cli("compare", *plans, "--out", out, *TINY).returncode == 0
    assert (out / "report.html").is_file()
    assert cli("run", GRASSROOTS, "--out", out, *TINY).returncode == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [".esnsim-complete", "adoption.png", "daily.parquet", "manifest.json"] + [
        "summary.parquet"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_latin1_hr_file_names_the_bad_line(cli, tmp_path):
    hr = tmp_path / "hr.csv"
    rows = ["employee_id,manager_id,department", "a,,hq"] + [f"p{i},a,hq" for i in range(20)]
    rows[15] = "p13,a,R\u00e9seau"
    hr.write_bytes(("\n".join(rows) + "\n").encode("latin-1"))
    refused(cli("org", "inspect", hr), "hr.csv:16: not UTF-8 text (byte 0xe9)")


def test_nul_inside_an_id(cli, tmp_path):
    hr = tmp_path / "hr.csv"
    hr.write_bytes(b"employee_id,manager_id\na,\nb\x00c,a\n")
    refused(cli("org", "inspect", hr), "hr.csv:3: control character U+0000")


def test_not_a_csv_is_not_echoed(cli, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("x" * 5000 + ",y\n1,2\n", encoding="utf-8")
    line = refused(cli("org", "inspect", secret), "missing required column")
    assert len(line) < 400


def test_usage_errors_are_one_line(cli):
    refused(cli("bogus"), "invalid choice: 'bogus'")
    refused(cli("run"), "the following arguments are required: scenario")
    refused(cli("org"), "(see esnsim org --help)")


def test_people_limit_of_hr_files(cli, tmp_path, monkeypatch):
    monkeypatch.setattr("simulation.base.limits.MAX_PEOPLE", 5)
    hr = tmp_path / "hr.csv"
    hr.write_text("employee_id,manager_id\na,\n" + "".join(f"p{i},a\n" for i in range(9)))
    refused(cli("org", "inspect", hr), "hr.csv: more than 5 people (the limit)")


def test_validate_checks_out_before_simulating(cli, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep me", encoding="utf-8")
    refused(cli("validate", "--quick", "--out", a_file), "exists and is not a folder")


def test_a_fifo_as_hr_file(tmp_path):
    from simulation.base.errors import OrgDataError
    from simulation.org.table import read_table

    fifo = tmp_path / "hr.csv"
    os.mkfifo(fifo)
    with pytest.raises(OrgDataError, match="hr.csv: cannot read .not a regular file."):
        read_table(fifo)


def test_a_loop_of_symbolic_links(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "b").symlink_to("a")
    (tmp_path / "a").symlink_to("b")
    path = scenario(tmp_path, "name: x\norganisation: {hr_csv: a/x.csv}\n")
    refused(cli("scenario", "check", path), "a loop of symbolic links")


def test_too_many_workers_for_memory(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("ESNSIM_MEMORY_LIMIT", "4G")
    out = tmp_path / "out"
    args = ["--org", "generate:size=60", "--days", "5", "--replicates", "200", "--batch-size", "1"]
    refused(cli("run", GRASSROOTS, *args, "--workers", "200", "--out", out), "need about")
    assert not out.exists()
