"""Reading HR exports: formats, column mapping, round trips and one-line errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulation.base.errors import OrgDataError
from simulation.org import Organisation
from simulation.org.hr_csv import OrgDataWarning
from simulation.org.inspect import format_description, to_hr_csv

DATA = Path(__file__).parent / "data"

SIMPLE = """employee_id,manager_id,department,site,frontline,level,cost_centre
A,,exec,HQ,no,0,CC1
B,A,sales,HQ,yes,1,CC2
C,A,it,Lyon,false,1,CC3
D,B,sales,Lyon,true,2,CC2
"""


def write(tmp_path: Path, text: str, name: str = "hr.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_reads_a_simple_export(tmp_path):
    org = Organisation.from_hr_csv(write(tmp_path, SIMPLE))
    assert org.ids.tolist() == ["A", "B", "C", "D"]
    assert org.manager.tolist() == [-1, 0, 0, 1]
    assert org.level.tolist() == [0, 1, 1, 2]
    assert org.frontline.tolist() == [False, True, False, True]
    assert np.array(org.department_names)[org.department].tolist() == [
        "exec",
        "sales",
        "it",
        "sales",
    ]
    assert np.array(org.site_names)[org.site].tolist() == ["HQ", "HQ", "Lyon", "Lyon"]
    assert org.attributes["cost_centre"].tolist() == ["CC1", "CC2", "CC3", "CC2"]
    assert org.name == "hr"
    # Generated ties sit on the real tree: everyone is tied to their manager.
    assert org.ties[1, 0] == 1.0 and org.ties[3, 1] == 1.0


def test_a_generated_org_survives_a_round_trip_through_to_hr_csv(tmp_path):
    org = Organisation.generate(1500, seed=9)
    to_hr_csv(org, tmp_path / "org.csv", ties=tmp_path / "ties.csv")
    # Same seed: the regenerated ties are the generator's own.
    assert Organisation.from_hr_csv(tmp_path / "org.csv", seed=9).equals(org)
    # The written ties file gives exactly these ties, whatever the seed.
    assert Organisation.from_hr_csv(tmp_path / "org.csv", ties=tmp_path / "ties.csv").equals(org)
    assert not Organisation.from_hr_csv(tmp_path / "org.csv", seed=10).equals(org)


def test_round_trip_keeps_extra_attributes(tmp_path):
    org = Organisation.from_hr_csv(write(tmp_path, SIMPLE))
    to_hr_csv(org, tmp_path / "again.csv")
    assert Organisation.from_hr_csv(tmp_path / "again.csv").attributes["cost_centre"].tolist() == [
        "CC1",
        "CC2",
        "CC3",
        "CC2",
    ]


def test_bom_and_semicolons_are_accepted(tmp_path):
    plain = Organisation.from_hr_csv(write(tmp_path, SIMPLE))
    bom = Organisation.from_hr_csv(write(tmp_path, SIMPLE, "bom.csv", encoding="utf-8-sig"))
    semicolon = Organisation.from_hr_csv(write(tmp_path, SIMPLE.replace(",", ";"), "semi.csv"))
    for other in (bom, semicolon):
        assert other.ids.tolist() == plain.ids.tolist()
        assert other.manager.tolist() == plain.manager.tolist()
        assert other.frontline.tolist() == plain.frontline.tolist()
        assert (other.ties != plain.ties).nnz == 0


def test_windows_line_endings_quotes_and_blank_lines(tmp_path):
    text = 'employee_id,manager_id,department\r\n"A, Sr",,exec\r\n\r\nB,"A, Sr","R&D, EU"\r\n'
    org = Organisation.from_hr_csv(write(tmp_path, text))
    assert org.ids.tolist() == ["A, Sr", "B"]
    assert org.manager.tolist() == [-1, 0]
    assert "R&D, EU" in org.department_names


def test_column_mapping_renames_the_exports_headers(tmp_path):
    text = "Worker_ID;Manager ID;Org Unit;Deskless\nw1;;HQ;N\nw2;w1;Ops;Y\n"
    org = Organisation.from_hr_csv(
        write(tmp_path, text),
        columns={
            "employee_id": "Worker_ID",
            "manager_id": "Manager ID",
            "department": "Org Unit",
            "frontline": "Deskless",
        },
    )
    assert org.manager.tolist() == [-1, 0]
    assert org.department_names == ["HQ", "Ops"]
    assert org.frontline.tolist() == [False, True]
    assert org.attributes == {}


def test_headers_match_case_insensitively(tmp_path):
    org = Organisation.from_hr_csv(write(tmp_path, "Employee_ID,MANAGER_ID\n1,\n2,1\n"))
    assert org.manager.tolist() == [-1, 0]


@pytest.mark.parametrize(
    "word, value",
    [
        ("true", True),
        ("TRUE", True),
        (" True ", True),
        ("yes", True),
        ("Yes", True),
        ("1", True),
        ("y", True),
        ("Y", True),
        ("false", False),
        ("False", False),
        ("no", False),
        ("NO", False),
        ("0", False),
        ("n", False),
        ("N", False),
        ("", False),
    ],
)
def test_booleans_accept_every_documented_spelling(tmp_path, word, value):
    org = Organisation.from_hr_csv(
        write(tmp_path, f"employee_id,manager_id,frontline\nA,,{word}\n")
    )
    assert org.frontline.tolist() == [value]


def test_level_is_taken_from_the_file_when_given(tmp_path):
    path = write(tmp_path, "employee_id,manager_id,level\nA,,3\nB,A,5\nC,B,5\n")
    with pytest.warns(OrgDataWarning, match="levels start at 3: read as 0"):
        org = Organisation.from_hr_csv(path)
    assert org.level.tolist() == [0, 2, 2]  # the file's order kept, the top made 0


def test_tie_options_and_seed_shape_the_generated_ties(tmp_path):
    path = tmp_path / "org.csv"
    to_hr_csv(Organisation.generate(500, seed=1), path)
    quiet = Organisation.from_hr_csv(path, cross_ties=0.0, long_range_ties=0.0, team_tie_prob=0.0)
    assert quiet.ties.nnz == 2 * 499  # manager ties only
    with pytest.raises(OrgDataError, match="cross_tie"):
        Organisation.from_hr_csv(path, cross_tie=1.0)


def test_a_ties_file_replaces_generated_ties(tmp_path):
    hr = write(tmp_path, SIMPLE)
    ties = write(tmp_path, "source,target,weight\nA,D,2.5\nD,A,1\nC,C,1\n", "ties.csv")
    org = Organisation.from_hr_csv(hr, ties=ties)
    assert org.ties.nnz == 2
    assert org.ties[0, 3] == 2.5 and org.ties[3, 0] == 2.5  # mutual, strongest mention kept
    bad = write(tmp_path, "source,target\nA,B\nB,Z\n", "bad_ties.csv")
    with pytest.raises(OrgDataError, match=r"bad_ties\.csv:3: id 'Z' is not"):  # no np.str_(...)
        Organisation.from_hr_csv(hr, ties=bad)


def check_error(path: Path, *fragments: str, **kwargs) -> str:
    with pytest.raises(OrgDataError) as caught:
        Organisation.from_hr_csv(path, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    assert path.name in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_duplicate_id_names_both_lines(tmp_path):
    path = write(tmp_path, "employee_id,manager_id\nA,\nB,A\nC,A\nB,C\n")
    check_error(path, "hr.csv:5", "line 3", "'B'", "duplicate")


def test_unknown_manager_names_the_line(tmp_path):
    path = write(tmp_path, "employee_id,manager_id\nA,\nB,A\n\nC,X\n")
    check_error(path, "hr.csv:5", "'X'", "manager_id")


def test_reporting_cycle_names_its_ids(tmp_path):
    path = write(tmp_path, "employee_id,manager_id\nA,\nB,C\nC,D\nD,B\nE,A\n")
    message = check_error(path, "cycle", "manager_id")
    assert all(name in message for name in ("B", "C", "D")) and "E" not in message.split("cycle")[1]


def test_someone_managing_themselves_is_the_top_of_a_tree(tmp_path):
    # exports write the top's manager as their own id: a root marker, not a cycle
    org = Organisation.from_hr_csv(write(tmp_path, "employee_id,manager_id\nA,A\nB,A\n"))
    assert org.manager.tolist() == [-1, 0]


def test_no_root_is_an_error(tmp_path):
    check_error(write(tmp_path, "employee_id,manager_id\nA,B\nB,A\n"), "no root", "manager_id")


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_empty_file_is_an_error(tmp_path, content):
    path = tmp_path / "hr.csv"
    path.write_bytes(content)
    check_error(path, "hr.csv:1", "empty")


def test_header_only_is_an_error(tmp_path):
    check_error(write(tmp_path, "employee_id,manager_id\n"), "hr.csv:2", "no rows")


def test_missing_required_column_names_it_and_the_headers_found(tmp_path):
    path = write(tmp_path, "employee_id,boss,dept\nA,,x\n")
    check_error(path, "manager_id", "missing required column", "employee_id, boss, dept")
    check_error(path, "Manager_ID", "mapped", columns={"manager_id": "Manager_ID"})


def test_unknown_name_in_the_column_mapping_is_an_error(tmp_path):
    check_error(write(tmp_path, SIMPLE), "employe_id", columns={"employe_id": "ID"})


def test_bad_boolean_names_line_and_column(tmp_path):
    path = write(tmp_path, "employee_id,manager_id,frontline\nA,,yes\nB,A,maybe\n")
    check_error(path, "hr.csv:3", "frontline", "'maybe'")


def test_bad_level_names_line_and_column(tmp_path):
    path = write(tmp_path, "employee_id,manager_id,level\nA,,0\nB,A,-1\n")
    check_error(path, "hr.csv:3", "level")


def test_a_row_with_too_many_fields_is_an_error(tmp_path):
    check_error(write(tmp_path, "employee_id,manager_id\nA,\nB,A,extra\n"), "hr.csv:3", "3 fields")


def test_empty_id_is_an_error(tmp_path):
    check_error(write(tmp_path, "employee_id,manager_id\nA,\n,A\n"), "hr.csv:3", "empty id")


def test_missing_file_is_an_error(tmp_path):
    check_error(tmp_path / "hr.csv", "not found")


def test_format_description_is_a_readable_table(tmp_path):
    text = format_description(Organisation.from_hr_csv(write(tmp_path, SIMPLE)))
    assert "Head-count" in text and "4" in text
    assert "Span of control" in text
    assert "sales" in text and "Lyon" in text
    assert len(text.splitlines()) > 10


def test_the_sample_export_in_tests_data_reads(tmp_path):
    org = Organisation.from_hr_csv(
        DATA / "hr_workday_style.csv",
        columns={"employee_id": "Worker ID", "manager_id": "Manager Worker ID", "site": "Location"},
    )
    d = org.describe()
    assert d["headcount"] == 12
    assert d["roots"] == 1 and d["depth"] == 4
    assert org.attributes["Job Title"][0] == "Chief Executive"
    assert d["frontline_share"] == pytest.approx(5 / 12)


# --------------------------------------------------------------- issue 28: exports as they come
EXPORT = (
    "id,boss,status,class,grade,dept\n"
    "a,N/A,Active,Salaried,Band 1,Vorstand\n"
    "b,a,Active,Salaried,Band 2,Vertrieb\n"
    "c,b,Inactive,Salaried,Band 3,Vertrieb\n"
    "d,c,Active,Hourly,Band 4,Vertrieb\n"
    "e,c,Active,Hourly,Band 4,Vertrieb\n"
    "f,X9,Active,Hourly,Band 4,Logistik\n"
    "g,f,Active,Hourly,Band 5,Logistik\n"
)
MAPPED = {"employee_id": "id", "manager_id": "boss", "level": "grade", "department": "dept"}


def read_export(tmp_path, **options):
    with pytest.warns(OrgDataWarning) as caught:
        org = Organisation.from_hr_csv(write(tmp_path, EXPORT), columns=MAPPED, **options)
    return org, [str(w.message) for w in caught]


@pytest.mark.parametrize("marker", ["N/A", "0", "NO_MANAGER", "none", "a", ""])
def test_root_markers_are_the_top_of_a_tree(tmp_path, marker):
    path = write(tmp_path, f"employee_id,manager_id\na,{marker}\nb,a\n")
    org = Organisation.from_hr_csv(path)
    assert org.manager.tolist() == [-1, 0]


def test_a_named_root_marker_and_one_that_is_an_id(tmp_path):
    path = write(tmp_path, "employee_id,manager_id\na,TOP\nb,a\n")
    assert Organisation.from_hr_csv(path, root_marker="TOP").manager.tolist() == [-1, 0]
    check_error(path, "(line 2: 'TOP')", "not in this file")  # not known without --root-marker
    ids = write(tmp_path, "employee_id,manager_id\n0,\nb,0\n", name="ids.csv")
    assert Organisation.from_hr_csv(ids).manager.tolist() == [-1, 0]  # '0' is a person here


def test_where_keeps_rows_and_reattaches_to_the_skip_level(tmp_path):
    org, said = read_export(tmp_path, where=["status=active"], orphans="roots")
    assert org.ids.tolist() == ["a", "b", "d", "e", "f", "g"]
    boss = dict(zip(org.ids, [org.ids[m] if m >= 0 else "" for m in org.manager], strict=True))
    assert boss == {"a": "", "b": "a", "d": "b", "e": "b", "f": "", "g": "f"}
    assert any("2 people whose manager is left out by --where now report" in s for s in said)
    assert any("6 of 7 rows kept by --where 'status=active'" in s for s in said)
    # Band 1 is the top: kept that way round, shifted so the top is 0
    assert org.level.tolist() == [0, 1, 3, 3, 3, 4]


def test_orphans_drop_leaves_out_their_teams(tmp_path):
    org, said = read_export(tmp_path, where=["status!=inactive"], orphans="drop")
    assert org.ids.tolist() == ["a", "b", "d", "e"]
    assert any("left out with their teams, 2 people (--orphans drop)" in s for s in said)


def test_orphans_error_lists_them_with_their_count(tmp_path):
    path = write(tmp_path, EXPORT)
    check_error(path, "hr.csv:7: boss: 1 person reports to a manager not in this file",
                "(line 7: 'X9')", "--orphans roots", columns=MAPPED)  # fmt: skip


def test_frontline_from_a_columns_values_on_the_command_line_and_in_the_roles_file(tmp_path):
    columns = {**MAPPED, "frontline": "class=Hourly|Salaried"}
    with pytest.warns(OrgDataWarning):
        org = Organisation.from_hr_csv(write(tmp_path, EXPORT), columns=columns, orphans="roots")
    assert org.frontline.all()  # several values: any of them
    columns = {**MAPPED, "frontline": "class=Hourly"}
    with pytest.warns(OrgDataWarning):
        org = Organisation.from_hr_csv(write(tmp_path, EXPORT), columns=columns, orphans="roots")
    assert org.frontline.tolist() == [False, False, False, True, True, True, True]
    (tmp_path / "hr.roles.yaml").write_text(
        "values:\n  frontline: {class: [hourly]}\ndepartments: {open_to_social: [Vertrieb]}\n",
        encoding="utf-8",
    )
    org, _ = read_export(tmp_path, orphans="roots")
    assert org.frontline.tolist() == [False, False, False, True, True, True, True]


def test_utf16_and_cp1252_exports(tmp_path):
    text = "employee_id\tmanager_id\tdepartment\nA\t\tGeschäftsführung\nB\tA\tVertrieb Süd\n"
    org = Organisation.from_hr_csv(write(tmp_path, text, "u.txt", encoding="utf-16"))
    assert org.department_names == ["Geschäftsführung", "Vertrieb Süd"]
    ansi = write(tmp_path, text.replace("\t", ";"), "a.csv", encoding="cp1252")
    check_error(ansi, "a.csv:2: not UTF-8 text (byte 0xe4)", "--encoding cp1252")
    org = Organisation.from_hr_csv(ansi, encoding="cp1252")
    assert org.department_names == ["Geschäftsführung", "Vertrieb Süd"]


def test_a_scenario_block_takes_the_reading_options(tmp_path):
    from simulation.org import org_from_config

    write(tmp_path, EXPORT)
    block = {"hr_csv": "hr.csv", "columns": {**MAPPED, "frontline": "class=Hourly"},
             "where": "status=Active", "orphans": "roots", "root_marker": ["N/A"]}  # fmt: skip
    with pytest.warns(OrgDataWarning):
        org = org_from_config(block, base_dir=tmp_path)
    assert org.size == 6 and org.frontline.sum() == 4
    with pytest.raises(OrgDataError, match="organisation.orphans"):
        org_from_config({**block, "orphans": "adopt"}, base_dir=tmp_path)


def test_command_line_options_travel_with_the_mapping_and_observed_ties_are_said(tmp_path):
    from simulation.org import load_org
    from simulation.org.hr_options import HrColumns, HrOptions
    from simulation.org.inspect import ties_note

    hr = write(tmp_path, "employee_id,manager_id\nA,\nB,A\nC,A\n")
    write(tmp_path, "source,target\nB,C\n", "ties.csv")
    generated = load_org(str(hr))
    assert generated.ties_origin == "generated"
    assert ties_note(generated).startswith("Informal ties are generated on the reporting tree")
    assert format_description(generated).splitlines()[0] == ties_note(generated)
    observed = load_org(
        str(hr), columns=HrColumns({}, HrOptions(ties="ties.csv")), base_dir=tmp_path
    )
    assert observed.ties_origin == "observed" and ties_note(observed) is None
    assert observed.ties.nnz == 2
    with pytest.raises(OrgDataError, match="--where applies to an HR export, not generate:"):
        load_org("generate:size=50", columns=HrColumns({}, HrOptions(where=("Status=Active",))))
    with pytest.raises(OrgDataError, match="--encoding: unknown encoding 'klingon'"):
        HrOptions(encoding="klingon")


def test_a_workbook_reads_numbers_dates_and_names_its_sheet_in_errors(tmp_path):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Export"
    sheet.append(["employee_id", "manager_id", "hired", "level"])
    sheet.append([1001, None, dt.datetime(2020, 1, 31), "L3"])
    sheet.append([1002, 1001.0, dt.datetime(2021, 6, 1), "L2"])
    sheet.append([1003, "1002", dt.datetime(2022, 2, 2), "L1"])
    path = tmp_path / "hr.xlsx"
    book.save(path)
    with pytest.warns(OrgDataWarning, match=r"sheet 'Export' read \(the only sheet"):
        org = Organisation.from_hr_csv(path)
    assert org.ids.tolist() == ["1001", "1002", "1003"]  # numbers as the ids they are
    assert org.manager.tolist() == [-1, 0, 1] and org.level.tolist() == [0, 1, 2]
    assert org.attributes["hired"].tolist() == ["2020-01-31", "2021-06-01", "2022-02-02"]
    sheet.append([1004, 1003, None, "senior"])
    book.save(path)
    check_error(path, "hr.xlsx[Export]:5: level: not a level: 'senior'")
    sheet["F3"] = "stray"
    book.save(path)
    check_error(path, "hr.xlsx[Export]:3: a value beyond the last header ('stray')")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    check_error(tmp_path / "old.xls", "an Excel 97-2003 workbook (.xls): save it as .xlsx")
