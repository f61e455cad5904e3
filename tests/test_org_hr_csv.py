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
    with pytest.raises(OrgDataError, match=r"bad_ties\.csv:3: .*'Z'"):
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
