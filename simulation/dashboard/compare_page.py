"""The compare page: 2-4 plans on one organisation, replicates with common random numbers.

Pick shipped or uploaded scenario files and an organisation (generated, a real data set, or an
uploaded HR export, CSV or ``.xlsx``, with its column mapping and reading options: the form of
:mod:`simulation.dashboard.hr_form`; the page says what it read: head-count, frontline share,
levels); the number of replicates and days; optionally a budget (the answer is then the best plan
within it), the lever table of the leading plan, and the parameters' uncertainty (a shipped or
uploaded plausible region, K parameter sets: ``esnsim compare --uncertainty``). Run shows a
progress bar, then the results of :mod:`simulation.dashboard.compare_results` and a download of
``report.html``. Bad input is the CLI's one-line message, shown on the page.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import solara
import solara.lab
import solara.util

from simulation.analysis.observed_numbers import NotANumber, number
from simulation.base.errors import InputError
from simulation.dashboard import uploads
from simulation.dashboard.compare_results import Results, summary_html
from simulation.dashboard.hr_form import HrFields, HrForm, OrgRead, hr_options
from simulation.dashboard.pickers import Uploader, receive
from simulation.dashboard.style import SLIDER_VALUES

__all__ = [
    "Choices",
    "ComparePage",
    "comparison",
    "receive",
    "resolve_org",
    "resolve_plans",
    "summary_html",
]

MAX_PLANS = 4
UPLOADED = "uploaded: "  # prefix of an uploaded file's entry in a list
AT_ASSUMED = "none: at the assumed parameters"
SETS = (2, 50, 10)  # parameter sets offered: min, max, default


def resolve_plans(chosen: list[str], folder: Path) -> list:
    """The chosen entries as scenario files (shipped by name, uploaded from the folder)."""
    from simulation.plan.shipped import shipped

    if not 2 <= len(chosen) <= MAX_PLANS:
        raise InputError(f"pick 2 to {MAX_PLANS} plans (picked {len(chosen)})")
    files = []
    for entry in chosen:
        if entry.startswith(UPLOADED):
            path = uploads.uploaded("scenario", folder).get(entry.removeprefix(UPLOADED))
            if path is None:
                raise InputError(f"{entry}: no such uploaded file")
            files.append(uploads.load_scenario(path))
        else:
            files.append(shipped()[entry])
    return files


def resolve_org(
    kind: str, people: int, fields: HrFields | str, folder: Path, notes: list | None = None
):
    """The chosen organisation (generated, a data set, or an uploaded HR export).

    ``fields`` is the HR form (or only its column mapping, as text). The HR reader's notes and
    warnings (a mapping without department or site, rows left out, levels turned round...) are
    appended to ``notes``, one line each, as the CLI prints them.
    """
    from simulation.dashboard.levers import organisation
    from simulation.org.hr_csv import OrgDataWarning

    if not kind.startswith(UPLOADED):
        return organisation(kind, people)
    path = uploads.uploaded("hr", folder).get(kind.removeprefix(UPLOADED))
    if path is None:
        raise InputError(f"{kind}: no such uploaded file")
    if isinstance(fields, str):
        fields = HrFields(columns=fields)
    ties = None
    if fields.ties:
        ties = uploads.uploaded("ties", folder).get(fields.ties)
        if ties is None:
            raise InputError(f"{fields.ties}: no such uploaded edge list of ties")

    def local(text: str) -> str:  # the upload folder is the server's business: file names
        for file in (path, ties):
            text = text.replace(str(file), file.name) if file is not None else text
        return text

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OrgDataWarning)
        try:
            options = hr_options(fields, str(ties) if ties else None)
            org = uploads.load_hr_export(path, fields.columns, options)
        except InputError as error:
            raise InputError(local(str(error))) from None
    if notes is not None:
        notes.extend(
            dict.fromkeys(
                local(str(w.message)) for w in caught if issubclass(w.category, OrgDataWarning)
            )
        )
    return org


def regions(folder: Path) -> dict[str, str]:
    """The uncertainty sources offered: ``{entry: what MultiSim takes}`` (shipped regions by
    name, uploaded regions by path)."""
    from simulation.experiments.uncertainty_sets import REGIONS
    from simulation.plan.shipped import scenario_dir

    shipped = {p.stem: p.stem for p in sorted((scenario_dir() / REGIONS).glob("*.yaml"))}
    mine = {UPLOADED + n: str(p) for n, p in uploads.uploaded("region", folder).items()}
    return {AT_ASSUMED: ""} | shipped | mine


@dataclass(frozen=True)
class Choices:
    """What the page's form says to compare (plain values, as set in the sidebar)."""

    plans: tuple[str, ...] = ("top_down_mandate", "full_support")
    org: str = "generated"
    people: int = 1000
    fields: HrFields = HrFields()
    replicates: int = 10
    days: int = 180
    budget: float | None = None
    lever_table: bool = False
    uncertainty: str = AT_ASSUMED
    sets: int = SETS[2]


