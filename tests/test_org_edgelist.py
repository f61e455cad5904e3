"""Observed networks: CSV and SNAP-style edge lists, attributes, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulation.base.errors import OrgDataError
from simulation.org import Organisation


def write(tmp_path: Path, text: str, name: str = "edges.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_snap_style_pairs_with_comments_become_mutual_ties(tmp_path):
    path = write(
        tmp_path, "# Directed graph\n# FromNodeId\tToNodeId\n0 1\n1\t2\n2 0 1700000000\n3 3\n\n"
    )
    org = Organisation.from_edgelist(path)
    assert org.ids.tolist() == ["0", "1", "2", "3"]  # order of first appearance
    assert org.ties.nnz == 6  # three mutual ties; the self-loop 3-3 is dropped
    assert (org.ties != org.ties.T).nnz == 0
    assert org.ties[1, 0] == 1.0 and org.ties[0, 2] == 1.0
    assert org.degree[3] == 0  # kept as a person, without ties


def test_csv_with_header_weights_and_other_columns(tmp_path):
    text = "timestamp,Source,Target,Weight\n1,alice,bob,3\n2,bob,alice,5\n3,bob,carol,0.5\n4,carol,carol,9\n"
    org = Organisation.from_edgelist(write(tmp_path, text, "mail.csv"))
    assert org.ids.tolist() == ["alice", "bob", "carol"]
    assert org.ties[0, 1] == 5.0 and org.ties[1, 0] == 5.0  # duplicates merged by max
    assert org.ties[1, 2] == 0.5 and org.ties[2, 2] == 0
    assert org.name == "mail"


def test_semicolon_csv_without_weights(tmp_path):
    org = Organisation.from_edgelist(write(tmp_path, "source;target\na;b\nb;c\n", "e.csv"))
    assert org.ties.nnz == 4 and set(org.ties.data) == {1.0}


def test_without_attributes_everyone_is_a_root_and_describe_says_so(tmp_path):
    org = Organisation.from_edgelist(write(tmp_path, "a b\nb c\n"))
    assert (org.manager == -1).all() and (org.level == 0).all()
    assert org.department_names == ["unknown"]
    d = org.describe()
    assert d["reporting_tree"] is False and d["mean_span"] is None


def test_attributes_are_joined_by_employee_id(tmp_path):
    edges = write(tmp_path, "source,target\ne2,e1\ne3,e2\n", "edges.csv")
    attributes = write(
        tmp_path,
        "employee_id,department,site,frontline,manager_id,tenure\n"
        "e1,exec,HQ,no,,10\ne2,ops,Plant,yes,e1,3\ne3,ops,Plant,no,e2,1\ne4,ops,Plant,y,e2,0\n",
        "people.csv",
    )
    org = Organisation.from_edgelist(edges, attributes=attributes)
    assert org.ids.tolist() == ["e1", "e2", "e3", "e4"]  # the attributes file's order
    assert org.manager.tolist() == [-1, 0, 1, 1]
    assert org.level.tolist() == [0, 1, 2, 2]
    assert org.frontline.tolist() == [False, True, False, True]
    assert np.array(org.department_names)[org.department].tolist() == ["exec", "ops", "ops", "ops"]
    assert org.attributes["tenure"].tolist() == ["10", "3", "1", "0"]
    assert org.ties[0, 1] == 1.0 and org.ties[2, 1] == 1.0
    assert org.degree[3] == 0  # in the attributes, without ties
    assert org.describe()["reporting_tree"] is True


def test_attributes_without_manager_keep_given_levels(tmp_path):
    edges = write(tmp_path, "a b\n")
    attributes = write(tmp_path, "employee_id,level\na,0\nb,1\n", "people.csv")
    org = Organisation.from_edgelist(edges, attributes=attributes)
    assert org.level.tolist() == [0, 1] and (org.manager == -1).all()


def expect_error(*fragments: str, **kwargs) -> str:
    with pytest.raises(OrgDataError) as caught:
        Organisation.from_edgelist(**kwargs)
    message = str(caught.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_a_line_with_one_id_is_an_error_naming_the_line(tmp_path):
    path = write(tmp_path, "# comment\n1 2\n3\n")
    expect_error("edges.txt:3", "two ids", path=path)


def test_an_empty_edge_list_is_an_error(tmp_path):
    expect_error("edges.txt", "empty", path=write(tmp_path, "# only a comment\n\n"))


def test_a_csv_without_source_and_target_headers_is_an_error(tmp_path):
    expect_error("e.csv:1", "source", "found headers", path=write(tmp_path, "1,2\n2,3\n", "e.csv"))


def test_a_bad_weight_is_an_error_naming_line_and_column(tmp_path):
    path = write(tmp_path, "source,target,weight\na,b,1\nb,c,heavy\n", "e.csv")
    expect_error("e.csv:3", "weight", "'heavy'", path=path)


def test_an_id_missing_from_the_attributes_is_an_error(tmp_path):
    edges = write(tmp_path, "a b\nb z\n")
    attributes = write(tmp_path, "employee_id\na\nb\n", "people.csv")
    expect_error("edges.txt:2", "'z'", "people.csv", path=edges, attributes=attributes)


def test_errors_of_the_attributes_file_name_it(tmp_path):
    edges = write(tmp_path, "a b\n")
    attributes = write(tmp_path, "employee_id,manager_id\na,\nb,q\n", "people.csv")
    expect_error("people.csv:3", "'q'", path=edges, attributes=attributes)
    duplicate = write(tmp_path, "employee_id\na\na\n", "dup.csv")
    expect_error("dup.csv:3", "duplicate", path=edges, attributes=duplicate)
