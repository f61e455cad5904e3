"""The HR export's reading options on ``esnsim scenario check`` and ``esnsim calibrate``.

Both take ``--sheet``, ``--encoding``, ``--where``, ``--root-marker``, ``--orphans``, ``--ties``
and value mappings in ``--columns`` through the one helper ``run`` uses
(simulation/cli/hr_reading.py), run here through the installed ``esnsim`` on a small
SuccessFactors-style export (tests/sf_export.py): an Excel workbook whose first sheet is notes,
``NO_MANAGER`` at the top, managers of another legal entity, 3 % people who left.
"""

from __future__ import annotations

import json
import subprocess

import pytest
import yaml

from tests.cli_helpers import installed as esnsim
from tests.sf_export import OPTIONS, write_sf_export

SIZE = 300
READ = (*OPTIONS, "--sheet", "Mitarbeiter")  # --columns with a value mapping, --where, --orphans
#: a short adoption series (shares 0-1 of the head-count), one point a week
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
