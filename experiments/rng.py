"""Seeding: a trial's seed alone determines its data, initialisation and batch order.

Each use draws from its own stream, derived from ``(seed, stream name)`` with numpy's
SeedSequence, so that e.g. changing the number of steps never changes the data.
"""

from __future__ import annotations

import zlib

import numpy as np
import torch


def _entropy(seed: int, stream: str) -> list[int]:
    return [int(seed), zlib.crc32(stream.encode())]


def numpy_rng(seed: int, stream: str) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(_entropy(seed, stream)))


def torch_generator(seed: int, stream: str) -> torch.Generator:
    state = np.random.SeedSequence(_entropy(seed, stream)).generate_state(1, dtype=np.uint64)[0]
    return torch.Generator().manual_seed(int(state) & 0x7FFF_FFFF_FFFF_FFFF)
