"""Figure helpers: the original notebook's view (mean over seeds with a ±1 standard deviation
band, as it drew its repeats) and ours beside it (every seed, and a 95 % interval of the mean)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats


def mean_band(values, *, confidence: float | None = 0.95):
    """Mean over seeds (axis 0) and a half-width: the t interval of the mean at ``confidence``,
    or one standard deviation when ``confidence`` is None."""
    values = np.asarray(values, float)
    mean = values.mean(axis=0)
    n = values.shape[0]
    if n < 2:
        return mean, np.zeros_like(mean)
    sd = values.std(axis=0, ddof=1)
    if confidence is None:
        return mean, sd
    return mean, sd / np.sqrt(n) * stats.t.ppf(0.5 + confidence / 2, n - 1)


def band(
    ax,
    x: Sequence,
    values,
    label: str | None = None,
    *,
    sd: bool = False,
    log: bool = False,
    **kwargs,
):
    """The mean of ``values`` (seeds x len(x)) with a shaded band: ±1 SD (``sd=True``, the
    original's style) or the 95 % interval of the mean. ``log=True`` for a positive quantity
    tested on the log scale: the geometric mean, with the band taken on the log scale."""
    values = np.asarray(values, float)
    mean, half = mean_band(np.log(values) if log else values, confidence=None if sd else 0.95)
    low, high = mean - half, mean + half
    if log:
        mean, low, high = np.exp(mean), np.exp(low), np.exp(high)
    (line,) = ax.plot(x, mean, marker="o", markersize=3, label=label, **kwargs)
    ax.fill_between(x, low, high, color=line.get_color(), alpha=0.2, linewidth=0)
    return line


def seeds(ax, x: Sequence, values, color=None, **kwargs):
    """Every seed as a thin line: what the mean and its band summarise."""
    values = np.asarray(values, float)
    for row in values:
        ax.plot(x, row, color=color, alpha=0.25, linewidth=0.6, **kwargs)


def pair(
    fig,
    title_left: str = "as the original (mean ± 1 SD)",
    title_right: str = "our seeds (mean, 95 % interval, each seed)",
):
    """Two side-by-side axes: the original's view and ours."""
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    left.set_title(title_left)
    right.set_title(title_right)
    return left, right
