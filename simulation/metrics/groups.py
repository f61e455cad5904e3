"""Breakdowns by group (``daily_by_group.parquet``) and the pockets where adoption stalls.

:class:`GroupObserver` is an end-of-day observer of the engine (``engine.observers``). Each day
it counts, for every department, level, site and frontline status and every replicate, the
people who are aware, registered, visited today, active in the last 7 and 30 days, and who
contributed in the last 7 days. One sparse product does it all: a (people x groups) indicator
matrix times the day's stacked (people x masks * replicates) state, about a millisecond a day
for 2,000 people and 30 replicates. Over the last :data:`~simulation.metrics.summary.SUSTAINED_DAYS`
days it also adds up, per person, the days they were weekly active: the pockets (teams under one
manager, sites, departments) are ranked from that (:func:`pockets`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from simulation.model import windows
from simulation.model.daily import DAILY_COLUMNS
from simulation.model.windows import SUSTAINED_DAYS

GROUP_BY = ["department", "level", "site", "frontline"]
# Shares 0-1 of the group's head-count (its staff employed that day: simulation.model.workforce),
# except wau_of_registered (of the group's registered).
GROUP_COLUMNS = DAILY_COLUMNS[: DAILY_COLUMNS.index("heavy_contributors") + 1]
MIN_TEAM = 3  # people: smaller teams are too noisy to call a pocket
_MASKS = 8  # the day's masks counted by group (GroupObserver.observe)


def group_labels(org, group_by: str) -> tuple[np.ndarray, list[str]]:
    """Each person's group code (0..G-1) for ``group_by`` and the group names."""
    if group_by == "department":
        return org.department.astype(np.int64), list(org.department_names)
    if group_by == "site":
        return org.site.astype(np.int64), list(org.site_names)
    if group_by == "frontline":
        return org.frontline.astype(np.int64), ["desk", "frontline"]
    if group_by == "level":
        levels = int(org.level.max()) + 1 if org.size else 0
        return org.level.astype(np.int64), [f"level {k}" for k in range(levels)]
    raise ValueError(f"unknown group_by {group_by!r}; expected one of {GROUP_BY}")


def indicator(codes: list[np.ndarray], sizes: list[int]) -> sp.csr_matrix:
    """A (people x sum(sizes)) 0/1 matrix: person i is in group ``codes[k][i]`` of block k."""
    n = codes[0].size if codes else 0
    offsets = np.cumsum([0, *sizes[:-1]])
    cols = np.concatenate([c + o for c, o in zip(codes, offsets, strict=True)])
    rows = np.tile(np.arange(n), len(codes))
    data = np.ones(cols.size, np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(n, int(sum(sizes))))


class GroupObserver:
    """Counts by department, level, site and frontline status, every day and replicate.

    Parameters
    ----------
    org : Organisation
    days : int
        Days of the run (the last :data:`SUSTAINED_DAYS` are the sustained window).
    replicates : int
        Replicates in the batch.
    """

    def __init__(self, org, days: int, replicates: int):
        self.org = org
        self.days = days
        self.replicates = replicates
        labelled = [group_labels(org, g) for g in GROUP_BY]
        self.names = [names for _, names in labelled]
        self.sizes = [len(names) for names in self.names]
        self.groups = indicator([codes for codes, _ in labelled], self.sizes)
        self.headcount = np.asarray(self.groups.sum(axis=0)).ravel()
        self.counts = np.zeros((days, _MASKS, replicates, self.groups.shape[1]), np.float32)
        self.window_start = max(0, days - SUSTAINED_DAYS)
        self.weekly_days = np.zeros((replicates, org.size), np.int16)
        self.days_recorded = 0

    def observe(self, engine, day: int, visited: np.ndarray) -> None:
        """Record ``day``'s counts by group (called by the engine after the day's counts)."""
        people = engine.people
        stage, last_visit, week_posts = people.stage, people.last_visit, people.week_posts
        weekly = windows.weekly_active(last_visit, day)
        heavy = engine.scenario.posting.heavy_per_week
        # the classes of people of simulation.model.windows (lurkers and contributors are
        # told apart in ``table`` from the weekly active who posted and the heavy contributors)
        masks = np.stack(
            [
                windows.is_aware(stage),
                windows.is_registered(stage),
                visited,
                weekly,
                windows.monthly_active(last_visit, day),
                windows.is_posting(weekly, week_posts),
                windows.is_heavy(week_posts, heavy),
                people.employed,  # the divisor: the group's staff employed today
            ]
        ).astype(np.float32)
        reps, size = stage.shape
        # (groups x people) @ (people x masks*reps): one sparse product for every count
        counts = self.groups.T @ masks.reshape(-1, size).T
        self.counts[day] = counts.T.reshape(_MASKS, reps, -1)
        if day >= self.window_start:
            self.weekly_days += weekly
        self.days_recorded = day + 1

    def table(self, scenario: str, seeds, base_seed: int) -> pd.DataFrame:
        """The ``daily_by_group`` rows of this batch (shares 0-1 of each group's head-count)."""
        days, reps, n_groups = self.days_recorded, self.replicates, self.groups.shape[1]
        counts = self.counts[:days]
        aware, registered, dau, wau, mau, posting, heavy, staff = (
            counts[:, k] for k in range(_MASKS)
        )
        head = np.maximum(staff, 1.0)  # the group's staff employed that day
        values = {
            "aware": aware / head,
            "registered": registered / head,
            "dau": dau / head,
            "wau": wau / head,
            "mau": mau / head,
            "wau_of_registered": np.divide(
                wau, registered, out=np.zeros_like(wau), where=registered > 0
            ),
            "lurkers": (wau - posting) / head,
            "contributors": (posting - heavy) / head,
            "heavy_contributors": heavy / head,
        }
        # rows ordered replicate, group, day; value arrays are (days, reps, groups)
        seeds = np.asarray(seeds, dtype=np.int64)
        group_by = np.repeat(GROUP_BY, self.sizes)
        names = np.concatenate([np.asarray(n, dtype=object) for n in self.names])
        frame = pd.DataFrame(
            {
                "scenario": scenario,
                "replicate": np.repeat(seeds - base_seed, n_groups * days),
                "seed": np.repeat(seeds, n_groups * days),
                "day": np.tile(np.arange(days, dtype=np.int64), reps * n_groups),
                "group_by": np.tile(np.repeat(group_by, days), reps),
                "group": np.tile(np.repeat(names, days), reps),
                "headcount": staff.transpose(1, 2, 0).reshape(-1).astype(np.int64),
            }
        )
        for column in GROUP_COLUMNS:
            frame[column] = values[column].transpose(1, 2, 0).reshape(-1).astype(np.float64)
        return frame

    def sustained_by_person(self) -> np.ndarray:
        """Share 0-1 of the sustained window each person was weekly active, (replicates, people)."""
        window = max(1, self.days_recorded - self.window_start)
        return self.weekly_days / np.float32(window)