def comparison(choices: Choices, folder: Path):
    """``(ms, runs)``: the :class:`~simulation.experiments.multisim.MultiSim` the form
    describes, checked and not yet run (an :class:`InputError` with the CLI's message if
    anything is wrong), and the number of runs the progress bar counts to (the lever table's
    runs, whose number depends on the leading plan, come on top: the bar then stays full)."""
    from simulation.experiments.multisim import MultiSim

    plans = resolve_plans(list(choices.plans), folder)
    org = resolve_org(choices.org, choices.people, choices.fields, folder)
    offered = regions(folder)
    if choices.uncertainty not in offered:
        raise InputError(f"{choices.uncertainty}: no such plausible region")
    uncertainty = offered[choices.uncertainty] or None
    ms = MultiSim(
        plans,
        org=org,
        replicates=choices.replicates,
        days=choices.days,
        budget=choices.budget,
        lever_table=choices.lever_table,
        uncertainty=uncertainty,
        uncertainty_sets=choices.sets,
    )
    return ms, len(plans) * choices.replicates * (1 + (choices.sets if uncertainty else 0))


def parse_budget(text) -> float | None:
    """The page's budget as an amount: ``80000``, ``80,000``, ``80 000``, ``80'000`` or
    ``80000.50``; None when empty. Anything else is refused in one line (a number field took
    ``80,000`` for 80 and kept the previous value for ``abc``)."""
    raw = str(text or "").strip()
    if not raw:
        return None
    try:  # the usage exports' number reader: one notion of how people write amounts
        value = number(raw)
    except NotANumber:
        raise InputError(f"Budget {raw[:40]!r}: not an amount (e.g. 80000 or 80,000)") from None
    if not math.isfinite(value) or value < 0:
        raise InputError(f"Budget {raw[:40]!r}: must be an amount of 0 or more")
    return value


def ticker(total: int, show, current):
    """The comparison's progress callback: the share of ``total`` runs done, passed to
    ``show``; while ``current()`` is False (the run was cancelled or its page closed) it stops
    the run by raising :class:`solara.util.CancelledError`."""
    done = [0]

    def tick(count: int) -> None:
        if not current():
            raise solara.util.CancelledError()
        done[0] += count
        show(min(done[0] / total, 1.0))

    return tick


@solara.component
def OrgPreview(kind: str, fields: HrFields, refresh: int, folder: Path):
    """An uploaded HR export read as soon as it is chosen (and again when the form changes)."""

    def read():
        notes: list[str] = []
        try:
            return resolve_org(kind, 0, fields, folder, notes), notes, ""
        except InputError as error:
            return None, [], str(error)

    task = solara.lab.use_task(read, dependencies=[kind, fields, refresh])
    if task.pending:
        solara.Text(f"Reading {kind.removeprefix(UPLOADED)}...")
    elif task.finished and task.value is not None:
        org, notes, error = task.value
        if error:
            solara.Error(error, classes=["esn-org-error"])
        else:
            OrgRead(org, notes)


