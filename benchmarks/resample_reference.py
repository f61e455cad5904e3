"""How strict is the reference check? Resampling the mean-curve difference, engine vs Mesa.

``python benchmarks/resample_reference.py`` (about 1 min): 120 runs of the per-agent Mesa
reference (``reference_mesa.py``) and 2,000 engine runs of the core rule at 300 people over 150
days (the setting of ``tests/test_bench_reference.py``), then 3,000 draws of 30 reference runs
against 400 engine runs: the max abs difference of the mean registered and weekly-active curves.
Under the same model it says how often the test's tolerance (0.10) fails by chance; with a
20 % lower adoption rate or a higher mean threshold in the engine, how often it catches the
difference. Prints the median, the 99.9th percentile and the share of draws over 0.10.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reference_mesa  # noqa: E402

from simulation.org.model import Organisation  # noqa: E402
from simulation.scenario import Scenario  # noqa: E402

TOLERANCE = 0.10


def scenario(**adoption) -> Scenario:
    return Scenario.from_dict(
        {
            "name": "core",
            "days": 150,
            "adoption": {"rule": "threshold", **adoption},
            "rollout": {"strategy": "announcement"},
        }
    )


def engine_runs(org, sc, runs: int = 2000, batch: int = 200) -> dict[str, np.ndarray]:
    parts = [reference_mesa.engine_curves(org, sc, range(1000 + k, 1000 + k + batch))
             for k in range(0, runs, batch)]  # fmt: skip
    return {c: np.concatenate([p[c] for p in parts], axis=1) for c in reference_mesa.COMPARED}


def main() -> None:
    org = Organisation.generate(300, seed=0)
    reference = reference_mesa.reference_curves(org, scenario(), range(120))
    rng = np.random.default_rng(0)
    for name, variant in (
        ("same model", scenario()),
        ("engine rate 0.12 (not 0.15)", scenario(rate=0.12)),
        ("engine threshold 0.30 (not 0.25)", scenario(threshold_mean=0.30)),
    ):
        engine = engine_runs(org, variant)
        diffs = []
        for _ in range(3000):
            ref = rng.choice(120, 30, replace=False)
            eng = rng.choice(engine["registered"].shape[1], 400, replace=False)
            diffs.append(
                max(
                    np.abs(reference[c][:, ref].mean(1) - engine[c][:, eng].mean(1)).max()
                    for c in reference_mesa.COMPARED
                )
            )
        diffs = np.array(diffs)
        print(
            f"{name}: median {np.median(diffs):.3f}, 99.9th percentile "
            f"{np.quantile(diffs, 0.999):.3f}, over {TOLERANCE}: {(diffs > TOLERANCE).mean():.1%}"
        )


if __name__ == "__main__":
    main()
