"""A held-in client HR export whose names are unlike the generator's, built in code.

A generated organisation written as a Workday-style export (semicolons, BOM, ``Worker_ID;
Manager_ID;Cost_Center;Work_Location;Frontline_Flag``) with capitalised, multi-word and accented
department and site names, as a real client's would be.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulation.org import Organisation

DEPARTMENTS = {
    "sales": "Sales & Business Development",
    "marketing": "Marketing & Communication",
    "it": "Information Technology",
    "engineering": "Research & Development",
    "operations": "Retail Operations",
    "finance": "Finance & Contrôle de gestion",
    "hr": "Ressources Humaines",
    "legal": "Legal Affairs",
    "executive": "Direction Générale",
}
SITES = {"site1": "Zürich", "site2": "Łódź", "site3": "São Paulo"}
COLUMNS = (
    "employee_id=Worker_ID,manager_id=Manager_ID,department=Cost_Center,site=Work_Location,"
    "frontline=Frontline_Flag"
)


def write_client_export(folder: Path, size: int = 400, seed: int = 3) -> Path:
    """Write ``client_hr.csv`` under ``folder``; returns its path."""
    org = Organisation.generate(size, seed=seed)
    ids = np.array([f"W-{10_000 + i}" for i in range(org.size)], dtype=object)
    manager = np.where(org.manager >= 0, ids[np.maximum(org.manager, 0)], "")
    frame = pd.DataFrame(
        {
            "Worker_ID": ids,
            "Manager_ID": manager,
            "Cost_Center": [DEPARTMENTS[org.department_names[d]] for d in org.department],
            "Work_Location": [SITES[org.site_names[s]] for s in org.site],
            "Frontline_Flag": np.where(org.frontline, "Yes", "No"),
            "Job_Title": "Associate",
        }
    )
    path = Path(folder) / "client_hr.csv"
    frame.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    return path
