"""``--fit auto``: which parameters to fit, chosen by what moves the observed series.

A newcomer who picks two fields to fit may pick two the data cannot move (the fit then sits on a
bound and says nothing), and the forecast flips with the choice. The screening asks the model:

1. **candidates**: every numeric field of the scenario's adoption rule, awareness, habit,
   visits, need, posting, reward, the platform's work integration and the culture's sharing
   (the parameter table of docs/ODD.md, :mod:`simulation.analysis.parameters`), whose value is
   above 0; each from a fifth to five times its value on a log scale, clipped to its allowed
   range (``adoption.p`` kept at or below ``adoption.rate``, which the threshold rule requires);
2. **elementary effects** (Morris 1991, *Technometrics* 33; SALib's trajectories on 4 levels)
   over the observed days, with common random numbers (the same seeds at every point): the
   effect of a field is the RMS change of the replicates' mean of each observed series, in
   units of that series' observed range, per whole range of the field; ``mu*`` is its mean over
   the trajectories;
3. **the choice**: among the fields whose ``mu*`` is at least :data:`CLEAR` (moving the field
   across its range moves the observed series by 2 % of their range) and :data:`RELATIVE` of the
   strongest field's (a weak effect, estimated from few runs, misleads the pursuit), one at a time
   the field whose mean effect can take up most of the misfit left (the data's residual from the
   scenario's own values; orthogonal matching pursuit), while it takes up at least :data:`GAIN`
   of the whole misfit, skipping a
   field whose mean effect points the same way as one already chosen (cosine above
   :data:`SAME_WAY`: the data cannot tell the two apart, they trade off), at most ``k``.

The choice and its reasons are returned as a :class:`Screen`; the calibration prints it.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field

import numpy as np
from SALib.sample import morris as morris_sample

from simulation.analysis.fit_space import Parameter, Space, get_value
from simulation.analysis.losses import simulate
from simulation.analysis.observed import Observed
from simulation.analysis.parameters import rows
from simulation.base.errors import InputError

#: the scenario blocks whose numeric fields are candidates (model parameters, not the plan)
BLOCKS = ("adoption", "awareness", "habit", "visits", "need", "posting", "reward")
EXTRA = ("platform.work_integration", "culture.sharing")
FACTOR = 5.0  # a candidate's range: value / FACTOR to value * FACTOR (log), within its bounds
CLEAR = 0.02  # mu* (share of the observed range per whole range) of a clear effect at least
RELATIVE = 0.1  # ... and at least this share of the strongest field's mu*
GAIN = 0.05  # a field is fitted if it can take up this share of the data's misfit at least
SAME_WAY = 0.95  # |cosine| of two fields' mean effects above which they trade off
#: a field raised to a fitted one where that one passes it (:class:`Space`'s ``raise_with``)
RAISE_WITH = {"adoption.rate": "adoption.p"}
#: a field that means nothing while another is 0 (the shape of how long needs last, when needs
#: never end): not a candidate then, so it adds no point to the screen's design
ONLY_WITH = {"need.duration_shape": "need.duration"}
SCREEN_SEED = 300_000  # the screen's replicates: never the fit's, bootstrap's or forecast's


@dataclass
class Screen:
    """The screening's outcome: the ranking, the choice and the pairs that trade off."""

    ranking: list[dict]
    chosen: list[Parameter]
    trade_offs: list[tuple[str, str, float]]
    runs: int
    reasons: list[str] = field(default_factory=list)
    #: couplings the fit keeps (:class:`~simulation.analysis.fit_space.Space`'s ``raise_with``)
    raise_with: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "method": "Morris elementary effects over the observed days, common random numbers",
            "runs": self.runs,
            "ranking": self.ranking,
            "chosen": [
                {"path": p.path, "low": p.low, "high": p.high, "log": p.log} for p in self.chosen
            ],
            "trade_offs": [list(t) for t in self.trade_offs],
            "raise_with": self.raise_with,
            "reasons": self.reasons,
        }

    def lines(self) -> list[str]:
        return list(self.reasons)


def _bounds(text: str) -> tuple[float, float]:
    """The allowed range of a parameter table row (``>= 0, <= 1``)."""
    low, high = -np.inf, np.inf
    for part in filter(None, (p.strip() for p in text.split(","))):
        sign, value = part.split(" ")
        bound = float(value)
        strict = sign in (">", "<")  # kept a thousandth of the bound inside an open end
        if sign.startswith(">"):
            low = bound + (1e-3 * max(abs(bound), 1e-3) if strict else 0.0)
        else:
            high = bound - (1e-3 * max(abs(bound), 1e-3) if strict else 0.0)
    return low, high


