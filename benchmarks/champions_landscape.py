"""How flat is the champions' landscape near the best-connected people? (K = 10, 2,000 people)

`esnsim champions` does not beat every heuristic on a generated 2,000-person organisation: its
answer is the ten best-connected people (top degree). This script measures why, on fresh seeds
(none of the search's), with common random numbers:

1. **Other ways to choose ten.** Structured variants of top degree: spread out (no shared
   contacts, one per community, PageRank, a greedy cover of contacts), clustered (the hub and
   its best-connected contacts, or degree plus a bonus for ties to those chosen), fractional
   influence (the expected contacts tipped, with thresholds Beta(1, 3)) - each against top
   degree, paired, on ``--runs`` runs.
2. **Every set one swap away.** Each of the ten replaced by each of the 12 best candidates left
   out (120 sets) on ``--swap-runs`` runs; the best one to five swaps combined, re-run on
   ``--runs`` other runs.
3. **How much a person's value depends on the world.** Random sets of ten from the search's
   candidate pool, scored on 20 seeds; each person's value (a least-squares fit of the sets'
   means on who is in them) from two blocks of 20 different seeds, the same sets in both: the
   rank correlation of the two blocks' values, against their standard errors within a block.
4. **Are the paired intervals honest?** Managers and one per community against top degree on
   ``--blocks`` separate blocks of 100 runs: the scatter of the block means against their
   standard errors (a chi-square), how many 90 % intervals cover the pooled mean, and the
   pooled difference.

Prints a table per part and writes ``champions_landscape_results.json``. About 5 minutes on 2
idle cores with the defaults.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulation.experiments.champions import candidates as cand  # noqa: E402
from simulation.experiments.champions.evaluate import SetScorer  # noqa: E402
from simulation.experiments.champions.refine import combined_swaps  # noqa: E402
from simulation.experiments.champions.run import ChampionSearch  # noqa: E402
from simulation.experiments.sweep.evaluators import default_evaluator  # noqa: E402
from simulation.metrics.replicates import mean_interval  # noqa: E402

#: first seeds of each part, far from the search's and the champions command's check
SEEDS = {
    "variants": 400_000, "swaps": 600_000, "combined": 700_000, "design": 800_000,
    "blocks": 900_000,
}  # fmt: skip


def greedy(score: np.ndarray, k: int, penalty) -> np.ndarray:
    """``k`` people, each the best by ``score`` minus ``penalty(chosen)`` (an array)."""
    chosen: list[int] = []
    for _ in range(k):
        value = score - (penalty(chosen) if chosen else 0.0)
        value[chosen] = -np.inf
        chosen.append(int(np.argmax(value)))
    return np.asarray(chosen)


def variants(org, scores, k: int) -> dict[str, np.ndarray]:
    """Structured ways of choosing ``k``, besides the heuristics."""
    weights = sp.csr_matrix(org.ties, dtype=np.float64)
    ties = weights.copy()
    ties.data[:] = 1.0
    shared = (ties @ ties).tocsr()
    degree = scores.degree
    rank = nx.pagerank(nx.from_scipy_sparse_array(weights))
    pagerank = np.array([rank[i] for i in range(org.size)])
    strength = np.asarray(weights.sum(axis=1)).ravel()
    share = sp.csr_matrix(weights.multiply(1.0 / np.maximum(strength, 1e-12)[None, :]))
    share.data = 1 - (1 - share.data) ** 3  # P(threshold <= w / s), Beta(1, 3)
    hub = int(np.argmax(degree))
    contacts = ties[hub].indices

    def column_sum(matrix):
        return lambda chosen: np.asarray(matrix[:, chosen].sum(axis=1)).ravel()

    return {
        "pagerank": cand.top(pagerank, k),
        "one per community, PageRank": cand.one_per_group(scores.communities, pagerank, k),
        "spread: degree - shared contacts": greedy(degree, k, column_sum(shared)),
        "spread: degree - 3 x ties to chosen": greedy(degree, k, lambda c: 3 * column_sum(ties)(c)),
        "fractional influence (contacts tipped)": cand.top(
            np.asarray(share.sum(axis=1)).ravel(), k
        ),
        "clustered: degree + 3 x ties to chosen": greedy(
            degree, k, lambda c: -3 * column_sum(ties)(c)
        ),
        "clustered: the hub and its best contacts": np.concatenate(
            [[hub], contacts[np.argsort(-degree[contacts], kind="stable")][: k - 1]]
        ),
    }


def paired_rows(values: np.ndarray, names: list[str], base: int) -> list[dict]:
    """Each row's mean, and its paired difference with row ``base`` (share 0-1, 90 %)."""
    out = []
    for name, row in zip(names, values, strict=True):
        difference, low, high = mean_interval(row - values[base])
        out.append(
            {"set": name, "mean": float(row.mean()), "difference": difference, "low": low,
             "high": high}
        )  # fmt: skip
    return out


