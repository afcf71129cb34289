"""Test families for claims about per-seed measurements: plain functions of numpy arrays.

Every family answers two one-sided questions about the claim and returns both p-values:

* ``p_for``     -- small when the data significantly support the claim;
* ``p_against`` -- small when the data significantly contradict it (the opposite direction,
  an effect smaller than the claim's smallest effect of interest, or a difference outside an
  equivalence margin).

:func:`decide` turns the pair into SUPPORTED / REFUTED / INCONCLUSIVE at a level alpha; the
runner applies it after adjusting both p-values for multiplicity across the run. Nothing here
needs torch or pytest: ``compare(my_a, my_b)`` judges anyone's numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np
from scipy import stats
from statsmodels.stats import weightstats

from .claim import Verdict

ALPHA = 0.05


@dataclass(frozen=True)
class TestResult:
    family: str                 # comparison, trend, monotone trend, equivalence, value, ...
    test: str                   # the test used, e.g. "paired t-test, one-sided"
    p_for: float
    p_against: float
    effect: float               # in the measurement's units, signed as the claim states it
    ci: tuple[float, float]     # 95 % bootstrap (BCa) interval for the effect
    n: int                      # seeds
    threshold: float | None     # smallest effect of interest, or equivalence margin / tolerance
    explanation: str
    statistic: float = float("nan")
    extra: dict = field(default_factory=dict)
    components: tuple["TestResult", ...] = ()

    @property
    def verdict(self) -> Verdict:
        """The verdict at ALPHA without multiplicity adjustment."""
        return decide(self.p_for, self.p_against)


def decide(p_for: float, p_against: float, alpha: float = ALPHA) -> Verdict:
    """Refutation first: an effect that is significant but smaller than the claim needs is
    evidence against the claim, not for it."""
    if p_against < alpha:
        return Verdict.REFUTED
    if p_for < alpha:
        return Verdict.SUPPORTED
    return Verdict.INCONCLUSIVE


# --- building blocks -------------------------------------------------------------------------

def _t_greater(x: np.ndarray, mu: float) -> float:
    """One-sided p-value for mean(x) > mu. Constant data give 0 or 1: the outcome was the same
    on every seed, so there is no sampling variation to test against."""
    x = np.asarray(x, float)
    if np.ptp(x) == 0 or len(x) < 2:
        return 0.0 if x.mean() > mu else 1.0
    return float(stats.ttest_1samp(x, mu, alternative="greater").pvalue)


def _welch_greater(a: np.ndarray, b: np.ndarray, delta: float) -> float:
    """One-sided p-value for mean(a) - mean(b) > delta (Welch)."""
    if np.ptp(a) == 0 and np.ptp(b) == 0:
        return 0.0 if a.mean() - b.mean() > delta else 1.0
    return float(stats.ttest_ind(a, b + delta, equal_var=False, alternative="greater").pvalue)


def bootstrap_ci(statistic, *samples, paired: bool = True, confidence: float = 0.95,
                 seed: int = 0) -> tuple[float, float]:
    """BCa bootstrap interval (scipy.stats.bootstrap); a point for constant data."""
    samples = [np.asarray(s, float) for s in samples]
    value = float(statistic(*samples))
    if all(np.ptp(s) == 0 for s in samples) or min(len(s) for s in samples) < 3:
        return (value, value)
    res = stats.bootstrap(samples, statistic, paired=paired, vectorized=False,
                          confidence_level=confidence, method="BCa", n_resamples=2000,
                          random_state=np.random.default_rng(seed))
    low, high = res.confidence_interval
    if not (np.isfinite(low) and np.isfinite(high)):  # BCa can fail on near-degenerate data
        res = stats.bootstrap(samples, statistic, paired=paired, vectorized=False,
                              confidence_level=confidence, method="percentile",
                              n_resamples=2000, random_state=np.random.default_rng(seed))
        low, high = res.confidence_interval
    return (float(low), float(high))


def _mean_diff(a, b):
    return np.mean(a) - np.mean(b)


def _mean_of_diff(a, b):
    return np.mean(a - b)


# --- families --------------------------------------------------------------------------------

def compare(a: Sequence[float], b: Sequence[float], *, paired: bool = True,
            alternative: str = "greater", min_effect: float = 0.0) -> TestResult:
    """Claim: A is greater (or less) than B by at least ``min_effect``.

    Paired by seed when both conditions share each seed's data; Welch otherwise.
    ``p_for`` tests mean(A-B) > 0; ``p_against`` tests mean(A-B) < min_effect (signs flipped
    for ``alternative="less"``). Effect: mean difference A - B, and P(A > B).
    """
    if alternative not in ("greater", "less"):
        raise ValueError("alternative must be 'greater' or 'less'")
    a, b = np.asarray(a, float), np.asarray(b, float)
    sign = 1.0 if alternative == "greater" else -1.0
    if paired:
        if a.shape != b.shape:
            raise ValueError("paired samples need the same shape")
        d = sign * (a - b)
        p_for, p_against = _t_greater(d, 0.0), _t_greater(-d, -min_effect)
        effect, ci = float(np.mean(a - b)), bootstrap_ci(_mean_of_diff, a, b, paired=True)
        superiority = float(np.mean(d > 0) + 0.5 * np.mean(d == 0))
        test = "paired t-test, one-sided"
    else:
        sa, sb = sign * a, sign * b
        p_for, p_against = _welch_greater(sa, sb, 0.0), _welch_greater(sb, sa, -min_effect)
        effect, ci = float(a.mean() - b.mean()), bootstrap_ci(_mean_diff, a, b, paired=False)
        u = stats.mannwhitneyu(sa, sb).statistic if np.ptp(np.r_[sa, sb]) else 0.5 * len(a) * len(b)
        superiority = float(u / (len(a) * len(b)))
        test = "Welch t-test, one-sided"
    word = "greater" if sign > 0 else "less"
    return TestResult(
        family="comparison", test=test, p_for=p_for, p_against=p_against, effect=effect, ci=ci,
        n=len(a), threshold=min_effect, extra={"P(claim direction)": superiority},
        explanation=(f"A - B = {effect:+.4g} [{ci[0]:+.4g}, {ci[1]:+.4g}]; claim: A {word} than B "
                     f"by at least {min_effect:g}; P(A {'>' if sign > 0 else '<'} B) = {superiority:.2f}"))


def trend(y, *, direction: str = "decreasing", every_step: bool = False,
          min_effect: float = 0.0) -> TestResult:
    """Claim: the measurement changes in one direction across ordered levels (columns of ``y``,
    one row per seed).

    Overall (``every_step=False``): Page's L test (scipy.stats.page_trend_test) for an ordered
    alternative; effect = mean over seeds of the least-squares change from first to last level;
    refuted when that change is significantly smaller than ``min_effect`` (or reversed).

    Every step ("monotonically"): an intersection-union test -- each adjacent step must be
    significant on its own, so p_for is the largest step p-value; refuted when any step is
    significantly smaller than ``min_effect`` (Bonferroni over steps).
    """
    if direction not in ("increasing", "decreasing"):
        raise ValueError("direction must be 'increasing' or 'decreasing'")
    y = np.atleast_2d(np.asarray(y, float))
    n, k = y.shape
    if k < 2:
        raise ValueError("a trend needs at least two levels")
    oriented = y if direction == "increasing" else -y
    if every_step:
        steps = np.diff(oriented, axis=1)
        p_steps = [_t_greater(steps[:, j], 0.0) for j in range(k - 1)]
        p_rev = [_t_greater(-steps[:, j], -min_effect) for j in range(k - 1)]
        p_for, p_against = max(p_steps), min(1.0, (k - 1) * min(p_rev))
        worst = int(np.argmax(p_steps))
        effect = float(steps[:, worst].mean())
        ci = bootstrap_ci(np.mean, steps[:, worst])
        return TestResult(
            family="monotone trend", test="paired t-test per step, intersection-union",
            p_for=p_for, p_against=p_against, effect=effect, ci=ci, n=n, threshold=min_effect,
            extra={"step p-values": p_steps, "weakest step": worst},
            explanation=(f"weakest step {worst}->{worst + 1} changes by {effect:+.4g} "
                         f"[{ci[0]:+.4g}, {ci[1]:+.4g}] in the claimed direction ({direction})"))
    x = np.arange(k) - (k - 1) / 2
    change = (oriented @ x) / (x @ x) * (k - 1)   # per-seed fitted change, first -> last level
    if k >= 3 and n >= 2:
        page = stats.page_trend_test(oriented, method="auto" if n * k <= 60 else "asymptotic")
        p_for, statistic, test = float(page.pvalue), float(page.statistic), "Page's L trend test"
    else:
        p_for, statistic, test = _t_greater(change, 0.0), float("nan"), "t-test on fitted change"
    p_against = _t_greater(-change, -min_effect)
    effect = float(change.mean())
    ci = bootstrap_ci(np.mean, change)
    return TestResult(
        family="trend", test=test, p_for=p_for, p_against=p_against, effect=effect, ci=ci, n=n,
        threshold=min_effect, statistic=statistic,
        explanation=(f"fitted change first->last level {effect:+.4g} [{ci[0]:+.4g}, {ci[1]:+.4g}] "
                     f"in the claimed direction ({direction}); smallest effect {min_effect:g}"))


def equivalence(a, b, *, margin: float, paired: bool = True) -> TestResult:
    """Claim: A and B perform alike, |mean(A - B)| < margin. TOST (statsmodels); refuted when
    the difference is significantly outside the margin."""
    if margin <= 0:
        raise ValueError("an equivalence margin must be positive")
    a, b = np.asarray(a, float), np.asarray(b, float)
    if paired:
        d = a - b
        if np.ptp(d) == 0:
            p_for = 0.0 if abs(d[0]) < margin else 1.0
        else:
            p_for = float(weightstats.ttost_paired(a, b, -margin, margin)[0])
        p_out = min(_t_greater(d, margin), _t_greater(-d, margin))
        effect, ci = float(d.mean()), bootstrap_ci(_mean_of_diff, a, b, paired=True)
        test = "TOST, paired t-tests"
    else:
        if np.ptp(a) == 0 and np.ptp(b) == 0:
            p_for = 0.0 if abs(a.mean() - b.mean()) < margin else 1.0
        else:
            p_for = float(weightstats.ttost_ind(a, b, -margin, margin, usevar="unequal")[0])
        p_out = min(_welch_greater(a, b, margin), _welch_greater(b, a, margin))
        effect, ci = float(a.mean() - b.mean()), bootstrap_ci(_mean_diff, a, b, paired=False)
        test = "TOST, Welch t-tests"
    return TestResult(
        family="equivalence", test=test, p_for=p_for, p_against=min(1.0, 2 * p_out),
        effect=effect, ci=ci, n=len(a), threshold=margin,
        explanation=f"A - B = {effect:+.4g} [{ci[0]:+.4g}, {ci[1]:+.4g}]; margin ±{margin:g}")


def value(x, *, target: float, tolerance: float) -> TestResult:
    """Claim: the measurement is about ``target`` (within ``tolerance``). One-sample TOST;
    refuted when the mean is significantly outside target ± tolerance."""
    if tolerance <= 0:
        raise ValueError("a tolerance must be positive")
    x = np.asarray(x, float)
    low, high = target - tolerance, target + tolerance
    p_for = max(_t_greater(x, low), _t_greater(-x, -high))
    p_out = min(_t_greater(-x, -low), _t_greater(x, high))
    mean = float(x.mean())
    ci = bootstrap_ci(np.mean, x)
    return TestResult(
        family="value", test="one-sample TOST (t-tests)", p_for=p_for,
        p_against=min(1.0, 2 * p_out), effect=mean, ci=ci, n=len(x), threshold=tolerance,
        explanation=f"mean {mean:.4g} [{ci[0]:.4g}, {ci[1]:.4g}]; claimed {target:g} ± {tolerance:g}")


def at_chance(x, *, chance: float, margin: float) -> TestResult:
    """Negative control: the measurement stays within ``margin`` of chance."""
    return replace(value(x, target=chance, tolerance=margin), family="null control")


def all_of(results: Sequence[TestResult], family: str | None = None) -> TestResult:
    """Every part must hold (intersection-union: the largest p_for); any part refuted refutes
    the whole (Bonferroni over parts). The effect shown is the weakest part's."""
    if not results:
        raise ValueError("all_of needs at least one result")
    k = len(results)
    weakest = max(results, key=lambda r: r.p_for)
    return replace(
        weakest, family=family or f"all of {k} {weakest.family}s",
        test=f"intersection-union over {k}: {weakest.test}",
        p_for=max(r.p_for for r in results),
        p_against=min(1.0, k * min(r.p_against for r in results)),
        explanation=f"weakest of {k}: {weakest.explanation}", components=tuple(results))
