"""The compare page's HR export form: the column mapping and the reading options, and what was read.

The fields are the command line's (``esnsim compare --org EXPORT ...``): ``--columns`` (with
value mappings such as ``frontline=Employee Class=Hourly Employee``), ``--sheet``,
``--encoding``, ``--where`` and ``--root-marker`` (several separated by ``;``, as the flag is
repeated) and ``--orphans``. :func:`hr_options` turns them into the
:class:`~simulation.org.hr_options.HrOptions` the CLI builds, so that the page reads an export
exactly as the command does, with the same one-line errors. :func:`org_line` is the line the
page shows once an export is read: head-count, frontline share, levels, departments, and
whether the informal ties are generated.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

import numpy as np
import solara

from simulation.org.hr_options import HrOptions
from simulation.org.inspect import ties_note
from simulation.report.labels import fmt

ORPHANS = ("error", "roots", "drop")
GENERATED = "none: generated on the reporting tree"  # no observed ties chosen


@dataclass(frozen=True)
class HrFields:
    """The form's text as typed (the page's state), one attribute per flag."""

    columns: str = ""
    sheet: str = ""
    encoding: str = ""
    where: str = ""
    root_marker: str = ""
    orphans: str = "error"
    #: the uploaded edge list of observed informal ties ('' for generated ties)
    ties: str = ""


def _several(text: str) -> tuple[str, ...]:
    """``a; b`` -> ``("a", "b")``: a repeated flag typed in one field."""
    return tuple(item.strip() for item in text.split(";") if item.strip())


def hr_options(fields: HrFields, ties: str | None = None) -> HrOptions:
    """The reading options of ``fields`` (an :class:`InputError` naming the flag if bad);
    ``ties``, the path of the uploaded edge list ``fields.ties`` names."""
    return HrOptions(
        sheet=fields.sheet.strip() or None,
        encoding=fields.encoding.strip() or None,
        where=_several(fields.where),
        root_marker=_several(fields.root_marker),
        orphans=None if fields.orphans == "error" else fields.orphans,
        ties=ties,
    )


def org_line(org) -> str:
    """One line on the organisation read: head-count, frontline share, levels, departments."""
    people = int(org.size)
    frontline = float(np.mean(org.frontline)) if people else 0.0
    levels = np.asarray(org.level)
    units = len(np.unique(np.asarray(org.department))) if people else 0
    top = f"levels 0 (top) to {int(levels.max())}" if people else "no levels"
    return (
        f"{org.name}: {people:,} people, frontline {fmt(frontline, 'pct')}, {top}, "
        f"{units} department{'s' if units != 1 else ''}"
    )


def org_facts(org) -> dict[str, str]:
    """The ``data-*`` attributes of the line (unrounded), for tests and scripts."""
    return {
        "id": "org-read",
        "data-people": str(int(org.size)),
        "data-frontline": repr(float(np.mean(org.frontline))) if org.size else "0.0",
        "data-top-level": str(int(np.max(org.level))) if org.size else "0",
        "data-ties": str(getattr(org, "ties_origin", None) or "unknown"),
    }


@solara.component
def HrForm(fields: solara.Reactive, ties_files: list[str]):
    """The column mapping and the reading options of an uploaded HR export (``ties_files``:
    the uploaded edge lists of observed ties)."""
    value = fields.value

    def setter(name: str):
        def set_(text) -> None:
            fields.set(replace(fields.value, **{name: text}))

        return set_

    solara.InputText(
        "HR columns, e.g. employee_id=Worker_ID,manager_id=Manager_ID or "
        "frontline=Employee Class=Hourly Employee",
        value=value.columns,
        on_value=setter("columns"),
    )
    solara.InputText(
        "Keep rows (--where), e.g. Status=Active; several: A=x; B!=y",
        value=value.where,
        on_value=setter("where"),
    )
    solara.InputText(
        "No-manager markers (--root-marker), e.g. NO_MANAGER; N/A",
        value=value.root_marker,
        on_value=setter("root_marker"),
    )
    solara.Select(
        "Managers not in the file (--orphans)",
        value=value.orphans,
        values=list(ORPHANS),
        on_value=setter("orphans"),
    )
    choices = [GENERATED, *ties_files]
    solara.Select(
        "Informal ties (--ties)",
        value=value.ties if value.ties in ties_files else GENERATED,
        values=choices,
        on_value=lambda name: setter("ties")("" if name == GENERATED else name),
    )
    with solara.Row():
        solara.InputText("Sheet (.xlsx)", value=value.sheet, on_value=setter("sheet"))
        solara.InputText(
            "Encoding (CSV), e.g. cp1252", value=value.encoding, on_value=setter("encoding")
        )


@solara.component
def OrgRead(org, notes: list[str]):
    """What was read: the organisation's line, the reader's notes, the ties' origin."""
    solara.HTML(tag="p", unsafe_innerHTML=escape(org_line(org)), attributes=org_facts(org))
    for note in notes:
        solara.Info(note, dense=True)
    generated = ties_note(org)
    if generated:
        solara.Info(generated, dense=True)
