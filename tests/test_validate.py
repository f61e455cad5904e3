"""Pattern-oriented validation: every published pattern holds at the default calibration.

One test per pattern of simulation/analysis/patterns.py (quick mode: 1,000 people, 6 replicates), the
command's outputs and exit status, and the full run (2,000 people, 20 replicates) marked slow.
"""

from __future__ import annotations

import argparse

import pandas as pd
import pytest

from simulation.analysis import patterns as v_patterns
from simulation.analysis import validate as v
from simulation.cli.validate import COLUMNS, add_validate_parser, cmd_validate


@pytest.fixture(scope="module")
def quick_checks():
    return {c.pattern.key: c for c in v.run_checks(v.QUICK)}


@pytest.mark.parametrize("key", [p.key for p in v.PATTERNS])
def test_pattern_holds_at_the_default_calibration(quick_checks, key):
    check = quick_checks[key]
    p = check.pattern
    assert check.passed, f"{p.name}: {check.mean:.3f} not in [{p.low}, {p.high}] ({p.published})"
    assert check.low <= check.mean <= check.high


def test_bass_curve_matches_the_published_figures():
    assert v.bass_curve(50) == pytest.approx(0.331, abs=5e-4)
    assert v.bass_curve(100) == pytest.approx(0.813, abs=5e-4)


def test_overrides_reach_the_runs_and_unknown_parameters_are_refused():
    sc = v.scenario("grassroots", {"posting.base": 0.2, "habit.novelty": 0.3})
    assert sc.posting.base == 0.2 and sc.habit.novelty == 0.3
    with pytest.raises(KeyError):
        v.scenario("grassroots", {"posting.nonsense": 1})


def parse(argv):
    parser = argparse.ArgumentParser(prog="esnsim")
    add_validate_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_command_writes_the_table_and_exits_0_when_every_pattern_holds(tmp_path, capsys):
    args = parse(["validate", "--quick", "--replicates", "4", "--out", str(tmp_path / "v")])
    assert args.func is cmd_validate
    assert args.func(args) == 0
    printed = capsys.readouterr().out
    assert "| pattern | published" in printed and "simulated (90 % interval)" in printed
    table = pd.read_parquet(tmp_path / "v" / "validation.parquet")
    assert list(table.columns) == COLUMNS
    assert len(table) == len(v.PATTERNS) and table["passed"].all()
    page = (tmp_path / "v" / "validation.html").read_text(encoding="utf-8")
    assert "<table>" in page and "http" not in page and "src=" not in page


def test_command_exits_1_when_a_pattern_fails(tmp_path, monkeypatch):
    strict = v.Pattern("lurkers", "impossible", "100 %", "lurkers", 0.999, 1.0, "none")
    failing = [v.Check(strict, 0.85, 0.8, 0.9)]
    monkeypatch.setattr("simulation.cli.validate.run_checks", lambda settings: failing)
    args = parse(["validate", "--quick", "--out", str(tmp_path / "v")])
    assert cmd_validate(args) == 1
    assert not pd.read_parquet(tmp_path / "v" / "validation.parquet")["passed"].any()


@pytest.mark.slow
def test_full_validation_passes_every_pattern():
    checks = v.run_checks(v.FULL)
    failed = [(c.pattern.name, round(c.mean, 3)) for c in checks if not c.passed]
    assert len(checks) == len(v.PATTERNS) and not failed, failed


def test_patterns_are_split_into_tuned_held_out_and_reported():
    roles = [p.role for p in v.PATTERNS]
    assert set(roles) <= set(v_patterns.ROLES)
    assert roles.count("held-out") >= 4 and roles.count("tuned") >= 4


def test_a_reported_pattern_out_of_range_never_fails_the_run(tmp_path, monkeypatch):
    reported = v.Pattern("top_weekly", "top", "40 %", "wau", 0.0, 0.4, "none", "reported")
    checks = [v.Check(reported, 0.9, 0.8, 0.95)]
    monkeypatch.setattr("simulation.cli.validate.run_checks", lambda settings: checks)
    assert cmd_validate(parse(["validate", "--quick", "--out", str(tmp_path / "v")])) == 0
    table = pd.read_parquet(tmp_path / "v" / "validation.parquet")
    assert table["passed"].all() and not table["in_range"].any()
