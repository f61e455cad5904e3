"""Plots in a notebook: in a real Jupyter kernel sim.plot() displays a PNG; importing the
package forces no matplotlib backend and warns of nothing."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from tests.conftest import SCENARIOS

GRASSROOTS, JAM = str(SCENARIOS / "grassroots.yaml"), str(SCENARIOS / "jam.yaml")
CELLS = [
    "import simulation as esn",
    f"sim = esn.Sim({JAM!r}, org='generate:size=200', days=90, replicates=2).run()",
    "sim.plot()",
    f"ms = esn.compare([{GRASSROOTS!r}, {JAM!r}], org='generate:size=200', days=60, "
    "replicates=2)\nms.plot()",
]


def test_sim_plot_displays_a_png_in_a_jupyter_kernel(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    # a user's Jupyter: the kernel picks its own (inline) backend, whatever CI exports
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel(env=env, cwd=str(tmp_path))
    try:
        client = NotebookClient(notebook, timeout=300, km=manager)
        client.execute()
    finally:
        manager.shutdown_kernel(now=True)
    outputs = [cell.get("outputs", []) for cell in notebook.cells]
    assert not [o for cell in outputs for o in cell if o["output_type"] == "error"]
    warnings = [
        o["text"]
        for cell in outputs
        for o in cell
        if o.get("name") == "stderr" and "Warning" in o["text"]
    ]
    assert not warnings, warnings
    for cell in (outputs[2], outputs[3]):
        images = [o for o in cell if "image/png" in o.get("data", {})]
        assert len(images) == 1, cell  # shown once: not also as a leftover pyplot figure
        assert images[0]["data"]["image/png"].startswith("iVBOR")  # base64 of the PNG signature


def test_importing_the_package_in_a_kernel_without_ipywidgets_warns_of_nothing(tmp_path):
    cells = [
        "import sys\nsys.modules['ipywidgets'] = None  # as if not installed",
        "import simulation",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute(cwd=str(tmp_path))
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    assert not outputs, outputs  # no TqdmWarning (Mesa imports tqdm.auto), nothing at all


def test_importing_the_package_forces_no_backend_and_warns_of_nothing():
    code = (
        "import warnings; warnings.simplefilter('error')\n"
        "import matplotlib\n"
        "before = matplotlib.rcParams._get('backend')\n"
        "import simulation, simulation.report.plots, simulation.report.html, simulation.experiments.multisim\n"
        "assert matplotlib.rcParams._get('backend') is before, matplotlib.rcParams._get('backend')\n"
        "import matplotlib.pyplot as plt\n"
        "print(matplotlib.get_backend())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["MPLBACKEND"] = "svg"  # a backend of the user's choice survives the import
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "svg"
    assert result.stderr == ""
