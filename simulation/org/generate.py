"""A synthetic organisation: reporting tree, departments, sites, frontline staff, informal ties.

Built directly as numpy arrays and one scipy.sparse matrix, with loops over departments and
levels only (never over people): 100,000 people in about 0.15 s, a million in 2-3 s on the
project's 2-core machines (tests/test_org_generate.py checks the 100,000 case).

The recipe (each step its own random stream under the seed, so a step can change without
shifting the others):

1. The CEO (level 0, department "executive") has one direct report per department, its head.
2. Each department's people (its share of the head-count) form a tree under its head, grown
   level by level: each manager gets ``1 + Poisson(span_of_control - 1)`` direct reports; on
   the last, partial level only as many people manage as keep the mean span on target.
3. Sites: a team sits mostly together. Each manager's team has a site (the manager's own with
   probability 0.5, else drawn by site size); each member is at the team's site with
   probability 0.9, else at a site drawn by size. Site sizes fall as 1, 1/2, 1/3... (an HQ and
   smaller offices): an assumption.
4. Frontline staff are individual contributors (leaves, level >= 2) chosen at random within
   each department, in proportion to the department's frontline share, all shares scaled by one
   factor so that the overall share hits ``frontline_share``.
5. Informal ties: :func:`simulation.org.ties.build_informal_ties` (team ties weight 1.0,
   homophilous cross-team and long-range ties weight 0.5, repeats merged by maximum).
"""

from __future__ import annotations

from numbers import Real

import numpy as np

from simulation.base.errors import OrgDataError
from simulation.org.model import Organisation
from simulation.org.ties import TIE_DEFAULTS, build_informal_ties, check_tie_options, tie_rng

#: Default departments: relative size (share of staff) and frontline share (0-1). Operations
#: and field sales are mostly deskless; legal and finance almost never. Assumptions informed by
#: the frontline figures of Meta 2021 and Yapster 2017 (docs/validation.md) (about 80 % of the world's workers are
#: deskless; office-heavy firms far fewer); scaled to ``frontline_share`` overall.
DEFAULT_DEPARTMENTS: dict[str, tuple[float, float]] = {
    "sales": (0.20, 0.45),
    "marketing": (0.08, 0.05),
    "it": (0.08, 0.10),
    "engineering": (0.15, 0.10),
    "operations": (0.32, 0.75),
    "finance": (0.07, 0.02),
    "hr": (0.05, 0.05),
    "legal": (0.05, 0.00),
}
EXECUTIVE = "executive"
SITE_STICKINESS = 0.5  # probability a manager's team sits at the manager's site
TEAM_COHESION = 0.9  # probability a team member sits at the team's site
_STREAM_TREE, _STREAM_SITES, _STREAM_FRONTLINE = 0, 1, 2


def _rng(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(stream,)))


def _department_table(departments) -> list[tuple[str, float, float]]:
    """Normalise ``departments`` to ``[(name, relative size, frontline share)]``."""
    if departments is None:
        departments = list(DEFAULT_DEPARTMENTS)
    elif isinstance(departments, int) and not isinstance(departments, bool):
        if departments < 1:
            raise OrgDataError(f"departments: must be >= 1, got {departments}")
        names = list(DEFAULT_DEPARTMENTS)
        departments = names[:departments] + [f"dept{i + 1}" for i in range(8, departments)]
    elif isinstance(departments, str):
        departments = [part.strip() for part in departments.replace(";", "|").split("|")]
    if isinstance(departments, list | tuple):
        departments = {name: None for name in departments}
    if not isinstance(departments, dict) or not departments:
        raise OrgDataError(
            f"departments: expected a count, names or a mapping, got {departments!r}"
        )
    default_size = float(np.mean([size for size, _ in DEFAULT_DEPARTMENTS.values()]))
    table = []
    for name, spec in departments.items():
        size, share = DEFAULT_DEPARTMENTS.get(str(name), (default_size, 0.1))
        if isinstance(spec, dict):
            unknown = set(spec) - {"size", "frontline"}
            if unknown:
                raise OrgDataError(f"departments.{name}: unknown key {sorted(unknown)[0]!r}")
            size, share = spec.get("size", size), spec.get("frontline", share)
        elif spec is not None:
            size = spec
        if not str(name).strip():
            raise OrgDataError("departments: empty department name")
        if not (isinstance(size, Real) and size > 0):
            raise OrgDataError(f"departments.{name}.size: must be a number > 0, got {size!r}")
        if not (isinstance(share, Real) and 0 <= share <= 1):
            raise OrgDataError(f"departments.{name}.frontline: must be in 0-1, got {share!r}")
        table.append((str(name).strip(), float(size), float(share)))
    return table


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder)."""
    exact = total * weights / weights.sum()
    counts = np.floor(exact).astype(np.int64)
    short = total - int(counts.sum())
    counts[np.argsort(counts - exact, kind="stable")[:short]] += 1
    return counts


def _grow_tree(people: int, span: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A tree of ``people`` people rooted at local index 0, grown level by level.

    Returns local ``parent`` (-1 for the root) and ``level`` (0 for the root) arrays.
    """
    parent = np.full(people, -1, dtype=np.int64)
    level = np.zeros(people, dtype=np.int64)
    frontier = np.zeros(1, dtype=np.int64)
    placed = 1
    while placed < people:
        remaining = people - placed
        reports = 1 + rng.poisson(span - 1.0, frontier.size)
        if reports.sum() > remaining:
            # Last level: pick just enough managers for the mean span, share people among them.
            managing = int(min(frontier.size, max(1, round(remaining / span))))
            frontier = np.sort(rng.choice(frontier, managing, replace=False))
            extra = rng.integers(0, managing, remaining - managing)
            reports = 1 + np.bincount(extra, minlength=managing)
        new = np.arange(placed, placed + int(reports.sum()))
        parent[new] = np.repeat(frontier, reports)
        level[new] = level[frontier[0]] + 1
        frontier, placed = new, placed + new.size
    return parent, level


