"""The golden record: outputs of every shipped scenario, recorded once, recomputed by a test.

    .venv/bin/python tests/golden/record.py          # (re-)record into tests/golden/*.parquet

What is recorded (``tests/test_golden.py`` recomputes it and asserts every value equal):

- ``runs_daily.parquet`` / ``runs_summary.parquet``: every ``scenarios/*.yaml`` on a generated
  1,000-person organisation (``generate:size=1000``, seed 0), and :data:`REAL_SCENARIOS` on
  ``dataset:email_eu_core``; :data:`REPLICATES` replicates of :data:`DAYS` days each; the full
  ``daily.parquet`` and ``summary.parquet`` tables, plus ``file`` (the scenario file's name)
  and ``org`` (the organisation spec);
- ``compare.parquet`` / ``pockets.parquet``: the comparison :data:`COMPARISON` (3 replicates,
  same organisation and days), the tables ``esnsim compare`` writes under those names;
- ``validation.parquet``: ``esnsim validate --quick`` (every pattern, the quick settings).

Only refresh the record when a change is *meant* to alter results, and say so in the commit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SCENARIOS = ROOT / "scenarios"
GENERATED = "generate:size=1000"
REAL = "dataset:email_eu_core"
REAL_SCENARIOS = ("all_staff_announcement.yaml", "top_down_cascade.yaml")
REPLICATES = 3
DAYS = 120
SEED = 0
COMPARISON = ("top_down_mandate.yaml", "full_support.yaml")
TARGETS = ("wau>=0.4@100", "sustained_wau>=0.3")

#: the columns that identify a row of each recorded table
KEYS = {
    "runs_daily": ["file", "org", "replicate", "day"],
    "runs_summary": ["file", "org", "replicate"],
    "compare": ["section", "scenario", "metric", "day", "reference"],
    "pockets": ["scenario", "kind", "group"],
    "validation": ["pattern"],
}


def scenario_files() -> list[str]:
    """The shipped scenario files' names, sorted."""
    return sorted(p.name for p in SCENARIOS.glob("*.yaml"))


def cases() -> list[tuple[str, str]]:
    """(scenario file, organisation spec) of every recorded run."""
    return [(f, GENERATED) for f in scenario_files()] + [(f, REAL) for f in REAL_SCENARIOS]


def run_case(file: str, org_spec: str, orgs: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The daily and summary tables of one scenario file on one organisation."""
    from simulation.experiments.sim import Sim
    from simulation.org import load_org

    if org_spec not in orgs:
        orgs[org_spec] = load_org(org_spec)
    sim = Sim(SCENARIOS / file, org=orgs[org_spec], seed=SEED, days=DAYS, replicates=REPLICATES)
    sim.run()
    tables = []
    for frame in (sim.daily, sim.summary):
        frame = frame.copy()
        frame.insert(0, "org", org_spec)
        frame.insert(0, "file", file)
        tables.append(frame)
    return tables[0], tables[1]


def runs(files: list[tuple[str, str]] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``runs_daily`` and ``runs_summary`` of ``files`` (default: every case)."""
    orgs: dict = {}
    daily, summary = [], []
    for file, org_spec in files or cases():
        d, s = run_case(file, org_spec, orgs)
        daily.append(d)
        summary.append(s)
    return pd.concat(daily, ignore_index=True), pd.concat(summary, ignore_index=True)


def comparison() -> tuple[pd.DataFrame, pd.DataFrame]:
    """``compare.parquet`` and ``pockets.parquet`` of :data:`COMPARISON`."""
    from simulation.experiments.multisim import compare

    ms = compare(
        [SCENARIOS / f for f in COMPARISON],
        org=GENERATED,
        replicates=REPLICATES,
        seed=SEED,
        days=DAYS,
        targets=list(TARGETS),
    )
    return ms.statistics(), ms.pockets()


def validation() -> pd.DataFrame:
    """``validation.parquet`` of ``esnsim validate --quick``."""
    from simulation.analysis.validate import QUICK, run_checks
    from simulation.cli.validate import frame

    return frame(run_checks(QUICK))


def record() -> None:
    daily, summary = runs()
    compare_table, pockets_table = comparison()
    tables = {
        "runs_daily": daily,
        "runs_summary": summary,
        "compare": compare_table,
        "pockets": pockets_table,
        "validation": validation(),
    }
    for name, table in tables.items():
        table.to_parquet(HERE / f"{name}.parquet", index=False)
        print(f"{name}: {len(table)} rows, {len(table.columns)} columns")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    record()
