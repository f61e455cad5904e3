"""Adoption rules: how an aware person comes to register.

Each rule is a pydantic model (its parameters, validated from the scenario file) with one
method, ``probability(engine, exposure) -> (replicates, people) float32``: today's probability
that each aware person registers, given ``exposure``, the tie-weighted share 0-1 of their
contacts who are registered users. The engine compares it with the ``adoption`` stream.
"""

from typing import Annotated

from pydantic import Field

from simulation.plan.adoption.bass import Bass
from simulation.plan.adoption.threshold import Threshold
from simulation.plan.adoption.utility import Utility

AdoptionRule = Annotated[Bass | Threshold | Utility, Field(discriminator="rule")]

__all__ = ["AdoptionRule", "Bass", "Threshold", "Utility"]
