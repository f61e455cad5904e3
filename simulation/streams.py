"""Common random numbers: one random stream per decision, per replicate.

Each replicate has its own integer seed. Each decision (``awareness``, ``adoption``, ``visit``,
``post``, ``lapse``, a lever's own decision...) gets its own ``numpy.random.Generator``,
spawned from that seed with ``SeedSequence`` and a key derived from the decision's *name* (not
from the order in which decisions are created): adding a lever that draws numbers never shifts
the numbers of the others.

Every day, a decision draws one uniform number for *every* person, eligible or not, and compares
each person's probability with their own number. A person's luck therefore does not depend on
who else is eligible, and two plans run with the same seed differ only by what the plan changes
(Starsim's design). Replicate ``k``'s numbers depend only on its own seed, so a replicate gives
the same result alone or in a batch of any size.

Never use the global ``random`` or ``np.random`` state anywhere in the package.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np


def stream_key(name: str) -> int:
    """Stable 32-bit key of a decision name (the same on every machine and Python version)."""
    return zlib.crc32(name.encode("utf-8"))


def generator(seed: int, name: str) -> np.random.Generator:
    """The generator of decision ``name`` for a run with integer ``seed``."""
    sequence = np.random.SeedSequence(entropy=int(seed), spawn_key=(stream_key(name),))
    return np.random.Generator(np.random.PCG64(sequence))


class Streams:
    """Per-decision random streams for a batch of replicates.

    Parameters
    ----------
    seeds : sequence of int
        One seed per replicate (the batch has ``len(seeds)`` replicates).
    size : int
        Number of people; every daily draw has this many numbers per replicate.
    """

    def __init__(self, seeds: Sequence[int], size: int):
        self.seeds = [int(s) for s in seeds]
        self.size = int(size)
        self._generators: dict[str, list[np.random.Generator]] = {}
        # an even count per draw: numpy makes two float32 numbers from each 64-bit output of
        # PCG64, so a skipped draw is exactly ``advance(count // 2)`` (see ``uniform``)
        self._even = self.size + self.size % 2
        self._buffer = np.empty((len(self.seeds), self._even), dtype=np.float32)

    def generators(self, name: str) -> list[np.random.Generator]:
        """The generators of decision ``name``, one per replicate (created on first use)."""
        gens = self._generators.get(name)
        if gens is None:
            gens = [generator(seed, name) for seed in self.seeds]
            self._generators[name] = gens
        return gens

    def uniform(self, name: str, needed: np.ndarray | None = None) -> np.ndarray:
        """One uniform number in [0, 1) per person and replicate, shape (replicates, people).

        Parameters
        ----------
        needed : ndarray of bool, shape (replicates,), optional
            Replicates whose numbers will be used. For the others the stream is advanced by
            exactly the numbers a draw would take (``PCG64.advance``), so skipping never shifts
            a later day's numbers: the result is the same as drawing and ignoring them. Their
            rows hold stale numbers.

        The returned array is a shared buffer: use it before the next draw.
        """
        out = self._buffer
        steps = self._even // 2
        for r, gen in enumerate(self.generators(name)):
            if needed is None or needed[r]:
                gen.random(out=out[r], dtype=np.float32)
            else:
                gen.bit_generator.advance(steps)
        return out[:, : self.size]

    def per_replicate(self, name: str) -> list[np.random.Generator]:
        """Generators for decisions that are not one number per person (choices, shuffles)."""
        return self.generators(name)
