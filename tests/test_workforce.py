"""Joiners and leavers (simulation.model.workforce) and the onboarding lever.

Stochastic claims are over replicates with fixed seeds, each with its tolerance stated.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.cli.main import main
from simulation.metrics.costs import plan_cost_lines
from simulation.model.engine import Engine
from simulation.model.people import Stage
from simulation.model.workforce import expected_hires
from simulation.org.model import Organisation
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Scenario

REPLICATES = 12


@pytest.fixture(scope="module")
def org():
    return Organisation.generate(300, seed=0)


def _engine(org, replicates=1, **fields) -> Engine:
    scenario = Scenario.from_dict({"name": "t", **fields})
    return Engine(org, resolve_names(scenario, org), seeds=list(range(replicates)))


@pytest.fixture(scope="module")
def two_years(org_1000):
    """Two years at 15 % turnover on 1,000 people, with and without onboarding. Word of mouth is
    low (0.01 a day at full exposure instead of 0.1): a platform colleagues seldom mention to a
    newcomer, so that new hires hear of it mostly through the plan."""
    runs = {}
    for name, levers in (("plain", []), ("onboarding", [{"type": "onboarding"}])):
        engine = _engine(
            org_1000, REPLICATES, days=730, awareness={"word_of_mouth": 0.01},
            workforce={"annual_turnover": 0.15}, interventions=levers,
        )  # fmt: skip
        runs[name] = engine.run().records.values
    return runs


def _second_year_change(values) -> np.ndarray:
    """Per replicate: the registered share of current staff over the last 30 days of year 2
    minus that over the last 30 days of year 1 (share points 0-1)."""
    registered = values["registered"]
    return registered[700:730].mean(axis=0) - registered[335:365].mean(axis=0)


def test_turnover_erodes_registration_and_onboarding_holds_it(two_years):
    plain = _second_year_change(two_years["plain"])
    kept = _second_year_change(two_years["onboarding"])
    se = plain.std(ddof=1) / np.sqrt(plain.size)
    # without onboarding, new hires replace registered leavers: a fall of at least 1 point, and
    # more than 3 standard errors below 0 (measured: -2.35 points, standard error 0.27)
    assert plain.mean() < -0.01 and plain.mean() + 3 * se < 0, (plain.mean(), se)
    # with onboarding it holds: within 1 point of year 1, or above (measured: +2.2 points)
    assert kept.mean() > -0.01, kept.mean()
    assert (kept > plain).mean() >= 0.9


def test_the_same_seed_loses_the_same_people_under_either_plan(two_years):
    # who leaves does not depend on the plan (common random numbers): the head-count series
    # of the two plans are identical, replicate by replicate
    assert np.array_equal(two_years["plain"]["employed"], two_years["onboarding"]["employed"])
    employed = two_years["plain"]["employed"]
    assert employed.min() < 1000 and employed.max() <= 1000


def test_an_intake_raises_the_employed_count_on_its_day(org):
    engine = _engine(
        org, 3, days=120, workforce={"annual_turnover": 0, "intakes": [{"day": 60, "share": 0.4}]}
    )
    values = engine.run().records.values
    employed = values["employed"]
    assert (employed[:60] == 180).all() and (employed[60:] == 300).all()
    # the announcement on day 0 reached the 180 employed only: everyone employed was aware
    assert np.allclose(values["aware"][0], 1.0)
    # on the intake day the share aware falls: the cohort arrives unaware
    assert (values["aware"][60] < values["aware"][59] - 0.2).all()
    assert (values["aware"] <= 1.0).all() and (values["registered"] <= 1.0).all()


def test_not_yet_employed_positions_are_not_seen_and_not_counted(org):
    cohort = {"annual_turnover": 0, "intakes": [{"day": 20, "count": 100}]}
    engine = _engine(org, 2, days=30, workforce=cohort)
    engine.run(10)
    people = engine.people
    away = ~people.employed
    assert away.sum(axis=1).tolist() == [100, 100]
    assert (people.stage[away] == Stage.VACANT).all()
    assert (people.registered_day[away] == -1).all()


def _brute_force_exposure(engine) -> np.ndarray:
    """Each person's share of employed contacts' weight that is registered (not lapsed)."""
    ties = engine.quantised_ties
    weights = ties.weights()
    rows = np.repeat(np.arange(ties.size), np.diff(ties.indptr.astype(np.int64)))
    cols = ties.indices.astype(np.int64)
    people = engine.people
    out = np.zeros(people.stage.shape)
    for r in range(people.replicates):
        present = people.employed[r, cols]
        user = present & (people.stage[r, cols] == Stage.REGISTERED)
        seen = np.bincount(rows, weights=weights * present, minlength=ties.size)
        registered = np.bincount(rows, weights=weights * user, minlength=ties.size)
        out[r] = np.divide(registered, seen, out=np.zeros(ties.size), where=seen > 0)
    return out


def test_leavers_ties_go_and_vacancies_are_no_contacts(org):
    # a high turnover (300 % a year, a month's vacancy): many leavers and vacancies at once
    engine = _engine(org, 2, days=90, workforce={"annual_turnover": 3.0, "vacancy_days": 30})
    for _ in range(60):
        engine.step()
    assert (~engine.people.employed).sum() > 20
    engine.signals.compute(engine.quantised_ties, engine.people, engine.day)
    assert np.allclose(engine.exposure_today, _brute_force_exposure(engine), atol=1e-6)
    # a leaver's state is gone with them: no account, no visit, no post counted
    away = ~engine.people.employed
    assert (engine.people.stage[away] == Stage.VACANT).all()
    assert (engine.people.total_posts[away] == 0).all()


def test_a_fixed_head_count_has_no_flow(org):
    engine = _engine(org, 1, days=5, workforce={"annual_turnover": 0})
    assert engine.workforce is None
    assert (engine.run().records.values["employed"] == 300).all()


def test_expected_hires_match_the_realised_ones(org):
    sc = {"annual_turnover": 0.5, "vacancy_days": 10, "intakes": [{"day": 40, "count": 30}]}
    engine = _engine(org, 20, days=200, workforce=sc)
    hires = 0
    for day in range(200):
        engine.step()
        hires += int((engine.people.hired_day == day + 1).sum()) if day + 1 < 200 else 0
    expected = expected_hires(engine.scenario.workforce, org.size, 1, 200)
    # realised over 20 replicates against the expected number: within 10 %
    assert abs(hires / 20 - expected) < 0.1 * expected, (hires / 20, expected)


def test_onboarding_costs_hours_per_expected_hire(org):
    plan = Scenario.from_dict(
        {"name": "t", "days": 365, "interventions": [{"type": "onboarding", "hours_per_hire": 2}]}
    )
    lines = {line.item: line for line in plan_cost_lines(plan, org, 365)}
    hires = expected_hires(plan.workforce, org.size, 0, 365)
    assert 30 < hires < 45  # 15 % of 300 a year, less the first 43 days' wait for replacements
    assert lines["onboarding"].quantity == pytest.approx(2 * hires)
    assert lines["onboarding"].amount == pytest.approx(2 * hires * plan.costs.employee_per_hour)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("workforce: {annual_turnover: -0.1}\n", "workforce.annual_turnover: must be >= 0"),
        ("workforce: {intakes: [{day: 400, share: 0.2}]}\n", "workforce.intakes[0].day: 400"),
        ("workforce: {intakes: [{day: 10, share: 1.5}]}\n", "workforce.intakes[0].share: must be"),
        ("workforce: {intakes: [{day: 10}]}\n", "workforce.intakes[0]: "),
        ("workforce: {vacancy_days: -1}\n", "workforce.vacancy_days: must be >= 0"),
    ],
)
def test_bad_workforce_input_is_one_line_exit_2(tmp_path, capsys, body, expected):
    path = tmp_path / "plan.yaml"
    path.write_text(f"name: x\ndays: 365\n{body}", encoding="utf-8")
    out = tmp_path / "out"
    code = main(
        ["run", str(path), "--org", "generate:size=100", "--days", "365", "--out", str(out)]
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    assert "plan.yaml" in err[0] and expected in err[0], err
    assert not out.exists()
