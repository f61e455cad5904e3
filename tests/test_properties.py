"""Property-based tests of every input layer (hypothesis, bounded: a few dozen small cases each).

Whatever the input (random HR CSVs, scenario YAML, target expressions, ``--org`` specs), the
outcome is either a valid result or a one-line error with exit status 2, and nothing is written
under ``--out`` on error. Runs are derandomised (the same cases every time) and tiny.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from simulation.base.errors import InputError
from simulation.cli.main import main
from simulation.metrics.targets import Target
from simulation.org import load_org

BOUNDED = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def run_cli(capsys, *args) -> subprocess.CompletedProcess:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


def assert_valid_or_one_line(result, out: Path | None = None) -> None:
    assert result.returncode in (0, 2), result.stderr
    if result.returncode == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("esnsim"), result.stderr
        assert "Traceback" not in result.stderr
        if out is not None:
            assert not out.exists()


# ----------------------------------------------------------------------------------- HR files
ids = st.sampled_from(["a", "b", "c", "d", "e", "", " a ", "A", "é", "x" * 300, '"q"', "1"])
cells = st.one_of(ids, st.text(max_size=20), st.just("z" * 5000))


@st.composite
def hr_files(draw) -> bytes:
    header = draw(
        st.lists(
            st.sampled_from(
                ["employee_id", "manager_id", "department", "site", "frontline", "level", "x"]
            ),
            min_size=1,
            max_size=6,
        )
    )
    separator = draw(st.sampled_from([",", ";", "\t"]))
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        row = [draw(cells) for _ in range(draw(st.integers(len(header) - 1, len(header) + 1)))]
        rows.append(row)
    lines = [separator.join(header)]
    for row in rows:
        quoted = draw(st.booleans())
        lines.append(separator.join(f'"{c}"' if quoted else c for c in row))
        if draw(st.integers(0, 5)) == 0:
            lines.append("")
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


@st.composite
def tree_files(draw) -> bytes:
    """Mostly well-formed exports: unique ids, managers earlier in the file (a tree), then a
    few defects (an unknown manager, a cycle, a duplicate id, a bad boolean, odd separators)."""
    size = draw(st.integers(1, 15))
    extra = draw(
        st.lists(st.sampled_from(["department", "site", "frontline", "level"]), unique=True)
    )
    separator = draw(st.sampled_from([",", ";"]))
    lines = [separator.join(["employee_id", "manager_id", *extra])]
    for i in range(size):
        manager = "" if i == 0 else f"p{draw(st.integers(0, i - 1))}"
        cells = {"department": draw(st.sampled_from(["hq", "sales", ""])), "site": "s1"}
        cells["frontline"] = draw(st.sampled_from(["yes", "no", "0", "maybe"]))
        cells["level"] = draw(st.sampled_from(["", "1", "-1", "x"])) if i else "0"
        lines.append(separator.join([f"p{i}", manager, *(cells[c] for c in extra)]))
    defect = draw(st.sampled_from(["none", "none", "unknown", "cycle", "duplicate", "blank"]))
    if defect == "unknown":
        lines.append(separator.join(["q", "nobody", *([""] * len(extra))]))
    elif defect == "cycle" and size > 1:
        lines[1] = lines[1].replace(separator, separator + f"p{size - 1}", 1)
    elif defect == "duplicate":
        lines.append(lines[-1])
    elif defect == "blank":
        lines.insert(2, "")
    return ("\n".join(lines) + "\n").encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])))


@BOUNDED
@given(data=st.one_of(hr_files(), tree_files()))
def test_random_hr_files(capsys, data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hr.csv"
        path.write_bytes(data)
        result = run_cli(capsys, "org", "inspect", path)
        event(f"exit {result.returncode}")
        assert_valid_or_one_line(result)


# ------------------------------------------------------------------------------ scenario YAML
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
FIELDS = ["days", "seed", "adoption", "rollout", "habit", "organisation", "costs", "interventions"]
GOOD = {
    "days": st.integers(1, 6),
    "rollout": st.sampled_from([{"strategy": "announcement"}, {"strategy": "grassroots"}]),
    "organisation": st.sampled_from([{"generate": {"size": 40}}, {"dataset": "krackhardt"}]),
    "costs": st.fixed_dictionaries({"licence_per_seat_month": st.floats(0, 10)}),
}


@st.composite
def scenario_texts(draw) -> str:
    data: dict = {"name": draw(st.sampled_from(["plan", "../x", "a/b", "é"]))}
    for field in draw(st.lists(st.sampled_from([*FIELDS, "bogus"]), max_size=4, unique=True)):
        good = GOOD.get(field)
        data[field] = draw(good) if good is not None and draw(st.booleans()) else draw(values)
    data.setdefault("days", 3)
    text = yaml.safe_dump(data, allow_unicode=True)
    mutation = draw(st.sampled_from(["none", "duplicate", "deep", "alias", "tab", "latin"]))
    if mutation == "duplicate":
        text += "days: 4\n"
    elif mutation == "deep":
        text += "habit: " + "[" * draw(st.integers(30, 3000)) + "\n"
    elif mutation == "alias":
        text += "x: &a [1, 2, 3]\ny: [*a, *a, *a]\n"
    elif mutation == "tab":
        text = text.replace("\n", "\n\t", 1)
    elif mutation == "latin":
        text += "description: caf\udce9\n"
    return text


@BOUNDED
@given(text=scenario_texts())
def test_random_scenarios(capsys, text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.yaml"
        path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
        out = Path(folder) / "out"
        args = ["--org", "generate:size=40", "--replicates", "1", "--quiet", "--out", out]
        result = run_cli(capsys, "run", path, *args)
        event(f"exit {result.returncode}")
        assert_valid_or_one_line(result, out)
        if result.returncode == 0:
            assert (out / "daily.parquet").is_file()
            assert sorted(p.name for p in Path(folder).iterdir()) == ["out", "plan.yaml"]


# ------------------------------------------------------------------------- target expressions
metrics = st.sampled_from(["wau", "sustained_wau", "dau", "cost", "bogus", "peak_day", ""])
numbers = st.one_of(
    st.floats(0, 1).map(lambda x: f"{x:.2f}"),
    st.floats(allow_nan=False).map(repr),
    st.integers(-(10**6), 10**6).map(str),
    st.text(max_size=5),
)


@BOUNDED
@given(
    metric=metrics,
    op=st.sampled_from([">=", "<=", ">", "<", "=", "=="]),
    level=numbers,
    day=st.one_of(
        st.none(),
        st.integers(0, 400).map(str),
        st.integers(0, 10**400).map(str),
        st.text(max_size=4),
    ),
    noise=st.sampled_from(["", "", " ", "x", "@", "\n"]),
)
def test_random_targets(metric, op, level, day, noise):
    text = f"{metric}{op}{level}" + ("" if day is None else f"@{day}") + noise
    try:
        target = Target.parse(text, days=365)
    except InputError as error:
        event("refused")
        assert "\n" not in str(error) and len(str(error)) < 600
    else:
        event("valid")
        assert target.metric == metric and target.op == op
        assert target.day is None or 0 <= target.day < 365


# ---------------------------------------------------------------------------------- --org specs
keys = st.sampled_from(
    ["size", "seed", "sites", "departments", "frontline_share", "cross_ties", "x"]
)
option_values = st.one_of(
    st.integers(-5, 400).map(str),
    st.just(str(10**12)),
    st.just("1e400"),
    st.floats(-1, 2, allow_nan=False).map(repr),
    st.sampled_from(["a|b", "", "nan", "inf", "true", "=", ","]),
)


@st.composite
def org_specs(draw) -> str:
    kind = draw(st.sampled_from(["generate", "dataset", "edgelist", "", "GENERATE"]))
    if kind.lower() == "generate":
        pairs = draw(st.lists(st.tuples(keys, option_values), max_size=4))
        return f"{kind}:" + ",".join(f"{k}={v}" for k, v in pairs)
    if kind == "dataset":
        return "dataset:" + draw(st.sampled_from(["krackhardt", "nope", "", "../x"]))
    return kind + (":" if kind else "") + draw(st.text(max_size=10))


@BOUNDED
@given(spec=org_specs())
def test_random_org_specs(spec):
    try:
        org = load_org(spec)
    except InputError as error:
        event("refused")
        assert "\n" not in str(error) and len(str(error)) < 600
    else:
        event("valid")
        assert org.size >= 1
