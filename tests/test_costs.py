"""Costs declared once, by the components: every lever costed, none silently zero, licensing."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
import pytest

import simulation as esn
from simulation.metrics.costs import (
    COST_COLUMNS,
    FIRST_ITEMS,
    ITEMS,
    no_cost_levers,
    plan_cost_lines,
    plan_costs,
)
from simulation.model.components import CostItem
from simulation.org import Organisation
from simulation.plan.levers import LEVERS
from simulation.plan.names import resolve_names
from simulation.plan.scenario import Costs, Scenario
from simulation.report.cost_table import cost_table

DAYS = 120
EVERY_LEVER = [{"type": lever.model_fields["type"].default} for lever in LEVERS]


@pytest.fixture(scope="module")
def org():
    return Organisation.generate(400, seed=3)


def _plan(org, interventions, **fields):
    data = {"name": "p", "days": DAYS, "interventions": interventions, **fields}
    return resolve_names(Scenario.from_dict(data), org)


def test_every_lever_declares_its_costs_or_why_it_has_none():
    for lever in LEVERS:
        items, why = lever.cost_items, lever.no_cost
        assert bool(items) != bool(why), f"{lever.__name__}: cost items or a no_cost reason"
        for item in items:
            assert isinstance(item, CostItem) and item.kind in ("set_up", "running")
            # its price is a field of the costs: group, described (unit and source in the ODD)
            assert item.price in Costs.model_fields, (lever.__name__, item.price)
            assert Costs.model_fields[item.price].description
            if item.override:
                assert item.override in lever.model_fields, (lever.__name__, item.override)
    # the summary's columns: the first contract's five in order, then every declared item
    assert COST_COLUMNS[: len(FIRST_ITEMS)] == [f"cost_{i}" for i in FIRST_ITEMS]
    assert {f"cost_{name}" for name in ITEMS} <= set(COST_COLUMNS)


def test_every_lever_of_a_plan_is_priced_and_no_zero_is_silent(org):
    plan = _plan(org, EVERY_LEVER)
    lines = plan_cost_lines(plan, org, DAYS)
    by_source = {}
    for line in lines:
        by_source.setdefault(line.source, []).append(line)
        # a zero says why; a non-zero is quantity x price
        assert (line.amount == 0) == bool(line.note), line
        assert line.amount == pytest.approx(line.quantity * line.price)
    priced = {lever.type for lever in plan.interventions if lever.cost_items}
    assert priced <= set(by_source)
    for kind in priced - {"mobile_app"}:  # at the defaults, every item but the app costs
        assert all(line.amount > 0 for line in by_source[kind]), by_source[kind]
    # the app comes with the licence by default: priced 0, and the table says so
    (app,) = by_source["mobile_app"]
    assert app.amount == 0 and app.note == "priced 0 (mobile_app_per_month)"
    free = dict(no_cost_levers(plan))
    assert set(free) == {"holdouts", "shadow_channel"} and all(free.values())


def test_quantities_follow_the_plan(org):
    plan = _plan(
        org,
        [
            {"type": "facilitation", "community_managers": 3, "start_day": 20},
            {"type": "jam", "start_day": 100, "length_days": 30},  # 20 of its days in the run
            {"type": "sponsorship", "who": "managers", "hours_per_week": 2, "share": 0.5},
            {"type": "work_integration", "departments": ["sales"], "training_hours": 2},
        ],
    )
    costs, lines = plan.costs, {line.item: line for line in plan_cost_lines(plan, org, DAYS)}
    assert lines["community_managers"].quantity == 3 * (DAYS - 20)
    assert lines["events"].quantity == 20
    managers = int((np.bincount(org.manager[org.manager >= 0], minlength=org.size) > 0).sum())
    assert lines["sponsors"].quantity == pytest.approx(0.5 * managers * 2 * DAYS / 7)
    assert lines["sponsors"].price == costs.manager_per_hour  # managers' hours, not executives'
    sales = int((org.department == org.department_names.index("sales")).sum())
    assert lines["training"].quantity == sales * 2
    assert lines["integration_build"].amount == costs.integration_build
    assert lines["integration_upkeep"].quantity == pytest.approx(DAYS / 30)
    # a lever's own price replaces the costs: group's, and the line names it
    own = _plan(org, [{"type": "facilitation", "cost_per_manager_day": 450}])
    (line,) = [x for x in plan_cost_lines(own, org, DAYS) if x.item == "community_managers"]
    assert (
        line.price == 450 and line.price_field == "interventions[facilitation].cost_per_manager_day"
    )


def test_per_seat_licenses_everyone_and_per_registered_only_the_registered():
    org = Organisation.generate(250, seed=5)
    runs = {}
    for licensing in ("per_seat", "per_registered"):
        scenario = Scenario.from_dict(
            {
                "name": licensing,
                "days": 60,
                "costs": {"licensing": licensing, "licence_per_seat_month": 3.0},
                "rollout": {"strategy": "grassroots", "departments": ["sales"]},
            }
        )
        runs[licensing] = esn.Sim(scenario, org=org, replicates=3, seed=1).run()
    seat, reg = runs["per_seat"], runs["per_registered"]
    daily = seat.daily
    employed = (
        daily.groupby("replicate")["employed"].sum()
        if "employed" in daily
        else daily.groupby("replicate")["day"].count() * org.size
    )
    np.testing.assert_allclose(
        seat.summary.set_index("replicate")["cost_licences"],
        employed * 3.0 / 30,
        rtol=1e-12,
    )
    staff = reg.daily["employed"] if "employed" in reg.daily else org.size
    registered_days = (reg.daily["registered"] * staff).groupby(reg.daily["replicate"]).sum()
    np.testing.assert_allclose(
        reg.summary.set_index("replicate")["cost_licences"], registered_days * 3.0 / 30, rtol=1e-9
    )
    # a grassroots launch registers a minority: every seat costs more than those registered
    assert (reg.summary["cost_licences"] < seat.summary["cost_licences"] / 2).all()
    # the same plans, same seeds: only the licence line differs
    np.testing.assert_array_equal(seat.summary["sustained_wau"], reg.summary["sustained_wau"])
    for summary in (seat.summary, reg.summary):
        np.testing.assert_allclose(summary[COST_COLUMNS].sum(axis=1), summary["cost"], rtol=1e-12)


def test_plan_costs_before_a_run_match_the_runs(org):
    plan = _plan(org, [{"type": "facilitation"}, {"type": "gamification", "end_day": 45}])
    before = plan_costs(plan, org, DAYS)
    assert before["cost_gamification"] == pytest.approx(500 * 45 / 30)
    assert before["cost_gamification_setup"] == 5000
    sim = esn.Sim(plan, org=org, replicates=2, seed=0).run()
    for column in COST_COLUMNS:
        if column != "cost_licences":  # licences follow the staff employed day by day
            np.testing.assert_allclose(sim.summary[column], before[column], rtol=1e-12)


class _Cells(HTMLParser):
    """The ``<td data-metric=...>`` cells of the cost table, and the no-cost note's text."""

    def __init__(self):
        super().__init__()
        self.cells, self.note, self._in_note = [], "", False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "data-metric" in attrs:
            self.cells.append(attrs)
        self._in_note = self._in_note or attrs.get("id") == "no-cost-levers"

    def handle_data(self, data):
        if self._in_note:
            self.note += data

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_note = False


def test_the_report_cost_table_lists_every_item_and_says_why_a_zero_is_zero():
    org = Organisation.generate(150, seed=2)
    plans = [
        {"name": "levers", "days": 40, "interventions": EVERY_LEVER},
        {"name": "bare", "days": 40},
    ]
    result = esn.compare(plans, org=org, replicates=2, seed=0).result
    parser = _Cells()
    parser.feed(cost_table(result))
    cells = {(c["data-metric"], c["data-scenario"]): c for c in parser.cells}
    assert {(c, n) for c in COST_COLUMNS for n in ("levers", "bare")} <= set(cells)
    for column in COST_COLUMNS:
        for name in ("levers", "bare"):
            cell = cells[(column, name)]
            if float(cell["data-mean"]) == 0:
                assert cell.get("data-note"), (column, name)  # a zero says why
    assert all(cells[(c, "bare")]["data-note"] == "not in this plan" for c in COST_COLUMNS[1:])
    assert cells[("cost_mobile_app", "levers")]["data-note"] == "priced 0 (mobile_app_per_month)"
    assert "holdouts" in parser.note and "shadow_channel" in parser.note
