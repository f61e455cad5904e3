"""Frontline defined by any column's values: ``--columns frontline="Employee Class=Hourly Employee"``.

An export rarely has a yes/no frontline column; it has an employee class, a pay type or a job
family. A column mapping may name the header and the values that mean frontline, after an ``=``
(several values as ``A|B``)::

    --columns 'frontline=Employee Class=Hourly Employee|Apprentice'
    organisation: {hr_csv: hr.xlsx, columns: {frontline: "Employee Class=Hourly Employee"}}

or, in the mapping file beside the export (``<export>.roles.yaml``, with the roles)::

    values:
      frontline: {Employee Class: [Hourly Employee, Apprentice]}

Values are compared case-insensitively. A value named that no row holds is an error listing the
column's values (a typo would otherwise make nobody frontline).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from simulation.base.errors import OrgDataError, located
from simulation.org.headers import header_line, key

#: Our names whose values can be defined by another column's values.
VALUE_NAMES = ("frontline",)
#: Distinct values listed in a message.
SHOWN = 8


@dataclass(frozen=True)
class ValueRule:
    """``frontline`` is true where ``header`` holds one of ``values``."""

    name: str
    header: str
    values: tuple[str, ...]
    where: str

    def text(self) -> str:
        return f"{self.name}={self.header}={'|'.join(self.values)}"


def split_mapping(
    columns: dict[str, str] | None, headers: list[str]
) -> tuple[dict[str, str], list[ValueRule]]:
    """Column mappings, with ``Header=Value`` entries taken out as :class:`ValueRule`.

    A mapped header that is a header of the file stays a header even if it holds ``=``.
    """
    plain: dict[str, str] = {}
    rules: list[ValueRule] = []
    for name, header in (columns or {}).items():
        text = str(header)
        if name in VALUE_NAMES and "=" in text and key(text) not in {key(h) for h in headers}:
            column, _, values = text.partition("=")
            listed = tuple(v.strip().strip("\"'") for v in values.split("|") if v.strip())
            column = column.strip().strip("\"'")
            if not column or not listed:
                raise OrgDataError(
                    f"--columns {name}: expected HEADER=VALUE[|VALUE...], got {text[:80]!r}"
                )
            rules.append(ValueRule(name, column, listed, f"--columns {name}"))
        else:
            plain[name] = text
    return plain, rules


def rules_from_file(data: object, where: str) -> list[ValueRule]:
    """The ``values:`` mapping of a roles / mapping file: ``{frontline: {HEADER: [VALUES]}}``."""
    if data is None:
        return []
    if not isinstance(data, dict):
        raise OrgDataError(
            f"{where}: expected a mapping such as {{frontline: {{HEADER: [VALUE]}}}}"
        )
    rules = []
    for name, spec in data.items():
        if name not in VALUE_NAMES:
            raise OrgDataError(
                f"{where}.{name}: unknown name (values can define {', '.join(VALUE_NAMES)})"
            )
        if not isinstance(spec, dict) or len(spec) != 1:
            raise OrgDataError(f"{where}.{name}: expected one HEADER: [VALUES] pair")
        ((header, values),) = spec.items()
        values = [values] if isinstance(values, str | int) else values
        if not isinstance(values, list) or not values:
            raise OrgDataError(f"{where}.{name}.{header}: expected a non-empty list of values")
        rules.append(ValueRule(str(name), str(header), tuple(str(v) for v in values), where))
    return rules


def apply_rule(frame: pd.DataFrame, label: str | Path, rule: ValueRule, header: str):
    """Boolean array: rows whose ``header`` holds one of the rule's values.

    Raises
    ------
    OrgDataError
        A value that no row holds, naming the file, the column and the values it does hold.
    """
    values = frame[header].str.lower()
    seen = set(values.unique())
    for value in rule.values:
        if value.lower() not in seen:
            held = sorted(frame[header].unique())
            shown = ", ".join(repr(v) for v in held[:SHOWN])
            more = f" and {len(held) - SHOWN} more" if len(held) > SHOWN else ""
            raise OrgDataError(
                located(
                    label,
                    f"{rule.where}: no row holds {value!r} (it holds {shown}{more})",
                    line=header_line(frame),
                    field=header,
                )
            )
    return values.isin({v.lower() for v in rule.values}).to_numpy()
