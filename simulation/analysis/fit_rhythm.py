"""``--fit auto``: the weekly rhythm set from the data before the screening.

The screen (:mod:`simulation.analysis.fit_screen`) measures a field's effect in units of each
series' observed range. On a pilot with a launch spike (65 % read on day 0) the weekend level
(2 % read) is a small share of that range, so ``visits.weekend_factor`` and
``visits.frontline_factor`` look weak (mu* about 0.02, measured on the hand-made pilot of
tests/pilot_export.py) and are not fitted; the model then keeps its own weekends (about 5-6 %
read against 2 %) and every weekend falls outside the band. The ratio of weekend to weekday use
is read straight off the data instead, and the two fields are set to match it:

- ``r``: the mean of the daily reading series (``readers`` or ``daily_active``) on Saturdays
  and Sundays over its mean on weekdays, both after the launch week (day 7 on); holidays left
  out with ``--holidays`` are already out of the observed days;
- the model's visit chance is multiplied by a person's effort (:func:`simulation.model.engine.
  visit_rhythm`): desk staff 1 on weekdays and ``weekend_factor`` at weekends; frontline staff
  (share ``f`` of the organisation) ``frontline_factor`` on every day, weekends too, when the
  platform has no true mobile app. So the weekend floor is set by the frontline share:
  ``r = (f ff + (1 - f) wf) / (f ff + 1 - f)``;
- ``wf`` is solved at the scenario's ``ff``; where that would need ``wf`` below ``r / 2`` (the
  frontline staff alone read more at weekends than the data show), ``wf = r / 2`` and ``ff``
  is solved instead. With a mobile app (frontline staff visit fully every day) only ``wf`` is
  solved, and nothing is set where even ``wf = 0`` cannot reach ``r``.

The ratio ignores that frontline and desk staff differ in other ways (habit, ties): it sets the
rhythm to first order, and the fit adjusts the level with the fields the screen chooses. Nothing
is set when either field is fixed or fitted by hand, or the data are not daily over two weeks.
"""

from __future__ import annotations

import numpy as np

from simulation.analysis.observed import Observed

WEEKEND = "visits.weekend_factor"
FRONTLINE = "visits.frontline_factor"
#: daily series of people who read (the weekly rhythm is measured on them)
READING = ("readers", "daily_active")
LAUNCH_WEEK = 7  # days left out of the ratio: the launch week has no steady rhythm


def observed_ratio(observed: Observed) -> float | None:
    """The data's weekend-to-weekday ratio of reading (module docstring), or None."""
    if observed.period_days != 1 or observed.adoption is not None:
        return None
    name = next((n for n in READING if n in observed.series), None)
    if name is None:
        return None
    day = np.asarray(observed.days)
    values = np.asarray(observed.series[name], dtype=float)
    late = day >= LAUNCH_WEEK
    weekend, weekday = late & (day % 7 >= 5), late & (day % 7 < 5)
    if weekend.sum() < 2 or weekday.sum() < 5 or values[weekday].mean() <= 0:
        return None
    return float(values[weekend].mean() / values[weekday].mean())


def weekly_rhythm(observed: Observed, scenario, frontline_share: float,
                  exclude=()) -> tuple[dict[str, float], str | None]:  # fmt: skip
    """The values of :data:`WEEKEND` (and :data:`FRONTLINE`) that match the data's weekly
    rhythm on an organisation with ``frontline_share`` (0-1) frontline staff, and a line
    saying so; ``({}, None)`` when nothing is set (module docstring)."""
    if {WEEKEND, FRONTLINE} & set(exclude):
        return {}, None
    r = observed_ratio(observed)
    if r is None or not 0 < r < 1:
        return {}, None
    f = float(np.clip(frontline_share, 0.0, 1.0))
    if f >= 1:
        return {}, None
    visits, platform = scenario.visits, scenario.platform
    if platform.mobile_app:  # frontline staff visit fully on every day, on a phone
        wf = (r - f) / (1 - f) - platform.weekend_push
        if wf < 0:
            return {}, None
        values = {WEEKEND: float(min(wf, 1.0))}
    else:
        ff = visits.frontline_factor
        wf = (r * (f * ff + 1 - f) - f * ff) / (1 - f)
        if wf >= r / 2 or f == 0:
            values = {WEEKEND: float(min(max(wf, 0.0), 1.0))}
        else:  # the frontline staff alone set a higher floor: lower their effort
            wf = r / 2
            ff = (1 - f) * (r - wf) / (f * (1 - r))
            values = {WEEKEND: float(wf), FRONTLINE: float(min(ff, 1.0))}
    text = ", ".join(f"{k} = {v:.3g}" for k, v in values.items())
    line = (f"set {text}: the data read {r:.0%} as much at weekends as on weekdays (after the "
            f"launch week), with {f:.0%} frontline staff (fix or fit these fields to override)")  # fmt: skip
    return values, line


__all__ = ["observed_ratio", "weekly_rhythm"]
