"""The published patterns the default calibration must reproduce (docs/validation.md lists each with its source).

Each :class:`Pattern` names its statistic, the published figure, the accepted range and the
source; :mod:`simulation.analysis.validate` computes the statistics and compares.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pattern:
    """A published pattern, its statistic and the range the statistic must fall in."""

    key: str
    name: str
    published: str
    statistic: str
    low: float
    high: float
    source: str


PATTERNS = [
    Pattern(
        "bass_limit",
        "Bass limit: max error of the mean adoption curve",
        "0 (curve)",
        "complete graph, Bass rule p=0.003 q=0.038, no habit; max over 150 days of "
        "|mean share registered - F(t)|",
        0.0,
        0.02,
        "Bass 1969; Fibich et al. 2023",
    ),
    Pattern(
        "lurkers",
        "participation inequality: lurkers / weekly active",
        "80-90 %",
        "all_staff_announcement; last 30 days; lurkers / wau",
        0.80,
        0.90,
        "Nielsen 2006 (90-9-1); SWOOP 2016",
    ),
    Pattern(
        "contributors",
        "participation inequality: contributors / weekly active",
        "9-16 %",
        "all_staff_announcement; last 30 days; contributors (1 to heavy_per_week - 1 posts in 7 "
        "days) / wau",
        0.09,
        0.16,
        "Nielsen 2006",
    ),
    Pattern(
        "heavy",
        "participation inequality: heavy contributors / weekly active",
        "1-4 %",
        "all_staff_announcement; last 30 days; heavy contributors (>= heavy_per_week posts in 7 "
        "days) / wau",
        0.01,
        0.04,
        "Nielsen 2006",
    ),
    Pattern(
        "never_registered",
        "sign-up ceiling: never registered at day 365",
        "20-30 %",
        "all_staff_announcement (voluntary); 1 - registered on the last day",
        0.20,
        0.30,
        "Deloitte TMT Predictions 2013",
    ),
    Pattern(
        "weekly_readers",
        "sign-up ceiling: weekly active / registered",
        "about a third",
        "all_staff_announcement; last 30 days; wau_of_registered",
        0.25,
        0.45,
        "Deloitte TMT Predictions 2013",
    ),
    Pattern(
        "reach",
        "reach vs engagement: staff who ever visited",
        "80-85 %",
        "all_staff_announcement; share of staff with a visit by day 365",
        0.70,
        0.90,
        "SWOOP 2022/23 (97 organisations)",
    ),
    Pattern(
        "read_only",
        "reach vs engagement: of those who visited, never posted",
        "almost 60 %",
        "all_staff_announcement; people with a visit and no post in 365 days / people with a visit",
        0.50,
        0.70,
        "SWOOP 2022/23",
    ),
    Pattern(
        "ebb_fall",
        "ebb: fall of weekly active from its peak",
        ">= 10 %",
        "all_staff_announcement; 1 - (mean wau of the last 30 days) / (peak wau)",
        0.10,
        1.0,
        "Fisher, Kim & Cummings 2018",
    ),
    Pattern(
        "ebb_registered",
        "ebb: registered still rising after the peak",
        "> 0",
        "all_staff_announcement; registered on the last day - registered on the peak day "
        "(share of staff)",
        0.005,
        1.0,
        "Fisher, Kim & Cummings 2018",
    ),
    Pattern(
        "overambitious",
        "overambitious seeding: gradual minus all-at-once, sustained wau",
        "> 0",
        "grassroots - top_down_mandate; mean wau of the last 60 days (paired seeds)",
        0.01,
        1.0,
        "Iyer & Adamic 2018/2019",
    ),
    Pattern(
        "hub_seeding",
        "hub seeding: hubs minus random seeds, registered at day 180",
        "> 0",
        "hub_seeding (15 hubs) - the same with 15 random seeds; share registered on day 180",
        0.01,
        1.0,
        "Hinz et al. 2011",
    ),
    Pattern(
        "jam",
        "Jam: audience visiting during the 3-day event",
        "about 50 %",
        "jam; share of the audience (all staff) with a visit on days 60-62",
        0.35,
        0.90,
        "seed 004 (FoWlab Jams); IBM ValuesJam 2003",
    ),
    Pattern(
        "frontline_ratio",
        "frontline: weekly active, frontline / desk (no app)",
        "< 55 %",
        "no_mobile_frontline_heavy (60 % frontline); last 30 days; frontline wau share / desk "
        "wau share",
        0.0,
        0.55,
        "Meta 2021",
    ),
    Pattern(
        "shadow_channel",
        "frontline: on a shadow channel at day 365 (no app)",
        "> 50 %",
        "no_mobile_frontline_heavy; share of frontline staff on the shadow channel, last day",
        0.50,
        1.0,
        "Yapster 2017",
    ),
]
BY_KEY = {p.key: p for p in PATTERNS}
