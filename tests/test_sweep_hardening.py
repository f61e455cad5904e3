"""Hostile sweep files and damaged sweep stores (issue 29): one line naming the file and the
line or field, exit status 2, nothing written under --out, no traceback."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from simulation.base.limits import MAX_SWEEP_RUNS
from simulation.cli.main import main
from simulation.experiments.sweep import InProcessEvaluator, Sweep
from simulation.experiments.sweep.store import Store
from tests.conftest import SCENARIOS
from tests.sweep_files import SMALL, write_sweep

SECRET = "topsecret_value"

#: a sweep over a file-based organisation: 2 points x 1 replicate of 30 days
TINY = """\
name: tiny
base: {base}
organisation: {organisation}
days: 30
design: {method: lhs, samples: 2}
seed: 1
parameters:
  adoption.threshold_mean: {low: 0.15, high: 0.35}
outcomes: [sustained_wau, peak_wau]
"""


def cli(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def refused(result: tuple[int, str, str], *fragments: str) -> str:
    """The command ended with exit status 2 and one line holding every fragment."""
    status, _, err = result
    line = err.strip()
    assert status == 2, err
    assert "\n" not in line and "Traceback" not in line, err
    assert line.startswith("esnsim: error: "), err
    for fragment in fragments:
        assert fragment in line, line
    assert SECRET not in line and "root:" not in line  # nothing of a refused file is echoed
    return line


def hr_csv(path: Path, people: int = 120) -> Path:
    rows = ["employee_id,manager_id,department"]
    rows += ["p0,,exec"] + [f"p{i},p{(i - 1) // 8},d{i % 4}" for i in range(1, people)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def tiny(folder: Path, organisation: str, base: str | None = None, name="tiny.yaml") -> Path:
    text = TINY.replace("{organisation}", organisation)
    text = text.replace("{base}", base or str(SCENARIOS / "full_support.yaml"))
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def nest(tmp_path, monkeypatch):
    """``tmp_path/a/b/c`` as the current folder and the sweep's folder; secrets at the top."""
    (tmp_path / "secret.yaml").write_text(f"{SECRET}: 1\n", encoding="utf-8")
    (tmp_path / "secret.csv").write_text(f"{SECRET},x\n1,2\n", encoding="utf-8")
    folder = tmp_path / "a" / "b" / "c"
    folder.mkdir(parents=True)
    (folder / "link").symlink_to("/etc")
    monkeypatch.chdir(folder)
    return folder


DEEP = "../" * 40 + "etc/passwd"
CONFINED = {
    "base": ("base: {base}", "base: ../../../secret.yaml", "small.yaml:2: base: "),
    "design.file": (
        "design: {method: lhs, samples: 6}",
        "design: {method: list, file: ../../../secret.csv}",
        "small.yaml:5: design.file: ",
    ),
    "organisation.hr_csv": (
        "organisation: {generate: {size: 300}}",
        "organisation: {hr_csv: ../../../secret.csv}",
        "small.yaml:3: organisation.hr_csv: ",
    ),
    "base /etc/passwd": ("base: {base}", f"base: {DEEP}", "small.yaml:2: base: "),
    "base absolute": ("base: {base}", "base: /etc/passwd", "small.yaml:2: base: "),
    "base symlink": ("base: {base}", "base: link/passwd", "small.yaml:2: base: "),
    "organisation.ties symlink": (
        "organisation: {generate: {size: 300}}",
        "organisation: {hr_csv: ../../../secret.csv, ties: link/passwd}",
        "small.yaml:3: organisation.",
    ),
}


@pytest.mark.parametrize("case", list(CONFINED))
def test_sweep_paths_are_confined(capsys, nest, case):
    old, new, fragment = CONFINED[case]
    path = write_sweep(nest, SMALL.replace(old, new))
    outside = (
        "is outside the sweep file's folder and the current folder (allow it with --allow-path"
    )
    refused(cli(capsys, "sweep", "check", path, "--no-probe"), fragment, outside)
    out = nest / "out"
    refused(cli(capsys, "sweep", path, "--out", out, "--workers", "1"), fragment, outside)
    refused(cli(capsys, "sensitivity", path, "--sweep-out", out), fragment, outside)
    assert not out.exists()


