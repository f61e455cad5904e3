"""Sobol indices of a real sweep with a known structure, through ``esnsim sensitivity``.

The structure comes from the model's definitions, not from its calibration:

* ``costs.licence_per_seat_month`` enters only the per-run cost (seat-days x price), so for
  ``sustained_wau`` it does nothing: its total index's interval must cover 0;
* ``habit.decay`` acts on visiting habits after registration, never on registering, so it does
  nothing for ``cost`` either;
* ``cost = registered seat-days x price`` (licences per registered person,
  ``costs.licensing: per_registered``, set on the base here; per seat, the default, licences do
  not depend on who registers): ``adoption.threshold_mean`` (how many register) and the price
  interact multiplicatively, so each has a total index above its first-order one.

A Sobol design of base 64 over the three parameters (64 x 5 = 320 points x 2 replicates with
independent seeds, so the replicate-noise correction is at work) on a 200-person organisation
over 90 days: about 10 s.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from simulation.analysis.sensitivity import wide
from simulation.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SWEEP = {
    "name": "known-structure",
    "base": str(ROOT / "scenarios" / "all_staff_announcement.yaml"),
    "organisation": {"generate": {"size": 200}},
    "days": 90,
    "design": {"method": "sobol", "samples": 64, "calc_second_order": False},
    "replicates": 2,
    "seed": 3,
    "parameters": {
        "adoption.threshold_mean": {"low": 0.05, "high": 0.5},
        "costs.licence_per_seat_month": {"low": 0, "high": 8},
        "habit.decay": {"low": 0.01, "high": 0.05},
    },
    "outcomes": ["sustained_wau", "cost"],
}


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("known")
    base = yaml.safe_load(Path(SWEEP["base"]).read_text(encoding="utf-8"))
    base["costs"] = {"licensing": "per_registered"}  # cost = registered seat-days x price
    (folder / "base.yaml").write_text(yaml.safe_dump(base), encoding="utf-8")
    sweep_file = folder / "known.yaml"
    sweep = {**SWEEP, "base": str(folder / "base.yaml")}
    sweep_file.write_text(yaml.safe_dump(sweep), encoding="utf-8")
    out = folder / "sweep"
    argv = ["sensitivity", str(sweep_file), "--sweep-out", str(out), "--workers", "1"]
    assert main([*argv, "--quiet"]) == 0
    return sweep_file, out, pd.read_parquet(out / "sensitivity" / "sensitivity.parquet")


def test_sobol_recovers_the_inert_and_the_interacting_parameters(analysed):
    _, out, table = analysed
    assert (out / "sensitivity" / "sensitivity.png").stat().st_size > 10_000
    w = wide(table).set_index(["outcome", "parameter"])
    inert = w.loc[("sustained_wau", "costs.licence_per_seat_month")]
    assert inert["ST"] - inert["ST_conf"] <= 0 <= inert["ST"] + inert["ST_conf"]
    decay = w.loc[("cost", "habit.decay")]
    assert decay["ST"] - decay["ST_conf"] <= 0 <= decay["ST"] + decay["ST_conf"]
    for name in ("adoption.threshold_mean", "costs.licence_per_seat_month"):
        pair = w.loc[("cost", name)]
        assert pair["ST"] > pair["S1"] > 0.1, name
    # the threshold decides how far adoption spreads: the main driver of weekly activity
    threshold = w.loc[("sustained_wau", "adoption.threshold_mean")]
    assert threshold["ST"] - threshold["ST_conf"] > 0.5
    noise = table[table["index"] == "noise_share"].set_index("outcome")["value"]
    assert 0 < noise["sustained_wau"] < 0.5


def test_sweep_plot_draws_every_outcome_against_every_parameter(analysed, capsys):
    _, out, _ = analysed
    assert main(["sweep", "plot", str(out), "--outcome", "cost"]) == 0
    # the folder is written whole (its completion marker is hidden): one figure in it
    figures = [p.name for p in (out / "plots").iterdir() if not p.name.startswith(".")]
    assert figures == ["cost.png"]
    assert "1 figures in" in capsys.readouterr().out


def test_a_method_the_design_cannot_support_writes_nothing(analysed, tmp_path, capsys):
    sweep_file, _, _ = analysed
    target = tmp_path / "never"
    argv = ["sensitivity", str(sweep_file), "--method", "morris", "--sweep-out", str(target)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"esnsim: error: {sweep_file}: design.method: morris indices need")
    assert len(err.splitlines()) == 1 and not target.exists()
    assert main(["sensitivity", str(tmp_path)]) == 2
    assert "not a sweep's folder" in capsys.readouterr().err