def candidates(scenario, exclude=()) -> list[Parameter]:
    """The fields the screen tries on ``scenario`` (module docstring), with their ranges,
    but those of ``exclude`` (fixed, or fitted by hand)."""
    rule = getattr(scenario.adoption, "rule", None)
    coupled = raise_with(scenario, exclude)
    out = []
    for label, _default, bounds_text, _ in rows():
        block = label.split(".")[0].split("[")[0]
        if "[" in label and f"[{rule}]" not in label:
            continue
        path = label.replace(f"[{rule}]", "")
        if block not in BLOCKS and path not in EXTRA:
            continue
        if path.endswith((".rule", ".enabled")):
            continue
        try:
            value = get_value(scenario, path)
        except InputError:
            continue
        current = _field_type(scenario, path)
        if current is not float or value <= 0:
            continue
        if path in ONLY_WITH and not get_value(scenario, ONLY_WITH[path]):
            continue
        low, high = _bounds(bounds_text)
        low = max(value / FACTOR, low if np.isfinite(low) and low > 0 else 0.0)
        high = min(value * FACTOR, high)
        if path == "adoption.p" and hasattr(scenario.adoption, "rate"):
            # a launch that makes most people join at once needs a large p: up to 1 where the
            # rate is raised with it (RAISE_WITH: the rule needs p <= rate), else up to the rate
            high = 1.0 if "adoption.rate" in coupled else scenario.adoption.rate
        if path in exclude:
            continue
        if low > 0 and high > low * 1.01:
            out.append(Parameter(path, float(low), float(high), log=True))
    return out


def allowed_range(scenario, path: str) -> tuple[float, float]:
    """The values ``path`` may take in ``scenario`` (its row of the parameter table; the
    adoption rule's own row where fields differ by rule), ``(-inf, inf)`` when unbounded or
    not a field of the table."""
    rule = getattr(scenario.adoption, "rule", None)
    for label, _default, bounds_text, _ in rows():
        if label == path or label.replace(f"[{rule}]", "") == path:
            return _bounds(bounds_text)
    return -np.inf, np.inf


def raise_with(scenario, exclude=()) -> dict[str, str]:
    """The couplings of :data:`RAISE_WITH` that apply: both fields in the scenario, the raised
    one neither fixed nor fitted by hand."""
    out = {}
    for target, source in RAISE_WITH.items():
        try:
            get_value(scenario, target), get_value(scenario, source)
        except InputError:
            continue
        if target not in set(exclude):
            out[target] = source
    return out


def _field_type(scenario, path: str):
    node = scenario
    for step in path.split("."):
        node = getattr(node, step)
    return type(node)


def screen(org, base, observed: Observed, k: int = 4, trajectories: int = 4,
           replicates: int = 4, seed: int = 0, exclude=()) -> Screen:  # fmt: skip
    """Rank the candidates of ``base`` by their effect on ``observed`` and choose up to ``k``.

    Parameters
    ----------
    org : Organisation
    base : Scenario
        The scenario with any ``--fix`` values already set.
    observed : Observed
        A usage series (adoption times need ``--fit`` given by hand).
    k : int
        Most fields chosen.
    trajectories : int
        Morris trajectories; the cost is ``trajectories x (candidates + 1)`` runs of
        ``replicates`` replicates over the observed days.
    exclude : iterable of str
        Fields not to consider (fixed, or fitted by hand).
    """
    if observed.adoption is not None:
        raise InputError("--fit auto works on usage series; give --fit PATH=LOW:HIGH for "
                         "adoption times")  # fmt: skip
    pool = candidates(base, exclude)
    space = Space(base, pool, {}, raise_with=raise_with(base, exclude))
    names = space.names
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    unit = morris_sample.sample(problem, trajectories, num_levels=4, seed=seed)
    seeds = [SCREEN_SEED + seed + r for r in range(replicates)]
    # each series in units of its own observed range (measured on the hand-made pilot: a
    # pooled range, as the fit's RMSE weighs them, chose worse fields, RMSE 0.037 against 0.025)
    span = {n: np.ptp(v) if np.ptp(v) > 1e-12 else max(1e-6, float(np.abs(v).max()))
            for n, v in observed.series.items()}  # fmt: skip
    outputs = []
    for u in unit:
        simulated = simulate(org, space.scenario(space.values(u), days=observed.horizon),
                             observed, seeds)  # fmt: skip
        outputs.append(np.concatenate([simulated[n].mean(axis=1) / span[n] for n in span]))
    outputs = np.array(outputs)
    effects: dict[str, list[np.ndarray]] = {n: [] for n in names}
    step = len(names) + 1
    for t in range(trajectories):
        block, points = outputs[t * step : (t + 1) * step], unit[t * step : (t + 1) * step]
        for i in range(len(names)):
            moved = points[i + 1] - points[i]
            j = int(np.argmax(np.abs(moved)))
            effects[names[j]].append((block[i + 1] - block[i]) / moved[j])
    ranking = []
    for p in pool:
        ee = np.array(effects[p.path])
        size = np.sqrt(np.mean(ee**2, axis=1))  # RMS over the observed points, per trajectory
        ranking.append({"path": p.path, "low": p.low, "high": p.high,
                        "mu_star": float(size.mean()), "sigma": float(size.std()),
                        "direction": ee.mean(axis=0)})  # fmt: skip
    ranking.sort(key=lambda r: -r["mu_star"])
    at_base = simulate(org, base.with_overrides(days=observed.horizon), observed, seeds)
    misfit = np.concatenate([(observed.series[n] - at_base[n].mean(axis=1)) / span[n]
                             for n in span])  # fmt: skip
    chosen, reasons, trade_offs = _choose(ranking, pool, k, misfit)
    for r in ranking:
        del r["direction"]
    chosen_paths = {p.path for p in chosen}
    coupled = {t: s for t, s in space.raise_with.items() if s in chosen_paths}
    for target, source in coupled.items():
        reasons.append(f"{target} is raised to {source} where {source} passes it (the rule "
                       f"needs {source} <= {target})")  # fmt: skip
    return Screen(ranking, chosen, trade_offs, len(unit) * replicates, reasons, coupled)