def test_allow_path_widens_the_roots(capsys, tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shutil.copy(SCENARIOS / "full_support.yaml", shared / "base.yaml")
    hr_csv(shared / "hr.csv")
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    path = tiny(
        folder, "{hr_csv: ../../shared/hr.csv}", base="../../shared/base.yaml", name="s.yaml"
    )
    refused(cli(capsys, "sweep", "check", path, "--no-probe"), "s.yaml:2: base: ", "outside")
    status, out, err = cli(capsys, "sweep", "check", path, "--no-probe", "--allow-path", shared)
    assert status == 0, err
    assert "ok (tiny)" in out
    # two workers: the roots reach the worker processes, which read the HR file themselves
    store = tmp_path / "out"
    args = ["sweep", path, "--out", store, "--workers", "2", "--quiet", "--allow-path", shared]
    status, _, err = cli(capsys, *args)
    assert status == 0, err
    assert len(Store(store).runs()) == 2
    # and sensitivity, which runs a sweep file first, takes the flag too
    refused(cli(capsys, "sensitivity", path, "--sweep-out", tmp_path / "s2"), "outside")
    assert not (tmp_path / "s2").exists()


def test_a_shipped_base_and_the_shipped_sweeps_stay_allowed(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # neither the shipped folder nor the sweeps' own
    for name in ("grid_rollout_mobile", "lhs_facilitation_sponsorship"):
        path = SCENARIOS / "sweeps" / f"{name}.yaml"
        status, out, err = cli(capsys, "sweep", "check", path, "--no-probe")
        assert status == 0, err
    by_name = tiny(tmp_path, "{generate: {size: 200}}", base="full_support")
    assert cli(capsys, "sweep", "check", by_name, "--no-probe")[0] == 0


ORGANISATION_CASES = {
    "the base scenario's own hr_csv escapes": (
        "base",
        "organisation.hr_csv: '../../outside/hr.csv' is outside the scenario's folder",
    ),
    "the sweep's hr_csv is missing": ("missing", "organisation.hr_csv: no such file"),
    "the sweep's hr_csv is not an HR file": ("invalid", "missing required column"),
}


@pytest.mark.parametrize("case", list(ORGANISATION_CASES))
def test_sweep_check_reads_the_organisation_a_run_reads(capsys, tmp_path, monkeypatch, case):
    kind, fragment = ORGANISATION_CASES[case]
    outside = tmp_path / "outside"
    outside.mkdir()
    hr_csv(outside / "hr.csv")
    folder = tmp_path / "work" / "sweeps"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    if kind == "base":  # a base beside the sweep whose organisation leaves its folder
        text = (SCENARIOS / "full_support.yaml").read_text(encoding="utf-8")
        base = folder / "base.yaml"
        base.write_text(text + "organisation: {hr_csv: ../../outside/hr.csv}\n", "utf-8")
        path = tiny(folder, "null", base="base.yaml")
        where = "tiny.yaml: base: "
    elif kind == "missing":
        path = tiny(folder, "{hr_csv: nowhere.csv}")
        where = "tiny.yaml:3: "
    else:
        (folder / "hr.csv").write_text("name,boss\nx,y\n", encoding="utf-8")
        path = tiny(folder, "{hr_csv: hr.csv}")
        where = "tiny.yaml:3: "
    refused(cli(capsys, "sweep", "check", path, "--no-probe"), where, fragment)
    out = tmp_path / "out"
    refused(cli(capsys, "sweep", path, "--out", out, "--workers", "1", "--quiet"), where, fragment)
    assert not out.exists()  # no design.parquet, no errors/, no sweep.json


def test_a_huge_design_is_refused_before_it_is_built(capsys, tmp_path):
    cases = {
        "samples: 6": ("samples: 1000000000", "small.yaml:5: design.samples: 1,000,000,000 points"),
        "method: lhs, samples: 6": (
            "method: grid, levels: 1000000000",
            "small.yaml:5: design.levels: 14,000,000,000 points",
        ),
    }
    for old, (new, fragment) in cases.items():
        path = write_sweep(tmp_path, SMALL.replace(old, new))
        out = tmp_path / "out"
        clock = time.perf_counter()
        line = refused(
            cli(capsys, "sweep", path, "--out", out, "--workers", "1"),
            fragment,
            f"more than the limit of {MAX_SWEEP_RUNS:,} runs",
            "B of memory",
        )
        assert time.perf_counter() - clock < 5, line
        refused(cli(capsys, "sweep", "check", path), fragment)
        assert not out.exists()


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """The small sweep (12 runs in 6 chunks), run in process, uninterrupted."""
    folder = tmp_path_factory.mktemp("finished")
    path = write_sweep(folder)
    result = Sweep.load(path).run(InProcessEvaluator(), out=folder / "out", progress=False)
    assert result.complete
    return path, folder / "out", result.runs


def test_a_damaged_chunk_is_named_refused_and_rerun(capsys, tmp_path, finished):
    path, reference, runs = finished
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    chunk = out / "runs" / "chunk-000001.parquet"
    chunk.write_bytes(b"garbage, not Parquet" * 10)
    status, text, err = cli(capsys, "sweep", "status", out)
    assert status == 0, err
    assert "10 / 12 runs done (5 / 6 chunks)" in text
    assert "chunk 1: damaged (checksum differs); --resume reruns it" in text
    line = refused(cli(capsys, "sensitivity", out), "chunk 1: damaged (checksum differs)")
    assert "--resume" in line
    assert not (out / "sensitivity").exists()
    # a valid Parquet file of other rows is damaged too: the checksum, not the format, decides
    shutil.copy(out / "runs" / "chunk-000002.parquet", chunk)
    assert "chunk 1: damaged" in cli(capsys, "sweep", "status", out)[1]
    status, text, err = cli(capsys, "sweep", path, "--out", out, "--resume", "--workers", "1")
    assert status == 0, err
    assert "12 / 12 runs done" in text
    pd.testing.assert_frame_equal(Store(out).runs(), runs)
    assert "damaged" not in cli(capsys, "sweep", "status", out)[1]
    # the design's files are checked too
    (out / "design.parquet").write_bytes(b"garbage")
    refused(cli(capsys, "sensitivity", out), "the design is damaged (design.parquet: checksum")
    assert "design: damaged" in cli(capsys, "sweep", "status", out)[1]
    assert cli(capsys, "sweep", path, "--out", out, "--resume", "--workers", "1")[0] == 0
    assert Store(out).design_damaged() is None


def test_a_store_without_checksums_is_still_read(capsys, tmp_path, finished):
    _, reference, runs = finished
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    shutil.rmtree(out / "checksums")  # as written before checksums were recorded
    pd.testing.assert_frame_equal(Store(out).runs(), runs)
    status, text, _ = cli(capsys, "sweep", "status", out)
    assert status == 0 and "12 / 12 runs done" in text
    (out / "runs" / "chunk-000003.parquet").write_bytes(b"garbage")
    refused(cli(capsys, "sensitivity", out), "chunk-000003.parquet: chunk 3: cannot be read")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{}", "(no 'sweep')"),
        ('{"x": 1}', "(no 'sweep')"),
        ("[1]", "(not a mapping)"),
        ("not json", "(not JSON)"),
    ],
    ids=["empty", "other keys", "a list", "not JSON"],
)
def test_status_of_a_json_that_is_not_a_sweeps(capsys, tmp_path, content, fragment):
    (tmp_path / "sweep.json").write_text(content, encoding="utf-8")
    where = f"{tmp_path / 'sweep.json'}: not a sweep's description {fragment}"
    refused(cli(capsys, "sweep", "status", tmp_path), where)
    refused(cli(capsys, "sensitivity", tmp_path), where)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.json"]
    data = {"sweep": {"name": "x", "replicates": 1, "outcomes": []}, "chunks": {"count": 1}}
    (tmp_path / "sweep.json").write_text(json.dumps(data), encoding="utf-8")
    refused(cli(capsys, "sweep", "status", tmp_path), "(no chunks.points_per_chunk)")


