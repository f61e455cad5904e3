"""A held-out pilot export made by hand, not by the model (issue 26).

A 600-person pilot's Viva Engage activity report (user counts per day, the admin centre's
columns, newest date first), 56 days from Monday 2026-03-02: 65 % read on launch day, a launch
week that falls off, then weekdays falling from about 28 % to 18 % read per day, weekends and
three public holidays near 2 %, posters about a tenth of readers. The counts are binomial draws
around that shape (seeded), so the export has the noise of 600 people and nothing of the
model's mechanisms: a fit to it is a test of the model on data it did not make.

    python tests/pilot_export.py OUT.csv
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

PEOPLE = 600
DAYS = 56
LAUNCH = date(2026, 3, 2)  # a Monday, like the model's day 0
#: three public holidays (weekdays after the launch week): St Joseph, Good Friday, Easter Monday
HOLIDAYS = (date(2026, 3, 19), date(2026, 4, 3), date(2026, 4, 6))
#: launch week, Monday to Friday: share 0-1 of the head-count who read that day
LAUNCH_WEEK = (0.65, 0.48, 0.40, 0.35, 0.31)
QUIET = 0.02  # weekends and holidays


def shares(days: int = DAYS) -> np.ndarray:
    """The expected share 0-1 of readers on each day (the shape before the counting noise)."""
    out = np.empty(days)
    for day in range(days):
        when = LAUNCH + timedelta(days=day)
        if when.weekday() >= 5 or when in HOLIDAYS:
            out[day] = QUIET
        elif day < 7:
            out[day] = LAUNCH_WEEK[day]
        else:  # weekdays of weeks 2 to 8: from 28 % down to 18 %, linearly
            out[day] = 0.28 - 0.10 * (day - 7) / (days - 1 - 7)
    return out


def export(seed: int = 26, days: int = DAYS, people: int = PEOPLE) -> pd.DataFrame:
    """The activity report: ``Report Refresh Date, Liked, Posted, Read, Report Date, Report
    Period``, newest date first, as exported."""
    rng = np.random.default_rng(seed)
    read = rng.binomial(people, shares(days))
    posted = rng.binomial(read, 0.1)
    dates = [LAUNCH + timedelta(days=d) for d in range(days)]
    frame = pd.DataFrame(
        {
            "Report Refresh Date": (dates[-1] + timedelta(days=1)).isoformat(),
            "Liked": rng.binomial(read, 0.15),
            "Posted": posted,
            "Read": read,
            "Report Date": [d.isoformat() for d in dates],
            "Report Period": 90,
        }
    )
    return frame.iloc[::-1]


def write(path) -> Path:
    path = Path(path)
    export().to_csv(path, index=False)
    return path


def holiday_days() -> list[int]:
    """The holidays as model days (day 0 = the launch)."""
    return [(d - LAUNCH).days for d in HOLIDAYS]


if __name__ == "__main__":
    print("written", write(sys.argv[1] if len(sys.argv) > 1 else "pilot_export.csv"))
