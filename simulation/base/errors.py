"""Typed errors for bad input.

Every error a user can fix by editing a file (an HR export, a scenario, a sweep definition, a
target expression) is an :class:`InputError`: the CLI prints its one-line message and exits
with status 2. Anything else is a bug and exits with status 1.
"""

from __future__ import annotations


class InputError(ValueError):
    """Bad input a user can fix; the message is one line naming the file and the line or field."""


class OrgDataError(InputError):
    """An organisation file (HR export, edge list, attributes) is invalid."""


class ScenarioError(InputError):
    """A scenario file is invalid."""


def located(path: object, problem: str, line: int | None = None, field: str | None = None) -> str:
    """Format a one-line error message ``file:line: problem`` or ``file: field: problem``."""
    where = str(path)
    if line is not None:
        where += f":{line}"
    if field:
        where += f": {field}"
    return f"{where}: {problem}".replace("\n", " ")


class SweepError(InputError):
    """A sweep file (or the CSV of points it names, or its output folder) is invalid."""
