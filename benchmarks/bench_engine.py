"""Speed and scale of the engine: a year of the core and the full model, against two yardsticks.

Run ``make bench`` or ``python benchmarks/bench_engine.py [--quick] [--sizes 1000,10000]``. In one
run it measures, at each size (generated organisations, seed 0):

* ``bare``: 365 bare sparse products ``A @ x`` (float32) on the organisation's tie matrix: the
  floor of any model whose day needs at least one pass over the ties;
* ``core``: a simulated year of the core model (threshold rule, announcement, habit and lapse, no
  levers), one replicate: ``Engine(org, scenario, [0]).run()``;
* ``full``: the same with ``scenarios/full_support.yaml`` (every lever on), if that file exists;
* peak memory (``VmHWM``) of each model in a fresh process;
* organisation generation time and the cost of the ``Employee`` views (``ESNModel.employees()``);
* ``mesa``: the per-agent reference (``benchmarks/reference_mesa.py``) at 1,000 and 10,000 people,
  and a check that its mean curves agree with the engine's (so the comparison is honest).

Then (unless ``--quick`` or ``--no-sweep``) it runs ``bench_sweep.py`` for the runs-per-second
figures. It prints a table and the targets (PASS / FAIL / SKIP, each a ratio of two figures of the
same run), and writes every figure, the machine and the versions to ``--out``
(default ``benchmarks/results.json``).

Every measurement runs in its own subprocess (``--child ...``), so that each peak-memory figure
belongs to one model and one size and nothing is left warm from a previous size.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
MESA_SIZES = (1_000, 10_000)
FULL_SCENARIO = ROOT / "scenarios" / "full_support.yaml"
DAYS = 365
CHECK_SIZE = 1_000

#: The targets of the issue: (key, description, limit), evaluated in :func:`targets`.
TARGETS = {
    "core_vs_bare_100k": "core model at 100,000 people <= 3x the bare loop",
    "full_vs_bare_100k": "full model at 100,000 people <= 6x the bare loop",
    "mesa_vs_core_10k": "core model >= 50x faster than the reference Mesa at 10,000 people",
    "full_1m": "full model at 1,000,000: finishes, peak memory < 4 GB, <= 8x the bare loop",
    "batched_vs_single": "batched replicates >= 3x the runs/s of one run at a time",
    "generate_vs_year_100k": "generating 100,000 people takes less than simulating its year",
}


# ---------------------------------------------------------------------- memory and machine
def _status(field: str) -> int | None:
    """A ``/proc/self/status`` figure in bytes (``VmHWM``, ``VmRSS``), or None off Linux."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def peak_rss() -> int:
    """Peak resident memory of this process so far, bytes."""
    hwm = _status("VmHWM")
    if hwm is not None:
        return hwm
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def reset_peak() -> bool:
    """Reset the peak to the current resident memory (Linux >= 4.0); False if not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def machine() -> dict:
    import mesa
    import networkx
    import numpy
    import scipy

    info = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gb": _mem_total_gb(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "mesa": mesa.__version__,
        "networkx": networkx.__version__,
        "git_commit": _git("rev-parse", "HEAD"),
        "git_dirty_files": len(_git("status", "--porcelain", "--", "simulation").splitlines()),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    try:
        import pandas

        info["pandas"] = pandas.__version__
    except ImportError:  # pragma: no cover
        pass
    return info


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _mem_total_gb() -> float | None:
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _git(*args: str) -> str:
    try:
        out = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


# ---------------------------------------------------------------------- scenarios
def core_scenario(days: int = DAYS):
    from simulation.plan.scenario import Scenario

    return Scenario.from_dict(
        {
            "name": "core",
            "description": "Default rule, habit and lapse, no levers.",
            "days": days,
            "adoption": {"rule": "threshold"},
            "rollout": {"strategy": "announcement", "start_day": 0},
        }
    )


def full_scenario(days: int = DAYS):
    from simulation.plan.scenario import Scenario

    return Scenario.load(FULL_SCENARIO).with_overrides(days=days)


# ---------------------------------------------------------------------- children
def _timed(fn, repeats: int = 1) -> tuple[float, list[float], object, float]:
    """Best wall time, all wall times, the last result, and the CPU time of the best repeat."""
    times, cpus, out = [], [], None
    for _ in range(repeats):
        out = None  # free the previous result before the next is built
        start, cpu = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    best = min(range(repeats), key=times.__getitem__)
    return times[best], times, out, cpus[best]


def child_engine(size: int, model: str, repeats: int = 0) -> dict:
    """One size, one model (core or full), in a fresh process."""
    import numpy as np

    from simulation.model.engine import Engine
    from simulation.org.model import Organisation
    from simulation.plan.names import resolve_names

    out: dict = {"size": size, "model": model}
    start_rss = peak_rss()
    gen_s, _, org, out["generate_cpu_s"] = _timed(lambda: Organisation.generate(size, seed=0))
    out["generate_s"] = gen_s
    out["ties_nnz"] = int(org.ties.nnz)
    out["mean_degree"] = org.ties.nnz / size
    out["rss_after_generate_mb"] = (_status("VmRSS") or 0) / 2**20
    out["peak_generate_mb"] = peak_rss() / 2**20
    out["start_peak_mb"] = start_rss / 2**20

    # the floor: 365 bare products A @ x (float32), best of a few repeats
    ties = org.ties
    x = np.random.default_rng(0).random(size, dtype=np.float32)
    ties @ x  # warm-up

    def bare():
        for _ in range(DAYS):
            ties @ x

    bare_repeats = repeats or (5 if size <= 100_000 else 3)
    out["bare_s"], out["bare_runs_s"], _, out["bare_cpu_s"] = _timed(bare, bare_repeats)

    scenario = core_scenario() if model == "core" else full_scenario()
    # compile (or load from numba's cache) every kernel the scenario uses before timing: a year
    # on a small organisation, so that a single timed run (1,000,000 people) measures the model
    warm_s, _, _, _ = _timed(
        lambda: Engine(
            Organisation.generate(500, seed=1),
            resolve_names(scenario, Organisation.generate(500, seed=1)),
            [0],
        ).run()
    )
    out["warm_up_s"] = warm_s
    repeats = repeats or (5 if size <= 10_000 else (3 if size <= 100_000 else 1))
    setups, years, cpus = [], [], []
    peak_before = peak_rss()
    can_reset = reset_peak()
    out["peak_reset"] = can_reset
    engine = None
    for _ in range(repeats):
        engine = None  # free the previous one before the next is built
        t0 = time.perf_counter()
        engine = Engine(org, resolve_names(scenario, org), [0])
        t1, c1 = time.perf_counter(), time.process_time()
        engine.run()
        t2, c2 = time.perf_counter(), time.process_time()
        setups.append(t1 - t0)
        years.append(t2 - t1)
        cpus.append(c2 - c1)
    run_peak = peak_rss()
    out["setup_s"] = min(setups)
    out["year_s"] = min(years)
    out["year_cpu_s"] = cpus[years.index(min(years))]
    out["year_runs_s"] = years
    out["setup_runs_s"] = setups
    out["run_peak_mb"] = run_peak / 2**20 if can_reset else None
    out["process_peak_mb"] = max(peak_before, run_peak) / 2**20
    values = engine.records.trimmed()
    out["final"] = {c: float(values[c][-1].mean()) for c in ("registered", "wau", "mau")}
    out["peak_wau"] = float(values["wau"].max())
    del engine

    if model == "core":
        from simulation.experiments.mesa_model import ESNModel

        # the Mesa face: a year through ESNModel (no views made) costs the same as the engine
        if size <= 100_000:
            esn_s, _, _, _ = _timed(lambda: ESNModel(org, scenario, seed=0).run())
            out["esnmodel_year_s"] = esn_s
        # the Employee views: made on demand, one mesa.Agent each
        model_obj = ESNModel(org, scenario, seed=0)
        views_s, _, views, _ = _timed(model_obj.employees)
        read_s, _, _, _ = _timed(lambda: sum(int(v.stage) for v in views))
        out["views_s"] = views_s
        out["views_us_per_person"] = views_s / size * 1e6
        out["views_read_stage_s"] = read_s
        out["peak_with_views_mb"] = peak_rss() / 2**20
    return out


def child_mesa(size: int) -> dict:
    """The per-agent reference at one size: build time, a year, peak memory."""
    from reference_mesa import ReferenceModel

    from simulation.org.model import Organisation

    org = Organisation.generate(size, seed=0)
    scenario = core_scenario()
    reset_peak()
    build_s, _, model, _ = _timed(lambda: ReferenceModel(org, scenario, seed=0))
    year_s, _, _, year_cpu = _timed(model.run)
    curves = model.curves()
    return {
        "size": size,
        "build_s": build_s,
        "year_s": year_s,
        "year_cpu_s": year_cpu,
        "peak_mb": peak_rss() / 2**20,
        "final": {c: float(curves[c][-1]) for c in ("registered", "wau", "mau")},
    }


def child_check(size: int, replicates: int) -> dict:
    """Mean curves of the reference and of the engine agree within the stated tolerance."""
    from reference_mesa import agreement

    from simulation.org.model import Organisation

    org = Organisation.generate(size, seed=0)
    start = time.perf_counter()
    result = agreement(
        org,
        core_scenario(),
        reference_seeds=range(replicates),
        engine_seeds=range(1000, 1000 + max(200, 10 * replicates)),
    )
    result["seconds"] = time.perf_counter() - start
    return result


CHILDREN = {"engine": child_engine, "mesa": child_mesa, "check": child_check}


def run_child(args: list[str], timeout: float) -> dict:
    """Run this script as ``--child ...`` in a fresh interpreter; its last stdout line is JSON."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    try:
        proc = subprocess.run(
            cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"error": " | ".join(tail) or f"exit {proc.returncode}"}
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"error": "no result from child: " + proc.stdout[-300:]}


