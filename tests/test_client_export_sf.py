"""Issue 28: a SuccessFactors-style export loads as it comes, through the installed ``esnsim``.

The export (tests/sf_export.py) is unlike the bundled Workday sample in every column: an Excel
workbook whose first sheet is notes, ``NO_MANAGER`` at the top, 12 managers of another legal
entity, 3 % people who left (managers among them), frontline as an employee class, levels L1 (shop
floor) to L8 (CEO), German department names. One documented command line (docs/how-to/hr-export.md)
reads it as .xlsx, UTF-8 CSV, Windows-1252 CSV and UTF-16 "Unicode text".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation.base.errors import OrgDataError
from simulation.org import Organisation
from simulation.org.roles import RoleResolver
from simulation.plan.shipped import shipped
from tests.cli_helpers import installed as esnsim
from tests.sf_export import COLUMNS, OPTIONS, write_sf_export

SIZE = 1000
#: what each form of the export needs beside the documented options
EXTRA = {
    "xlsx": ("--sheet", "Mitarbeiter"),
    "csv": (),
    "cp1252": ("--encoding", "cp1252"),
    "utf16": (),
}
API = {"columns": dict(item.split("=", 1) for item in COLUMNS.split(",")), "orphans": "roots"}


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return write_sf_export(tmp_path_factory.mktemp("sf"), size=SIZE)


def read(path: Path, form: str) -> Organisation:
    keywords = {"sheet": "Mitarbeiter"} if form == "xlsx" else {}
    if form == "cp1252":
        keywords["encoding"] = "cp1252"
    with pytest.warns(UserWarning):
        return Organisation.from_hr_csv(path, where=["Status=Active"], **API, **keywords)


@pytest.mark.parametrize("form", ["xlsx"])
def test_one_command_line_reads_the_export(export, form, tmp_path):
    paths, expected = export
    done = esnsim("org", "inspect", paths[form], *OPTIONS, *EXTRA[form], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert out[0].startswith("Informal ties are generated on the reporting tree (a model, not")
    assert f"Head-count                   {expected.headcount:,}" in out
    assert any(
        line.startswith("Frontline share") and f"{expected.frontline_share:.1%}" in line
        for line in out
    )
    # the status column is used, the outside managers made roots, the levels turned round
    err = done.stderr
    assert f"{expected.headcount:,} of {SIZE:,} rows kept by --where 'Status=Active'" in err
    assert "12 people report to a manager not in this file: made roots" in err
    made = next(line for line in err.splitlines() if "made roots" in line)
    assert made.count(" row ") >= 3 and "and 7 more)" in made  # who, as the error would say
    assert "now report to the nearest kept manager above (skip-level)" in err
    assert "Job Level: levels rise towards the top" in err and "turned round" in err
    roles = {ln.strip().split("  ")[0]: ln for ln in out if ln.startswith("  department")}
    assert (
        "Informationstechnik, Marketing & Kommunikation, Vertrieb  [by name]"
        in (roles["department open_to_social"])
    )
    assert (
        "Vorstand  [department of 00100000, the top of the largest"
        in (roles["department headquarters"])
    )
    if form == "xlsx":
        assert "sheet 'Mitarbeiter' read (--sheet)" in err


def test_every_form_reads_the_same_organisation(export):
    paths, expected = export
    orgs = {form: read(paths[form], form) for form in EXTRA}
    first = orgs["xlsx"]
    assert first.size == expected.headcount
    for org in orgs.values():
        assert org.ids.tolist() == first.ids.tolist()
        assert np.array_equal(org.manager, first.manager)
        assert np.array_equal(org.level, first.level)
        assert np.array_equal(org.frontline, first.frontline)
        assert org.department_names == first.department_names
        assert org.site_names == first.site_names  # München, Nürnberg, Düsseldorf intact
    assert "München" in first.site_names and first.ids[0] == "00100000"  # zero-padding kept


def test_bottom_up_levels_are_turned_round_not_used_upside_down(export):
    paths, expected = export
    org = read(paths["csv"], "csv")
    ceo = int(np.flatnonzero(org.ids == expected.ceo)[0])
    assert org.manager[ceo] == -1 and org.level[ceo] == 0
    has = org.manager >= 0
    # every manager is at a level nearer the top than (or equal to) their report's
    assert (org.level[org.manager[has]] <= org.level[has]).all()
    # each person's level is the file's turned round: L8 is 0, L1 is 7
    table = pd.read_csv(paths["csv"], dtype=str).set_index("User ID")
    written = table.loc[org.ids, "Job Level"].str.removeprefix("L").astype(int).to_numpy()
    assert np.array_equal(org.level, 8 - written)


def test_levels_that_contradict_the_tree_are_refused(export, tmp_path):
    paths, _ = export
    text = paths["csv"].read_text(encoding="utf-8").splitlines()
    rng = np.random.default_rng(0)
    rows = [line.split(",") for line in text]
    column = rows[0].index("Job Level")
    for row in rows[1:]:
        row[column] = f"L{rng.integers(1, 9)}"
    shuffled = tmp_path / "shuffled.csv"
    shuffled.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    with pytest.raises(OrgDataError) as error:
        Organisation.from_hr_csv(shuffled, where=["Status=Active"], **API)
    assert f"{shuffled}: Job Level: levels contradict the reporting tree" in str(error.value)


def test_german_names_resolve_every_role_by_name(export):
    paths, _ = export
    resolver = RoleResolver(read(paths["xlsx"], "xlsx"))
    rows = {(kind, role): r for kind, role, r in resolver.describe() if kind == "departments"}
    for role in ("open_to_social", "customer_facing", "commercial", "technical"):
        assert rows[("departments", role)].how == "by name", (role, rows[("departments", role)])
    assert set(rows[("departments", "open_to_social")].names) == {
        "Vertrieb",
        "Marketing & Kommunikation",
        "Informationstechnik",
    }
    assert rows[("departments", "headquarters")].names == ("Vorstand",)
    assert not any("fallback" in r.how for r in rows.values())


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (("--sheet", "Personal"), "sf_export.xlsx: --sheet: no sheet named 'Personal' (sheets: "),
        (("--sheet", "Mitarbeiter", "--where", "Stat=Active"),
         "sf_export.xlsx[Mitarbeiter]:1: --where 'Stat=Active': no column 'Stat' (headers: User"),
        (("--sheet", "Mitarbeiter", "--root-marker", "KEINER"),
         "sf_export.xlsx[Mitarbeiter]: --root-marker 'KEINER': no row of column Manager User ID"),
        (("--sheet", "Mitarbeiter", "--orphans", "error"),
         "Manager User ID: 12 people report to 12 managers not in this file (row "),
    ],
    ids=["unknown sheet", "where column", "root marker", "orphans"],
)  # fmt: skip
def test_bad_input_is_one_line_exit_2_nothing_written(export, tmp_path, extra, fragment):
    paths, _ = export
    out = tmp_path / "out"
    # the last --columns / --orphans given wins, so the case's own options follow the defaults
    done = esnsim("run", "grassroots", "--org", paths["xlsx"], *OPTIONS, *extra, "--out", out,
                  "--days", "5", "--replicates", "1", cwd=tmp_path)  # fmt: skip
    lines = done.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("esnsim: error:")]
    assert done.returncode == 2, done.stderr
    assert len(errors) == 1 and fragment in errors[0], done.stderr
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "options, fragment",
    [
        ({"columns": {**API["columns"], "frontline": "Employee Class=Hourly"}},
         "sf_export.xlsx[Mitarbeiter]:1: Employee Class: --columns frontline: no row holds "
         "'Hourly' (it holds 'Contractor', 'Hourly Employee', 'Salaried Employee')"),
        ({"where": ["Status"]}, "--where: expected COLUMN=VALUE"),
        ({"where": ["Status=Aktiv"]}, "--where 'Status=Aktiv' keeps no row (Status holds"),
        ({"orphans": "adopt"}, "--orphans: expected one of error, roots, drop, got 'adopt'"),
        ({"encoding": "cp1252"}, "--encoding applies to CSV text, not an Excel workbook"),
    ],
    ids=["value mapping", "where syntax", "where keeps nobody", "orphans", "encoding"],
)  # fmt: skip
def test_bad_options_of_the_api_are_one_line(export, options, fragment):
    paths, _ = export
    keywords = {**API, "where": ["Status=Active"], "sheet": "Mitarbeiter", **options}
    with pytest.raises(OrgDataError) as error:
        Organisation.from_hr_csv(paths["xlsx"], **keywords)
    assert fragment in str(error.value) and "\n" not in str(error.value)


def test_an_xlsx_named_csv_is_read_as_a_workbook(export, tmp_path):
    paths, expected = export
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(paths["xlsx"].read_bytes())
    org = read(renamed, "xlsx")
    assert org.size == expected.headcount


def test_a_status_column_not_used_is_said_in_one_line(export):
    paths, expected = export
    with pytest.warns(UserWarning) as caught:
        Organisation.from_hr_csv(paths["csv"], **API)
    said = [str(w.message) for w in caught if "rows have Status=Inactive" in str(w.message)]
    assert said == [
        f"{paths['csv']}: {expected.inactive} rows have Status=Inactive: add "
        '--where "Status=Active" to leave them out'
    ]


@pytest.mark.slow
def test_every_shipped_scenario_runs_on_the_export(export, tmp_path):
    paths, _ = export
    names = sorted(shipped())
    reports = []
    for start in range(0, len(names), 6):
        group = names[start : start + 6]
        if len(group) == 1:
            group = [*group, names[0]]
        out = tmp_path / f"cmp{start}"
        done = esnsim("compare", *group, "--org", paths["xlsx"], "--sheet", "Mitarbeiter",
                      *OPTIONS, "--days", "30", "--replicates", "2", "--quiet", "--out", out,
                      cwd=tmp_path)  # fmt: skip
        assert done.returncode == 0, done.stderr
        reports.append((out / "report.html").read_text(encoding="utf-8"))
    assert all("Informal ties are generated on the reporting tree" in r for r in reports)
    # the plans' descriptions are followed by the departments their roles really stood for
    assert any(
        "On this organisation: rollout.departments: open_to_social = Informationstechnik, "
        "Marketing &amp; Kommunikation, Vertrieb" in r
        for r in reports
    )
    done = esnsim("run", "top_down_cascade", "--org", paths["xlsx"], "--sheet", "Mitarbeiter",
                  *OPTIONS, "--days", "30", "--replicates", "2", "--out", tmp_path / "run",
                  cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Informal ties are generated on the reporting tree" in done.stdout
