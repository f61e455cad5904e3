"""Complex contagion (fractional threshold; Granovetter 1978, Centola 2010).

An aware person registers once the tie-weighted share of their contacts who are registered users
reaches their own threshold (drawn per person from a Beta distribution), at a daily rate ``rate``
(people act within days, not instantly). A small spontaneous rate ``p`` stands for innovators who
need no social proof; without it no cascade can start from an announcement alone.
"""

from __future__ import annotations

from typing import Literal

import numba
import numpy as np
from pydantic import ConfigDict, Field, model_validator

from simulation.plan.adoption.reach import Reach


class Threshold(Reach):
    """Fractional threshold rule with per-person thresholds ~ Beta(mean, concentration).

    With :class:`~simulation.plan.adoption.reach.Reach`'s market potential and global imitation.
    """

    model_config = ConfigDict(extra="forbid")

    rule: Literal["threshold"] = "threshold"
    threshold_mean: float = Field(
        0.25,
        gt=0,
        lt=1,
        description="Mean threshold: share 0-1 of one's contacts who must be registered users. "
        "Default 0.25 (assumption, tuned to the sign-up ceiling; Centola 2010 used 2 of ~6 contacts).",
    )
    threshold_concentration: float = Field(
        4.0,
        gt=0,
        le=1000,
        description="Concentration a+b of the Beta distribution of thresholds (people); lower "
        "means more spread. Default 4 (assumption: a wide spread of innovativeness, Rogers).",
    )
    rate: float = Field(
        0.15,
        gt=0,
        le=1,
        description="Daily probability of registering once over one's threshold, 0-1. Default 0.15 "
        "(assumption: people act within a week or so).",
    )
    p: float = Field(
        0.002,
        ge=0,
        le=1,
        description="Spontaneous daily registration probability of an aware person, 0-1 "
        "(innovators). Default 0.002 (assumption, ~2.5 % innovators within two weeks).",
    )

    reject_rate: float = Field(
        0.0123,
        ge=0,
        le=0.5,
        description="Daily probability 0-1 that an aware person still under their threshold "
        "decides against the platform for good (stage ``never``). Default 0.0123 (tuned by benchmarks/tune_patterns.py "
        "to the sign-up ceiling: 20-30 % never sign up where registration is voluntary, Deloitte "
        "2013; it puts it at 25-26 %, between that and SWOOP's 80-85 % reach).",
    )

    @model_validator(mode="after")
    def _social_proof_speeds_people_up(self) -> Threshold:
        # ``p`` is the chance *below* one's threshold, ``rate`` above it: with p > rate, people
        # would join more slowly once their contacts have joined, the rule turned upside down
        if self.p > self.rate:
            raise ValueError(
                f"p ({self.p:g}, the daily chance below one's threshold) is above rate "
                f"({self.rate:g}, the chance once over it): contacts joining would slow people "
                "down; keep p <= rate"
            )
        return self

    def draw_thresholds(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """Thresholds of ``size`` people, shares 0-1."""
        a = self.threshold_mean * self.threshold_concentration
        b = (1 - self.threshold_mean) * self.threshold_concentration
        return rng.beta(a, b, size).astype(np.float32)

    def probability(self, engine, exposure: np.ndarray) -> np.ndarray:
        """Daily registration probability of each aware person, shape (replicates, people)."""
        out = np.empty(exposure.shape, np.float32)
        _chance(exposure, engine.people.threshold, np.float32(self.rate), np.float32(self.p), out)
        return self.add_global(engine, out)

    def rejection(self, engine, exposure: np.ndarray) -> np.ndarray:
        """Daily probability that each aware person decides against it (stage ``never``).

        Compared with the *top* of the adoption draw (``u > 1 - rejection``), a region disjoint
        from adoption's (``u < probability``), so it needs no stream of its own.
        """
        out = np.empty(exposure.shape, np.float32)
        _chance(exposure, engine.people.threshold, np.float32(0), np.float32(self.reject_rate), out)
        return out


@numba.njit(cache=True, nogil=True)
def _chance(exposure, threshold, over, under, out):
    """``over`` where exposure has reached the threshold, ``under`` below it (float32, 2-D)."""
    for r in range(out.shape[0]):
        for i in range(out.shape[1]):
            out[r, i] = over if exposure[r, i] >= threshold[r, i] else under
