"""HR exports as a new user meets them, through ``esnsim org inspect``: a rehire file with
``--where``, managers written ``1000.0``, a header holding a comma in ``--columns``."""

from __future__ import annotations

import shlex

import pytest

from tests.cli_helpers import in_process, installed

#: five people; person 4 rehired under another manager (the old row Terminated)
REHIRES = """employee_id,manager_id,department,Status
1,,exec,Active
2,1,sales,Active
3,1,it,Active
4,2,sales,Terminated
4,3,it,Active
5,4,it,Active
"""
COMMA = """Personnel No.,"Manager (Personnel No., primary)",Org Unit
1,,exec
2,1,sales
3,2,sales
"""


@pytest.fixture
def esnsim(capsys, monkeypatch, tmp_path):
    return in_process(capsys, monkeypatch, tmp_path)


def field(stdout: str, label: str) -> str:
    """The value of one line of ``org inspect``'s table."""
    line = next(ln for ln in stdout.splitlines() if ln.startswith(label))
    return line[len(label) :].strip()


def test_installed_org_inspect_reads_rehires_and_float_managers(tmp_path):
    (tmp_path / "rehires.csv").write_text(REHIRES, encoding="utf-8")
    done = installed("org", "inspect", "rehires.csv", "--where", "Status=Active", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert field(done.stdout, "Head-count") == "5"
    assert field(done.stdout, "Reporting tree").startswith("4 levels, 1 root(s)")
    assert "5 of 6 rows kept by --where" in done.stderr
    floats = "employee_id,manager_id\n1000,\n1001,1000.0\n1002,1001.0\n1003,1001.0\n"
    (tmp_path / "floats.csv").write_text(floats, encoding="utf-8")
    done = installed("org", "inspect", "floats.csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert field(done.stdout, "Reporting tree").startswith("3 levels, 1 root(s)")
    assert "3 manager cell(s) match employee ids only with a trailing '.0' dropped" in done.stderr


def test_columns_takes_a_quoted_header_with_a_comma_and_repeats(esnsim, tmp_path):
    (tmp_path / "comma.csv").write_text(COMMA, encoding="utf-8")
    quoted = 'employee_id=Personnel No.,manager_id="Manager (Personnel No., primary)"'
    done = esnsim("org", "inspect", "comma.csv", "--columns", quoted)
    assert done.returncode == 0, done.stderr
    assert field(done.stdout, "Reporting tree").startswith("3 levels, 1 root(s)")
    repeated = esnsim("org", "inspect", "comma.csv", "--columns", "employee_id=Personnel No.",
                      "--columns", '"manager_id=Manager (Personnel No., primary)"',
                      "--columns", "department=Org Unit")  # fmt: skip
    assert repeated.returncode == 0, repeated.stderr
    assert field(repeated.stdout, "Departments") == "2"
    twice = esnsim("org", "inspect", "comma.csv", "--columns", quoted, "--columns", quoted)
    assert twice.returncode == 2 and "'employee_id' given twice" in twice.stderr


def test_the_suggested_columns_work_when_pasted(esnsim, tmp_path):
    (tmp_path / "comma.csv").write_text(COMMA, encoding="utf-8")
    refused = esnsim("org", "inspect", "comma.csv")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    suggested = refused.stderr.split("map headers with ", 1)[1].split(" (also", 1)[0]
    done = esnsim("org", "inspect", "comma.csv", *shlex.split(suggested))
    assert done.returncode == 0, done.stderr
    assert field(done.stdout, "Head-count") == "3"
