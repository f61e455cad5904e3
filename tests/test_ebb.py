"""The ebb (Hot Spots Movement 2013; Fisher, Kim & Cummings, undated): active users fall as sign-ups rise."""

from __future__ import annotations

import numpy as np

from simulation.model.engine import Engine
from simulation.plan.names import resolve_names
from tests.conftest import scenario


def test_weekly_active_peaks_then_falls_while_registered_keeps_rising(org_2000):
    # default habit parameters, everyone invited at once, 20 replicates
    sc = scenario(days=365, rollout={"strategy": "announcement"})
    engine = Engine(org_2000, resolve_names(sc, org_2000), seeds=range(20)).run()
    wau = engine.records.values["wau"].mean(axis=1)
    registered = engine.records.values["registered"].mean(axis=1)
    peak_day = int(np.argmax(wau))
    assert 7 <= peak_day < 300, "the peak must come after the launch week and before the end"
    sustained = wau[-30:].mean()
    assert sustained <= 0.9 * wau[peak_day], (sustained, wau[peak_day])
    assert registered[-1] > registered[peak_day]
    # lapsed users stay registered: the registered share of current staff falls only when
    # registered people leave or new hires arrive unregistered (15 % turnover a year: under 0.1
    # point a day in the mean of 20 replicates; a lapse that unregistered would show far more)
    assert np.all(np.diff(registered) >= -0.001)


def test_people_quit_more_when_fewer_contacts_are_active(org_2000):
    # Fisher, Kim & Cummings (undated): the lapse hazard falls with the share of one's contacts who are active.
    sc = scenario(days=1)
    engine = Engine(org_2000, resolve_names(sc, org_2000), seeds=[0])
    habit = np.full((1, 4), 0.05, np.float32)
    exposure = np.array([[0.0, 0.25, 0.5, 1.0]], np.float32)
    prob = sc.habit.lapse_probability(habit, exposure)[0]
    assert np.all(np.diff(prob) < 0)
    assert engine.people.stage.shape == (1, org_2000.size)
