"""The header row of an HR export as it comes: titles and blank lines above it, empty or
repeated names nobody uses, names written with invisible characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation.base.errors import OrgDataError
from simulation.org import Organisation
from tests.hr_files import read
from tests.hr_files import write as write_lines

COLUMNS = {"employee_id": "Personalnummer", "manager_id": "Vorgesetzter"}
#: a German export's rows: decimals with a comma, so a comma must not be taken for the separator
ROWS = ["1000;Ines;;Vertrieb;0,75", "1001;Jan;1000;Vertrieb;0,5", "1002;Eva;1001;Produktion;1,0"]
HEADER = "Personalnummer;Name;Vorgesetzter;Abteilung;FTE"


def write(tmp_path: Path, lines: list[str], name: str = "hr.csv") -> Path:
    return write_lines(tmp_path, lines, name, encoding="utf-8-sig")  # as exported, with a BOM


def assert_the_three(org: Organisation) -> None:
    assert org.ids.tolist() == ["1000", "1001", "1002"]
    assert org.manager.tolist() == [-1, 0, 1]


@pytest.mark.parametrize(
    ("above", "line"),
    [
        (["Mitarbeiterliste Export;;;;", "Stand: 01.03.2025;;;;", ""], 4),  # title, date, blank
        (["Mitarbeiterliste Export 01.03.2025"], 2),  # one cell: no separator to guess from
        (["", ""], 3),  # blank lines only
    ],
)
def test_the_header_is_found_below_titles_and_blank_lines(tmp_path, above, line):
    path = write(tmp_path, [*above, HEADER + ";;", *(row + ";;" for row in ROWS)])
    org, notes = read(path, columns=COLUMNS)
    assert_the_three(org)
    assert org.attributes["FTE"].tolist() == ["0,75", "0,5", "1,0"]
    assert [n for n in notes if f"header read from line {line}" in n], notes
    # without a mapping the header is found by its shape: errors list the real headers
    with pytest.raises(OrgDataError, match=rf"hr\.csv:{line}: employee_id: .*Personalnummer"):
        Organisation.from_hr_csv(path)


def test_a_workbook_with_a_cover_title_or_an_empty_first_row(tmp_path):
    from openpyxl import Workbook

    for title in ("Mitarbeiterliste (Stichtag 01.03.2025)", None):
        book = Workbook()
        sheet = book.active
        sheet.title = "Mitarbeiter"
        sheet["A1"] = title
        sheet.merge_cells("A1:E1")
        sheet.append([])
        sheet.append([])  # rows 2 and 3 empty: the header on row 4
        sheet.append(HEADER.split(";"))
        for row in ROWS:
            sheet.append([int(c) if c.isdigit() else c for c in row.split(";")])
        path = tmp_path / "hr.xlsx"
        book.save(path)
        org, notes = read(path, columns=COLUMNS, sheet="Mitarbeiter")
        assert_the_three(org)
        assert [n for n in notes if "hr.xlsx[Mitarbeiter]: header read from row 4" in n], notes


def test_repeated_or_empty_header_names_only_matter_when_used(tmp_path):
    path = write(tmp_path, [
        "employee_id,Name,manager_id,Name,Email,Email,,",
        "1,Ines,,Boss,a@x,b@x,,", "2,Jan,1,Ines,c@x,d@x,,",
    ])  # fmt: skip
    org, _ = read(path)
    assert org.manager.tolist() == [-1, 0]
    assert org.attributes["Name"].tolist() == ["Ines", "Jan"]
    assert org.attributes["Email (column 6)"].tolist() == ["b@x", "d@x"]
    # a repeated column that is used is refused, naming its columns
    with pytest.raises(OrgDataError, match=r"hr\.csv:1: --where.*'Email' appears 2 times \(col"):
        Organisation.from_hr_csv(path, where=["Email=a@x"])
    # a value under an empty trailing header is data with no name: refused
    stray = write(tmp_path, ["employee_id,manager_id,,", "1,,,", "2,1,,x"], "stray.csv")
    with pytest.raises(OrgDataError, match=r"stray\.csv:3: a value beyond the last header"):
        Organisation.from_hr_csv(stray)


@pytest.mark.parametrize("odd", ["Employee\u00a0ID", "\u200bEmployee ID", "Employee  ID "])
def test_headers_match_as_the_eye_reads_them(tmp_path, odd):
    path = write(tmp_path, [f"{odd},Manager\u00a0ID,Abteilung", "1,,A", "2,1,B"])
    org, _ = read(path, columns={"employee_id": "Employee ID", "manager_id": "manager id"})
    assert org.manager.tolist() == [-1, 0] and org.ids.tolist() == ["1", "2"]


def test_two_headers_that_differ_only_in_case_are_refused_not_one_picked(tmp_path):
    """Department (A/B) and department (Z): the reader took the later one silently."""
    path = write(tmp_path, ["employee_id,manager_id,Department,site,department",
                            "1,,A,X,Z", "2,1,B,Y,Z"])  # fmt: skip
    with pytest.raises(OrgDataError, match=r"columns 'Department' \(column 3\) and "
                       r"'department' \(column 5\) differ only in case"):  # fmt: skip
        read(path)
