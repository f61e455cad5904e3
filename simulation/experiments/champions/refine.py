"""Swaps after the greedy search: a screen of the sets one swap away, confirmed on other seeds.

With thresholds (complex contagion) two champions who share contacts can do more together than
apart, so the outcome is not submodular and a set built one best person at a time can lose to a
set chosen whole, such as the best-connected people. So the search goes on from the best of the
greedy set, the coverage sets and the heuristics' sets, and looks at the sets one swap away:
each member (the weakest first, those whose removal costs least) replaced by each of the best
candidates left out (ranked by their last greedy gain).

Where the noise is. A set's value depends on the world it runs in (each run draws everyone's
threshold, need and habits): on a generated 2,000-person organisation, the values of 55
candidates fitted from the same 200 sets of ten on two blocks of 20 seeds had a rank correlation
of 0.22 between the blocks, where their standard errors within a block would allow about 0.7
(``benchmarks/champions_landscape.py``), and the greedy ten did 0.7 points better than the ten
best-connected people on the search's seeds and 0.4-1.0 points worse on fresh ones (the
winner's curse). So:

- the start is the best of the starts on the *validator*'s seeds (other seeds than the search's);
- the screen scores every swap on the validator's seeds, paired with the current set (common
  random numbers): a single swap's paired difference has an SD of about 0.9 points a run there,
  so 40 runs resolve about +-0.25 points;
- the best swaps of the screen (the best one, the best two and three that touch different
  people) are confirmed on the *confirmer*'s seeds, fresh again: the best of many screened swaps
  is flattered in its turn, and a swap is kept only when its 90 % paired interval there is above
  0 (a swap kept on its mean alone lost 0.3 points on fresh seeds in the benchmark).

When nothing is kept, the screen says how close the sets one swap away came: the start is a local
optimum as far as these runs can tell (on the benchmark, 120 swaps of the ten best-connected
people on 80 runs each: the best +0.10 points [-0.06, +0.27], and the best one, two and three
combined +0.05 to +0.09 points on 400 fresh runs, every interval across 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulation.metrics.replicates import mean_interval

#: swaps screened in a round (members x candidates): about a minute at K = 10 on 2 cores
SCREEN_SWAPS = 120
#: swaps of the screen's best combined at most (each out and each in once) for confirmation
COMBINED = 3


@dataclass
class Screen:
    """One round's screen of the sets one swap away from the current set.

    ``gain``, ``low``, ``high``: the best swap's mean paired gain (share 0-1) and its 90 %
    interval on the screen's runs (flattered: the best of ``swaps``).
    """

    swaps: int  # swaps scored
    runs: int  # runs of each (the screen's seeds)
    gain: float
    low: float
    high: float
    kept: bool  # whether a swap (or a combination) was confirmed on fresh seeds


@dataclass
class Refinement:
    """The set after the swaps, and what each member contributes."""

    people: np.ndarray
    value: np.ndarray  # sustained weekly active per replicate (search seeds)
    losses: np.ndarray  # (members, replicates): value minus the value without the member
    start: str  # the set it started from: "greedy" or a heuristic's name
    start_values: dict[str, float] = field(default_factory=dict)
    swaps: list[tuple[int, int, float]] = field(default_factory=list)  # out, in, confirmed gain
    screens: list[Screen] = field(default_factory=list)


def _without(people: np.ndarray) -> list[np.ndarray]:
    return [np.delete(people, i) for i in range(people.size)]


def combined_swaps(
    order, trials, gains, people: np.ndarray, most: int = COMBINED
) -> list[tuple[list, np.ndarray]]:
    """The best swap, then the best two, three... (up to ``most``) that take out and put in
    different people, positive screen gains only: nested ``(swaps, set)`` pairs.

    ``trials`` are ``(position in people, candidate)``, ``gains`` their mean screen gains and
    ``order`` their indices, the best first.
    """
    picked: list[tuple[int, int]] = []
    out = []
    for k in order:
        i, c = trials[k]
        if gains[k] <= 0 or len(picked) >= most:
            break
        if any(i == a or c == b for a, b in picked):
            continue
        picked.append((i, c))
        swapped = people.copy()
        swapped[[a for a, _ in picked]] = [b for _, b in picked]
        out.append((list(picked), swapped))
    return out


def refine(
    scorer,
    starts: dict[str, np.ndarray],
    ranked: np.ndarray,
    rounds: int = 3,
    tries: int = 12,
    validator=None,
    confirmer=None,
) -> Refinement:
    """Swap-improve the best of ``starts``; see the module docstring.

    Parameters
    ----------
    scorer : SetScorer
        The search's seeds: each member's contribution (``losses``) and the final ``value``.
    starts : dict of name to int array
        Candidate sets of the same size (the greedy set first).
    ranked : ndarray of int
        Candidates in order of preference (best first); the first ``tries`` not in the set are
        tried in.
    rounds : int
        Most rounds of screen and confirmation; stops at the first round that keeps nothing.
    tries : int
        Candidates tried in for each member screened. The weakest members are screened, as many
        as keep the screen to :data:`SCREEN_SWAPS` swaps (every member at K = 10).
    validator : SetScorer, optional
        Other seeds: choose the start and screen the swaps (default ``scorer``).
    confirmer : SetScorer, optional
        Fresh seeds again: a swap is kept when its 90 % paired interval there is above 0
        (default ``validator``; with neither, ``scorer``).
    """
    names = list(starts)
    screen = validator if validator is not None else scorer
    confirm = confirmer if confirmer is not None else screen
    judged = screen.score([starts[n] for n in names])
    means = {n: float(v.mean()) for n, v in zip(names, judged, strict=True)}
    best = max(names, key=lambda n: (means[n], n == names[0]))
    people = np.asarray(starts[best], dtype=np.int64)
    value = scorer.score([people])[0]
    on_screen = judged[names.index(best)]
    on_confirm = None
    result = Refinement(people, value, np.zeros((0, value.size)), best, means)
    for _ in range(max(0, int(rounds))):
        losses = value - scorer.score(_without(people))
        result.losses = losses
        outside = [int(c) for c in ranked if c not in set(people.tolist())][: max(1, tries)]
        members = max(1, min(people.size, SCREEN_SWAPS // max(1, len(outside))))
        weakest = np.argsort(losses.mean(axis=1), kind="stable")[:members]
        trials = [(int(i), c) for i in weakest for c in outside]
        if not trials:
            break
        sets = []
        for i, c in trials:
            swapped = people.copy()
            swapped[i] = c
            sets.append(swapped)
        gains = screen.score(sets) - on_screen
        order = np.argsort(-gains.mean(axis=1), kind="stable")
        top, low, high = mean_interval(gains[order[0]])
        screened = Screen(len(trials), gains.shape[1], top, low, high, kept=False)
        result.screens.append(screened)
        proposals = combined_swaps(order, trials, gains.mean(axis=1), people)
        if not proposals:
            break
        if on_confirm is None:  # the current set on the confirmation seeds, once
            on_confirm = confirm.score([people])[0]
        checked = confirm.score([s for _, s in proposals]) - on_confirm
        lows = [mean_interval(row)[1] for row in checked]
        clear = [k for k, lo in enumerate(lows) if lo > 0]
        if not clear:
            break  # not clearly better on fresh seeds: the start is a local optimum here
        k = max(clear, key=lambda j: checked[j].mean())
        swaps, people = proposals[k]
        on_confirm = on_confirm + checked[k]
        screened.kept = True
        gain = float(checked[k].mean())
        result.swaps += [(int(result.people[i]), c, gain) for i, c in swaps]
        result.people = people
        value = scorer.score([people])[0]
        on_screen = screen.score([people])[0]
        result.losses = np.zeros((0, value.size))  # to be measured on the new set
    if result.losses.shape[0] != people.size:
        result.losses = value - scorer.score(_without(people))
    result.people, result.value = people, value
    return result
