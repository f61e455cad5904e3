"""Plain-language labels and number formats shared by the report, the terminal and notebooks.

``fmt`` writes a number for a reader (``pct``: a share 0-1 as a percentage, ``points``: a
difference of shares in percentage points, ``day``, ``ratio``, ``money``, ``count``);
:func:`target_label` turns ``wau>=0.4@180`` into "chance of 40 % weekly active by day 180".
"""

from __future__ import annotations

import math
from html import escape

from simulation.metrics.costs import ITEM_LABELS

# per-run figure -> (label, format)
LABELS = {
    "peak_wau": ("peak weekly active", "pct"),
    "peak_day": ("day of the peak", "day"),
    "sustained_wau": ("sustained weekly active (last 30 days)", "pct"),
    "mean_wau": ("weekly active, mean over the run", "pct"),
    "day_wau_25": ("day weekly active reached 25 %", "day"),
    "day_wau_50": ("day weekly active reached 50 %", "day"),
    "ebb_ratio": ("ebb ratio (sustained / peak)", "ratio"),
    "registered_final": ("registered at the end", "pct"),
    "never_registered": ("never registered", "pct"),
    "lurker_share": ("lurkers among weekly active", "pct"),
    "contributor_share": ("contributors among weekly active", "pct"),
    "heavy_share": ("heavy contributors among weekly active", "pct"),
    "top1pct_post_share": ("share of posts by the top 1 %", "pct"),
    "gini_posts": ("Gini of posts", "ratio"),
    "cost": ("total cost", "money"),
    "cost_per_sustained_wau": ("cost per sustained weekly-active person", "money"),
}
#: ``cost_<item>`` -> plain words, for every declared cost item (simulation.metrics.costs)
COST_LABELS = {f"cost_{item}": words for item, words in ITEM_LABELS.items()}
USE_LABELS = {
    "dau_of_registered": "registered people active on a day",
    "wau_of_registered": "registered people active in a week",
    "mobile_visit_share": "visits from a mobile device",
}
# daily series (targets with @DAY) -> (noun, format)
DAILY_LABELS = {
    "aware": ("aware", "pct"),
    "registered": ("registered", "pct"),
    "dau": ("daily active", "pct"),
    "wau": ("weekly active", "pct"),
    "mau": ("monthly active", "pct"),
    "wau_of_registered": ("weekly active among the registered", "pct"),
    "lurkers": ("lurkers", "pct"),
    "contributors": ("contributors", "pct"),
    "heavy_contributors": ("heavy contributors", "pct"),
    "posts": ("posts a day", "count"),
    "cross_department_interactions": ("cross-department interactions a day", "count"),
    "mobile_visit_share": ("visits from a mobile device", "pct"),
    "shadow_channel_users": ("on a shadow channel", "pct"),
    "facilitator_load": ("community managers' actions a day", "count"),
    "dau_of_registered": ("daily active among the registered", "pct"),
    "weekly_posters": ("weekly posters", "pct"),
}
_OPS = {">=": "at least", ">": "more than", "<=": "at most", "<": "under"}


def fmt(value, kind: str, signed: bool = False, currency: str | None = None) -> str:
    """A number for a reader: ``pct`` (share 0-1), ``points``, ``day``, ``ratio``, ``money``,
    ``count``; ``n/a`` when missing. ``money`` is prefixed with ``currency`` when given."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    sign = "+" if signed else ""
    if kind == "pct":
        return f"{value * 100:{sign}.1f} %"
    if kind == "points":
        return f"{value * 100:{sign}.1f} points"
    if kind == "day":
        return f"{value:{sign}.0f}"
    if kind == "money":
        text = f"{value:{sign},.0f}"
        return f"{currency} {text}" if currency else text
    if kind == "count":
        return f"{value:{sign},.0f}"
    return f"{value:{sign}.2f}"


def label(metric: str) -> str:
    """The plain label of a per-run figure, cost item or daily series."""
    if metric in LABELS:
        return LABELS[metric][0]
    if metric in COST_LABELS:
        return "cost of " + COST_LABELS[metric]
    if metric in DAILY_LABELS:
        return DAILY_LABELS[metric][0]
    return metric.replace("_", " ")


def kind_of(metric: str) -> str:
    """The format of a metric's values (see :func:`fmt`)."""
    if metric in LABELS:
        return LABELS[metric][1]
    if metric in COST_LABELS:
        return "money"
    return DAILY_LABELS.get(metric, (None, "ratio"))[1]


def target_label(target) -> str:
    """ "chance of 40 % weekly active by day 180" for ``wau>=0.4@180``."""
    level = fmt(target.level, kind_of(target.metric)).replace(".0 %", " %")
    if target.day is not None:
        noun = DAILY_LABELS.get(target.metric, (target.metric, ""))[0]
        if target.op == ">=":
            return f"chance of {level} {noun} by day {target.day}"
        return f"chance of {noun} {_OPS[target.op]} {level} on some day by day {target.day}"
    return f"chance of {label(target.metric)} {_OPS[target.op]} {level}"


def data_number(value) -> str:
    """A number for a ``data-*`` attribute, unrounded (``repr``); ``nan`` for None."""
    return "nan" if value is None else repr(float(value))


def bold(name: str) -> str:
    """``<b>name</b>``, the name escaped for HTML."""
    return f"<b>{escape(name)}</b>"


def difference_kind(metric: str) -> str:
    """The format of a difference between two values of ``metric``: shares in per cent differ
    by percentage points, others in their own format (see :func:`fmt`)."""
    kind = kind_of(metric)
    return "points" if kind == "pct" else kind
