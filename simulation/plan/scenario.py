"""The scenario file: a rollout plan as validated YAML (the README's Scenarios section).

Scenario files are data: they are read with the bounded safe loader of
:mod:`simulation.base.safe_yaml` and validated by pydantic. An unknown key, a wrong type or an
out-of-range value is a one-line :class:`ScenarioError` naming the file, the line and the field
path, e.g. ``grassroots.yaml:7: rollout.seeds: must be >= 1``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from simulation.base.counts import Count
from simulation.base.errors import ScenarioError
from simulation.base.limits import MAX_DAYS, MAX_SEED
from simulation.base.safe_yaml import YamlDocument, load_yaml
from simulation.base.validation_errors import data_path, field_path, format_validation_error
from simulation.model.activity import Posting, Reward, Visits
from simulation.model.habit import Habit
from simulation.model.need import Need
from simulation.model.platform import Culture, Platform
from simulation.model.workforce import Workforce
from simulation.org.source import OrganisationSource
from simulation.plan.adoption import AdoptionRule, Threshold
from simulation.plan.adoption.one_shot import OneShot
from simulation.plan.levers import LEVERS, AnyIntervention
from simulation.plan.levers.content_policy import ContentPolicy
from simulation.plan.levers.tie_emphasis import TieEmphasis
from simulation.plan.rollout import Announcement, RolloutStrategy
from simulation.plan.rollout.phases import as_phases

__all__ = ["Scenario", "Roles", "data_path", "field_path", "format_validation_error"]


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
    """Inputs of the per-run cost, in the currency named by ``currency``."""

    model_config = ConfigDict(extra="forbid")

    currency: str = Field(
        "EUR",
        min_length=1,
        max_length=12,
        description="Currency every cost of the plan is stated in (a code or symbol, shown in "
        "the report; no conversion). Default EUR (assumption: the amounts are the same numbers "
        "in any currency of similar value).",
    )

    licensing: Literal["per_seat", "per_registered"] = Field(
        "per_seat",
        description="per_seat: a licence for every employed person (head-count) for the whole "
        "run, as enterprise agreements are sold; per_registered: only for registered people, "
        "day by day (a vendor billing invited users). Default per_seat.",
    )
    licence_per_seat_month: float = Field(
        4.0,
        ge=0,
        description="Licence per seat per month (30 days). Default 4 (Workplace from Meta's "
        "basic plan: USD 4 per user per month, MediaPost 2024).",
    )
    mobile_app_per_month: float = Field(
        0.0,
        ge=0,
        description="Cost of the mobile app per month (30 days) from the day staff have it "
        "(``platform.mobile_app`` or a ``mobile_app`` lever's launch), e.g. a branded app's "
        "hosting and support. Default 0 (assumption: the mobile apps of the main ESN suites "
        "come with the seat licence).",
    )
    community_manager_per_day: float = Field(
        400.0,
        ge=0,
        description="Cost of one community manager for one day (a ``facilitation`` lever's "
        "manager-days). Default 400 (8 hours at 50 a hour: a specialist, a third above the "
        "euro area's average hourly labour cost of 37.3 in 2024, Eurostat 2025; the third is "
        "an assumption).",
    )
    event_per_day: float = Field(
        2000.0,
        ge=0,
        description="Cost of running a ``jam`` per event day: facilitators, preparation, "
        "communication. Default 2000 (assumption).",
    )
    employee_per_hour: float = Field(
        33.5,
        ge=0,
        description="Hourly labour cost of an employee: community set-up and moderation "
        "(``interest_communities``), training (``work_integration``). Default 33.5 (the EU's "
        "average hourly labour cost in 2024, wages and non-wage costs, Eurostat 2025).",
    )
    manager_per_hour: float = Field(
        46.0,
        ge=0,
        description="Hourly labour cost of a manager: ``manager_nudge``, ``sponsorship`` by "
        "managers. Default 46 (managers' mean gross hourly earnings in the EU, 28.6 in 2018, "
        "Eurostat SES 2018, raised by the rise of labour costs to 2024, 27.4 to 33.5, and "
        "divided by 0.753 for the non-wage costs, 24.7 % of labour costs, Eurostat 2025).",
    )
    executive_per_hour: float = Field(
        92.0,
        ge=0,
        description="Hourly labour cost of an executive: ``sponsorship`` by executives. Default "
        "92 (assumption: twice a manager's).",
    )
    integration_build: float = Field(
        50000.0,
        ge=0,
        description="One-off cost of integrating a business process with the platform (a "
        "``work_integration`` lever): development, testing, roll-out. Default 50,000 "
        "(assumption: a few months of an integration team).",
    )
    integration_upkeep_per_month: float = Field(
        800.0,
        ge=0,
        description="Upkeep of an integration per month while it runs (fixes, upgrades of both "
        "ends). Default 800 (assumption: about 20 % of the build a year).",
    )
    gamification_setup: float = Field(
        5000.0,
        ge=0,
        description="One-off cost of setting up points and badges (a ``gamification`` lever). "
        "Default 5,000 (assumption).",
    )
    gamification_per_month: float = Field(
        500.0,
        ge=0,
        description="Cost of the gamification add-on per month while it runs. Default 500 "
        "(assumption).",
    )


class Roles(BaseModel):
    """What the plan's roles stand for on the organisation it is written for.

    Each maps a role (built in, e.g. ``open_to_social``, or new) to the organisation's names;
    see :mod:`simulation.org.roles` for the built-in roles and the order of precedence.
    """

    model_config = ConfigDict(extra="forbid")

    departments: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Role -> department names, e.g. {open_to_social: [Sales, IT]}. Default none "
        "(roles resolve by the roles file or the heuristic).",
    )
    sites: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Role -> site names, e.g. {headquarters: [Zürich]}. Default none.",
    )
    levels: dict[str, list[int | str]] = Field(
        default_factory=dict,
        description="Role -> levels of the reporting tree (0 = top). Default none.",
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
    days: Count = Field(
        365,
        ge=1,
        le=MAX_DAYS,
        description="Days simulated (day 0 is a Monday); up to 30,000 (82 years) for yearly "
        "adoption data.",
    )
    mode: Literal["usage", "one_shot"] = Field(
        "usage",
        description="usage: people register, visit, post and may lapse. one_shot: "
        "registering is a lasting adoption (no lapse, no posts), as in classic diffusion data "
        "(Coleman, Katz & Menzel 1966); outputs then speak of adoption and leave out posts, "
        "their Gini and licences, in a fixed population (no workforce turnover). Default usage.",
    )
    seed: Count = Field(0, ge=0, le=MAX_SEED, description="Base seed; replicate k uses seed + k.")
    adoption: AdoptionRule = Field(default_factory=Threshold)
    awareness: Awareness = Field(default_factory=Awareness)
    rollout: RolloutStrategy = Field(
        default_factory=Announcement,
        description="Who is invited or registered, and when: one strategy (with a ``strategy`` "
        "field), or a list of them, the phases, each with its own start_day. Default an "
        "announcement to all on day 0.",
    )
    habit: Habit = Field(default_factory=Habit)
    visits: Visits = Field(default_factory=Visits)
    need: Need = Field(default_factory=Need)
    posting: Posting = Field(default_factory=Posting)
    reward: Reward = Field(default_factory=Reward)
    platform: Platform = Field(default_factory=Platform)
    culture: Culture = Field(default_factory=Culture)
    costs: Costs = Field(default_factory=Costs)
    workforce: Workforce = Field(default_factory=Workforce)
    interventions: list[AnyIntervention] = Field(
        default_factory=list,
        description="Levers acting day by day besides the rollout, each with a ``type`` "
        f"({', '.join(lever.model_fields['type'].default for lever in LEVERS)}). Default none.",
    )
    roles: Roles = Field(
        default_factory=Roles,
        description="What the roles used by the plan stand for on the organisation "
        "(departments, sites, levels); the command line's --departments and --sites come first, "
        "a roles file beside the HR export and the heuristic after. Default none.",
    )

    @field_validator("rollout", mode="before")
    @classmethod
    def _phases(cls, value: Any) -> Any:
        return as_phases(value)

    # Where the file was read from: relative paths in ``organisation`` resolve against it.
    _source: Path | None = None
    # Where each field was written (None when not read from a file): see ``line_of``.
    _document: YamlDocument | None = None
    # The file wrote ``rollout:`` as a list of phases (error paths then read ``rollout[1]``).
    _rollout_list: bool = False
    # Set by simulation.plan.names.resolve_names: each name field and what it resolved to.
    _name_uses: list | None = None

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

        ``document`` (from :func:`~simulation.base.safe_yaml.load_yaml`) gives the lines.
        """
        rollout_list = isinstance(data.get("rollout"), list)
        try:
            scenario = cls.model_validate(data)
        except ValidationError as exc:
            raise ScenarioError(
                format_validation_error(source or "scenario", exc, document, rollout_list)
            ) from None
        scenario._source = Path(source) if source is not None else None
        scenario._document = document
        scenario._rollout_list = rollout_list
        scenario.workforce.check_days(scenario.days, scenario.where)
        return scenario

    @model_validator(mode="after")
    def _one_shot_population_is_fixed(self) -> Scenario:
        """Classic diffusion data follow one fixed population: no joiners and leavers."""
        if self.mode != "one_shot" or self.workforce.annual_turnover == 0:
            return self
        if "annual_turnover" in self.workforce.model_fields_set:
            raise ValueError(
                "workforce.annual_turnover: mode one_shot follows one fixed population "
                "(a lasting adoption, as in classic diffusion data): leave it out or set it to 0"
            )
        self.workforce = self.workforce.model_copy(update={"annual_turnover": 0.0})
        return self

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
    def name_uses(self) -> list:
        """Each name field and what it resolved to (:class:`simulation.plan.names.NameUse`),
        once :func:`simulation.plan.names.resolve_names` has run; else empty."""
        return list(self._name_uses or [])

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
        if fields.get("days") is not None:  # a shorter run leaves out the intakes after its end
            flow = data["workforce"]
            flow["intakes"] = [i for i in flow["intakes"] if i["day"] < int(fields["days"])]
        try:
            out = Scenario.from_dict(data, source=self._source, document=self._document)
        except ScenarioError:
            # the file was valid: the given values are at fault, named as given, not as the
            # file's line they replaced (validated again on this error path only)
            given = ", ".join(f"{k}={v!r}" for k, v in fields.items() if v is not None)
            Scenario.from_dict(data, source=f"{given} (given for {self.name})")
            raise
        out._rollout_list = self._rollout_list
        out._name_uses = self._name_uses
        return out

    def digest(self) -> str:
        """A SHA-256 of the validated scenario (all defaults filled in), for the manifest."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
