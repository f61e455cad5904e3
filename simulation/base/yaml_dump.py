"""Scenario files the commands write (``champions.yaml``, an optimised plan, ``best_fit.yaml``).

``yaml.safe_dump`` quotes a string only when YAML 1.1 would read it as something else, so the
ids ``'0001017'`` (an octal number to YAML 1.1) and ``0001018`` (not octal, left bare) come out
differently, and a YAML 1.2 reader (or a spreadsheet-minded colleague's tool) reads the bare one
as the integer 1018. Every string that looks like a number is quoted here.
"""

from __future__ import annotations

import re

import yaml

_NUMBER_LIKE = re.compile(r"[-+]?(\d[\d_,]*)?\.?\d*([eE][-+]?\d+)?|0[xXoObB][0-9a-fA-F_]+")


class _Dumper(yaml.SafeDumper):
    """Quotes the strings that look like numbers (module docstring)."""


def _string(dumper: yaml.SafeDumper, value: str):
    style = "'" if value and _NUMBER_LIKE.fullmatch(value.strip()) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def dump_scenario(data: dict) -> str:
    """``data`` as YAML, keys in their order, strings that look like numbers quoted."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
