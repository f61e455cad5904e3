"""Shared fixtures: small organisations and scenarios built in code; the real networks' folder.

The real networks are third-party data and not part of the repository: tests read them from
``ESNSIM_DATA``, which this file sets to ``../shared/data`` beside the repository when it is unset
and that folder exists. Tests that need a data set take the :func:`real_data` fixture (or call
:func:`need_dataset`) and are skipped, with the reason, when its files are absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from simulation.org.model import Organisation
from simulation.plan.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SHARED_DATA = ROOT.parent / "shared" / "data"
if not os.environ.get("ESNSIM_DATA") and SHARED_DATA.is_dir():
    os.environ["ESNSIM_DATA"] = str(SHARED_DATA)  # subprocesses (the CLI) inherit it


def need_dataset(name: str) -> None:
    """Skip the calling test when data set ``name``'s files are in no data folder."""
    from simulation import datasets

    if datasets.find(name) is None:
        pytest.skip(
            f"the {name} files are not here: set ESNSIM_DATA to a folder laid out like "
            f"../shared/data, or run `esnsim datasets fetch {name}`"
        )


@pytest.fixture
def real_data() -> Path:
    """The data folder holding the three real networks (the test is skipped without them)."""
    from simulation import datasets

    for name in ("krackhardt", "email_eu_core", "lazega"):
        need_dataset(name)
    return datasets.find("krackhardt").parent


def complete_org(size: int) -> Organisation:
    """Everyone tied to everyone (the Bass limit), no reporting tree."""
    ties = sp.csr_matrix(np.ones((size, size), np.float32) - np.eye(size, dtype=np.float32))
    return Organisation.from_arrays(manager=np.full(size, -1), ties=ties, name=f"complete-{size}")


def scenario(**fields) -> Scenario:
    """A validated scenario from keyword fields (name defaults to "test")."""
    fields.setdefault("name", "test")
    return Scenario.from_dict(fields)


@pytest.fixture(scope="session")
def org_1000() -> Organisation:
    return Organisation.generate(1000, seed=0)


@pytest.fixture(scope="session")
def org_2000() -> Organisation:
    return Organisation.generate(2000, seed=0)
