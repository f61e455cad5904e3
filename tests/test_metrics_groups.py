"""Breakdowns by group and pockets: they add up to the organisation's figures."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.experiments.runner import run_batch
from simulation.metrics.groups import GROUP_BY, group_labels, pockets
from simulation.org import Organisation
from simulation.plan.scenario import Scenario
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def batch():
    org = Organisation.generate(500, seed=4)
    scenario = Scenario.load(SCENARIOS / "full_support.yaml").with_overrides(days=80, seed=2)
    return org, run_batch(org, scenario, [2, 3, 4], breakdown=True)


@pytest.mark.parametrize("group_by", GROUP_BY)
def test_group_counts_weighted_by_headcount_add_up_to_the_daily_series(batch, group_by):
    org, result = batch
    part = result.by_group[result.by_group["group_by"] == group_by]
    # the groups' head-counts (their staff employed that day) add up to the day's employed
    staff = part["headcount"].groupby([part["replicate"], part["day"]]).sum().to_numpy()
    by_day = result.daily.set_index(["replicate", "day"])
    np.testing.assert_array_equal(staff, by_day["employed"].to_numpy())
    assert staff.max() <= org.size
    for column in ("aware", "registered", "dau", "wau", "mau", "lurkers", "contributors"):
        weighted = (part[column] * part["headcount"]).groupby([part["replicate"], part["day"]])
        total = weighted.sum().to_numpy() / staff
        daily = by_day[column].to_numpy()
        np.testing.assert_allclose(total, daily, atol=1e-6, err_msg=column)


def test_a_replicate_gives_the_same_breakdown_alone_or_in_a_batch(batch):
    org, result = batch
    scenario = Scenario.load(SCENARIOS / "full_support.yaml").with_overrides(days=80, seed=2)
    alone = run_batch(org, scenario, [3], breakdown=True)
    mine = result.by_group[result.by_group["replicate"] == 1].reset_index(drop=True)
    np.testing.assert_allclose(
        mine.drop(columns=["scenario", "group_by", "group"]).to_numpy(np.float64),
        alone.by_group.drop(columns=["scenario", "group_by", "group"]).to_numpy(np.float64),
    )


def test_a_team_where_nobody_is_active_is_the_worst_pocket():
    org = Organisation.generate(300, seed=1)
    sustained = np.full((2, org.size), 0.6, np.float32)
    codes, _ = group_labels(org, "department")
    team_manager = int(np.bincount(org.manager[org.manager >= 0]).argmax())
    team = org.manager == team_manager
    sustained[:, team] = 0.0
    table = pockets(org, sustained, sustained > 0, "plan", [0, 1])
    teams = table[(table["kind"] == "team") & (table["replicate"] == 0)]
    worst = teams.sort_values("gap", ascending=False).iloc[0]
    assert str(org.ids[team_manager]) in worst["group"]
    assert worst["sustained_wau"] == 0.0 and worst["size"] == team.sum()
    assert codes.shape == (org.size,)
