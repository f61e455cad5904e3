"""The :class:`Organisation`: formal structure and informal ties as arrays.

An organisation is a set of parallel arrays indexed by person (0..size-1) plus a symmetric
sparse tie matrix. No per-person objects: the engine reads these arrays directly. The arrays are
treated as immutable once built (cached values such as :attr:`Organisation.degree` are not
recomputed if you overwrite them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from simulation.base.errors import OrgDataError
from simulation.org import tree


@dataclass(eq=False)
class Organisation:
    """An organisation: reporting tree, units, frontline flags and informal ties.

    Parameters
    ----------
    manager : ndarray of int32, shape (size,)
        Index of each person's manager, -1 for a root (the CEO).
    ties : scipy.sparse.csr_matrix of float32, shape (size, size)
        Informal ties: symmetric, weights > 0, no self-loops.
    level : ndarray of int16
        Depth in the reporting tree, 0 = top.
    department, site : ndarray of int16
        Codes into ``department_names`` / ``site_names``.
    frontline : ndarray of bool
        True for frontline / deskless staff (mobile-first).
    ids : ndarray of str
        The employee ids of the source (HR export or edge list), as strings.
    attributes : dict of str to ndarray
        Any extra HR columns, kept as arrays of strings.
    name : str
        A short label for outputs (``generated-2000``, ``dataset:krackhardt``...).
    citation : str or None
        Where the data come from, for bundled data sets.
    source : Path or None
        The file it was read from (an HR export), where a roles file may sit beside it
        (:mod:`simulation.org.roles`).
    ties_origin : str or None
        ``"generated"`` (informal ties made on top of the reporting tree: a model, not
        observation), ``"observed"`` (an edge list, a ties file) or None when not known.
    notes : tuple of str
        One line each on how the source was read (the sheet, rows left out, levels turned).

    Notes
    -----
    Construction coerces integer arrays to the dtypes above (lossless only) and calls
    :meth:`validate`, which is vectorised (0.2-0.5 s at a million people).
    """

    manager: np.ndarray
    ties: sp.csr_matrix
    level: np.ndarray
    department: np.ndarray
    site: np.ndarray
    frontline: np.ndarray
    department_names: list[str]
    site_names: list[str]
    ids: np.ndarray
    attributes: dict[str, np.ndarray] = field(default_factory=dict)
    name: str = "organisation"
    citation: str | None = None
    source: Path | None = None
    ties_origin: str | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self.manager = _integers(self.manager, np.int32, "manager")
        self.level = _integers(self.level, np.int16, "level")
        self.department = _integers(self.department, np.int16, "department")
        self.site = _integers(self.site, np.int16, "site")
        self.frontline = np.asarray(self.frontline)
        if self.frontline.dtype != np.bool_:
            self.frontline = _integers(self.frontline, np.int8, "frontline").astype(bool)
        self.ids = np.asarray(self.ids)
        if self.ids.dtype.kind != "U":
            self.ids = self.ids.astype(str)
        self.department_names = [str(n) for n in self.department_names]
        self.site_names = [str(n) for n in self.site_names]
        self.attributes = {str(k): np.asarray(v) for k, v in self.attributes.items()}
        if not sp.issparse(self.ties):
            raise OrgDataError(f"{self.name}: ties: must be a scipy.sparse matrix")
        self.ties = sp.csr_matrix(self.ties, dtype=np.float32)
        self.ties.sum_duplicates()  # canonical form: sorted indices, no repeated entries
        self._centrality: dict[str, np.ndarray] = {}
        self.validate()

    def __repr__(self) -> str:
        return (
            f"Organisation(name={self.name!r}, size={self.size}, ties={self.ties.nnz // 2}, "
            f"departments={len(self.department_names)}, sites={len(self.site_names)})"
        )

    @property
    def size(self) -> int:
        """Head-count (people)."""
        return int(self.manager.shape[0])

    # ------------------------------------------------------------------ checks
    def validate(self) -> None:
        """Check shapes, dtypes, codes, the tree and the tie matrix; raise :class:`OrgDataError`.

        Vectorised: the tree check is pointer doubling (log2 depth rounds), the symmetry check
        one sparse transpose.
        """
        n = self.size

        def fail(what: str, problem: str) -> None:
            raise OrgDataError(f"{self.name}: {what}: {problem}")

        per_person = {
            "manager": (self.manager, np.int32),
            "level": (self.level, np.int16),
            "department": (self.department, np.int16),
            "site": (self.site, np.int16),
            "frontline": (self.frontline, np.bool_),
        }
        for what, (array, dtype) in per_person.items():
            if array.shape != (n,):
                fail(what, f"shape {array.shape}, expected ({n},)")
            if array.dtype != dtype:
                fail(what, f"dtype {array.dtype}, expected {np.dtype(dtype)}")
        if self.ids.shape != (n,):
            fail("ids", f"shape {self.ids.shape}, expected ({n},)")
        for what, array in self.attributes.items():
            if array.shape != (n,):
                fail(f"attributes[{what!r}]", f"shape {array.shape}, expected ({n},)")
        for what, codes, names in (
            ("department", self.department, self.department_names),
            ("site", self.site, self.site_names),
        ):
            if n and (codes.min() < 0 or codes.max() >= len(names)):
                fail(what, f"codes must be in 0..{len(names) - 1} (one per name)")
        if n and self.level.min() < 0:
            fail("level", "must be >= 0")
        if n and (self.manager.min() < -1 or self.manager.max() >= n):
            fail("manager", f"indices must be -1 (root) or in 0..{n - 1}")
        _, stuck = tree.depths(self.manager)
        if stuck.any():
            cycle = tree.find_cycle(self.manager, int(np.flatnonzero(stuck)[0]))
            fail("manager", "reporting cycle through " + " -> ".join(self.ids[cycle][:10]))
        self._validate_ties(fail)

    def _validate_ties(self, fail) -> None:
        ties, n = self.ties, self.size
        if ties.shape != (n, n):
            fail("ties", f"shape {ties.shape}, expected ({n}, {n})")
        if ties.nnz and not (np.isfinite(ties.data).all() and ties.data.min() > 0):
            fail("ties", "weights must be finite and > 0")
        if np.count_nonzero(ties.diagonal()):
            fail("ties", "self-loops are not allowed")
        transposed = ties.transpose().tocsr()
        transposed.sort_indices()
        if not (
            np.array_equal(ties.indptr, transposed.indptr)
            and np.array_equal(ties.indices, transposed.indices)
            and np.array_equal(ties.data, transposed.data)
        ):
            fail("ties", "matrix must be symmetric (same weight both ways)")

    def equals(self, other: Organisation) -> bool:
        """True when every array, name list and the tie matrix are identical."""
        if self.size != other.size or self.attributes.keys() != other.attributes.keys():
            return False
        same = all(
            np.array_equal(getattr(self, key), getattr(other, key))
            for key in ("manager", "level", "department", "site", "frontline", "ids")
        )
        same = same and all(
            np.array_equal(self.attributes[k], other.attributes[k]) for k in self.attributes
        )
        return (
            same
            and self.department_names == other.department_names
            and self.site_names == other.site_names
            and self.ties.shape == other.ties.shape
            and (self.ties != other.ties).nnz == 0
        )

    # ------------------------------------------------------------------ derived arrays
    @cached_property
    def degree(self) -> np.ndarray:
        """Weighted degree (sum of tie weights) per person, float32."""
        return np.asarray(self.ties.sum(axis=1), dtype=np.float32).ravel()

    @cached_property
    def span(self) -> np.ndarray:
        """Number of direct reports per person (span of control; 0 for individual contributors)."""
        has_manager = self.manager >= 0
        return np.bincount(self.manager[has_manager], minlength=self.size).astype(np.int32)

    @cached_property
    def _children(self) -> tuple[np.ndarray, np.ndarray]:
        return tree.children_csr(self.manager)

    def direct_reports(self, person: int) -> np.ndarray:
        """Indices of ``person``'s direct reports (their team), in index order."""
        indptr, reports = self._children
        return reports[indptr[person] : indptr[person + 1]]

    def team_of(self, person: int) -> np.ndarray:
        """Indices of the people who share ``person``'s manager (``person`` included).

        A root's team is the root alone.
        """
        boss = int(self.manager[person])
        return self.direct_reports(boss) if boss >= 0 else np.array([person], dtype=np.int64)

    def subtree(self, person: int) -> np.ndarray:
        """Indices of everyone under ``person`` (direct and indirect reports), breadth-first."""
        indptr, reports = self._children
        return tree.subtree(indptr, reports, int(person))

    # ------------------------------------------------------------------ analysis
    def to_networkx(self, kind: str = "ties"):
        """A networkx view for analysis and drawing (not for the simulation's hot path).

        Parameters
        ----------
        kind : {"ties", "reporting"}
            ``"ties"``: an undirected ``Graph`` of the informal ties with ``weight``;
            ``"reporting"``: a ``DiGraph`` with an edge from each manager to each report.
            Nodes are indices 0..size-1 with attributes ``id``, ``level``, ``department``,
            ``site``, ``frontline`` and any extra HR columns.
        """
        from simulation.org.analysis import to_networkx

        return to_networkx(self, kind)

    def describe(self) -> dict:
        """Head-count, tree shape, units, frontline share and tie statistics as a dict.

        See :func:`simulation.org.analysis.describe` for the keys.
        """
        from simulation.org.analysis import describe

        return describe(self)

    def centrality(self, kind: str = "degree") -> np.ndarray:
        """Centrality per person (float64), cached.

        Parameters
        ----------
        kind : {"degree", "betweenness", "eigenvector"}
            ``degree``: weighted degree. ``betweenness``: networkx, unweighted, approximated
            from a fixed sample of 256 sources above 1,000 people. ``eigenvector``: the
            leading eigenvector of the tie matrix (scipy ``eigsh``), scaled to max 1.
        """
        if kind not in self._centrality:
            from simulation.org.analysis import centrality

            self._centrality[kind] = centrality(self, kind)
        return self._centrality[kind]

    # ------------------------------------------------------------------ constructors
    @classmethod
    def generate(cls, size: int, seed: int = 0, **options) -> Organisation:
        """A synthetic organisation; see :func:`simulation.org.generate.generate`."""
        from simulation.org.generate import generate

        return generate(size, seed=seed, **options)

    @classmethod
    def from_hr_csv(
        cls,
        path: str | Path,
        columns: dict[str, str] | None = None,
        ties: str | Path | None = None,
        seed: int = 0,
        **options,
    ) -> Organisation:
        """An HR export, CSV or ``.xlsx``; see :func:`simulation.org.hr_csv.from_hr_csv` (its
        reading options ``sheet``, ``encoding``, ``where``, ``root_marker``, ``orphans`` and the
        generated ties' options are keywords here too)."""
        from simulation.org.hr_csv import from_hr_csv

        return from_hr_csv(path, columns=columns, ties=ties, seed=seed, **options)

    @classmethod
    def from_edgelist(
        cls, path: str | Path, attributes: str | Path | None = None, columns=None
    ) -> Organisation:
        """An observed network; see :func:`simulation.org.edgelist.from_edgelist`."""
        from simulation.org.edgelist import from_edgelist

        return from_edgelist(path, attributes=attributes, columns=columns)

    @classmethod
    def from_arrays(
        cls,
        manager,
        ties,
        department=None,
        site=None,
        frontline=None,
        level=None,
        department_names: list[str] | None = None,
        site_names: list[str] | None = None,
        ids=None,
        attributes: dict | None = None,
        name: str = "organisation",
        citation: str | None = None,
    ) -> Organisation:
        """Build from plain arrays, filling what is missing.

        Parameters
        ----------
        manager : array of int
            Manager index per person, -1 for a root.
        ties : array or sparse matrix, shape (size, size)
            Made symmetric (maximum of both directions); the diagonal is dropped.
        department, site : array of int codes (with ``*_names``) or of labels, optional
            Labels are turned into codes with sorted names; missing means one "unknown" unit.
        frontline : array of bool, optional (default all False)
        level : array of int, optional (default: depth in the tree)
        ids : array, optional (default "0", "1", ...)
        """
        from simulation.org.table import categorise

        manager = np.asarray(manager, dtype=np.int64)
        n = manager.size

        def units(values, names, what):
            if values is None:
                return np.zeros(n, dtype=np.int16), ["unknown"]
            values = np.asarray(values)
            if names is None or values.dtype.kind not in "iu":
                return categorise(values, what)
            return values, list(names)

        department, department_names = units(department, department_names, "department")
        site, site_names = units(site, site_names, "site")
        if level is None:
            if n and (manager.min() < -1 or manager.max() >= n):
                raise OrgDataError(f"{name}: manager: indices must be -1 (root) or in 0..{n - 1}")
            depth, stuck = tree.depths(manager)
            level = np.where(stuck, 0, depth)  # a cycle is reported by validate()
        return cls(
            manager=manager,
            ties=_symmetric(ties, n),
            level=level,
            department=department,
            site=site,
            frontline=np.zeros(n, dtype=bool) if frontline is None else frontline,
            department_names=department_names,
            site_names=site_names,
            ids=np.arange(n).astype(str) if ids is None else ids,
            attributes=dict(attributes or {}),
            name=name,
            citation=citation,
        )

    @classmethod
    def disjoint_union(cls, a: Organisation, b: Organisation) -> Organisation:
        """One organisation made of ``a`` then ``b``, with no tie between (see :mod:`.combine`)."""
        from simulation.org.combine import disjoint_union

        return disjoint_union(a, b)


