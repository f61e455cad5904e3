"""The published patterns the default calibration must reproduce (docs/validation.md lists each with its source).

Each :class:`Pattern` names its statistic, the published figure, the accepted range, the
source and its role; :mod:`simulation.analysis.validate` computes the statistics and compares.

Roles (:data:`ROLES`):

- ``tuned``: the defaults are tuned to it (``benchmarks/tune_patterns.py`` tunes on these only);
- ``held-out``: no default is tuned to it by that script; it is a prediction that must hold;
- ``reported``: a figure the model is compared with but that is not (yet) a pass / fail check:
  either no published figure exists (the model's value is a prediction) or the model does not
  meet it and docs/validation.md says why. ``esnsim validate`` prints ``beyond`` for a reported
  pattern outside its range and does not fail on it.
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
    role: str = "tuned"

    @property
    def prediction(self) -> bool:
        """Whether no published figure bounds it (no range: the model's value is a prediction)."""
        return self.low == float("-inf") and self.high == float("inf")

    @property
    def range_text(self) -> str:
        """The accepted range as text: ``"0.1 to 1"``, or ``"no range"`` for a prediction."""
        return "no range" if self.prediction else f"{self.low:g} to {self.high:g}"

    @property
    def checked(self) -> bool:
        """Whether the pattern is a pass / fail check (tuned or held out)."""
        return self.role != "reported"


ROLES = ("tuned", "held-out", "reported")
# Short forms; the full references (authors, title, venue, address) are in docs/validation.md.
FISHER = (
    "Fisher, Kim & Cummings, 'Abandoning innovations: network evidence on enterprise "
    "collaboration software', Duke University working paper (undated; 49,000 employees)"
)
SWOOP_2018 = "Lock Lee & Dawson 2018, SWOOP Analytics' Benchmarking of Yammer Networks 2018"
SWOOP_2023 = "SWOOP Analytics 2022, Yammer and Viva Engage Benchmarking Report 2022/23"
NHSR = (
    "NHS-R Community, Slack workspace analytics export 2019-2024 (github.com/nhs-r-community/"
    "metrics, CC0); read at run time from $ESNSIM_DATA/communities/"
)
TRAFFYK = "Traffyk.ai 2024, 'Is it time to put Yammer out to pasture?'"


PATTERNS = [
    Pattern(
        "bass_limit",
        "Bass limit: max error of the mean adoption curve",
        "0 (curve)",
        "complete graph, Bass rule p=0.003 q=0.038, no habit; max over 150 days of "
        "|mean share registered - F(t)|",
        0.0,
        0.02,
        "Bass 1969, Management Science 15(5)",
        "held-out",
    ),
    Pattern(
        "lurkers",
        "participation inequality: lurkers / weekly active",
        "80-90 %",
        "all_staff_announcement; last 30 days; lurkers / wau",
        0.80,
        0.90,
        "Nielsen 2006, Participation inequality (90-9-1)",
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
        "Deloitte TMT Predictions 2013, Enterprise social networks",
    ),
    Pattern(
        "weekly_readers",
        "sign-up ceiling: weekly active / registered",
        "about a third",
        "all_staff_announcement; last 30 days; wau_of_registered",
        0.25,
        0.45,
        "Deloitte TMT Predictions 2013, Enterprise social networks",
    ),
    Pattern(
        "reach",
        "reach vs engagement: staff who ever visited",
        "80-85 %",
        "all_staff_announcement; share of staff with a visit by day 365",
        0.70,
        0.90,
        SWOOP_2023,
        "held-out",
    ),
    Pattern(
        "read_only",
        "reach vs engagement: of those who visited, never posted",
        "almost 60 %",
        "all_staff_announcement; people with a visit and no post in 365 days / people with a visit",
        0.50,
        0.70,
        SWOOP_2023,
    ),
    Pattern(
        "ebb_fall",
        "ebb: fall of weekly active from its peak",
        ">= 10 %",
        "all_staff_announcement; 1 - (mean wau of the last 30 days) / (peak wau)",
        0.10,
        1.0,
        FISHER,
    ),
    Pattern(
        "ebb_registered",
        "ebb: registered still rising after the peak",
        "> 0",
        "all_staff_announcement; registered on the last day - registered on the peak day "
        "(share of staff)",
        0.005,
        1.0,
        FISHER,
    ),
    Pattern(
        "overambitious",
        "overambitious seeding: gradual minus all-at-once, sustained wau",
        "> 0",
        "grassroots - top_down_mandate; mean wau of the last 60 days (paired seeds)",
        0.01,
        1.0,
        "Iyer & Adamic 2019, Applied Network Science 4:38",
    ),
    Pattern(
        "hub_seeding",
        "hub seeding: hubs minus random seeds, registered at day 180",
        "> 0",
        "hub_seeding (15 hubs) - the same with 15 random seeds; share registered on day 180",
        0.01,
        1.0,
        "Hinz, Skiera, Barrot & Becker 2011, J. Marketing 75(6)",
        "held-out",
    ),
    Pattern(
        "jam",
        "Jam: audience visiting during the 3-day event",
        "about 50 %",
        "jam; share of the audience (all staff) with a visit on days 60-62",
        0.35,
        0.90,
        "Hot Spots Movement 2013 (FoWlab Jams); IBM ValuesJam 2003",
    ),
    Pattern(
        "frontline_ratio",
        "frontline: weekly active, frontline / desk (no app)",
        "< 55 %",
        "no_mobile_frontline_heavy (60 % frontline); last 30 days; frontline wau share / desk "
        "wau share",
        0.0,
        0.55,
        "Workplace by Facebook 2019, Deskless not Voiceless (54 % of frontline staff voiceless)",
        "held-out",
    ),
    Pattern(
        "shadow_channel",
        "frontline: on a shadow channel at day 365 (no app)",
        "> 50 %",
        "no_mobile_frontline_heavy; share of frontline staff on the shadow channel, last day",
        0.50,
        1.0,
        "Yapster 2017 survey (over half use personal messaging apps for work)",
        "held-out",
    ),
    Pattern(
        "frequent_visitors",
        "visit frequency: monthly active visiting more than twice a week",
        "< 30 %",
        "all_staff_announcement; last 28 days; people with more than 8 visit days / people "
        "with at least one",
        0.0,
        0.30,
        TRAFFYK,
        "held-out",
    ),
    Pattern(
        "top_weekly",
        "top end: sustained weekly active, best shipped plan",
        "30-40 % (best published organisations)",
        "every scenarios/*.yaml; per replicate the largest mean weekly active share of the "
        "last 30 days",
        0.0,
        0.40,
        SWOOP_2018,
        "tuned",
    ),
    Pattern(
        "top_monthly",
        "top end: sustained monthly active, best shipped plan",
        "80-85 % ever reach (average)",
        "every scenarios/*.yaml; per replicate the largest mean monthly active share of the "
        "last 30 days",
        0.0,
        0.85,
        SWOOP_2023,
        "tuned",
    ),
    Pattern(
        "long_ebb_ratio",
        "long ebb: weekly active / registered by year three (steady inflow)",
        "0.08-0.11 in year three, 0.16 in year one (NHS-R Community Slack)",
        "community_steady_inflow (four years); mean wau_of_registered of days 1067-1094",
        0.0,
        0.15,
        NHSR,
        "held-out",
    ),
    Pattern(
        "long_ebb_posters",
        "long ebb: weekly posters / weekly active in years three and four",
        "0.24-0.38 (NHS-R Community Slack)",
        "community_steady_inflow; weekly_posters / wau over days 730-1459",
        0.2,
        0.4,
        NHSR,
        "held-out",
    ),
    Pattern(
        "long_ebb_drift",
        "long ebb: weekly active / registered, end of year four over end of year one",
        "about 0.55 (NHS-R Community Slack: 0.16 to 0.06-0.09)",
        "community_steady_inflow; 28-day mean wau_of_registered before day 1460 / before day 365",
        0.0,
        0.9,
        NHSR,
        "held-out",
    ),
    Pattern(
        "jam_after_4",
        "Jam after-effect: share of the rise in visits left 4 weeks later",
        "none published (prediction)",
        "jam (grassroots, all-staff Jam days 60-62); (daily visits of days 88-94 - days 46-59) / "
        "(days 60-62 - days 46-59)",
        float("-inf"),
        float("inf"),
        "none found: a prediction of the model",
        "reported",
    ),
    Pattern(
        "jam_after_12",
        "Jam after-effect: share of the rise in visits left 12 weeks later",
        "none published (prediction)",
        "jam; as above with days 144-150",
        float("-inf"),
        float("inf"),
        "none found: a prediction of the model",
        "reported",
    ),
]
BY_KEY = {p.key: p for p in PATTERNS}
