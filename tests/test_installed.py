"""The installed command, as a user gets it: ``pip install .`` into a fresh environment, then the
``esnsim`` console script run from another folder.

The sweep's workers re-run the script that started them (``__mp_main__``); only a test through
the installed script sees what that does (it failed every chunk of ``esnsim sweep --workers 2``
once, while ``python -m simulation`` and in-process calls worked). The fresh venv gets only
esnsim itself (``--no-deps``); its dependencies are read from this environment's site-packages
through a ``.pth`` line, so nothing is downloaded but the build backend (from pip's cache after
the first time).
"""

from __future__ import annotations

import os
import subprocess
import sysconfig
import textwrap
import venv
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]

#: a sweep small enough for the suite, its base a shipped scenario named, not a path
SWEEP = """\
name: installed
base: grassroots
organisation: {generate: {size: 200}}
days: 40
design: {method: grid}
replicates: 2
seed: 5
chunk_runs: 2
parameters:
  adoption.threshold_mean: {values: [0.15, 0.25, 0.35]}
  habit.decay: {values: [0.02, 0.04]}
outcomes: [sustained_wau, peak_wau, cost]
"""


def _run(args, cwd, timeout=600, check=True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["CI"] = "true"
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env
    )
    if check:
        assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-3000:])
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """``(bin folder, a working folder outside the repository)`` of a fresh install."""
    base = tmp_path_factory.mktemp("installed")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base)
    Path(site.stdout.strip(), "dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n"
    )
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", str(ROOT)], base)
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "small.yaml").write_text(SWEEP, encoding="utf-8")
    return env_dir / "bin", elsewhere


@pytest.mark.slow
def test_pip_install_then_run_and_compare_shipped_scenarios_by_name_from_elsewhere(installed):
    bin_dir, elsewhere = installed
    python, esnsim = bin_dir / "python", bin_dir / "esnsim"
    where = _run([python, "-c", "import simulation; print(simulation.__file__)"], elsewhere)
    assert Path(where.stdout.strip()).is_relative_to(bin_dir.parent)  # the installed copy
    assert _run([esnsim, "--version"], elsewhere).stdout.strip() == "esnsim 0.1.0"
    listing = _run([esnsim, "scenario", "list"], elsewhere).stdout
    shipped = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
    assert [line.split()[0] for line in listing.splitlines()[: len(shipped)]] == shipped
    assert "Grassroots seeding with facilitation" in listing  # full_support's description
    small = ["--org", "generate:size=300", "--replicates", "2", "--days", "60", "--quiet"]
    _run([esnsim, "run", "grassroots", *small, "--out", "run"], elsewhere)
    summary = pd.read_parquet(elsewhere / "run" / "summary.parquet")
    assert len(summary) == 2 and set(summary["scenario"]) == {"grassroots"}
    _run([esnsim, "compare", "top_down_mandate", "grassroots", *small, "--out", "cmp"], elsewhere)
    assert (elsewhere / "cmp" / "report.html").stat().st_size > 10_000
    compared = pd.read_parquet(elsewhere / "cmp" / "summary.parquet")
    assert set(compared["scenario"]) == {"top_down_mandate", "grassroots"}
    assert _run([python, "-m", "simulation", "--version"], elsewhere).stdout.strip() == (
        "esnsim 0.1.0"
    )


def _runs(folder: Path) -> pd.DataFrame:
    return pd.read_parquet(folder / "runs").sort_values("run").reset_index(drop=True)


@pytest.mark.slow
def test_the_installed_sweep_gives_the_same_runs_on_one_two_workers_and_dask(installed):
    bin_dir, elsewhere = installed
    esnsim = bin_dir / "esnsim"
    ways = {
        "one": [esnsim, "sweep", "small.yaml", "--workers", "1"],
        "two": [esnsim, "sweep", "small.yaml", "--workers", "2"],
        "cores": [esnsim, "sweep", "small.yaml"],  # the default: one worker per core
        "dask": [esnsim, "sweep", "small.yaml", "--scheduler", "local", "--workers", "2"],
        "module": [bin_dir / "python", "-m", "simulation", "sweep", "small.yaml", "--workers", "2"],
    }
    for name, command in ways.items():
        result = _run([*command, "--out", f"sweep-{name}", "--quiet"], elsewhere, timeout=300)
        assert "failed" not in result.stderr, (name, result.stderr[-3000:])
    reference = _runs(elsewhere / "sweep-one")
    assert len(reference) == 12 and reference["sustained_wau"].notna().all()
    for name in ways:
        pd.testing.assert_frame_equal(_runs(elsewhere / f"sweep-{name}"), reference, obj=name)
    status = _run([esnsim, "sweep", "status", "sweep-two"], elsewhere).stdout
    assert "12 / 12 runs done" in status and "complete" in status


@pytest.mark.slow
def test_a_script_of_the_installed_package_runs_a_sweep_under_its_main_guard(installed):
    bin_dir, elsewhere = installed
    script = elsewhere / "guarded.py"
    script.write_text(
        textwrap.dedent(
            """\
            import simulation as esn
            from simulation.experiments.sweep import PoolEvaluator

            if __name__ == "__main__":
                with PoolEvaluator(workers=2) as pool:
                    result = esn.Sweep.load("small.yaml").run(
                        evaluator=pool, out="sweep-script", progress=False
                    )
                print(result.progress["done_runs"])
            """
        ),
        encoding="utf-8",
    )
    assert _run([bin_dir / "python", script], elsewhere).stdout.strip() == "12"
    runs = _runs(elsewhere / "sweep-script")
    assert len(runs) == 12 and runs["sustained_wau"].notna().all()
    # without the guard: one line naming the script's line, before anything is written
    unguarded = elsewhere / "unguarded.py"
    text = script.read_text().replace('if __name__ == "__main__":', "if True:")
    unguarded.write_text(text.replace("sweep-script", "sweep-unguarded"))
    result = _run([bin_dir / "python", unguarded], elsewhere, check=False)
    assert result.returncode == 1
    assert f"{unguarded}:5: starting worker processes from a script" in result.stderr
    assert not (elsewhere / "sweep-unguarded").exists()
