"""How to read an HR export as it comes: the options beside the column mapping.

``--sheet``, ``--encoding``, ``--where``, ``--root-marker``, ``--orphans`` and ``--ties`` on the
command line, the same keys in a scenario's ``organisation: {hr_csv: ...}`` block, and the same
keyword arguments of :meth:`Organisation.from_hr_csv`. :class:`HrOptions` holds them, checked;
:class:`HrColumns` is the column mapping (a ``dict``) carrying them, so that every path that
passes a mapping from the command line to :func:`simulation.org.load_org` (``run``, ``compare``,
``scenario check``) passes the options too.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from simulation.base.errors import OrgDataError
from simulation.org.encoding import check_encoding
from simulation.org.orphans import check_orphans
from simulation.org.where import parse_conditions


@dataclass(frozen=True)
class HrOptions:
    """The reading options of an HR export (all optional; see :func:`from_hr_csv`)."""

    sheet: str | None = None
    encoding: str | None = None
    where: tuple[str, ...] = ()
    root_marker: tuple[str, ...] = ()
    orphans: str | None = None
    ties: str | None = None

    def __post_init__(self) -> None:
        check_encoding(self.encoding)
        check_orphans(self.orphans)
        parse_conditions(list(self.where))
        for marker in self.root_marker:
            if not str(marker).strip():
                raise OrgDataError(
                    "--root-marker: empty (an empty cell already means 'no manager')"
                )

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def keywords(self) -> dict:
        """Keyword arguments of :func:`simulation.org.hr_csv.from_hr_csv` (the ones given)."""
        out = {
            "sheet": self.sheet,
            "encoding": self.encoding,
            "where": list(self.where) or None,
            "root_marker": list(self.root_marker) or None,
            "orphans": self.orphans,
            "ties": self.ties,
        }
        return {k: v for k, v in out.items() if v is not None}

    def flags(self) -> list[str]:
        """The options given, as flags (for "applies to an HR export" messages)."""
        return [f"--{k.replace('_', '-')}" for k in self.keywords()]


class HrColumns(dict):
    """A column mapping (our name -> header) that also carries :class:`HrOptions`."""

    def __init__(self, mapping: dict | None = None, options: HrOptions | None = None):
        super().__init__(mapping or {})
        self.options = options or HrOptions()


def options_of(columns: object) -> HrOptions:
    """The :class:`HrOptions` a mapping carries (none for a plain dict)."""
    return getattr(columns, "options", None) or HrOptions()
