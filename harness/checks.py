"""The shapes of an empirical claim, each a test on measures of one protocol's trials.

=====================  ==========================================================  ==============
shape                  the claim                                                   the test
=====================  ==========================================================  ==============
``Compare(a, b)``      A is greater (less) than B -- or than a number -- by at      minimal-effect
                       least ``min_effect`` (``min_ratio`` on a log scale)          t-test
``NonInferior(a, b)``  A is not worse than B by more than ``margin``                t-test
``Equivalent(a, b)``   A and B are alike: the difference lies within ``margin``     TOST
``Value(m, target)``   the measure is about ``target`` (within ``tolerance``)       TOST
``AtChance(m)``        a negative control: the measure stays at chance              TOST
``Trend(over)``        the measure falls (rises) across ordered levels, by at        t-test on the
                       least ``min_effect`` overall -- or at every step             fitted change
``Share(m, above=)``   a run gets past a level with probability above           exact binomial
                       ``at_least`` ("every run reaches 100 %")
``AllOf(parts)``       every part holds                                            intersection-
                                                                                   union
=====================  ==========================================================  ==============

Each returns a :class:`~harness.result.TestResult` with ``p_for`` and ``p_against`` from
:mod:`harness.stats`. A magnitude stated in the text is the null hypothesis to beat, so every
comparison declares one above zero: a true tie is then refuted, not left open.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import stats
from .measures import Measure, MeasureError, Number, Over, as_measure
from .result import TestResult

MEAN_TEST = "t-test (larger p of Student and Hall)"


class Check:
    """Base of the test shapes."""

    def evaluate(self, trials) -> TestResult:  # pragma: no cover - interface
        raise NotImplementedError

    @property
    def hypothesis(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    @property
    def spec(self) -> str:
        """A canonical text of the test (what it reads, how, against what): the identity of
        the hypothesis, shared by claims that cite the same test."""
        return self.hypothesis


# --- per-seed values on a measure's test scale -------------------------------------------------
def _scale_of(*measures) -> str:
    scales = {m.scale for m in measures if not isinstance(m, Number)}
    if len(scales) > 1:
        raise MeasureError(f"cannot compare measures on different scales: {measures}")
    return scales.pop() if scales else "linear"


def _on_scale(m, trials, scale: str) -> np.ndarray:
    """The measure's per-seed values on the test scale (log values clipped at half the
    resolution, so that an exact 0 is 'below one step' rather than minus infinity)."""
    if isinstance(m, Number):
        v = np.full(len(trials), m.value)
    else:
        v = m.values(trials)
    if scale == "log":
        step = 0.0 if isinstance(m, Number) else m.step(trials)
        if np.any(v <= 0):
            if step <= 0:
                raise MeasureError(
                    f"{m!r} is on a log scale but has values <= 0; declare its resolution"
                )
            v = np.maximum(v, step / 2)
        v = np.log(v)
    return v


def _floor(ms, trials, scale: str, values: np.ndarray, one_sample: bool):
    """The smallest per-seed standard deviation of the tested values: a one-sample test on a
    proportion uses its binomial noise at the observed mean; a difference uses one step of
    resolution (the arms share their test rows, so binomial noise largely cancels)."""
    measures = [m for m in ms if not isinstance(m, Number)]
    if scale == "log":  # a step relative to the level of the measure it belongs to
        steps = [m.step(trials) / _geometric_level(m, trials) for m in measures]
        return max([*steps, 1e-6])
    if one_sample:
        return float(measures[0].noise_floor(trials, values.mean()))
    return max([m.step(trials) for m in measures] + [1e-6 * max(1.0, np.abs(values).max())])


def _geometric_level(m, trials) -> float:
    """The geometric mean of a positive measure (values at or below 0 read as half a step)."""
    v = np.asarray(m.values(trials), float)
    step = m.step(trials)
    v = np.maximum(v, step / 2) if step > 0 else v[v > 0]
    return float(np.exp(np.log(v).mean())) if v.size else 1.0


def _bounds(m, scale: str):
    if isinstance(m, Number) or scale != "linear":
        return None
    return m.bounds


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _skew_note(x) -> str:
    """A note when the seeds are skewed enough that the skew-corrected t may decide (the
    interval shown is Student's, which assumes no skew)."""
    x = np.asarray(x, float)
    sd = x.std(ddof=1) if len(x) > 2 else 0.0
    if sd <= 0:
        return ""
    g = float(((x - x.mean()) ** 3).mean() / sd**3)
    return (
        f"; the seeds are skewed (skewness {g:.2g}): the test corrects for it"
        if abs(g) >= 1
        else ""
    )


def _ci_text(ci) -> str:
    return f"[{_fmt(ci[0])}, {_fmt(ci[1])}]"


# --- comparisons -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Compare(Check):
    """A is ``"greater"`` (or ``"less"``) than B -- a measure or a plain number -- by at least
    ``min_effect`` (linear scale) or by a factor of at least ``min_ratio`` (log scale). Against
    a number the text states, the number is the threshold (``Compare(loss, 0.1, "less")``)."""

    a: Measure
    b: Measure | float
    direction: str = "greater"
    min_effect: float | None = None
    min_ratio: float | None = None
    paired: bool = True

    def __post_init__(self):
        object.__setattr__(self, "a", as_measure(self.a))
        object.__setattr__(self, "b", as_measure(self.b))
        if self.direction not in ("greater", "less"):
            raise MeasureError(f"direction must be 'greater' or 'less', not {self.direction!r}")
        scale = _scale_of(self.a, self.b)
        # Against a number the text states ("above 0.9"), the number is the magnitude: no
        # further margin is needed. Between two measures a tie must be decidable: margin > 0.
        level = isinstance(self.b, Number)
        if scale == "log":
            if level and self.min_ratio is None and self.min_effect is None:
                object.__setattr__(self, "min_ratio", 1.0)
            ratio = self.min_ratio
            if (
                ratio is None
                or self.min_effect is not None
                or not (ratio > 1 or (level and ratio == 1))
            ):
                raise MeasureError(
                    f"{self.a!r} is on a log scale: state the smallest effect as "
                    "min_ratio > 1 (e.g. 2 for 'at least twice')"
                )
            return
        if level and self.min_effect is None and self.min_ratio is None:
            object.__setattr__(self, "min_effect", 0.0)
        effect = self.min_effect
        if (
            effect is None
            or self.min_ratio is not None
            or not (effect > 0 or (level and effect == 0))
        ):
            raise MeasureError(
                f"compare {self.a!r} with {self.b!r}: declare min_effect > 0, the smallest "
                "difference that counts (a tie is then refuted, not left open)"
            )

    @property
    def scale(self) -> str:
        return _scale_of(self.a, self.b)

    @property
    def delta(self) -> float:
        return math.log(self.min_ratio) if self.scale == "log" else self.min_effect

    def evaluate(self, trials) -> TestResult:
        scale, sign = self.scale, (1.0 if self.direction == "greater" else -1.0)
        a = _on_scale(self.a, trials, scale)
        b = _on_scale(self.b, trials, scale)
        one_sample = isinstance(self.b, Number)
        if self.paired or one_sample:
            d = stats.as_samples(a - b, repr(self.a))
            floor = _floor((self.a, self.b), trials, scale, a if one_sample else d, one_sample)
            bounds = None
            if one_sample and _bounds(self.a, scale):
                lo, hi = _bounds(self.a, scale)
                bounds = (lo - b[0], hi - b[0]) if sign > 0 else (b[0] - hi, b[0] - lo)
            p_for, p_against = stats.greater(sign * d, self.delta, floor=floor, bounds=bounds)
            ci = stats.mean_interval(d, floor=floor)
            effect = float(d.mean())
            test = f"{MEAN_TEST}, {'one-sample' if one_sample else 'paired by seed'}"
        else:
            floor = _floor((self.a, self.b), trials, scale, a - b.mean(), False)
            sa, sb = (a, b) if sign > 0 else (b, a)
            p_for = stats.welch_p_above(sa, sb, self.delta, floor=floor)
            p_against = stats.welch_p_above(sb, sa, -self.delta, floor=floor)
            ci = stats.welch_interval(a, b, floor=floor)
            effect = float(a.mean() - b.mean())
            test = "Welch t-test, unpaired"
        threshold = sign * self.delta
        if scale == "log":
            effect, ci, threshold = math.exp(effect), tuple(map(math.exp, ci)), math.exp(threshold)
            what = f"ratio {self.a!r} / {self.b!r}"
            claim = f"{'at least' if sign > 0 else 'at most'} {_fmt(threshold)}"
        else:
            what = f"{self.a!r} - {self.b!r}"
            claim = f"{'at least +' if sign > 0 else 'at most '}{_fmt(threshold)}"
        return TestResult(
            family="comparison",
            test=test,
            p_for=float(p_for),
            p_against=float(p_against),
            effect=effect,
            ci=tuple(ci),
            n=len(a),
            threshold=threshold,
            label=what,
            explanation=f"{what} = {_fmt(effect)} {_ci_text(ci)}; the claim needs {claim}"
            + (_skew_note(a - b) if (self.paired or one_sample) else ""),
        )

    @property
    def hypothesis(self) -> str:
        op = ">" if self.direction == "greater" else "<"
        if self.scale == "log":
            r = self.min_ratio if self.direction == "greater" else 1 / self.min_ratio
            return (
                f"H1: geometric mean of {self.a!r} / {self.b!r} {op} {_fmt(r)} "
                f"(H0: {'<=' if op == '>' else '>='} {_fmt(r)}; log scale)"
            )
        sign = "" if self.direction == "greater" else "-"
        return (
            f"H1: mean({self.a!r} - {self.b!r}) {op} {sign}{_fmt(self.min_effect)} "
            f"(H0: the difference is {'at most' if op == '>' else 'at least'} "
            f"{sign}{_fmt(self.min_effect)}){'' if self.paired else '; unpaired'}"
        )


@dataclass(frozen=True)
class NonInferior(Check):
    """A is not worse than B by more than ``margin``: mean(A - B) > -margin. The effect shown
    is the true difference A - B."""

    a: Measure
    b: Measure | float
    margin: float

    def __post_init__(self):
        object.__setattr__(self, "a", as_measure(self.a))
        object.__setattr__(self, "b", as_measure(self.b))
        if not self.margin > 0:
            raise MeasureError("a non-inferiority margin must be positive")
        if _scale_of(self.a, self.b) != "linear":
            raise MeasureError("NonInferior compares linear-scale measures; use Compare on logs")

    def evaluate(self, trials) -> TestResult:
        a, b = _on_scale(self.a, trials, "linear"), _on_scale(self.b, trials, "linear")
        d = stats.as_samples(a - b, repr(self.a))
        one_sample = isinstance(self.b, Number)
        floor = _floor((self.a, self.b), trials, "linear", a if one_sample else d, one_sample)
        bounds = None
        if one_sample and _bounds(self.a, "linear"):
            lo, hi = _bounds(self.a, "linear")
            bounds = (lo - b[0], hi - b[0])
        p_for, p_against = stats.greater(d, -self.margin, floor=floor, bounds=bounds)
        ci = stats.mean_interval(d, floor=floor)
        what = f"{self.a!r} - {self.b!r}"
        return TestResult(
            family="non-inferiority",
            test=f"{MEAN_TEST}, paired by seed",
            p_for=float(p_for),
            p_against=float(p_against),
            effect=float(d.mean()),
            ci=ci,
            n=len(d),
            threshold=-self.margin,
            label=what,
            explanation=f"{what} = {_fmt(d.mean())} {_ci_text(ci)}; the claim needs more than "
            f"-{_fmt(self.margin)}" + _skew_note(d),
        )

    @property
    def hypothesis(self) -> str:
        return (
            f"H1: mean({self.a!r} - {self.b!r}) > -{_fmt(self.margin)} "
            f"(not worse by more than {_fmt(self.margin)})"
        )


@dataclass(frozen=True)
class Equivalent(Check):
    """A and B perform alike: -margin < mean(A - B) < margin (TOST)."""

    a: Measure
    b: Measure | float
    margin: float

    def __post_init__(self):
        object.__setattr__(self, "a", as_measure(self.a))
        object.__setattr__(self, "b", as_measure(self.b))
        if not self.margin > 0:
            raise MeasureError("an equivalence margin must be positive")

    def evaluate(self, trials) -> TestResult:
        scale = _scale_of(self.a, self.b)
        a, b = _on_scale(self.a, trials, scale), _on_scale(self.b, trials, scale)
        d = stats.as_samples(a - b, repr(self.a))
        floor = _floor((self.a, self.b), trials, scale, d, False)
        margin = math.log(self.margin) if scale == "log" else self.margin
        p_for, p_against = stats.within(d, -margin, margin, floor=floor)
        ci = stats.mean_interval(d, floor=floor)
        effect = float(d.mean())
        what = f"{self.a!r} - {self.b!r}"
        if scale == "log":
            effect, ci, what = math.exp(effect), tuple(map(math.exp, ci)), f"ratio {what}"
        return TestResult(
            family="equivalence",
            test=f"TOST, {MEAN_TEST}, paired by seed",
            p_for=float(p_for),
            p_against=float(p_against),
            effect=effect,
            ci=ci,
            n=len(d),
            threshold=self.margin,
            label=what,
            explanation=f"{what} = {_fmt(effect)} {_ci_text(ci)}; margin "
            + (f"x/÷ {_fmt(self.margin)}" if scale == "log" else f"±{_fmt(self.margin)}"),
        )

    @property
    def hypothesis(self) -> str:
        if _scale_of(self.a, self.b) == "log":
            return f"H1: {self.a!r} / {self.b!r} within x/÷ {_fmt(self.margin)} (TOST, log scale)"
        return f"H1: |mean({self.a!r} - {self.b!r})| < {_fmt(self.margin)} (TOST)"


@dataclass(frozen=True)
class Value(Check):
    """The measure is about ``target``: its mean lies within ``target`` ± ``tolerance``
    (on a log scale: its geometric mean lies in [target - tolerance, target + tolerance])."""

    measure: Measure
    target: float
    tolerance: float
    family: str = "value"

    def __post_init__(self):
        object.__setattr__(self, "measure", as_measure(self.measure))
        if not self.tolerance > 0:
            raise MeasureError("a tolerance must be positive")
        if self.measure.scale == "log" and not self.target - self.tolerance > 0:
            raise MeasureError("on a log scale, target - tolerance must be positive")

    def evaluate(self, trials) -> TestResult:
        m, scale = self.measure, self.measure.scale
        x = stats.as_samples(_on_scale(m, trials, scale), repr(m))
        low, high = self.target - self.tolerance, self.target + self.tolerance
        if scale == "log":
            low, high = math.log(low), math.log(high)
        floor = _floor((m,), trials, scale, x, True)
        p_for, p_against = stats.within(x, low, high, floor=floor, bounds=_bounds(m, scale))
        ci = stats.mean_interval(x, floor=floor)
        mean = float(x.mean())
        if scale == "log":
            mean, ci = math.exp(mean), tuple(map(math.exp, ci))
        what = f"{'geometric ' if scale == 'log' else ''}mean {m!r}"
        return TestResult(
            family=self.family,
            test=f"TOST, {MEAN_TEST}, one-sample",
            p_for=float(p_for),
            p_against=float(p_against),
            effect=mean,
            ci=ci,
            n=len(x),
            threshold=self.tolerance,
            label=what,
            explanation=f"{what} = {_fmt(mean)} {_ci_text(ci)}; claimed "
            f"{_fmt(self.target)} ± {_fmt(self.tolerance)}" + _skew_note(x),
        )

    @property
    def hypothesis(self) -> str:
        what = "geometric mean" if self.measure.scale == "log" else "mean"
        return (
            f"H1: {what} of {self.measure!r} within {_fmt(self.target)} ± "
            f"{_fmt(self.tolerance)} (TOST)"
        )


def AtChance(measure, chance: float = 0.5, margin: float = 0.05) -> Value:  # noqa: N802
    """A negative control: the measure stays within ``margin`` of ``chance`` (equivalence to
    chance -- "not significantly above chance" is not enough)."""
    return Value(measure, chance, margin, family="null control")


# --- trends --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trend(Check):
    """The measure (``quantity.over(axis, levels)``) falls or rises across ordered levels.

    Overall: the per-seed least-squares change from the first to the last level (levels at
    ``positions``, default equally spaced) is at least ``min_effect`` in the claimed direction.
    ``every_step=True`` ("monotonically", "at every step"): every adjacent step changes by at
    least ``min_effect`` -- intersection-union over steps."""

    over: Over
    direction: str = "decreasing"
    min_effect: float | None = None
    every_step: bool = False
    positions: Sequence[float] | None = None

    def __post_init__(self):
        if not isinstance(self.over, Over):
            raise MeasureError("a Trend needs quantity.over(axis, levels, ...)")
        if self.direction not in ("increasing", "decreasing"):
            raise MeasureError("direction must be 'increasing' or 'decreasing'")
        if self.min_effect is None or not self.min_effect > 0:
            raise MeasureError(f"trend in {self.over!r}: declare min_effect > 0")
        if self.positions is not None and len(self.positions) != len(self.over.levels):
            raise MeasureError("positions must give one value per level")

    def evaluate(self, trials) -> TestResult:
        scale = self.over.scale
        y = np.stack([_on_scale(p, trials, scale) for p in self.over.parts], axis=1)
        y = stats.as_samples(y.T, repr(self.over)).T
        sign = 1.0 if self.direction == "increasing" else -1.0
        floor = _floor(self.over.parts, trials, scale, y.ravel(), False)
        word = "rises" if sign > 0 else "falls"
        if self.every_step:
            steps = sign * np.diff(y, axis=1)  # seeds x (k - 1), oriented
            per_step = [
                stats.greater(steps[:, j], self.min_effect, floor=floor)
                for j in range(steps.shape[1])
            ]
            p_for, p_against = stats.every([p for p, _ in per_step], [p for _, p in per_step])
            worst = int(np.argmax([p for p, _ in per_step]))
            effect = float(steps[:, worst].mean())
            ci = stats.mean_interval(steps[:, worst], floor=floor)
            lv = self.over.levels
            return TestResult(
                family="monotone trend",
                test=f"{MEAN_TEST} per step, intersection-union",
                p_for=p_for,
                p_against=p_against,
                effect=effect,
                ci=ci,
                n=len(y),
                threshold=self.min_effect,
                label=f"weakest step of {self.over!r}",
                extra={"mean by level": [float(v) for v in y.mean(axis=0)]},
                explanation=f"weakest step {lv[worst]} -> {lv[worst + 1]}: {word} by "
                f"{_fmt(effect)} {_ci_text(ci)}; every step must exceed {_fmt(self.min_effect)}",
            )
        change = sign * stats.fitted_change(y, self.positions)
        p_for, p_against = stats.greater(change, self.min_effect, floor=floor)
        ci = stats.mean_interval(change, floor=floor)
        effect, threshold, what = float(change.mean()), self.min_effect, "by"
        if scale == "log":  # a change of log values is a factor: shown as one
            effect, ci, threshold = math.exp(effect), tuple(map(math.exp, ci)), math.exp(threshold)
            what = "by a factor of"
        return TestResult(
            family="trend",
            test=f"{MEAN_TEST} on the per-seed fitted change",
            p_for=float(p_for),
            p_against=float(p_against),
            effect=effect,
            ci=ci,
            n=len(y),
            threshold=threshold,
            label=f"fitted change of {self.over!r} ({word})",
            extra={"mean by level": [float(v) for v in y.mean(axis=0)]},
            explanation=f"{self.over!r} {word} {what} {_fmt(effect)} {_ci_text(ci)} from "
            f"first to last level (fitted); the claim needs at least {_fmt(threshold)}"
            + _skew_note(change),
        )

    @property
    def hypothesis(self) -> str:
        how = "at every step" if self.every_step else "overall (least-squares change)"
        log = " (log scale)" if self.over.scale == "log" else ""
        return (
            f"H1: {self.over!r} is {self.direction} {how} by more than {_fmt(self.min_effect)}{log}"
        )


# --- shares of runs -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Share(Check):
    """A run gets above ``above`` (or below ``below``) with probability greater than
    ``at_least``: an exact binomial test on the number of seeds that do ("every run reaches
    100 %" is a claim about runs, and a share of runs can be tested exactly at any level)."""

    measure: Measure
    at_least: float
    above: float | None = None
    below: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "measure", as_measure(self.measure))
        if (self.above is None) == (self.below is None):
            raise MeasureError("Share needs exactly one of above= or below=")
        if not 0 < self.at_least < 1:
            raise MeasureError("at_least must lie strictly between 0 and 1")

    @property
    def condition(self) -> str:
        if self.above is not None:
            return f"{self.measure!r} >= {_fmt(self.above)}"
        return f"{self.measure!r} <= {_fmt(self.below)}"

    def evaluate(self, trials) -> TestResult:
        x = stats.as_samples(self.measure.values(trials), repr(self.measure))
        hits = x >= self.above if self.above is not None else x <= self.below
        k, n = int(hits.sum()), len(x)
        p_for, p_against = stats.share(k, n, self.at_least)
        ci = stats.share_interval(k, n)
        return TestResult(
            family="share of runs",
            test="exact binomial test",
            p_for=p_for,
            p_against=p_against,
            effect=k / n,
            ci=ci,
            n=n,
            threshold=self.at_least,
            label=f"share of runs with {self.condition}",
            explanation=f"{k} of {n} runs have {self.condition} ({k / n:.0%}, "
            f"{_ci_text(ci)}); the claim needs more than {self.at_least:.0%}",
        )

    @property
    def hypothesis(self) -> str:
        return f"H1: P({self.condition}) > {self.at_least:g} (exact binomial)"


