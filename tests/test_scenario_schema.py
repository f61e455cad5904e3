"""Scenario validation: each invalid field is a one-line ScenarioError naming file and field."""

from __future__ import annotations

import re

import pytest

from simulation.base.errors import ScenarioError
from simulation.plan.levers import Facilitation
from simulation.plan.scenario import Scenario

BAD = [
    (
        "interventions:\n  - {type: facilitation, community_managers: -1}\n",
        "interventions[0].community_managers: must be >= 0",
    ),
    (
        "interventions:\n  - {type: jam}\n  - {type: gamification, lift: 2}\n",
        "interventions[1].lift: must be <= 1",
    ),
    (
        "interventions:\n  - {type: facilitation, managers: 2}\n",
        "interventions[0].managers: unknown field",
    ),
    ("interventions:\n  - {type: parade}\n", "interventions[0].type: unknown value 'parade'"),
    (
        "interventions:\n  - {type: facilitation, community_managers: two}\n",
        "interventions[0].community_managers: must be a valid integer",
    ),
    (  # YAML 1.1 reads on/off as true/false: not one manager and none
        "interventions:\n  - {type: facilitation, community_managers: on}\n",
        "interventions[0].community_managers: a whole number, not true (YAML reads on/off",
    ),
    ("rollout: {strategy: announcement, start_day: no}\n", "rollout.start_day: a whole number"),
    (  # an unquoted id is a number to YAML: say how to keep it as written
        "rollout: {strategy: champions, ids: [1107]}\n",
        "rollout.ids[0]: must be a valid string (YAML read 1107 as a number: quote ids",
    ),
    (
        "interventions:\n  - {type: sponsorship, style: friendly}\n",
        "interventions[0].style: must be 'participative' or 'directive'",
    ),
    ("rollout: {strategy: mandate, announced_by: hr}\n", "rollout.announced_by: must be"),
    ("rollout: {strategy: teleport}\n", "rollout.strategy: unknown value 'teleport'"),
    (
        "rollout: {strategy: grassroots, seeds_per_department: 0}\n",
        "rollout.seeds_per_department: must be >= 1",
    ),
    ("rollout: {strategy: hub_seeding, centrality: pagerank}\n", "rollout.centrality: must be"),
    (
        "rollout: {strategy: cascade, days_between_levels: 0}\n",
        "rollout.days_between_levels: must be >= 1",
    ),
    (
        "rollout: {strategy: waves, waves: [{day: 0, department: [x]}]}\n",
        "rollout.waves[0].department: unknown field",
    ),
    ("rollout: {strategy: pilot, teams: 3, work_share: 1.5}\n", "rollout.work_share: must be <= 1"),
    ("platform: {archetype: metaverse}\n", "platform.archetype: must be"),
    (
        "culture: {content_policy: closed}\n",
        "culture.content_policy: must be 'open' or 'work_only'",
    ),
    ("interventions: {type: jam}\n", "interventions: must be a valid list"),
]


@pytest.mark.parametrize(("body", "expected"), BAD, ids=[e for _, e in BAD])
def test_invalid_field_is_one_line_error_naming_file_and_field(tmp_path, body, expected):
    path = tmp_path / "plan.yaml"
    path.write_text("name: plan\n" + body)
    with pytest.raises(ScenarioError) as info:
        Scenario.load(path)
    message = str(info.value)
    assert "\n" not in message
    # file:line: field: message (the line where the field, or its parent, is written)
    assert re.match(rf"{re.escape(str(path))}:\d+: ", message), message
    assert expected in message, message


def test_end_day_must_follow_start_day():
    with pytest.raises(ScenarioError, match="interventions.0.|interventions\\[0\\]"):
        Scenario.from_dict(
            {
                "name": "x",
                "interventions": [{"type": "gamification", "start_day": 10, "end_day": 5}],
            }
        )


def test_archetype_fills_only_unset_platform_fields():
    integrated = Scenario.from_dict({"name": "x", "platform": {"archetype": "integrated"}})
    assert integrated.platform.work_integration == 0.3
    mine = Scenario.from_dict(
        {"name": "x", "platform": {"archetype": "chat_first", "mobile_app": False}}
    )
    assert mine.platform.mobile_app is False and mine.platform.cross_tie_weight == 0.5


def test_levers_are_the_interventions_plus_presets_and_none_by_default():
    assert Scenario.from_dict({"name": "x"}).levers() == []
    sc = Scenario.from_dict(
        {
            "name": "x",
            "interventions": [{"type": "facilitation"}],
            "culture": {"content_policy": "work_only"},
            "platform": {"archetype": "chat_first"},
        }
    )
    levers = sc.levers()
    assert isinstance(levers[0], Facilitation)
    assert [type(x).__name__ for x in levers[1:]] == ["ContentPolicy", "TieEmphasis"]


def test_every_intervention_and_rollout_field_has_a_described_default():
    import simulation.plan.levers as interventions
    import simulation.plan.rollout as rollout
    from simulation.plan.levers import AnyIntervention  # noqa: F401
    from simulation.plan.levers import __all__ as names

    models = [getattr(interventions, n) for n in names if n not in ("AnyIntervention", "LEVERS")]
    models += [getattr(rollout, n) for n in rollout.__all__ if n != "RolloutStrategy"]
    for model in models:
        for field_name, info in model.model_fields.items():
            if field_name in ("type", "strategy"):
                continue
            assert info.description, f"{model.__name__}.{field_name} has no description"


def test_a_bad_value_given_for_a_file_names_the_value_not_the_files_line():
    """Sim('grassroots', days=0): the error is the argument's, not grassroots.yaml line 8's."""
    from tests.conftest import SCENARIOS

    plan = Scenario.load(SCENARIOS / "grassroots.yaml")
    with pytest.raises(ScenarioError) as caught:
        plan.with_overrides(days=0)
    assert str(caught.value) == "days=0 (given for grassroots): days: must be >= 1"
    assert plan.with_overrides(days=30).line_of(("rollout",)) == plan.line_of(("rollout",))
