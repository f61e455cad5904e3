"""Calibration: recovery of known parameters, outputs, bad options (issue 14, items 3-5)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import simulation as esn
from simulation.analysis.calibrate import Settings, calibrate
from simulation.analysis.fit_space import Parameter, with_values
from simulation.base.errors import InputError
from simulation.cli.main import main
from simulation.experiments.runner import run_batch

QUICK = Settings(replicates=4, final_replicates=8, screening=8, evaluations=14,
                 bootstrap=6, bootstrap_evaluations=10, forecast_sets=4, forecast_replicates=3)  # fmt: skip


@pytest.fixture(scope="module")
def org():
    return esn.Organisation.generate(300, seed=1)


def _one_shot(**adoption):
    return esn.Scenario.from_dict(
        {"name": "truth", "days": 360, "mode": "one_shot", "adoption": {"rule": "bass", **adoption}}
    )


def _adoption_times(tmp_path, org, truth, seed, periods=20, days=7):
    result = run_batch(org, _one_shot(**truth).with_overrides(days=periods * days), [seed], True)
    registered = result.model.engine.people.registered_day[0].astype(int)
    period = np.where(registered >= 0, registered // days + 1, 0)
    path = tmp_path / f"times-{seed}.csv"
    pd.DataFrame({"id": org.ids, "toa": np.where(period > 0, period, periods + 1),
                  "adopted": (period > 0).astype(int)}).to_csv(path, index=False)  # fmt: skip
    return path


def test_hazard_fit_recovers_p_and_q_from_model_made_adoption_times(tmp_path, org):
    truth = {"p": 0.004, "q": 0.03}
    covered = 0
    # weekly periods: the likelihood takes exposure at each period's start (see hazard.py)
    for seed in (20, 21, 22):  # a cheap version of benchmarks/calibration.py (20 datasets)
        path = _adoption_times(tmp_path, org, truth, seed)
        cal = calibrate(
            _one_shot(**truth), path, org=org, period_days=7,
            fit=["adoption.p=1e-4:0.05:log", "adoption.q=0:0.2"],
            settings=Settings(bootstrap=20, forecast_sets=2, forecast_replicates=2),
        )  # fmt: skip
        assert cal.loss == "hazard"
        # 300 people (the sd of p's estimate is about 12 %): p within 35 %, q within 0.01 a day
        assert abs(cal.parameters["adoption.p"] / truth["p"] - 1) < 0.35
        assert abs(cal.parameters["adoption.q"] - truth["q"]) < 0.01
        covered += all(lo <= truth[k.split(".")[1]] <= hi for k, (lo, hi) in cal.intervals.items())
        assert cal.null["rejected_at_5pct"]  # q = 0.03 is a real contagion on 300 people
    assert covered >= 2


def test_series_fit_with_common_random_numbers_recovers_p(org):
    truth = with_values(_one_shot(p=0.01, q=0.05), {}).with_overrides(days=90, seed=40)
    daily = run_batch(org, truth, [40, 41, 42, 43]).daily
    mean = daily.groupby("day")["registered"].mean()
    weekly = mean.iloc[::7]
    observed = pd.DataFrame({"day": weekly.index, "registered": weekly.to_numpy()})
    from simulation.analysis.observed import Observed

    obs = Observed(
        "model",
        "series",
        observed["day"].to_numpy(),
        {"registered": observed["registered"].to_numpy()},
    )
    cal = esn.calibrate(truth, obs, org=org, fit=["adoption.p=1e-3:0.05:log"], settings=QUICK)
    assert abs(cal.parameters["adoption.p"] / 0.01 - 1) < 0.2
    assert cal.fit.loss < 0.02  # RMSE of the cumulative share
    assert set(cal.forecast["column"]) >= {"registered", "wau", "dau", "posts"}


def test_cli_writes_every_file_and_a_runnable_best_fit(tmp_path, org, capsys):
    truth = _one_shot(p=0.01, q=0.05).with_overrides(days=60)
    daily = run_batch(esn.Organisation.generate(300, seed=1), truth, [5]).daily
    path = tmp_path / "series.csv"
    daily.iloc[::7][["day", "registered"]].to_csv(path, index=False)
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: s\ndays: 120\nmode: one_shot\nadoption: {rule: bass, q: 0.05}\n")
    out = tmp_path / "out"
    code = main(
        ["calibrate", str(scenario), "--observed", str(path), "--org", "generate:size=300,seed=1",
         "--fit", "adoption.p=1e-3:0.05:log", "--bootstrap", "3", "--evaluations", "8",
         "--replicates", "6", "--target", "registered>=0.5@100", "--out", str(out), "--quiet"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    names = {p.name for p in out.iterdir() if not p.name.startswith(".")}  # not the marker
    assert names == {"fit.json", "best_fit.yaml", "fit.parquet", "forecast.parquet",
                     "calibration.png", "calibration.html"}  # fmt: skip
    fit = json.loads((out / "fit.json").read_text())
    assert set(fit["intervals"]) == {"adoption.p"} and fit["loss"]["name"] == "rmse"
    assert fit["targets"][0]["target"] == "registered>=0.5@100"
    best = esn.Scenario.load(out / "best_fit.yaml")
    assert best.adoption.p == pytest.approx(fit["parameters"]["adoption.p"])
    forecast = pd.read_parquet(out / "forecast.parquet")
    assert forecast["day"].max() == 119
    # the plans built from the fit, compared in a report that carries the calibration's section
    other = tmp_path / "other.yaml"
    other.write_text("name: other\ndays: 120\nmode: one_shot\nadoption: {rule: bass, q: 0.1}\n")
    report = tmp_path / "report"
    code = main(
        ["compare", str(out / "best_fit.yaml"), str(other), "--org", "generate:size=300,seed=1",
         "--replicates", "2", "--calibration", str(out), "--out", str(report), "--quiet"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    page = (report / "report.html").read_text()
    section = page[page.index("<h2>Calibration</h2>") : page.index("Appendix")]
    assert "series.csv" in section and "adoption.p" in section
    assert f"{fit['parameters']['adoption.p']:.4g}" in section
    assert "registered&gt;=0.5@100" in section and "data:image/png;base64" in section
    manifest = json.loads((report / "manifest.json").read_text())
    assert manifest["calibration"] == str(out)


def test_compare_with_a_folder_that_is_no_calibration_exits_2(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "fit.json").write_text('{"parameters": {}}')
    for folder, message in [("missing", "no such folder"), ("empty", "fit.json: no such file"),
                            ("bad", "not a calibration's fit.json")]:  # fmt: skip
        code = main(
            ["compare", "all_staff_announcement", "full_support", "--org", "generate:size=100",
             "--calibration", str(tmp_path / folder), "--out", str(tmp_path / "out")]
        )  # fmt: skip
        err = capsys.readouterr().err
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
        assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--fit", "adoption.p=0.1"], "expected PATH=LOW:HIGH"),
        (["--fit", "adoption.nothing=0:1"], "adoption.nothing: no such scenario field"),
        (["--fit", "adoption.p=0:0.1:log"], "a log scale needs LOW > 0"),
        (["--fit", "adoption.p=0.1:0.01"], "LOW must be below HIGH"),
        (["--fit", "adoption.p=0:0.1", "--fix", "adoption.p=0.1"], "both fitted"),
        (["--fix", "adoption.q=x"], "VALUE must be a number"),
    ],
)
def test_bad_options_exit_2(tmp_path, capsys, option, message):
    path = tmp_path / "s.csv"
    path.write_text("day,registered\n0,0.1\n7,0.2\n")
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: s\nadoption: {rule: bass}\n")
    args = ["calibrate", str(scenario), "--observed", str(path), "--org", "generate:size=100"]
    if option[0] == "--fix" and len(option) == 2:
        option = ["--fit", "adoption.p=1e-3:0.1:log", *option]
    code = main([*args, *option, "--out", str(tmp_path / "out")])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_optimum_on_a_bound_is_warned_about(org):
    from simulation.analysis.observed import Observed

    obs = Observed("x", "series", np.array([29, 59]), {"registered": np.array([0.9, 0.99])})
    with pytest.warns(UserWarning, match="adoption.p: on high bound") as caught:
        cal = calibrate(_one_shot(q=0.0), obs, org=org, fit=["adoption.p=1e-4:1e-3:log"],
                        settings=Settings(**{**vars(QUICK), "bootstrap": 0}))  # fmt: skip
    assert len([w for w in caught if "adoption.p" in str(w.message)]) == 1  # once
    assert cal.warnings and "adoption.p" in cal.warnings[0]
    assert cal.flags["adoption.p"] == ["on high bound"]


def test_parameter_scales():
    p = Parameter.parse("adoption.p=1e-4:1e-2:log")
    assert p.value(0.5) == pytest.approx(1e-3)
    assert p.unit(1e-3) == pytest.approx(0.5)
    with pytest.raises(InputError):
        Parameter.parse("adoption.p=a:b")


def _toy_space():
    from simulation.analysis.fit_space import Space

    return Space(_one_shot(), [Parameter.parse("adoption.market_potential=0:1")], {})


def test_bootstrap_intervals_hold_90_percent_with_20_refits():
    """The basic interval's tails are the refits' order statistics at k/(n+1): with 20 refits
    they keep the truth in 90 % of histories, where numpy's default quantiles keep it in ~82 %."""
    from simulation.analysis.intervals import bias_corrected

    space, name, truth = _toy_space(), "adoption.market_potential", 0.5
    rng = np.random.default_rng(3)
    inside, naive = [], []
    for _ in range(1000):  # the estimator's error and the refits' errors: the same law
        best = truth + rng.normal(0, 0.05)
        refits = best + rng.normal(0, 0.05, size=20)
        _, intervals = bias_corrected(space, {name: best}, pd.DataFrame({name: refits}))
        low, high = intervals[name]
        inside.append(low <= truth <= high)
        q05, q95 = np.quantile(refits, [0.05, 0.95])
        naive.append(2 * best - q95 <= truth <= 2 * best - q05)
    assert 0.87 <= np.mean(inside) <= 0.93
    assert np.mean(naive) < 0.85


