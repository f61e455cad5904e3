"""Value for money: the plans ranked on the outcome and on what each extra person costs.

Computed once from a comparison's per-run figures (``summary.parquet`` rows with
``cost_per_sustained_wau``):

- :func:`value_for_money`: every plan's mean outcome and cost, and against the **cheapest**
  plan (lowest mean cost) the paired extra cost, the paired extra sustained weekly-active people
  (``sustained_wau`` x head-count) and their ratio, the extra cost per extra person; a plan that
  costs at least as much as another and does no better is *dominated*. With a budget, the answer
  is the plan with the best mean outcome among those whose mean cost is within it, with the
  chance (share of replicates, Wilson interval) that its cost stays within it;
- :func:`lever_table`: for one plan, each lever removed in turn (the same seeds: common random
  numbers), its paired effect on the outcome and its paired cost, and the check that the effects
  add up: the plan minus the plan with no levers, against the sum of the effects (the
  difference is the levers' interaction, with its paired interval).

Intervals are 90 % (:mod:`simulation.metrics.replicates`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.base.errors import InputError
from simulation.metrics.lead import LOWER_IS_BETTER
from simulation.metrics.replicates import mean_interval, wilson

PEOPLE = "sustained_wau"  # the figure that counts people: sustained weekly active


@dataclass
class LeverTable:
    """Each lever of ``plan`` removed in turn.

    Attributes
    ----------
    rows : DataFrame
        ``lever, effect, effect_low, effect_high, cost, cost_low, cost_high, extra_people,
        cost_per_extra_person, n``: the plan minus the plan without that lever, paired (effect
        on the outcome; cost; people = effect on ``sustained_wau`` x head-count); then
        ``without_outcome`` and ``without_cost``, the means of the plan without it.
    total : dict
        The plan minus the plan with no levers: ``mean, low, high`` of the outcome, and ``cost``.
    remainder : dict
        ``mean, low, high`` of the total minus the sum of the effects, per replicate: the levers'
        interaction (0 when their effects add up).
    """

    plan: str
    outcome: str
    rows: pd.DataFrame
    total: dict
    remainder: dict

    @property
    def sum_of_effects(self) -> float:
        return float(self.rows["effect"].sum())


@dataclass
class ValueForMoney:
    """Every plan's outcome and cost, and what each extra person costs against the cheapest.

    Attributes
    ----------
    plans : DataFrame
        One row per plan, ranked on the outcome (best first): ``scenario, rank, outcome,
        cost, cost_low, cost_high, extra_cost, extra_cost_low, extra_cost_high, extra_people,
        extra_people_low, extra_people_high, cost_per_extra_person, dominated, within_budget,
        budget_chance, budget_chance_low, budget_chance_high``.
    cheapest : str
        The plan with the lowest mean cost (the reference of the extra figures).
    best : str
        The answer: the best plan on the outcome, within the budget when there is one.
    leader : str
        The best plan on the outcome, whatever it costs.
    """

    outcome: str
    headcount: int
    budget: float | None
    plans: pd.DataFrame
    cheapest: str
    best: str
    leader: str
    levers: LeverTable | None = None
    #: why there is no lever table though one was asked for ('' otherwise)
    levers_note: str = ""

    def row(self, name: str) -> pd.Series:
        return self.plans.set_index("scenario").loc[name]

    def statistics(self) -> pd.DataFrame:
        """The figures in ``compare.parquet``'s long layout (section ``value``; ``reference``
        the cheapest plan, or the budget's answer for ``within_budget``)."""
        rows = []
        for r in self.plans.itertuples():
            for metric in ("extra_cost", "extra_people"):
                rows.append(
                    {
                        "scenario": r.scenario,
                        "metric": metric,
                        "mean": getattr(r, metric),
                        "low": getattr(r, f"{metric}_low"),
                        "high": getattr(r, f"{metric}_high"),
                        "n": int(r.n),
                        "reference": self.cheapest,
                    }
                )
            rows.append(
                {
                    "scenario": r.scenario,
                    "metric": "cost_per_extra_person",
                    "mean": r.cost_per_extra_person,
                    "low": np.nan,
                    "high": np.nan,
                    "n": int(r.n),
                    "reference": self.cheapest,
                }
            )
            if self.budget is not None:
                rows.append(
                    {
                        "scenario": r.scenario,
                        "metric": "within_budget",
                        "mean": r.budget_chance,
                        "low": r.budget_chance_low,
                        "high": r.budget_chance_high,
                        "n": int(r.n),
                        "reference": None,
                    }
                )
        return pd.DataFrame(rows)


