"""Multiplicity control: across all claims of a run (statsmodels.stats.multitest), and across
the looks of adaptive seeding.

Across claims, ``adjust(p, "holm")`` (the default) controls the family-wise error rate
(Holm 1979; valid under any dependence between claims, which share experiments);
``adjust(p, "bh")`` controls the false discovery rate instead (Benjamini & Hochberg 1995;
valid for independent or positively dependent p-values). The runner adjusts the ``p_for`` and
``p_against`` of all claims as one list, so the chance of any wrong verdict (a false claim
SUPPORTED or a true claim REFUTED) is controlled at alpha.

Across looks (:func:`look_adjusted`, :func:`stop_early`): a claim's seeds come in looks
(the profile's schedule, e.g. 5, 10, 20 seeds) and it may stop at any look. Its p-value at
the look where it stopped is multiplied by the number of looks of its schedule (Bonferroni
over looks). Whatever the stopping rule, P(looks x p_J <= c) <= P(some look has
p_j <= c / looks) <= c, so the corrected p-value is valid under optional stopping and Holm can
be applied on top. See docs/statistics.md for why this rather than a group-sequential
boundary.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
from statsmodels.stats.multitest import multipletests

METHODS = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonferroni", "none": None}

# A claim stops early as SUPPORTED only while its point estimate is on the claim's side of every
# refutation boundary (p_against >= this): more seeds could otherwise still refute it -- e.g. an
# effect clearly above zero but below the smallest effect of interest.
SETTLED_AGAINST = 0.5


def adjust(pvalues: Sequence[float], method: str = "holm") -> np.ndarray:
    """Adjusted p-values; ``holm`` controls the family-wise error, ``bh`` the false discovery
    rate, ``bonferroni`` the family-wise error (more conservatively), ``none`` nothing."""
    if method not in METHODS:
        raise ValueError(f"unknown adjustment {method!r}; choose one of {', '.join(METHODS)}")
    p = np.asarray(pvalues, float)
    if p.ndim != 1:
        raise ValueError("adjust expects a flat list of p-values")
    if np.any(np.isnan(p)) or np.any((p < 0) | (p > 1)):
        raise ValueError("p-values must lie in [0, 1] (no NaN)")
    if METHODS[method] is None or p.size == 0:
        return p.copy()
    return multipletests(p, method=METHODS[method])[1]


def look_adjusted(p, looks: int):
    """Bonferroni over the ``looks`` of a claim's seed schedule: valid under optional
    stopping (vectorised)."""
    if looks < 1:
        raise ValueError("a schedule has at least one look")
    return np.minimum(1.0, np.asarray(p, float) * looks) if np.ndim(p) else min(1.0, p * looks)


def stop_early(p_for, p_against, *, looks: int, alpha: float, m: int):
    """Whether a claim may stop adding seeds: the verdict its data give now is final after
    Holm adjustment, whatever the other claims' p-values.

    * REFUTED is settled when ``looks x p_against < alpha / m``: alpha / m is the strictest
      Holm threshold among m claims, so the claim is refuted after adjustment in any case.
    * SUPPORTED is settled when ``looks x p_for < alpha / m`` and the estimate does not lean
      towards refutation (``p_against >= 0.5``): a small but non-zero effect below the smallest
      effect of interest keeps collecting seeds until it can be refuted.

    Vectorised over arrays of p-values (used by the simulation tests).
    """
    bar = alpha / (max(int(m), 1) * looks)
    p_for, p_against = np.asarray(p_for, float), np.asarray(p_against, float)
    out = (p_against < bar) | ((p_for < bar) & (p_against >= SETTLED_AGAINST))
    return bool(out) if out.ndim == 0 else out
