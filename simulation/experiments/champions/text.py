"""The terminal summary of a champion search: the champions, the comparison, the curve's turning
points (``esnsim champions`` and ``benchmarks/champions.py`` print it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulation.experiments.champions.compare import SEARCHED

if TYPE_CHECKING:
    from simulation.experiments.champions.run import ChampionsResult


def _people(k: int, size: int) -> str:
    return f"{k:,} seeded ({100 * k / size:.0f} % of the head-count)"


def turning_text(turning: dict, size: int) -> list[str]:
    """Per method: where its curve is highest and whether it falls after (over-seeding), grouped;
    plainly "keep helping" when it is highest at its end."""
    groups: dict[tuple, list[str]] = {}
    for method, point in turning.items():
        if method != SEARCHED and point["best_k"] is not None:
            key = (point["best_k"], point["falls_after"], point.get("end", point["best_k"]))
            groups.setdefault(key, []).append(method)
    lines = []
    for (best, falls, end), methods in sorted(groups.items(), key=lambda item: item[0][0]):
        who = ", ".join(sorted(methods))
        if falls is not None:
            lines.append(
                f"Over-seeding: best with {_people(best, size)}, lower from {falls:,} seeded: {who}"
            )
        elif best == end:
            lines.append(
                f"More champions keep helping up to {_people(end, size)}, the curve's end "
                f"(no over-seeding): {who}"
            )
        else:
            lines.append(
                f"Best with {_people(best, size)}, no clear fall up to {end:,} seeded "
                f"(within the noise): {who}"
            )
    return lines


def search_text(result: ChampionsResult) -> str:
    """The terminal summary: the champions, the comparison, the curve's turning points."""
    lines = list(result.notes)
    lines.append(
        f"{result.budget} champions for {result.scenario.name} on {result.org.name} "
        f"({result.org.size:,} people), sustained weekly active with lapse on"
    )
    for row in result.people.itertuples():
        lines.append(f"  {row.rank:>3}. {row.employee_id:<12} {row.why}")
    ours = result.curve[(result.curve["method"] == SEARCHED) & (result.curve["k"] == result.budget)]
    if not ours.empty:
        row = ours.iloc[0]
        lines.append(
            f"Searched champions, fresh seeds: {100 * row['mean']:.1f} % weekly active "
            f"[{100 * row['low']:.1f}, {100 * row['high']:.1f}] "
            f"({len(result.check_seeds)} runs)"
        )
    lines.append(f"{'against':<20} {'theirs':>7} {'difference (points)':>28}")
    for row in result.comparison.itertuples():
        verdict = "better" if row.beats else ("worse" if row.high < 0 else "no clear difference")
        if row.low == row.high == 0:
            verdict = "the same people"
        lines.append(
            f"{row.method:<20} {100 * row.mean:>6.1f}% {100 * row.difference:>+7.1f} "
            f"[{100 * row.low:+.1f}, {100 * row.high:+.1f}]  {verdict}"
        )
    lines += turning_text(result.turning, result.org.size)
    refined = result.refinement
    start = "the greedy set" if refined.start == "greedy" else f"the {refined.start} set"
    lines.append(swaps_text(start, refined))
    search = result.search
    lines.append(
        f"Search: {search.pool_size} candidates, {result.evaluations} sets scored "
        f"({result.replicate_years:,} runs of {result.scenario.days} days) in "
        f"{result.search_seconds:.0f} s ({result.evaluations_per_second:.2f} sets, "
        f"{result.replicate_years / max(result.search_seconds, 1e-9):.0f} runs a second); "
        f"total {result.seconds:.0f} s"
    )
    return "\n".join(lines)


def swaps_text(start: str, refined) -> str:
    """The swaps' line: the start, what the screens tried and what was kept."""
    text = f"Swaps: started from {start} (best on validation seeds), "
    text += f"{len(refined.swaps)} swap(s) kept"
    if not refined.screens:
        return text
    last = refined.screens[-1]
    text += (
        f"; {sum(s.swaps for s in refined.screens)} screened on "
        f"{last.runs} runs each, the best of the last screen {100 * last.gain:+.2f} points "
        f"[{100 * last.low:+.2f}, {100 * last.high:+.2f}]"
    )
    if not last.kept:
        text += ", not clearly better on fresh seeds: no set one swap away does better here"
    return text
