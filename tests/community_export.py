"""A community's Slack export made by hand, not by the model (issue 27's held-out shape).

A volunteer community launched to ``FIRST`` members on a Monday, a second intake of ``SECOND``
members in week 18, a trickle of joiners in between, then a long decline: each member has an
interest that ends (a core with a long interest, most with a short one), visits on most weekdays
while interested, rarely at weekends, and only now and then once it has ended; members post at
a raised rate in their first week (introductions). It follows each member day by day with its own
random numbers (seeded) and counts what Slack's workspace analytics export counts, in its own
columns and date format (``DD/MM/YYYY``): the export has the noise of a few hundred people and
nothing of the model's mechanisms, so a fit to it tests the model on data it did not make.

The defaults give about 95 % of members active in week 1, a third by week 8, a quarter by week
13, a rise at the intake and about 0.12 by week 52. ``variant`` draws other members from the
same shape with other rates (a harder, independent case).

    python tests/community_export.py OUT.csv [--weeks 52] [--variant K]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

LAUNCH = date(2025, 1, 6)  # a Monday


@dataclass(frozen=True)
class Shape:
    """The community's rates (days, shares 0-1 and daily probabilities)."""

    first: int = 320  # members at the launch (people)
    second: int = 300  # the intake's members (people)
    intake_day: int = 7 * 17  # day of the intake (week 18)
    trickle: float = 0.3  # other joiners a day (people, Poisson)
    core: float = 0.24  # share of members with a long interest
    core_days: float = 200.0  # mean length of a long interest (days)
    short_days: float = 25.0  # mean length of a short interest (days)
    weekday: float = 0.5  # daily visit probability while interested, Monday to Friday
    weekend: float = 0.08  # ... Saturday and Sunday
    after: float = 0.006  # daily visit probability once the interest has ended
    post: float = 0.13  # chance a visit includes a post
    introduction: float = 0.45  # ... in the member's first 7 days


def variant(k: int) -> Shape:
    """Another community of the same shape with other rates (k = 0: the defaults)."""
    if k == 0:
        return Shape()
    rng = np.random.default_rng(1000 + k)
    return Shape(
        first=int(rng.integers(200, 500)),
        second=int(rng.integers(150, 450)),
        intake_day=int(rng.integers(14, 22)) * 7 - 7,
        trickle=float(rng.uniform(0.2, 1.0)),
        core=float(rng.uniform(0.18, 0.35)),
        core_days=float(rng.uniform(220, 450)),
        short_days=float(rng.uniform(15, 40)),
        weekday=float(rng.uniform(0.3, 0.5)),
        weekend=float(rng.uniform(0.03, 0.12)),
        after=float(rng.uniform(0.003, 0.01)),
    )


def export(weeks: int = 52, seed: int = 27, shape: Shape | None = None) -> pd.DataFrame:
    """The export: one row per day, Slack's columns, oldest first."""
    shape = shape or Shape()
    rng = np.random.default_rng(seed)
    days = 7 * weeks
    joins = [np.zeros(shape.first, dtype=np.int64)]
    joins.append(np.full(shape.second, shape.intake_day))
    trickle = rng.poisson(shape.trickle, days)
    trickle[0] = 0
    joins.append(np.repeat(np.arange(days), trickle))
    joined = np.concatenate(joins)
    n = joined.size
    long = rng.random(n) < shape.core
    length = np.where(
        long, rng.exponential(shape.core_days, n), rng.exponential(shape.short_days, n)
    )
    ends = joined + length
    last_visit = np.full(n, -(10**6))
    last_post = np.full(n, -(10**6))
    rows = []
    for day in range(days):
        when = LAUNCH + timedelta(days=day)
        member = joined <= day
        weekend = when.weekday() >= 5
        interested = member & (day < ends)
        p = np.where(interested, shape.weekend if weekend else shape.weekday, shape.after)
        if weekend:
            p = np.where(interested, p, p / 3)
        visits = member & (rng.random(n) < p)
        new = (day - joined) < 7
        posts = visits & (rng.random(n) < np.where(new, shape.introduction, shape.post))
        last_visit[visits] = day
        last_post[posts] = day
        rows.append(
            {
                "Date": when.strftime("%d/%m/%Y"),
                "Total enabled membership": int(member.sum()),
                "Daily active members": int(visits.sum()),
                "Daily members posting messages": int(posts.sum()),
                "Weekly active members": int((member & (last_visit > day - 7)).sum()),
                "Weekly members posting messages": int((member & (last_post > day - 7)).sum()),
                "Messages in public channels": int(posts.sum() * 2),
            }
        )
    return pd.DataFrame(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--variant", type=int, default=0)
    parser.add_argument("--seed", type=int, default=27)
    args = parser.parse_args(argv)
    frame = export(args.weeks, args.seed, variant(args.variant))
    frame.to_csv(args.out, index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
