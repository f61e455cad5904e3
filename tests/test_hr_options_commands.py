"""The HR export's reading options on ``scenario check``, ``calibrate``, ``champions``, ``optimise``.

They take ``--sheet``, ``--encoding``, ``--where``, ``--root-marker``, ``--orphans``, ``--ties``
and value mappings in ``--columns`` through the one helper ``run`` uses
(simulation/cli/hr_reading.py), run here through the installed ``esnsim`` on a small
SuccessFactors-style export (tests/sf_export.py): an Excel workbook whose first sheet is notes,
``NO_MANAGER`` at the top, managers of another legal entity, 3 % people who left.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.cli_helpers import installed as esnsim
from tests.sf_export import OPTIONS, write_sf_export

SIZE = 300
READ = (*OPTIONS, "--sheet", "Mitarbeiter")  # --columns with a value mapping, --where, --orphans
#: a short adoption series (shares 0-1 of the head-count), one point a week
#: a priced plan and a search over its levers, with a budget every plan is within (examples/)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
OPTIMISE = ("optimise", EXAMPLES / "full_support_priced.yaml",
            "--search", EXAMPLES / "search_full_support.yaml", "--budget", "10000000")  # fmt: skip
SERIES = "day,registered\n0,0.02\n7,0.05\n14,0.09\n21,0.12\n28,0.15\n"


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return write_sf_export(tmp_path_factory.mktemp("sf"), size=SIZE)


def one_line_error(done: subprocess.CompletedProcess) -> str:
    """The one ``esnsim: error:`` line of a refused command (exit status 2)."""
    assert done.returncode == 2, (done.stdout, done.stderr)
    errors = [ln for ln in done.stderr.splitlines() if ln.startswith("esnsim: error:")]
    assert len(errors) == 1, done.stderr
    assert "Traceback" not in done.stderr
    return errors[0]


def test_scenario_check_reads_the_export_with_its_options(export, tmp_path):
    paths, expected = export
    done = esnsim("scenario", "check", "grassroots", "--org", paths["xlsx"], *READ, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # --where kept the active rows, --orphans roots made the outside people roots
    assert f"{expected.headcount:,} of {SIZE:,} rows kept by --where 'Status=Active'" in (
        done.stderr
    )
    assert "report to a manager not in this file: made roots" in done.stderr
    assert done.stdout.startswith("grassroots: ok (")
    # the same export without --orphans roots is refused: the options really reached the reader
    bare = esnsim(
        "scenario", "check", "grassroots", "--org", paths["xlsx"], "--sheet", "Mitarbeiter",
        "--columns", OPTIONS[1], "--where", "Status=Active", cwd=tmp_path,
    )  # fmt: skip
    assert "not in" in one_line_error(bare)


def test_scenario_check_refuses_a_missing_sheet_in_one_line(export, tmp_path):
    paths, _ = export
    done = esnsim(
        "scenario", "check", "grassroots", "--org", paths["xlsx"], *OPTIONS,
        "--sheet", "Nirgends", cwd=tmp_path,
    )  # fmt: skip
    line = one_line_error(done)
    assert "Nirgends" in line and "sf_export.xlsx" in line
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_calibrate_fits_on_the_export_and_best_fit_reads_it_the_same(export, tmp_path):
    paths, expected = export
    observed = tmp_path / "obs.csv"
    observed.write_text(SERIES, encoding="utf-8")
    out = tmp_path / "cal"
    done = esnsim(
        "calibrate", "grassroots", "--observed", observed, "--org", paths["xlsx"], *READ,
        "--fit", "adoption.p=0.001:0.05", "--days", "30", "--evaluations", "2",
        "--bootstrap", "2", "--replicates", "2", "--out", out, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    fit = json.loads((out / "fit.json").read_text(encoding="utf-8"))
    assert fit["organisation"]["name"] == f"sf_export ({expected.headcount} people)"
    # best_fit.yaml records the reading options, so that esnsim run reads the same people
    block = yaml.safe_load((out / "best_fit.yaml").read_text(encoding="utf-8"))["organisation"]
    assert block["sheet"] == "Mitarbeiter" and block["where"] == ["Status=Active"]
    assert block["orphans"] == "roots" and block["columns"]["employee_id"] == "User ID"
    again = esnsim("scenario", "check", out / "best_fit.yaml", cwd=paths["xlsx"].parent)
    assert again.returncode == 0 and "on sf_export" in again.stdout, again.stderr


def test_calibrate_refuses_a_bad_encoding_in_one_line_nothing_written(export, tmp_path):
    paths, _ = export
    observed = tmp_path / "obs.csv"
    observed.write_text(SERIES, encoding="utf-8")
    out = tmp_path / "cal"
    done = esnsim(
        "calibrate", "grassroots", "--observed", observed, "--org", paths["cp1252"], *OPTIONS,
        "--encoding", "klingon-8", "--fit", "adoption.p=0.001:0.05", "--out", out, cwd=tmp_path,
    )  # fmt: skip
    assert "klingon-8" in one_line_error(done)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["obs.csv"]


def test_champions_and_optimise_plans_read_the_same_people(export, tmp_path):
    """The plans the two commands write carry the reading options: run again, they read the
    291 active people with the outside managers' teams as roots (without --orphans roots in the
    plan, reading it would stop at the outside managers)."""
    paths, expected = export
    small = ("--replicates", "1", "--days", "20")
    chosen = esnsim(
        "champions", "grassroots", "--org", paths["xlsx"], *READ, "--budget", "2", *small,
        "--candidates", "3", "--swap-rounds", "0", "--curve-max", "3", "--out", "ch",
        "--quiet", cwd=tmp_path,
    )  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    searched = esnsim(
        *OPTIMISE,
        "--org", paths["xlsx"], *READ, "--trials", "2", "--population", "2",
        "--check-replicates", "1", *small, "--out", "op", "--quiet", cwd=tmp_path,
    )  # fmt: skip
    assert searched.returncode == 0, searched.stderr
    for plan in (tmp_path / "ch" / "champions.yaml", tmp_path / "op" / "plans" / "knee.yaml"):
        block = yaml.safe_load(plan.read_text(encoding="utf-8"))["organisation"]
        assert block["sheet"] == "Mitarbeiter" and block["where"] == ["Status=Active"], plan
        assert block["orphans"] == "roots", plan
        again = esnsim("scenario", "check", plan, cwd=paths["xlsx"].parent)
        assert again.returncode == 0, again.stderr
        assert f"{expected.headcount:,} of {SIZE:,} rows kept by --where" in again.stderr
        # the command its first line gives runs from the plan's own folder, as written
        text = plan.read_text(encoding="utf-8")
        command = shlex.split(text.splitlines()[0].split("run with: ")[1])
        assert command[:2] == ["esnsim", "run"] and "--allow-path" in command, command
        ran = esnsim(
            *command[1:], *small, "--out", tmp_path / f"again-{plan.stem}", cwd=plan.parent
        )
        assert ran.returncode == 0, ran.stderr
        assert not re.search(r"^\s*- \d+$", text, flags=re.M)  # ids that look like numbers quoted


def test_optimise_refuses_a_where_on_no_column_in_one_line(export, tmp_path):
    paths, _ = export
    done = esnsim(
        *OPTIMISE,
        "--org", paths["xlsx"], "--sheet", "Mitarbeiter", "--columns", OPTIONS[1],
        "--where", "Zustand=Aktiv", "--orphans", "roots", "--out", "op", cwd=tmp_path,
    )  # fmt: skip
    line = one_line_error(done)
    assert "Zustand" in line and "sf_export.xlsx" in line
    assert list(tmp_path.iterdir()) == []
