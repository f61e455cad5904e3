"""Whether a Sobol analysis's indices are plausible for its sample size.

Saltelli's estimators are unbiased but noisy: with a small base sample N the bootstrap
intervals of the total indices are wide, and the estimates can break the identities the true
indices obey (0 <= S1 <= ST <= 1 for every parameter, sum of S1 <= 1). A result that breaks them
by more than its own intervals allow says that N is too small, not something about the model.
Each broken identity is one note; the sweep docs say what N to use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: the base sample size the notes recommend (Saltelli et al. 2010, Comput. Phys. Commun.
#: 181:259, and SALib's docs use N in the hundreds to thousands for stable total indices)
RECOMMENDED_N = 512
#: an interval half-width above this (indices live on 0-1) is too wide to rank parameters by
WIDE = 0.25


def base_samples(points: int, parameters: int, second_order: bool) -> int:
    """Saltelli's base N from the design's size: N (2D + 2) points with second-order indices,
    N (D + 2) without."""
    per = 2 * parameters + 2 if second_order else parameters + 2
    return points // per


def implausible(outcome: str, rows: pd.DataFrame, n: int) -> list[str]:
    """Notes on the Sobol rows of one outcome (columns ``parameter, index, value, conf, low,
    high``) that break the indices' identities beyond their intervals; empty when none."""
    s1 = rows[rows["index"] == "S1"].set_index("parameter")
    st = rows[rows["index"] == "ST"].set_index("parameter")
    found = []
    below = [p for p in st.index if st.at[p, "high"] < 0]
    if below:
        found.append(f"a total index whose whole interval is below 0 ({', '.join(below)})")
    above = [p for p in s1.index if p in st.index and s1.at[p, "low"] > st.at[p, "high"]]
    if above:
        found.append(f"a first-order index above its total index ({', '.join(above)})")
    if len(s1) and float(s1["low"].sum()) > 1:
        found.append("first-order indices summing above 1")
    half = pd.concat([s1["conf"], st["conf"]]).to_numpy(dtype=np.float64)
    if np.isfinite(half).any() and np.nanmax(half) > WIDE:
        found.append(f"intervals wider than +/-{WIDE:g}")
    if not found:
        return []
    advice = (
        f"rerun with design.samples >= {RECOMMENDED_N}"
        if n < RECOMMENDED_N
        else ("rerun with a larger design.samples or more replicates")
    )
    return [
        f"{outcome}: Sobol indices implausible at N = {n}: {'; '.join(found)}; {advice} "
        "(docs: how-to/sweep.md, 'How many samples')"
    ]
