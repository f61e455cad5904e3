"""Faults: Ctrl-C and SIGKILL during run and compare, a closed pipe, a full disk.

Each interrupted command leaves no result folder and no process behind (within 5 s), and a rerun
gives the same numbers as an uninterrupted run. Small runs (400 people, 90 days) in processes of
their own session, so the whole process group (workers, resource tracker) can be watched.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from simulation.cli.guard import EXIT_INTERRUPTED, guarded
from simulation.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SMALL = ["--org", "generate:size=400", "--days", "90", "--batch-size", "1", "--workers", "2"]


def command(*args: str) -> list[str]:
    # the documented entry (simulation.entry): its Ctrl-C handler comes before the heavy imports
    return [sys.executable, "-m", "simulation", *args]


def group_members(pgid: int) -> list[int]:
    """Live (not zombie) processes of process group ``pgid``, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.append(int(entry.name))
    return found


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        command(*args),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: a terminal's Ctrl-C reaches all of it
    )


def wait_for_workers(proc: subprocess.Popen, count: int, timeout: float = 60) -> None:
    """Until ``count`` processes besides the parent are in its group (workers started)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(group_members(proc.pid)) >= count + 1:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError("workers did not start")


def assert_group_gone(pgid: int, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = group_members(pgid)
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not left, f"processes left after {within} s: {left}"


def assert_interrupted(proc: subprocess.Popen) -> None:
    """The command ended on the interrupt: one line, status 130, no process of it left."""
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert stderr.strip() == "esnsim: interrupted", stderr
    assert_group_gone(proc.pid)


def no_results(out: Path) -> None:
    assert not out.exists()
    assert not [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")]


COMPARE = [
    "compare",
    str(SCENARIOS / "grassroots.yaml"),
    str(SCENARIOS / "all_staff_announcement.yaml"),
    "--replicates",
    "6",
    "--quiet",
    *SMALL,
]
RUN = ["run", str(SCENARIOS / "grassroots.yaml"), "--replicates", "6", "--quiet", *SMALL]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Uninterrupted outputs of the compare and run commands."""
    base = tmp_path_factory.mktemp("reference")
    for name, args in (("compare", COMPARE), ("run", RUN)):
        done = subprocess.run(command(*args, "--out", str(base / name)), cwd=ROOT, check=False)
        assert done.returncode == 0
    return base


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["compare", "run"])
def test_ctrl_c_ends_everything_with_one_line_then_a_rerun_matches(tmp_path, reference, kind):
    args = COMPARE if kind == "compare" else RUN
    out = tmp_path / "out"
    proc = start([*args, "--out", str(out)])
    wait_for_workers(proc, 2)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does
    assert_interrupted(proc)
    no_results(out)
    rerun = subprocess.run(command(*args, "--out", str(out)), cwd=ROOT, check=False)
    assert rerun.returncode == 0
    for table in ("daily.parquet", "summary.parquet"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(out / table), pd.read_parquet(reference / kind / table)
        )


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["compare", "run"])
def test_sigkill_of_the_parent_ends_its_workers(tmp_path, reference, kind):
    args = COMPARE if kind == "compare" else RUN
    out = tmp_path / "out"
    proc = start([*args, "--out", str(out)])
    wait_for_workers(proc, 2)
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert_group_gone(proc.pid)
    no_results(out)
    rerun = subprocess.run(command(*args, "--out", str(out)), cwd=ROOT, check=False)
    assert rerun.returncode == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "daily.parquet"),
        pd.read_parquet(reference / kind / "daily.parquet"),
    )


def test_ctrl_c_while_starting_is_one_line(tmp_path):
    # the interrupt lands during the imports or the organisation's generation
    proc = start(["run", str(SCENARIOS / "grassroots.yaml"), "--out", str(tmp_path / "out")])
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert stderr.strip() == "esnsim: interrupted"
    no_results(tmp_path / "out")


