"""How strict is the reference check? Resampling the mean-curve difference, engine vs Mesa.

``python benchmarks/resample_reference.py`` (about 40 s): 120 runs of the per-agent Mesa
reference (``reference_mesa.py``) and 2,000 engine runs of the core rule at 300 people over 150
days (the setting of ``tests/test_bench_reference.py``), then 3,000 draws of 30 reference runs
against 400 engine runs: the max abs difference of the mean registered and weekly-active curves.
Under the same model it says how often the test's tolerance (0.10) fails by chance; with a
20 % lower adoption rate or a higher mean threshold in the engine, how often it catches the
difference. Prints the median, the 99.9th percentile and the share of draws over the tolerance.

``--benchmark`` (about 3 min) does the same for the check of ``bench_engine.py``: 1,000 people,
365 days, 60 reference and 2,000 engine runs, draws of 20 against 200, tolerance 0.05.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import reference_mesa  # noqa: E402

from simulation.org.model import Organisation  # noqa: E402
from simulation.plan.scenario import Scenario  # noqa: E402

TEST = {"size": 300, "days": 150, "pool": (120, 2000), "draw": (30, 400), "tolerance": 0.10}
BENCHMARK = {"size": 1000, "days": 365, "pool": (60, 2000), "draw": (20, 200), "tolerance": 0.05}


def scenario(days: int, **adoption) -> Scenario:
    return Scenario.from_dict(
        {
            "name": "core",
            "days": days,
            "adoption": {"rule": "threshold", **adoption},
            "rollout": {"strategy": "announcement"},
        }
    )


def engine_runs(org, sc, runs: int = 2000, batch: int = 200) -> dict[str, np.ndarray]:
    parts = [reference_mesa.engine_curves(org, sc, range(1000 + k, 1000 + k + batch))
             for k in range(0, runs, batch)]  # fmt: skip
    return {c: np.concatenate([p[c] for p in parts], axis=1) for c in reference_mesa.COMPARED}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--benchmark", action="store_true", help="the setting of bench_engine.py")
    setting = BENCHMARK if parser.parse_args(argv).benchmark else TEST
    days, (ref_pool, eng_pool), (ref_draw, eng_draw) = (
        setting["days"],
        setting["pool"],
        setting["draw"],
    )
    tolerance = setting["tolerance"]
    org = Organisation.generate(setting["size"], seed=0)
    reference = reference_mesa.reference_curves(org, scenario(days), range(ref_pool))
    rng = np.random.default_rng(0)
    for name, variant in (
        ("same model", scenario(days)),
        ("engine rate 0.12 (not 0.15)", scenario(days, rate=0.12)),
        ("engine threshold 0.30 (not 0.25)", scenario(days, threshold_mean=0.30)),
    ):
        engine = engine_runs(org, variant, eng_pool)
        diffs = []
        for _ in range(3000):
            ref = rng.choice(ref_pool, ref_draw, replace=False)
            eng = rng.choice(eng_pool, eng_draw, replace=False)
            diffs.append(
                max(
                    np.abs(reference[c][:, ref].mean(1) - engine[c][:, eng].mean(1)).max()
                    for c in reference_mesa.COMPARED
                )
            )
        diffs = np.array(diffs)
        print(
            f"{name}: median {np.median(diffs):.3f}, 99.9th percentile "
            f"{np.quantile(diffs, 0.999):.3f}, over {tolerance}: {(diffs > tolerance).mean():.1%}"
        )


if __name__ == "__main__":
    main()
