"""How an empirical claim's trials become a test: which measurements feed which test family.

A measure is a measurement name (``"accuracy"``) or a function of :class:`Trials` returning one
value per seed (or a seeds x levels array for a trend). Each check has ``evaluate(trials)``
and ``hypothesis`` (the claim in statistical terms, for the report).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence, Union

import numpy as np

from . import stats
from .experiment import Trials

Measure = Union[str, Callable[[Trials], Any]]


def measure(m: Measure, trials: Trials) -> np.ndarray:
    return trials[m] if isinstance(m, str) else np.asarray(m(trials), float)


def _name(m: Measure) -> str:
    return m if isinstance(m, str) else getattr(m, "__doc__", None) or getattr(m, "__name__", "measure")


@dataclass(frozen=True)
class Compare:
    """A is greater (``alternative="greater"``) or less than B, by at least ``min_effect``."""

    a: Measure
    b: Measure
    alternative: str = "greater"
    min_effect: float = 0.0
    paired: bool = True

    def evaluate(self, trials: Trials) -> stats.TestResult:
        return stats.compare(measure(self.a, trials), measure(self.b, trials), paired=self.paired,
                             alternative=self.alternative, min_effect=self.min_effect)

    @property
    def hypothesis(self) -> str:
        op = ">" if self.alternative == "greater" else "<"
        return (f"H1: mean[{_name(self.a)}] {op} mean[{_name(self.b)}] "
                f"({'paired by seed' if self.paired else 'unpaired'}); refuted if the difference is "
                f"significantly below {self.min_effect:g} in the claimed direction")


@dataclass(frozen=True)
class Trend:
    """The measure (seeds x levels) rises or falls across ``levels``; ``every_step`` for
    "monotonically"."""

    measure: Measure
    levels: Sequence
    direction: str = "decreasing"
    every_step: bool = False
    min_effect: float = 0.0

    def evaluate(self, trials: Trials) -> stats.TestResult:
        y = measure(self.measure, trials)
        if y.ndim != 2 or y.shape[1] != len(self.levels):
            raise ValueError(f"trend measure has shape {y.shape}; expected (seeds, {len(self.levels)})")
        return stats.trend(y, direction=self.direction, every_step=self.every_step,
                           min_effect=self.min_effect)

    @property
    def hypothesis(self) -> str:
        how = "at every step" if self.every_step else "overall"
        return (f"H1: {_name(self.measure)} is {self.direction} {how} across "
                f"{list(self.levels)}; smallest effect of interest {self.min_effect:g}")


@dataclass(frozen=True)
class Equivalent:
    """A and B perform alike: |mean(A - B)| < margin (TOST)."""

    a: Measure
    b: Measure
    margin: float
    paired: bool = True

    def evaluate(self, trials: Trials) -> stats.TestResult:
        return stats.equivalence(measure(self.a, trials), measure(self.b, trials),
                                 margin=self.margin, paired=self.paired)

    @property
    def hypothesis(self) -> str:
        return f"H1: |mean[{_name(self.a)}] - mean[{_name(self.b)}]| < {self.margin:g} (TOST)"


@dataclass(frozen=True)
class Value:
    """The measure is about ``target``, within ``tolerance``."""

    measure: Measure
    target: float
    tolerance: float

    def evaluate(self, trials: Trials) -> stats.TestResult:
        return stats.value(measure(self.measure, trials), target=self.target,
                           tolerance=self.tolerance)

    @property
    def hypothesis(self) -> str:
        return f"H1: mean[{_name(self.measure)}] within {self.target:g} ± {self.tolerance:g}"


@dataclass(frozen=True)
class AtChance:
    """Negative control: the measure stays within ``margin`` of ``chance``."""

    measure: Measure
    chance: float = 0.5
    margin: float = 0.05

    def evaluate(self, trials: Trials) -> stats.TestResult:
        return stats.at_chance(measure(self.measure, trials), chance=self.chance,
                               margin=self.margin)

    @property
    def hypothesis(self) -> str:
        return f"H1: mean[{_name(self.measure)}] within {self.chance:g} ± {self.margin:g} (chance)"


@dataclass(frozen=True)
class AllOf:
    """Every part holds (e.g. each loss equivalent to cross-entropy)."""

    parts: Sequence[Any]
    label: str = ""

    def evaluate(self, trials: Trials) -> stats.TestResult:
        return stats.all_of([p.evaluate(trials) for p in self.parts], family=self.label or None)

    @property
    def hypothesis(self) -> str:
        return "all of: " + "; ".join(p.hypothesis for p in self.parts)