def test_bootstrap_interval_bounds_bias_and_level():
    from simulation.analysis.intervals import bias_corrected, interval_level

    space, name = _toy_space(), "adoption.market_potential"
    refits = pd.DataFrame({name: np.linspace(0.41, 0.60, 20)})  # mean 0.505: bias +0.005
    corrected, intervals = bias_corrected(space, {name: 0.5}, refits)
    assert corrected[name] == pytest.approx(0.495)
    # tails at positions 1.05 and 19.95 of 20: 0.4105 and 0.5995; reflected around 0.5
    assert intervals[name] == pytest.approx((1.0 - 0.5995, 1.0 - 0.4105))
    near_top = pd.DataFrame({name: np.linspace(0.80, 0.99, 20)})
    assert bias_corrected(space, {name: 0.98}, near_top)[1][name][1] == 1.0  # kept in range
    assert np.isnan(bias_corrected(space, {name: 0.5}, refits[:1])[1][name][0])
    assert interval_level(20) == 0.9 and interval_level(5) == pytest.approx(4 / 6)


def test_a_screened_bootstrap_refit_runs_the_fit_s_own_screening(org):
    """``bootstrap_start="screen"``: each refit screens the range as the fit does, instead of
    starting at the best fit (benchmarks/calibration.py, recovery_need_screen)."""
    from simulation.analysis.calibrate import _parameters
    from simulation.analysis.fit_space import Space
    from simulation.analysis.fitter import Fitter
    from simulation.analysis.observed import Observed

    truth = _one_shot(p=0.01, q=0.05).with_overrides(days=60, seed=40)
    daily = run_batch(org, truth, [40]).daily
    weekly = daily[daily["day"] % 7 == 6]
    obs = Observed("model", "series", weekly["day"].to_numpy(),
                   {"registered": weekly["registered"].to_numpy()})  # fmt: skip
    space = Space(truth, _parameters(["adoption.p=1e-3:0.05:log"]), {})
    used = {}
    for start in ("best", "screen"):
        settings = Settings(**{**vars(QUICK), "bootstrap_start": start})
        fitter = Fitter(org, space, obs, "rmse", org.size, settings)
        best = fitter.fit()
        before = fitter.evaluator.evaluations
        refits = fitter.bootstrap(best, 2)
        used[start] = fitter.evaluator.evaluations - before
        assert len(refits) == 2 and refits["adoption.p"].between(1e-3, 0.05).all()
    assert used["screen"] >= used["best"] + 2 * QUICK.screening


def test_an_unknown_bootstrap_start_is_a_one_line_input_error(org):
    with pytest.raises(InputError, match="bootstrap_start 'screened': one of best, screen"):
        calibrate(_one_shot(p=0.01), "unused.csv", org=org, fit=["adoption.p=1e-3:0.05:log"],
                  settings=Settings(bootstrap_start="screened"))  # fmt: skip
