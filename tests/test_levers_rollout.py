"""Rollout strategies: each its own behaviour, over replicates with fixed seeds.

Organisation: ``Organisation.generate(1500, seed=0)``, default calibration, threshold rule.
Effect sizes measured when written are in each test's comment.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model.engine import Engine
from simulation.model.people import Stage
from simulation.org.model import Organisation
from simulation.plan.names import resolve_names
from tests.conftest import scenario

R = 8


@pytest.fixture(scope="module")
def org():
    return Organisation.generate(1500, seed=0)


def run(org, days=365, **fields):
    return Engine(org, resolve_names(scenario(days=days, **fields), org), seeds=range(R)).run()


def sustained(engine, column="wau", days=60):
    """Mean over replicates of the last ``days`` days of a daily column."""
    return engine.records.values[column][-days:].mean()


def per_replicate(engine, column="wau", days=60):
    """Each replicate's mean of the last ``days`` days of a daily column (shares 0-1)."""
    return engine.records.values[column][-days:].mean(axis=0)


@pytest.fixture(scope="module")
def grassroots(org):
    return run(org, rollout={"strategy": "grassroots"})


@pytest.fixture(scope="module")
def ceo_mandate(org):
    return run(org, rollout={"strategy": "mandate", "announced_by": "ceo"})


def test_mandate_raises_signups_fast_but_sustains_less_weekly_use_than_gradual_seeding(
    org, grassroots, ceo_mandate
):
    # measured: registered day 30 0.998 vs 0.019; sustained WAU 0.155 vs 0.178 (Iyer & Adamic)
    reg = {
        k: e.records.values["registered"][30].mean()
        for k, e in {"mandate": ceo_mandate, "grassroots": grassroots}.items()
    }
    assert reg["mandate"] > 0.9 and reg["grassroots"] < 0.1, reg
    assert sustained(ceo_mandate) < sustained(grassroots) - 0.01


def test_it_announced_mandate_converts_fewer_to_weekly_use_than_ceo_and_both_fewer_than_grassroots(
    org, grassroots, ceo_mandate
):
    # measured (dormancy that deepens, 15 % turnover): sustained WAU it 0.115 < ceo 0.138
    # (paired difference 0.0225, standard error 0.0022 over 8 seeds) < grassroots
    it = run(org, rollout={"strategy": "mandate", "announced_by": "it"})
    gap = per_replicate(ceo_mandate) - per_replicate(it)  # same seeds: paired
    assert gap.mean() > max(0.01, 3 * gap.std(ddof=1) / np.sqrt(R)), gap
    assert sustained(ceo_mandate) < sustained(grassroots)


def test_hub_seeding_beats_random_seeding_of_the_same_number(org):
    # measured: registered day 180 0.62 vs 0.30; sustained WAU 0.35 vs 0.26 (Hinz et al. 2011)
    hubs = run(org, rollout={"strategy": "hub_seeding", "seeds": 15})
    rand = run(org, rollout={"strategy": "random_seeds", "seeds": 15})
    for column in ("registered", "wau"):
        assert hubs.records.values[column][180].mean() > rand.records.values[column][180].mean()
    assert sustained(hubs) > sustained(rand) + 0.03


def test_grassroots_enthusiasts_do_no_worse_than_random_people_of_the_same_departments(org):
    # measured: sustained WAU 0.162 enthusiasts vs 0.159 random (paired difference +0.003,
    # standard error 0.011 over 8 seeds). It was 0.34 vs 0.28 before the calibration to the
    # published patterns; since then the seeds' traits matter little beside the word of mouth
    # that follows them, so the claim held is "no worse", within 2 standard errors.
    keen = run(org, rollout={"strategy": "grassroots", "choose": "enthusiasts"})
    rand = run(org, rollout={"strategy": "grassroots", "choose": "random"})
    gap = per_replicate(keen) - per_replicate(rand)
    assert gap.mean() > -2 * gap.std(ddof=1) / np.sqrt(R), gap
    first = keen.records.values["registered"][0] * org.size
    np.testing.assert_array_equal(first, 15)  # 5 in each of sales, marketing, it


def test_cascade_registers_one_level_of_the_tree_every_interval_top_first(org):
    engine = Engine(
        org, resolve_names(scenario(days=16, rollout={"strategy": "cascade"}), org), seeds=range(2)
    )
    engine.run(1)
    registered = engine.people.stage >= Stage.REGISTERED
    assert registered[:, org.level == 0].all() and not registered[:, org.level >= 2].any()
    engine.run(15)
    reached = (engine.people.stage >= Stage.REGISTERED)[:, org.level == 1].mean()
    assert reached >= 0.5, reached  # ceo: 90 % register, some on paper only
    assert not (engine.people.registered_day[:, org.level == 3] >= 0).any()


def test_pilot_teams_register_on_start_day_and_use_it_more_than_others(org):
    engine = run(org, days=90, rollout={"strategy": "pilot", "teams": 5, "start_day": 3})
    values = engine.records.values["registered"]
    assert values[2].max() == 0 and values[3].min() > 0
    pilot = engine.people.registered_day == 3
    weekly = engine.people.active_within(89, 7)
    others = (engine.people.stage >= Stage.REGISTERED) & ~pilot
    assert weekly[pilot].mean() > weekly[others].mean()


def test_on_an_edge_list_without_reporting_lines_a_pilot_team_is_a_person_and_their_department_contacts(
    org,
):
    """An observed network has no managers: the pilot still registers teams (a person and
    their contacts in their own department) instead of nobody."""
    import numpy as np

    flat = Organisation.from_arrays(
        manager=np.full(org.size, -1), ties=org.ties, department=org.department,
        department_names=list(org.department_names),
    )  # fmt: skip
    engine = Engine(
        flat, resolve_names(scenario(days=10, rollout={"strategy": "pilot", "teams": 5, "start_day": 3}), flat),
        seeds=range(2),
    ).run()  # fmt: skip
    members = engine.people.registered_day == 3
    for r in range(2):
        assert 5 < members[r].sum() < flat.size / 4
        # every member has a tie to another member of their own department
        inside = flat.ties[members[r]][:, members[r]]
        assert (np.diff(inside.tocsr().indptr) > 0).all()
        assert len(set(flat.department[members[r]])) <= 5


def test_waves_bring_departments_and_sites_in_on_their_days(org):
    waves = [
        {"day": 0, "departments": ["sales"]},
        {"day": 10, "sites": ["site2"], "action": "register"},
    ]
    engine = Engine(
        org,
        resolve_names(scenario(days=11, rollout={"strategy": "waves", "waves": waves}), org),
        [0],
    )
    engine.run(1)
    sales = org.department == org.department_names.index("sales")
    assert (engine.people.stage[0, sales] != Stage.UNAWARE).all()
    engine.run(10)
    site2 = org.site == 1
    # every holder of a site2 position (a position vacant on day 10 has none: joiners and leavers)
    employed = engine.people.employed[0, site2]
    assert (engine.people.stage[0, site2][employed] >= Stage.REGISTERED).all()
