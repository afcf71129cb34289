"""Experiments, their protocols (an experiment with all parameters fixed) and their trials.

An experiment is a function ``fn(seeds, **params) -> list[dict]`` that runs one trial per seed,
all seeds at once where it can (batched), and returns one dict of measurements per seed; a seed
alone must determine its trial (data, initialisation, batch order). A seed whose training
diverged says so with ``{DIVERGED: True}`` (or has NaN/inf among its measurements): it is
stored as diverged, never as numbers.

Seeds are always computed in canonical chunks (seeds 0-4, 5-9, ... for ``chunk=5``), so a
trial is the same bit for bit whether it was computed for a 5-seed look or a 50-seed one, on one
core or on a cluster -- which is what lets CI re-derive stored trials exactly.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import inspect
import json
import math
import sys
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

import numpy as np

from .measures import Quantity

ROOT = Path(__file__).resolve().parent.parent
DIVERGED = "diverged"  # the measurement key an experiment sets True for a diverged seed
TRIAL_FORMAT = "2"  # bump when the way trials are post-processed or stored changes


class ExperimentError(ValueError):
    """An experiment or protocol is declared or called inconsistently."""


def canonical_json(value: Any) -> str:
    """A stable text form of parameters, used in store keys and reports."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_jsonable)


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (np.ndarray, tuple, set, frozenset)):
        return list(value)
    raise TypeError(f"parameter value {value!r} is not JSON-serialisable")


# --- code versions ------------------------------------------------------------------------------
def _source(module: ModuleType) -> str:
    """A module's source text. inspect has none for an empty file (a bare package
    ``__init__``): that is "", never the module's repr, which holds its path and would tie a
    version to where the project lies."""
    try:
        return inspect.getsource(module)
    except (OSError, TypeError):
        path = getattr(module, "__file__", None)
        return Path(path).read_text(encoding="utf-8") if path and Path(path).is_file() else ""


def _local_imports(module: ModuleType) -> list[ModuleType]:
    """Project modules (outside the harness) that ``module`` imports, read from its source."""
    try:
        tree = ast.parse(_source(module))
    except SyntaxError:
        return []
    package = module.__name__ if hasattr(module, "__path__") else module.__name__.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            names.append(base)
            names += [f"{base}.{a.name}" for a in node.names]
    out = []
    for name in names:
        mod = sys.modules.get(name)
        if mod is None or name == "harness" or name.startswith("harness."):
            continue
        path = getattr(mod, "__file__", None)
        if path and Path(path).resolve().is_relative_to(ROOT) and ".venv" not in Path(path).parts:
            out.append(mod)
    return out


