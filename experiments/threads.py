"""Thread control for small batched training."""

from __future__ import annotations

from contextlib import contextmanager

import torch


@contextmanager
def one_thread():
    """Run on one intra-op thread, restoring the count afterwards (usable as ``with
    one_thread():`` or as the decorator ``@one_thread()``). Small batched tensors are far below
    torch's parallel grain: a second thread only adds synchronisation, which becomes very costly
    when other processes share the two cores."""
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(old)