def _paired(runs: pd.DataFrame, a: str, b: str, column: str) -> np.ndarray:
    """Per replicate, plan ``a``'s ``column`` minus plan ``b``'s (replicates both ran)."""
    x = runs[runs["scenario"] == a].set_index("replicate")[column]
    y = runs[runs["scenario"] == b].set_index("replicate")[column]
    common = x.index.intersection(y.index)
    diff = x.loc[common].to_numpy(np.float64) - y.loc[common].to_numpy(np.float64)
    return diff[~np.isnan(diff)]


def _mean(runs: pd.DataFrame, name: str, column: str) -> float:
    return float(runs.loc[runs["scenario"] == name, column].mean())


def per_extra_person(extra_cost: float, people: tuple[float, float, float]) -> float:
    """Extra cost per extra person: NaN unless the extra people are clearly above 0 (their
    interval's lower end; a ratio over a difference that may be 0 means nothing)."""
    mean, low, _ = people
    if not (low > 0) or mean <= 0:
        return float("nan")
    return float(extra_cost / mean)


def check_budget(budget: float | None) -> float | None:
    """``budget`` as a float, refusing a negative or non-finite one (:class:`InputError`)."""
    if budget is None:
        return None
    value = float(budget)
    if not np.isfinite(value) or value < 0:
        raise InputError(f"--budget {budget}: must be a finite amount >= 0")
    return value


def value_for_money(
    runs: pd.DataFrame,
    names: list[str],
    outcome: str,
    headcount: int,
    budget: float | None = None,
) -> ValueForMoney:
    """Rank ``names`` on ``outcome`` and price each extra person against the cheapest plan.

    Parameters
    ----------
    runs : DataFrame
        Per-run figures of every plan (``scenario, replicate, cost, sustained_wau`` and
        ``outcome``).
    names : list of str
        The plans, in the comparison's order (ties keep it).
    outcome : str
        The per-run figure the plans are ranked on (lower is better for costs and days).
    headcount : int
        People in the organisation (to count sustained weekly-active people).
    budget : float, optional
        The most the plan may cost over the run (currency units): the answer is then the best
        plan whose mean cost is within it; :class:`InputError` if no plan's is.
    """
    budget = check_budget(budget)
    grouped = runs.groupby("scenario", sort=False)
    mean_cost = grouped["cost"].mean().reindex(names)
    mean_outcome = grouped[outcome].mean().reindex(names)
    cheapest = str(mean_cost.idxmin())
    sign = -1.0 if outcome in LOWER_IS_BETTER else 1.0
    order = sorted(names, key=lambda n: (-(sign * mean_outcome[n]), names.index(n)))
    rows = []
    for rank, name in enumerate(order, start=1):
        mine = runs[runs["scenario"] == name]
        cost = mine["cost"].to_numpy(np.float64)
        extra_cost = mean_interval(_paired(runs, name, cheapest, "cost"))
        people = mean_interval(_paired(runs, name, cheapest, PEOPLE) * headcount)
        if name == cheapest:
            extra_cost = people = (0.0, 0.0, 0.0)
        dominated = any(
            mean_cost[o] <= mean_cost[name] and sign * mean_outcome[o] > sign * mean_outcome[name]
            for o in names
            if o != name
        )
        row = {
            "scenario": name,
            "rank": rank,
            "outcome": float(mean_outcome[name]),
            "cost": float(mean_cost[name]),
            "cost_low": float(np.quantile(cost, 0.05)),
            "cost_high": float(np.quantile(cost, 0.95)),
            "extra_cost": extra_cost[0],
            "extra_cost_low": extra_cost[1],
            "extra_cost_high": extra_cost[2],
            "extra_people": people[0],
            "extra_people_low": people[1],
            "extra_people_high": people[2],
            "cost_per_extra_person": per_extra_person(extra_cost[0], people),
            "dominated": bool(dominated),
            "n": len(cost),
            "within_budget": True,
            "budget_chance": np.nan,
            "budget_chance_low": np.nan,
            "budget_chance_high": np.nan,
        }
        if budget is not None:
            hits = int((cost <= budget).sum())
            low, high = wilson(hits, len(cost))
            row.update(
                within_budget=bool(mean_cost[name] <= budget),
                budget_chance=hits / len(cost),
                budget_chance_low=low,
                budget_chance_high=high,
            )
        rows.append(row)
    plans = pd.DataFrame(rows)
    affordable = plans[plans["within_budget"]]
    if budget is not None and affordable.empty:
        raise InputError(
            f"--budget {budget:,.0f}: below the cheapest plan, {cheapest} "
            f"({mean_cost[cheapest]:,.0f} on average over the run)"
        )
    return ValueForMoney(
        outcome=outcome,
        headcount=int(headcount),
        budget=budget,
        plans=plans,
        cheapest=cheapest,
        best=str(affordable["scenario"].iloc[0]),
        leader=str(plans["scenario"].iloc[0]),
    )