def test_status_and_complete_check_every_chunk(capsys, tmp_path, finished):
    """A chunk damaged and one deleted after the sweep completed: status and ``complete`` say
    so (the progress recorded says 'complete'), discover refuses it, --resume repairs it."""
    path, reference, runs = finished
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    assert Sweep.open(out).complete
    with open(out / "runs" / "chunk-000004.parquet", "r+b") as stream:
        stream.truncate(100)
    (out / "runs" / "chunk-000005.parquet").unlink()
    status, text, err = cli(capsys, "sweep", "status", out)
    assert status == 0, err
    assert text.splitlines()[:4] == [
        "small: 8 / 12 runs done (4 / 6 chunks); incomplete: 2 chunk(s) or file(s) damaged or "
        "missing since it completed; --resume repairs it",
        "  chunk 4: damaged (checksum differs); --resume reruns it",
        "  chunk 5: missing (its runs file is gone); --resume reruns it",
        f"  4 runs to go: esnsim sweep FILE --out {out} --resume",
    ]
    assert not Sweep.open(out).complete
    refused(cli(capsys, "discover", out, "--success", "peak_wau>=0.1"), "chunk 4: damaged")
    status, _, err = cli(capsys, "sweep", path, "--out", out, "--resume", "--workers", "1")
    assert status == 0, err
    assert Sweep.open(out).complete
    assert cli(capsys, "sweep", "status", out)[1].splitlines() == [
        "small: 12 / 12 runs done (6 / 6 chunks); complete"
    ]
    pd.testing.assert_frame_equal(Store(out).runs(), runs)