def _assign_sites(manager, level, weights, rng) -> np.ndarray:
    """Sites level by level: teams mostly together, at their manager's site more often than not."""
    n = manager.size
    site = np.zeros(n, dtype=np.int64)  # the CEO sits at the first (largest) site
    team_site = np.zeros(n, dtype=np.int64)
    cumulative = np.cumsum(weights) / weights.sum()

    def draw(count):
        return np.minimum(
            np.searchsorted(cumulative, rng.random(count), side="right"), len(weights) - 1
        )

    order = np.argsort(level, kind="stable")
    bounds = np.searchsorted(level[order], np.arange(int(level.max()) + 2))
    for depth in range(1, int(level.max()) + 1):
        people = order[bounds[depth] : bounds[depth + 1]]
        bosses = np.unique(manager[people])
        team_site[bosses] = np.where(
            rng.random(bosses.size) < SITE_STICKINESS, site[bosses], draw(bosses.size)
        )
        site[people] = np.where(
            rng.random(people.size) < TEAM_COHESION, team_site[manager[people]], draw(people.size)
        )
    return site


def _assign_frontline(department, span, level, table_codes, shares, target, rng) -> np.ndarray:
    """Frontline flags on individual contributors, department shares scaled to hit ``target``."""
    n = department.size
    frontline = np.zeros(n, dtype=bool)
    wanted = target * n
    if wanted < 0.5:
        return frontline
    eligible = (span == 0) & (level >= 2)
    headcount = np.bincount(department, minlength=max(table_codes) + 1)[table_codes]
    candidates = np.bincount(department[eligible], minlength=max(table_codes) + 1)[table_codes]
    if wanted > candidates.sum() + 0.5 and n >= 100:
        raise OrgDataError(
            f"frontline_share: {target} is more than the share of individual contributors "
            f"({candidates.sum() / n:.2f}); lower it or raise span_of_control"
        )
    # A tiny organisation cannot hit any share: it gets as many as it has contributors.
    wanted = min(wanted, float(candidates.sum()))
    shares = np.asarray(shares) if np.any(shares) else np.ones(len(shares))
    cap = np.divide(candidates, headcount, out=np.zeros(len(shares)), where=headcount > 0)

    def achieved(scale):
        return float((np.minimum(scale * shares, cap) * headcount).sum())

    low, high = 0.0, float(np.max(np.divide(cap, shares, out=np.zeros_like(cap), where=shares > 0)))
    for _ in range(60):  # bisection on the common scale factor; 60 halvings is exact enough
        middle = (low + high) / 2
        low, high = (middle, high) if achieved(middle) < wanted else (low, middle)
    counts = np.minimum(np.round(np.minimum(high * shares, cap) * headcount), candidates)
    for code, count in zip(table_codes, counts.astype(np.int64), strict=True):
        pool = np.flatnonzero(eligible & (department == code))
        frontline[rng.permutation(pool)[:count]] = True
    return frontline


def _compact(codes: np.ndarray, names: list[str]) -> tuple[np.ndarray, list[str]]:
    """Drop names nobody has (a tiny organisation) and sort the rest, as the CSV reader does.

    Sorted names give the same codes as :func:`simulation.org.table.categorise`, so a generated
    organisation written to CSV and read back with the same seed gets the same ties.
    """
    used = np.flatnonzero(np.bincount(codes, minlength=len(names)) > 0)
    kept = sorted((names[i], i) for i in used)
    remap = np.zeros(len(names), dtype=np.int16)
    remap[[i for _, i in kept]] = np.arange(len(kept))
    return remap[codes], [name for name, _ in kept]


def _ids(n: int) -> np.ndarray:
    """Ids "E0", "E1", ... zero-padded to one width, built as UCS-4 codes (no Python loop)."""
    width = len(str(max(n - 1, 0)))
    codes = np.empty((width + 1, n), dtype=np.uint32)
    codes[0] = ord("E")
    rest = np.arange(n, dtype=np.int64)
    for column in range(width, 0, -1):
        codes[column] = rest % 10 + ord("0")
        rest //= 10
    return np.ascontiguousarray(codes.T).view(f"<U{width + 1}").ravel()


