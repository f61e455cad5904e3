"""A SuccessFactors-style HR export, built in code, as a German manufacturer's would come.

Nothing in it is written the way esnsim names things: ``User ID`` / ``Manager User ID``
(zero-padded), the top person's manager ``NO_MANAGER``, :data:`OUTSIDE` people reporting to
managers of another legal entity (ids not in the file), about 3 % ``Status = Inactive`` rows
(some of them managers with active people under them), frontline as ``Employee Class`` (Hourly
Employee / Salaried Employee / Contractor), ``Job Level`` from L1 (shop floor) to L8 (the CEO),
and departments in German. :func:`write_sf_export` writes it as UTF-8 CSV, Windows-1252 CSV,
UTF-16 "Unicode text" (tab-separated) and ``.xlsx``; :class:`Expected` holds what a correct
reading must find.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.org import Organisation

#: The generator's departments and what a German HR system calls them.
DEPARTMENTS = {
    "sales": "Vertrieb",
    "marketing": "Marketing & Kommunikation",
    "it": "Informationstechnik",
    "engineering": "Forschung & Entwicklung",
    "operations": "Produktion",
    "finance": "Finanzen & Controlling",
    "hr": "Personal",
    "legal": "Recht & Compliance",
    "executive": "Vorstand",
}
SITES = {"site1": "München", "site2": "Nürnberg", "site3": "Düsseldorf"}
DIVISIONS = ("Antriebstechnik", "Industriekomponenten", "Zentrale Dienste")
#: People whose manager belongs to another legal entity (not in the file).
OUTSIDE = 12
#: Share 0-1 of rows that are people who left.
INACTIVE_SHARE = 0.03
#: The documented command line's options (docs/how-to/hr-export.md).
COLUMNS = (
    "employee_id=User ID,manager_id=Manager User ID,department=Department,site=Location,"
    "level=Job Level,frontline=Employee Class=Hourly Employee"
)
OPTIONS = ("--columns", COLUMNS, "--where", "Status=Active", "--orphans", "roots")


@dataclass(frozen=True)
class Expected:
    """What a correct reading of the export finds."""

    headcount: int  # active rows
    frontline_share: float  # Hourly Employee among active rows
    inactive: int
    inactive_managers_with_active_reports: int
    outside: int
    ceo: str  # User ID of the top person


def _levels(depth: np.ndarray) -> np.ndarray:
    """``L8`` for the CEO down to ``L1`` (deeper people share L1): levels rise to the top."""
    return np.array([f"L{max(8 - int(d), 1)}" for d in depth], dtype=object)


def build_sf_frame(size: int = 1500, seed: int = 11) -> tuple[pd.DataFrame, Expected]:
    """The export as a table of strings, and what reading it must find."""
    org = Organisation.generate(size, seed=seed)
    rng = np.random.default_rng(seed)
    ids = np.array([f"{100_000 + 7 * i:08d}" for i in range(org.size)], dtype=object)
    ceo = int(np.flatnonzero(org.manager < 0)[0])
    manager = np.where(org.manager >= 0, ids[np.maximum(org.manager, 0)], "NO_MANAGER")
    has_reports = np.bincount(org.manager[org.manager >= 0], minlength=org.size) > 0
    # another legal entity's managers: OUTSIDE people below the top two levels report to them
    candidates = np.flatnonzero(org.level >= 2)
    outside = rng.choice(candidates, size=OUTSIDE, replace=False)
    manager[outside] = [f"{900_000 + k:08d}" for k in range(OUTSIDE)]
    # people who left: some managers (their reports stay, active) and some individuals
    status = np.full(org.size, "Active", dtype=object)
    pool = np.setdiff1d(np.arange(org.size), np.r_[ceo, outside])
    managers_pool = pool[has_reports[pool] & (org.level[pool] >= 1)]
    gone_managers = rng.choice(managers_pool, size=max(3, len(managers_pool) // 20), replace=False)
    n_gone = int(round(INACTIVE_SHARE * org.size))
    rest = np.setdiff1d(pool, gone_managers)
    gone = np.r_[gone_managers, rng.choice(rest, size=n_gone - gone_managers.size, replace=False)]
    status[gone] = "Inactive"
    klass = np.where(org.frontline, "Hourly Employee", "Salaried Employee").astype(object)
    office = np.flatnonzero(~org.frontline)
    klass[rng.choice(office, size=office.size // 25, replace=False)] = "Contractor"
    department = np.array([DEPARTMENTS[org.department_names[d]] for d in org.department], object)
    department[ceo] = "Vorstand"
    frame = pd.DataFrame(
        {
            "User ID": ids,
            "Manager User ID": manager,
            "First Name": [f"Vorname{i}" for i in range(org.size)],
            "Status": status,
            "Employee Class": klass,
            "Job Level": _levels(org.level),
            "Department": department,
            "Division": [DIVISIONS[d % len(DIVISIONS)] for d in org.department],
            "Location": [SITES[org.site_names[s]] for s in org.site],
            "Hire Date": "2019-04-01",
        }
    )
    active = status == "Active"
    gone_with_reports = sum(
        bool((org.manager == g).any() and active[org.manager == g].any()) for g in gone
    )
    expected = Expected(
        headcount=int(active.sum()),
        frontline_share=float((klass[active] == "Hourly Employee").mean()),
        inactive=int((~active).sum()),
        inactive_managers_with_active_reports=gone_with_reports,
        outside=OUTSIDE,
        ceo=str(ids[ceo]),
    )
    return frame, expected


def write_sf_export(folder: Path, size: int = 1500, seed: int = 11) -> tuple[dict, Expected]:
    """Write the export four ways under ``folder``.

    Returns
    -------
    paths : dict
        ``csv`` (UTF-8, comma), ``cp1252`` (Windows-1252, semicolon: Excel's "CSV" on a German
        Windows), ``utf16`` (UTF-16 with BOM, tab: Excel's "Unicode text") and ``xlsx`` (a
        workbook with the export on sheet ``Mitarbeiter`` after a ``Hinweise`` notes sheet).
    expected : Expected
    """
    from openpyxl import Workbook

    frame, expected = build_sf_frame(size, seed)
    folder = Path(folder)
    paths = {
        "csv": folder / "sf_export.csv",
        "cp1252": folder / "sf_export_ansi.csv",
        "utf16": folder / "sf_export_unicode.txt",
        "xlsx": folder / "sf_export.xlsx",
    }
    frame.to_csv(paths["csv"], index=False, encoding="utf-8")
    frame.to_csv(paths["cp1252"], index=False, sep=";", encoding="cp1252")
    frame.to_csv(paths["utf16"], index=False, sep="\t", encoding="utf-16")
    book = Workbook()
    notes = book.active
    notes.title = "Hinweise"
    notes.append(["Export aus SuccessFactors, Stichtag 2026-11-30"])
    sheet = book.create_sheet("Mitarbeiter")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        sheet.append(list(row))
    book.save(paths["xlsx"])
    return paths, expected
