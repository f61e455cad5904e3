"""What a plan costs, item by item, over a run (in the scenario's ``costs.currency``).

Costs are declared once, by the components (:mod:`simulation.model.components`): each lever
lists its :class:`~simulation.model.components.CostItem` (set-up or running, a unit, the field of
the scenario's ``costs:`` group that prices it) and returns the quantities a plan uses; a lever
that costs nothing says why (``no_cost``). The platform's own items are declared here:
licences (``costs.licensing``: every seat, or the registered people day by day) and an app that
exists from day 0 (``platform.mobile_app``). :func:`plan_cost_lines` prices them all, the one
function every cost is read through: ``summary.parquet``'s ``cost_*`` columns, the report's cost
table, value for money and the optimiser.

Except for licences per registered person, a plan's costs do not depend on the random numbers:
they follow from the plan, the organisation and the days.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulation.base.errors import InputError
from simulation.model.components import MONTH_DAYS, CostBasis, CostItem
from simulation.plan.levers import LEVERS

LICENCES = CostItem("licences", "licences", "running", "seat-months", "licence_per_seat_month")
PLATFORM_APP = CostItem("mobile_app", "mobile app", "running", "months", "mobile_app_per_month")
#: the items of the first contract, in their column order (``cost_other``: any item of a
#: component outside the lever registry)
FIRST_ITEMS = ["licences", "community_managers", "mobile_app", "events", "other"]


def _registry_items() -> dict[str, CostItem]:
    items = {LICENCES.name: LICENCES, PLATFORM_APP.name: PLATFORM_APP}
    for lever in LEVERS:
        for item in lever.cost_items:
            items.setdefault(item.name, item)
    return items


#: every declared item by name (the platform's and each registered lever's)
ITEMS = _registry_items()
#: the cost items, in ``summary.parquet``'s column order: the first contract's, then new ones
COST_ITEMS = FIRST_ITEMS + [name for name in ITEMS if name not in FIRST_ITEMS]
COST_COLUMNS = [f"cost_{item}" for item in COST_ITEMS]
#: plain words of every item (the report's row labels)
ITEM_LABELS = {name: item.label for name, item in ITEMS.items()} | {"other": "other levers"}


@dataclass(frozen=True)
class CostLine:
    """One priced item of one part of a plan (a row of the report's cost table).

    ``source`` is the lever's ``type`` (``platform`` for licences and an app from day 0);
    ``note`` says why an amount is zero (empty otherwise).
    """

    item: str
    label: str
    kind: str
    source: str
    quantity: float
    unit: str
    price: float
    price_field: str
    amount: float
    note: str = ""


def _line(item: CostItem, source: str, quantity: float, price: float, field: str) -> CostLine:
    note = ""
    if quantity == 0:
        note = f"none used: 0 {item.unit} in this plan"
    elif price == 0:
        note = f"priced 0 ({field})"
    return CostLine(
        item.name,
        item.label,
        item.kind,
        source,
        float(quantity),
        item.unit,
        float(price),
        field,
        float(quantity * price),
        note,
    )


def licence_seat_months(
    scenario,
    org,
    days: int,
    registered_days: float | None = None,
    employed_days: float | None = None,
) -> float:
    """Seat-months licensed: every employed person day by day (``per_seat``;
    ``employed_days``, person-days, default the head-count for the whole run), or the registered
    people day by day (``per_registered``: ``registered_days``, person-days; before a run, 0)."""
    if scenario.costs.licensing == "per_seat":
        seat_days = org.size * days if employed_days is None else employed_days
        return seat_days / MONTH_DAYS
    return (registered_days or 0.0) / MONTH_DAYS


def plan_cost_lines(
    scenario,
    org,
    days: int,
    registered_days: float | None = None,
    employed_days: float | None = None,
) -> list[CostLine]:
    """Every cost item of a plan over ``days``, priced by its ``costs:`` group.

    Parameters
    ----------
    scenario : Scenario
        The plan, its names resolved against ``org`` (departments named by roles are the
        organisation's own).
    org : Organisation
    days : int
        Days run.
    registered_days : float, optional
        Registered people summed over the days (person-days): the licences under
        ``costs.licensing: per_registered`` (one replicate's). Unused per seat.
    employed_days : float, optional
        Employed people summed over the days (person-days) when the head-count changes
        (joiners and leavers): the seats licensed per seat. Default the head-count x days.

    Returns
    -------
    list of CostLine
        The licences, the platform's app if it has one from day 0, then each lever's items in
        the plan's order (a lever with no item is left out: :func:`no_cost_levers`).
    """
    costs = scenario.costs
    basis = CostBasis(org=org, scenario=scenario, days=int(days))
    seats = licence_seat_months(scenario, org, days, registered_days, employed_days)
    lines = [
        _line(LICENCES, "platform", seats, costs.licence_per_seat_month, "licence_per_seat_month")
    ]
    if scenario.platform.mobile_app:
        lines.append(
            _line(
                PLATFORM_APP,
                "platform",
                days / MONTH_DAYS,
                costs.mobile_app_per_month,
                "mobile_app_per_month",
            )
        )
    for lever in scenario.levers():
        declared = getattr(lever, "cost_items", ())
        if not declared:
            continue
        quantities = lever.cost_quantities(basis)
        source = getattr(lever, "type", type(lever).__name__)
        for item in declared:
            own = getattr(lever, item.override, None) if item.override else None
            field = lever.price_field(item)
            price = own if own is not None else getattr(costs, field)
            where = f"interventions[{source}].{item.override}" if own is not None else field
            lines.append(_line(item, source, quantities.get(item.name, 0.0), price, where))
    return lines


def no_cost_levers(scenario) -> list[tuple[str, str]]:
    """(type, why) of the plan's levers that cost nothing by nature (``no_cost``)."""
    return [
        (getattr(lever, "type", type(lever).__name__), lever.no_cost)
        for lever in scenario.levers()
        if not getattr(lever, "cost_items", ()) and getattr(lever, "no_cost", "")
    ]


def cost_columns(lines: list[CostLine]) -> dict[str, float]:
    """``cost_<item>`` amounts of ``lines`` (every column of :data:`COST_COLUMNS`, items of
    the same name added up; an item outside the registry goes to ``cost_other``)."""
    out = dict.fromkeys(COST_COLUMNS, 0.0)
    for line in lines:
        column = f"cost_{line.item}"
        out[column if column in out else "cost_other"] += line.amount
    return out


def plan_costs(scenario, org, days: int, registered_days: float | None = None) -> dict[str, float]:
    """A plan's ``cost_*`` amounts and their total ``cost`` over ``days`` (see
    :func:`plan_cost_lines`): what a run's summary records and an optimiser reads."""
    out = cost_columns(plan_cost_lines(scenario, org, days, registered_days))
    out["cost"] = sum(out[c] for c in COST_COLUMNS)
    return out


def refuse_budget_below_fixed_costs(budget: float, scenarios, org, days: int) -> None:
    """Refuse, before any run, a budget below what the cheapest plan costs whatever happens.

    Licences are left out (they follow the staff employed, or the people who register), so
    this is a lower bound of each plan's cost; a budget above it that no plan's mean cost fits
    is refused after the runs (:func:`simulation.metrics.value.value_for_money`).

    Raises
    ------
    InputError
        One line naming the budget, the cheapest plan and its cost without licences.
    """
    floors = {}
    for scenario in scenarios:
        lines = plan_cost_lines(scenario, org, min(days, scenario.days))
        floors[scenario.name] = sum(line.amount for line in lines if line.item != "licences")
    cheapest = min(floors, key=floors.get)
    if budget < floors[cheapest]:
        raise InputError(
            f"--budget {budget:,.0f}: below the cheapest plan, {cheapest}, which costs at least "
            f"{floors[cheapest]:,.0f} {scenarios[0].costs.currency} without its licences"
        )


def one_currency(scenarios) -> None:
    """Refuse plans priced in different currencies: the costs, the budget, the value for money
    and the dominated plans would be computed across them (no exchange rate is known)."""
    named = {s.name: s.costs.currency for s in scenarios}
    if len(set(named.values())) > 1:
        where = ", ".join(f"{name}: {currency}" for name, currency in named.items())
        raise InputError(
            f"the plans name different currencies ({where}): give every plan the same "
            "costs.currency, its amounts in it"
        )
