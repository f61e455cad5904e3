"""The calibration's checks that are too expensive for the test suite (issue 14).

    python benchmarks/calibration.py [--only recovery,consultant,timing,real] [--datasets 20]
                                     [--first 0] [--results FILE]

- **recovery**: 20 histories made by the model with known parameters, each fitted with its
  bootstrap intervals: (a) ``adoption.p`` and ``adoption.q`` of the bass rule from per-person
  adoption times (300 people, 20 weekly periods); (b) ``adoption.threshold_mean`` and
  ``habit.lapse_rate`` of the threshold rule from a weekly usage series (registered and weekly
  active, 2,000 people, 26 weeks; need switched off, so that the lapse rate governs use), and
  (c, ``recovery_need``) ``adoption.threshold_mean`` and ``need.share`` at the defaults. The share of datasets whose intervals cover the truth (every
  fitted parameter at once and each alone) and the median relative error of the estimates,
  with PASS/FAIL (``check`` in the JSON): each parameter's coverage and the coverage of all at
  once >= 85 %, each median error within ``TOLERANCE``. ``--first 20`` runs a usage-series
  check on further histories (seeds from 2000 + 20) and stores them as ``NAME+20``; the
  results then also hold every stored history of that check checked together
  (``NAME_pooled``).
- **consultant**: 2,000 people, the first 8 weeks of a Viva Engage activity report made by the
  model (``examples/viva_engage``: known ``adoption.p`` and ``adoption.threshold_mean``, a few
  percent of reporting noise), ``esn.calibrate`` with the default settings, then the share of
  the days 56-364 on which the true continuation (the same replicate) lies inside the
  forecast's 90 % band.
- **timing**: a two-parameter calibration (default settings) on 1,000 people and 120 days.
- **real**: Coleman's medical innovation and the Korean family-planning data, with the figure
  ``docs/calibration_real.png``.

Prints a table and writes ``benchmarks/calibration_results.json``. ``import simulation`` finds
the installed package (the script's folder, not the working directory, is first on the path):
run a worktree's code with ``PYTHONPATH=. python benchmarks/calibration.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import simulation as esn
from simulation.analysis import diffusion_data as data
from simulation.analysis.calibrate import Settings, calibrate
from simulation.analysis.fit_space import with_values
from simulation.analysis.observed import Observed, load_observed
from simulation.experiments.runner import run_batch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "examples" / "viva_engage"))


def _covered(cal, truth: dict) -> dict:
    inside = {k: bool(lo <= truth[k] <= hi) for k, (lo, hi) in cal.intervals.items()}
    error = {k: abs(cal.parameters[k] / truth[k] - 1) for k in truth}
    return {"all": all(inside.values()), **{f"in:{k}": v for k, v in inside.items()},
            **{f"error:{k}": v for k, v in error.items()}}  # fmt: skip


def _detail(cal, truth: dict) -> dict:
    """One history's fit on the fitted scale (0-1 in the range, log for a log range): the
    truth, the optimum, the bias-corrected value, the interval and the refits' mean and sd,
    to tell an interval too narrow (refits' sd below the fits' spread across histories) from
    one shifted (the correction's bias)."""
    out = {}
    for p in cal.space.parameters:
        refits = np.array([p.unit(x) for x in cal.bootstrap[p.path]])
        low, high = cal.intervals[p.path]
        out[p.path] = {
            "truth": p.unit(truth[p.path]), "optimum": p.unit(cal.fit.values[p.path]),
            "corrected": p.unit(cal.parameters[p.path]), "low": p.unit(low),
            "high": p.unit(high), "refits_mean": float(refits.mean()),
            "refits_sd": float(refits.std(ddof=1)),
        }  # fmt: skip
    return out


def recovery_times(datasets: int) -> dict:
    org = esn.Organisation.generate(300, seed=1)
    truth = {"adoption.p": 0.004, "adoption.q": 0.03}
    base = esn.Scenario.from_dict(
        {"name": "truth", "days": 140, "mode": "one_shot", "adoption": {"rule": "bass"}}
    )
    scenario = with_values(base, truth)
    rows = []
    for k in range(datasets):
        seed = 1000 + k
        model = run_batch(org, scenario.with_overrides(seed=seed), [seed], keep_model=True).model
        day = model.engine.people.registered_day[0].astype(int)
        period = np.where(day >= 0, day // 7 + 1, 0)
        path = ROOT / "results" / "recovery" / f"times-{seed}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        pd.DataFrame({"id": org.ids, "toa": period}).to_csv(path, index=False)
        cal = calibrate(
            scenario, load_observed(path, period_days=7, never_code=0), org=org, period_days=7,
            fit=["adoption.p=1e-4:0.05:log", "adoption.q=0:0.2"],
            settings=Settings(bootstrap=40, forecast_sets=1, forecast_replicates=1),
        )  # fmt: skip
        rows.append(_covered(cal, truth))
    return _aggregate(rows)


# The usage-series recoveries. With the default need submodel a lapse touches only the staff
# without a recurring need (their visits are rare anyway) and the first weeks of the others:
# half a year of weekly counts then hardly tells the lapse rate (measured: coverage 50 %, median
# error 76 %). So the lapse rate is recovered where it governs use, with everyone having a need
# and lapsing alike (the habit-only model), and the need share where it does (the defaults).
SERIES = {
    "recovery_series": (
        {"need": {"share": 1.0, "visit": 0.0, "lapse_factor": 1.0}},
        {"adoption.threshold_mean": 0.3, "habit.lapse_rate": 0.1},
        ["adoption.threshold_mean=0.1:0.6", "habit.lapse_rate=0.02:0.4:log"],
    ),
    "recovery_need": (
        {},
        {"adoption.threshold_mean": 0.3, "need.share": 0.35},
        ["adoption.threshold_mean=0.1:0.6", "need.share=0.1:0.8"],
    ),
}
# the same as recovery_need with each bootstrap refit started from its own Sobol screening
# instead of the best fit (Settings.bootstrap_start): is the refits' spread of threshold_mean,
# 0.74 of the fits' own across histories when they start at the best fit, then the fits'?
SERIES["recovery_need_screen"] = SERIES["recovery_need"]


def recovery_series(datasets: int, name: str = "recovery_series", first: int = 0) -> dict:
    """Fit two parameters of the threshold rule's model to weekly registered and active counts
    (histories ``first`` to ``first + datasets - 1``: seeds from 2000)."""
    overrides, truth, fit = SERIES[name]
    org = esn.Organisation.generate(2000, seed=2)
    base = esn.Scenario.from_dict(
        {"name": "truth", "days": 182, "adoption": {"rule": "threshold"},
         "rollout": {"strategy": "announcement"}, **overrides}
    )  # fmt: skip
    scenario = with_values(base, truth)
    rows, details = [], []
    settings = Settings(replicates=8, final_replicates=16, screening=16, evaluations=50,
                        bootstrap=20, bootstrap_evaluations=40, forecast_sets=1,
                        forecast_replicates=1,
                        bootstrap_start="screen" if name.endswith("_screen") else "best")  # fmt: skip
    for k in range(first, first + datasets):
        seed = 2000 + k
        daily = run_batch(org, scenario.with_overrides(seed=seed), [seed]).daily
        weekly = daily[daily["day"] % 7 == 6]
        observed = Observed(
            "model", "series", weekly["day"].to_numpy(),
            {"registered": weekly["registered"].to_numpy(),
             "weekly_active": weekly["wau"].to_numpy()},
        )  # fmt: skip
        cal = calibrate(scenario, observed, org=org, settings=settings, fit=fit)
        rows.append(_covered(cal, truth))
        details.append(_detail(cal, truth))
    return {**_aggregate(rows), "first": first, "histories": details}


def _rows_of(name: str, details: list[dict]) -> list[dict]:
    """The coverage rows of recorded histories (their details are on the fitted scale)."""
    from simulation.analysis.calibrate import _parameters

    parameters = {p.path: p for p in _parameters(SERIES[name][2])}
    rows = []
    for detail in details:
        inside = {k: d["low"] <= d["truth"] <= d["high"] for k, d in detail.items()}
        error = {
            k: abs(parameters[k].value(d["corrected"]) / parameters[k].value(d["truth"]) - 1)
            for k, d in detail.items()
        }
        rows.append({"all": all(inside.values()), **{f"in:{k}": v for k, v in inside.items()},
                     **{f"error:{k}": v for k, v in error.items()}})  # fmt: skip
    return rows


def pooled(results: dict, name: str) -> dict:
    """Every recorded history of recovery ``name`` (its first run and those started with
    ``--first``), checked together."""
    parts = [v for k, v in results.items() if k == name or k.startswith(name + "+")]
    details = [
        d for part in sorted(parts, key=lambda v: v.get("first", 0)) for d in part["histories"]
    ]
    return {**_aggregate(_rows_of(name, details)), "parts": len(parts)}


COVERAGE = 0.85  # issue 14: the 90 % intervals cover the truth in >= 85 % of the datasets
# the point estimates' tolerance: median relative error per parameter, 1.5 x what an unbiased
# estimator with the measured spread of the fits across datasets gives (0.674 sd: the median
# of |normal|), so that 20 datasets exceed it by chance about 3 % of the time. Spread measured
# on 30 datasets: p and q from adoption times of 300 people about 10 % (median error 6-7 %);
# threshold_mean 8.7 % (median 5.9 %); lapse_rate 0.49 on the log scale (median 33 %): half a
# year of weekly counts hardly tells a lapse rate of 0.06 from 0.16 (one sd either side of 0.1)
TOLERANCE = {"adoption.p": 0.15, "adoption.q": 0.15,
             "adoption.threshold_mean": 0.10, "habit.lapse_rate": 0.50,
             "need.share": 0.10}  # fmt: skip


def _aggregate(rows: list[dict]) -> dict:
    frame = pd.DataFrame(rows)
    out = {"datasets": len(frame), "coverage_all": float(frame["all"].mean())}
    for column in frame.columns:
        if column.startswith("in:"):
            out["coverage:" + column[3:]] = float(frame[column].mean())
        if column.startswith("error:"):
            out["median_error:" + column[6:]] = float(frame[column].median())
    names = [c[3:] for c in frame.columns if c.startswith("in:")]
    each = all(out[f"coverage:{k}"] >= COVERAGE for k in names)
    within = all(out[f"median_error:{k}"] <= TOLERANCE[k] for k in names)
    out["check"] = {
        "coverage_target": COVERAGE, "tolerance": {k: TOLERANCE[k] for k in names},
        "coverage_each": "PASS" if each else "FAIL",
        "coverage_all": "PASS" if out["coverage_all"] >= COVERAGE else "FAIL",
        "tolerance_each": "PASS" if within else "FAIL",
    }  # fmt: skip
    return out


def _verdict(name: str, result: dict) -> str:
    """One line: the checks of a recovery result."""
    check = result["check"]
    each = ", ".join(
        f"{k.split('.')[-1]} {result['coverage:' + k]:.0%} (error {result['median_error:' + k]:.1%}"
        f" <= {t:.0%})"
        for k, t in check["tolerance"].items()
    )
    return (
        f"{name}: coverage each >= {check['coverage_target']:.0%} {check['coverage_each']}, "
        f"all at once {result['coverage_all']:.0%} {check['coverage_all']}, "
        f"median error within tolerance {check['tolerance_each']}: {each}"
    )


def consultant() -> dict:
    from make_sample import TRUTH, export, history

    truth = history(days=365)
    path = ROOT / "results" / "consultant" / "activity_user_counts.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    export(truth).to_csv(path, index=False)
    org = esn.Organisation.generate(2000, seed=0)
    clock = time.perf_counter()
    cal = calibrate(
        ROOT / "examples" / "viva_engage" / "pilot.yaml", path, org=org,
        fit=["adoption.p=5e-4:0.02:log", "adoption.threshold_mean=0.1:0.5"],
        targets=["wau>=0.4@180"],
    )  # fmt: skip
    seconds = time.perf_counter() - clock
    after = truth[truth["day"] >= 56].set_index("day")
    out = {"seconds": seconds, "parameters": cal.parameters, "truth": TRUTH,
           "intervals": cal.intervals}  # fmt: skip
    for column in ("dau", "posts", "wau", "registered"):
        band = cal.forecast[cal.forecast["column"] == column].set_index("day").loc[after.index]
        true = after[column] / (2000 if column == "posts" else 1)
        inside = (true >= band["low"]) & (true <= band["high"])
        out[f"inside_band:{column}"] = float(inside.mean())
    cal.save(ROOT / "results" / "consultant" / "out")
    return out


def timing() -> dict:
    org = esn.Organisation.generate(1000, seed=0)
    scenario = esn.Scenario.from_dict({"name": "timing", "days": 120, "adoption": {"rule": "bass"}})
    truth = with_values(scenario, {"adoption.p": 0.004, "adoption.q": 0.05})
    daily = run_batch(org, truth.with_overrides(seed=9), [9]).daily
    weekly = daily[daily["day"] % 7 == 6]
    observed = Observed(
        "model", "series", weekly["day"].to_numpy(),
        {"registered": weekly["registered"].to_numpy(), "weekly_active": weekly["wau"].to_numpy()},
    )  # fmt: skip
    clock = time.perf_counter()
    cal = calibrate(scenario, observed, org=org,
                    fit=["adoption.p=1e-4:0.05:log", "adoption.q=0:0.2"])  # fmt: skip
    seconds = time.perf_counter() - clock
    return {"seconds": seconds, "target_seconds": 120, "pass": seconds < 120,
            "evaluations": cal.fit.evaluations}  # fmt: skip


def real() -> dict:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out, fig = {}, plt.figure(figsize=(11, 4))
    cases = [
        ("medInnovations", "Medical innovation (Coleman et al. 1966)", 30, 17, data.COLEMAN_FIT),
        ("kfamily", "Korean family planning (Rogers & Kincaid 1981)", 365, 10, data.KOREA_FIT),
    ]
    for k, (prefix, title, days, periods, fit) in enumerate(cases):
        if data.files(prefix) is None:
            out[prefix] = "data not found in " + str(data.folder())
            continue
        edges, attributes = data.files(prefix)
        clock = time.perf_counter()
        cal = calibrate({"name": prefix, "days": days * periods, **data.BASE}, attributes,
                        org=data.organisation(prefix), period_days=days, fit=fit)  # fmt: skip
        band = cal.forecast[cal.forecast["column"] == "registered"].set_index("day")
        obs_days, observed = cal.observed.days, cal.observed.series["registered"]
        mean, low, high = (band.loc[obs_days, c].to_numpy() for c in ("mean", "low", "high"))
        p = cal.parameters["adoption.p"]
        out[prefix] = {
            "seconds": time.perf_counter() - clock,
            "parameters": cal.parameters, "intervals": cal.intervals,
            "p_per_period": 1 - (1 - p) ** days,
            "p_per_period_interval": [1 - (1 - x) ** days for x in cal.intervals["adoption.p"]],
            "null": cal.null, "information": cal.information,
            "rmse_cumulative": float(np.sqrt(np.mean((mean - observed) ** 2))),
            "periods_in_band": int(((observed >= low) & (observed <= high)).sum()),
            "periods": int(observed.size),
        }  # fmt: skip
        ax = fig.add_subplot(1, 2, k + 1)
        x = (band.index + 1) / days
        ax.fill_between(x, band["low"], band["high"], alpha=0.3, label="model, 90 % band")
        ax.plot(x, band["mean"], label="model mean (best fit)")
        ax.plot((obs_days + 1) / days, observed, "o", color="black", label="observed")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("month" if days == 30 else "year")
        ax.set_ylabel("share adopted")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(ROOT / "docs" / "calibration_real.png", dpi=110)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="recovery,consultant,timing,real")
    parser.add_argument("--datasets", type=int, default=20)
    parser.add_argument(
        "--first", type=int, default=0,
        help="first history of the usage-series recoveries (more histories: run again with "
        "--first 20; the results then also hold every history pooled, as NAME_pooled)",
    )  # fmt: skip
    parser.add_argument(
        "--results",
        type=Path,
        default=ROOT / "benchmarks" / "calibration_results.json",
        help="the JSON to update (default benchmarks/calibration_results.json)",
    )
    args = parser.parse_args()
    chosen = args.only.split(",")
    path = args.results
    results = json.loads(path.read_text()) if path.exists() else {}
    jobs = {
        "recovery_times": lambda: recovery_times(args.datasets),
        "recovery_series": lambda: recovery_series(args.datasets, first=args.first),
        "recovery_need": lambda: recovery_series(args.datasets, "recovery_need", args.first),
        "recovery_need_screen": lambda: recovery_series(
            args.datasets, "recovery_need_screen", args.first
        ),
        "consultant": consultant,
        "timing": timing,
        "real": real,
    }
    for name, job in jobs.items():
        # the screened-refit variant is an experiment: run only when named
        grouped = name.split("_")[0] in chosen and not name.endswith("_screen")
        if name in chosen or grouped:
            clock = time.perf_counter()
            key = f"{name}+{args.first}" if args.first and name in SERIES else name
            results[key] = job()
            print(f"{key:18s} {time.perf_counter() - clock:7.1f} s  {results[key]}", flush=True)
            if name.startswith("recovery"):
                print(_verdict(key, results[key]), flush=True)
            if name in SERIES and any(k.startswith(name + "+") for k in results):
                results[name + "_pooled"] = pooled(results, name)
                print(_verdict(name + "_pooled", results[name + "_pooled"]), flush=True)
            path.write_text(json.dumps(results, indent=2, default=float) + "\n")


if __name__ == "__main__":
    main()