def _integers(values, dtype, what: str) -> np.ndarray:
    """``values`` as ``dtype`` if that loses nothing; otherwise :class:`OrgDataError`."""
    array = np.asarray(values)
    if array.dtype == dtype:
        return array
    if array.dtype.kind not in "iub" and array.size:
        raise OrgDataError(f"{what}: expected integers, got dtype {array.dtype}")
    converted = array.astype(dtype)
    if array.size and not np.array_equal(converted, array):
        raise OrgDataError(f"{what}: values do not fit in {np.dtype(dtype)}")
    return converted


def _symmetric(ties, n: int) -> sp.csr_matrix:
    """A CSR tie matrix made symmetric by the maximum of both directions, without diagonal."""
    matrix = sp.coo_matrix(ties if sp.issparse(ties) else np.asarray(ties), dtype=np.float32)
    if matrix.shape != (n, n):
        raise OrgDataError(f"ties: shape {matrix.shape}, expected ({n}, {n})")
    if matrix.nnz and not (np.isfinite(matrix.data).all() and matrix.data.min() >= 0):
        raise OrgDataError("ties: weights must be finite and >= 0")
    keep = (matrix.row != matrix.col) & (matrix.data != 0)
    matrix = sp.csr_matrix(
        (matrix.data[keep], (matrix.row[keep], matrix.col[keep])), shape=(n, n), dtype=np.float32
    )
    return matrix.maximum(matrix.T).tocsr()
