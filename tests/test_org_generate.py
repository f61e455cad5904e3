"""The synthetic organisation generator: structure, shares, ties, determinism, speed."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from simulation.base.errors import OrgDataError
from simulation.org import Organisation
from simulation.org.generate import DEFAULT_DEPARTMENTS, EXECUTIVE
from simulation.org.ties import STRONG, WEAK, build_informal_ties, homophilous_ties


@pytest.fixture(scope="module")
def org2000() -> Organisation:
    return Organisation.generate(2000, seed=11)


@pytest.mark.parametrize("size", [1, 2, 9, 137, 2000, 20_000])
def test_generated_org_has_the_requested_size(size):
    org = Organisation.generate(size, seed=1)
    assert org.size == size
    assert org.ties.shape == (size, size)
    assert len(set(org.ids)) == size
    assert np.count_nonzero(org.manager < 0) == 1  # one CEO


@pytest.mark.parametrize(
    "size, span", [(2000, 7.0), (20_000, 7.0), (2000, 4.0), (20_000, 12.0), (2000, 15.0)]
)
def test_mean_span_of_control_is_within_15_percent_of_the_request(size, span):
    org = Organisation.generate(size, seed=2, span_of_control=span)
    assert org.span[org.span > 0].mean() == pytest.approx(span, rel=0.15)


@pytest.mark.parametrize("share", [0.0, 0.1, 0.3, 0.5])
@pytest.mark.parametrize("size", [2000, 20_000])
def test_frontline_share_is_within_003_of_the_request(size, share):
    org = Organisation.generate(size, seed=3, frontline_share=share)
    assert abs(org.frontline.mean() - share) <= 0.03


def test_frontline_staff_are_individual_contributors_mostly_in_operations_and_sales(org2000):
    assert not (org2000.frontline & (org2000.span > 0)).any()
    assert not org2000.frontline[org2000.level < 2].any()
    names = np.array(org2000.department_names)[org2000.department]
    share = {d: org2000.frontline[names == d].mean() for d in ("operations", "sales", "legal")}
    assert share["operations"] > share["sales"] > 0.15 > share["legal"]


def test_ties_are_symmetric_without_self_loops_and_everyone_has_one(org2000):
    ties = org2000.ties
    assert isinstance(ties, sp.csr_matrix) and ties.dtype == np.float32
    assert (ties != ties.T).nnz == 0
    assert np.count_nonzero(ties.diagonal()) == 0
    assert np.diff(ties.indptr).min() >= 1
    assert set(np.unique(ties.data)) <= {np.float32(STRONG), np.float32(WEAK)}


def test_everyone_is_tied_to_their_manager_with_a_strong_tie(org2000):
    reports = np.flatnonzero(org2000.manager >= 0)
    weights = np.asarray(org2000.ties[reports, org2000.manager[reports]]).ravel()
    assert (weights == STRONG).all()


def test_same_seed_gives_the_same_org_and_another_seed_a_different_one():
    a = Organisation.generate(3000, seed=7)
    b = Organisation.generate(3000, seed=7)
    c = Organisation.generate(3000, seed=8)
    assert a.equals(b)
    assert not a.equals(c)
    assert (a.ties != c.ties).nnz > 0
    assert not np.array_equal(a.manager, c.manager)


def test_generation_does_not_touch_global_random_state():
    # The legacy global state is read on purpose: generating must leave it untouched.
    _, keys, position, *_ = np.random.get_state()  # noqa: NPY002
    Organisation.generate(500, seed=1)
    _, keys_after, position_after, *_ = np.random.get_state()  # noqa: NPY002
    assert np.array_equal(keys, keys_after) and position == position_after


def _same_department_share(org, weight):
    upper = sp.triu(org.ties, k=1).tocoo()
    chosen = upper.data == weight
    same = org.department[upper.row[chosen]] == org.department[upper.col[chosen]]
    return same.mean()


def test_cross_team_ties_are_homophilous(org2000):
    shares = np.bincount(org2000.department) / org2000.size
    random_expectation = float((shares**2).sum())
    observed = _same_department_share(org2000, WEAK)
    assert observed > 2 * random_expectation
    assert observed > 0.35


def test_without_homophily_partners_are_drawn_at_random():
    rng = np.random.default_rng(0)
    department = rng.integers(0, 8, 50_000).astype(np.int16)
    site = rng.integers(0, 3, 50_000).astype(np.int16)
    shares = np.bincount(department) / department.size
    for homophily, expected in ((1.0, (shares**2).sum()), (6.0, None)):
        rows, cols = homophilous_ties(department, site, 100_000, homophily, 1.0, rng)
        same = (department[rows] == department[cols]).mean()
        if expected is not None:
            assert same == pytest.approx(expected, abs=0.01)
        else:
            # Odds 6 for a same-department partner among 8 equal departments: 6 / (6 + 7).
            assert same == pytest.approx(6 / 13, abs=0.01)


def test_teams_mostly_share_a_site(org2000):
    reports = np.flatnonzero(org2000.manager >= 0)
    with_manager = (org2000.site[reports] == org2000.site[org2000.manager[reports]]).mean()
    shares = np.bincount(org2000.site) / org2000.size
    assert with_manager > 0.6 > (shares**2).sum()


def test_department_heads_lead_whole_departments(org2000):
    heads = org2000.direct_reports(0)
    assert org2000.department_names[org2000.department[0]] == EXECUTIVE
    assert sorted(np.array(org2000.department_names)[org2000.department[heads]]) == sorted(
        DEFAULT_DEPARTMENTS
    )
    for head in heads:
        below = org2000.subtree(head)
        assert (org2000.department[below] == org2000.department[head]).all()
    assert (org2000.level[heads] == 1).all()


def test_departments_can_be_a_count_names_or_a_mapping():
    by_count = Organisation.generate(400, seed=0, departments=3)
    assert set(by_count.department_names) == {EXECUTIVE, "sales", "marketing", "it"}
    by_names = Organisation.generate(400, seed=0, departments="sales|research")
    assert set(by_names.department_names) == {EXECUTIVE, "sales", "research"}
    by_map = Organisation.generate(
        1000,
        seed=0,
        departments={"a": {"size": 3, "frontline": 0.9}, "b": {"size": 1, "frontline": 0.0}},
        frontline_share=0.2,
    )
    counts = by_map.describe()["department_counts"]
    assert counts["a"] == pytest.approx(3 * counts["b"], rel=0.01)
    b_code = by_map.department_names.index("b")
    assert not by_map.frontline[by_map.department == b_code].any()


def test_sites_can_be_named():
    org = Organisation.generate(1000, seed=0, sites=["Paris", "Lyon"])
    assert org.site_names == ["Lyon", "Paris"]  # sorted, as the CSV reader sorts them
    counts = org.describe()["site_counts"]
    assert counts["Paris"] > counts["Lyon"]  # the first named site is the largest


@pytest.mark.parametrize(
    "option, value",
    [
        ("size", 0),
        ("size", 2.5),
        ("seed", -1),
        ("span_of_control", 1.0),
        ("frontline_share", 1.5),
        ("frontline_share", 0.99),
        ("sites", 0),
        ("departments", 0),
        ("team_tie_prob", 1.2),
        ("cross_ties", -1),
        ("homophily_site", 0.5),
    ],
)
def test_bad_options_raise_an_error_naming_the_option(option, value):
    options = {"size": 500, option: value}
    with pytest.raises(OrgDataError, match=option):
        Organisation.generate(**options)


def test_tie_options_change_tie_density():
    sparse = Organisation.generate(2000, seed=0, cross_ties=0.0, long_range_ties=0.0)
    dense = Organisation.generate(2000, seed=0, cross_ties=8.0)
    assert sparse.describe()["ties_per_person"] + 6 < dense.describe()["ties_per_person"]
    assert (sparse.ties.data == STRONG).all()


def test_huge_flat_teams_are_split_into_workgroups():
    manager = np.zeros(5001, dtype=np.int64)
    manager[0] = -1
    zeros = np.zeros(5001, dtype=np.int16)
    ties = build_informal_ties(
        manager, zeros, zeros, np.random.default_rng(0), team_tie_prob=1.0, cross_ties=0.0,
        long_range_ties=0.0,
    )  # fmt: skip
    degree = np.diff(ties.indptr)
    assert degree[0] == 5000
    assert degree[1:].max() <= 50  # 49 workgroup mates and the manager
