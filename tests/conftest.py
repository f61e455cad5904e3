"""Shared fixtures: small organisations and scenarios built in code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from simulation.org.model import Organisation
from simulation.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


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
