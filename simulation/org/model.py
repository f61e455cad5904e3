"""The :class:`Organisation`: formal structure and informal ties as arrays.

An organisation is a set of parallel arrays indexed by person (0..size-1) plus a symmetric
sparse tie matrix. No per-person objects: the engine reads these arrays directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp


@dataclass
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

    @property
    def size(self) -> int:
        """Head-count (people)."""
        return int(self.manager.shape[0])
