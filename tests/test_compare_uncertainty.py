"""The parameters' uncertainty in every comparison (issue 26 item 5): compare --uncertainty."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import simulation as esn
from simulation.cli.main import main
from simulation.experiments.uncertainty_sets import ParameterSets, Region, load_region, load_sets
from simulation.metrics.across_sets import chances, target_spread
from simulation.metrics.lead import lead

ROOT = Path(__file__).resolve().parents[1]
ESNSIM = Path(sys.executable).parent / "esnsim"
SMALL = ["--org", "generate:size=300", "--days", "40", "--replicates", "2"]
PLANS = ["grassroots", "top_down_mandate"]
REGION = """name: test region
description: two parameters
parameters:
  habit.decay: {low: 0.01, high: 0.05}
  adoption.threshold_mean: {distribution: normal, mean: 0.25, sd: 0.03, low: 0.18, high: 0.32}
"""


# ----------------------------------------------------------------- the known answer
def test_a_swap_inside_the_region_gives_a_chance_near_half_across_parameters():
    """Plan B beats plan A exactly when x > 0.5, x uniform on [0, 1]: across the parameters
    the chance is near 50 %, while at an assumed x the replicate-only chance is 0 % or 100 %."""
    region = Region.model_validate({"parameters": {"x": {"low": 0.0, "high": 1.0}}})
    k, replicates = 40, 20
    x = region.draw(k)["x"].to_numpy()
    assert 0 <= x.min() and x.max() <= 1
    rng = np.random.default_rng(3)

    def runs(xs):
        rows = []
        for s, value in enumerate(xs):
            noise = rng.normal(0, 0.02, replicates)  # the same for both plans: common numbers
            for r in range(replicates):
                rows.append(("A", s, r, 0.5 + noise[r]))
                rows.append(("B", s, r, value + noise[r] + rng.normal(0, 0.005)))
        return pd.DataFrame(rows, columns=["scenario", "parameter_set", "replicate", "outcome"])

    across = chances(runs(x), "outcome", ["A", "B"], leader="B")
    row = across.iloc[0]
    assert row["n_sets"] == k and row["n_pairs"] == k * replicates
    assert abs(row["sets"] - 0.5) <= 0.1, row["sets"]  # a Latin hypercube: 20 of 40 above 0.5
    assert abs(row["pairs"] - 0.5) <= 0.1, row["pairs"]
    assert row["difference_low"] < 0 < row["difference_high"]
    for assumed, expected in ((0.3, 0.0), (0.7, 1.0)):  # one fixed x, replicates only
        at = runs([assumed]).drop(columns="parameter_set")
        _, beats = lead(at, "outcome", ["A", "B"])
        share = (
            beats.iloc[0]["mean"] if beats.iloc[0]["scenario"] == "B" else 1 - beats.iloc[0]["mean"]
        )
        assert share == pytest.approx(expected, abs=0.05)


def test_target_chance_pools_runs_and_spreads_over_sets():
    reached = pd.DataFrame(
        {
            "scenario": ["A"] * 8,
            "parameter_set": [0, 0, 1, 1, 2, 2, 3, 3],
            "replicate": [0, 1] * 4,
            "reached": [True, True, True, False, False, False, False, False],
        }
    )
    row = target_spread(reached, "t", ["A"]).iloc[0]
    assert row["probability"] == pytest.approx(3 / 8)
    assert row["sets_reaching_half"] == pytest.approx(2 / 4)
    assert row["low"] == pytest.approx(0.0) and row["high"] == pytest.approx(0.925)


def test_a_region_draws_the_same_sets_and_respects_its_distributions(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(REGION + "  habit.abandon_within: {low: 14, high: 60, integer: true}\n")
    a, b = load_sets(path, 50), load_sets(path, 50)
    pd.testing.assert_frame_equal(a.values, b.values)
    v = a.values
    assert v["habit.decay"].between(0.01, 0.05).all()
    assert v["adoption.threshold_mean"].between(0.18, 0.32).all()
    assert abs(v["adoption.threshold_mean"].mean() - 0.25) < 0.01
    assert (v["habit.abandon_within"] == v["habit.abandon_within"].round()).all()
    # a Latin hypercube: one draw in each fifth of the uniform range per 10 sets
    counts = np.histogram(v["habit.decay"], bins=5, range=(0.01, 0.05))[0]
    assert (counts == 10).all()


def test_the_shipped_region_is_valid_and_every_path_is_a_parameter_of_the_shipped_plans():
    region = load_region(ROOT / "scenarios" / "uncertainty" / "plausible.yaml")
    assert len(region.parameters) >= 5
    sets = load_sets("plausible", 8)
    sets.check([esn.Scenario.load(ROOT / "scenarios" / f"{n}.yaml") for n in PLANS])
    assert sets.not_applicable == {}
    record = json.loads((ROOT / "benchmarks" / "plausible_region_results.json").read_text())
    for path, dist in region.parameters.items():  # the file holds the derived region
        derived = record["region"][path]
        assert (dist.low, dist.high) == pytest.approx((derived["low"], derived["high"]))
        assert dist.low <= derived["default"] <= dist.high


# ------------------------------------------------------------------ end to end
@pytest.fixture(scope="module")
def uncertain(tmp_path_factory):
    """compare --uncertainty through the installed command: 2 plans x 3 sets x 2 replicates."""
    tmp = tmp_path_factory.mktemp("uncertain")
    region = tmp / "region.yaml"
    region.write_text(REGION)
    out = tmp / "out"
    done = subprocess.run(
        [str(ESNSIM), "compare", *PLANS, *SMALL, "--uncertainty", str(region),
         "--uncertainty-sets", "3", "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def test_cli_writes_every_run_under_every_set_and_reports_both_kinds_of_chance(uncertain):
    out, stdout = uncertain
    runs = pd.read_parquet(out / "uncertainty.parquet")
    assert list(runs.columns[:4]) == ["scenario", "parameter_set", "replicate", "seed"]
    assert {"sustained_wau", "habit.decay", "adoption.threshold_mean"} <= set(runs.columns)
    assert len(runs) == 2 * 3 * 2
    assert sorted(runs["parameter_set"].unique()) == [0, 1, 2]
    # common random numbers within a set: the same seeds for every plan
    for _, part in runs.groupby("parameter_set"):
        seeds = part.groupby("scenario")["seed"].apply(sorted)
        assert seeds.iloc[0] == seeds.iloc[1]
    assert stdout.splitlines()[0].startswith("At the assumed parameters")
    assert "Across 3 plausible parameter sets" in stdout

    page = (out / "report.html").read_text(encoding="utf-8")
    answer = page[page.index('<section id="answer">') :]
    first = re.search(r'<p class="scope" id="answer-scope"([^>]*)>(.*?)</p>', answer)
    assert first and answer.index(first.group(0)) < answer.index('id="answer-lead"')
    assert 'data-uncertainty="parameters"' in first.group(1)
    assert "at the assumed parameters" in first.group(2)
    assert "Across plausible parameters" in first.group(2)
    # the chance across the sets, recomputed from uncertainty.parquet
    stats = pd.read_parquet(out / "compare.parquet")
    leader = stats[stats["section"] == "beats"]["scenario"].iloc[0]
    other = next(n for n in PLANS if n != leader)
    means = runs.groupby(["parameter_set", "scenario"])["sustained_wau"].mean().unstack()
    share = float((means[leader] > means[other]).mean())
    item = re.search(r'<li data-scenario="[^"]+" data-versus="[^"]+"[^>]*>', answer).group(0)
    assert float(re.search(r'data-sets="([^"]+)"', item).group(1)) == pytest.approx(share)
    pairs = runs.pivot_table(index=["parameter_set", "replicate"], columns="scenario",
                             values="sustained_wau")  # fmt: skip
    paired = float((pairs[leader] > pairs[other]).mean())
    assert float(re.search(r'data-pairs="([^"]+)"', item).group(1)) == pytest.approx(paired)
    assert '<section id="uncertainty">' in page
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["uncertainty"]["sets"] == 3 and manifest["uncertainty"]["kind"] == "region"


def test_a_set_at_the_assumed_values_repeats_the_runs_at_the_assumed_parameters():
    """Common random numbers: a set equal to the plans' own values gives the same runs."""
    plans = [esn.Scenario.load(ROOT / "scenarios" / f"{n}.yaml") for n in PLANS]
    decay = plans[0].habit.decay
    assert decay == plans[1].habit.decay
    sets = ParameterSets(pd.DataFrame({"habit.decay": [decay, decay * 2]}), "region", "x", "x")
    ms = esn.compare(plans, org="generate:size=300", replicates=2, days=40, uncertainty=sets)
    unc = ms.result.uncertainty.runs
    at = ms.result.runs.set_index(["scenario", "replicate"])["sustained_wau"]
    same = unc[unc["parameter_set"] == 0].set_index(["scenario", "replicate"])["sustained_wau"]
    pd.testing.assert_series_equal(same.sort_index(), at.sort_index(), check_names=False)
    other = unc[unc["parameter_set"] == 1].set_index(["scenario", "replicate"])["sustained_wau"]
    assert not np.allclose(other.sort_index(), at.sort_index())


