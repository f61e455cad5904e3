"""Which rows of an HR export are people: rows left out by ``--where`` are not checked, footers
below the table are not employees, manager ids written otherwise than employee ids still match."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from simulation.base.errors import OrgDataError
from simulation.org import Organisation


def write(tmp_path: Path, lines: list[str], name: str = "hr.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path: Path, **options) -> tuple[Organisation, list[str]]:
    """The organisation and the notes said while reading it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        org = Organisation.from_hr_csv(path, **options)
    return org, [str(w.message) for w in caught]


def managers_of(org: Organisation) -> dict[str, str]:
    """Employee id -> manager id ("" for a root)."""
    ids = org.ids.tolist()
    return {ids[i]: (ids[m] if m >= 0 else "") for i, m in enumerate(org.manager.tolist())}


# ------------------------------------------------------------------ --where before the id checks
def test_where_leaves_out_a_rehires_old_row_before_the_duplicate_check(tmp_path):
    path = write(tmp_path, [
        "employee_id,manager_id,Status",
        "1,,Active", "2,1,Active", "3,1,Active",
        "4,2,Terminated",  # the old record of a rehire ...
        "4,3,Active",  # ... and the current one, under another manager
        "5,4,Active",
    ])  # fmt: skip
    org, _ = read(path, where=["Status=Active"])
    assert org.ids.tolist() == ["1", "2", "3", "4", "5"]
    assert managers_of(org) == {"1": "", "2": "1", "3": "1", "4": "3", "5": "4"}
    # a repeat among the kept rows is still the one-line error
    with pytest.raises(OrgDataError, match=r"hr\.csv:6: employee_id: duplicate employee_id '4'"):
        Organisation.from_hr_csv(path)


def test_where_leaves_out_secondary_positions_and_rows_without_an_id(tmp_path):
    path = write(tmp_path, [
        "employee_id,manager_id,Position",
        "1,,Primary", "2,1,Primary", "3,2,Primary",
        "2,3,Secondary",  # a second position of the same person
        ",1,Secondary",  # a vacancy: no id at all
    ])  # fmt: skip
    org, _ = read(path, where=["Position=Primary"])
    assert managers_of(org) == {"1": "", "2": "1", "3": "2"}
    kept_blank = write(tmp_path, ["employee_id,manager_id,Position", "1,,P", ",1,P"], "b.csv")
    with pytest.raises(OrgDataError, match=r"b\.csv:3: employee_id: empty id"):
        Organisation.from_hr_csv(kept_blank, where=["Position=P"])


# ------------------------------------------------------------------ manager ids written otherwise
TREE = [("1000", ""), ("1001", "1000"), ("1002", "1000"), ("1003", "1001"), ("1004", "1003")]


def tree_file(tmp_path: Path, employee, manager, name: str = "hr.csv") -> Path:
    """The tree of :data:`TREE` with ids and managers written by the two functions."""
    rows = [f"{employee(e)},{manager(m) if m else ''},Sales" for e, m in TREE]
    return write(tmp_path, ["employee_id,manager_id,department", *rows], name)


@pytest.mark.parametrize(
    ("employee", "manager", "said"),
    [
        (str, lambda m: f"{m}.0", "a trailing '.0' dropped"),  # a column once held as floats
        (lambda e: f"00{e}", str, "leading zeros stripped"),  # padded ids, unpadded managers
        (lambda e: f"e{e}", lambda m: f"E{m}", "case folded"),
        (lambda e: f"first.last{e}@firma.de", lambda m: f"First.Last{m}@Firma.De", "case folded"),
    ],
)
def test_managers_written_otherwise_match_the_ids_with_a_note(tmp_path, employee, manager, said):
    org, notes = read(tree_file(tmp_path, employee, manager))
    expected = {employee(e): (employee(m) if m else "") for e, m in TREE}
    assert managers_of(org) == expected
    assert int((org.manager < 0).sum()) == 1
    assert [n for n in notes if said in n and "4 manager cell(s)" in n], notes


def test_a_manager_column_of_names_is_refused_without_suggesting_orphans_roots(tmp_path):
    path = tree_file(tmp_path, str, lambda m: f"Person {m}")
    with pytest.raises(OrgDataError) as refused:
        Organisation.from_hr_csv(path)
    message = str(refused.value)
    assert "does not look like employee ids" in message and "'Person 1000'" in message
    assert "--orphans roots" not in message
    # following --orphans roots anyway would make everyone a root: refused, not a flat org
    for orphans in ("roots", "drop"):
        with pytest.raises(OrgDataError, match="would leave no reporting line"):
            Organisation.from_hr_csv(path, orphans=orphans)


def test_a_few_outside_managers_still_suggest_orphans_roots(tmp_path):
    path = tree_file(tmp_path, str, lambda m: "9999" if m == "1003" else m)
    with pytest.raises(OrgDataError, match="add --orphans roots"):
        Organisation.from_hr_csv(path)
    org, _ = read(path, orphans="roots")
    assert int((org.manager < 0).sum()) == 2 and org.size == 5


# ------------------------------------------------------------------ footer lines
def test_footer_lines_below_the_table_are_not_employees(tmp_path):
    rows = [f"{e},{m},Sales,Köln" for e, m in TREE]
    path = write(tmp_path, [
        "Employee ID,Manager ID,Department,Site", *rows, "",
        "Total: 5 employees,,,", "Report generated by Workday on 2025-03-01 10:00,,,",
    ])  # fmt: skip
    columns = {"employee_id": "Employee ID", "manager_id": "Manager ID"}
    org, notes = read(path, columns=columns)
    assert org.size == 5 and int((org.manager < 0).sum()) == 1
    assert org.ids.tolist() == [e for e, _ in TREE]
    said = [n for n in notes if "2 footer row(s)" in n]
    assert said and "line 8: 'Total: 5 employees'" in said[0] and "line 9:" in said[0]
    single = write(tmp_path, ["employee_id,manager_id,d,s", *rows, "Total 5"], "single.csv")
    assert read(single)[0].size == 5


def test_a_last_row_that_is_a_person_stays(tmp_path):
    # a last row holding only an id like the others, and one named as a manager
    like_an_id = write(tmp_path, ["employee_id,manager_id,department", "1,,A", "2,1,B", "3,,"])
    assert read(like_an_id)[0].ids.tolist() == ["1", "2", "3"]
    named = write(tmp_path, ["employee_id,manager_id", "Total Ltd,", "b,Total Ltd"], "n.csv")
    assert managers_of(read(named)[0]) == {"Total Ltd": "", "b": "Total Ltd"}
