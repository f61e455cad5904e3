"""Make ``client_hr_workday.csv``: a synthetic, anonymised HR export in a Workday-like layout.

Nobody in it exists. The reporting tree, departments, sites and frontline flags come from
esnsim's own generator (``Organisation.generate(400, seed=11, sites=3, frontline_share=0.35)``);
this script renames them the way a Workday "Worker" report names them (header names with spaces,
department names such as "Information Technology" or "People & Culture", city names for sites,
Yes/No flags) and adds columns a real export carries and the simulator keeps but does not need
(worker type, time type, hire date, cost centre). Run it again to remake the file byte for byte:

    python examples/make_client_hr.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from simulation.org.model import Organisation

HERE = Path(__file__).resolve().parent
OUT = HERE / "client_hr_workday.csv"
SEED = 11
DEPARTMENTS = {
    "executive": "Office of the CEO",
    "sales": "Sales & Business Development",
    "marketing": "Marketing & Communications",
    "it": "Information Technology",
    "engineering": "Research & Development",
    "operations": "Retail Operations",
    "finance": "Finance & Accounting",
    "hr": "People & Culture",
    "legal": "Legal & Compliance",
}
SITES = {"site1": "Lyon (HQ)", "site2": "Manchester", "site3": "Rotterdam Distribution Centre"}


def make(size: int = 400) -> pd.DataFrame:
    """The export as a table (one row a worker, Workday-style headers)."""
    org = Organisation.generate(size, seed=SEED, sites=3, frontline_share=0.35)
    rng = np.random.default_rng(SEED)
    ids = np.array([f"W{10_000 + i}" for i in range(org.size)])
    manager = np.where(org.manager >= 0, ids[np.maximum(org.manager, 0)], "")
    department = np.array(org.department_names)[org.department]
    site = np.array(org.site_names)[org.site]
    hired = pd.Timestamp("2008-01-01") + pd.to_timedelta(rng.integers(0, 6000, org.size), "D")
    return pd.DataFrame(
        {
            "Employee ID": ids,
            "Worker": [f"Worker {i + 1:04d}" for i in range(org.size)],  # anonymised on purpose
            "Manager Employee ID": manager,
            "Supervisory Organization": [DEPARTMENTS[d] for d in department],
            "Location": [SITES[s] for s in site],
            "Frontline Worker": np.where(org.frontline, "Yes", "No"),
            "Management Level": org.level,
            "Worker Type": "Employee",
            "Time Type": np.where(rng.random(org.size) < 0.12, "Part time", "Full time"),
            "Hire Date": hired.strftime("%Y-%m-%d"),
            "Cost Center": [f"CC-{100 + int(c)}" for c in org.department],
        }
    )


if __name__ == "__main__":
    # Workday's CSV downloads start with a byte-order mark; so does this one
    make().to_csv(OUT, index=False, encoding="utf-8-sig")
    print(f"wrote {OUT}")
