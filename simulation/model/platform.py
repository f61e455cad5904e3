"""The platform and the culture it lands in.

Work integration (the share of daily work that the platform carries), whether staff have a true
mobile app, and the weight of ties across departments. An ``archetype`` fills whichever of these
the scenario leaves unset (docs/ODD.md, platform archetypes):

=============  ================  ==========  ================
archetype      work_integration  mobile_app  cross_tie_weight
=============  ================  ==========  ================
social_first   0.1               false       1.0   (Yammer, Jive, Chatter: a social feed)
integrated     0.3               false       1.0   (CRM, project and document tools built in)
chat_first     0.2               true        0.5   (Slack: strong in teams, weak across)
mobile_first   0.1               true        1.0   (Workplace: the app first)
=============  ================  ==========  ================

Magnitudes are assumptions; the ranking follows Uncommon Business 2014 ("the second generation of ESNs ...
giving your employees a reason to use it on a daily basis").
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

ARCHETYPES: dict[str, dict[str, Any]] = {
    "social_first": {"work_integration": 0.1, "mobile_app": False, "cross_tie_weight": 1.0},
    "integrated": {"work_integration": 0.3, "mobile_app": False, "cross_tie_weight": 1.0},
    "chat_first": {"work_integration": 0.2, "mobile_app": True, "cross_tie_weight": 0.5},
    "mobile_first": {"work_integration": 0.1, "mobile_app": True, "cross_tie_weight": 1.0},
}


class Platform(BaseModel):
    """Platform properties that change the cost and the value of a visit."""

    model_config = ConfigDict(extra="forbid")

    archetype: Literal["social_first", "integrated", "chat_first", "mobile_first"] | None = Field(
        None,
        description="Preset filling work_integration, mobile_app and cross_tie_weight where the "
        "scenario leaves them unset: social_first | integrated | chat_first | mobile_first (table "
        "in simulation/model/platform.py). Default none (the fields' own defaults).",
    )
    work_integration: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Share 0-1 of daily work the platform carries (business tools integrated): "
        "adds to the daily visit probability and to each visit's reward. Default 0.1 "
        "(assumption: a first-generation social platform; Uncommon Business 2014 point 1).",
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
        "app pushes notifications. Default 0.25 (assumption; Uncommon Business 2014 point 4).",
    )
    mobile_desk_share: float = Field(
        0.2,
        ge=0,
        le=1,
        description="Share 0-1 of desk staff's working-day visits made on the app when there is "
        "one. Default 0.2 (assumption).",
    )
    cross_tie_weight: float = Field(
        1.0,
        ge=0,
        le=10,
        description="Weight of ties across departments relative to ties within one: how far "
        "content travels beyond the team (0-10, 1 = as the organisation's ties). Default 1.",
    )

    @model_validator(mode="before")
    @classmethod
    def _archetype(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("archetype") in ARCHETYPES:
            data = {**ARCHETYPES[data["archetype"]], **data}
        return data


class Culture(BaseModel):
    """An organisation-level prior on the disposition to share (Uncommon Business 2014 point 5)."""

    model_config = ConfigDict(extra="forbid")

    sharing: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Culture of sharing, 0-1; 0.5 is neutral. Posting probability is multiplied "
        "by 2 * sharing. Default 0.5.",
    )
    content_policy: Literal["open", "work_only"] = Field(
        "open",
        description="open: small talk, jokes and push-back allowed (people treated as adults); "
        "work_only: moderated to work topics, a sterile community (an unattributed article ('the social enterprise must be social')). Default open.",
    )
    work_only_feed_factor: float = Field(
        0.7,
        ge=0,
        le=1,
        description="Multiplier 0-1 of the feed's value under a work_only policy (less of what "
        "makes people look). Default 0.7 (assumption).",
    )
    work_only_reward_loss: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Reward 0-1 taken off each visit under a work_only policy (no rapport, no "
        "banter). Default 0.05 (assumption).",
    )