def _choose(ranking: list[dict], pool: list[Parameter], k: int, misfit: np.ndarray):
    """Greedy, as orthogonal matching pursuit: among the fields with a clear effect, the one
    whose mean effect explains most of the misfit left (the data's residual from the
    scenario's own values), then the misfit without that part, up to ``k`` fields; a field
    that moves the data the way a chosen one does (``|cosine| >= SAME_WAY``) trades off."""
    by_path = {p.path: p for p in pool}
    clear = max(CLEAR, RELATIVE * ranking[0]["mu_star"]) if ranking else CLEAR
    open_ = [r for r in ranking if r["mu_star"] >= clear]
    chosen: list[dict] = []
    reasons, trade_offs = [], []
    left = misfit.copy()
    total = float(np.linalg.norm(misfit)) or 1e-12
    basis: list[np.ndarray] = []
    while open_ and len(chosen) < k:
        scored = [(_gain(r["direction"], basis, left), r) for r in open_]
        (best, d, norm), r = max(scored, key=lambda x: x[0][0])
        if best < GAIN * total:  # takes up too little of the misfit: stop
            break
        open_.remove(r)
        twin = next((c for c in chosen if abs(_cosine(r["direction"], c["direction"]))
                     >= SAME_WAY), None)  # fmt: skip
        if twin is not None:
            cosine = _cosine(r["direction"], twin["direction"])
            trade_offs.append((twin["path"], r["path"], round(cosine, 3)))
            reasons.append(f"skipped {r['path']}: it moves the data the way {twin['path']} "
                           f"does (cosine {cosine:.2f}), they trade off")  # fmt: skip
            continue
        unit = d / norm
        basis.append(unit)
        left = left - (left @ unit) * unit
        chosen.append(r)
        reasons.append(f"fit {r['path']} in [{r['low']:.3g}, {r['high']:.3g}] (log): mu* "
                       f"{r['mu_star']:.2f} of the observed range; it can take up "
                       f"{best / total:.0%} of the misfit left")  # fmt: skip
    for r in open_:
        for c in chosen:
            cosine = _cosine(r["direction"], c["direction"])
            if abs(cosine) >= SAME_WAY:
                trade_offs.append((c["path"], r["path"], round(cosine, 3)))
    if not chosen:
        raise InputError(f"--fit auto: no parameter moves the observed series by {clear:.0%} "
                         "of their range towards the data; give --fit PATH=LOW:HIGH")  # fmt: skip
    weak = [r for r in ranking if r["mu_star"] < clear][:3]
    if weak:
        reasons.append("not fitted, too little effect: " + ", ".join(
            f"{r['path']} (mu* {r['mu_star']:.2f})" for r in weak))  # fmt: skip
    for a, b, cosine in trade_offs:
        if not any(b in x and "skipped" in x for x in reasons):
            reasons.append(f"{a} and {b} move the data the same way (cosine {cosine:.2f}): "
                           "they trade off")  # fmt: skip
    return [by_path[r["path"]] for r in chosen], reasons, trade_offs


def _gain(d: np.ndarray, basis: list[np.ndarray], left: np.ndarray):
    """How much of ``left`` the effect ``d`` can take up beyond the chosen fields' ``basis``:
    ``(|d' . left| / |d'|, d', |d'|)`` with ``d'`` the part of ``d`` outside the basis."""
    for b in basis:
        d = d - (d @ b) * b
    norm = float(np.linalg.norm(d))
    return (abs(d @ left) / norm if norm > 1e-9 else 0.0), d, norm


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / ((np.linalg.norm(a) * np.linalg.norm(b)) or 1e-12))


__all__: typing.Final = ["Screen", "candidates", "screen"]
