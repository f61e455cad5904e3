"""Uploading a file: a file picker (a real ``<input type=file>``) beside a drop zone.

Solara's :func:`solara.FileDrop` takes a file only by an operating system's drag-and-drop, which
a user who keeps exports in a mail attachment or a browser download cannot always do, and which
no browser test can drive. :func:`FilePicker` is ipyvuetify's ``FileInput`` (Vuetify's
``v-file-input``: a button that opens the system's file dialog) wired as Solara wires its drop
zone: the file's name and size arrive first, its bytes are then read in chunks in a thread. A
file larger than :data:`~simulation.dashboard.uploads.MAX_BYTES` is refused from its size,
before any byte is sent. :func:`Uploader` puts the picker and the drop zone together and keeps the
file in the upload folder with :func:`receive`.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import solara
from ipyvuetify.extra import FileInput

from simulation.base.errors import InputError
from simulation.dashboard import uploads

#: the drop zone beside the picker: smaller than Solara's 100 px box
STYLE = ".solara-file-drop { height: 44px; margin: 0 0 8px; color: #666; font-size: 0.9em; }"
LABELS = {
    "scenario": ("Choose a scenario YAML", "or drop a scenario YAML here"),
    "hr": ("Choose an HR export (CSV or .xlsx)", "or drop an HR export here"),
    "region": ("Choose a plausible region YAML", "or drop a region YAML here"),
    "ties": ("Choose observed informal ties (edge list CSV)", "or drop an edge list here"),
}


def receive(kind: str, name: str, data: bytes, folder: Path | None = None) -> tuple[bool, str]:
    """Keep one uploaded file of ``kind`` (``scenario``, ``hr``, ``region`` or ``ties``).

    Returns ``(ok, message for the page)``. A scenario is validated at once, as ``esnsim
    scenario check`` does, and a region as ``compare --uncertainty FILE`` reads it; either is
    removed if bad. An HR export is read when it is chosen (with the column mapping and the
    reading options given then), an edge list of ties with the export it is chosen for.
    """
    try:
        path = uploads.save(name, data, uploads.suffixes_of(kind), uploads.folder_of(kind, folder))
    except InputError as error:
        return False, str(error)
    except OSError as error:  # a full disk, a read-only upload folder: one line, as the CLI
        return False, f"upload {uploads.shown(name)}: {error.strerror or error}"
    check = {"scenario": uploads.load_scenario, "region": uploads.load_region}.get(kind)
    if check is not None:
        try:
            check(path)
        except InputError as error:
            path.unlink()
            # the file's name, not the server's folder (as the HR export's messages)
            return False, str(error).replace(f"{path.parent}{os.sep}", "")
    if path.name != uploads.safe_name(name, uploads.suffixes_of(kind)):
        return True, (
            f"uploaded {path.name} (another file named {uploads.safe_name(name, uploads.suffixes_of(kind))} "
            "is kept as it was)"
        )
    return True, f"uploaded {path.name}"


def too_large(name: str, size: int) -> str:
    """The page's message for a file over the limit ('' when within it)."""
    if int(size) <= uploads.MAX_BYTES:
        return ""
    return f"upload {uploads.shown(name)}: {int(size):,} bytes, more than {uploads.MAX_BYTES:,}"


@solara.component
def FilePicker(label: str, accept: str, on_file, on_error):
    """A file dialog's button (``<input type=file>``); ``on_file(name, data)`` once read.

    Parameters
    ----------
    label : str
        The button's label.
    accept : str
        The suffixes the dialog offers, e.g. ``".csv,.xlsx"``.
    on_file : callable
        Called with the file's name and bytes.
    on_error : callable
        Called with a one-line message (a file over the size limit, a read that failed).
    """
    info, set_info = solara.use_state(None)
    wired, set_wired = solara.use_state(None)
    picker = FileInput.element(
        label=label,
        accept=accept,
        multiple=False,
        show_progress=True,
        on_file_info=set_info,
    )

    def wire():
        if not info:
            return
        widget = solara.get_widget(picker)
        widget.version += 1  # as solara.FileDrop: the files are re-read from the new version
        widget.reset_stats()
        set_wired(widget.get_files())

    solara.use_effect(wire, [info])

    def read(cancel: threading.Event):
        if not wired:
            return
        first = wired[0]
        refused = too_large(first["name"], first["size"])
        if refused:
            on_error(refused)
            return
        try:
            data = first["file_obj"].read()
        except Exception as error:  # a timeout or a file changed while read: one line
            on_error(f"upload {uploads.shown(first['name'])}: not received ({error})")
            return
        on_file(first["name"], data)

    solara.use_thread(read, [wired])
    return picker


@solara.component
def Uploader(kind: str, on_saved, on_error):
    """A file picker and a drop zone keeping one file of ``kind`` in the upload folder."""
    pick, drop = LABELS[kind]

    def keep(name: str, data: bytes) -> None:
        ok, message = receive(kind, name, data)
        (on_saved if ok else on_error)(message)

    def dropped(info):
        refused = too_large(info["name"], info["size"])
        if refused:
            on_error(refused)
            return
        keep(info["name"], info["file_obj"].read())

    with solara.Column(gap="0px", classes=[f"esn-upload-{kind}"]):
        solara.Style(STYLE)
        solara.Text(pick, style={"font-size": "0.8em", "color": "#666"})
        FilePicker(
            pick,
            ",".join(uploads.suffixes_of(kind)),
            on_file=keep,
            on_error=on_error,
        )
        solara.FileDrop(label=drop, on_file=dropped, lazy=True)
