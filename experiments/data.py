"""Data generators of the original notebook (see ../shared/protocols.md), seeded per trial."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Split:
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def separation(kind: str, d: int) -> np.ndarray:
    """The class-1 mean: ``"ones"`` (1 in every dimension) or ``"inverse"`` (1/i, i = 1..d)."""
    if kind == "ones":
        return np.ones(d)
    if kind == "inverse":
        return 1.0 / np.arange(1, d + 1)
    raise ValueError(f"unknown separation {kind!r}; use 'ones' or 'inverse'")


def mixing_matrix(rng: np.random.Generator, d: int, scale: float) -> np.ndarray:
    """C with entries uniform on [0, 1) times ``scale``; the shared covariance is CᵀC."""
    return rng.random((d, d)) * scale


def gaussian_class(rng: np.random.Generator, n: int, mean: np.ndarray, c: np.ndarray) -> np.ndarray:
    """``n`` rows from N(mean, CᵀC): z C + mean with z standard normal."""
    return rng.standard_normal((n, len(mean))) @ c + mean


def gaussian_mixture(
    rng: np.random.Generator,
    n: int,
    *,
    d: int,
    sep: np.ndarray,
    scale: float = 1.0,
    minority_fraction: float = 0.5,
    n_minority: int | None = None,
    c: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian classes with a shared covariance: class 0 at 0, class 1 at ``sep``.
    Returns (x, y) with ``n_minority`` rows of class 1 (default ``round(n *
    minority_fraction)``), shuffled."""
    c = mixing_matrix(rng, d, scale) if c is None else c
    n1 = int(round(n * minority_fraction)) if n_minority is None else int(n_minority)
    x = np.vstack([gaussian_class(rng, n - n1, np.zeros(d), c), gaussian_class(rng, n1, sep, c)])
    y = np.r_[np.zeros(n - n1, int), np.ones(n1, int)]
    order = rng.permutation(n)
    return x[order].astype(np.float32), y[order]


def train_test_split(
    rng: np.random.Generator, x: np.ndarray, y: np.ndarray, test_fraction: float = 0.2
) -> Split:
    n = len(x)
    order = rng.permutation(n)
    n_test = int(round(n * test_fraction))
    test, train = order[:n_test], order[n_test:]
    return Split(x[train], y[train], x[test], y[test])


def minmax_scale(x: np.ndarray) -> np.ndarray:
    """Scale each column to [0, 1] (the original scaled train and test sets separately)."""
    low, high = x.min(axis=0), x.max(axis=0)
    return ((x - low) / np.where(high > low, high - low, 1.0)).astype(np.float32)


def two_moons(seed: int, n: int = 500, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return x.astype(np.float32), y