def _module_text(module: ModuleType, skip: frozenset = frozenset()) -> str:
    """What a module computes, as its syntax tree: comments, formatting, docstrings, an
    experiment's seed cap and the figure functions named in ``skip`` do not change a trial, so
    they do not change the version."""
    try:
        tree = ast.parse(_source(module))
    except SyntaxError:  # not Python source: its name stands for it
        return module.__name__
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "experiment":
            # a cost cap decides how many seeds run, not what a seed computes
            node.keywords = [k for k in node.keywords if k.arg != "max_seeds"]
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(getattr(body[0], "value", None), ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body.pop(0)  # a docstring
        node.body = [
            n
            for n in body
            if not (isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name in skip)
        ] or [ast.Pass()]
    return ast.dump(tree, include_attributes=False)


def code_version(fn: Callable, plots: Sequence[Callable] = ()) -> str:
    """A hash of the syntax of ``fn``'s module and of every project module it imports,
    transitively (the harness excepted: it does not decide what a trial computes), without the
    experiments' figure functions, docstrings and comments."""
    return _cached(_version, sys.modules[fn.__module__], frozenset(p.__name__ for p in plots))


def _version(start: ModuleType, skip: frozenset) -> str:
    seen: dict[str, ModuleType] = {}
    todo = [start]
    while todo:
        mod = todo.pop()
        if mod.__name__ in seen:
            continue
        seen[mod.__name__] = mod
        todo += _cached(_local_imports, mod)
    digest = hashlib.sha256(TRIAL_FORMAT.encode())
    for name in sorted(seen):
        digest.update(name.encode())
        digest.update(_cached(_module_text, seen[name], skip).encode())
    return digest.hexdigest()[:12]


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cached(fn, module: ModuleType, *args):
    """``fn(module, *args)``, once per module object: a module's source does not change under
    a running process, and parsing it is not free. Keyed by the object itself (weakly), so a
    module imported afresh -- a new object, perhaps at a freed one's address -- is parsed again."""
    per_module = _CACHE.setdefault(module, {})
    key = (fn.__name__, *args)
    if key not in per_module:
        per_module[key] = fn(module, *args)
    return per_module[key]


# --- experiments and protocols ------------------------------------------------------------------
_EXPERIMENTS: dict[str, Experiment] = {}


@dataclass(frozen=True, eq=False)
class Experiment:
    """A named experiment: the function, the quantities it records, its figure and its chunk
    size (how many seeds it trains together)."""

    name: str
    fn: Callable[..., list[dict]] = field(repr=False)
    measures: tuple[Quantity, ...] = field(default=(), repr=False)
    chunk: int = 5
    plots: list = field(default_factory=list, repr=False)
    max_seeds: int | None = None  # a cost cap on every claim of this experiment

    @property
    def code_version(self) -> str:
        return code_version(self.fn, self.plots)

    @property
    def defaults(self) -> dict:
        sig = inspect.signature(self.fn)
        return {
            k: p.default
            for k, p in sig.parameters.items()
            if p.default is not inspect.Parameter.empty
        }

    def __call__(self, **params) -> Protocol:
        """Fix the parameters: ``imbalance(ratios=(1, 2, 5))`` is a :class:`Protocol` with every
        other parameter at its default, so keys, labels and figures show them all."""
        signature = inspect.signature(self.fn)
        try:
            bound = signature.bind([], **params)
        except TypeError as exc:
            raise ExperimentError(f"experiment {self.name!r}: {exc}") from None
        bound.apply_defaults()
        full = {k: v for k, v in bound.arguments.items() if k != next(iter(signature.parameters))}
        try:
            canonical_json(full)
        except TypeError as exc:
            raise ExperimentError(f"experiment {self.name!r}: {exc}") from None
        return Protocol(self, MappingProxyType(full))

    def figure(self, plot: Callable) -> Callable:
        """Decorator: ``plot(trials, fig)`` draws this experiment's figure for one protocol."""
        self.plots.append(plot)
        return plot

    @property
    def plot(self) -> Callable | None:
        return self.plots[-1] if self.plots else None


def experiment(
    name: str, *, measures: Sequence[Quantity] = (), chunk: int = 5, max_seeds: int | None = None
):
    """Declare an experiment: ``@experiment("imbalance", measures=(accuracy,))``.

    ``max_seeds``: an experiment too costly for the schedule's late looks (several CPU seconds
    a seed) caps every claim on it -- declared before any run, from its cost alone."""
    if not isinstance(chunk, int) or chunk < 1:
        raise ExperimentError(f"experiment {name!r}: chunk must be a positive int")
    if max_seeds is not None and not (isinstance(max_seeds, int) and max_seeds >= 3):
        raise ExperimentError(f"experiment {name!r}: max_seeds must be an int >= 3")

    def wrap(fn):
        exp = Experiment(
            name=name, fn=fn, measures=tuple(measures), chunk=chunk, max_seeds=max_seeds
        )
        _EXPERIMENTS[name] = exp
        return exp

    return wrap


def find(module: str, name: str) -> Experiment:
    """The experiment ``name`` defined in ``module`` (imported if needed): how a worker in
    another process or on another machine finds the function to run."""
    if name not in _EXPERIMENTS or _EXPERIMENTS[name].fn.__module__ != module:
        if module not in sys.modules:
            spec = importlib.util.find_spec(module)
            if spec is None:
                raise ExperimentError(f"experiment module {module!r} is not importable here")
        importlib.import_module(module)
    try:
        return _EXPERIMENTS[name]
    except KeyError:
        raise ExperimentError(f"module {module!r} defines no experiment {name!r}") from None


@dataclass(frozen=True)
class Protocol:
    experiment: Experiment
    params: Mapping[str, Any]

    @property
    def key(self) -> str:
        return f"{self.experiment.name}:{canonical_json(dict(self.params))}"

    @property
    def label(self) -> str:
        args = ", ".join(f"{k}={_short(v)}" for k, v in self.params.items())
        return f"{self.experiment.name}({args})"

    @property
    def slug(self) -> str:
        return f"{self.experiment.name}-{hashlib.sha256(self.key.encode()).hexdigest()[:8]}"

    def with_params(self, **changes) -> Protocol:
        return self.experiment(**{**self.params, **changes})

    def chunks(self, seeds: Sequence[int]) -> list[list[int]]:
        """The canonical chunks covering ``seeds``: every chunk complete."""
        size = self.experiment.chunk
        starts = sorted({s // size * size for s in seeds})
        return [list(range(a, a + size)) for a in starts]

    def run(self, seeds: Sequence[int]) -> list[dict]:
        """Run one chunk of seeds; measurements as plain JSON-friendly values, a diverged seed
        as ``{DIVERGED: True, ...}`` (non-finite numbers are never stored as results)."""
        results = self.experiment.fn(list(seeds), **self.params)
        if not isinstance(results, list) or len(results) != len(seeds):
            got = len(results) if isinstance(results, list) else type(results).__name__
            raise ExperimentError(f"{self.label} returned {got} trials for {len(seeds)} seeds")
        return [_finish(to_plain(r)) for r in results]


def _short(v) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def _finish(m: dict) -> dict:
    if not isinstance(m, dict):
        raise ExperimentError(f"a trial must be a dict of measurements, got {type(m).__name__}")
    if m.get(DIVERGED) or not _all_finite(m):
        return {
            DIVERGED: True,
            "non_finite": sorted(k for k, v in m.items() if not _all_finite({k: v})),
        }
    m.pop(DIVERGED, None)
    return m


def _all_finite(m: dict) -> bool:
    for v in m.values():
        if isinstance(v, float):
            if not math.isfinite(v):
                return False
        elif isinstance(v, list):
            try:
                if not np.all(np.isfinite(np.asarray(v, dtype=float))):
                    return False
            except (TypeError, ValueError):  # not numeric: nothing to check
                pass
    return True


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
    """Measurements of one protocol over seeds: ``trials["accuracy"]`` has shape ``(seeds, ...)``.

    Diverged seeds are kept apart: ``trials.diverged`` lists them, and
    :meth:`handling_divergence` makes the trials a claim reads (dropped, or read as a value)."""

    def __init__(
        self,
        protocol: Protocol | None,
        seeds: Sequence[int],
        measurements: Sequence[dict],
        fill: float | None = None,
    ):
        self.protocol = protocol
        self.seeds = list(seeds)
        self.measurements = list(measurements)
        self.fill = fill

    @property
    def params(self) -> Mapping[str, Any]:
        return self.protocol.params if self.protocol else {}

    @property
    def diverged(self) -> list[int]:
        return [s for s, m in zip(self.seeds, self.measurements) if m.get(DIVERGED)]

    def __len__(self) -> int:
        return len(self.seeds)

    def __getitem__(self, name: str) -> np.ndarray:
        ok = [m for m in self.measurements if not m.get(DIVERGED)]
        if not ok:
            if self.fill is not None:  # the claim says what a diverged seed reads as
                return np.full(len(self.measurements), self.fill)
            raise KeyError(f"no measurement {name!r}: every seed diverged")
        if name not in ok[0]:
            raise KeyError(f"no measurement {name!r}; this experiment records {sorted(ok[0])}")
        shape = np.shape(ok[0][name])
        rows = [
            np.full(shape, self.fill) if m.get(DIVERGED) else m[name] for m in self.measurements
        ]
        return np.asarray(rows, dtype=float)

    def head(self, n: int) -> Trials:
        return Trials(self.protocol, self.seeds[:n], self.measurements[:n], self.fill)

    def handling_divergence(self, policy) -> Trials:
        """These trials as a claim with divergence policy ``policy`` reads them."""
        from .claim import Diverged

        if not self.diverged:
            return self
        if policy is Diverged.EXCLUDE:
            keep = [i for i, m in enumerate(self.measurements) if not m.get(DIVERGED)]
            return Trials(
                self.protocol, [self.seeds[i] for i in keep], [self.measurements[i] for i in keep]
            )
        if isinstance(policy, (int, float)) and not isinstance(policy, bool):
            return Trials(self.protocol, self.seeds, self.measurements, fill=float(policy))
        raise DivergedError(
            f"{len(self.diverged)} of {len(self)} seeds diverged (seeds {self.diverged[:8]}"
            f"{'...' if len(self.diverged) > 8 else ''}); the claim does not say what divergence "
            "means for it -- set Empirical(..., diverged=Diverged.EXCLUDE or a value)"
        )


class DivergedError(ValueError):
    """Seeds diverged and the claim did not say what that means for it."""
