"""Running sweeps: the same runs whatever the workers or chunking, kill and resume, failures
retried, one file per chunk as it completes (memory flat in the number of runs)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

from simulation.cli.main import main
from simulation.experiments import forkserver
from simulation.experiments.sweep import InProcessEvaluator, PoolEvaluator, Sweep
from simulation.experiments.sweep.evaluators import Evaluator
from simulation.experiments.sweep.store import Store
from tests.conftest import ROOT, SCENARIOS
from tests.dying import die_on_three, double_with_pid, preloaded
from tests.sweep_files import SMALL, write_sweep


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The small sweep run in process, uninterrupted."""
    folder = tmp_path_factory.mktemp("reference")
    path = write_sweep(folder)
    result = Sweep.load(path).run(InProcessEvaluator(), out=folder / "out", progress=False)
    assert result.complete
    return result.runs


def test_runs_have_the_contract_columns(reference):
    parameters = [
        "interventions[0].community_managers",
        "adoption.threshold_mean",
        "rollout.strategy",
    ]
    outcomes = ["sustained_wau", "peak_wau", "registered_final"]
    assert list(reference.columns) == ["run", "point", "replicate", "seed", *parameters, *outcomes]
    assert reference["run"].tolist() == list(range(12))
    assert (reference["point"] == reference["run"] // 2).all()
    assert (reference["replicate"] == reference["run"] % 2).all()
    assert reference["seed"].nunique() == 12
    assert reference["sustained_wau"].between(0, 1).all()
    assert reference["peak_wau"].gt(0).all()
    # points differ, so outcomes differ: the parameters reached the model
    assert reference["peak_wau"].nunique() > 6


def test_same_runs_with_one_or_two_workers(tmp_path, reference):
    path = write_sweep(tmp_path)
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        assert (
            main(["sweep", str(path), "--workers", str(workers), "--out", str(out), "--quiet"]) == 0
        )
        pd.testing.assert_frame_equal(Store(out).runs(), reference)


def test_same_runs_whatever_the_chunking(tmp_path, reference):
    body = SMALL.replace("chunk_runs: 2", "chunk_runs: 6")
    result = Sweep.load(write_sweep(tmp_path, body)).run(
        InProcessEvaluator(), out=tmp_path / "out", progress=False
    )
    assert len(list((tmp_path / "out" / "runs").glob("chunk-*.parquet"))) == 2
    pd.testing.assert_frame_equal(result.runs, reference)


class Spy(Evaluator):
    """In process; records what the store holds when each chunk starts."""

    def __init__(self, store: Store):
        self.store, self.seen = store, []

    def evaluate(self, fn, chunks):
        for chunk in chunks:
            self.seen.append(len(self.store.completed()))
            yield chunk, fn(chunk)


def test_each_chunk_is_stored_as_it_completes(tmp_path, monkeypatch):
    written = []
    original = Store.write_chunk

    def spy(self, index, runs, daily):
        written.append((index, len(runs)))
        return original(self, index, runs, daily)

    monkeypatch.setattr(Store, "write_chunk", spy)
    out = tmp_path / "out"
    evaluator = Spy(Store(out))
    Sweep.load(write_sweep(tmp_path)).run(evaluator, out=out, progress=False)
    # one write per chunk of its own rows only, and chunk k's file is on disk before chunk k+1
    assert written == [(k, 2) for k in range(6)]
    assert evaluator.seen == list(range(6))
    assert len(list((out / "runs").iterdir())) == 6


class FailingOnce(Evaluator):
    """In process; chunks in ``fail`` raise ``times`` times."""

    def __init__(self, fail, times):
        self.fail, self.left = set(fail), {k: times for k in fail}

    def evaluate(self, fn, chunks):
        for chunk in chunks:
            if chunk.index in self.fail and self.left[chunk.index] > 0:
                self.left[chunk.index] -= 1
                yield chunk, RuntimeError(f"boom in chunk {chunk.index}")
            else:
                yield chunk, fn(chunk)


def test_a_failed_chunk_is_retried_once_and_the_sweep_goes_on(tmp_path, reference, capsys):
    path = write_sweep(tmp_path)
    out = tmp_path / "out"
    result = Sweep.load(path).run(FailingOnce([1], times=1), out=out, progress=False)
    assert result.complete and result.failed == []
    pd.testing.assert_frame_equal(result.runs, reference)

    out2 = tmp_path / "out2"
    result = Sweep.load(path).run(FailingOnce([2, 4], times=2), out=out2, progress=False)
    assert not result.complete
    assert [f["chunk"] for f in result.failed] == [2, 4]
    assert result.failed[0]["runs"] == [4, 5] and "boom in chunk 2" in result.failed[0]["error"]
    assert len(result.runs) == 8
    assert main(["sweep", "status", str(out2)]) == 0
    text = capsys.readouterr().out
    assert "8 / 12 runs done (4 / 6 chunks); incomplete" in text
    assert "RuntimeError: boom in chunk 4" in text
    result = Sweep.load(path).run(InProcessEvaluator(), out=out2, resume=True, progress=False)
    assert result.complete and result.failed == []
    pd.testing.assert_frame_equal(result.runs, reference)


def test_a_sweep_whose_every_chunk_failed_does_not_say_nothing_to_run(
    tmp_path, capsys, monkeypatch
):
    from simulation.cli import sweep as cli_sweep

    path = write_sweep(tmp_path)
    out = tmp_path / "out"
    monkeypatch.setattr(cli_sweep, "_evaluator", lambda args: FailingOnce(range(6), times=2))
    assert main(["sweep", str(path), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "nothing to run" not in captured.out
    assert "0 / 12 runs done" in captured.out
    assert "6 chunk(s) failed twice" in captured.err
    monkeypatch.undo()
    assert main(["sweep", str(path), "--out", str(out), "--resume", "--workers", "1"]) == 0
    assert "12 / 12 runs done" in capsys.readouterr().out
    assert main(["sweep", str(path), "--out", str(out), "--resume", "--workers", "1"]) == 0
    assert "nothing to run (12 runs done)" in capsys.readouterr().out


def test_a_sweep_base_may_name_a_shipped_scenario(tmp_path, capsys):
    text = SMALL.replace("base: {base}", "base: full_support")
    by_name = Sweep.load(write_sweep(tmp_path, text, "by_name.yaml"))
    by_path = Sweep.load(write_sweep(tmp_path))
    assert by_name.spec.base_path() == by_path.spec.base_path()
    assert by_name.spec.base_mapping() == by_path.spec.base_mapping()
    wrong = write_sweep(tmp_path, SMALL.replace("base: {base}", "base: ful_support"), "bad.yaml")
    assert main(["sweep", "check", str(wrong), "--no-probe"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"esnsim: error: {wrong}: base: ful_support: no such file")
    assert "did you mean 'full_support'" in err and "\n" not in err


def test_a_folder_with_another_sweep_is_refused(tmp_path, capsys):
    path = write_sweep(tmp_path)
    out = tmp_path / "out"
    Sweep.load(path).run(InProcessEvaluator(), out=out, progress=False)
    other = write_sweep(tmp_path, SMALL.replace("seed: 4", "seed: 5"), name="other.yaml")
    assert main(["sweep", str(other), "--out", str(out), "--resume"]) == 2
    assert "holds a different sweep" in capsys.readouterr().err
    assert main(["sweep", str(path), "--out", str(out)]) == 2
    assert "--resume" in capsys.readouterr().err
    # the same sweep file on an edited base scenario is another sweep too
    base = tmp_path / "base.yaml"
    base.write_text((SCENARIOS / "full_support.yaml").read_text(), encoding="utf-8")
    own = write_sweep(tmp_path, SMALL.replace("{base}", str(base)), name="own_base.yaml")
    Sweep.load(own).run(InProcessEvaluator(), out=tmp_path / "own", progress=False)
    assert main(["sweep", str(own), "--out", str(tmp_path / "own"), "--resume", "--quiet"]) == 0
    text = base.read_text()
    assert "introductions_per_day: 15" in text
    base.write_text(text.replace("introductions_per_day: 15", "introductions_per_day: 20"))
    assert main(["sweep", str(own), "--out", str(tmp_path / "own"), "--resume"]) == 2
    assert "its base scenario or its points changed" in capsys.readouterr().err


def test_pool_survives_a_dead_worker():
    with PoolEvaluator(workers=2, share_parent=False) as pool:
        outcomes = dict(pool.evaluate(die_on_three, range(8)))
    assert isinstance(outcomes[3], BaseException)
    for x in range(8):
        if not isinstance(outcomes[x], BaseException):
            assert outcomes[x] == 2 * x
    with PoolEvaluator(workers=2) as pool:  # the failed ones succeed when run again
        retried = dict(pool.evaluate(die_on_three, [x for x in range(8) if x != 3]))
    assert all(retried[x] == 2 * x for x in retried)


def test_this_process_covers_the_workers_start_up_then_leaves_the_work_to_them(monkeypatch):
    monkeypatch.setenv("ESNSIM_START_METHOD", "spawn")  # spawned workers take seconds to start
    with PoolEvaluator(workers=2) as pool:
        outcomes = list(pool.evaluate(double_with_pid, range(400)))
    assert sorted(x for x, _ in outcomes) == list(range(400)), "every chunk exactly once"
    assert all(value == 2 * x for x, (value, _) in outcomes)
    pids = [pid for _, (_, pid) in outcomes]
    assert pids[0] == os.getpid(), "this process starts at once"
    first_worker = next(k for k, pid in enumerate(pids) if pid != os.getpid())
    assert os.getpid() not in pids[first_worker:], "no chunk here after the workers' first"
    # two workers (one may still be starting while the other does every trivial chunk)
    assert 2 <= len(set(pids)) <= 3


def test_forked_workers_start_warm_and_this_process_leaves_them_the_work():
    """Linux: the workers are forks of a server that imported the sweep's modules (and ran a
    tiny model) once; they start at once, so this process runs no chunk itself by default."""
    if not forkserver.available():
        pytest.skip("workers are forked from a server on Linux only")
    with PoolEvaluator(workers=2) as pool:
        outcomes = list(pool.evaluate(preloaded, range(40)))
    assert sorted(x for x, _ in outcomes) == list(range(40)), "every chunk exactly once"
    assert all(value == 2 * x and warm for x, (value, warm, _) in outcomes)
    assert os.getpid() not in {pid for _, (_, _, pid) in outcomes}, "nothing ran here"


def test_the_fork_server_starts_early_only_for_a_sweep_on_several_cores(monkeypatch):
    from simulation.cli.sweep import start_workers

    calls: list[int] = []
    monkeypatch.setattr(forkserver, "start", lambda dask=False: calls.append(1 + dask))
    monkeypatch.setattr(forkserver, "cores", lambda: 2)
    cases = {
        ("s.yaml",): 1,
        ("--workers", "3", "s.yaml", "--quiet"): 1,
        ("s.yaml", "--workers", "1"): 0,
        ("--workers", "1", "s.yaml"): 0,
        ("s.yaml", "--scheduler", "local"): 2,  # a local Dask cluster's workers fork from it
        ("s.yaml", "--scheduler", "tcp://127.0.0.1:8786"): 0,
        ("check", "s.yaml"): 0,
        ("status", "out"): 0,
        ("s.yaml", "--help"): 0,
        ("--workers", "2"): 0,  # no file: a usage error to come
        ("s.yaml", "--workers", "two"): 0,  # left to the parser's one-line error
        (): 0,
    }
    for words, expected in cases.items():
        calls.clear()
        start_workers(list(words))
        assert sum(calls) == expected, words


def test_workers_are_replaced_after_their_share_of_chunks():
    with PoolEvaluator(workers=2, share_parent=False, recycle_after=5) as pool:
        outcomes = list(pool.evaluate(double_with_pid, range(40)))
    assert sorted(x for x, _ in outcomes) == list(range(40)), "every chunk exactly once"
    assert all(value == 2 * x for x, (value, _) in outcomes)
    # 40 chunks, 10 per generation of two workers: four generations, each of new processes
    # (one of a generation may do all of its trivial chunks while the other starts)
    assert len({pid for _, (_, pid) in outcomes}) >= 4


@pytest.mark.slow
def test_kill_and_resume_gives_the_uninterrupted_result(tmp_path, reference, capsys):
    body = SMALL.replace("samples: 6", "samples: 30")
    path = write_sweep(tmp_path, body)
    whole = Sweep.load(path).run(InProcessEvaluator(), out=tmp_path / "whole", progress=False)
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "simulation.cli.main",
        "sweep",
        str(path),
        "--workers",
        "1",
        "--out",
        str(out),
        "--quiet",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    store = Store(out)
    deadline = time.monotonic() + 120
    while len(store.completed()) < 3 and time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the sweep and its worker process
    process.wait()
    done = store.completed()
    assert 3 <= len(done) < 30, "killed part-way"
    # the owner's process is gone: interrupted at once, not "running ... left"
    assert main(["sweep", "status", str(out)]) == 0
    assert f"interrupted (its process {process.pid} ended" in capsys.readouterr().out
    meta = json.loads((out / "sweep.json").read_text())
    meta["progress"]["owner"]["host"] = "another-host"  # elsewhere: told by the progress's age
    meta["progress"]["updated"] = "2026-01-01T00:00:00+00:00"  # long ago: nobody is running it
    (out / "sweep.json").write_text(json.dumps(meta))
    assert main(["sweep", "status", str(out)]) == 0
    assert "interrupted (no progress since 2026-01-01" in capsys.readouterr().out
    partial = store.runs()
    assert partial["run"].is_unique
    pd.testing.assert_frame_equal(
        partial, whole.runs[whole.runs["run"].isin(partial["run"])].reset_index(drop=True)
    )
    assert (
        main(["sweep", str(path), "--workers", "1", "--out", str(out), "--resume", "--quiet"]) == 0
    )
    resumed = store.runs()
    assert resumed["run"].is_unique
    pd.testing.assert_frame_equal(resumed, whole.runs)
    assert not list(out.rglob(".*.tmp")), "no temporary file is left"


def test_a_run_is_its_point_and_seed_run_alone(tmp_path):
    """Run 5 (point 2, replicate 1), re-run by hand from its parameters and seed alone."""
    from simulation.experiments.runner import run_batch
    from simulation.experiments.sweep.paths import apply
    from simulation.org import Organisation

    body = SMALL.replace(
        "outcomes:", "daily: {columns: [wau, registered], days: [0, 30, 59]}\noutcomes:"
    )
    sweep = Sweep.load(write_sweep(tmp_path, body))
    result = sweep.run(InProcessEvaluator(), out=tmp_path / "out", progress=False)
    daily = result.daily
    assert list(daily.columns) == ["run", "point", "day", "wau", "registered"]
    assert len(daily) == 12 * 3 and set(daily["day"]) == {0, 30, 59}
    row = result.runs.iloc[5]
    names = sweep.design.names
    scenario = apply(sweep.spec.base_mapping(), {n: row[n] for n in names})
    alone = run_batch(Organisation.generate(300, seed=0), scenario, [int(row["seed"])])
    assert alone.summary["peak_wau"].iloc[0] == row["peak_wau"]
    wau = alone.daily.set_index("day")["wau"]
    mine = daily[daily["run"] == 5].set_index("day")["wau"]
    assert (mine == wau.loc[[0, 30, 59]]).all()


def test_check_counts_runs_and_estimates_time(tmp_path, capsys):
    path = write_sweep(tmp_path)
    assert main(["sweep", "check", str(path), "--workers", "2"]) == 0
    text = capsys.readouterr().out
    assert "6 points x 2 replicates = 12 runs in 6 chunks" in text
    assert "estimate: about" in text and "on 2 worker(s) on idle cores" in text
    assert "start-up about" in text  # imports and kernels: what a sweep pays before its runs
    assert main(["sweep", "status", str(tmp_path / "nowhere")]) == 2


def test_the_organisation_is_built_once_per_process(tmp_path, monkeypatch):
    import simulation.org
    from simulation.experiments.sweep import chunks

    built = []
    original = simulation.org.org_from_config

    def counting(config, **kwargs):
        built.append(config)
        return original(config, **kwargs)

    monkeypatch.setattr(simulation.org, "org_from_config", counting)
    monkeypatch.setattr(chunks, "_ORGS", type(chunks._ORGS)())
    Sweep.load(write_sweep(tmp_path)).run(InProcessEvaluator(), out=tmp_path / "a", progress=False)
    assert built == [{"generate": {"size": 300}}], "6 chunks, 12 runs, one organisation"
    body = SMALL.replace(
        "rollout.strategy: {values: [grassroots, hub_seeding]}",
        "organisation.size: {values: [200, 250]}",
    )
    result = Sweep.load(write_sweep(tmp_path, body)).run(
        InProcessEvaluator(), out=tmp_path / "b", progress=False
    )
    assert sorted(c["generate"]["size"] for c in built[1:]) == [200, 250]
    assert set(result.runs["organisation.size"]) == {200, 250}


def test_readers_ignore_files_without_their_final_name(tmp_path, reference):
    path = write_sweep(tmp_path)
    out = tmp_path / "out"
    Sweep.load(path).run(InProcessEvaluator(), out=out, progress=False)
    runs = out / "runs"
    (runs / "chunk-000002.parquet").rename(runs / ".chunk-000002.parquet.x1.tmp")
    (runs / ".chunk-000003.parquet.x2.tmp").write_bytes(b"PAR1 half a file")
    (runs / "chunk-000007.parquet.partial").write_bytes(b"PAR1")
    store = Store(out)
    assert store.completed() == {0, 1, 3, 4, 5}
    assert len(store.runs()) == 10 and store.runs()["run"].is_unique
    result = Sweep.load(path).run(InProcessEvaluator(), out=out, resume=True, progress=False)
    pd.testing.assert_frame_equal(result.runs, reference)
    assert not list(runs.glob(".*.tmp")), "a resume removes what a killed sweep left"
