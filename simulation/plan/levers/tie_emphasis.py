"""The tie emphasis lever: a platform archetype that carries content within teams more than across.

Not listed under ``interventions``: :meth:`Scenario.levers` adds it when
``platform.cross_tie_weight`` is not 1. Once, before the first day, ties across departments are
weighted by ``cross_tie_weight`` in the engine's tie matrix (a chat-first tool); the engine then
recomputes each person's total tie weight, so that exposure stays a share 0-1.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from simulation.model.components import Component, EngineView

_F = np.float32


class TieEmphasis(Component):
    """Weight of ties across departments relative to ties within one."""

    def __init__(self, cross_tie_weight: float):
        self.cross_tie_weight = cross_tie_weight

    def __repr__(self) -> str:
        return f"TieEmphasis(cross_tie_weight={self.cross_tie_weight})"

    def prepare(self, engine: EngineView) -> None:
        department = engine.org.department
        ties = sp.csr_matrix(engine.ties, dtype=_F, copy=True)
        rows = np.repeat(np.arange(ties.shape[0]), np.diff(ties.indptr))
        cross = department[rows] != department[ties.indices]
        ties.data[cross] *= _F(self.cross_tie_weight)
        engine.replace_ties(ties)  # the engine rebuilds its integer ties and degrees from these
