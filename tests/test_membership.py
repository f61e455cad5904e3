"""A community's membership followed by the model (simulation.analysis.membership), the
``members`` rollout, and a need that ends (need.duration).

Stochastic claims are over replicates with fixed seeds, each with its tolerance stated.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from simulation.analysis.membership import (
    follow,
    future_cohorts,
    intakes,
    joiners_to_come,
    recent_rate,
)
from simulation.analysis.observed_record import Observed
from simulation.model.engine import Engine
from simulation.model.need import Need
from simulation.model.people import Stage
from simulation.org.model import Organisation
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Scenario


def observed(membership, days=None) -> Observed:
    membership = np.asarray(membership, dtype=float)
    days = np.arange(membership.size) if days is None else np.asarray(days)
    series = {"weekly_active": np.full(membership.size, 0.3)}
    return Observed("export.csv", "slack", days, series, int(membership.max()),
                    membership=membership)  # fmt: skip


def community(**fields) -> Scenario:
    data = {"name": "c", "days": 120, "rollout": {"strategy": "members"},
            "workforce": {"annual_turnover": 0}, **fields}  # fmt: skip
    return Scenario.from_dict(data)


def test_each_rise_of_the_membership_is_an_intake_on_its_day():
    # 10 members, +2 on day 3, a fall (deactivations) on day 5 not followed, +5 on day 7
    members = [10, 10, 10, 12, 12, 11, 11, 16]
    cohorts, lost = intakes(observed(members))
    assert [(c.day, c.count) for c in cohorts] == [(3, 2), (7, 4)]
    assert lost == 1
    # gaps in the days: the rise is taken on the day it is seen
    cohorts, _ = intakes(observed([10, 13, 20], days=[0, 7, 14]))
    assert [(c.day, c.count) for c in cohorts] == [(7, 3), (14, 7)]


def test_the_recent_pace_leaves_out_an_intake_and_weekly_cohorts_keep_it():
    # one joiner every other day for 100 days, and an intake of 300 on day 80
    members = 200 + np.arange(100) // 2 + np.where(np.arange(100) >= 80, 300, 0)
    rate = recent_rate(observed(members))
    assert rate == pytest.approx(0.5, abs=0.02)
    cohorts = future_cohorts(rate, last=99, horizon=200)
    assert all(d > 99 and d < 200 for d, _ in cohorts)
    # every week's joiners, rounding carried over: within one person of the pace
    assert abs(sum(n for _, n in cohorts) - rate * 7 * len(cohorts)) < 1


def test_follow_fills_the_organisation_as_the_members_came():
    members = [100] * 30 + [150] * 30
    scenario = community()
    followed, lines = follow(observed(members), scenario, size=150, horizon=120, after="flat")
    assert [(i.day, i.count) for i in followed.workforce.intakes] == [(30, 50)]
    assert "follows the membership" in lines[0] and "stays at 150" in lines[0]
    # an organisation of another size is not followed, and the line says which size to use
    same, lines = follow(observed(members), scenario, size=200, horizon=120, after="flat")
    assert same is scenario and "generate:size=150" in lines[0]
    # a flat membership: nothing to follow, nothing said
    same, lines = follow(observed([100] * 60), scenario, size=100)
    assert same is scenario and lines == []


def test_an_export_longer_than_the_scenario_lengthens_the_run_to_its_intakes():
    # 200 days of export (a join every other day) against a 120-day scenario: the intakes run
    # to day 199 and on to the horizon, and the scenario's days follow them (it validates)
    members = 100 + np.arange(200) // 2
    scenario = community()
    coming = joiners_to_come(observed(members), 250)
    assert coming > 0
    followed, _ = follow(observed(members), scenario, size=199 + coming, horizon=250)
    assert followed.days == 250 and scenario.days == 120
    assert max(i.day for i in followed.workforce.intakes) < 250
    again = Scenario.from_dict(followed.model_dump(mode="python"))
    assert again.days == 250


def test_the_loss_weighs_each_day_as_its_members():
    from simulation.analysis.losses import day_weights, log_likelihood, rmse

    # day 0: 5 members, off by 0.4; day 1: 495 members, off by 0.01
    data = observed([5, 495])
    data.series["weekly_active"] = np.array([0.7, 0.31])
    model = {"weekly_active": np.array([[0.3, 0.3], [0.3, 0.3]])}
    assert day_weights(data).tolist() == [0.02, 1.98]
    expected = np.sqrt((0.02 * 0.4**2 + 1.98 * 0.01**2) / 2)
    assert rmse(data, model) == pytest.approx(expected)
    # without a membership, every day alike
    plain = Observed("e.csv", "viva", np.arange(2), dict(data.series), 500)
    assert rmse(plain, model) == pytest.approx(np.sqrt((0.4**2 + 0.01**2) / 2))
    # the likelihood counts each day's members: 4 of 5 on day 0 (0.7 x 5 rounded), 153 of 495
    counts, sizes = np.array([4.0, 153.0]), np.array([5.0, 495.0])
    expected = np.sum(counts * np.log(0.3) + (sizes - counts) * np.log(0.7))
    assert log_likelihood(data, model, population=500) == pytest.approx(expected)


def test_members_register_on_the_day_they_join():
    org = Organisation.generate(200, seed=0)
    scenario = community(workforce={"annual_turnover": 0, "intakes": [{"day": 30, "count": 80}]})
    engine = Engine(org, resolve_names(scenario, org), seeds=[0, 1]).run()
    values = engine.records.values
    employed = values["employed"]
    assert employed[0].tolist() == [120, 120] and employed[-1].tolist() == [200, 200]
    # every member registered every day: the launch's on day 0, the intake's on day 30
    assert np.allclose(values["registered"], 1.0)
    people = engine.people
    joined = people.registered_day[people.employed]
    assert set(np.unique(joined)) == {0, 30}
    assert (people.stage[people.employed] != Stage.UNAWARE).all()


def test_a_needs_duration_follows_its_lomax_distribution():
    need = Need(duration=40.0, duration_shape=1.5)
    lasts = need.draw_lasts(np.random.default_rng(0), 20_000)
    lomax = stats.lomax(c=1.5, scale=40.0)
    # Kolmogorov-Smirnov against the distribution it is drawn from (p > 0.01 at seed 0)
    assert stats.kstest(lasts, lomax.cdf).pvalue > 0.01
    assert np.isinf(Need().draw_lasts(np.random.default_rng(0), 5)).all()


def test_a_need_that_ends_makes_the_active_share_keep_falling():
    org = Organisation.generate(300, seed=0)
    seeds = list(range(6))

    def wau(**need):
        scenario = community(days=365, need={"share": 0.9, "visit": 0.2, **need})
        return Engine(org, resolve_names(scenario, org), seeds=seeds).run().records.values["wau"]

    lasting, ending = wau(), wau(duration=40.0)
    # the same first day (the need has not ended for anyone yet)...
    assert np.array_equal(lasting[0], ending[0])
    # ...then, with needs ending, the share in the last month is below half of that of needs
    # that last (measured at seeds 0-5: 0.06-0.09 against 0.73-0.75), in every replicate
    assert (ending[-30:].mean(axis=0) < 0.5 * lasting[-30:].mean(axis=0)).all()
    # and it still falls in the second half of the year (the long ebb: days 150-179 at
    # 0.12-0.18, the last 35 days lower in every replicate)
    assert (ending[330:].mean(axis=0) < ending[150:180].mean(axis=0)).all()
