"""The last of the first hostile battery and a budget of the second: a file that cannot be
written names the folder given, not the staging file's name, and exits 2; sensitivity refuses a
resample count it could not hold before reading anything."""

from __future__ import annotations

import pytest

from simulation.cli.main import main
from tests.sweep_files import write_sweep


@pytest.mark.parametrize(
    "words",
    [["org", "generate", "size=50", "--out"], ["scenario", "schema", "--out"]],
    ids=["org-generate", "scenario-schema"],
)
def test_an_out_file_that_cannot_be_written_is_one_line(words, capsys):
    assert main([*words, "/proc/x.out"]) == 2
    err = capsys.readouterr().err.strip()
    assert (
        err == "esnsim: error: --out /proc/x.out: cannot write in /proc (No such file or directory)"
    )
    assert "partial" not in err


def test_sensitivity_refuses_a_billion_resamples_before_reading(tmp_path, capsys):
    out = tmp_path / "out"
    sweep = write_sweep(tmp_path)
    assert main(["sensitivity", str(sweep), "--resamples", "1000000000", "--out", str(out)]) == 2
    assert capsys.readouterr().err.strip() == (
        "esnsim: error: --resamples: must be from 10 to 100,000, got 1,000,000,000"
    )
    assert not out.exists()
