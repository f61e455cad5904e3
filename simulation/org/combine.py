"""Combining organisations: two firms side by side (the common-random-numbers check, mergers)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from simulation.org.model import Organisation


def disjoint_union(a: Organisation, b: Organisation) -> Organisation:
    """One organisation made of ``a`` (indices 0..a.size-1) then ``b``, with no tie between.

    Unit names are merged (sorted); ids are prefixed with ``1:`` / ``2:`` only if the two
    share an id. Extra attributes missing on one side are filled with "".
    """

    def merged(names_a, codes_a, names_b, codes_b):
        names = sorted(set(names_a) | set(names_b))
        lookup = {name: i for i, name in enumerate(names)}
        remap_a = np.array([lookup[x] for x in names_a], dtype=np.int16)
        remap_b = np.array([lookup[x] for x in names_b], dtype=np.int16)
        return np.concatenate([remap_a[codes_a], remap_b[codes_b]]), names

    department, department_names = merged(
        a.department_names, a.department, b.department_names, b.department
    )
    site, site_names = merged(a.site_names, a.site, b.site_names, b.site)
    ids_a, ids_b = a.ids, b.ids
    if np.intersect1d(ids_a, ids_b).size:
        ids_a, ids_b = np.char.add("1:", ids_a), np.char.add("2:", ids_b)
    attributes = {
        key: np.concatenate(
            [
                np.asarray(a.attributes.get(key, np.full(a.size, "")), dtype=str),
                np.asarray(b.attributes.get(key, np.full(b.size, "")), dtype=str),
            ]
        )
        for key in {**a.attributes, **b.attributes}
    }
    citations = [c for c in (a.citation, b.citation) if c]
    return Organisation(
        manager=np.concatenate([a.manager, np.where(b.manager >= 0, b.manager + a.size, -1)]),
        ties=sp.block_diag((a.ties, b.ties), format="csr", dtype=np.float32),
        level=np.concatenate([a.level, b.level]),
        department=department,
        site=site,
        frontline=np.concatenate([a.frontline, b.frontline]),
        department_names=department_names,
        site_names=site_names,
        ids=np.concatenate([ids_a, ids_b]),
        attributes=attributes,
        name=f"{a.name}+{b.name}",
        citation="; ".join(citations) or None,
        ties_origin=a.ties_origin if a.ties_origin == b.ties_origin else None,
    )
