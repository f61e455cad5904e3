"""The bounded safe YAML loader: every hostile file is a one-line error naming file and line."""

from __future__ import annotations

import os

import pytest

from simulation.base.errors import ScenarioError
from simulation.base.safe_yaml import Limits, load_yaml, loads_yaml
from simulation.plan.scenario import Scenario


def refused(text: str | bytes, **kw) -> str:
    with pytest.raises(ScenarioError) as info:
        loads_yaml(text, source="plan.yaml", **kw)
    message = str(info.value)
    assert "\n" not in message and message.startswith("plan.yaml")
    return message


def alias_bomb(levels: int = 9, width: int = 10) -> str:
    """``levels`` anchors, each a list of ``width`` aliases of the previous: width**levels."""
    names = [f"l{i}" for i in range(levels + 1)]
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['x'] * width)}]"]
    for prev, name in zip(names, names[1:], strict=False):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * width)}]")
    return "\n".join(lines) + "\n"


def test_data_and_lines():
    doc = loads_yaml("days: 90\nrollout:\n  type: pilot\n  departments: [a, b]\n", "p.yaml")
    assert doc.data == {"days": 90, "rollout": {"type": "pilot", "departments": ["a", "b"]}}
    assert doc.line_of(("rollout", "type")) == 3
    assert doc.line_of(("rollout", "departments", 1)) == 4
    # an unwritten field falls back to its nearest written parent
    assert doc.where(("rollout", "seeds")) == "p.yaml:2"


def test_a_key_after_a_merge_wins_and_keeps_its_line():
    doc = loads_yaml("base: &b {x: 1, y: 2}\nplan:\n  <<: *b\n  x: 3\n", "p.yaml")
    assert doc.data["plan"] == {"x": 3, "y": 2}
    assert doc.line_of(("plan", "x")) == 4


def test_alias_bomb_refused_before_expansion():
    # 10**9 nodes if expanded: refused from the node graph, on the line of the anchor
    assert "aliases expand to more than 100,000 nodes" in refused(alias_bomb())


def test_aliases_within_bounds_are_fine():
    doc = loads_yaml(alias_bomb(levels=2, width=3), "p.yaml")
    assert doc.data["l2"] == [[["x"] * 3] * 3] * 3


def test_deep_nesting_refused():
    assert ":1: nested deeper than 40 levels" in refused("a: " + "{x: " * 50_000)
    assert "plan.yaml:1:" in refused("[" * 50_000 + "]" * 50_000)


def test_aliases_cannot_nest_deeper_than_the_limit():
    text = "a: &a " + "[" * 30 + "]" * 30 + "\nb: " + "[" * 30 + "*a" + "]" * 30 + "\n"
    assert "nesting deeper than 40" in refused(text)


def test_recursive_alias_refused():
    assert "recursive alias" in refused("a: &a [1, *a]\n")


def test_duplicate_keys_refused_with_both_lines():
    message = refused("name: x\ndays: 90\nrollout: {}\ndays: 30\n")
    assert message == "plan.yaml:4: duplicate key 'days' (first given on line 2)"
    assert "duplicate key 'k'" in refused("a:\n  k: 1\n  k: 2\n")


def test_encoding():
    assert loads_yaml(b"\xef\xbb\xbfdays: 3\n", "p.yaml").data == {"days": 3}
    latin1 = "name: x\ndescription: caf\u00e9\n".encode("latin-1")
    assert refused(latin1) == "plan.yaml:2: not UTF-8 text (byte 0xe9); save the file as UTF-8"
    assert "UTF-16" in refused("days: 3\n".encode("utf-16"))


def test_forbidden_characters():
    assert refused("name: x\nid: a\x00b\n").startswith("plan.yaml:2: character U+0000")
    # escapes make them too: a terminal escape sequence in a plan's name
    assert refused('name: x\ntitle: "\\e[2J"\n') == (
        "plan.yaml:2: control character U+001B in a text value"
    )
    assert loads_yaml('name: "a\\tb"\n', "p").data == {"name": "a\tb"}


def test_sizes_and_numbers():
    assert "larger than 1,000 bytes" in refused(b"a: 1\n" * 500, limits=Limits(max_bytes=1000))
    assert "an integer of 5,000 digits" in refused("seed: " + "9" * 5000 + "\n")
    assert "is not a finite number" in refused("cost: .inf\n")
    assert "is not a finite number" in refused("cost: -.Inf\n")
    assert "is not a finite number" in refused("cost: .nan\n")


def test_no_objects_built():
    assert "could not determine a constructor" in refused("a: !!python/object:os.system x\n")


def test_syntax_error_has_a_line():
    assert refused("a: [1, 2\nb: 3\n").startswith("plan.yaml:2:")


def test_file_limits(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 1_000_001)
    with pytest.raises(ScenarioError, match="big.yaml: larger than 1,000,000 bytes"):
        load_yaml(big)
    with pytest.raises(ScenarioError, match="missing.yaml: cannot read"):
        load_yaml(tmp_path / "missing.yaml")
    with pytest.raises(ScenarioError, match="cannot read"):
        load_yaml(tmp_path)  # a folder
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)  # reading it would block for ever
    with pytest.raises(ScenarioError, match="fifo.yaml: cannot read .not a regular file."):
        load_yaml(fifo)


def test_scenario_errors_give_the_line(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        "name: x\ndays: 90\nrollout:\n  strategy: pilot\n  bogus: 3\n", encoding="utf-8"
    )
    with pytest.raises(ScenarioError) as info:
        Scenario.load(path)
    assert str(info.value).startswith(f"{path}:5: rollout.bogus: unknown field")
    path.write_text(
        "name: x\ninterventions:\n  - type: jam\n    length_days: -1\n", encoding="utf-8"
    )
    with pytest.raises(ScenarioError, match=r"plan.yaml:4: interventions\[0\]\.length_days"):
        Scenario.load(path)


def test_scenario_line_of(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(
        "name: x\nrollout:\n  strategy: grassroots\n  seeds_per_department: 3\n", encoding="utf-8"
    )
    scenario = Scenario.load(path)
    assert scenario.line_of(("rollout", "seeds_per_department")) == 4
    assert scenario.where(("name",)) == f"{path}:1"
    assert scenario.with_overrides(days=30).line_of(("rollout",)) == 2
    assert Scenario.from_dict({"name": "x"}).line_of(("name",)) is None


def test_missing_discriminator_is_plain(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("name: x\nrollout:\n  seeds: 3\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        Scenario.load(path)
    assert str(info.value) == f"{path}:2: rollout: needs a strategy field"
