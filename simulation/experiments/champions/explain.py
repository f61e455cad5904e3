"""Who the champions are and why: department, level, team, ties and bridges, in plain words.

One row per champion, in the order the search chose them, with the client's employee ids. When
the informal ties are generated, the row leaves the ties out (they are not the person's own) and
speaks of the reporting tree and the departments only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.metrics.replicates import mean_interval

#: the columns of ``champions.csv``, in order (those on ties are empty when ties are generated)
COLUMNS = [
    "rank",
    "employee_id",
    "department",
    "site",
    "level",
    "direct_reports",
    "people_under",
    "contacts",
    "contacts_other_departments",
    "departments_reached",
    "betweenness_rank",
    "contribution",
    "contribution_low",
    "contribution_high",
    "why",
]


def _rank(score: np.ndarray) -> np.ndarray:
    """1 for the highest score (ties to the lower index)."""
    order = np.argsort(-score, kind="stable")
    ranks = np.empty(score.size, dtype=np.int64)
    ranks[order] = np.arange(1, score.size + 1)
    return ranks


def by_contribution(losses: np.ndarray) -> np.ndarray:
    """Rows of ``losses`` (champions x replicates), the biggest mean contribution first: the
    order of champions.csv."""
    return np.argsort(-losses.mean(axis=1), kind="stable")


def people_table(org, scores, people: np.ndarray, losses: np.ndarray) -> pd.DataFrame:
    """The champions with why, the biggest contribution first.

    ``losses`` (champions x replicates) is the sustained weekly active with all of them minus
    that without the person, on the search's seeds: ``contribution`` is its mean (share 0-1 of
    head-count) and ``contribution_low`` / ``contribution_high`` its 90 % paired interval.
    """
    people = np.asarray(people, dtype=np.int64)
    order = by_contribution(losses)
    ties = org.ties.tocsr()
    department = np.asarray(org.department)
    between_rank = _rank(scores.betweenness)
    rows = []
    for rank, k in enumerate(order, start=1):
        person = int(people[k])
        mean, low, high = mean_interval(losses[k])
        contacts = ties.indices[ties.indptr[person] : ties.indptr[person + 1]]
        other = contacts[department[contacts] != department[person]]
        reached = np.unique(department[other]).size
        row = {
            "rank": rank,
            "employee_id": str(org.ids[person]),
            "department": org.department_names[department[person]],
            "site": org.site_names[org.site[person]] if org.site_names else "",
            "level": int(org.level[person]),
            "direct_reports": int(org.span[person]),
            "people_under": int(scores.under[person]),
            "contacts": pd.NA if scores.tree_only else int(contacts.size),
            "contacts_other_departments": pd.NA if scores.tree_only else int(other.size),
            "departments_reached": pd.NA if scores.tree_only else int(reached),
            "betweenness_rank": int(between_rank[person]),
            "contribution": mean,
            "contribution_low": low,
            "contribution_high": high,
        }
        row["why"] = why(row, scores.tree_only, org.size)
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def why(row: dict, tree_only: bool, size: int) -> str:
    """A champion's place in the organisation in a few plain words."""
    parts = [f"{row['department']}, level {row['level']}"]
    if row["direct_reports"]:
        parts.append(f"manages {row['direct_reports']} ({row['people_under']:,} people under them)")
    else:
        parts.append("no direct reports")
    if tree_only:
        if row["betweenness_rank"] <= max(10, size // 100):
            parts.append(f"a junction of the reporting tree (rank {row['betweenness_rank']})")
    else:
        parts.append(
            f"{row['contacts']} contacts, {row['contacts_other_departments']} in "
            f"{row['departments_reached']} other departments"
        )
        if row["betweenness_rank"] <= max(10, size // 100):
            parts.append(f"a bridge (betweenness rank {row['betweenness_rank']})")
    gain = f"without them {-100 * row['contribution']:+.1f} points"
    if np.isfinite(row["contribution_low"]):
        low, high = -100 * row["contribution_high"], -100 * row["contribution_low"]
        gain += f" [{low:+.1f}, {high:+.1f}]"
    parts.append(gain)
    return "; ".join(parts)