def lever_table(
    runs: pd.DataFrame,
    plan: str,
    without: dict[str, str],
    none: str,
    outcome: str,
    headcount: int,
) -> LeverTable:
    """Each lever's paired effect and cost in ``plan``, and whether the effects add up.

    Parameters
    ----------
    runs : DataFrame
        Per-run figures of ``plan``, of each variant without one lever and of the variant with
        none, all with the same seeds (``scenario`` names them).
    plan : str
        The plan.
    without : dict
        Lever label -> the name of the variant without that lever.
    none : str
        The name of the variant with no levers.
    outcome : str
        The per-run figure the effects are on.
    headcount : int
        People in the organisation.
    """
    rows = []
    effects = []
    for lever, variant in without.items():
        effect = _paired(runs, plan, variant, outcome)
        cost = mean_interval(_paired(runs, plan, variant, "cost"))
        people = mean_interval(_paired(runs, plan, variant, PEOPLE) * headcount)
        mean, low, high = mean_interval(effect)
        effects.append(effect)
        rows.append(
            {
                "lever": lever,
                "effect": mean,
                "effect_low": low,
                "effect_high": high,
                "cost": cost[0],
                "cost_low": cost[1],
                "cost_high": cost[2],
                "extra_people": people[0],
                "cost_per_extra_person": per_extra_person(cost[0], people),
                "n": len(effect),
                "without_outcome": _mean(runs, variant, outcome),
                "without_cost": _mean(runs, variant, "cost"),
            }
        )
    total = _paired(runs, plan, none, outcome)
    t_mean, t_low, t_high = mean_interval(total)
    total_cost = float(np.mean(_paired(runs, plan, none, "cost"))) if len(total) else np.nan
    if effects and all(len(e) == len(total) for e in effects):
        rest = total - np.sum(effects, axis=0)
    else:
        rest = np.array([np.nan])
    r_mean, r_low, r_high = mean_interval(rest)
    return LeverTable(
        plan=plan,
        outcome=outcome,
        rows=pd.DataFrame(rows),
        total={"mean": t_mean, "low": t_low, "high": t_high, "cost": total_cost},
        remainder={"mean": r_mean, "low": r_low, "high": r_high},
    )
