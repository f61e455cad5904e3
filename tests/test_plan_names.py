"""No silent mistakes: every name of a plan is checked against the organisation before a run.

A misspelt department, site or level is exit 2 with one line naming the file, the YAML line, the
field and the closest valid name, and nothing is written, for ``run``, ``compare`` and
``scenario check --org``; ``compare`` fails before any simulation starts.
"""

from __future__ import annotations

import pytest

from simulation.base.errors import ScenarioError
from simulation.cli.main import main
from simulation.org import Organisation
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Scenario
from tests.conftest import SCENARIOS

ORG = "generate:size=300"
PLANS = {
    "department": (
        "name: misspelt\nrollout:\n  strategy: waves\n  waves:\n"
        "    - {day: 0, departments: [legal]}\n    - {day: 5, departments: [Finanse]}\n",
        ":6: rollout.waves[1].departments[0]: unknown department 'Finanse'",
        "did you mean 'finance'?",
    ),
    "site": (
        "name: misspelt\nrollout:\n  - {strategy: grassroots}\n  - strategy: waves\n"
        "    waves:\n      - {day: 3, sites: [site1, stie2]}\n",
        ":6: rollout[1].waves[0].sites[1]: unknown site 'stie2'",
        "did you mean 'site2'?",
    ),
    "level": (
        "name: misspelt\nrollout:\n  strategy: waves\n  waves:\n"
        "    - {day: 0, levels: [levle 2]}\n",
        ":5: rollout.waves[0].levels[0]: unknown level 'levle 2'",
        "did you mean 'level 2'?",
    ),
}


def _write(tmp_path, text, name="plan.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize("kind", sorted(PLANS))
@pytest.mark.parametrize("command", ["run", "compare", "check"])
def test_a_misspelt_name_is_exit_2_with_line_and_closest_name(kind, command, tmp_path, capsys):
    text, where, hint = PLANS[kind]
    plan = _write(tmp_path, text)
    out = tmp_path / "out"
    argv = {
        "run": ["run", str(plan), "--org", ORG, "--out", str(out)],
        "compare": ["compare", str(SCENARIOS / "grassroots.yaml"), str(plan), "--org", ORG,
                    "--out", str(out)],
        "check": ["scenario", "check", str(plan), "--org", ORG],
    }[command]  # fmt: skip
    assert main(argv) == 2
    err = _one_line_error(capsys)
    assert f"{plan}{where}" in err and hint in err
    assert not out.exists()


def test_compare_checks_every_plan_before_any_simulation(tmp_path, capsys, monkeypatch):
    import simulation.experiments.multisim as multisim

    def no_runs(*args, **kwargs):
        raise AssertionError("a simulation started before the plans were checked")

    monkeypatch.setattr(multisim, "run_jobs", no_runs)
    text, where, _ = PLANS["department"]
    plan = _write(tmp_path, text.replace("misspelt", "third"))
    argv = ["compare", str(SCENARIOS / "grassroots.yaml"), str(SCENARIOS / "jam.yaml"),
            str(plan), "--org", ORG, "--out", str(tmp_path / "out")]  # fmt: skip
    assert main(argv) == 2
    assert f"{plan}{where}" in _one_line_error(capsys)


def test_names_match_whatever_the_case_accents_and_synonyms(tmp_path):
    org = Organisation.from_arrays(
        manager=[-1, 0, 0, 0, 0],
        ties=__import__("scipy.sparse").sparse.csr_matrix((5, 5)),
        department=["Finance", "Information Technology", "Retail Operations", "Sales", "Sales"],
        site=["Zürich", "Łódź", "Łódź", "Zürich", "Zürich"],
    )
    plan = Scenario.from_dict(
        {
            "name": "p",
            "rollout": {
                "strategy": "waves",
                "waves": [
                    {"day": 0, "departments": ["FINANCE", "it", "operations"], "sites": ["zurich"]},
                    {"day": 1, "sites": ["Lodz"]},
                ],
            },
        }  # fmt: skip
    )
    waves = resolve_names(plan, org).rollout.waves
    assert waves[0].departments == ["Finance", "Information Technology", "Retail Operations"]
    assert waves[0].sites == ["Zürich"] and waves[1].sites == ["Łódź"]


def test_an_unknown_champion_id_names_the_closest_id(org_1000):
    plan = Scenario.from_dict({"name": "p", "rollout": {"strategy": "champions", "ids": ["1O"]}})
    with pytest.raises(ScenarioError, match=r"rollout.ids\[0\]: unknown employee id '1O'"):
        resolve_names(plan, org_1000)


def test_resolving_twice_gives_the_same_plan(org_1000):
    plan = Scenario.load(SCENARIOS / "waves_by_department.yaml")
    once = resolve_names(plan, org_1000)
    assert resolve_names(once, org_1000).model_dump() == once.model_dump()
    assert once.rollout.waves[3].departments == ["executive", "finance", "hr", "legal"]


def test_a_bad_literal_and_an_unknown_strategy_name_the_field(tmp_path):
    jam = "name: p\ninterventions:\n  - {type: mobile_app}\n  - {type: jam, audience: everyone}\n"
    with pytest.raises(ScenarioError) as error:
        Scenario.load(_write(tmp_path, jam))
    assert str(error.value).endswith(":4: interventions[1].audience: must be 'all' or a valid list")
    with pytest.raises(ScenarioError) as error:
        Scenario.load(_write(tmp_path, "name: p\nrollout: {strategy: grasroots}\n"))
    message = str(error.value)
    assert ":2: rollout.strategy: unknown value 'grasroots'" in message
    assert "did you mean 'grassroots'?" in message and "literal[" not in message
