"""Defaults shared by every command and the Python API (``esnsim run``, ``compare``, ``Sim``).

One number each, so ``run`` and ``compare`` never disagree:

- :data:`REPLICATES`: replicates per plan. 20 gives a target probability's 90 % Wilson
  interval a half-width of at most 0.18 and pairs enough replicates for a paired difference.
- :data:`WORKERS`: worker processes. 1: replicates are advanced together in one process
  (people x replicates arrays), which is what pays on small machines; each extra process
  spends about 1.5 s importing the package and loading the compiled kernels before it helps
  (pass ``--workers N`` on bigger machines or for long runs).
"""

from __future__ import annotations

REPLICATES = 20
WORKERS = 1
