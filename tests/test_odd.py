"""docs/ODD.md and the code agree: its parameter table is the scenario schema's."""

from __future__ import annotations

from simulation.analysis.parameters import documented, rows, table
from simulation.plan.scenario import Scenario


def test_odd_parameter_table_matches_the_schema():
    assert documented() == table(), "run: python -m simulation.analysis.parameters --write"


def test_every_parameter_has_a_description_and_defaults_match():
    defaults = Scenario.from_dict({"name": "x"}).model_dump()
    for path, default, _bounds, description in rows():
        if path in ("name",) or path.endswith((".rule", ".strategy", ".type")):
            continue
        assert description, f"{path} has no description (unit, meaning, source)"
        if "[" not in path and default != "(required)":
            value = defaults
            for part in path.split("."):
                if isinstance(value, list):  # a list's items (workforce.intakes): no default
                    break
                value = value[part]
            else:
                assert repr(value) == default, path
