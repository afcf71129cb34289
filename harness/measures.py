"""Named measures: what a claim's test reads from an experiment's trials.

An experiment module declares the *quantities* it records -- what each is, the scale its mean is
tested on, its bounds and its resolution -- and writes each measurement under
``quantity.key(**levels)``. A claim then selects one at given levels, never by spelling a key:

    accuracy.at(ratio=100, resample="off")           # one value per seed
    accuracy.over("ratio", RATIOS, resample="off")    # seeds x levels, for a trend
    accuracy.mean_over("ratio", (2, 5, 10), resample="on")
    derived("share of the attainable gain", fn, like=accuracy)

and compares it with another measure or with a plain number. Everything a test needs to be
valid -- scale, bounds, noise floor -- travels with the measure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

SCALES = ("linear", "log")


class MeasureError(ValueError):
    """A measure is declared or selected inconsistently (a claim-definition error)."""


def level_text(value: Any) -> str:
    """How a level value is written inside a key: ints plainly, floats as Python's shortest
    repr (0.1, not 0.1000000001), everything else with str()."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(value, (tuple, list)):
        return "x".join(level_text(v) for v in value)
    return str(value)


def _join_levels(levels: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={level_text(v)}" for k, v in levels.items())


@dataclass(frozen=True)
class Quantity:
    """Something an experiment measures once per seed (at each combination of its ``axes``).

    ``scale``: ``"linear"`` -- means are compared as differences; ``"log"`` -- for positive,
    right-skewed quantities (losses, norms, times, step counts): means are compared on the log
    scale, i.e. as ratios of geometric means, where their noise is close to symmetric.
    ``bounds``: the range the quantity cannot leave (an accuracy lies in [0, 1]).
    ``rows``: for a proportion measured on a finite set (accuracy on n test rows), the number
    of rows -- a number, or a function of the levels and protocol parameters. It sets the
    measurement's own noise floor (binomial) and resolution (1 / rows).
    ``resolution``: otherwise, the smallest difference the measurement can show.
    ``deterministic``: False for what a seed does not fix -- wall or CPU time. Such values are
    reported as measured on the machine named in the provenance and are left out when stored
    trials are re-derived and compared.
    """

    name: str
    description: str = ""
    axes: tuple[str, ...] = ()
    scale: str = "linear"
    bounds: tuple[float, float] | None = None
    rows: int | Callable[[Mapping[str, Any]], int] | None = None
    resolution: float = 0.0
    deterministic: bool = True

    def __post_init__(self):
        if self.scale not in SCALES:
            raise MeasureError(f"quantity {self.name!r}: scale must be one of {SCALES}")
        if self.scale == "log" and self.bounds is not None and self.bounds[0] < 0:
            raise MeasureError(f"quantity {self.name!r}: a log-scale quantity must be positive")

    # --- keys, as written by experiments --------------------------------------------------
    def key(self, **levels) -> str:
        """The measurement key of this quantity at ``levels`` (every axis, in declared order)."""
        missing = [a for a in self.axes if a not in levels]
        unknown = [k for k in levels if k not in self.axes]
        if missing or unknown:
            problems = []
            if missing:
                problems.append(f"missing level(s) {missing}")
            if unknown:
                problems.append(f"unknown axis/axes {unknown}")
            raise MeasureError(
                f"quantity {self.name!r} has axes {list(self.axes)}: " + "; ".join(problems)
            )
        if not self.axes:
            return self.name
        return f"{self.name}[{','.join(f'{a}={level_text(levels[a])}' for a in self.axes)}]"

    # --- selections, as used by claims ------------------------------------------------------
    def at(self, **levels) -> Selected:
        self.key(**levels)  # fail at definition time on a wrong axis
        return Selected(self, tuple(levels.items()))

    def over(self, axis: str, values: Sequence, **levels) -> Over:
        if axis not in self.axes:
            raise MeasureError(f"quantity {self.name!r} has no axis {axis!r} (axes: {self.axes})")
        parts = tuple(self.at(**{**levels, axis: v}) for v in values)
        label = f"{self.name} over {axis} = {', '.join(level_text(v) for v in values)}"
        if levels:
            label += f" ({_join_levels(levels)})"
        return Over(parts, axis, tuple(values), label)

    def mean_over(self, axis: str, values: Sequence, **levels) -> Derived:
        over = self.over(axis, values, **levels)
        label = f"mean {self.name} over {axis} = {', '.join(level_text(v) for v in values)}"
        if levels:
            label += f" ({_join_levels(levels)})"
        return Derived(
            label, lambda trials: over.values(trials).mean(axis=1), over.parts[0], parts=over.parts
        )

    # --- reading trials directly (figures) ------------------------------------------------
    def values(self, trials, **levels) -> np.ndarray:
        """One value per seed at ``levels``."""
        return trials[self.key(**levels)]

    def over_values(self, trials, axis: str, values: Sequence, **levels) -> np.ndarray:
        """Seeds x len(values): the quantity along ``axis``."""
        return np.stack([trials[self.key(**{**levels, axis: v})] for v in values], axis=1)

    def noise_floor(self, level_values: Mapping[str, Any], mean: np.ndarray) -> np.ndarray:
        """The smallest per-seed standard deviation this measurement can have at ``mean``: a
        proportion on n rows carries binomial noise (Agresti-Coull, so it never vanishes at 0
        or 1); any other quantity its resolution; failing both, float32 rounding."""
        n = self.rows_at(level_values)
        if n:
            p = (np.asarray(mean, float) * n + 2) / (n + 4)
            return np.sqrt(p * (1 - p) / n)
        return np.maximum(self.resolution, 1e-6 * np.maximum(1.0, np.abs(mean)))

    def step(self, level_values: Mapping[str, Any]) -> float:
        """The resolution: one row of a proportion, or the declared resolution."""
        n = self.rows_at(level_values)
        return 1.0 / n if n else self.resolution

    def rows_at(self, level_values: Mapping[str, Any]) -> int | None:
        if self.rows is None:
            return None
        return int(self.rows(level_values) if callable(self.rows) else self.rows)


# --- quantity constructors for the common cases ---------------------------------------------
def accuracy(name: str = "accuracy", description: str = "", *, rows, axes=()) -> Quantity:
    """A proportion of ``rows`` labelled rows (accuracy, agreement, a rate)."""
    return Quantity(name, description or name, tuple(axes), "linear", (0.0, 1.0), rows=rows)


def positive(
    name: str,
    description: str = "",
    *,
    axes=(),
    resolution: float = 0.0,
    deterministic: bool = True,
) -> Quantity:
    """A positive, right-skewed quantity (a loss, a norm, a time, a step count): log scale.
    A time is ``deterministic=False``: the seed does not fix it."""
    return Quantity(
        name,
        description or name,
        tuple(axes),
        "log",
        (0.0, math.inf),
        resolution=resolution,
        deterministic=deterministic,
    )


def real(
    name: str,
    description: str = "",
    *,
    axes=(),
    bounds=None,
    resolution: float = 0.0,
    deterministic: bool = True,
) -> Quantity:
    """Any other real-valued quantity, tested on the linear scale."""
    return Quantity(
        name,
        description or name,
        tuple(axes),
        "linear",
        bounds,
        resolution=resolution,
        deterministic=deterministic,
    )


# --- what tests consume ---------------------------------------------------------------------
class Measure:
    """A function of trials with one value per seed, and what a test needs to know about it."""

    label: str
    quantity: Quantity
    levels: Mapping[str, Any]

    def values(self, trials) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    @property
    def scale(self) -> str:
        return self.quantity.scale

    @property
    def bounds(self):
        return self.quantity.bounds

    def context(self, trials) -> dict:
        return {**dict(trials.params), **dict(self.levels)}

    def noise_floor(self, trials, mean) -> np.ndarray:
        return self.quantity.noise_floor(self.context(trials), mean)

    def step(self, trials) -> float:
        return self.quantity.step(self.context(trials))

    def __repr__(self) -> str:
        return self.label


@dataclass(frozen=True, repr=False)
class Selected(Measure):
    """One quantity at fixed levels."""

    quantity: Quantity
    level_items: tuple = ()

    @property
    def levels(self) -> dict:
        return dict(self.level_items)

    @property
    def key(self) -> str:
        return self.quantity.key(**self.levels)

    @property
    def label(self) -> str:
        return (
            f"{self.quantity.name} at {_join_levels(self.levels)}"
            if self.levels
            else (self.quantity.name)
        )

    def values(self, trials) -> np.ndarray:
        return trials[self.key]


@dataclass(frozen=True, repr=False)
class Over:
    """A quantity at each value of one axis: a seeds x levels array, for trends."""

    parts: tuple[Selected, ...]
    axis: str
    levels: tuple
    label: str

    @property
    def quantity(self) -> Quantity:
        return self.parts[0].quantity

    @property
    def scale(self) -> str:
        return self.quantity.scale

    def values(self, trials) -> np.ndarray:
        return np.stack([p.values(trials) for p in self.parts], axis=1)

    def step(self, trials) -> float:
        return max(p.step(trials) for p in self.parts)

    def __repr__(self) -> str:
        return self.label


@dataclass(frozen=True, repr=False)
class Derived(Measure):
    """A function of the trials, one value per seed, with the quantity it is like (its scale,
    bounds and resolution). ``parts`` lists the selections it reads, for the report."""

    label: str
    fn: Callable = field(compare=False)
    like: Measure | Quantity = None
    parts: tuple = ()

    def __post_init__(self):
        if self.like is None:
            raise MeasureError(f"derived measure {self.label!r} needs like=<a quantity or measure>")

    @property
    def quantity(self) -> Quantity:
        return self.like if isinstance(self.like, Quantity) else self.like.quantity

    @property
    def levels(self) -> dict:
        return {} if isinstance(self.like, Quantity) else dict(self.like.levels)

    def values(self, trials) -> np.ndarray:
        return np.asarray(self.fn(trials), float)


def derived(label: str, fn: Callable, *, like: Measure | Quantity) -> Derived:
    """A measure computed from the trials (one value per seed) that behaves like ``like``."""
    return Derived(label, fn, like)


@dataclass(frozen=True)
class Number:
    """A fixed reference value: comparing a measure with a number is a one-sample test."""

    value: float
    label: str = ""

    def __post_init__(self):
        if not math.isfinite(self.value):
            raise MeasureError(f"a reference number must be finite, got {self.value!r}")

    def __repr__(self) -> str:
        return self.label or f"{self.value:g}"


def as_measure(m) -> Measure | Number:
    """Accept a measure, or a plain number as a reference value."""
    if isinstance(m, (Measure, Number, Over)):
        return m
    if isinstance(m, (int, float, np.integer, np.floating)) and not isinstance(m, bool):
        return Number(float(m))
    if isinstance(m, Quantity):
        return m.at()
    raise MeasureError(
        f"{m!r} is not a measure: select one from a quantity (quantity.at(...)), use "
        "derived(...), or give a number"
    )
