"""The one-shot mode: adoption as a single, lasting decision (no lapse, no posts).

Classic diffusion data (a doctor's first prescription, a family-planning method) record when
each person adopted, once; nothing is "used" afterwards. In ``mode: one_shot`` the scenario's
registration is that adoption: a lever scales every day's posting and lapse probabilities by 0,
so nobody posts and nobody lapses, and the per-run figures about posts, their inequality and
licence costs are not reported (NaN). ``habit: {enabled: false}`` still means what it always
did (no habit dynamics, no lapse; posts go on).
"""

from __future__ import annotations

import numpy as np

ONE_SHOT = "one_shot"
#: per-run figures that mean nothing without use (posts, their inequality, licences)
NOT_REPORTED = (
    "lurker_share",
    "contributor_share",
    "heavy_share",
    "top1pct_post_share",
    "gini_posts",
    "cost",
)


def is_one_shot(scenario) -> bool:
    """Whether ``scenario`` runs in the one-shot mode."""
    return getattr(scenario, "mode", "usage") == ONE_SHOT


class OneShot:
    """The lever behind ``mode: one_shot``: no posts and no lapse, every day."""

    def __repr__(self) -> str:
        return "OneShot()"

    def apply(self, engine, day: int) -> None:
        engine.today.scale("post_factor", np.float32(0.0))
        engine.today.scale("lapse_factor", np.float32(0.0))
