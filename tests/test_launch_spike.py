"""A target met only by a launch spike is flagged, and the default targets are on sustained use:
the bare mandate reaches 40 % weekly active on its first days and ends far below it."""

from __future__ import annotations

import numpy as np
import pandas as pd

import simulation as esn
from simulation.experiments.multisim import DEFAULT_TARGETS
from simulation.metrics.targets import Target


def _daily(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame(
        {"scenario": "p", "replicate": 0, "day": np.arange(len(values)), "wau": values}
    )


def test_day_lost_is_the_day_from_which_the_target_never_holds_again():
    target = Target.parse("wau>=0.4@5")
    runs = pd.DataFrame({"scenario": ["p"], "replicate": [0]})
    spike = target.evaluate(_daily([0.9, 0.5, 0.2, 0.45, 0.1, 0.1, 0.1, 0.1]), runs).iloc[0]
    assert spike["reached"] and spike["day_reached"] == 0 and spike["day_lost"] == 4
    kept = target.evaluate(_daily([0.1, 0.5, 0.2, 0.45, 0.5, 0.6, 0.4, 0.41]), runs).iloc[0]
    assert kept["reached"] and kept["day_reached"] == 1 and np.isnan(kept["day_lost"])
    never = target.evaluate(_daily([0.1] * 8), runs).iloc[0]
    assert not never["reached"] and np.isnan(never["day_lost"])


def test_the_defaults_are_on_sustained_use():
    assert DEFAULT_TARGETS and all(Target.parse(t).day is None for t in DEFAULT_TARGETS)
    assert all(t.startswith("sustained_") for t in DEFAULT_TARGETS)


def test_the_mandates_launch_spike_meets_no_default_target_and_is_flagged(tmp_path):
    org = esn.Organisation.generate(600, seed=0)
    plans = ["scenarios/top_down_mandate.yaml", "scenarios/full_support.yaml"]
    ms = esn.compare(plans, org=org, replicates=6, seed=0, days=200).run()
    for target in ms.targets:  # the defaults
        chance = ms.result.probabilities[target.text].set_index("scenario")["probability"]
        assert chance["top_down_mandate"] == 0.0, target.text
    early = esn.compare(plans, org=org, replicates=6, seed=0, days=200, targets=["wau>=0.4@180"])
    early.run()
    row = early.result.probabilities["wau>=0.4@180"].set_index("scenario").loc["top_down_mandate"]
    assert row["probability"] == 1.0 and row["day_reached"] < 7  # the day-0 spike
    assert row["lost"] == 1.0 and row["day_reached"] < row["day_lost"] < 60  # and it fades
    early.to_html(tmp_path / "report.html")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "reached in a launch spike, not kept" in html