# --- compounds ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AllOf(Check):
    """Every part holds (intersection-union: the largest p_for); any part failing refutes the
    whole (Bonferroni over parts). The report shows every part."""

    parts: Sequence[Check]
    label: str = ""

    def __post_init__(self):
        object.__setattr__(self, "parts", tuple(self.parts))
        if not self.parts or not all(isinstance(p, Check) for p in self.parts):
            raise MeasureError("AllOf needs a non-empty list of checks")

    def evaluate(self, trials) -> TestResult:
        results = tuple(p.evaluate(trials) for p in self.parts)
        p_for, p_against = stats.every([r.p_for for r in results], [r.p_against for r in results])
        weakest = max(results, key=lambda r: r.p_for)
        k = len(results)
        return TestResult(
            family=self.label or f"all of {k}",
            test=f"intersection-union over {k} parts",
            p_for=p_for,
            p_against=p_against,
            effect=weakest.effect,
            ci=weakest.ci,
            n=weakest.n,
            threshold=weakest.threshold,
            label=f"weakest part: {weakest.label}",
            explanation=f"weakest of {k} parts: {weakest.explanation}",
            parts=results,
        )

    @property
    def hypothesis(self) -> str:
        return "all of: " + "; ".join(p.hypothesis for p in self.parts)
