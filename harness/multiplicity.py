"""Multiplicity control across all claims of a run (statsmodels.stats.multitest)."""
from __future__ import annotations

from typing import Sequence

import numpy as np
from statsmodels.stats.multitest import multipletests

METHODS = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni", "none": None}


def adjust(pvalues: Sequence[float], method: str = "holm") -> np.ndarray:
    """Adjusted p-values; ``holm`` controls the family-wise error, ``bh`` the false discovery
    rate."""
    if method not in METHODS:
        raise ValueError(f"unknown adjustment {method!r}; choose one of {', '.join(METHODS)}")
    p = np.asarray(pvalues, float)
    if METHODS[method] is None or p.size == 0:
        return p.copy()
    return multipletests(p, method=METHODS[method])[1]