def person_values(scorer, pool: np.ndarray, sets: list[np.ndarray]) -> tuple[np.ndarray, float]:
    """Least-squares value of each pool member (share 0-1 per person) from the sets' means,
    and the mean standard error of those values."""
    means = scorer.score(sets).mean(axis=1)
    design = np.zeros((len(sets), pool.size))
    where = {int(p): i for i, p in enumerate(pool)}
    for row, people in enumerate(sets):
        design[row, [where[int(p)] for p in people]] = 1.0
    design = np.column_stack([np.ones(len(sets)), design])
    coef, *_ = np.linalg.lstsq(design, means, rcond=None)
    residual = means - design @ coef
    variance = residual @ residual / max(len(sets) - design.shape[1], 1)
    errors = np.sqrt(np.diag(variance * np.linalg.pinv(design.T @ design)))[1:]
    return coef[1:], float(errors.mean())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--budget", type=int, default=10)
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--swap-runs", type=int, default=80)
    parser.add_argument("--design-sets", type=int, default=200)
    parser.add_argument("--blocks", type=int, default=12)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--out", default=str(Path(__file__).with_name("champions_landscape_results.json"))
    )
    args = parser.parse_args()
    clock = time.perf_counter()
    search = ChampionSearch("hub_seeding", org=f"generate:size={args.size}", budget=args.budget)
    org, k, plan, first = search.org, args.budget, search.scenario, search.scenario.seed
    scores = cand.scores(org, False, seed=first)
    heuristics = cand.heuristics(org, scores, k)
    top = heuristics["top degree"]
    record: dict = {"size": args.size, "budget": k, "runs": args.runs, "workers": args.workers}

    def seeds(part: str, count: int) -> list[int]:
        return [first + SEEDS[part] + i for i in range(count)]

    with default_evaluator(args.workers) as evaluator:
        sets = {**heuristics, **variants(org, scores, k)}
        names = list(sets)
        scorer = SetScorer([(org, seeds("variants", args.runs))], plan, evaluator)
        record["variants"] = paired_rows(
            scorer.score([sets[n] for n in names]), names, names.index("top degree")
        )
        print(f"\n{'set':<42} {'mean':>6}  set - top degree (points)")
        for row in record["variants"]:
            print(
                f"{row['set']:<42} {100 * row['mean']:5.1f}%  {100 * row['difference']:+.2f} "
                f"[{100 * row['low']:+.2f}, {100 * row['high']:+.2f}]"
            )

        pool = cand.pool(org, scores, k)
        outside = [int(p) for p in pool if p not in set(top.tolist())][:12]
        swaps = [(int(o), i) for o in top for i in outside]
        swapped = [np.where(top == o, i, top) for o, i in swaps]
        scorer = SetScorer([(org, seeds("swaps", args.swap_runs))], plan, evaluator)
        values = scorer.score([top, *swapped])
        gains = values[1:] - values[0]
        order = np.argsort(-gains.mean(axis=1), kind="stable")
        best, low, high = mean_interval(gains[order[0]])
        record["swaps"] = {
            "tried": len(swaps), "runs": args.swap_runs, "best_gain": best, "best_low": low,
            "best_high": high, "positive": int((gains.mean(axis=1) > 0).sum()),
            "paired_sd_points": float(100 * np.median(gains.std(axis=1, ddof=1))),
        }  # fmt: skip
        # the best one to five combined, as the command's swaps combine them (up to three)
        positions = [(int(np.flatnonzero(top == o)[0]), i) for o, i in swaps]
        proposals = combined_swaps(order, positions, gains.mean(axis=1), top, most=5)
        combined = {f"best {len(picked)} swap(s)": people for picked, people in proposals}
        names = ["top degree", *combined]
        scorer = SetScorer([(org, seeds("combined", args.runs))], plan, evaluator)
        record["combined"] = paired_rows(scorer.score([top, *combined.values()]), names, 0)
        print(
            f"\n{len(swaps)} single swaps of top degree on {args.swap_runs} runs: the best "
            f"{100 * best:+.2f} points [{100 * low:+.2f}, {100 * high:+.2f}], "
            f"{record['swaps']['positive']} above 0 on the mean"
        )
        for row in record["combined"][1:]:
            print(
                f"{row['set']:<20} on {args.runs} fresh runs: {100 * row['difference']:+.2f} "
                f"[{100 * row['low']:+.2f}, {100 * row['high']:+.2f}]"
            )

        rng = np.random.default_rng(first)
        design = [rng.choice(pool, k, replace=False) for _ in range(args.design_sets)]
        blocks = []
        for block in range(2):
            part = seeds("design", 40)[20 * block : 20 * (block + 1)]
            blocks.append(person_values(SetScorer([(org, part)], plan, evaluator), pool, design))
        (a, error_a), (b, error_b) = blocks
        rho = float(stats.spearmanr(a, b).statistic)
        record["design"] = {
            "pool": int(pool.size), "sets": args.design_sets, "seeds_per_block": 20,
            "spearman_between_blocks": rho, "value_sd_points": float(100 * np.std(a)),
            "standard_error_points": float(100 * (error_a + error_b) / 2),
            "top_ten_shared": len(set(np.argsort(-a)[:k]) & set(np.argsort(-b)[:k])),
        }  # fmt: skip
        # the correlation two blocks would have if only the noise within a block separated
        # them (the same worlds' values): the reliability 1 - SE^2 / spread^2
        found = record["design"]
        found["correlation_without_world_effect"] = max(
            0.0, 1 - (found["standard_error_points"] / found["value_sd_points"]) ** 2
        )
        print(
            f"\nPersons' values from {args.design_sets} random sets of {k} (pool {pool.size}), "
            f"two blocks of 20 seeds: rank correlation {rho:+.2f}; values spread "
            f"{record['design']['value_sd_points']:.2f} points, standard error within a block "
            f"{record['design']['standard_error_points']:.2f} (alone they would allow "
            f"{found['correlation_without_world_effect']:+.2f}); top ten shared "
            f"{record['design']['top_ten_shared']} of {k}"
        )
        names = ["managers", "one per community"]
        runs = 100
        scorer = SetScorer([(org, seeds("blocks", args.blocks * runs))], plan, evaluator)
        values = scorer.score([top, *(heuristics[n] for n in names)])
        record["blocks"] = {}
        print(f"\n{args.blocks} blocks of {runs} runs, each heuristic minus top degree (points):")
        for row, name in enumerate(names, start=1):
            blocks = (values[row] - values[0]).reshape(args.blocks, runs)
            means = blocks.mean(axis=1)
            errors = blocks.std(axis=1, ddof=1) / np.sqrt(runs)
            pooled = float(blocks.mean())
            chi2 = float(np.sum(((means - pooled) / errors) ** 2))
            half = stats.t.ppf(0.95, runs - 1) * errors
            record["blocks"][name] = {
                "pooled_points": 100 * pooled, "chi2": chi2, "dof": args.blocks - 1,
                "p": float(stats.chi2.sf(chi2, args.blocks - 1)),
                "block_sd_points": float(100 * means.std(ddof=1)),
                "mean_error_points": float(100 * errors.mean()),
                "covering": int(np.sum(np.abs(means - pooled) <= half)),
            }  # fmt: skip
            found = record["blocks"][name]
            print(
                f"{name:<20} pooled {found['pooled_points']:+.2f}; block means' SD "
                f"{found['block_sd_points']:.2f} against errors {found['mean_error_points']:.2f}"
                f" (chi-square {chi2:.1f} on {args.blocks - 1}, p {found['p']:.2f}); "
                f"{found['covering']} of {args.blocks} intervals cover the pooled mean"
            )
    record["seconds"] = round(time.perf_counter() - clock, 1)
    Path(args.out).write_text(json.dumps(record, indent=1, default=float) + "\n")
    print(f"\n{record['seconds']:.0f} s; written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
