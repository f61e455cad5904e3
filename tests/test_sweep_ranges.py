"""A parameter's range against its design and its field: a range of one value (a constant) is
taken where the design can take it (lhs, grid, list) and refused in one line where it cannot
(sobol, morris); a normal distribution reaching values the field refuses, and a point whose
values are valid alone but not together, are one line naming the parameter's line in the sweep
file, never the base scenario."""

from __future__ import annotations

import pytest

from simulation.base.errors import SweepError
from simulation.experiments.sweep import Sweep
from tests.test_sweep_hardening import cli, refused

SWEEP = """\
name: ranges
base: full_support
organisation: {generate: {size: 60}}
days: 20
design: {method: METHOD}
parameters:
  adoption.threshold_mean: RANGE
  habit.decay: {low: 0.01, high: 0.05}
"""


def sweep_file(folder, method: str, parameter: str, name: str = "s.yaml"):
    path = folder / name
    path.write_text(SWEEP.replace("METHOD", method).replace("RANGE", parameter), "utf-8")
    return path


@pytest.mark.parametrize(
    ("method", "parameter"),
    [
        ("sobol, samples: 8", "{low: 0.2, high: 0.2}"),
        ("morris, samples: 4", "{low: 0.2, high: 0.2}"),
        ("sobol, samples: 8", "{low: 0.2, high: 0.2, log: true}"),
        ("sobol, samples: 8", "{low: 0.2, high: 0.2, distribution: triangular, mode: 0.2}"),
    ],
    ids=["sobol", "morris", "log", "triangular"],
)
def test_a_range_of_one_value_is_refused_where_salib_samples(capsys, tmp_path, method, parameter):
    path = sweep_file(tmp_path, method, parameter)
    design = method.split(",")[0]
    fragments = (
        f"{path}:7: parameters.adoption.threshold_mean: low must be < high for a {design} design",
        "a fixed value belongs in the base scenario, or give values: [0.2]",
    )
    refused(cli(capsys, "sweep", "check", path), *fragments)
    out = tmp_path / "out"
    refused(cli(capsys, "sweep", path, "--out", out, "--workers", "1"), *fragments)
    assert not out.exists()
    with pytest.raises(SweepError, match="low must be < high for a"):
        Sweep.load(path)


def test_a_range_of_one_value_is_a_constant_where_the_design_takes_it(tmp_path):
    grid = Sweep.load(sweep_file(tmp_path, "grid", "{low: 0.2, high: 0.2}"))
    assert grid.design.size == 3, "one level of the constant, not three copies of it"
    assert grid.design.points["adoption.threshold_mean"].tolist() == [0.2] * 3
    triangular = "{low: 0.2, high: 0.2, distribution: triangular, mode: 0.2}"
    for parameter in ("{low: 0.2, high: 0.2}", triangular):
        lhs = Sweep.load(sweep_file(tmp_path, "lhs, samples: 4", parameter))
        assert lhs.design.points["adoption.threshold_mean"].tolist() == [0.2] * 4


@pytest.mark.parametrize(
    ("parameter", "fragment"),
    [
        (
            "{distribution: normal, mean: 0.2, sd: 0.5}",
            "the normal distribution (mean 0.2, sd 0.5) reaches -2.18, which the field refuses "
            "(must be > 0); give low and high within the field's range to truncate it",
        ),
        ("{distribution: normal, mean: 5, sd: 0.1}", "reaches 4.52, which the field refuses"),
    ],
    ids=["no bounds", "mean outside"],
)
def test_a_normal_leaving_the_fields_range_is_refused_at_its_line(
    capsys, tmp_path, parameter, fragment
):
    path = sweep_file(tmp_path, "lhs, samples: 4", parameter)
    line = refused(
        cli(capsys, "sweep", "check", path),
        f"{path}:7: parameters.adoption.threshold_mean: ",
        fragment,
    )
    assert "full_support" not in line, "the base scenario is not to blame"
    bounded = sweep_file(tmp_path, "lhs, samples: 4", parameter[:-1] + ", low: 0.1, high: 0.9}")
    values = Sweep.load(bounded).design.points["adoption.threshold_mean"]
    assert values.between(0.1, 0.9).all()


POINTS = """\
  rollout.strategy: {values: [grassroots, hub_seeding]}
  rollout.seeds_per_department: {low: 2, high: 8}
"""


def test_values_valid_alone_but_not_together_are_refused_at_load(capsys, tmp_path):
    path = tmp_path / "s.yaml"
    text = SWEEP.replace("METHOD", "grid, levels: 2").split("parameters:")[0]
    path.write_text(text + "parameters:\n" + POINTS, encoding="utf-8")
    line = refused(
        cli(capsys, "sweep", "check", path),
        f"{path}:8: parameters.rollout.seeds_per_department: point 2 (rollout.strategy="
        "'hub_seeding', rollout.seeds_per_department=2) is not a valid scenario "
        "(rollout.seeds_per_department: unknown field)",
    )
    assert "full_support" not in line


def test_a_point_refused_at_run_time_names_the_parameter(tmp_path):
    """Points beyond those checked at load fail in their chunk, naming the sweep file's line."""
    from simulation.experiments.sweep.chunks import make_chunks, run_chunk

    sweep = Sweep.load(sweep_file(tmp_path, "lhs, samples: 2", "{low: 0.1, high: 0.3}"))
    spec = sweep.spec
    chunks = make_chunks(spec, sweep.design, spec.base_mapping(), str(spec.base_path()))
    chunks[1].task["values"][0]["adoption.threshold_mean"] = 1.5
    with pytest.raises(SweepError) as caught:
        run_chunk(chunks[1])
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 's.yaml'}:7: parameters.adoption.threshold_mean: ")
    assert "point 1 (adoption.threshold_mean=1.5, " in message
    assert "(adoption.threshold_mean: must be < 1)" in message
