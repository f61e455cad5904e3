"""Roles resolve against each organisation: command line, scenario, roles file, heuristic."""

from __future__ import annotations

import warnings

import pytest

from simulation.base.errors import ScenarioError
from simulation.cli.main import main
from simulation.experiments.sim import Sim
from simulation.org import load_org, parse_columns
from simulation.org.hr_csv import OrgDataWarning, from_hr_csv
from simulation.org.roles import heuristic
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Roles, Scenario
from tests.client_export import COLUMNS, write_client_export
from tests.conftest import SCENARIOS

#: What the shipped scenarios named literally before they used roles (a generated organisation).
BEFORE = {
    ("grassroots.yaml", "rollout.departments"): {"sales", "marketing", "it"},
    ("full_support.yaml", "rollout.departments"): {"sales", "marketing", "it"},
    ("grassroots_facilitated.yaml", "rollout.departments"): {"sales", "marketing", "it"},
    ("jam.yaml", "rollout.departments"): {"sales", "marketing", "it"},
    ("pilot_use_case.yaml", "rollout.departments"): {"sales"},
    ("waves_by_department.yaml", "rollout.waves[0].departments"): {"sales", "marketing"},
    ("waves_by_department.yaml", "rollout.waves[1].departments"): {"engineering", "it"},
    ("waves_by_department.yaml", "rollout.waves[2].departments"): {"operations"},
    ("waves_by_department.yaml", "rollout.waves[3].departments"): {
        "finance",
        "hr",
        "legal",
        "executive",
    },  # fmt: skip
}


@pytest.mark.parametrize("size", [200, 1000, 5000])
def test_on_a_generated_org_roles_are_the_departments_the_scenarios_named(size):
    org = load_org(f"generate:size={size}")
    for (file, path), names in BEFORE.items():
        resolved = resolve_names(Scenario.load(SCENARIOS / file), org)
        (use,) = [u for u in resolved.name_uses if u.path == path]
        assert set(use.resolved) == names, (file, path, use)


@pytest.fixture
def client(tmp_path):
    return write_client_export(tmp_path, size=300)


def _client_org(path):
    return from_hr_csv(path, columns=parse_columns(COLUMNS))


def test_heuristic_uses_names_head_counts_and_frontline(client):
    org = _client_org(client)
    assert heuristic(org, "sites", "headquarters").names == ("Zürich",)
    assert heuristic(org, "departments", "frontline_heavy").names == ("Retail Operations",)
    assert heuristic(org, "departments", "technical").names == (
        "Information Technology", "Research & Development")  # fmt: skip
    krackhardt = load_org("dataset:krackhardt")
    fallback = heuristic(krackhardt, "departments", "open_to_social")
    assert fallback.names == ("dept2", "dept1", "dept4")
    assert fallback.how.startswith("fallback:") and "3 largest" in fallback.how


def test_command_line_then_scenario_then_roles_file_then_heuristic(client):
    (client.parent / "client_hr.roles.yaml").write_text(
        "departments:\n  open_to_social: [Legal Affairs]\n  commercial: [ressources humaines]\n",
        encoding="utf-8",
    )
    org = _client_org(client)
    finance = "Finance & Contrôle de gestion"
    plan = Scenario.from_dict(
        {"name": "p", "roles": {"departments": {"open_to_social": [finance]}},
         "rollout": [{"strategy": "grassroots"}, {"strategy": "pilot", "start_day": 5}]}
    )  # fmt: skip

    def departments(**roles):
        phases = resolve_names(plan, org, roles or None).rollout.phases
        return phases[0].departments, phases[1].departments

    assert departments() == ([finance], ["Ressources Humaines"])
    cli = {"departments": {"open_to_social": ["Sales & Business Development"]}}
    assert departments(**cli)[0] == ["Sales & Business Development"]
    plain = plan.model_copy(update={"roles": Roles()})
    assert resolve_names(plain, org).rollout.phases[0].departments == ["Legal Affairs"]