def pocket_units(org) -> list[tuple[str, np.ndarray, list[str]]]:
    """The units pockets are looked for in: (kind, code per person or -1, names).

    Teams are the direct reports of one manager (at least :data:`MIN_TEAM` people), named by
    the manager's id and department.
    """
    manager = org.manager.astype(np.int64)
    has = manager >= 0
    size = np.bincount(manager[has], minlength=org.size)
    managers = np.flatnonzero(size >= MIN_TEAM)
    code = np.full(org.size, -1, np.int64)
    lookup = np.full(org.size, -1, np.int64)
    lookup[managers] = np.arange(managers.size)
    code[has] = lookup[manager[has]]
    team_names = [
        f"team of {org.ids[m]} ({org.department_names[org.department[m]]})" for m in managers
    ]
    return [
        ("team", code, team_names),
        ("site", org.site.astype(np.int64), list(org.site_names)),
        ("department", org.department.astype(np.int64), list(org.department_names)),
    ]


def pockets(
    org, sustained: np.ndarray, registered: np.ndarray, scenario: str, replicates
) -> pd.DataFrame:
    """Per replicate and unit: sustained weekly-active share against the organisation's.

    Parameters
    ----------
    sustained : ndarray (replicates, people)
        Share 0-1 of the sustained window each person was weekly active.
    registered : ndarray (replicates, people) of bool
        Who is registered at the end of the run.

    Returns
    -------
    DataFrame
        ``scenario, replicate, kind, group, size, registered, sustained_wau,
        org_sustained_wau, gap`` (gap = organisation minus unit, in share points 0-1).
    """
    frames = []
    org_level = sustained.mean(axis=1)
    for kind, code, names in pocket_units(org):
        inside = code >= 0
        count = np.bincount(code[inside], minlength=len(names)).astype(np.float64)
        keep = count > 0
        matrix = indicator([code[inside]], [len(names)])
        share = (sustained[:, inside] @ matrix) / np.maximum(count, 1.0)
        reg = (registered[:, inside].astype(np.float32) @ matrix) / np.maximum(count, 1.0)
        reps = sustained.shape[0]
        idx = np.flatnonzero(keep)
        frames.append(
            pd.DataFrame(
                {
                    "scenario": scenario,
                    "replicate": np.repeat(np.asarray(replicates, np.int64), idx.size),
                    "kind": kind,
                    "group": np.tile(np.asarray(names, dtype=object)[idx], reps),
                    "size": np.tile(count[idx].astype(np.int64), reps),
                    "registered": np.asarray(reg)[:, idx].reshape(-1).astype(np.float64),
                    "sustained_wau": np.asarray(share)[:, idx].reshape(-1).astype(np.float64),
                    "org_sustained_wau": np.repeat(org_level, idx.size).astype(np.float64),
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    out["gap"] = out["org_sustained_wau"] - out["sustained_wau"]
    return out


def rank_pockets(per_run: pd.DataFrame) -> pd.DataFrame:
    """Pockets across replicates: mean shares and gap with a 90 % band, ranked by mean gap.

    ``rank`` is 1 for the unit furthest below the organisation, within each scenario and kind;
    ``below_share`` is the share 0-1 of replicates where the unit is below the organisation.
    """
    keys = ["scenario", "kind", "group"]
    grouped = per_run.groupby(keys, sort=False)
    out = grouped.agg(
        size=("size", "first"),
        registered=("registered", "mean"),
        sustained_wau=("sustained_wau", "mean"),
        org_sustained_wau=("org_sustained_wau", "mean"),
        gap=("gap", "mean"),
        gap_low=("gap", lambda s: s.quantile(0.05)),
        gap_high=("gap", lambda s: s.quantile(0.95)),
        below_share=("gap", lambda s: float((s > 0).mean())),
    ).reset_index()
    out = out.sort_values(["scenario", "kind", "gap"], ascending=[True, True, False], kind="stable")
    out["rank"] = out.groupby(["scenario", "kind"]).cumcount() + 1
    order = {name: i for i, name in enumerate(dict.fromkeys(per_run["scenario"]))}
    out = out.sort_values(
        ["scenario", "kind", "rank"], key=lambda s: s.map(order) if s.name == "scenario" else s
    )
    return out.reset_index(drop=True)