# ---------------------------------------------------------------------- targets and table
def _ratio(a, b):
    return a / b if a is not None and b else None


def _get(d: dict | None, key: str):
    return None if not d or "error" in d or "skipped" in d else d.get(key)


def targets(results: dict) -> dict:
    """PASS / FAIL / SKIP of each target, with the figures it is computed from.

    Verdicts use wall time (best of the repeats). ``cpu_value`` is the same ratio in CPU time of
    the process, which other work on the machine disturbs less: compare the two when the load
    average was high.
    """
    eng = results["engine"]
    core = {int(k): v for k, v in eng.get("core", {}).items()}
    full = {int(k): v for k, v in eng.get("full", {}).items()}
    mesa = {int(k): v for k, v in results.get("mesa", {}).items()}
    out: dict = {}

    def verdict(ok, value, detail, cpu_value=None):
        status = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
        return {"status": status, "value": value, "cpu_value": cpu_value, "detail": detail}

    def ratio(a: dict | None, a_key: str, b: dict | None, b_key: str):
        wall = _ratio(_get(a, a_key), _get(b, b_key))
        cpu = _ratio(_get(a, a_key.replace("_s", "_cpu_s")), _get(b, b_key.replace("_s", "_cpu_s")))
        return wall, cpu

    c100, f100 = core.get(100_000), full.get(100_000)
    r, cpu = ratio(c100, "year_s", c100, "bare_s")
    out["core_vs_bare_100k"] = verdict(
        None if r is None else r <= 3, r, "core year / bare loop at 100,000 (limit 3x)", cpu
    )
    if f100 and "skipped" in f100:
        out["full_vs_bare_100k"] = verdict(None, None, f100["skipped"])
    else:
        r, cpu = ratio(f100, "year_s", f100, "bare_s")
        out["full_vs_bare_100k"] = verdict(
            None if r is None else r <= 6, r, "full year / bare loop at 100,000 (limit 6x)", cpu
        )
    m10, c10 = mesa.get(10_000), core.get(10_000)
    r, cpu = ratio(m10, "year_s", c10, "year_s")
    out["mesa_vs_core_10k"] = verdict(
        None if r is None else r >= 50,
        r,
        "reference Mesa year / core year at 10,000 (min 50x)",
        cpu,
    )
    f1m = full.get(1_000_000)
    if f1m is None or "skipped" in f1m:
        out["full_1m"] = verdict(None, None, (f1m or {}).get("skipped", "size not run"))
    elif "error" in f1m:
        out["full_1m"] = verdict(False, None, "did not finish: " + f1m["error"])
    else:
        r, cpu = ratio(f1m, "year_s", f1m, "bare_s")
        peak = f1m["process_peak_mb"]
        ok = peak < 4096 and r <= 8
        detail = f"full year / bare at 1,000,000 (limit 8x); process peak {peak:,.0f} MB (< 4,096)"
        out["full_1m"] = verdict(ok, r, detail, cpu)
    sweep = results.get("sweep") or {}
    if "skipped" in sweep or "error" in sweep:
        out["batched_vs_single"] = verdict(None, None, sweep.get("skipped") or sweep["error"])
    else:
        r = _ratio(_get(sweep, "batched_runs_per_s"), _get(sweep, "single_runs_per_s"))
        out["batched_vs_single"] = verdict(
            None if r is None else r >= 3, r, "runs/s batched / one at a time (min 3x)"
        )
    r, cpu = ratio(c100, "generate_s", c100, "year_s")
    out["generate_vs_year_100k"] = verdict(
        None if r is None else r < 1, r, "generate 100,000 / core year at 100,000 (< 1)", cpu
    )
    return out


