"""esnsim discover (simulation.analysis.conditions, simulation.cli.discover): PRIM on a real
sweep folder: the box's reported density and coverage are a direct count of the runs, the
summary is written, and bad input is one line, exit 2, nothing written."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest

from simulation.analysis.conditions import limit_phrase
from simulation.experiments.sweep import InProcessEvaluator, Sweep, SweepSpec
from tests.cli_helpers import in_process


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    """30 runs of 150 people over 40 days: managers, the app's launch day and the strategy."""
    folder = tmp_path_factory.mktemp("sweep")
    spec = SweepSpec.from_dict(
        {
            "name": "discover-test",
            "base": "full_support",
            "organisation": {"generate": {"size": 150}},
            "days": 40,
            "design": {"method": "lhs", "samples": 30},
            "replicates": 1,
            "seed": 5,
            "chunk_runs": 10,
            "parameters": {
                "interventions[0].community_managers": {"low": 0, "high": 4},
                "interventions[2].launch_day": {"low": 0, "high": 30},
                "rollout.strategy": {"values": ["grassroots", "hub_seeding"]},
            },
            "outcomes": ["sustained_wau", "cost"],
        }
    )
    with InProcessEvaluator() as evaluator:
        Sweep(spec).run(evaluator=evaluator, out=folder / "run", progress=False)
    return folder / "run"


@pytest.fixture
def esnsim(capsys, monkeypatch, tmp_path):
    return in_process(capsys, monkeypatch, tmp_path)


def test_the_box_reported_is_a_direct_count_of_the_runs(esnsim, sweep_dir, tmp_path):
    runs = pd.read_parquet(sweep_dir / "runs")
    level = float(np.median(runs["sustained_wau"]))
    out = tmp_path / "found"
    success = f"sustained_wau>={level:.6f}"
    done = esnsim("discover", str(sweep_dir), "--success", success, "--resamples", "10",
                  "--out", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert done.stdout.startswith(record["summary"].split(",")[0])
    box = pd.read_csv(out / "box.csv", keep_default_na=False)
    inside = np.ones(len(runs), dtype=bool)
    for _, row in box.iterrows():
        column = runs[row["parameter"]]
        if row["kind"] == "categorical":
            inside &= column.astype(str).isin(str(row["categories"]).split(", ")).to_numpy()
        else:
            inside &= ((column >= float(row["low"])) & (column <= float(row["high"]))).to_numpy()
    succeeded = (runs["sustained_wau"] >= float(f"{level:.6f}")).to_numpy()
    assert record["box"]["runs"] == inside.sum()
    assert record["box"]["density"] == pytest.approx(succeeded[inside].mean())
    assert record["box"]["coverage"] == pytest.approx(succeeded[inside].sum() / succeeded.sum())
    trajectory = pd.read_csv(out / "trajectory.csv")
    assert trajectory["coverage"].iloc[0] == 1.0 and trajectory["mass"].iloc[0] == 1.0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Conditions for success" in html and "data:image/png;base64" in html


def test_limit_phrases_read_as_plain_words():
    row = {"parameter": "interventions[2].launch_day", "kind": "number", "low": 0.0,
           "high": 60.0, "full_low": 0.0, "full_high": 180.0, "categories": ""}  # fmt: skip
    assert limit_phrase(pd.Series(row)) == "interventions[2].launch_day by day 60"
    row.update(parameter="managers", low=2.0, high=180.0)
    assert limit_phrase(pd.Series(row)) == "managers at least 2"
    row.update(kind="categorical", parameter="rollout.strategy", categories="a, b")
    assert limit_phrase(pd.Series(row)) == "rollout.strategy a or b"


def test_a_weak_limit_is_called_weak_in_the_sentence():
    """p 0.055 and back in 42 % of resamples: the sentence must not state it as firmly as one
    at p 0.001 found in every resample."""
    from types import SimpleNamespace

    from simulation.analysis.conditions import summary_sentence
    from simulation.metrics.targets import Target

    base = {"kind": "number", "high": 180.0, "full_low": 0.0, "full_high": 180.0, "categories": ""}
    limits = pd.DataFrame([{**base, "parameter": "managers", "low": 2.0, "p_value": 0.001,
                            "reappears": 1.0},
                           {**base, "parameter": "launch_day", "low": 4.0, "p_value": 0.055,
                            "reappears": 0.42}])  # fmt: skip
    result = SimpleNamespace(box=SimpleNamespace(density=0.8, coverage=0.6), base_density=0.5,
                             total=400, total_successes=200, limits=limits)  # fmt: skip
    text = summary_sentence(result, Target.parse("sustained_wau>=0.3"))
    assert "managers at least 2 and launch_day from day 4 (weak: p = 0.055, in 42% of" in text
    assert "managers at least 2 (weak" not in text


@pytest.mark.parametrize(
    ("success", "message"),
    [
        ("peak_wau>=0.3", "not an outcome of this sweep"),
        ("nonsense>=1", "not a per-run figure"),
        ("wau>=0.3@20", "no @DAY"),
    ],
)
def test_bad_success_is_one_line_exit_2(esnsim, sweep_dir, tmp_path, success, message):
    out = tmp_path / "out"
    done = esnsim("discover", str(sweep_dir), "--success", success, "--out", str(out))
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], done.stderr
    assert not out.exists()


def test_an_incomplete_or_missing_sweep_is_refused(esnsim, sweep_dir, tmp_path):
    partial = tmp_path / "partial"
    shutil.copytree(sweep_dir, partial)
    first = sorted((partial / "runs").glob("chunk-*.parquet"))[0]
    first.unlink()  # a chunk never written: the sweep stopped before it
    meta = json.loads((partial / "sweep.json").read_text(encoding="utf-8"))
    meta["progress"]["status"] = "running"
    (partial / "sweep.json").write_text(json.dumps(meta), encoding="utf-8")
    for folder, message in ((partial, "incomplete"), (tmp_path / "nowhere", "no such sweep")):
        out = tmp_path / "out"
        done = esnsim("discover", str(folder), "--success", "sustained_wau>=0.3",
                      "--out", str(out))  # fmt: skip
        assert done.returncode == 2, done.stderr
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and message in lines[0], done.stderr
        assert not out.exists()
