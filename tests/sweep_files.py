"""Small sweep files for the sweep tests (200-500 people, 60-120 days)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SCENARIOS

SMALL = """\
name: small
base: {base}
organisation: {generate: {size: 300}}
days: 60
design: {method: lhs, samples: 6}
replicates: 2
seed: 4
chunk_runs: 2
parameters:
  interventions[0].community_managers: {low: 0, high: 6}
  adoption.threshold_mean: {low: 0.15, high: 0.35}
  rollout.strategy: {values: [grassroots, hub_seeding]}
outcomes: [sustained_wau, peak_wau, registered_final]
"""


def write_sweep(folder: Path, text: str = SMALL, name: str = "small.yaml") -> Path:
    """``text`` with ``{base}`` the full_support scenario's path, written to ``folder``."""
    path = folder / name
    body = text.replace("{base}", str(SCENARIOS / "full_support.yaml"))
    path.write_text(body, encoding="utf-8")
    return path
