"""Every shipped plan says what it does and is a model of its own: its description names each of
its levers, and no two shipped plans are the same model under different names."""

from __future__ import annotations

import json
import re

import pytest

from simulation.plan.scenario import Scenario
from simulation.plan.shipped import shipped

#: words a description uses for each lever type
NAMED_BY = {
    "facilitation": r"facilitat|community manager",
    "sponsorship": r"sponsor",
    "mobile_app": r"\bapp\b",
    "shadow_channel": r"shadow",
    "interest_communities": r"interest communit|purpose",
    "work_integration": r"integration",
    "jam": r"\bjam\b",
    "holdouts": r"hold",
    "gamification": r"gamif|badge|points",
    "manager_nudge": r"manager",
}

PLANS = {name: Scenario.load(path) for name, path in shipped().items()}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_the_description_names_every_lever(name):
    plan = PLANS[name]
    for lever in plan.interventions:
        assert re.search(NAMED_BY[lever.type], plan.description, re.I), (
            f"{name}: its description does not name its {lever.type} lever"
        )


def test_no_two_shipped_plans_are_the_same_model():
    seen: dict[str, str] = {}
    for name, plan in PLANS.items():
        model = plan.model_dump(mode="json", exclude={"name", "description"})
        key = json.dumps(model, sort_keys=True)
        assert key not in seen, f"{name} is the same model as {seen.get(key)}"
        seen[key] = name
