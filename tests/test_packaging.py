"""``pip install .`` into a fresh environment outside the repository ships the scenarios.

The fresh venv gets only esnsim itself (``--no-deps``); its dependencies are read from this
environment's site-packages through a ``.pth`` line, so nothing is downloaded but the build
backend (setuptools, from pip's cache after the first time).
"""

from __future__ import annotations

import os
import subprocess
import sysconfig
import venv
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(args, cwd, timeout=600):
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-3000:])
    return result.stdout


@pytest.mark.slow
def test_pip_install_then_run_a_shipped_scenario_by_name_from_elsewhere(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    site = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path
    )
    Path(site.strip(), "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", str(ROOT)], tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([python, "-c", "import simulation; print(simulation.__file__)"], elsewhere)
    assert Path(where.strip()).is_relative_to(env_dir), where  # the installed copy, not the repo
    esnsim = env_dir / "bin" / "esnsim"
    assert _run([esnsim, "--version"], elsewhere).strip() == "esnsim 0.1.0"
    listing = _run([esnsim, "scenario", "list"], elsewhere)
    shipped = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
    assert [line.split()[0] for line in listing.splitlines()[: len(shipped)]] == shipped
    assert "Grassroots seeding with facilitation" in listing  # full_support's description
    _run(
        [esnsim, "run", "grassroots", "--org", "generate:size=500", "--replicates", "2"]
        + ["--days", "60", "--out", "out", "--quiet"],
        elsewhere,
    )
    summary = pd.read_parquet(elsewhere / "out" / "summary.parquet")
    assert len(summary) == 2 and set(summary["scenario"]) == {"grassroots"}
    assert _run([python, "-m", "simulation", "--version"], elsewhere).strip() == "esnsim 0.1.0"