def generate(
    size: int,
    seed: int = 0,
    span_of_control: float = 7.0,
    departments=None,
    frontline_share: float = 0.3,
    sites: int | list[str] = 3,
    team_tie_prob: float = TIE_DEFAULTS["team_tie_prob"],
    cross_ties: float = TIE_DEFAULTS["cross_ties"],
    long_range_ties: float = TIE_DEFAULTS["long_range_ties"],
    homophily_department: float = TIE_DEFAULTS["homophily_department"],
    homophily_site: float = TIE_DEFAULTS["homophily_site"],
) -> Organisation:
    """Generate a synthetic organisation.

    Parameters
    ----------
    size : int
        Head-count (people), >= 1.
    seed : int
        Seed (>= 0); the same seed and options give the same organisation.
    span_of_control : float
        Mean number of direct reports per manager (people), >= 2. Default 7, a common
        benchmark for mixed organisations (assumption; typical range 5-15).
    departments : None, int, str, list of str or dict
        None: the eight :data:`DEFAULT_DEPARTMENTS`. An int: that many (the defaults first). A
        list (or a "|"-separated string) of names: known names keep their defaults, others get
        the mean size and a frontline share of 0.1. A dict: name -> relative size, or name ->
        ``{"size": ..., "frontline": ...}``.
    frontline_share : float
        Overall share (0-1) of frontline / deskless staff; department shares are scaled to it.
        Frontline staff are individual contributors below the department heads, so the share
        cannot exceed theirs (an error from 100 people up; capped below).
    sites : int or list of str
        Number of sites (named site1, site2...) or their names, largest first.
    team_tie_prob, cross_ties, long_range_ties, homophily_department, homophily_site
        Informal tie options, see :func:`simulation.org.ties.build_informal_ties`.

    Returns
    -------
    Organisation
        Named ``generated-<size>``; ids ``E000``, ``E001``...; department "executive" holds
        the CEO alone.
    """
    if (
        isinstance(size, bool)
        or not isinstance(size, Real)
        or not np.isfinite(size)
        or size != int(size)
        or size < 1
    ):
        raise OrgDataError(f"size: must be an integer >= 1, got {size!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise OrgDataError(f"seed: must be an integer >= 0, got {seed!r}")
    if (
        isinstance(span_of_control, bool)
        or not isinstance(span_of_control, Real)
        or not (2 <= span_of_control <= 10_000)
    ):
        raise OrgDataError(f"span_of_control: must be a number in 2-10000, got {span_of_control!r}")
    if (
        isinstance(frontline_share, bool)
        or not isinstance(frontline_share, Real)
        or not (0 <= frontline_share <= 1)
    ):
        raise OrgDataError(f"frontline_share: must be in 0-1, got {frontline_share!r}")
    if isinstance(sites, int) and not isinstance(sites, bool) and 1 <= sites <= 32767:
        site_names = [f"site{i + 1:0{len(str(sites))}d}" for i in range(sites)]
    elif isinstance(sites, list | tuple) and sites and len(set(map(str, sites))) == len(sites):
        site_names = [str(s) for s in sites]
    else:
        raise OrgDataError(f"sites: expected a count >= 1 or distinct names, got {sites!r}")
    tie_options = check_tie_options(
        {
            "team_tie_prob": team_tie_prob,
            "cross_ties": cross_ties,
            "long_range_ties": long_range_ties,
            "homophily_department": homophily_department,
            "homophily_site": homophily_site,
        }
    )
    size, table = int(size), _department_table(departments)
    names = sorted({EXECUTIVE, *(name for name, _, _ in table)})
    codes = [names.index(name) for name, _, _ in table]

    manager = np.full(size, -1, dtype=np.int64)
    level = np.zeros(size, dtype=np.int64)
    department = np.full(size, names.index(EXECUTIVE), dtype=np.int64)
    rng = _rng(seed, _STREAM_TREE)
    start = 1
    headcounts = _apportion(size - 1, np.array([weight for _, weight, _ in table]))
    for code, people in zip(codes, headcounts, strict=True):
        if people == 0:
            continue
        parent, depth = _grow_tree(int(people), float(span_of_control), rng)
        block = slice(start, start + people)
        manager[block] = np.where(parent >= 0, parent + start, 0)  # heads report to the CEO
        level[block] = depth + 1
        department[block] = code
        start += people

    site_weights = 1.0 / np.arange(1, len(site_names) + 1)
    site = _assign_sites(manager, level, site_weights, _rng(seed, _STREAM_SITES))
    span = np.bincount(manager[manager >= 0], minlength=size)
    frontline = _assign_frontline(
        department,
        span,
        level,
        codes,
        [share for _, _, share in table],
        float(frontline_share),
        _rng(seed, _STREAM_FRONTLINE),
    )
    department, department_names = _compact(department, names)
    site, site_names = _compact(site, site_names)
    ties = build_informal_ties(manager, department, site, tie_rng(seed), **tie_options)
    return Organisation(
        manager=manager.astype(np.int32),
        ties=ties,
        level=level.astype(np.int16),
        department=department,
        site=site,
        frontline=frontline,
        department_names=department_names,
        site_names=site_names,
        ids=_ids(size),
        name=f"generated-{size}",
        ties_origin="generated",
    )
