"""A list design's CSV of points: every bad cell is one line naming the CSV, its line and the
column (exit status 2, nothing written), and a point outside the range the sweep file declares
is refused."""

from __future__ import annotations

import pytest

from simulation.experiments.sweep import Sweep
from tests.test_sweep_hardening import cli, refused

SWEEP = """\
name: listed
base: full_support
organisation: {generate: {size: 60}}
days: 20
design: {method: list, file: pts.csv}
parameters:
  interventions[0].community_managers: MANAGERS
  adoption.threshold_mean: THRESHOLD
"""
RANGES = {"MANAGERS": "{low: 0, high: 4}", "THRESHOLD": "{low: 0.05, high: 0.5}"}
HEADER = "interventions[0].community_managers,adoption.threshold_mean\n"

CASES = {
    "not a number": ("1,0.2\n2,abc\n", "pts.csv:3: adoption.threshold_mean: not a number: 'abc'"),
    "blank whole number": (
        "1,0.2\n,0.3\n",
        "pts.csv:3: interventions[0].community_managers: empty cell",
    ),
    "blank decimal": ("1,0.2\n2,\n", "pts.csv:3: adoption.threshold_mean: empty cell"),
    "nan": ("1,nan\n", "pts.csv:2: adoption.threshold_mean: not a number: 'nan'"),
    "fraction in a whole-number field": (
        "1,0.2\n\n2.5,0.3\n",  # the blank line still counts: the error is on line 4
        "pts.csv:4: interventions[0].community_managers: not a whole number: '2.5'",
    ),
    "outside the declared range": (
        "1,0.7\n",
        "pts.csv:2: adoption.threshold_mean: 0.7 is outside the range the sweep file declares "
        "for it (0.05..0.5); widen its low..high, or give it as {} to take the file's values",
    ),
}


def write(folder, rows: str, **ranges: str):
    text = SWEEP
    for key, value in {**RANGES, **ranges}.items():
        text = text.replace(key, value)
    (folder / "s.yaml").write_text(text, encoding="utf-8")
    (folder / "pts.csv").write_text(HEADER + rows, encoding="utf-8")
    return folder / "s.yaml"


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_cell_is_one_line_naming_the_csv_line_and_column(capsys, tmp_path, case):
    rows, fragment = CASES[case]
    path = write(tmp_path, rows)
    line = refused(cli(capsys, "sweep", "check", path), f"{tmp_path / fragment}")
    assert "full_support" not in line
    out = tmp_path / "out"
    refused(cli(capsys, "sweep", path, "--out", out, "--workers", "1"), fragment)
    assert not out.exists()


def test_a_parameter_without_a_range_takes_the_files_values(tmp_path):
    path = write(tmp_path, "1,0.7\n3,0.9\n", THRESHOLD="{}")
    design = Sweep.load(path).design
    assert design.points["adoption.threshold_mean"].tolist() == [0.7, 0.9]
    assert design.points["interventions[0].community_managers"].tolist() == [1, 3]
    assert design.problem["bounds"][1] == [0.7, 0.9]
    write(tmp_path, "1,1.5\n", THRESHOLD="{}")  # the field's own range still holds
    with pytest.raises(ValueError, match=r"pts.csv:2: adoption.threshold_mean: 1.5 is not a"):
        Sweep.load(path)


def test_a_lists_cells_are_read_as_its_values(tmp_path):
    path = write(tmp_path, "3,0.2\n1.0,0.3\n", MANAGERS="{values: [1, 3]}")
    design = Sweep.load(path).design
    assert design.points["interventions[0].community_managers"].tolist() == [3, 1]
    write(tmp_path, "2,0.2\n", MANAGERS="{values: [1, 3]}")
    with pytest.raises(ValueError, match=r"pts.csv:2: interventions\[0\].community_managers: "):
        Sweep.load(path)
