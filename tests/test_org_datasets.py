"""The real networks (read from ESNSIM_DATA) and the ways to name an organisation (--org, scenarios)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import numpy as np
import pytest

from simulation import datasets
from simulation.base.errors import InputError, OrgDataError
from simulation.org import Organisation, load_org, org_from_config, parse_columns
from simulation.org.inspect import to_hr_csv

ROOT = Path(__file__).parent.parent


def test_krackhardt_has_21_managers_under_manager_7(real_data):
    org = datasets.load("krackhardt")
    assert org.size == 21
    roots = np.flatnonzero(org.manager < 0)
    assert org.ids[roots].tolist() == ["7"]
    assert len(org.subtree(int(roots[0]))) == 20
    # Level from the tree equals the data's reported LEVEL (1 CEO, 2 VP, 3 manager) minus 1.
    assert (org.level == org.attributes["reported_level"].astype(int) - 1).all()
    assert org.department_names == ["dept1", "dept2", "dept3", "dept4", "executive"]
    assert org.describe()["components"] == 1


def test_email_eu_core_has_1005_people_in_42_departments(real_data):
    org = datasets.load("email_eu_core")
    assert org.size == 1005
    assert len(org.department_names) == 42
    assert not org.describe()["reporting_tree"]
    assert np.count_nonzero(org.ties.diagonal()) == 0
    assert org.ties.nnz // 2 == 16_064  # 25,571 directed pairs made mutual, self-loops dropped


def test_lazega_has_71_lawyers_in_three_offices_and_two_practices(real_data):
    org = datasets.load("lazega")
    assert org.size == 71
    assert org.site_names == ["Boston", "Hartford", "Providence"]
    assert org.department_names == ["corporate", "litigation"]
    assert np.count_nonzero(org.attributes["status"] == "partner") == 36
    assert (org.level == (org.attributes["status"] == "associate")).all()


@pytest.mark.parametrize("name", ["krackhardt", "email_eu_core", "lazega"])
def test_each_dataset_has_a_citation_matching_its_citation_file(name, real_data):
    assert name in datasets.names()
    org = datasets.load(name)
    assert org.citation == datasets.citation(name)
    assert org.name == f"dataset:{name}"
    text = datasets.citation_file(name).read_text(encoding="utf-8")
    first_author, year = datasets.citation(name).split(",")[0], datasets.citation(name)[:60]
    assert first_author in text
    assert year[year.index("(") : year.index(")") + 1] in text  # e.g. "(1987)"


def test_the_package_holds_citations_but_no_third_party_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["simulation.datasets"]
    package = ROOT / "simulation" / "datasets"
    files = [p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()]
    data = [f for f in files if not f.endswith((".py", ".pyc", ".md"))]
    assert data == [], data
    citations = [f for f in files if f.endswith(".md")]
    assert sorted(citations) == [f"citations/{name}.md" for name in datasets.names()]
    for name in citations:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(OrgDataError, match="krackhardt"):
        datasets.load("enron")


def test_load_org_accepts_each_spec_form(tmp_path, real_data):
    assert load_org("dataset:lazega").size == 71
    generated = load_org("generate:size=300,seed=4,span_of_control=5,frontline_share=0.2")
    assert generated.equals(
        Organisation.generate(300, seed=4, span_of_control=5, frontline_share=0.2)
    )
    to_hr_csv(generated, tmp_path / "hr.csv")
    assert load_org("hr.csv", base_dir=tmp_path).size == 300
    assert load_org(str(tmp_path / "hr.csv")).size == 300
    (tmp_path / "mapped.csv").write_text("ID,Boss\na,\nb,a\n", encoding="utf-8")
    mapped = load_org(
        "mapped.csv", columns=parse_columns("employee_id=ID,manager_id=Boss"), base_dir=tmp_path
    )
    assert mapped.manager.tolist() == [-1, 0]
    (tmp_path / "e.txt").write_text("a b\n", encoding="utf-8")
    assert load_org("edgelist:e.txt", base_dir=tmp_path).size == 2


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("generate:size=abc", "size"),
        ("generate:sise=100", "sise"),
        ("generate:seed=1", "size is required"),
        ("generate:size=100,span_of_control=-3", "span_of_control"),
        ("generate:size=100,frontline_share=2", "frontline_share"),
        ("generate:size=100,seed", "key=value"),
        ("dataset:nope", "nope"),
        ("missing.csv", "missing.csv"),
        ("", "empty"),
    ],
)
def test_load_org_rejects_bad_specs_naming_the_problem(spec, fragment):
    with pytest.raises(OrgDataError) as caught:
        load_org(spec)
    assert fragment in str(caught.value) and "\n" not in str(caught.value)


def test_parse_columns_reads_pairs_and_rejects_bad_syntax():
    assert parse_columns("employee_id=Worker_ID, manager_id=Manager ID") == {
        "employee_id": "Worker_ID",
        "manager_id": "Manager ID",
    }
    for bad in ("employee_id", "employee_id=", "=X", "boss=X", "site=a,site=b"):
        with pytest.raises(InputError):
            parse_columns(bad)


def test_org_from_config_accepts_each_scenario_form(tmp_path, real_data):
    assert org_from_config({"generate": {"size": 200, "seed": 1}}).equals(
        Organisation.generate(200, seed=1)
    )
    assert org_from_config({"dataset": "krackhardt"}).size == 21
    (tmp_path / "org").mkdir()
    to_hr_csv(
        Organisation.generate(100, seed=2),
        tmp_path / "org" / "hr.csv",
        ties=tmp_path / "org" / "t.csv",
    )
    from_csv = org_from_config({"hr_csv": "org/hr.csv", "ties": "org/t.csv"}, base_dir=tmp_path)
    assert from_csv.equals(Organisation.generate(100, seed=2))
    (tmp_path / "people.csv").write_text("Worker,dept\nx,a\ny,b\n", encoding="utf-8")
    (tmp_path / "e.csv").write_text("source,target\nx,y\n", encoding="utf-8")
    observed = org_from_config(
        {
            "edgelist": "e.csv",
            "attributes": "people.csv",
            "columns": {"employee_id": "Worker", "department": "dept"},
        },
        base_dir=tmp_path,
    )
    assert observed.department_names == ["a", "b"] and observed.ties.nnz == 2


@pytest.mark.parametrize(
    "cfg, fragment",
    [
        ({}, "exactly one"),
        ({"generate": {"size": 10}, "dataset": "lazega"}, "exactly one"),
        ({"generate": {"sise": 10}}, "organisation.generate.sise: unknown field"),
        ({"generate": 10}, "organisation.generate"),
        ({"hr_csv": "x.csv", "attributes": "y.csv"}, "attributes does not apply to a hr_csv"),
        ({"dataset": "nope"}, "nope"),
        ({"hr_csv": ""}, "organisation.hr_csv"),
    ],
)
def test_org_from_config_rejects_bad_mappings_naming_the_field(cfg, fragment):
    with pytest.raises(OrgDataError, match=fragment):
        org_from_config(cfg)