def test_a_file_where_a_folder_is_wanted_is_named(capsys, tmp_path, finished):
    path = finished[0]
    a_file = tmp_path / "afile.txt"
    a_file.write_text("notes\n", encoding="utf-8")
    refused(
        cli(capsys, "sweep", path, "--out", a_file, "--workers", "1"),
        f"--out {a_file}: exists and is not a folder",
    )
    where = f"{a_file}: exists and is not a folder (give a sweep's folder)"
    refused(cli(capsys, "sweep", "status", a_file), where)
    line = refused(cli(capsys, "discover", a_file, "--success", "peak_wau>=0.1"), where)
    assert "--out" not in line, "the user gave no --out"
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine\n", encoding="utf-8")
    refused(cli(capsys, "sweep", path, "--out", other), f"--out {other}: a folder holding files")
    assert a_file.read_text(encoding="utf-8") == "notes\n"
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]


def test_plots_of_an_incomplete_sweep_are_removed_when_a_resume_adds_runs(
    capsys, tmp_path, finished
):
    path, reference, _ = finished
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    (out / "runs" / "chunk-000005.parquet").unlink()
    status, text, err = cli(capsys, "sweep", "plot", out, "--outcome", "peak_wau")
    assert status == 0 and "(from 10 of 12 runs)" in text, err
    status, text, err = cli(capsys, "sweep", path, "--out", out, "--resume", "--workers", "1")
    assert status == 0, err
    assert f"note: removed {out / 'plots'}: its figures show the runs before this resume" in text
    assert not (out / "plots").exists()
    mine = tmp_path / "mine"  # a folder of plots given with --out elsewhere is not touched
    assert cli(capsys, "sweep", "plot", out, "--outcome", "peak_wau", "--out", mine)[0] == 0
    (out / "runs" / "chunk-000005.parquet").unlink()
    assert cli(capsys, "sweep", path, "--out", out, "--resume", "--workers", "1")[0] == 0
    assert (mine / "peak_wau.png").is_file()
