"""The issue's timing: two plans, 30 replicates, 2,000 people, under 60 s on 2 cores."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, SCENARIOS


@pytest.mark.slow
def test_compare_two_plans_30_replicates_2000_people_in_under_60_s(tmp_path):
    plans = [str(SCENARIOS / "top_down_mandate.yaml"), str(SCENARIOS / "full_support.yaml")]
    clock = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "simulation.cli", "compare", *plans, "--replicates", "30"]
        + ["--org", "generate:size=2000", "--workers", "2", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    elapsed = time.perf_counter() - clock
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "out" / "report.html").exists()
    assert elapsed < 60, f"{elapsed:.1f} s"
