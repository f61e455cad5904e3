"""The days a plan does something visible: launch, waves, levels of a cascade, a Jam, an app.

The curves mark them (a dotted line and a short label), so a reader sees what moved a curve.
"""

from __future__ import annotations

MAX_CASCADE_LEVELS = 8  # levels marked: deeper ones would crowd the chart


def _rollouts(scenario) -> tuple[list, bool]:
    """The rollout's strategies, and whether they are phases."""
    rollout = scenario.rollout
    phases = getattr(rollout, "phases", None)
    if isinstance(rollout, list | tuple):
        return list(rollout), True
    return (list(phases), True) if phases else ([rollout], False)


def scenario_events(scenario) -> list[tuple[int, str]]:
    """``(day, label)`` of each visible act of ``scenario`` within its run, by day."""
    days = scenario.days
    out: list[tuple[int, str]] = []
    rollouts, phased = _rollouts(scenario)
    for rollout in rollouts:
        strategy = getattr(rollout, "strategy", "rollout")
        start = int(getattr(rollout, "start_day", 0))
        waves = getattr(rollout, "waves", None)
        if waves:  # a wave's day counts from its rollout's start_day
            out += [(start + int(w.day), f"wave {k + 1}") for k, w in enumerate(waves)]
        elif strategy == "cascade":
            step = int(rollout.days_between_levels)
            out += [(start + k * step, f"level {k}") for k in range(MAX_CASCADE_LEVELS)]
        elif start > 0 or phased:
            out.append((start, f"{strategy} launch" if start > 0 else strategy))
    for lever in scenario.interventions:
        kind = getattr(lever, "type", "lever")
        if kind == "jam":
            out.append((int(lever.start_day), "jam"))
        elif kind == "mobile_app":
            out.append((int(lever.launch_day), "app launch"))
        elif int(getattr(lever, "start_day", 0)) > 0:
            out.append((int(lever.start_day), kind.replace("_", " ")))
    return sorted({(d, label) for d, label in out if 0 <= d < days})


def plan_events(result) -> dict[str, list[tuple[int, str]]]:
    """:func:`scenario_events` of every plan of a comparison, by plan name."""
    return {s.name: scenario_events(s) for s in result.scenarios}