def test_without_uncertainty_the_answer_says_it_covers_replicate_noise_only(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["compare", *PLANS, *SMALL, "--out", str(out)]) == 0
    stdout = capsys.readouterr().out
    assert stdout.splitlines()[0].startswith("At the assumed parameters")
    page = (out / "report.html").read_text(encoding="utf-8")
    answer = page[page.index('<section id="answer">') :]
    scope = re.search(r'<p class="scope" id="answer-scope"[^>]*>(.*?)</p>', answer)
    assert answer.index(scope.group(0)) < answer.index('id="answer-lead"')
    assert 'data-uncertainty="replicates"' in scope.group(0)
    assert "not uncertainty about the parameters" in scope.group(1)
    assert not (out / "uncertainty.parquet").exists()


def test_a_calibration_folder_gives_its_bootstrap_refits(tmp_path, capsys):
    truth = esn.Scenario.from_dict(
        {
            "name": "s",
            "days": 60,
            "adoption": {"rule": "bass", "p": 0.01, "q": 0.05},
        }  # fmt: skip
    )
    from simulation.experiments.runner import run_batch

    daily = run_batch(esn.Organisation.generate(300, seed=1), truth, [5]).daily
    observed = tmp_path / "series.csv"
    daily.iloc[::7][["day", "registered"]].to_csv(observed, index=False)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: s\ndays: 60\nadoption: {rule: bass, q: 0.05}\n")
    other = tmp_path / "other.yaml"
    other.write_text("name: other\ndays: 60\nadoption: {rule: bass, q: 0.1}\n")
    cal = tmp_path / "cal"
    code = main(
        ["calibrate", str(scenario), "--observed", str(observed), "--org",
         "generate:size=300,seed=1", "--fit", "adoption.p=1e-3:0.05:log", "--bootstrap", "3",
         "--evaluations", "3", "--replicates", "2", "--out", str(cal), "--quiet"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    refits = json.loads((cal / "fit.json").read_text())["bootstrap"]["refits"]
    assert len(refits) == 3 and all(set(r) == {"adoption.p"} for r in refits)
    out = tmp_path / "out"
    code = main(
        ["compare", str(cal / "best_fit.yaml"), str(other), "--org", "generate:size=300,seed=1",
         "--replicates", "2", "--outcome", "registered_final", "--uncertainty", str(cal),
         "--out", str(out), "--quiet"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    runs = pd.read_parquet(out / "uncertainty.parquet")
    assert sorted(runs["adoption.p"].unique()) == pytest.approx(
        sorted(r["adoption.p"] for r in refits)
    )
    assert "bootstrap refits" in (out / "report.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------ bad input
def _bad_region(tmp_path, text):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize(
    "text, field",
    [
        ("parameters:\n  habit.decay: {low: 0.01, high: 0.05, wide: true}\n",
         "parameters.habit.decay.wide: unknown field"),
        ("parameters:\n  habit.decay: {low: 0.05, high: 0.05}\n",
         "parameters.habit.decay: empty range"),
        ("parameters:\n  habit.decay: {low: 0.01, high: 0.05}\nsamples: 3\n",
         "samples: unknown field"),
        ("parameters:\n  habit.decai: {low: 0.01, high: 0.05}\n",
         "parameters.habit.decai: none of the plans has this parameter"),
    ],
)  # fmt: skip
def test_a_bad_region_is_one_line_naming_file_and_field_exit_2(tmp_path, capsys, text, field):
    path = _bad_region(tmp_path, text)
    out = tmp_path / "out"
    code = main(["compare", *PLANS, *SMALL, "--uncertainty", path, "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1, err
    assert path in err and field in err, err
    assert not out.exists()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: d, "not an esnsim calibrate output folder"),
        (lambda d: (d / "fit.json").write_text('{"fitted": {"adoption.p": {}}}'),
         "bootstrap.refits: missing"),
        (lambda d: (d / "fit.json").write_text(
            '{"fitted": {"adoption.p": {}}, "bootstrap": {"refits": []}}'),
         "no bootstrap refits"),
    ],
)  # fmt: skip
def test_a_folder_that_is_no_calibration_exits_2(tmp_path, capsys, make, message):
    folder = tmp_path / "cal"
    folder.mkdir()
    make(folder)
    out = tmp_path / "out"
    code = main(["compare", *PLANS, *SMALL, "--uncertainty", str(folder), "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and message in err, err
    assert str(folder) in err
    assert not out.exists()


def test_fewer_than_one_set_exits_2_through_the_installed_command(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run(
        [str(ESNSIM), "compare", *PLANS, *SMALL, "--uncertainty", "plausible",
         "--uncertainty-sets", "0", "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    err = done.stderr.strip()
    assert done.returncode == 2 and err.endswith("--uncertainty-sets 0: must be from 1 to 1000"), (
        err
    )
    assert len(err.splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--uncertainty-sets", "5"], "--uncertainty-sets: only with --uncertainty"),
        (["--uncertainty", "nowhere"], "--uncertainty nowhere: no such file or folder"),
    ],
)
def test_sets_alone_or_no_such_source_exit_2(tmp_path, capsys, extra, message):
    out = tmp_path / "out"
    code = main(["compare", *PLANS, *SMALL, *extra, "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and message in err, err
    assert not out.exists()


def test_the_answer_flags_a_lead_that_the_parameters_overturn():
    """The known answer rendered: 100 % of paired replicates at the assumed parameters, about
    half of the parameter sets across them, and the answer says it is not robust."""
    from types import SimpleNamespace

    from simulation.experiments.uncertainty import Uncertainty
    from simulation.report.uncertainty_section import across_items, scope_paragraph

    region = Region.model_validate({"parameters": {"x": {"low": 0.0, "high": 1.0}}})
    x = region.draw(20)["x"].to_numpy()
    rows = [
        (name, s, r, value)
        for s, xs in enumerate(x)
        for r in range(5)
        for name, value in (("A", 0.5 + 0.001 * r), ("B", xs + 0.001 * r))
    ]
    runs = pd.DataFrame(rows, columns=["scenario", "parameter_set", "replicate", "sustained_wau"])
    sets = ParameterSets(pd.DataFrame({"x": x}), "region", "x.yaml", "20 sets of x")
    unc = Uncertainty(sets, ["A", "B"], "sustained_wau", "A", 5, [], runs)
    beats = pd.DataFrame({"reference": ["B"], "mean": [1.0]})  # at an assumed x below 0.5
    result = SimpleNamespace(uncertainty=unc, beats=beats, replicates=5)
    text = across_items(result)
    assert 'data-n-sets="20"' in text and "has the higher mean in 10 of 20 parameter sets" in text
    assert "Not robust" in text
    assert 'data-uncertainty="parameters"' in scope_paragraph(result)
