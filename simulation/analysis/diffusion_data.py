"""Where the classic diffusion data sets live (read at run time, never shipped).

Coleman, Katz & Menzel's medical innovation and Rogers & Kincaid's Korean family planning, as
converted from the netdiffuseR package (Vega Yon & Valente): ``<prefix>_edges.csv`` and
``<prefix>_attributes.csv`` (``id, department, toa, adopted``). The folder is
``$ESNSIM_SHARED_DATA/diffusion`` if that variable is set, else ``../shared/data/diffusion``
relative to the repository's root.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def folder() -> Path:
    """The diffusion data folder (it may not exist)."""
    base = os.environ.get("ESNSIM_SHARED_DATA")
    return (Path(base) if base else ROOT.parent / "shared" / "data") / "diffusion"


def files(prefix: str) -> tuple[Path, Path] | None:
    """``(edges, attributes)`` of ``prefix`` (``medInnovations``, ``kfamily``), or None."""
    edges, attributes = folder() / f"{prefix}_edges.csv", folder() / f"{prefix}_attributes.csv"
    return (edges, attributes) if edges.exists() and attributes.exists() else None


def organisation(prefix: str):
    """The observed network with its attributes (ids in column ``id``)."""
    from simulation.org.model import Organisation

    edges, attributes = files(prefix)
    return Organisation.from_edgelist(edges, attributes=attributes, columns={"employee_id": "id"})


#: the scenario the real-data fits start from: everyone aware on day 0, adoption once and for all
BASE = {"mode": "one_shot", "adoption": {"rule": "bass", "p": 0.003, "q": 0.0}}
COLEMAN_FIT = ["adoption.p=1e-5:0.05:log", "adoption.q=0:0.05", "adoption.market_potential=0.5:1"]
KOREA_FIT = [
    "adoption.p=1e-6:0.01:log",
    "adoption.q_global=0:0.01",
    "adoption.market_potential=0.3:1",
]
