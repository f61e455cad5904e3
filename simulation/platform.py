"""The platform and the culture it lands in.

Core settings only: work integration (the share of daily work that the platform carries) and
whether staff have a true mobile app. Archetype presets and the content policy build on these.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Platform(BaseModel):
    """Platform properties that change the cost and the value of a visit."""

    model_config = ConfigDict(extra="forbid")

    work_integration: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Share 0-1 of daily work the platform carries (business tools integrated): "
        "adds to the daily visit probability and to each visit's reward. Default 0.1 "
        "(assumption: a first-generation social platform; seed 002 point 1).",
    )
    mobile_app: bool = Field(
        False,
        description="Whether a true mobile app (push notifications) exists from day 0: removes "
        "the frontline effort cost and brings weekend visits. Default false.",
    )
    weekend_push: float = Field(
        0.25,
        ge=0,
        le=1,
        description="Added multiplier 0-1 of desk staff's weekend visit probability when a mobile "
        "app pushes notifications. Default 0.25 (assumption; seed 002 point 4).",
    )
    mobile_desk_share: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Share 0-1 of desk staff's working-day visits made on the app when there is "
        "one. Default 0.2 (assumption).",
    )


class Culture(BaseModel):
    """An organisation-level prior on the disposition to share (seed 002 point 5)."""

    model_config = ConfigDict(extra="forbid")

    sharing: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Culture of sharing, 0-1; 0.5 is neutral. Posting probability is multiplied "
        "by 2 * sharing. Default 0.5.",
    )
