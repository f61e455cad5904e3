"""Common random numbers: the random numbers of a run depend only on its seed and their purpose.

Two kinds of random numbers, both keyed by the *name* of the decision (``awareness``,
``adoption``, ``visit``, ``post``, ``lapse``, a lever's own decision...), never by the order in
which decisions are made, so that adding a lever that draws numbers never shifts the others':

* **The daily draws** (one uniform number per person, per decision, per day) are *counter-based*:
  person ``i``'s number for decision ``d`` on day ``t`` of the run with seed ``s`` is a fixed
  function of ``(s, d, t, i)``. A person's luck therefore does not depend on who else is
  eligible, on the batch, or on whether anybody else drew; two plans run with the same seed
  differ only by what the plan changes (common random numbers, Starsim's design). Numbers nobody
  needs are simply never computed. The function is SplitMix64 (Steele, Lea & Flood 2014; the
  generator that seeds Java's and numpy's): the day's key is hashed from the decision's key and
  the day, and person ``i`` gets output ``i`` of SplitMix64 started at that key. Each number has
  24 random bits (float32 resolution).
* **Traits and choices** (thresholds, dispositions, a random sample of champions...) come from a
  ``numpy.random.Generator`` (PCG64) per decision, spawned from the seed with ``SeedSequence``.

Replicate ``k``'s numbers depend only on its own seed, so a replicate gives the same result alone
or in a batch of any size. Never use the global ``random`` or ``np.random`` state in the package.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numba
import numpy as np

_U = np.uint64
_GAMMA = _U(0x9E3779B97F4A7C15)  # SplitMix64's increment (the golden ratio in 64 bits)
_M1 = _U(0xBF58476D1CE4E5B9)
_M2 = _U(0x94D049BB133111EB)
_TO_UNIT = np.float32(2.0**-24)


def stream_key(name: str) -> int:
    """Stable 32-bit key of a decision name (the same on every machine and Python version)."""
    return zlib.crc32(name.encode("utf-8"))


def generator(seed: int, name: str) -> np.random.Generator:
    """The generator of decision ``name`` for a run with integer ``seed`` (traits, choices)."""
    sequence = np.random.SeedSequence(entropy=int(seed), spawn_key=(stream_key(name),))
    return np.random.Generator(np.random.PCG64(sequence))


def decision_key(seed: int, name: str) -> int:
    """The 64-bit key of the daily draws of decision ``name`` under ``seed``."""
    sequence = np.random.SeedSequence(entropy=int(seed), spawn_key=(stream_key(name), 1))
    return int(sequence.generate_state(1, np.uint64)[0])


@numba.njit(inline="always")
def mix64(z):
    """SplitMix64's output function: a bijective, well-mixing hash of a 64-bit integer."""
    z = (z ^ (z >> _U(30))) * _M1
    z = (z ^ (z >> _U(27))) * _M2
    return z ^ (z >> _U(31))


@numba.njit(inline="always")
def day_key(key, day):
    """The key of one day's draws of one decision (``key`` from :func:`decision_key`)."""
    return mix64(key ^ mix64(_U(day) * _GAMMA + _GAMMA))


@numba.njit(inline="always")
def uniform_at(today, person):
    """Person ``person``'s number in [0, 1) under the day's key ``today`` (float32, 24 bits)."""
    z = mix64(today + (_U(person) + _U(1)) * _GAMMA)
    return np.float32(np.int64(z >> _U(40))) * _TO_UNIT  # via int64: a cheaper conversion


@numba.njit(cache=True, nogil=True)
def _fill(keys, day, out):
    for r in range(out.shape[0]):
        today = day_key(keys[r], day)
        for i in range(out.shape[1]):
            out[r, i] = uniform_at(today, i)


class Streams:
    """The random numbers of a batch of replicates.

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
        self._keys: dict[str, np.ndarray] = {}

    def keys(self, name: str) -> np.ndarray:
        """The daily-draw keys of decision ``name``, one per replicate (uint64)."""
        keys = self._keys.get(name)
        if keys is None:
            keys = np.array([decision_key(s, name) for s in self.seeds], dtype=np.uint64)
            self._keys[name] = keys
        return keys

    def uniform(self, name: str, day: int) -> np.ndarray:
        """Day ``day``'s number in [0, 1) of every person, shape (replicates, people), float32.

        The same numbers the engine's own kernels draw for a decision of that name: they depend
        only on (seed, ``name``, ``day``, person).
        """
        out = np.empty((len(self.seeds), self.size), dtype=np.float32)
        _fill(self.keys(name), int(day), out)
        return out

    def generators(self, name: str) -> list[np.random.Generator]:
        """The generators of decision ``name``, one per replicate (created on first use)."""
        gens = self._generators.get(name)
        if gens is None:
            gens = [generator(seed, name) for seed in self.seeds]
            self._generators[name] = gens
        return gens
