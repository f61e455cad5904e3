"""Champions: the K people to seed for the most sustained weekly active, with lapse on.

    search = ChampionSearch("hub_seeding", org="generate:size=2000", budget=10, replicates=20)
    result = search.run()
    result.people        # the champions with why (department, level, ties, bridges)
    result.comparison    # searched minus each heuristic, paired, on fresh seeds
    result.curve         # the outcome against the number seeded, per method

The steps: cheap scores rank the candidates (:mod:`.candidates`); each candidate is run alone
and its footprint kept, who is weekly active at the end in each replicate (:mod:`.footprints`);
a lazy-greedy search chooses ``budget`` of them (:mod:`.search`), every set scored by the
scenario's sustained weekly active in ``replicates`` runs with the same seeds (:mod:`.evaluate`),
while the greedy max coverage of the footprints proposes sets whose members reach different
people (:mod:`.coverage`); swaps improve the best of the greedy, coverage and heuristic sets,
screened on validation seeds and confirmed on other seeds (:mod:`.refine`); then, on fresh
seeds, the chosen set and the heuristics at the budget (``check_replicates`` runs) and at every
point of a curve (``curve_replicates`` runs), whose coarse tail reaches the whole head-count
(:mod:`.compare`).

When the informal ties are generated (an HR export without a ties file: the organisation's real
people, made-up relations), the scores are the reporting tree's, and every set is scored over
several draws of the generated ties (one per block of replicates), so that a champion is chosen
for their place in the tree and their department, never for ties that were made up.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation.base.errors import InputError
from simulation.experiments.champions import candidates
from simulation.experiments.champions.compare import (
    curve,
    curve_table,
    paired,
    tail,
    turning_points,
)
from simulation.experiments.champions.coverage import cover_proposals
from simulation.experiments.champions.evaluate import SetScorer, check_budget
from simulation.experiments.champions.explain import by_contribution, people_table
from simulation.experiments.champions.footprints import footprints
from simulation.experiments.champions.refine import Refinement, refine
from simulation.experiments.champions.search import SearchResult, celf
from simulation.experiments.sim import resolve_org, resolve_scenario
from simulation.org.ties import build_informal_ties, tie_rng
from simulation.plan.names import resolve_names

#: draws of the generated ties a set is scored over (at most one per replicate)
TIE_DRAWS = 4
#: the fresh seeds of the check start this far above the search's
CHECK_OFFSET = 100_000
#: the validation seeds of the swaps start this far above the search's
VALIDATION_OFFSET = 50_000
#: the seeds that confirm a swap start this far above the search's (twice the validation's runs)
CONFIRM_OFFSET = 70_000
#: runs per set of the check at the budget: the paired SD of a difference between two good
#: sets is about 1.3-2.3 points a run on a generated 2,000-person organisation, so 300 runs
#: give a 90 % interval of about +-0.15 points (the heuristics' sets at K = 10 differ by 0.1 to
#: 0.8 points there; 100 runs, +-0.3, left most of them unresolved)
CHECK_REPLICATES = 300
GENERATED_TIES = (
    "The informal ties of this organisation are generated (an HR export without a ties file): "
    "champions are ranked on the reporting tree and departments only."
)


def ties_generated(org, org_spec, scenario) -> bool:
    """Whether the organisation is real people with generated informal ties.

    True for an HR export read without observed ties: the organisation says so
    (``ties_origin == "generated"`` with a source file), or, for an organisation that does not
    say, its source does (``--org`` a CSV path, or a scenario's ``organisation: {hr_csv: ...}``
    without ``ties:``). A generated organisation is synthetic throughout (its ties are its own
    people's); a data set or an edge list is observed.
    """
    origin = getattr(org, "ties_origin", None)
    if origin is not None:
        return origin == "generated" and getattr(org, "source", None) is not None
    if isinstance(org_spec, str):
        kind, sep, _ = org_spec.strip().partition(":")
        return not (sep and kind.strip().lower() in ("generate", "dataset", "edgelist"))
    if org_spec is None and scenario.organisation is not None:
        source = scenario.organisation
        return source.kind == "hr_csv" and source.ties is None
    return False


def tie_options(scenario) -> dict:
    """The scenario's options of generated ties (``organisation: {hr_csv: ..., cross_ties: 3}``)."""
    source = scenario.organisation
    if source is None or source.kind != "hr_csv":
        return {}
    names = ("team_tie_prob", "cross_ties", "long_range_ties", "homophily_department")
    names += ("homophily_site",)
    return {n: getattr(source, n) for n in names if getattr(source, n) is not None}


@dataclass
class ChampionsResult:
    """What :meth:`ChampionSearch.run` found; see the module docstring."""

    scenario: object
    org: object
    budget: int
    tree_only: bool
    search: SearchResult
    refinement: Refinement
    people: pd.DataFrame
    curve_runs: pd.DataFrame
    curve: pd.DataFrame
    comparison: pd.DataFrame
    turning: dict
    seeds: list[int]
    check_seeds: list[int]
    seconds: float
    search_seconds: float
    notes: list[str] = field(default_factory=list)
    curve_replicates: int = 0  # runs per set at the curve's points other than the budget

    @property
    def ids(self) -> list[str]:
        """The champions' employee ids, the biggest contribution first."""
        return self.people["employee_id"].astype(str).tolist()

    evaluations: int = 0  # sets scored by the search, greedy and swaps

    @property
    def evaluations_per_second(self) -> float:
        """Sets scored per second of the search (each with every replicate)."""
        return self.evaluations / max(self.search_seconds, 1e-9)

    search_runs: int = 0  # runs of the search (sets x replicates), footprints and validation's
    check_runs: int = 0  # runs of the check (sets x replicates), the curve's included

    @property
    def replicate_years(self) -> int:
        """Runs of the search (sets x replicates), the validation's included."""
        return self.search_runs or self.evaluations * len(self.seeds)


class ChampionSearch:
    """Search the champions of ``scenario`` on ``org``; see the module docstring.

    Parameters
    ----------
    scenario : Scenario, path, shipped name or mapping
        The plan; its seeding rollouts (champions, hub_seeding, random_seeds, grassroots) are
        replaced by the champions, its other phases and levers kept.
    org : Organisation or str, optional
        The organisation or an ``--org`` spec (default: the scenario's).
    budget : int
        Champions to choose (K), 1 to the head-count.
    replicates : int
        Runs per candidate set in the search (common random numbers). Default 20.
    check_replicates : int, optional
        Runs per set of the check on fresh seeds at the budget, where the methods are compared
        (default :data:`CHECK_REPLICATES`, at least ``replicates``).
    curve_replicates : int, optional
        Runs per set at the curve's other points (default ``2 x replicates``, at most
        ``check_replicates``).
    validation_replicates : int, optional
        Runs per set on the validation seeds that choose the swaps' start and screen the swaps
        (default ``2 x replicates``); a swap is confirmed on twice as many fresh runs.
    seed : int, optional
        Seed of the search's first replicate (default the scenario's).
    recheck : int
        Top entries of the queue re-evaluated in each round (see :mod:`.search`). Default 3.
    swap_rounds : int
        Most rounds of swaps after the greedy search (:mod:`.refine`): each screens the sets
        one swap away on the validation seeds and confirms the best on fresh ones. Default 3.
    per_score : int, optional
        Candidates taken by each cheap score (default ``max(10, 2 x budget)``).
    curve_max : int, optional
        Largest number seeded on the curve's every method (default ``4 x budget``, at most the
        head-count); above it, a coarse tail of top degree and random people reaches the whole
        head-count (:data:`simulation.experiments.champions.compare.TAIL_SHARES`).
    cover : bool
        Propose the greedy max coverage of the candidates' footprints, and its near variants,
        as starts of the swaps (default True).
    evaluator : simulation.experiments.pool.Evaluator, optional
        Where chunks of sets run (default: this process).
    tree_only : bool, optional
        Rank on the reporting tree and departments only (default: when the ties are generated,
        :func:`ties_generated`).
    """

    def __init__(
        self,
        scenario,
        org=None,
        budget: int = 10,
        replicates: int = 20,
        check_replicates: int | None = None,
        curve_replicates: int | None = None,
        validation_replicates: int | None = None,
        seed: int | None = None,
        recheck: int = 3,
        swap_rounds: int = 3,
        per_score: int | None = None,
        curve_max: int | None = None,
        evaluator=None,
        tree_only: bool | None = None,
        columns: dict | None = None,
        roles: dict | None = None,
        days: int | None = None,
        cover: bool = True,
    ):
        base = resolve_scenario(scenario).with_overrides(days=days, seed=seed)
        self.org = resolve_org(org, base, columns=columns)
        check_budget(budget, self.org)
        self.scenario = resolve_names(base, self.org, roles)
        if self.scenario.mode != "usage" or not self.scenario.habit.enabled:
            raise InputError(
                f"{self.scenario.name}: champions are searched with lapse and abandonment on "
                "(mode: usage, habit.enabled: true); this plan has them off"
            )
        self.budget = int(budget)
        self.replicates = int(replicates)
        if self.replicates < 1:
            raise InputError("--replicates: must be >= 1")
        self.check_replicates = int(check_replicates or max(CHECK_REPLICATES, self.replicates))
        self.curve_replicates = min(
            int(curve_replicates or 2 * self.replicates), self.check_replicates
        )
        self.validation_replicates = int(validation_replicates or 2 * self.replicates)
        self.cover = bool(cover)
        self.recheck = int(recheck)
        self.swap_rounds = int(swap_rounds)
        self.per_score = per_score
        self.curve_max = min(self.org.size, int(curve_max or 4 * self.budget))
        if self.curve_max < self.budget:
            raise InputError(f"--curve-max {curve_max}: must be at least --budget {budget}")
        self.evaluator = evaluator
        self.tree_only = (
            ties_generated(self.org, org, base) if tree_only is None else bool(tree_only)
        )
        self.progress: Callable[[float], None] | None = None
        self.on_step = None

    @property
    def seeds(self) -> list[int]:
        return [self.scenario.seed + k for k in range(self.replicates)]

    @property
    def validation_seeds(self) -> list[int]:
        """Other seeds that choose the swaps' start and screen the swaps (:mod:`.refine`)."""
        first = self.scenario.seed + VALIDATION_OFFSET
        return [first + k for k in range(self.validation_replicates)]

    @property
    def confirm_seeds(self) -> list[int]:
        """Fresh seeds on which a swap must be clearly better to be kept (:mod:`.refine`)."""
        first = self.scenario.seed + CONFIRM_OFFSET
        return [first + k for k in range(2 * self.validation_replicates)]

    @property
    def check_seeds(self) -> list[int]:
        """Fresh seeds of the check at the budget; the curve's other points use the first
        ``curve_replicates`` of them."""
        first = self.scenario.seed + CHECK_OFFSET
        return [first + k for k in range(self.check_replicates)]

    def blocks(self, seeds: list[int], draw: int) -> list[tuple]:
        """(organisation, seeds) blocks: one, or one per draw of generated ties."""
        if not self.tree_only:
            return [(self.org, seeds)]
        draws = min(TIE_DRAWS, len(seeds))
        options = tie_options(self.scenario)
        out = []
        for t, part in enumerate(np.array_split(np.asarray(seeds), draws)):
            rng = tie_rng(draw + t)
            ties = build_informal_ties(
                self.org.manager, self.org.department, self.org.site, rng, **options
            )
            out.append((dataclasses.replace(self.org, ties=ties), [int(s) for s in part]))
        return out

    def run(self) -> ChampionsResult:
        """Search, then check on fresh seeds; returns a :class:`ChampionsResult`."""
        clock = time.perf_counter()
        scores = candidates.scores(self.org, self.tree_only, seed=self.scenario.seed)
        pool = candidates.pool(self.org, scores, self.budget, self.per_score)
        # the search's tie draws start at 1 000 (the organisation's own seed is usually small)
        search_blocks = self.blocks(self.seeds, 1000)
        scorer = SetScorer(search_blocks, self.scenario, self.evaluator)
        scorer.progress = self.progress
        # each candidate alone, once: its footprint, and its value for the greedy's first round
        prints, singles = footprints(
            search_blocks, self.scenario, pool, scorer.evaluator, self.progress
        )
        scorer.evaluations += pool.size
        scorer.replicate_years += pool.size * scorer.replicates
        found = celf(
            scorer, pool, self.budget, recheck=self.recheck, on_step=self.on_step, singles=singles
        )
        starts = {"greedy": found.people}
        proposals = cover_proposals(prints, pool, self.budget) if self.cover else {}
        starts.update(proposals)
        starts.update(candidates.heuristics(self.org, scores, self.budget))
        ranked = sorted(found.last_gains, key=lambda c: -found.last_gains[c])
        validator = SetScorer(
            self.blocks(self.validation_seeds, 3000), self.scenario, self.evaluator, self.progress
        )
        confirmer = SetScorer(
            self.blocks(self.confirm_seeds, 4000), self.scenario, self.evaluator, self.progress
        )
        refined = refine(
            scorer, starts, np.asarray(ranked), rounds=self.swap_rounds, validator=validator,
            confirmer=confirmer,
        )  # fmt: skip
        search_seconds = time.perf_counter() - clock
        at_budget = SetScorer(
            self.blocks(self.check_seeds, 2000), self.scenario, self.evaluator, self.progress
        )
        checker = at_budget
        if self.curve_replicates < self.check_replicates:
            seeds = self.check_seeds[: self.curve_replicates]
            checker = SetScorer(
                self.blocks(seeds, 2000), self.scenario, self.evaluator, self.progress
            )
        # below the budget the curve follows the champions in the order of champions.csv (the
        # biggest contribution first: "if only k of them"); at the budget, the whole set
        ranked_final = refined.people[by_contribution(refined.losses)]
        runs = curve(
            checker, self.org, scores, (ranked_final, refined.people), self.budget, self.curve_max,
            seed=self.scenario.seed + CHECK_OFFSET, at_budget=at_budget,
            tail_points=tail(self.org.size, self.curve_max),
        )  # fmt: skip
        table = curve_table(runs)
        notes = [GENERATED_TIES] if self.tree_only else []
        return ChampionsResult(
            scenario=self.scenario,
            org=self.org,
            budget=self.budget,
            tree_only=self.tree_only,
            search=found,
            people=people_table(self.org, scores, refined.people, refined.losses),
            refinement=refined,
            curve_runs=runs,
            curve=table,
            comparison=paired(runs, self.budget),
            turning={m: turning_points(table, m) for m in table["method"].unique()},
            seeds=self.seeds,
            check_seeds=self.check_seeds,
            seconds=time.perf_counter() - clock,
            search_seconds=search_seconds,
            notes=notes,
            curve_replicates=checker.replicates,
            evaluations=scorer.evaluations + validator.evaluations + confirmer.evaluations,
            search_runs=sum(s.replicate_years for s in (scorer, validator, confirmer)),
            check_runs=sum(
                s.replicate_years for s in {id(s): s for s in (checker, at_budget)}.values()
            ),
        )
