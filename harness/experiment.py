"""Experiments, their protocols (an experiment with fixed parameters) and their trials.

An experiment is a function ``fn(seeds, **params) -> list[dict]`` that runs one trial per seed,
all seeds at once where it can (batched), and returns one dict of measurements per seed. A seed
alone must determine a trial: data, initialisation and batch order.
"""
from __future__ import annotations

import hashlib
import inspect
import json
import sys
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Mapping, Sequence

import numpy as np


def canonical_json(value: Any) -> str:
    """A stable text form of parameters, used in store keys and reports."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_jsonable)


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (np.ndarray, tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"parameter value {value!r} is not JSON-serialisable")


def _source_digest(objects: Sequence[Any]) -> str:
    digest = hashlib.sha256()
    for obj in objects:
        module = sys.modules.get(obj.__module__) if not inspect.ismodule(obj) else obj
        try:
            digest.update(inspect.getsource(module or obj).encode())
        except (OSError, TypeError):
            digest.update(repr(obj).encode())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Experiment:
    """A named experiment. ``depends_on`` lists modules or functions whose source is part of
    its code version, so that editing the training engine invalidates cached trials."""

    name: str
    fn: Callable[..., list[dict]] = field(repr=False)
    depends_on: tuple = field(default=(), repr=False)
    plot: Callable | None = field(default=None, repr=False)

    @property
    def code_version(self) -> str:
        return _source_digest((self.fn, *self.depends_on))

    def __call__(self, **params) -> "Protocol":
        """Fix the parameters: ``imbalance(ratios=(1, 2, 5))`` is a :class:`Protocol`."""
        signature = inspect.signature(self.fn)
        try:
            signature.bind([], **params)
        except TypeError as exc:
            raise TypeError(f"experiment {self.name!r}: {exc}") from None
        canonical_json(params)  # fail early on parameters the store cannot key
        return Protocol(self, MappingProxyType(dict(params)))

    def figure(self, plot: Callable) -> Callable:
        """Decorator: ``plot(trials, params, ax_or_fig)`` draws this experiment's figure."""
        object.__setattr__(self, "plot", plot)
        return plot


def experiment(name: str, *, depends_on: Sequence = ()) -> Callable[[Callable], Experiment]:
    def wrap(fn):
        return Experiment(name=name, fn=fn, depends_on=tuple(depends_on))
    return wrap


@dataclass(frozen=True)
class Protocol:
    experiment: Experiment
    params: Mapping[str, Any]

    @property
    def key(self) -> str:
        return f"{self.experiment.name}:{canonical_json(dict(self.params))}"

    @property
    def label(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in sorted(self.params.items()))
        return f"{self.experiment.name}({args})"

    @property
    def slug(self) -> str:
        return f"{self.experiment.name}-{hashlib.sha256(self.key.encode()).hexdigest()[:8]}"

    def run(self, seeds: Sequence[int]) -> list[dict]:
        results = self.experiment.fn(list(seeds), **self.params)
        if len(results) != len(seeds):
            raise RuntimeError(f"{self.label} returned {len(results)} trials for {len(seeds)} seeds")
        return [to_plain(r) for r in results]


def to_plain(value: Any) -> Any:
    """Measurements as JSON-friendly Python values (arrays become nested lists)."""
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    return value


class Trials:
    """Measurements of one protocol over seeds: ``trials["acc"]`` has shape ``(seeds, ...)``."""

    def __init__(self, protocol: Protocol | None, seeds: Sequence[int], measurements: Sequence[dict]):
        self.protocol = protocol
        self.seeds = list(seeds)
        self.measurements = list(measurements)

    @property
    def params(self) -> Mapping[str, Any]:
        return self.protocol.params if self.protocol else {}

    def __len__(self) -> int:
        return len(self.seeds)

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return np.asarray([m[name] for m in self.measurements], dtype=float)
        except KeyError:
            known = sorted(self.measurements[0]) if self.measurements else []
            raise KeyError(f"no measurement {name!r}; this experiment records {known}") from None

    def head(self, n: int) -> "Trials":
        return Trials(self.protocol, self.seeds[:n], self.measurements[:n])