def _fmt(value, unit: str = "", digits: int = 3) -> str:
    if value is None:
        return "-"
    if unit == "x":
        return f"{value:.1f}x"
    if unit == "MB":
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def print_table(results: dict, file=sys.stdout) -> None:
    m = results["machine"]
    print(
        f"esnsim engine benchmark: {m['cpu']} x{m['cpus']}, {m['memory_gb']} GB, "
        f"Python {m['python']}, numpy {m['numpy']}, scipy {m['scipy']}, mesa {m['mesa']}",
        file=file,
    )
    print(
        f"commit {m['git_commit'][:10]} ({m['git_dirty_files']} uncommitted files in simulation/)",
        file=file,
    )
    print(
        f"load average at start {results['load_start']}, at end {results.get('load_end')}",
        file=file,
    )
    print(
        "one replicate, 365 days, generated organisations (seed 0); times in seconds\n", file=file
    )
    head = (
        f"{'people':>9} {'ties/pp':>7} {'generate':>8} {'bare':>7} {'core':>7} {'core/bare':>9} "
        f"{'full':>7} {'full/bare':>9} {'core MB':>8} {'full MB':>8} {'views':>7} {'mesa':>8} "
        f"{'mesa/core':>9}"
    )
    print(head, file=file)
    print("-" * len(head), file=file)
    eng = results["engine"]
    for size in results["sizes"]:
        core = eng["core"].get(str(size)) or {}
        full = eng["full"].get(str(size)) or {}
        mesa = results.get("mesa", {}).get(str(size)) or {}
        c_year, f_year = _get(core, "year_s"), _get(full, "year_s")
        full_cell = "skip" if "skipped" in full else ("ERR" if "error" in full else _fmt(f_year))
        print(
            f"{size:>9,} {_fmt(_get(core, 'mean_degree'), digits=1):>7} "
            f"{_fmt(_get(core, 'generate_s')):>8} {_fmt(_get(core, 'bare_s')):>7} "
            f"{_fmt(c_year):>7} {_fmt(_ratio(c_year, _get(core, 'bare_s')), 'x'):>9} "
            f"{full_cell:>7} {_fmt(_ratio(f_year, _get(full, 'bare_s')), 'x'):>9} "
            f"{_fmt(_get(core, 'run_peak_mb') or _get(core, 'process_peak_mb'), 'MB'):>8} "
            f"{_fmt(_get(full, 'run_peak_mb') or _get(full, 'process_peak_mb'), 'MB'):>8} "
            f"{_fmt(_get(core, 'views_s')):>7} {_fmt(_get(mesa, 'year_s'), digits=2):>8} "
            f"{_fmt(_ratio(_get(mesa, 'year_s'), c_year), 'x'):>9}",
            file=file,
        )
    print(
        "\nbare: 365 products A @ x (float32, best of repeats); core/full: a simulated year "
        "(Engine.run, best of repeats; set-up not included);\nMB: peak resident memory of the "
        "process during set-up and the year (VmHWM, reset after generation); views: "
        "ESNModel.employees() for everyone;\nmesa: the per-agent reference "
        "(benchmarks/reference_mesa.py), one year.",
        file=file,
    )
    for size in results["sizes"]:
        for model in ("core", "full"):
            row = eng[model].get(str(size)) or {}
            if "error" in row:
                print(f"  {model} at {size:,}: ERROR {row['error']}", file=file)
            if "skipped" in row and model == "full" and size == results["sizes"][0]:
                print(f"  full model: {row['skipped']}", file=file)
    check = results.get("check")
    if check and "error" not in check and "skipped" not in check:
        parts = ", ".join(
            f"{c} max |diff| {check[c]['max_abs_diff']:.3f} (day {check[c]['day']}, "
            f"s.e. {check[c]['standard_error']:.3f})"
            for c in ("registered", "wau")
        )
        print(
            f"\nreference check at {check['size']:,} people, {check['reference_replicates']} "
            f"Mesa vs {check['engine_replicates']} engine replicates: {parts}; tolerance "
            f"{check['tolerance']}: {'PASS' if check['ok'] else 'FAIL'}",
            file=file,
        )
    elif check:
        print(f"\nreference check: {check.get('error') or check.get('skipped')}", file=file)
    sweep = results.get("sweep")
    if sweep and "error" not in sweep and "skipped" not in sweep:
        print(
            f"\nsweep ({sweep['runs']} runs of {sweep['size']:,} people x {sweep['days']} days): "
            + ", ".join(f"{k} {v['runs_per_s']:.1f} runs/s" for k, v in sweep["modes"].items())
            + f"; identical results: {sweep['identical']}",
            file=file,
        )
    elif sweep:
        print(f"\nsweep: {sweep.get('error') or sweep.get('skipped')}", file=file)
    print("\ntargets:", file=file)
    for key, t in results["targets"].items():
        value = "" if t["value"] is None else f" = {t['value']:.2f}"
        if t.get("cpu_value") is not None:
            value += f"; CPU time {t['cpu_value']:.2f}"
        print(f"  {t['status']:<4}  {TARGETS[key]}  [{t['detail']}{value}]", file=file)


