"""The compare page: 2-4 plans on one organisation, replicates with common random numbers.

Pick shipped or uploaded scenario files and an organisation (generated, a real data set, or an
uploaded HR export with its column mapping), the number of replicates and days; Run shows a
progress bar, then the weekly-active curves with 90 % bands, the summary table, the leading
plan's sentence (the report's own, :func:`simulation.report.answer.lead_sentence`) and a
download of ``report.html``. Bad input is the CLI's one-line message, shown on the page.
"""

from __future__ import annotations

import html
import tempfile
import warnings
from pathlib import Path

import solara
import solara.lab

from simulation.base.errors import InputError
from simulation.dashboard import uploads
from simulation.report.labels import fmt, kind_of, label

MAX_PLANS = 4
TABLE_METRICS = (
    "sustained_wau",
    "peak_wau",
    "ebb_ratio",
    "registered_final",
    "contributor_share",
    "cost",
)
UPLOADED = "uploaded: "  # prefix of an uploaded scenario's or HR export's entry in a list


def summary_html(summary) -> str:
    """The summary table (a metric a row, a plan a column: mean and 90 % interval)."""
    plans = list(dict.fromkeys(summary["scenario"]))
    head = "".join(f"<th>{html.escape(p)}</th>" for p in plans)
    rows = []
    for metric in TABLE_METRICS:
        cells = []
        for plan in plans:
            row = summary[(summary["scenario"] == plan) & (summary["metric"] == metric)]
            if row.empty:
                cells.append("<td></td>")
                continue
            mean, low, high = (float(row.iloc[0][c]) for c in ("mean", "low", "high"))
            kind = kind_of(metric)
            cells.append(
                f'<td data-metric="{metric}" data-plan="{html.escape(plan)}" '
                f'data-mean="{mean!r}">{fmt(mean, kind)} ({fmt(low, kind)} to {fmt(high, kind)})</td>'
            )
        rows.append(f"<tr><th>{html.escape(label(metric))}</th>{''.join(cells)}</tr>")
    return f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody>"


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


def resolve_org(kind: str, people: int, columns: str, folder: Path, notes: list | None = None):
    """The chosen organisation (generated, a data set, or an uploaded HR export).

    The HR reader's warnings (a mapping without department or site...) are appended to
    ``notes``, one line each, as the CLI prints them.
    """
    from simulation.dashboard.levers import organisation
    from simulation.org.hr_csv import OrgDataWarning

    if not kind.startswith(UPLOADED):
        return organisation(kind, people)
    path = uploads.uploaded("hr", folder).get(kind.removeprefix(UPLOADED))
    if path is None:
        raise InputError(f"{kind}: no such uploaded file")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", OrgDataWarning)
        org = uploads.load_hr_export(path, columns)
    if notes is not None:
        notes.extend(str(w.message) for w in caught if issubclass(w.category, OrgDataWarning))
    return org


def receive(kind: str, name: str, data: bytes, folder: Path | None = None) -> tuple[bool, str]:
    """Keep one uploaded file of ``kind`` (``scenario`` or ``hr``); ``(ok, message for the page)``.

    A scenario is validated at once, as ``esnsim scenario check`` does, and removed if bad; an
    HR export is read when a run uses it (with the column mapping given then).
    """
    suffixes = uploads.SCENARIO_SUFFIXES if kind == "scenario" else uploads.HR_SUFFIXES
    try:
        path = uploads.save(name, data, suffixes, folder)
    except InputError as error:
        return False, str(error)
    except OSError as error:  # a full disk, a read-only upload folder: one line, as the CLI
        return False, f"upload {uploads.shown(name)}: {error.strerror or error}"
    if kind == "scenario":
        try:
            uploads.load_scenario(path)
        except InputError as error:
            path.unlink()
            return False, str(error)
    return True, f"uploaded {path.name}"


