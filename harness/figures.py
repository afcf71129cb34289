"""Figure helpers in the original notebook's style: a mean across seeds with an interval band."""
from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import stats


def mean_band(values, confidence: float = 0.95):
    """Mean over seeds (axis 0) with a t-interval half-width."""
    values = np.asarray(values, float)
    mean = values.mean(axis=0)
    n = values.shape[0]
    if n < 2:
        return mean, np.zeros_like(mean)
    sem = values.std(axis=0, ddof=1) / np.sqrt(n)
    return mean, sem * stats.t.ppf(0.5 + confidence / 2, n - 1)


def band(ax, x: Sequence, values, label: str | None = None, **kwargs):
    """Plot the mean of ``values`` (seeds x len(x)) with its 95 % interval as a shaded band."""
    mean, half = mean_band(values)
    line, = ax.plot(x, mean, marker="o", markersize=3, label=label, **kwargs)
    ax.fill_between(x, mean - half, mean + half, color=line.get_color(), alpha=0.2, linewidth=0)
    return line
