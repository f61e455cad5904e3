"""Showing and writing an organisation: the text of ``esnsim org inspect`` and an HR CSV export."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from simulation.org.model import Organisation

#: Units listed one by one up to this many; beyond, the largest few and a count of the rest.
MAX_LISTED_UNITS = 12


def _units(counts: dict[str, int], headcount: int) -> list[tuple[str, str]]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    rows = [
        (f"  {name}", f"{count:,} ({count / headcount:.1%})")
        for name, count in ranked[:MAX_LISTED_UNITS]
    ]
    if len(ranked) > MAX_LISTED_UNITS:
        rest = sum(count for _, count in ranked[MAX_LISTED_UNITS:])
        rows.append(
            (f"  ({len(ranked) - MAX_LISTED_UNITS} more)", f"{rest:,} ({rest / headcount:.1%})")
        )
    return rows


def ties_note(org: Organisation) -> str | None:
    """One line saying the informal ties are generated, not observed, and how to load observed
    ones; None when they are observed or their origin is not known."""
    if getattr(org, "ties_origin", None) != "generated":
        return None
    how = (
        "--ties EDGES.csv beside --org (or ties: in the scenario's organisation block)"
        if org.source is not None
        else "an HR export with --ties EDGES.csv, or --org edgelist:EDGES.csv"
    )
    return (
        "Informal ties are generated on the reporting tree (a model, not observed); "
        f"to use observed ones (e-mail or chat metadata) give {how}."
    )


def format_description(org: Organisation) -> str:
    """A readable multi-line table of :meth:`Organisation.describe`, for ``esnsim org inspect``
    (first line: the ties' origin, when generated)."""
    d = org.describe()
    n = max(d["headcount"], 1)
    if d["reporting_tree"]:
        tree_rows = [
            ("Reporting tree", f"{d['depth']} levels, {d['roots']:,} root(s)"),
            ("Managers", f"{d['managers']:,}"),
            ("Span of control", f"mean {d['mean_span']:.2f}, max {d['max_span']:,} direct reports"),
        ]
    else:
        tree_rows = [("Reporting tree", "none (no manager data: everyone is a root)")]
    if not d["levels_from_tree"]:  # the level column's own grades, beside the tree's depth
        low, high = int(org.level.min()), int(org.level.max())
        tree_rows.append(("Levels", f"{d['levels']:,} distinct, {low} (top) to {high} (as given)"))
    rows = [
        ("Organisation", d["name"]),
        ("Head-count", f"{d['headcount']:,}"),
        *tree_rows,
        ("Departments", f"{d['departments']:,}"),
        *_units(d["department_counts"], n),
        ("Sites", f"{d['sites']:,}"),
        *_units(d["site_counts"], n),
        ("Frontline share", f"{d['frontline_share']:.1%}"),
        ("Informal ties", f"{d['ties']:,} (mean tie weight {d['mean_tie_weight']:.2f})"),
        ("Ties per person", f"{d['ties_per_person']:.2f}"),
        ("People without ties", f"{d['isolated']:,}"),
        ("Average clustering", f"{d['average_clustering']:.3f} ({d['clustering_method']})"),
        (
            "Connected components",
            f"{d['components']:,} (largest holds {d['largest_component_share']:.1%})",
        ),
    ]
    if d["citation"]:
        rows.append(("Citation", d["citation"]))
    width = max(len(label) for label, _ in rows)
    note = ties_note(org)
    table = [f"{label:<{width}}  {value}" for label, value in rows]
    return "\n".join([note, *table] if note else table)


def format_roles(org: Organisation, roles: dict | None = None) -> str:
    """What each role stands for on ``org`` and how that was decided, for ``org inspect``.

    ``roles`` are the command line's mappings (``--departments``...); a roles file beside the HR
    export and the heuristic come after them (:mod:`simulation.org.roles`).
    """
    from simulation.org.roles import MAX_SHOWN, resolver_for, roles_file_for

    resolver = resolver_for(org, cli_roles=roles)
    file = roles_file_for(org)
    title = f"Roles (from {file.name}, then the heuristic)" if file else "Roles (heuristic)"
    rows = []
    for kind, role, resolved in resolver.describe():
        names = list(resolved.names)
        shown = ", ".join(str(n) for n in names[:MAX_SHOWN])
        if len(names) > MAX_SHOWN:
            shown += f" and {len(names) - MAX_SHOWN} more"
        rows.append((f"  {kind[:-1] if kind != 'levels' else 'level'} {role}", shown, resolved.how))
    width = max(len(label) for label, _, _ in rows)
    body = [f"{label:<{width}}  {shown}  [{how}]" for label, shown, how in rows]
    return "\n".join([title, *body])


def _atomic_write(path: Path, frame: pd.DataFrame) -> None:
    """Write to a temporary name and rename, so an interrupted export never looks complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    frame.to_csv(partial, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    os.replace(partial, path)


def to_hr_csv(org: Organisation, path: str | Path, ties: str | Path | None = None) -> None:
    """Write an HR CSV that :func:`simulation.org.hr_csv.from_hr_csv` reads back identically.

    Parameters
    ----------
    org : Organisation
    path : path
        The HR CSV: ``employee_id, manager_id, department, site, frontline, level`` (frontline as
        true/false, manager_id empty for a root) and any extra attributes, UTF-8, comma.
    ties : path, optional
        Also write the ties as an edge list ``source,target,weight`` (each tie once). Read back
        with ``from_hr_csv(path, ties=...)`` to get exactly these ties; without it,
        ``from_hr_csv(path, seed=s)`` regenerates the ties of ``Organisation.generate(..., seed=s)``.
    """
    ids = org.ids.astype(object)
    has_manager = org.manager >= 0
    manager_ids = np.full(org.size, "", dtype=object)
    manager_ids[has_manager] = ids[org.manager[has_manager]]
    columns = {
        "employee_id": ids,
        "manager_id": manager_ids,
        "department": np.asarray(org.department_names, dtype=object)[org.department],
        "site": np.asarray(org.site_names, dtype=object)[org.site],
        "frontline": np.where(org.frontline, "true", "false"),
        "level": org.level,
    }
    for key, values in org.attributes.items():
        if key not in columns:
            columns[key] = values
    _atomic_write(Path(path), pd.DataFrame(columns))
    if ties is not None:
        upper = sp.triu(org.ties, k=1).tocoo()
        edges = pd.DataFrame(
            {"source": ids[upper.row], "target": ids[upper.col], "weight": upper.data.astype(float)}
        )
        _atomic_write(Path(ties), edges)