def test_an_interrupt_inside_an_import_is_an_interrupt(capsys):
    # Ctrl-C while a C extension initialises (scipy's, in the first second of a command)
    # surfaces as "ImportError: initialization failed" raised from the KeyboardInterrupt
    def importing():
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise ImportError("initialization failed") from exc

    assert guarded(importing) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "esnsim: interrupted\n"


def test_an_import_error_of_its_own_is_still_a_bug():
    def broken():
        raise ImportError("no module named nowhere")

    with pytest.raises(ImportError):
        guarded(broken)


def test_closed_pipe_ends_quietly():
    proc = subprocess.Popen(
        command("org", "inspect", "generate:size=300"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert stderr == ""
    assert proc.returncode == 0


def test_full_disk_is_one_line_and_leaves_nothing(tmp_path, monkeypatch, capsys):
    def full(frame):
        def write(path):
            path.write_bytes(b"PAR1")  # a partial file, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

        return write

    monkeypatch.setattr("simulation.experiments.sim.write_parquet", full)
    out = tmp_path / "out"
    code = main(
        ["run", str(SCENARIOS / "grassroots.yaml"), "--org", "generate:size=200"]
        + ["--days", "20", "--replicates", "2", "--quiet", "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "No space left on device" in err, err
    no_results(out)


def test_full_disk_keeps_the_earlier_results(tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    args = ["run", str(SCENARIOS / "grassroots.yaml"), "--org", "generate:size=200"]
    args += ["--days", "20", "--replicates", "2", "--quiet", "--out", str(out)]
    assert main(args) == 0
    before = sorted(p.name for p in out.iterdir())
    daily = (out / "daily.parquet").read_bytes()

    def full(frame):
        def write(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

        return write

    monkeypatch.setattr("simulation.experiments.sim.write_parquet", full)
    assert main(args) == 1
    assert sorted(p.name for p in out.iterdir()) == before
    assert (out / "daily.parquet").read_bytes() == daily
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_real_full_disk(tmp_path, capsys):
    """A 1 MB tmpfs (needs root and mount; skipped otherwise)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        (disk / "filler").write_bytes(b"\0" * 1_030_000)
        out = disk / "out"
        code = main(
            ["run", str(SCENARIOS / "grassroots.yaml"), "--org", "generate:size=300"]
            + ["--days", "120", "--replicates", "4", "--quiet", "--out", str(out)]
        )
        err = capsys.readouterr().err
        assert code == 1, err
        assert err.count("\n") == 1 and "No space left on device" in err, err
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


@pytest.mark.slow
def test_sigterm_of_the_parent_alone_is_one_line(tmp_path):
    """SIGTERM (``timeout``, a scheduler) reaches the parent only: it ends its workers itself."""
    out = tmp_path / "out"
    proc = start([*COMPARE, "--out", str(out)])
    wait_for_workers(proc, 2)
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGTERM)
    assert_interrupted(proc)
    no_results(out)


@pytest.mark.slow
def test_sigterm_while_workers_start_is_one_line(tmp_path):
    """The signal lands while the pool is still starting its workers (none left half-started)."""
    out = tmp_path / "out"
    args = ["run", str(SCENARIOS / "grassroots.yaml"), "--org", "generate:size=100"]
    args += ["--days", "30", "--replicates", "20", "--batch-size", "1", "--workers", "4"]
    proc = start([*args, "--quiet", "--out", str(out)])
    wait_for_workers(proc, 1)  # the first process of the pool has appeared
    os.kill(proc.pid, signal.SIGTERM)
    assert_interrupted(proc)
    no_results(out)


@pytest.mark.slow
@pytest.mark.parametrize("after", [3, 12])
def test_ctrl_c_during_a_sweep_then_resume_matches(tmp_path, after):
    """Ctrl-C while the pool's worker starts (after 3 chunks) or runs chunks (after 12): one
    line, 130, no process left; --resume then gives exactly the uninterrupted sweep's runs."""
    from simulation.experiments.sweep import InProcessEvaluator, Sweep
    from simulation.experiments.sweep.store import Store
    from tests.sweep_files import SMALL as SWEEP
    from tests.sweep_files import write_sweep

    # 240 days a run: the sweep lasts several seconds, so that a test process slowed by a busy
    # machine still signals it part-way (at 60 days it could finish before the signal)
    text = SWEEP.replace("samples: 6", "samples: 30").replace("days: 60", "days: 240")
    path = write_sweep(tmp_path, text)
    whole = Sweep.load(path).run(InProcessEvaluator(), out=tmp_path / "whole", progress=False)
    out = tmp_path / "out"
    proc = start(["sweep", str(path), "--workers", "2", "--out", str(out), "--quiet"])
    store = Store(out)
    deadline = time.monotonic() + 120
    while len(store.completed()) < after and time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)
    assert_interrupted(proc)
    assert after <= len(store.completed()) < 30, "interrupted part-way"
    resumed = subprocess.run(
        command("sweep", str(path), "--workers", "2", "--out", str(out), "--resume", "--quiet"),
        cwd=ROOT,
        check=False,
    )
    assert resumed.returncode == 0
    runs = store.runs()
    assert runs["run"].is_unique
    pd.testing.assert_frame_equal(runs, whole.runs)
    assert not list(out.rglob(".*.tmp")), "no temporary file is left"


@pytest.mark.slow
def test_sigkill_of_a_sweep_alone_ends_its_workers_and_their_fork_server(tmp_path):
    """The command SIGKILLed mid-sweep, not its group: the workers (forked by the fork
    server, not by the command) and the server end within seconds, on their own."""
    from simulation.experiments import forkserver
    from simulation.experiments.sweep.store import Store
    from tests.sweep_files import SMALL as SWEEP
    from tests.sweep_files import write_sweep

    text = SWEEP.replace("samples: 6", "samples: 30").replace("days: 60", "days: 240")
    path = write_sweep(tmp_path, text)
    out = tmp_path / "out"
    proc = start(["sweep", str(path), "--workers", "2", "--out", str(out), "--quiet"])
    store = Store(out)
    deadline = time.monotonic() + 120
    while len(store.completed()) < 3 and time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    # the command, its workers and (on Linux) the fork server
    assert len(group_members(proc.pid)) >= 3 + forkserver.available()
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert_group_gone(proc.pid)
    assert len(store.completed()) < 30, "killed part-way"


def test_a_ctrl_c_swallowed_by_a_finaliser_is_delivered_again(capsys):
    # a KeyboardInterrupt inside __del__ (or a ctypes callback) is only "ignored" by Python;
    # the command still ends on it, with one line
    class Finaliser:
        def __del__(self):
            raise KeyboardInterrupt

    def work():
        Finaliser()  # dropped at once: its __del__ raises into the unraisable hook
        time.sleep(5)
        return 0

    assert guarded(work) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "esnsim: interrupted\n"


def test_a_ctrl_c_a_library_swallows_still_ends_the_command(capsys):
    # a library that catches what the interrupt became (an optional import's ImportError, an
    # except clause meant for a chunk's failure) does not make the command end normally
    def work():
        try:
            signal.raise_signal(signal.SIGINT)
        except BaseException:  # noqa: BLE001 - what a careless library does
            pass
        return 0

    assert guarded(work) == EXIT_INTERRUPTED
    assert capsys.readouterr().err == "esnsim: interrupted\n"


def test_an_interrupt_before_a_mark_does_not_stop_what_starts_after_it():
    from simulation.base import interrupts

    before = interrupts.Mark()
    interrupts.request()  # an earlier sweep in the same notebook was interrupted
    after = interrupts.Mark()
    assert before.arrived() and not after.arrived()
    after.check()  # nothing to raise
    with pytest.raises(KeyboardInterrupt):
        before.check()
