"""The day plan (simulation.model.day) is what the engine runs, what ODD section 3 says, and what the
kernel's comments mark: one list, one numbering."""

from __future__ import annotations

import inspect
import re

from simulation.cli.main import main
from simulation.model import day as plan
from simulation.model import person_day
from simulation.model.engine import Engine
from simulation.org.model import Organisation
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Scenario


def test_odd_section_3_is_generated_from_the_day_plan():
    assert plan.documented() == plan.markdown(), "run: python -m simulation.model.day --write"


def test_phases_are_numbered_one_to_n_in_order_with_unique_names():
    assert [p.number for p in plan.DAY_PLAN] == list(range(1, len(plan.DAY_PLAN) + 1))
    names = [p.name for p in plan.DAY_PLAN]
    assert len(set(names)) == len(names)
    # the person's phases are one block, run by the engine's ``person_day`` phase
    numbers = [p.number for p in plan.PERSON_PHASES]
    assert numbers == list(range(numbers[0], numbers[-1] + 1))
    engine_side = [p.name for p in plan.DAY_PLAN if not p.person]
    before = [n for n in engine_side if plan.phase(n).number < numbers[0]]
    after = [n for n in engine_side if plan.phase(n).number > numbers[-1]]
    assert plan.ENGINE_PHASES == (*before, "person_day", *after)


def test_the_engine_runs_its_phases_in_the_plans_order():
    org = Organisation.generate(200, seed=0)
    sc = Scenario.from_dict({"name": "t", "days": 5, "rollout": {"strategy": "announcement"}})
    engine = Engine(org, resolve_names(sc, org), seeds=[0])
    ran = []
    for k, name in enumerate(plan.ENGINE_PHASES):
        method = engine._phases[k]
        assert method.__name__ == f"_{name}"
        engine._phases[k] = lambda day, method=method, name=name: (ran.append(name), method(day))
    engine.step()
    assert tuple(ran) == plan.ENGINE_PHASES
    # each engine phase's docstring starts with its number in the plan
    first, last = plan.PERSON_PHASES[0].number, plan.PERSON_PHASES[-1].number
    for name in plan.ENGINE_PHASES:
        doc = inspect.getdoc(getattr(Engine, f"_{name}"))
        number = f"{first}-{last}" if name == "person_day" else str(plan.phase(name).number)
        assert doc.startswith(f"{number}. "), (name, doc[:20])


def test_the_kernel_marks_the_person_phases_in_order():
    source = inspect.getsource(person_day.advance)
    marks = [(int(n), name) for n, name in re.findall(r"# (\d+)\. (\w+)", source)]
    wanted = [(p.number, p.name) for p in plan.PERSON_PHASES]
    wanted.append((plan.phase("record").number, "record"))
    firsts = list(dict.fromkeys(marks))  # a phase may be marked twice (lapse, then return)
    assert firsts == wanted, firsts


def test_describe_day_prints_every_phase(capsys):
    assert main(["describe-day"]) == 0
    out = capsys.readouterr().out
    for p in plan.DAY_PLAN:
        assert f"{p.number}. {p.name}: {p.title}" in out
