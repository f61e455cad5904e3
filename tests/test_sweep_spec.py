"""Sweep files: field paths, designs, and one-line errors (exit 2, nothing written)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from simulation.base.errors import SweepError
from simulation.cli.main import main
from simulation.experiments.sweep import Sweep, SweepSpec, make_design
from simulation.experiments.sweep.design import run_seed
from simulation.experiments.sweep.paths import apply
from tests.conftest import ROOT
from tests.sweep_files import SMALL, write_sweep

BAD = {
    "unknown path": (
        (
            "  adoption.threshold_mean: {low: 0.15, high: 0.35}",
            "  adoption.thresh: {low: 0.1, high: 0.3}",
        ),
        "parameters.adoption.thresh: unknown field",
    ),
    "range on a categorical": (
        (
            "  rollout.strategy: {values: [grassroots, hub_seeding]}",
            "  rollout.strategy: {low: 0, high: 2}",
        ),
        "parameters.rollout.strategy: a range (low, high) on a categorical field",
    ),
    "low > high": (
        ("{low: 0.15, high: 0.35}", "{low: 0.35, high: 0.15}"),
        "parameters.adoption.threshold_mean: low 0.35 > high 0.15",
    ),
    "zero samples": (("samples: 6", "samples: 0"), "design: samples must be >= 1"),
    "sobol base not a power of two": (
        ("method: lhs, samples: 6", "method: sobol, samples: 6"),
        "design: a Sobol design's base samples must be a power of two",
    ),
    "path outside the scenario": (
        ("interventions[0].community_managers", "interventions[9].community_managers"),
        "parameters.interventions[9].community_managers: the base scenario has 5 item(s)",
    ),
    "value out of the field's range": (
        ("{low: 0.15, high: 0.35}", "{low: 0.15, high: 1.5}"),
        "parameters.adoption.threshold_mean.high: 1.5 is not a valid value",
    ),
    "a group of fields": (
        ("  rollout.strategy: {values: [grassroots, hub_seeding]}", "  rollout: {values: [1, 2]}"),
        "parameters.rollout: names a group of fields, not one field",
    ),
    "no whole number in the range": (
        ("{low: 0, high: 6}", "{low: 0.2, high: 0.8}"),
        "parameters.interventions[0].community_managers: no whole number between low 0.2",
    ),
    "replicates as text": (("replicates: 2", 'replicates: "2"'), "replicates: must be a valid"),
    "samples as a decimal": (("samples: 6", "samples: 6.0"), "design.samples: must be a valid"),
    "unknown outcome": (
        ("outcomes: [sustained_wau,", "outcomes: [sustained,"),
        "outcomes: unknown outcome 'sustained'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_sweep_file_is_one_line_exit_2_nothing_written(case, tmp_path, capsys):
    (old, new), expected = BAD[case]
    assert old in SMALL
    path = write_sweep(tmp_path, SMALL.replace(old, new))
    out = tmp_path / "out"
    for argv in (["sweep", str(path), "--out", str(out)], ["sweep", "check", str(path)]):
        assert main(argv) == 2
        err = capsys.readouterr().err.strip()
        assert "\n" not in err, err
        # the file, and its line where the safe loader gives one
        assert re.match(rf"esnsim: error: {re.escape(str(path))}(:\d+)?: ", err), err
        assert expected in err, err
    assert not out.exists()


def test_every_shipped_sweep_is_valid():
    files = sorted((ROOT / "scenarios" / "sweeps").glob("*.yaml"))
    methods = {SweepSpec.load(p).design.method for p in files}
    assert {"lhs", "sobol", "morris", "grid"} <= methods
    for path in files:
        assert path.read_text().startswith("#"), "each sweep opens with its question"
        assert Sweep.load(path).runs >= 500, "shipped sweeps are sized for research"


def test_paths_apply_and_switch_members(tmp_path):
    spec = SweepSpec.load(write_sweep(tmp_path))
    base = spec.base_mapping()
    scenario = apply(
        base,
        {
            "rollout.strategy": "hub_seeding",
            "interventions[0].community_managers": 4,
            "organisation.size": 250,
        },
    )
    assert scenario.rollout.strategy == "hub_seeding"
    assert not hasattr(scenario.rollout, "departments")  # grassroots' own fields dropped
    assert scenario.interventions[0].community_managers == 4
    assert scenario.organisation == {"generate": {"size": 250}}
    assert base["rollout"]["strategy"] == "grassroots", "the base mapping is not changed"


def test_designs_have_the_samplers_sizes_and_values(tmp_path):
    text = SMALL
    for method, extra, points in [
        ("sobol", "samples: 4", 4 * (2 * 3 + 2)),
        ("morris", "samples: 3", 3 * (3 + 1)),
        ("grid", "levels: 3", 3 * 3 * 2),
        ("lhs", "samples: 6", 6),
    ]:
        body = text.replace("method: lhs, samples: 6", f"method: {method}, {extra}")
        design = make_design(SweepSpec.load(write_sweep(tmp_path, body)))
        assert design.size == points and design.unit.shape == (points, 3)
        managers = design.points["interventions[0].community_managers"]
        assert managers.between(0, 6).all() and (managers == managers.round()).all()
        assert set(design.points["rollout.strategy"]) <= {"grassroots", "hub_seeding"}
        lows, highs = np.array(design.problem["bounds"]).T
        assert ((design.unit >= lows) & (design.unit <= highs)).all()
        # the applied categorical value is the one the sampler's number picks
        picked = np.floor(design.unit[:, 2]).clip(0, 1).astype(int)
        expected = np.array(["grassroots", "hub_seeding"])[picked]
        assert (design.points["rollout.strategy"].to_numpy() == expected).all()


def test_whole_numbers_from_the_fields_declaration(tmp_path):
    """end_day is None in the base: its declared type (int) makes the range whole numbers."""
    body = SMALL.replace(
        "rollout.strategy: {values: [grassroots, hub_seeding]}",
        "interventions[0].end_day: {low: 20, high: 50}",
    )
    spec = SweepSpec.load(write_sweep(tmp_path, body))
    assert spec.parameters["interventions[0].end_day"].integer
    assert not spec.parameters["adoption.threshold_mean"].integer
    end = make_design(spec).points["interventions[0].end_day"]
    assert end.dtype.kind == "i" and end.between(20, 50).all()


def test_lhs_strata_are_each_hit_once(tmp_path):
    design = make_design(SweepSpec.load(write_sweep(tmp_path)))
    mean = design.points["adoption.threshold_mean"].to_numpy()
    strata = np.floor((mean - 0.15) / (0.2 / 6)).astype(int)
    assert sorted(strata) == list(range(6))


def test_list_design_reads_points_from_a_csv(tmp_path):
    (tmp_path / "points.csv").write_text(
        "interventions[0].community_managers,adoption.threshold_mean,rollout.strategy\n"
        "0,0.2,grassroots\n5,0.3,hub_seeding\n",
        encoding="utf-8",
    )
    body = SMALL.replace("method: lhs, samples: 6", "method: list, file: points.csv")
    design = make_design(SweepSpec.load(write_sweep(tmp_path, body)))
    assert design.points["interventions[0].community_managers"].tolist() == [0, 5]
    assert design.points["rollout.strategy"].tolist() == ["grassroots", "hub_seeding"]
    (tmp_path / "points.csv").write_text(
        "interventions[0].community_managers,adoption.threshold_mean,rollout.strategy\n"
        "0,0.2,grassroots\n5,7,hub_seeding\n",
        encoding="utf-8",
    )
    match = r"points.csv:3: adoption.threshold_mean: 7 is outside the range"
    with pytest.raises(SweepError, match=match):
        make_design(SweepSpec.load(write_sweep(tmp_path, body)))


def test_run_seeds_depend_on_the_sweep_seed_and_run_only():
    seeds = [run_seed(7, run) for run in range(1000)]
    assert len(set(seeds)) == 1000
    assert seeds == [run_seed(7, run) for run in range(1000)]
    assert seeds[:10] != [run_seed(8, run) for run in range(10)]
    common = [run_seed(7, run, replicates=4, common=True) for run in range(8)]
    assert common[:4] == common[4:] and len(set(common)) == 4


def test_the_sweeps_own_organisation_file_is_relative_to_the_sweep(tmp_path):
    (tmp_path / "hr.csv").write_text(
        "employee_id,manager_id,department\n1,,exec\n2,1,sales\n3,1,it\n4,2,sales\n",
        encoding="utf-8",
    )
    body = SMALL.replace("organisation: {generate: {size: 300}}", "organisation: {hr_csv: hr.csv}")
    body = body.replace("  rollout.strategy: {values: [grassroots, hub_seeding]}\n", "")
    spec = SweepSpec.load(write_sweep(tmp_path, body))
    assert spec.base_mapping()["organisation"] == {"hr_csv": str(tmp_path.resolve() / "hr.csv")}
    size = SMALL.replace(
        "rollout.strategy: {values: [grassroots, hub_seeding]}",
        "organisation.size: {low: 100, high: 200}",
    )
    size = size.replace("organisation: {generate: {size: 300}}", "organisation: {hr_csv: hr.csv}")
    with pytest.raises(SweepError, match="only an option of a generated organisation"):
        SweepSpec.load(write_sweep(tmp_path, size))


@settings(max_examples=60, deadline=None)
@given(
    low=st.floats(-1e3, 1e3),
    width=st.floats(0, 1e3),
    integer=st.booleans(),
    x=st.floats(0, 1),
)
def test_a_sampled_number_maps_into_the_range(low, width, integer, x):
    """Any number of the problem's bounds gives a value within [low, high] (whole if integer)."""
    from simulation.experiments.sweep.design import Axis
    from simulation.experiments.sweep.spec import ParameterSpec

    high = low + width
    assume(not integer or np.ceil(low) <= np.floor(high))  # else the sweep file is refused
    axis = Axis("p", ParameterSpec(low=low, high=high, integer=integer))
    lo, hi = axis.bounds
    (value,) = axis.value(np.array([lo + x * (hi - lo)]))
    if integer:
        assert isinstance(value, int) and low <= value <= high
    else:
        assert low - 1e-9 <= value <= high + 1e-9


@pytest.mark.parametrize(
    "path", sorted((ROOT / "scenarios" / "sweeps").glob("*.yaml")), ids=lambda p: p.stem
)
def test_every_shipped_sweep_runs_its_first_and_last_points(path):
    """Each example's first and last points, one replicate on 200 people for 20 days."""
    from simulation.experiments.sweep.chunks import make_chunks, run_chunk

    sweep = Sweep.load(path)
    base = sweep.spec.base_mapping()
    base.update(days=20, organisation={"generate": {"size": 200}})
    chunks = make_chunks(sweep.spec, sweep.design, base, str(sweep.spec.base_path()))
    for chunk in (chunks[0], chunks[-1]):
        chunk.task.update(values=chunk.task["values"][:1], replicates=1, daily=None)
        chunk.task["seeds"] = chunk.task["seeds"][:1]
        runs = run_chunk(chunk).runs
        assert len(runs) == 1
        assert list(runs.columns[4 : 4 + len(sweep.design.names)]) == sweep.design.names
        assert runs[sweep.spec.outcomes].notna().any(axis=None)
