"""What a plan costs, item by item, over a run (in the scenario's ``costs.currency``).

Items: licences (registered seat-days times the daily seat price), community managers (the
``facilitation`` lever), the mobile app (``costs.mobile_app_per_month`` from the day staff have
it), events (``jam``) and anything else a lever charges. ``summary.parquet``'s ``cost`` is their
total; the items are its last columns (:data:`COST_COLUMNS`).
"""

from __future__ import annotations

COST_ITEMS = ["licences", "community_managers", "mobile_app", "events", "other"]
COST_COLUMNS = [f"cost_{item}" for item in COST_ITEMS]

# the item each priced lever's cost belongs to, by the lever's ``type``
LEVER_ITEM = {"facilitation": "community_managers", "jam": "events", "mobile_app": "mobile_app"}
MONTH_DAYS = 30.0  # days in a billing month


def app_days(scenario, days: int) -> int:
    """Days (of ``days`` run) on which staff had a true mobile app."""
    if scenario.platform.mobile_app:
        return days
    launches = [
        lever.launch_day
        for lever in scenario.interventions
        if getattr(lever, "type", None) == "mobile_app"
    ]
    return max(0, days - min(launches)) if launches else 0


def lever_costs(engine, replicate: int) -> dict[str, float]:
    """Costs beyond licences and the app, by item, of one replicate over the whole run.

    Components that declare their cost items (``engine.costs``) are read by item; a lever with
    only a ``cost`` method is filed under its type's item (:data:`LEVER_ITEM`), else ``other``.
    """
    out = dict.fromkeys(COST_ITEMS[1:], 0.0)
    declared = getattr(engine, "costs", None)
    if callable(declared):
        for item, value in declared(replicate).items():
            out[item if item in out else "other"] += float(value)
        return out
    for lever in engine.levers:
        cost = getattr(lever, "cost", None)
        if cost is None:
            continue
        item = LEVER_ITEM.get(getattr(lever, "type", None), "other")
        out[item] += float(cost(engine, replicate))
    return out


def cost_items(engine, replicate: int, seat_days: float, days: int) -> dict[str, float]:
    """``cost_*`` columns of one replicate.

    Parameters
    ----------
    engine : Engine
        The engine after its run.
    replicate : int
        Replicate index in the engine's batch.
    seat_days : float
        Registered people summed over the run's days (person-days).
    days : int
        Days run.
    """
    costs = engine.scenario.costs
    items = lever_costs(engine, replicate)
    items["licences"] = seat_days * costs.licence_per_seat_month / MONTH_DAYS
    items["mobile_app"] += app_days(engine.scenario, days) * costs.mobile_app_per_month / MONTH_DAYS
    return {f"cost_{item}": items[item] for item in COST_ITEMS}
