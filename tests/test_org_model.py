"""The Organisation arrays: validation, tree helpers, description, centrality, unions."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from simulation.base.errors import OrgDataError
from simulation.org import Organisation
from simulation.org.analysis import betweenness, sampled_clustering
from simulation.org.tree import depths


def _chain_ties(n: int) -> sp.csr_matrix:
    rows = np.arange(n - 1)
    return sp.csr_matrix((np.ones(n - 1), (rows, rows + 1)), shape=(n, n))


@pytest.fixture
def small() -> Organisation:
    """CEO 0 -> managers 1, 2; 1 -> 3, 4; 2 -> 5; ties along a chain 0-1-2-3-4-5."""
    return Organisation.from_arrays(
        manager=[-1, 0, 0, 1, 1, 2],
        ties=_chain_ties(6),
        department=["exec", "sales", "it", "sales", "sales", "it"],
        site=["a", "a", "b", "a", "b", "b"],
        frontline=[False, False, False, True, True, False],
        ids=["ceo", "m1", "m2", "x", "y", "z"],
    )


def test_from_arrays_computes_levels_units_and_symmetric_ties(small):
    assert small.level.tolist() == [0, 1, 1, 2, 2, 2]
    assert small.department_names == ["exec", "it", "sales"]
    assert small.department.tolist() == [0, 2, 1, 2, 2, 1]
    assert small.manager.dtype == np.int32 and small.level.dtype == np.int16
    assert (small.ties != small.ties.T).nnz == 0
    assert small.degree.tolist() == [1, 2, 2, 2, 2, 1]


def test_tree_helpers_find_reports_teams_and_subtrees(small):
    assert small.span.tolist() == [2, 2, 1, 0, 0, 0]
    assert small.direct_reports(1).tolist() == [3, 4]
    assert small.team_of(3).tolist() == [3, 4]
    assert small.team_of(0).tolist() == [0]
    assert sorted(small.subtree(0).tolist()) == [1, 2, 3, 4, 5]
    assert sorted(small.subtree(2).tolist()) == [5]
    assert small.subtree(4).size == 0


def test_subtree_of_a_department_head_in_a_large_org_matches_networkx():
    org = Organisation.generate(5000, seed=4)
    head = int(org.direct_reports(0)[0])
    expected = nx.descendants(org.to_networkx("reporting"), head)
    assert set(org.subtree(head).tolist()) == expected


def test_pointer_doubling_depths_match_a_walk_up_the_tree():
    org = Organisation.generate(3000, seed=5)
    depth, stuck = depths(org.manager)
    assert not stuck.any()
    for person in (0, 17, 1234, 2999):
        steps, node = 0, person
        while org.manager[node] >= 0:
            node, steps = org.manager[node], steps + 1
        assert depth[person] == steps == org.level[person]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda a: a.update(manager=np.array([-1, 2, 1], dtype=np.int32)), "reporting cycle"),
        (lambda a: a.update(manager=np.array([-1, 0, 7], dtype=np.int32)), "indices"),
        (
            lambda a: a.update(ties=sp.csr_matrix(np.array([[0, 1, 0], [0, 0, 0], [0, 0, 0]]))),
            "symmetric",
        ),
        (lambda a: a.update(ties=sp.csr_matrix(np.eye(3))), "self-loops"),
        (lambda a: a.update(ties=sp.csr_matrix(-_sym3())), "> 0"),
        (lambda a: a.update(level=np.zeros(2, dtype=np.int16)), "shape"),
        (lambda a: a.update(department=np.array([0, 0, 5], dtype=np.int16)), "codes"),
        (lambda a: a.update(level=np.array([0.5, 1, 1])), "integers"),
        (lambda a: a.update(ties=_sym3()), "sparse"),
    ],
)
def test_validate_rejects_inconsistent_arrays(change, message):
    arrays = {
        "manager": np.array([-1, 0, 0], dtype=np.int32),
        "ties": sp.csr_matrix(_sym3()),
        "level": np.array([0, 1, 1], dtype=np.int16),
        "department": np.zeros(3, dtype=np.int16),
        "site": np.zeros(3, dtype=np.int16),
        "frontline": np.zeros(3, dtype=bool),
        "department_names": ["d"],
        "site_names": ["s"],
        "ids": np.array(["a", "b", "c"]),
    }
    Organisation(**arrays)  # the baseline is valid
    change(arrays)
    with pytest.raises(OrgDataError, match=message):
        Organisation(**arrays)


def _sym3() -> np.ndarray:
    return np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=np.float32)


def test_describe_reports_the_structure(small):
    d = small.describe()
    assert d["headcount"] == 6
    assert d["depth"] == 3
    assert d["mean_span"] == pytest.approx(5 / 3)
    assert d["max_span"] == 2
    assert d["departments"] == 3
    assert d["department_counts"] == {"exec": 1, "it": 2, "sales": 3}
    assert d["site_counts"] == {"a": 3, "b": 3}
    assert d["frontline_share"] == pytest.approx(2 / 6)
    assert d["ties"] == 5
    assert d["ties_per_person"] == pytest.approx(10 / 6)
    assert d["components"] == 1
    assert d["average_clustering"] == 0.0
    assert d["reporting_tree"] is True
    assert "exact" in d["clustering_method"]


def test_describe_estimates_clustering_from_a_sample_for_large_orgs():
    org = Organisation.generate(25_000, seed=1)
    d = org.describe()
    assert "sample" in d["clustering_method"]
    exact = nx.average_clustering(nx.from_scipy_sparse_array(org.ties))
    assert d["average_clustering"] == pytest.approx(exact, abs=0.02)


def test_vectorised_clustering_on_everyone_equals_networkx():
    org = Organisation.generate(800, seed=2)
    exact = nx.average_clustering(nx.from_scipy_sparse_array(org.ties))
    assert sampled_clustering(org.ties, sample=org.size) == pytest.approx(exact, abs=1e-12)


def test_betweenness_equals_networkx_and_eigenvector_ranks_alike():
    org = Organisation.generate(400, seed=3)
    graph = nx.from_scipy_sparse_array(org.ties)
    reference = nx.betweenness_centrality(graph, weight=None)
    mine = org.centrality("betweenness")
    assert np.allclose(mine, [reference[i] for i in range(org.size)], atol=1e-12)
    eigen = nx.eigenvector_centrality_numpy(graph, weight="weight")
    reference = np.array([eigen[i] for i in range(org.size)])
    assert np.allclose(org.centrality("eigenvector"), reference / reference.max(), atol=1e-6)
    assert org.centrality("degree").tolist() == org.degree.tolist()
    with pytest.raises(ValueError, match="kind"):
        org.centrality("pagerank")


def test_sampled_betweenness_finds_the_same_hubs_in_a_large_org():
    org = Organisation.generate(3000, seed=6)
    sampled = org.centrality("betweenness")  # 256 sources above 1,000 people
    exact = betweenness(org.ties)  # all sources; equal to networkx (test above), 30x faster
    assert np.corrcoef(sampled, exact)[0, 1] > 0.8
    exact_rank = np.argsort(np.argsort(-exact))
    assert (exact_rank[np.argsort(-sampled)[:10]] < 0.05 * org.size).all()


def test_eigenvector_centrality_of_a_large_org_is_deterministic():
    a = Organisation.generate(5000, seed=3).centrality("eigenvector")
    b = Organisation.generate(5000, seed=3).centrality("eigenvector")
    assert np.array_equal(a, b)
    assert a.max() == 1.0 and a.min() >= 0


def test_to_networkx_carries_node_attributes(small):
    graph = small.to_networkx()
    assert graph.number_of_nodes() == 6 and graph.number_of_edges() == 5
    assert graph.nodes[3] == {
        "id": "x",
        "level": 2,
        "department": "sales",
        "site": "a",
        "frontline": True,
    }
    tree = small.to_networkx("reporting")
    assert sorted(tree.successors(1)) == [3, 4]


def test_disjoint_union_keeps_both_parts_apart(small):
    other = Organisation.generate(50, seed=0)
    union = Organisation.disjoint_union(small, other)
    assert union.size == 56
    assert union.manager[6] == -1 and union.manager[7] == 6
    assert union.ties[:6, 6:].nnz == 0
    assert (union.ties[6:, 6:] != other.ties).nnz == 0
    names = np.array(union.department_names)
    assert names[union.department[:6]].tolist() == ["exec", "sales", "it", "sales", "sales", "it"]
    assert (names[union.department[6:]] == np.array(other.department_names)[other.department]).all()
    assert union.describe()["components"] == 2
    twice = Organisation.disjoint_union(small, small)
    assert len(set(twice.ids)) == 12  # shared ids are prefixed


def test_organisations_compare_with_equals_not_identity(small):
    copy = Organisation.from_arrays(
        manager=small.manager,
        ties=small.ties,
        department=small.department,
        department_names=small.department_names,
        site=small.site,
        site_names=small.site_names,
        frontline=small.frontline,
        ids=small.ids,
    )
    assert copy.equals(small)
    assert "size=6" in repr(small)
