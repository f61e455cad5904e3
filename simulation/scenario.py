"""The scenario file: a rollout plan as validated YAML (DESIGN.md section 4).

Scenario files are data: they are read with the bounded safe loader of
:mod:`simulation.safe_yaml` and validated by pydantic. An unknown key, a wrong type or an
out-of-range value is a one-line :class:`ScenarioError` naming the file, the line and the field
path, e.g. ``grassroots.yaml:7: rollout.seeds: must be >= 1``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from simulation.activity import Posting, Reward, Visits
from simulation.adoption import AdoptionRule, Threshold
from simulation.errors import ScenarioError
from simulation.habit import Habit
from simulation.interventions import AnyIntervention
from simulation.interventions.presets import ContentPolicy, TieEmphasis
from simulation.limits import MAX_SEED
from simulation.org.source import OrganisationSource
from simulation.platform import Culture, Platform
from simulation.rollout import Announcement, RolloutStrategy
from simulation.safe_yaml import YamlDocument, load_yaml


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
    organisation: OrganisationSource | None = Field(
        None,
        description="{generate: {size: N, ...}} | {hr_csv: path, columns: {...}, ties: path} | "
        "{edgelist: path, attributes: path} | {dataset: name}. Default: a generated "
        "organisation of 2,000 people.",
        json_schema_extra={"odd": False},  # an input, not a model parameter
    )
    days: int = Field(365, ge=1, le=3650, description="Days simulated (day 0 is a Monday).")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Base seed; replicate k uses seed + k.")
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
    # Where each field was written (None when not read from a file): see ``line_of``.
    _document: YamlDocument | None = None

    @classmethod
    def load(cls, path: str | Path) -> Scenario:
        """Read and validate a scenario file; raises :class:`ScenarioError` on bad input."""
        path = Path(path)
        document = load_yaml(path)
        data = document.data
        if not isinstance(data, dict):
            raise ScenarioError(
                f"{path}: a scenario must be a mapping of fields, got {type(data).__name__}"
            )
        scenario = cls.from_dict(data, source=path, document=document)
        return scenario

    @classmethod
    def from_dict(
        cls,
        data: dict[str, Any],
        source: str | Path | None = None,
        document: YamlDocument | None = None,
    ) -> Scenario:
        """Validate a mapping; errors name ``source`` (or ``scenario``), the line and the field.

        ``document`` (from :func:`~simulation.safe_yaml.load_yaml`) gives the lines.
        """
        try:
            scenario = cls.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(
                format_validation_error(source or "scenario", exc, document)
            ) from None
        scenario._source = Path(source) if source is not None else None
        scenario._document = document
        return scenario

    def line_of(self, path: tuple) -> int | None:
        """The 1-based line where field ``path`` (e.g. ``("rollout", "departments", 1)``) or its
        nearest written parent is in the scenario file; ``None`` when not read from a file."""
        return self._document.line_of(path) if self._document is not None else None

    def where(self, path: tuple = ()) -> str:
        """``file:line`` of field ``path`` for error messages (``scenario`` without a file)."""
        if self._document is not None:
            return self._document.where(path)
        return str(self._source) if self._source is not None else "scenario"

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
        return levers

    def with_overrides(self, **fields: Any) -> Scenario:
        """A copy with top-level fields replaced and validated (``days``, ``seed``...)."""
        data = self.model_dump(mode="python")
        data.update({k: v for k, v in fields.items() if v is not None})
        out = Scenario.from_dict(data, source=self._source, document=self._document)
        return out

    def digest(self) -> str:
        """A SHA-256 of the validated scenario (all defaults filled in), for the manifest."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def format_validation_error(
    source: str | Path, exc: ValidationError, document: YamlDocument | None = None
) -> str:
    """One line: ``file:line: field.path: message`` for the first error (and a count of the
    others); the line comes from ``document`` when given."""
    # an unknown field (a typo) says more than the missing field it was meant to be
    errors = sorted(exc.errors(), key=lambda error: error["type"] != "extra_forbidden")
    first = errors[0]
    path = field_path(first["loc"])
    if document is not None:
        line = document.line_of(data_path(first["loc"]))
        source = f"{source}:{line}" if line is not None else source
    message = _MESSAGES.get(first["type"], first["msg"])
    ctx = first.get("ctx") or {}
    if first["type"] == "union_tag_invalid":
        message = f"unknown value {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
    elif first["type"] == "union_tag_not_found":
        message = f"needs a {ctx.get('discriminator', 'type')} field".replace("'", "")
    else:
        for pattern, short in _SHORTER:
            message = re.sub(pattern, short, message)
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"{source}: {path or '(top)'}: {message}{more}".replace("\n", " ")


# Discriminated unions add the member's tag to an error's location: drop it from the path.
_UNION_FIELDS = {"adoption", "rollout"}
_LIST_OF_UNIONS = {"interventions"}
_MESSAGES = {
    "extra_forbidden": "unknown field",
    "missing": "required field missing",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "dict_type": "must be a mapping",
}
_SHORTER = [
    (r"Input should be greater than or equal to", "must be >="),
    (r"Input should be less than or equal to", "must be <="),
    (r"Input should be greater than", "must be >"),
    (r"Input should be less than", "must be <"),
    (r"Input should be", "must be"),
]


def data_path(loc: tuple) -> tuple:
    """The path in the data (``("interventions", 0, "community_managers")``) of a pydantic
    location, without the union members' tags pydantic inserts."""
    parts: list = []
    for i, part in enumerate(loc):
        previous = loc[i - 1] if i >= 1 else None
        in_union = previous in _UNION_FIELDS and i == 1
        in_list = i >= 2 and isinstance(previous, int) and loc[i - 2] in _LIST_OF_UNIONS
        if isinstance(part, str) and (in_union or in_list) and i < len(loc) - 1:
            continue
        parts.append(part)
    return tuple(parts)


def field_path(loc: tuple) -> str:
    """``rollout.seeds`` or ``interventions[0].community_managers`` from a pydantic location."""
    parts = (f"[{part}]" if isinstance(part, int) else f".{part}" for part in data_path(loc))
    return "".join(parts).lstrip(".")