@solara.component
def ComparePage(sources: list[str]):
    """The compare page (``sources``: the organisations offered besides uploads)."""
    from simulation.plan.shipped import shipped

    folder = uploads.upload_dir()
    refresh = solara.use_reactive(0)
    chosen = solara.use_reactive(["top_down_mandate", "full_support"])
    org_kind = solara.use_reactive("generated")
    people = solara.use_reactive(1000)
    fields = solara.use_reactive(HrFields())
    replicates = solara.use_reactive(10)
    days = solara.use_reactive(180)
    budget = solara.use_reactive("")
    lever_table = solara.use_reactive(False)
    source = solara.use_reactive(AT_ASSUMED)
    sets = solara.use_reactive(SETS[2])
    message = solara.use_reactive("")
    progress = solara.use_reactive(0.0)
    refresh.get()
    plan_values = list(shipped()) + [UPLOADED + n for n in uploads.uploaded("scenario", folder)]
    org_values = sources + [UPLOADED + n for n in uploads.uploaded("hr", folder)]
    offered = regions(folder)

    def run():
        message.set("")
        progress.set(0.0)
        try:
            ms, total = comparison(
                Choices(
                    plans=tuple(chosen.value),
                    org=org_kind.value,
                    people=people.value,
                    fields=fields.value,
                    replicates=replicates.value,
                    days=days.value,
                    budget=parse_budget(budget.value),
                    lever_table=lever_table.value,
                    uncertainty=source.value,
                    sets=sets.value,
                ),
                folder,
            )
            # the task is cancelled (Cancel), or the page is gone (a refresh, a closed tab):
            # the run stops at its next batch instead of working minutes for nobody
            ms.progress = ticker(total, progress.set, lambda: task.is_current())
            return ms.run()
        except InputError as error:
            message.set(str(error))
            return None

    task = solara.lab.use_task(run, dependencies=None)

    def saved_as(kind: str):
        def saved(text: str) -> None:
            message.set(text)
            refresh.set(refresh.value + 1)
            name = text.removeprefix("uploaded ")
            if kind == "hr":  # a new export: read it at once
                org_kind.set(UPLOADED + name)
            elif kind == "ties":  # a new edge list: read with the export at once
                fields.set(replace(fields.value, ties=name))

        return saved

    uploaded_org = org_kind.value.startswith(UPLOADED)
    solara.Style(SLIDER_VALUES)
    with solara.Sidebar():
        solara.SelectMultiple(
            "Plans (2 to 4)", values=chosen.value, all_values=plan_values, on_value=chosen.set
        )
        Uploader("scenario", on_saved=saved_as("scenario"), on_error=message.set)
        solara.Select(
            "Organisation", value=org_kind.value, values=org_values, on_value=org_kind.set
        )
        if not uploaded_org:
            solara.SliderInt(
                "People (generated)",
                value=people,
                min=200,
                max=10_000,
                step=100,
                thumb_label="always",
            )
        Uploader("hr", on_saved=saved_as("hr"), on_error=message.set)
        if uploaded_org:
            HrForm(fields, list(uploads.uploaded("ties", folder)))
            Uploader("ties", on_saved=saved_as("ties"), on_error=message.set)
        solara.SliderInt(
            "Replicates per plan", value=replicates, min=2, max=50, thumb_label="always"
        )
        solara.SliderInt("Days", value=days, min=60, max=730, step=10, thumb_label="always")
        solara.InputText("Budget (plans' currency, optional; e.g. 80,000)", value=budget)
        solara.Checkbox(label="Lever table of the leading plan", value=lever_table)
        solara.Select(
            "Uncertainty of the parameters (plausible region)",
            value=source.value if source.value in offered else AT_ASSUMED,
            values=list(offered),
            on_value=source.set,
        )
        if offered.get(source.value):
            solara.SliderInt(
                "Parameter sets",
                value=sets,
                min=SETS[0],
                max=SETS[1],
                thumb_label="always",
            )
        Uploader("region", on_saved=saved_as("region"), on_error=message.set)
        solara.Button(
            "Run", color="primary", on_click=task, disabled=task.pending, classes=["esn-run"]
        )
        solara.Button("Cancel", on_click=task.cancel, disabled=not task.pending)
    with solara.Column():
        if message.value:
            if message.value.startswith("uploaded "):
                solara.Success(message.value)
            else:
                solara.Error(message.value, classes=["esn-error"])
        if uploaded_org:
            OrgPreview(org_kind.value, fields.value, refresh.value, folder)
        if task.pending:
            solara.Text(f"Running: {progress.value:.0%}")
            solara.ProgressLinear(progress.value * 100 if progress.value else True)
        ms = task.value if task.finished else None
        if ms is not None:
            Results(ms)