@solara.component
def Uploader(kind: str, on_saved, on_error):
    """A drop zone saving one file of ``kind`` (``scenario`` or ``hr``) into the upload folder."""

    def on_file(info):
        ok, message = receive(kind, info["name"], info["data"])
        (on_saved if ok else on_error)(message)

    label_text = "Drop a scenario YAML here" if kind == "scenario" else "Drop an HR export here"
    solara.FileDrop(label=label_text, on_file=on_file, lazy=False)


@solara.component
def ComparePage(sources: list[str]):
    """The compare page (``sources``: the organisations offered besides uploads)."""
    from simulation.plan.shipped import shipped

    folder = uploads.upload_dir()
    refresh = solara.use_reactive(0)
    chosen = solara.use_reactive(["top_down_mandate", "full_support"])
    org_kind = solara.use_reactive("generated")
    people = solara.use_reactive(1000)
    columns = solara.use_reactive("")
    replicates = solara.use_reactive(10)
    days = solara.use_reactive(180)
    message = solara.use_reactive("")
    notes = solara.use_reactive([])
    progress = solara.use_reactive(0.0)
    refresh.get()
    plan_values = list(shipped()) + [UPLOADED + n for n in uploads.uploaded("scenario", folder)]
    org_values = sources + [UPLOADED + n for n in uploads.uploaded("hr", folder)]

    def run():
        from simulation.experiments.multisim import MultiSim

        message.set("")
        progress.set(0.0)
        try:
            plans = resolve_plans(list(chosen.value), folder)
            found: list[str] = []
            org = resolve_org(org_kind.value, people.value, columns.value, folder, found)
            notes.set(found)
            total = len(plans) * replicates.value
            done = [0]

            def tick(count: int) -> None:
                done[0] += count
                progress.set(done[0] / total)

            return MultiSim(
                plans, org=org, replicates=replicates.value, days=days.value, progress=tick
            ).run()
        except InputError as error:
            message.set(str(error))
            return None

    task = solara.lab.use_task(run, dependencies=None)

    def saved(text: str) -> None:
        message.set(text)
        refresh.set(refresh.value + 1)

    with solara.Sidebar():
        solara.SelectMultiple(
            "Plans (2 to 4)", values=chosen.value, all_values=plan_values, on_value=chosen.set
        )
        Uploader("scenario", on_saved=saved, on_error=message.set)
        solara.Select(
            "Organisation", value=org_kind.value, values=org_values, on_value=org_kind.set
        )
        solara.SliderInt("People (generated)", value=people, min=200, max=10_000, step=100)
        Uploader("hr", on_saved=saved, on_error=message.set)
        solara.InputText(
            "HR columns (e.g. employee_id=Worker_ID,manager_id=Manager_ID)", value=columns
        )
        solara.SliderInt("Replicates per plan", value=replicates, min=2, max=50)
        solara.SliderInt("Days", value=days, min=60, max=730, step=10)
        solara.Button(
            "Run", color="primary", on_click=task, disabled=task.pending, classes=["esn-run"]
        )
    with solara.Column():
        if message.value:
            if message.value.startswith("uploaded "):
                solara.Success(message.value)
            else:
                solara.Error(message.value, classes=["esn-error"])
        for note in notes.value:
            solara.Warning(note)
        if task.pending:
            solara.Text(f"Running: {progress.value:.0%}")
            solara.ProgressLinear(progress.value * 100 if progress.value else True)
        ms = task.value if task.finished else None
        if ms is not None:
            from simulation.report.answer import lead_sentence

            solara.HTML(tag="div", unsafe_innerHTML=lead_sentence(ms.result))
            solara.FigureMatplotlib(ms.plot("wau"), format="png")
            solara.HTML(
                tag="table",
                unsafe_innerHTML=summary_html(ms.summary()),
                attributes={"id": "compare-summary"},
            )

            def report() -> bytes:
                with tempfile.TemporaryDirectory() as scratch:
                    return ms.to_html(Path(scratch) / "report.html").read_bytes()

            solara.FileDownload(
                report, filename="report.html", label="Download report.html", mime_type="text/html"
            )