def test_a_misspelt_name_in_a_role_mapping_is_an_error_with_its_line(tmp_path, org_1000):
    path = tmp_path / "p.yaml"
    path.write_text(
        "name: p\nroles:\n  departments:\n    open_to_social: [sales, markting]\n"
        "rollout: {strategy: grassroots}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as error:
        resolve_names(Scenario.load(path), org_1000)
    message = str(error.value)
    assert f"{path}:4: roles.departments.open_to_social[1]: unknown department" in message
    assert "did you mean 'marketing'?" in message


def test_a_scenario_may_define_its_own_role(org_1000):
    plan = Scenario.from_dict({
        "name": "p", "roles": {"departments": {"back_office": ["finance", "hr"]}},
        "interventions": [{"type": "jam", "audience": ["back_office"]}]})  # fmt: skip
    assert resolve_names(plan, org_1000).interventions[0].audience == ["finance", "hr"]


def test_cli_departments_option_and_org_inspect(client, tmp_path, capsys):
    argv = ["run", str(SCENARIOS / "grassroots.yaml"), "--org", str(client), "--columns",
            COLUMNS, "--departments", "open_to_social=Legal Affairs", "--days", "10",
            "--replicates", "1", "--quiet", "--out", str(tmp_path / "out")]  # fmt: skip
    assert main(argv) == 0
    assert main(["org", "inspect", str(client), "--columns", COLUMNS,
                 "--sites", "headquarters=Lodz"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "department open_to_social" in out and "Information Technology" in out
    assert "site headquarters           Łódź  [command line]" in out


def test_a_bad_role_option_is_exit_2(capsys):
    assert main(["scenario", "check", str(SCENARIOS / "grassroots.yaml"), "--org",
                 "generate:size=200", "--departments", "open_to_social"]) == 2  # fmt: skip
    assert "--departments: expected ROLE=NAME" in capsys.readouterr().err


def test_missing_column_error_shows_the_columns_syntax(client, capsys):
    assert main(["org", "inspect", str(client)]) == 2
    err = capsys.readouterr().err
    assert '--columns "employee_id=Worker_ID,manager_id=Manager_ID"' in err


def test_mapping_only_the_required_columns_warns_in_one_line(client, capsys):
    with pytest.warns(OrgDataWarning, match="no department, site, frontline column found"):
        from_hr_csv(client, columns={"employee_id": "Worker_ID", "manager_id": "Manager_ID"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _client_org(client)  # everything mapped: no warning
    assert main(["org", "inspect", str(client), "--columns",
                 "employee_id=Worker_ID,manager_id=Manager_ID"]) == 0  # fmt: skip
    err = capsys.readouterr().err.strip()
    assert err.startswith("esnsim: warning: ") and len(err.splitlines()) == 1


def test_sim_keeps_working_on_a_default_grassroots_plan(org_1000):
    sim = Sim({"name": "p", "rollout": {"strategy": "grassroots"}, "days": 5}, org=org_1000)
    assert set(sim.scenario.rollout.departments) == {"sales", "marketing", "it"}


def test_a_misspelt_name_in_the_roles_file_names_the_file(client):
    roles_file = client.parent / "client_hr.roles.yaml"
    roles_file.write_text("sites:\n  headquarters: [Zurik]\n", encoding="utf-8")
    waves = [{"day": 0, "sites": ["headquarters"]}]
    plan = Scenario.from_dict({"name": "p", "rollout": {"strategy": "waves", "waves": waves}})
    with pytest.raises(ScenarioError) as error:
        resolve_names(plan, _client_org(client))
    assert f"{roles_file}:2: sites.headquarters[0]: unknown site 'Zurik'" in str(error.value)
    assert "did you mean 'Zürich'?" in str(error.value)


def test_run_prints_and_records_what_each_role_resolved_to(client, tmp_path, capsys):
    out = tmp_path / "out"
    argv = ["run", str(SCENARIOS / "pilot_use_case.yaml"), "--org", str(client), "--columns",
            COLUMNS, "--days", "10", "--replicates", "1", "--out", str(out)]  # fmt: skip
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "rollout.departments: commercial -> Sales & Business Development" in printed
    import json

    names = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["names"]
    assert names == [{"field": "rollout.departments", "written": ["commercial"],
                      "resolved": ["Sales & Business Development"],
                      "how": ["commercial: by name"]}]  # fmt: skip


def test_waves_by_level_and_the_levels_option(org_1000):
    plan = Scenario.from_dict(
        {"name": "p", "days": 3, "rollout": {"strategy": "waves", "waves": [
            {"day": 0, "levels": ["top", 1]}, {"day": 1, "levels": ["managers"]}]},
         "workforce": {"annual_turnover": 0}}  # exact shares: nobody leaves on day 0
    )  # fmt: skip
    with pytest.raises(ScenarioError, match=r"waves\[1\].levels\[0\]: unknown level 'managers'"):
        resolve_names(plan, org_1000)
    roles = {"levels": {"managers": ["2", "3"]}}
    sim = Sim(plan, org=org_1000, roles=roles).run()
    waves = sim.scenario.rollout.waves
    assert waves[0].levels == [0, 1] and waves[1].levels == [2, 3]
    aware = sim.daily["aware"].to_numpy()
    assert (org_1000.level <= 1).mean() <= aware[0] < (org_1000.level <= 2).mean()
    assert aware[1] >= (org_1000.level <= 3).mean()


def test_rest_in_an_intervention_is_what_the_rollout_leaves_out(org_1000):
    plan = Scenario.from_dict({
        "name": "p", "rollout": {"strategy": "grassroots"},
        "interventions": [{"type": "jam", "audience": ["rest"]}]})  # fmt: skip
    audience = resolve_names(plan, org_1000).interventions[0].audience
    assert set(audience) == set(org_1000.department_names) - {"sales", "marketing", "it"}
