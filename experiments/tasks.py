"""The notebook's recurring task, stacked for batched training: a Gaussian mixture split into
train and test sets, one dataset per model (each drawn from that model's seed)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from harness.measures import Quantity

from . import data
from .engine import stack
from .rng import numpy_rng


@dataclass
class StackedTask:
    x_train: torch.Tensor  # (M, rows, d)
    y_train: torch.Tensor  # (M, rows)
    rows_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    rows_test: torch.Tensor


def gaussian_task(
    seeds: Sequence[int],
    *,
    n: int = 500,
    d: int = 12,
    separation: str = "inverse",
    scale: float = 1.0,
    test_fraction: float = 0.2,
) -> StackedTask:
    """Per model, ``n`` rows of the two-class mixture (half each class), 80/20 split. Models
    with the same seed get the same data, so settings compared on a seed are paired."""
    cache: dict[int, data.Split] = {}
    for seed in dict.fromkeys(seeds):
        rng = numpy_rng(seed, "data")
        x, y = data.gaussian_mixture(rng, n, d=d, sep=data.separation(separation, d), scale=scale)
        cache[seed] = data.train_test_split(rng, x, y, test_fraction)
    return stack_splits([cache[s] for s in seeds])


def stack_splits(splits: Sequence[data.Split]) -> StackedTask:
    """One model's train/test split per entry, stacked along the model axis (padded)."""
    x_train, rows_train = stack([s.x_train for s in splits])
    y_train, _ = stack([s.y_train for s in splits], torch.long)
    x_test, rows_test = stack([s.x_test for s in splits])
    y_test, _ = stack([s.y_test for s in splits], torch.long)
    return StackedTask(x_train, y_train, rows_train, x_test, y_test, rows_test)


def grid(settings: Sequence, seeds: Sequence[int]) -> tuple[list, list[int]]:
    """All (setting, seed) pairs, setting-major: model m = settings[m // S], seeds[m % S]."""
    pairs = [(k, s) for k in settings for s in seeds]
    return [k for k, _ in pairs], [s for _, s in pairs]


def curves_per_seed(
    curve: Sequence, settings: Sequence, seeds: Sequence[int], *, final: Quantity, trace: Quantity
) -> list[dict]:
    """Accuracy recorded during training -- one array of M = settings x seeds models per
    record, models ordered as by :func:`grid` -- as one measurement dict per seed: ``final``
    (the last record) and ``trace`` (every record) at each setting of their one axis."""
    curve = np.array(curve).T.reshape(len(settings), len(seeds), -1)  # setting, seed, record
    (axis,) = final.axes
    return [
        {
            **{final.key(**{axis: k}): curve[i, j, -1] for i, k in enumerate(settings)},
            **{trace.key(**{axis: k}): curve[i, j] for i, k in enumerate(settings)},
        }
        for j in range(len(seeds))
    ]
