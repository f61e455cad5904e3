"""Every shipped scenario runs on every kind of organisation, every role resolved.

On a held-in client export with names unlike the generator's (capitalised, multi-word, accented),
on each bundled data set and on a generated organisation: the plans name departments by role, so
none of them needs editing.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.cli.main import main
from simulation.experiments.sim import Sim
from simulation.org import load_org, parse_columns
from simulation.org.roles import ROLES
from tests.client_export import COLUMNS, DEPARTMENTS, write_client_export
from tests.conftest import SCENARIOS

SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
ORGS = ["client", "generate:size=300", "dataset:krackhardt", "dataset:email_eu_core",
        "dataset:lazega"]  # fmt: skip


@pytest.fixture(scope="module")
def client_csv(tmp_path_factory):
    return write_client_export(tmp_path_factory.mktemp("client"))


@pytest.fixture(scope="module")
def orgs(client_csv):
    loaded = {spec: load_org(spec) for spec in ORGS if spec != "client"}
    loaded["client"] = load_org(str(client_csv), columns=parse_columns(COLUMNS))
    return loaded


def _units(org, kind):
    if kind == "departments":
        return set(org.department_names)
    if kind == "sites":
        return set(org.site_names)
    return set(range(int(org.level.max()) + 1))


@pytest.mark.parametrize("spec", ORGS)
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_scenario_runs_on_every_organisation(path, spec, orgs):
    org = orgs[spec]
    sim = Sim(path, org=org, days=30, replicates=1).run()
    assert len(sim.daily) == 30 and np.isfinite(sim.daily["wau"]).all()
    for use in sim.scenario.name_uses:
        if use.kind == "ids":
            continue
        assert set(use.resolved) <= _units(org, use.kind), use
        assert not set(use.resolved) & (set(ROLES) - _units(org, use.kind)), use
        assert use.resolved or not use.written or "waves" in use.path, use


def test_roles_find_the_client_departments_by_their_own_names(orgs):
    sim = Sim(SCENARIOS / "grassroots.yaml", org=orgs["client"], days=1)
    (use,) = sim.scenario.name_uses
    assert set(use.resolved) == {DEPARTMENTS[d] for d in ("sales", "marketing", "it")}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_cli_runs_every_shipped_scenario_on_the_client_export(path, client_csv, tmp_path):
    argv = ["run", str(path), "--org", str(client_csv), "--columns", COLUMNS, "--days", "20",
            "--replicates", "1", "--quiet", "--out", str(tmp_path / "out")]  # fmt: skip
    assert main(argv) == 0
    assert (tmp_path / "out" / "daily.parquet").is_file()


@pytest.mark.parametrize("spec", ORGS)
def test_scenario_check_passes_every_shipped_scenario_on_every_organisation(spec, client_csv):
    org = ["--org", str(client_csv), "--columns", COLUMNS] if spec == "client" else ["--org", spec]
    assert main(["scenario", "check", *map(str, SHIPPED), *org]) == 0
