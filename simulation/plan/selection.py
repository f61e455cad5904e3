"""Who a component acts on: masks of people by department, site, team or subtree, random picks.

Shared by rollouts (:mod:`simulation.plan.rollout`) and interventions (:mod:`simulation.plan.levers`).
Masks over the organisation are bool arrays (people,); masks that differ by replicate are bool
arrays (replicates, people). Random picks draw from the replicate's own generator of a named
stream (:meth:`simulation.base.streams.Streams.generators`), so they depend only on its seed.
"""

from __future__ import annotations

import numpy as np

from simulation.base.errors import InputError


def department_mask(org, names: list[str] | str, what: str = "departments") -> np.ndarray:
    """Bool (people,) of everyone in the named departments (``"all"`` or ``[]``: everyone).

    Unknown names are skipped; none known is an :class:`InputError` listing the departments.
    """
    if names == "all" or not names:
        return np.ones(org.size, dtype=bool)
    codes = [i for i, name in enumerate(org.department_names) if name in set(names)]
    if not codes:
        raise InputError(
            f"{what}: none of {list(names)} is a department of {org.name} "
            f"(departments: {list(org.department_names)[:12]})"
        )
    return np.isin(org.department, codes)


def site_mask(org, names: list[str]) -> np.ndarray:
    """Bool (people,) of everyone at the named sites (unknown names skipped)."""
    site_names = list(getattr(org, "site_names", []))
    codes = [i for i, name in enumerate(site_names) if name in set(names)]
    return np.isin(org.site, codes)


def has_reporting_lines(org) -> bool:
    """Whether anyone has a manager: an organisation loaded from an edge list alone has none."""
    return bool((np.asarray(org.manager) >= 0).any())


def team_leads(org, eligible: np.ndarray | None = None) -> np.ndarray:
    """Bool (people,): who leads a team among ``eligible`` (default everyone).

    Managers (people with direct reports); on an organisation without reporting lines, where
    no one has a manager, everyone: a person's team is then their contacts in their own
    department (:func:`team_mask`), the closest an edge list comes to a team.
    """
    eligible = np.ones(org.size, dtype=bool) if eligible is None else eligible
    return eligible & (org.span > 0) if has_reporting_lines(org) else eligible.copy()


def team_mask(org, bosses: np.ndarray) -> np.ndarray:
    """Bool (replicates, people): members of the teams of ``bosses`` (R, n).

    A team is a manager's direct reports; without reporting lines (:func:`team_leads`), a
    person's contacts in their own department.
    """
    if not has_reporting_lines(org):
        return _department_contacts(org, bosses)
    manager = org.manager
    has_boss = manager >= 0
    members = np.zeros(bosses.shape, dtype=bool)
    members[:, has_boss] = bosses[:, manager[has_boss]]
    return members


def _department_contacts(org, bosses: np.ndarray) -> np.ndarray:
    """Bool (R, n): the contacts of ``bosses`` who work in the same department as them."""
    ties = org.ties.tocoo()
    department = np.asarray(org.department)
    same = department[ties.row] == department[ties.col]
    rows, cols = ties.row[same], ties.col[same]
    members = np.zeros(bosses.shape, dtype=bool)
    for r in range(bosses.shape[0]):
        members[r, cols[bosses[r, rows]]] = True
    return members


def subtree_mask(org, sponsors: np.ndarray) -> np.ndarray:
    """Bool (replicates, people): everyone under any of ``sponsors`` (R, n), sponsors included.

    One pass per level of the reporting tree (a few levels), no loop over people. Without
    reporting lines, a sponsor's team (:func:`team_mask`) and the sponsor.
    """
    if not has_reporting_lines(org):
        return team_mask(org, sponsors) | sponsors
    covered = sponsors.copy()
    manager = org.manager
    has_boss = manager >= 0
    order = np.argsort(org.level, kind="stable")
    order = order[has_boss[order]]
    # parents come before children in ``order``, so one sweep per level propagates downwards
    for level in np.unique(org.level[order]):
        rows = order[org.level[order] == level]
        covered[:, rows] |= covered[:, manager[rows]]
    return covered


def bernoulli_rows(engine, stream: str, share: float, eligible: np.ndarray) -> np.ndarray:
    """Per replicate, each eligible person (bool, people) chosen with probability ``share``.

    One-off choice from the replicate's own ``stream`` generator: shape (replicates, people).
    """
    chosen = np.zeros((engine.replicates, engine.org.size), dtype=bool)
    for row, rng in zip(chosen, engine.streams.generators(stream), strict=True):
        row[:] = eligible & (rng.random(engine.org.size) < share)
    return chosen


def random_people(
    engine, stream: str, count: int, eligible: np.ndarray | None = None
) -> np.ndarray:
    """Per replicate, ``count`` people drawn at random without replacement: bool (replicates, people).

    Each replicate draws from its own ``stream`` generator, so the choice depends only on that
    replicate's seed. ``eligible`` (bool, people) restricts the draw.
    """
    size = engine.org.size
    pool = np.arange(size) if eligible is None else np.flatnonzero(eligible)
    count = min(int(count), pool.size)
    chosen = np.zeros((engine.replicates, size), dtype=bool)
    for row, rng in zip(chosen, engine.streams.generators(stream), strict=True):
        row[rng.choice(pool, size=count, replace=False)] = True
    return chosen
