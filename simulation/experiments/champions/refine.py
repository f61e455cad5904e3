"""Swaps after the greedy search: where champions complement each other, greedy is myopic.

With thresholds (complex contagion) two champions who share contacts can do more together than
apart, so the outcome is not submodular and a set built one best person at a time can lose to a
set chosen whole, such as the best-connected people. So the search goes on from the best of the
greedy set and the heuristics' sets (scored on the search's seeds), and tries, a few rounds,
to replace its weakest members (those whose removal costs least) with the best candidates left
out (ranked by their last greedy gain), keeping a swap when it raises the mean on the same seeds.
A local search (1-swap), not an optimum: the check on fresh seeds says what it is worth.

The search's own seeds flatter the sets it chose there (the winner's curse: on a generated
2,000-person organisation the greedy ten did 0.7 points better than the ten best-connected
people on the search's seeds and 0.4 points worse on fresh ones). So with a ``validator`` (the
same plan on other seeds), the starting set is the best of the starts *there*, and a swap found
on the search's seeds is kept only if it is clearly better on the validator's seeds too (the
90 % paired interval of the difference above 0): a swap confirmed by its mean alone still lost
0.3 points on fresh seeds in the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulation.metrics.replicates import mean_interval


@dataclass
class Refinement:
    """The set after the swaps, and what each member contributes."""

    people: np.ndarray
    value: np.ndarray  # sustained weekly active per replicate (search seeds)
    losses: np.ndarray  # (members, replicates): value minus the value without the member
    start: str  # the set it started from: "greedy" or a heuristic's name
    start_values: dict[str, float] = field(default_factory=dict)
    swaps: list[tuple[int, int, float]] = field(default_factory=list)  # out, in, mean gain


def _without(people: np.ndarray) -> list[np.ndarray]:
    return [np.delete(people, i) for i in range(people.size)]


def refine(
    scorer,
    starts: dict[str, np.ndarray],
    ranked: np.ndarray,
    rounds: int = 4,
    weakest: int = 2,
    tries: int = 4,
    validator=None,
) -> Refinement:
    """Swap-improve the best of ``starts`` on ``scorer``'s seeds.

    Parameters
    ----------
    scorer : SetScorer
    starts : dict of name to int array
        Candidate sets of the same size (the greedy set first).
    ranked : ndarray of int
        Candidates in order of preference (best first); those not in the set are tried in.
    rounds : int
        Most rounds of swaps; stops early when no swap helps.
    weakest, tries : int
        Members tried out, and candidates tried in for each, per round.
    validator : SetScorer, optional
        The same plan on other seeds: chooses the start and confirms each swap (its paired
        90 % interval above 0).
    """
    names = list(starts)
    judge = validator if validator is not None else scorer
    judged = judge.score([starts[n] for n in names])
    means = {n: float(v.mean()) for n, v in zip(names, judged, strict=True)}
    best = max(names, key=lambda n: (means[n], n == names[0]))
    people = np.asarray(starts[best], dtype=np.int64)
    value = scorer.score([people])[0]
    confirmed = judged[names.index(best)]
    result = Refinement(people, value, np.zeros((0, value.size)), best, means)
    for _ in range(max(0, int(rounds))):
        losses = value - scorer.score(_without(people))
        result.losses = losses
        out = np.argsort(losses.mean(axis=1), kind="stable")[: max(1, weakest)]
        outside = [int(c) for c in ranked if c not in set(people.tolist())][: max(1, tries)]
        trials = [(int(i), c) for i in out for c in outside]
        if not trials:
            break
        sets = []
        for i, c in trials:
            swapped = people.copy()
            swapped[i] = c
            sets.append(swapped)
        scored = scorer.score(sets)
        k = int(np.argmax(scored.mean(axis=1)))
        gain = float(scored[k].mean() - value.mean())
        if gain <= 0:
            break
        if validator is not None:
            checked = validator.score([sets[k]])[0]
            if mean_interval(checked - confirmed)[1] <= 0:
                break  # not clearly better on other seeds: it may help on the search's only
            confirmed = checked
        i, c = trials[k]
        result.swaps.append((int(people[i]), c, gain))
        people, value = sets[k], scored[k]
        result.losses = np.zeros((0, value.size))  # to be measured on the new set
    if result.losses.shape[0] != people.size:
        result.losses = value - scorer.score(_without(people))
    result.people, result.value = people, value
    return result
