"""A safe, bounded YAML loader for the files users write (scenarios, sweeps).

``yaml.safe_load`` alone builds no arbitrary objects, but it still lets a small file take the
machine down or mislead: an alias bomb (ten lines that expand to billions of nodes), nesting
50,000 deep (a recursion traceback), duplicate keys (the last one silently wins), text that is not
UTF-8 (a ``UnicodeDecodeError``). :func:`load_yaml` refuses each of these with a one-line error
naming the file and the line, before anything is expanded:

1. the file is read up to ``max_bytes`` (so ``/dev/zero`` or a 2 GB file is refused at once);
2. it must be UTF-8 (a byte-order mark is allowed) without characters YAML forbids;
3. the parser's event stream (iterative, never recursive) bounds the nesting depth of the text;
4. the composed node graph, where an alias is the same node object as its anchor, is walked with
   memoisation to compute the depth and node count *after* alias expansion without expanding
   anything (linear in the size of the text), and recursive aliases are refused;
5. only then are Python objects built, refusing duplicate keys, integers of more than
   ``max_int_digits`` digits and (by default) ``.inf`` / ``.nan``.

The result carries a map from field path (a tuple of keys and list indices, e.g.
``("rollout", "departments", 1)``) to the 1-based line where it is written, so that a later
validation error can say ``plan.yaml:12: rollout.departments[1]: ...``.

Examples
--------
>>> doc = loads_yaml("days: 90\\nrollout:\\n  type: pilot\\n", source="plan.yaml")
>>> doc.data["days"], doc.line_of(("rollout", "type")), doc.where(("rollout", "seeds"))
(90, 3, 'plan.yaml:2')
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulation.base.bounded_read import read_bounded
from simulation.base.errors import InputError, ScenarioError

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
# YAML 1.1 section 5.1: the printable characters (tab, line breaks, and no other C0/C1 control)
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# in a value after escapes: C0 controls other than tab and line breaks, DEL, C1 controls
_CONTROL_VALUE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BOMS = {b"\xff\xfe": "UTF-16", b"\xfe\xff": "UTF-16"}


@dataclass(frozen=True)
class Limits:
    """Bounds on a YAML file; each refusal is a one-line error.

    Attributes
    ----------
    max_bytes : int
        Largest file accepted, in bytes.
    max_depth : int
        Deepest nesting of mappings and sequences, counted after alias expansion.
    max_nodes : int
        Most nodes (scalars, mappings, sequences) after alias expansion.
    max_int_digits : int
        Longest integer literal, in digits (Python refuses beyond 4,300 with a ValueError).
    finite : bool
        Refuse ``.inf`` and ``.nan`` (no model parameter is meaningfully infinite).
    """

    max_bytes: int = 1_000_000
    max_depth: int = 40
    max_nodes: int = 100_000
    max_int_digits: int = 30
    finite: bool = True


#: the bounds of a scenario file: the shipped ones are under 3 KB, 6 levels and 200 nodes
SCENARIO_LIMITS = Limits()


@dataclass
class YamlDocument:
    """A loaded YAML file: its data and where each field was written.

    Attributes
    ----------
    data : Any
        The Python data (``None`` for an empty file).
    source : str
        The file name used in messages.
    lines : dict
        Field path (tuple of keys and indices) -> 1-based line number.
    """

    data: Any
    source: str
    lines: dict[tuple, int] = field(default_factory=dict)

    def line_of(self, path: tuple | list) -> int | None:
        """The line of ``path``, or of its longest written prefix (``None`` if not even that)."""
        path = tuple(path)
        while path:
            line = self.lines.get(path)
            if line is not None:
                return line
            path = path[:-1]
        return self.lines.get(())

    def where(self, path: tuple | list = ()) -> str:
        """``file:line`` for ``path`` (``file`` alone when no line is known)."""
        line = self.line_of(path)
        return f"{self.source}:{line}" if line is not None else self.source


def load_yaml(
    path: str | Path,
    limits: Limits = SCENARIO_LIMITS,
    error: type[InputError] = ScenarioError,
) -> YamlDocument:
    """Read, bound and parse one YAML file.

    Parameters
    ----------
    path : str or Path
        The file; it is named in every error message.
    limits : Limits
        The bounds to enforce (default: a scenario file's).
    error : type
        The :class:`~simulation.base.errors.InputError` subclass raised (``ScenarioError`` by default;
        a sweep file passes its own).

    Raises
    ------
    InputError
        (of type ``error``) one line naming the file and, where known, the line.
    """
    path = Path(path)
    try:
        raw = read_bounded(path, limits.max_bytes)
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror or exc})") from None
    return loads_yaml(raw, source=str(path), limits=limits, error=error)


def loads_yaml(
    text: str | bytes,
    source: str = "<yaml>",
    limits: Limits = SCENARIO_LIMITS,
    error: type[InputError] = ScenarioError,
) -> YamlDocument:
    """:func:`load_yaml` for text already in memory; ``source`` names it in errors."""
    if isinstance(text, bytes):
        text = _decode(text, source, limits, error)
    elif len(text) > limits.max_bytes:
        raise error(f"{source}: larger than {limits.max_bytes:,} bytes (the limit)")
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        raise error(
            f"{source}:{line}: character U+{ord(bad.group()):04X} is not allowed in YAML text"
        )
    try:
        _check_text_depth(text, source, limits, error)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return YamlDocument(None, source, {})
            _check_graph(node, source, limits, error)
            loader.limits = limits
            data = loader.construct_document(node)
            lines = _line_map(node, loader.keyed)
        finally:
            loader.dispose()
    except _Refused as exc:
        raise error(f"{source}:{exc.line}: {exc.problem}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(f"{where}: {problem}".replace("\n", " ")) from None
    except yaml.YAMLError as exc:
        raise error(f"{source}: invalid YAML ({str(exc).splitlines()[0]})") from None
    return YamlDocument(data, source, lines)


class _Refused(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


def _decode(raw: bytes, source: str, limits: Limits, error: type[InputError]) -> str:
    if len(raw) > limits.max_bytes:
        raise error(f"{source}: larger than {limits.max_bytes:,} bytes (the limit)")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            raise error(f"{source}:1: {name} text; save the file as UTF-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = raw[exc.start]
        raise error(
            f"{source}:{line}: not UTF-8 text (byte 0x{byte:02x}); save the file as UTF-8"
        ) from None


def _check_text_depth(text: str, source: str, limits: Limits, error: type[InputError]) -> None:
    """Bound the nesting of the text itself from the parser's events (no recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.max_depth:
                line = event.start_mark.line + 1
                raise _Refused(line, f"nested deeper than {limits.max_depth} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, SequenceNode):
        yield from node.value


def _check_graph(root: Node, source: str, limits: Limits, error: type[InputError]) -> None:
    """Node count and depth after alias expansion, memoised per node (aliases share nodes)."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        key = id(node)
        if expanded:
            on_path.discard(key)
            kids = list(_children(node))
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = (1 if not isinstance(node, ScalarNode) else 0) + max(
                (depth[id(k)] for k in kids), default=0
            )
            line = node.start_mark.line + 1
            if size[key] > limits.max_nodes:
                raise _Refused(
                    line, f"aliases expand to more than {limits.max_nodes:,} nodes (the limit)"
                )
            if depth[key] > limits.max_depth:
                raise _Refused(
                    line, f"aliases expand to nesting deeper than {limits.max_depth} levels"
                )
            continue
        if key in size:
            continue
        if key in on_path:
            raise _Refused(node.start_mark.line + 1, "recursive alias (a node inside itself)")
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) not in size:
                stack.append((child, False))


def _line_map(root: Node, keyed: dict[int, list]) -> dict[tuple, int]:
    """Field path -> line, walking each node once (an alias's path points at its anchor)."""
    lines: dict[tuple, int] = {(): root.start_mark.line + 1}
    seen: set[int] = set()
    stack: list[tuple[Node, tuple]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            # a key written after a merge (``<<: *base``) overrides the merged one: last wins
            pairs = {key: (key_node, value) for key, key_node, value in keyed.get(id(node), ())}
            for key, (key_node, value) in pairs.items():
                lines[path + (key,)] = key_node.start_mark.line + 1
                stack.append((value, path + (key,)))
        elif isinstance(node, SequenceNode):
            for i, value in enumerate(node.value):
                lines.setdefault(path + (i,), value.start_mark.line + 1)
                stack.append((value, path + (i,)))
    return lines


class _Loader(_BaseLoader):
    """The safe loader, refusing duplicate keys, huge integers and non-finite floats."""

    limits: Limits = SCENARIO_LIMITS

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        #: id(mapping node) -> [(key, key node, value node)] after merge keys are applied
        self.keyed: dict[int, list] = {}

    def construct_mapping(self, node: Node, deep: bool = False) -> dict:
        if isinstance(node, MappingNode):
            first_line: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    earlier = first_line.get(key)
                except TypeError:  # an unhashable key: the base class says so
                    continue
                line = key_node.start_mark.line + 1
                if earlier is not None:
                    raise _Refused(line, f"duplicate key {key!r} (first given on line {earlier})")
                first_line[key] = line
        mapping = super().construct_mapping(node, deep=deep)
        if isinstance(node, MappingNode):
            self.keyed[id(node)] = [
                (self.construct_object(k, deep=True), k, v) for k, v in node.value
            ]
        return mapping

    def construct_yaml_int(self, node: ScalarNode) -> int:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > self.limits.max_int_digits:
            raise _Refused(
                node.start_mark.line + 1,
                f"an integer of {digits:,} digits (at most {self.limits.max_int_digits})",
            )
        return super().construct_yaml_int(node)

    def construct_yaml_str(self, node: ScalarNode) -> str:
        value = super().construct_yaml_str(node)
        # escapes ("\\e", "\\0") can make characters the text itself may not hold: a terminal
        # escape sequence in a plan's name would reach the screen
        bad = _CONTROL_VALUE.search(value)
        if bad is not None:
            raise _Refused(
                node.start_mark.line + 1,
                f"control character U+{ord(bad.group()):04X} in a text value",
            )
        return value

    def construct_yaml_float(self, node: ScalarNode) -> float:
        value = super().construct_yaml_float(node)
        if self.limits.finite and not math.isfinite(value):
            raise _Refused(
                node.start_mark.line + 1, f"{str(node.value)[:20]} is not a finite number"
            )
        return value


_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_yaml_str)
_Loader.add_constructor(_INT_TAG, _Loader.construct_yaml_int)
_Loader.add_constructor(_FLOAT_TAG, _Loader.construct_yaml_float)
