"""Level columns as exports write them, and what ``org inspect`` says about the tree's depth."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from simulation.org import Organisation
from simulation.org.inspect import format_description

#: a chain 1 <- 2 <- 3 <- 4 and a second report 5 under 1: a tree 4 levels deep
TREE = [("1", ""), ("2", "1"), ("3", "2"), ("4", "3"), ("5", "1")]


def read_levels(tmp_path: Path, levels: list[str]) -> tuple[Organisation, list[str]]:
    rows = [f"{e},{m},{lv}" for (e, m), lv in zip(TREE, levels, strict=True)]
    path = tmp_path / "hr.csv"
    path.write_text("\n".join(["employee_id,manager_id,level", *rows]) + "\n", encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        org = Organisation.from_hr_csv(path)
    return org, [str(w.message) for w in caught]


def line_of(text: str, label: str) -> str:
    return next(ln for ln in text.splitlines() if ln.startswith(label))[len(label) :].strip()


def test_inspect_shows_the_trees_depth_and_the_grades_apart(tmp_path):
    org, _ = read_levels(tmp_path, ["Grade 20", "Grade 17", "Grade 12", "Grade 5", "Grade 16"])
    text = format_description(org)
    assert line_of(text, "Reporting tree").startswith("4 levels, 1 root(s)")
    assert line_of(text, "Levels") == "5 distinct, 0 (top) to 15 (as given)"
    assert org.describe()["depth"] == 4 and org.describe()["levels"] == 5


def test_one_level_for_everyone_gives_the_trees_levels(tmp_path):
    org, notes = read_levels(tmp_path, ["5"] * 5)
    assert org.level.tolist() == [0, 1, 2, 3, 1]
    assert [n for n in notes if "holds only 5: levels computed from the reporting tree" in n]
    assert "Levels" not in format_description(org)


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (["8.0", "7.0", "6.0", "5.0", "7.0"], [0, 1, 2, 3, 1]),  # a column once held as numbers
        (["L8", "", "L6", "", "L7"], [0, 1, 2, 3, 1]),  # empty cells: the manager's level + 1
    ],
)
def test_float_and_empty_levels(tmp_path, levels, expected):
    org, notes = read_levels(tmp_path, levels)
    assert org.level.tolist() == expected
    if "" in levels:
        assert [n for n in notes if "2 empty level(s) (line 3) filled from the reporting tree" in n]
