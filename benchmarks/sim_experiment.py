"""A synthetic experiment for the simulations: replicate ``rep`` returns the values planted for
it (``DATA[rep]``, or ``planted`` when given -- which reaches worker processes too), one per
seed, as a real-valued and as an accuracy quantity, so that a real check reads them through the
runner exactly as it reads an experiment's trials."""

from __future__ import annotations

import numpy as np

from harness import accuracy, experiment, real

ROWS = 200
VALUE = real("value", "a simulated per-seed value")
ACCURACY = accuracy("accuracy", "a simulated accuracy", rows=ROWS)
DATA: dict[int, np.ndarray] = {}


@experiment("simulated", measures=(VALUE, ACCURACY), chunk=5)
def values(seeds, *, rep=0, planted=None):
    row = DATA[rep] if planted is None else planted
    return [{VALUE.key(): float(row[s]), ACCURACY.key(): float(row[s])} for s in seeds]
