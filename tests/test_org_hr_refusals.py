"""One-line refusals that say what is wrong with an HR export given by a new user: a file that is
no CSV, a folder, the wrong --encoding, --orphans drop leaving nobody, Python arguments of the
wrong type; and German or French booleans, which are accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulation.base.errors import OrgDataError
from simulation.org import Organisation, load_org


def write(tmp_path: Path, text: str, name: str = "hr.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("start", "said"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document, not an HR export"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "a PNG image, not an HR export"),
        (b"\x7fELF\x02\x01\x01\x00", r"a program \(ELF executable\), not an HR export"),
        (b"PK\x03\x04\x14\x00" + bytes(40), "hr.csv: "),  # a zip: not a workbook either way
    ],
)
def test_a_binary_file_renamed_csv_says_what_it_is(tmp_path, start, said):
    path = tmp_path / "hr.csv"
    path.write_bytes(start + bytes(range(256)))
    with pytest.raises(OrgDataError, match=said) as refused:
        Organisation.from_hr_csv(path)
    assert "--encoding" not in str(refused.value)


def test_a_real_zip_is_not_called_a_broken_workbook(tmp_path):
    import zipfile

    path = tmp_path / "hr.csv"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("people.csv", "employee_id,manager_id\n1,\n")
    with pytest.raises(OrgDataError, match="hr.csv: a zip archive, not an Excel workbook"):
        Organisation.from_hr_csv(path)


def test_a_folder_and_the_wrong_encoding_are_said_so(tmp_path):
    with pytest.raises(OrgDataError, match="a folder, not a file"):
        load_org(str(tmp_path))
    path = write(tmp_path, "employee_id,manager_id\n1,\n2,1\n3,1\n")
    with pytest.raises(OrgDataError, match=r"hr\.csv:1: not utf-16 text"):
        Organisation.from_hr_csv(path, encoding="utf-16")


def test_orphans_drop_that_leaves_nobody_says_so(tmp_path):
    path = write(tmp_path, "employee_id,manager_id\n2,1\n3,2\n4,2\n5,1\n6,5\n7,5\n")
    with pytest.raises(OrgDataError, match="--orphans drop left nobody: all 6 people"):
        Organisation.from_hr_csv(path, orphans="drop")


def test_where_keeping_nothing_counts_the_values_not_shown(tmp_path):
    rows = "".join(f"{i},{'' if i == 1 else 1},S{i}\n" for i in range(1, 9))
    path = write(tmp_path, "employee_id,manager_id,Status\n" + rows)
    with pytest.raises(OrgDataError, match=r"'S6' and 2 more\)"):
        Organisation.from_hr_csv(path, where=["Status=Active"])


def test_a_mapped_optional_column_that_is_missing(tmp_path):
    path = write(tmp_path, "Worker,Boss\n1,\n2,1\n")
    mapping = {"employee_id": "Worker", "manager_id": "Boss", "department": "Dept"}
    with pytest.raises(OrgDataError) as refused:
        Organisation.from_hr_csv(path, columns=mapping)
    message = str(refused.value)
    assert "department: missing column (mapped to 'Dept')" in message
    assert "manager_id=Boss" in message and "HEADER," not in message


def test_python_arguments_of_the_wrong_type_are_one_line_errors(tmp_path):
    path = write(tmp_path, "employee_id,manager_id\n1,\n2,1\n")
    with pytest.raises(OrgDataError, match="sheet: expected a string"):
        Organisation.from_hr_csv(path, sheet=5)
    with pytest.raises(OrgDataError, match="columns: expected a mapping"):
        Organisation.from_hr_csv(path, columns="employee_id=x")


def test_german_and_french_booleans(tmp_path):
    path = write(tmp_path, "employee_id,manager_id,frontline\n1,,Nein\n2,1,Ja\n3,1,oui\n4,1,non\n")
    org = Organisation.from_hr_csv(path)
    assert org.frontline.tolist() == [False, True, True, False]