# ---------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="comma-separated head-counts (default 1e3..1e6)")
    parser.add_argument("--quick", action="store_true", help="only 1,000 and 10,000; no sweep")
    parser.add_argument("--out", default=str(HERE / "results.json"), help="results JSON path")
    parser.add_argument(
        "--check-replicates",
        type=int,
        default=None,
        help="Mesa replicates of the reference check (default 20, 5 with --quick; 0 skips it)",
    )
    parser.add_argument("--no-sweep", action="store_true", help="do not run bench_sweep.py")
    parser.add_argument("--sweep-runs", type=int, default=1000, help="runs of bench_sweep.py")
    parser.add_argument(
        "--repeats",
        type=int,
        default=0,
        help="repeats of each timing (default: 5 up to 10,000 people, 3 at 100,000, 1 above)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per measurement")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        kind, *rest = args.child
        result = CHILDREN[kind](*(int(v) if v.isdigit() else v for v in rest))
        print(json.dumps(result))
        return 0

    if args.sizes:
        sizes = sorted({int(float(s)) for s in args.sizes.split(",") if s.strip()})
    else:
        sizes = list(QUICK_SIZES if args.quick else SIZES)
    check_reps = args.check_replicates
    if check_reps is None:
        check_reps = 5 if args.quick else 20
    results: dict = {
        "machine": machine(),
        "sizes": sizes,
        "days": DAYS,
        "load_start": [round(v, 2) for v in os.getloadavg()],
        "full_scenario": str(FULL_SCENARIO.relative_to(ROOT)),
        "engine": {"core": {}, "full": {}},
        "mesa": {},
    }
    t_start = time.perf_counter()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - t_start:7.1f} s] {msg}", file=sys.stderr, flush=True)

    for size in sizes:
        say(f"core model, {size:,} people")
        results["engine"]["core"][str(size)] = run_child(
            ["engine", str(size), "core", str(args.repeats)], args.timeout
        )
        if FULL_SCENARIO.exists():
            say(f"full model, {size:,} people")
            results["engine"]["full"][str(size)] = run_child(
                ["engine", str(size), "full", str(args.repeats)], args.timeout
            )
        else:
            results["engine"]["full"][str(size)] = {
                "skipped": f"skipped: {results['full_scenario']} missing"
            }
    for size in sizes:
        if size in MESA_SIZES:
            say(f"reference Mesa, {size:,} people")
            results["mesa"][str(size)] = run_child(["mesa", str(size)], args.timeout)
    if check_reps > 0:
        check_size = min(CHECK_SIZE, min(sizes))
        say(f"reference check, {check_size:,} people, {check_reps} replicates")
        results["check"] = run_child(["check", str(check_size), str(check_reps)], args.timeout)
    else:
        results["check"] = {"skipped": "skipped (--check-replicates 0)"}
    if args.quick or args.no_sweep:
        results["sweep"] = {"skipped": "skipped (--quick or --no-sweep)"}
    else:
        say(f"bench_sweep.py --runs {args.sweep_runs}")
        results["sweep"] = run_sweep(args.sweep_runs, args.timeout)
    results["load_end"] = [round(v, 2) for v in os.getloadavg()]
    results["elapsed_s"] = time.perf_counter() - t_start
    results["targets"] = targets(results)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwrote {out}")
    return 0


def run_sweep(runs: int, timeout: float) -> dict:
    """Run bench_sweep.py in a subprocess and read its JSON output."""
    out = HERE / "sweep_results.json"
    cmd = [sys.executable, str(HERE / "bench_sweep.py"), "--runs", str(runs), "--out", str(out)]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0 or not out.exists():
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        return {"error": " | ".join(tail) or f"exit {proc.returncode}"}
    return json.loads(out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    sys.exit(main())
