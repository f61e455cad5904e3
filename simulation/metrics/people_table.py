"""``people.parquet`` (``esnsim run --people``): each person's end state, to compare who adopted
in the model with who really did.

One row per replicate and person: ``scenario, replicate, seed, employee_id, department,
registered_day`` (null if never), ``last_visit`` (day, null if never), ``posts`` (since the
start) and ``stage`` (``unaware``, ``aware``, ``never``, ``registered``, ``lapsed``,
``dormant``, or ``vacant`` for a position without a holder: ``employee_id`` is the position's)
at the end of the run. Only the replicates of the first batch are kept (the
in-process model: at most ``--batch-size``, 50 by default).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.model.people import NEVER_VISITED, Stage

PEOPLE_COLUMNS = [
    "scenario",
    "replicate",
    "seed",
    "employee_id",
    "department",
    "registered_day",
    "last_visit",
    "posts",
    "stage",
]


def people_table(model) -> pd.DataFrame:
    """The end state of every person of every replicate of ``model`` (an ESNModel)."""
    engine, org = model.engine, model.engine.org
    people, seeds = engine.people, np.asarray(engine.seeds, dtype=np.int64)
    reps, size = people.stage.shape
    # by code; the lowest code is -1 (a vacant position: simulation.model.workforce)
    low = min(Stage)
    names = np.array([Stage(code).name.lower() for code in range(low, max(Stage) + 1)])
    registered = people.registered_day.astype("float64")
    registered[people.registered_day < 0] = np.nan
    last = people.last_visit.astype("float64")
    last[people.last_visit == NEVER_VISITED] = np.nan
    departments = np.asarray(org.department_names, dtype=object)[org.department]
    frame = pd.DataFrame(
        {
            "scenario": engine.scenario.name,
            "replicate": np.repeat(seeds - engine.scenario.seed, size),
            "seed": np.repeat(seeds, size),
            "employee_id": np.tile(org.ids, reps),
            "department": np.tile(departments, reps),
            "registered_day": pd.array(registered.ravel(), dtype="Int64"),
            "last_visit": pd.array(last.ravel(), dtype="Int64"),
            "posts": people.total_posts.ravel().astype(np.int64),
            "stage": names[people.stage.ravel().astype(int) - low],
        }
    )
    return frame[PEOPLE_COLUMNS]
