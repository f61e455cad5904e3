"""The scenario file: a rollout plan as validated YAML (DESIGN.md section 4).

Scenario files are data: they are read with ``yaml.safe_load`` and validated by pydantic. An
unknown key, a wrong type or an out-of-range value is a one-line :class:`ScenarioError` naming
the file and the field path, e.g. ``grassroots.yaml: rollout.seeds: must be >= 1``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulation.activity import Posting, Reward, Visits
from simulation.adoption import AdoptionRule, Threshold
from simulation.adoption.one_shot import OneShot
from simulation.errors import ScenarioError
from simulation.habit import Habit
from simulation.interventions import AnyIntervention
from simulation.interventions.presets import ContentPolicy, TieEmphasis
from simulation.platform import Culture, Platform
from simulation.rollout import Announcement, RolloutStrategy


class Awareness(BaseModel):
    """How people hear of the platform besides the rollout's own invitations."""

    model_config = ConfigDict(extra="forbid")

    word_of_mouth: float = Field(
        0.1,
        ge=0,
        le=1,
        description="Daily probability 0-1 that an unaware person hears of it when all of their "
        "contacts are registered users; scaled by that share. Default 0.1 (assumption).",
    )
    background: float = Field(
        0.0,
        ge=0,
        le=1,
        description="Daily probability 0-1 of hearing of it from elsewhere (intranet news). "
        "Default 0.",
    )


class Costs(BaseModel):
    """Inputs of the per-run cost (currency units of the user's choice)."""

    model_config = ConfigDict(extra="forbid")

    licence_per_seat_month: float = Field(
        4.0,
        ge=0,
        description="Licence per registered seat per month (30 days). Default 4 (assumption: "
        "list prices of ESN add-ons are a few dollars per user per month).",
    )


class Scenario(BaseModel):
    """A rollout plan: the organisation, the rules, the rollout and the levers."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="Used in outputs.")
    description: str = Field("", description="What real rollout this plan represents.")
    organisation: dict[str, Any] | None = Field(
        None,
        description="{generate: {size: N, ...}} | {hr_csv: path, columns: {...}, ties: path} | "
        "{edgelist: path, attributes: path} | {dataset: name}. Default: a generated "
        "organisation of 2,000 people.",
    )
    days: int = Field(
        365,
        ge=1,
        le=30000,
        description="Days simulated (day 0 is a Monday); up to 30,000 (82 years) for yearly "
        "adoption data.",
    )
    mode: Literal["usage", "one_shot"] = Field(
        "usage",
        description="usage: people register, visit, post and may lapse. one_shot: "
        "registering is a lasting adoption (no lapse, no posts), as in classic diffusion data "
        "(Coleman, Katz & Menzel 1966); outputs then speak of adoption and leave out posts, "
        "their Gini and licences. Default usage.",
    )
    seed: int = Field(0, ge=0, description="Base seed; replicate k uses seed + k.")
    adoption: AdoptionRule = Field(default_factory=Threshold)
    awareness: Awareness = Field(default_factory=Awareness)
    rollout: RolloutStrategy = Field(default_factory=Announcement)
    habit: Habit = Field(default_factory=Habit)
    visits: Visits = Field(default_factory=Visits)
    posting: Posting = Field(default_factory=Posting)
    reward: Reward = Field(default_factory=Reward)
    platform: Platform = Field(default_factory=Platform)
    culture: Culture = Field(default_factory=Culture)
    costs: Costs = Field(default_factory=Costs)
    interventions: list[AnyIntervention] = Field(
        default_factory=list,
        description="Levers acting day by day besides the rollout, each with a ``type`` "
        "(facilitation, sponsorship, mobile_app, shadow_channel, interest_communities, "
        "work_integration, jam, holdouts, gamification). Default none.",
    )

    # Where the file was read from: relative paths in ``organisation`` resolve against it.
    _source: Path | None = None

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Read and validate a scenario file; raises :class:`ScenarioError` on bad input."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ScenarioError(f"{path}: cannot read ({exc.strerror})") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or "invalid YAML"
            raise ScenarioError(f"{path}{line}: {problem}") from None
        if not isinstance(data, dict):
            raise ScenarioError(
                f"{path}: a scenario must be a mapping of fields, got {type(data).__name__}"
            )
        scenario = cls.from_dict(data, source=path)
        return scenario

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str | Path | None = None) -> Scenario:
        """Validate a mapping; errors name ``source`` (or ``scenario``) and the field path."""
        try:
            scenario = cls.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(format_validation_error(source or "scenario", exc)) from None
        scenario._source = Path(source) if source is not None else None
        return scenario

    @property
    def base_dir(self) -> Path:
        """The folder relative paths in this scenario resolve against."""
        return self._source.parent if self._source is not None else Path.cwd()

    def levers(self) -> list:
        """The objects that act on each day besides the rollout, in file order.

        The interventions, then the presets the culture and platform ask for (a work-only content
        policy, a tie emphasis other than 1). A default scenario has none.
        """
        levers: list = list(self.interventions)
        culture, platform = self.culture, self.platform
        if culture.content_policy == "work_only":
            levers.append(
                ContentPolicy(culture.work_only_feed_factor, culture.work_only_reward_loss)
            )
        if platform.cross_tie_weight != 1.0:
            levers.append(TieEmphasis(platform.cross_tie_weight))
        if self.mode == "one_shot":
            levers.append(OneShot())
        return levers

    def with_overrides(self, **fields: Any) -> Scenario:
        """A copy with top-level fields replaced and validated (``days``, ``seed``...)."""
        data = self.model_dump(mode="python")
        data.update({k: v for k, v in fields.items() if v is not None})
        out = Scenario.from_dict(data, source=self._source)
        return out

    def digest(self) -> str:
        """A SHA-256 of the validated scenario (all defaults filled in), for the manifest."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def format_validation_error(source: str | Path, exc: ValidationError) -> str:
    """One line: ``file: field.path: message`` for the first error (and a count of the others)."""
    errors = exc.errors()
    first = errors[0]
    path = field_path(first["loc"])
    message = _MESSAGES.get(first["type"], first["msg"])
    if first["type"] == "union_tag_invalid":
        ctx = first.get("ctx") or {}
        message = f"unknown value {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
    else:
        for pattern, short in _SHORTER:
            message = re.sub(pattern, short, message)
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"{source}: {path or '(top)'}: {message}{more}".replace("\n", " ")


# Discriminated unions add the member's tag to an error's location: drop it from the path.
_UNION_FIELDS = {"adoption", "rollout"}
_LIST_OF_UNIONS = {"interventions"}
_MESSAGES = {"extra_forbidden": "unknown field", "missing": "required field missing"}
_SHORTER = [
    (r"Input should be greater than or equal to", "must be >="),
    (r"Input should be less than or equal to", "must be <="),
    (r"Input should be greater than", "must be >"),
    (r"Input should be less than", "must be <"),
    (r"Input should be", "must be"),
]


def field_path(loc: tuple) -> str:
    """``rollout.seeds`` or ``interventions[0].community_managers`` from a pydantic location."""
    parts: list[str] = []
    for i, part in enumerate(loc):
        previous = loc[i - 1] if i >= 1 else None
        in_union = previous in _UNION_FIELDS and i == 1
        in_list = i >= 2 and isinstance(previous, int) and loc[i - 2] in _LIST_OF_UNIONS
        if isinstance(part, str) and (in_union or in_list) and i < len(loc) - 1:
            continue
        parts.append(f"[{part}]" if isinstance(part, int) else f".{part}")
    return "".join(parts).lstrip(".")
