"""Test families for claims about per-seed measurements: plain functions of numpy arrays.

Every family answers two one-sided questions about the claim and returns both p-values:

* ``p_for``     -- small when the data significantly support the claim;
* ``p_against`` -- small when the data significantly contradict it (the opposite direction,
  an effect smaller than the claim's smallest effect of interest, or a difference outside an
  equivalence margin).

:func:`decide` turns the pair into SUPPORTED / REFUTED / INCONCLUSIVE at a level alpha; the
runner applies it after adjusting both p-values for multiplicity across the run. Nothing here
needs torch or pytest: ``compare(my_a, my_b)`` judges anyone's numbers.

The p-values come from one-sided t-tests (scipy.stats) wherever a t-test is valid: with the
5-40 seeds a run affords and ~100 claims under Holm, a claim needs p < 5e-4, which rank and
sign tests on 5-20 seeds often cannot reach at all (a sign test on 10 seeds never goes below
1e-3). Rank-based p-values are reported alongside (``extra``) and can be chosen for
heavy-tailed measurements (``compare(..., method="rank")``). Data that are the same on every
seed (deterministic outcomes, a ceiling at accuracy 1.0) have no variance to test against;
there the p-values fall back to the exact sign / rank test, which is valid whatever the noise
and never claims more certainty than the number of seeds allows (0.5**n).

The p-value machinery (``p_greater``, ``welch_greater``, ``*_pvalues``) is vectorised over
leading axes, so the simulation tests in ``tests/test_stats_simulation.py`` run the very code
the families use on thousands of simulated data sets at once. See ``docs/statistics.md``.
"""
from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Sequence

import numpy as np
from scipy import special, stats

from .claim import Verdict

ALPHA = 0.05
CONFIDENCE = 0.95
_REL_TOL = 1e-12      # spread below this (relative to the data's scale) counts as "constant"


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

    __test__ = False            # not a pytest test class, despite the name

    @property
    def verdict(self) -> Verdict:
        """The verdict at ALPHA without multiplicity adjustment."""
        return decide(self.p_for, self.p_against)


def decide(p_for: float, p_against: float, alpha: float = ALPHA, *,
           unadjusted_against: float | None = None) -> Verdict:
    """Refutation first: an effect that is significant but smaller than the claim needs is
    evidence against the claim, not for it.

    ``unadjusted_against`` is p_against before multiplicity control. When it is below alpha the
    claim's own interval excludes the smallest effect it needs; multiplicity control may leave
    that refutation unproven, but the claim is then not shown as SUPPORTED either: INCONCLUSIVE.
    (This only ever turns SUPPORTED into INCONCLUSIVE, so error control is unchanged.)"""
    if p_against < alpha:
        return Verdict.REFUTED
    if p_for < alpha and (unadjusted_against is None or unadjusted_against >= alpha):
        return Verdict.SUPPORTED
    return Verdict.INCONCLUSIVE


# --- input checks ----------------------------------------------------------------------------

def as_samples(x, name: str = "x", *, min_n: int = 2) -> np.ndarray:
    """``x`` as a float array with seeds on the last axis; a clear ValueError for NaN, inf,
    non-numeric input or too few seeds (a run that diverged must not become a verdict)."""
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected numbers, got {type(x).__name__}") from exc
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if not np.all(np.isfinite(arr)):
        bad = int(np.sum(~np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or infinite value(s) (a diverged run?); "
                         "drop or fix those seeds before testing")
    if arr.shape[-1] < min_n:
        raise ValueError(f"{name} has {arr.shape[-1]} seed(s); a test needs at least {min_n}")
    return arr


def is_constant(x: np.ndarray) -> np.ndarray:
    """True where the values along the last axis are all equal (up to rounding)."""
    x = np.asarray(x, float)
    scale = np.maximum(1.0, np.max(np.abs(x), axis=-1))
    return np.ptp(x, axis=-1) <= _REL_TOL * scale


# --- p-value building blocks (vectorised over leading axes; seeds on the last axis) ----------

def p_greater(x, mu=0.0) -> np.ndarray | float:
    """One-sided p-value for mean(x) > mu: Student's t-test (scipy.stats.ttest_1samp).

    Constant data (the same value on every seed) have no spread to estimate the noise from;
    the t statistic would be infinite. There the p-value is the exact sign test's
    (scipy.stats.binomtest): 0.5**n when every seed lies above ``mu``, else 1 -- valid for any
    distribution, and honest about how much n identical seeds can show.
    """
    x = np.asarray(x, float)
    mu = np.asarray(mu, float)
    n = x.shape[-1]
    diff = x - mu[..., None] if mu.ndim else x - mu
    const = is_constant(diff)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")      # constant rows: replaced below
        p = stats.ttest_1samp(diff, 0.0, axis=-1, alternative="greater").pvalue
    scale = np.maximum(1.0, np.max(np.abs(x), axis=-1))
    above = diff.mean(axis=-1) > _REL_TOL * scale
    p_sign = stats.binomtest(n, n, 0.5, alternative="greater").pvalue   # = 0.5 ** n
    out = np.where(const, np.where(above, p_sign, 1.0), p)
    return float(out) if out.ndim == 0 else out


def welch_greater(a, b, delta=0.0) -> np.ndarray | float:
    """One-sided p-value for mean(a) - mean(b) > delta: Welch's t-test (scipy.stats.ttest_ind,
    equal_var=False). When both groups are constant, the exact Mann-Whitney p-value
    1 / C(na + nb, na) if every a exceeds every b + delta, else 1."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    delta = np.asarray(delta, float)
    shift = delta[..., None] if delta.ndim else delta
    b = b + shift
    both_const = is_constant(a) & is_constant(b)
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")      # constant groups: replaced below
        p = stats.ttest_ind(a, b, axis=-1, equal_var=False, alternative="greater").pvalue
    na, nb = a.shape[-1], b.shape[-1]
    scale = np.maximum(1.0, np.maximum(np.max(np.abs(a), -1), np.max(np.abs(b), -1)))
    above = a.mean(-1) - b.mean(-1) > _REL_TOL * scale
    p_rank = 1.0 / special.comb(na + nb, na, exact=False)
    out = np.where(both_const, np.where(above, p_rank, 1.0), p)
    return float(out) if out.ndim == 0 else out


def _rank_p_greater(d: np.ndarray, mu: float) -> float:
    """One-sided Wilcoxon signed-rank p-value for a location of d above mu (1-D)."""
    z = d - mu
    if np.all(np.abs(z) <= _REL_TOL * max(1.0, np.max(np.abs(d)))):
        return 1.0
    return float(stats.wilcoxon(z, alternative="greater", zero_method="zsplit").pvalue)


def _rank_welch_greater(a: np.ndarray, b: np.ndarray, delta: float) -> float:
    """One-sided Mann-Whitney p-value for a stochastically above b + delta (1-D)."""
    return float(stats.mannwhitneyu(a, b + delta, alternative="greater").pvalue)


# --- p-values of each family, vectorised: the families and the simulation tests share these --

def compare_pvalues(a, b, *, paired=True, alternative="greater", min_effect=0.0):
    """(p_for, p_against) of :func:`compare` by t-tests, over leading axes."""
    sign = 1.0 if alternative == "greater" else -1.0
    a, b = sign * np.asarray(a, float), sign * np.asarray(b, float)
    if paired:
        d = a - b
        return p_greater(d, 0.0), p_greater(-d, -min_effect)
    return welch_greater(a, b, 0.0), welch_greater(b, a, -min_effect)


def equivalence_pvalues(a, b, *, margin, paired=True):
    """(p_for, p_against) of :func:`equivalence`: TOST, and 2 x the smaller "outside" p-value
    (Bonferroni over the two directions in which the difference can leave the margin)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if paired:
        d = a - b
        p_for = np.maximum(p_greater(d, -margin), p_greater(-d, -margin))
        p_out = np.minimum(p_greater(d, margin), p_greater(-d, margin))
    else:
        p_for = np.maximum(welch_greater(a, b, -margin), welch_greater(b, a, -margin))
        p_out = np.minimum(welch_greater(a, b, margin), welch_greater(b, a, margin))
    return p_for, np.minimum(1.0, 2 * p_out)


def value_pvalues(x, *, target, tolerance):
    """(p_for, p_against) of :func:`value`: one-sample TOST against target +- tolerance, and
    2 x the smaller p-value for lying outside it."""
    x = np.asarray(x, float)
    low, high = target - tolerance, target + tolerance
    p_for = np.maximum(p_greater(x, low), p_greater(-x, -high))
    p_out = np.minimum(p_greater(-x, -low), p_greater(x, high))
    return p_for, np.minimum(1.0, 2 * p_out)


def step_pvalues(oriented, *, min_effect=0.0):
    """(p_for, p_against) of the every-step trend: intersection-union over adjacent steps
    (largest step p-value) and Bonferroni over steps for a step significantly below
    ``min_effect``. ``oriented`` is (..., seeds, levels), oriented so that the claim is
    "increasing"."""
    steps = np.swapaxes(np.diff(np.asarray(oriented, float), axis=-1), -1, -2)  # (..., k-1, n)
    p_steps = p_greater(steps, 0.0)
    p_rev = p_greater(-steps, -min_effect)
    k1 = steps.shape[-2]
    return np.max(p_steps, axis=-1), np.minimum(1.0, k1 * np.min(p_rev, axis=-1)), p_steps


def fitted_change(oriented) -> np.ndarray:
    """Per-seed least-squares change from the first to the last level (levels equally spaced)."""
    oriented = np.asarray(oriented, float)
    k = oriented.shape[-1]
    x = np.arange(k) - (k - 1) / 2
    return (oriented @ x) / (x @ x) * (k - 1)


@lru_cache(maxsize=256)
def _row_l_distribution(ranks: tuple[float, ...]) -> tuple[int, np.ndarray]:
    """Distribution of sum_j j * r_pi(j) over the k! orderings of one row's (mid-)ranks, in
    half-units (2 x value, so that mid-ranks stay integral): (smallest value, probabilities)."""
    k = len(ranks)
    perms = np.array(list(itertools.permutations(ranks)))           # k! x k
    values = np.rint(2 * perms @ np.arange(1, k + 1)).astype(int)
    low = int(values.min())
    probs = np.bincount(values - low) / len(values)
    return low, probs


def page_pvalue(oriented: np.ndarray) -> tuple[float, float, str]:
    """Page's L test for an increasing trend across the columns of ``oriented`` (seeds x
    levels): (p-value, L, method).

    Without ties this is scipy.stats.page_trend_test. scipy's exact distribution assumes no
    ties, and its normal approximation ignores them; deterministic or coarse measurements
    (accuracy 1.0 at several levels) tie often. With ties and at most 7 levels the p-value is
    therefore computed here by hand as the exact conditional permutation test: each seed's
    mid-ranks are permuted independently under H0, and the per-seed distributions of
    sum_j j * rank_j are convolved. Beyond 7 levels, the (conservative) normal approximation.
    """
    oriented = np.asarray(oriented, float)
    n, k = oriented.shape
    ranks = stats.rankdata(oriented, axis=1)
    ties = any(len(np.unique(r)) < k for r in ranks)
    if not ties or k > 7:
        method = "asymptotic" if ties else "auto"
        res = stats.page_trend_test(oriented, method=method)
        return float(res.pvalue), float(res.statistic), f"Page's L trend test ({res.method})"
    low_total, dist = 0, np.ones(1)
    for row in ranks:
        low, probs = _row_l_distribution(tuple(sorted(row.tolist())))
        low_total += low
        dist = np.convolve(dist, probs)
    L = float(np.sum(ranks * np.arange(1, k + 1)))
    obs = int(round(2 * L)) - low_total
    p = float(dist[max(obs, 0):].sum())
    return min(1.0, p), L, "Page's L trend test (exact permutation, ties)"


# --- intervals -------------------------------------------------------------------------------

def t_interval(x: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Student t interval for the mean of x (a point for constant data)."""
    x = np.asarray(x, float)
    m = float(x.mean())
    if is_constant(x):
        return (m, m)
    half = stats.t.ppf(0.5 + confidence / 2, len(x) - 1) * stats.sem(x)
    return (m - float(half), m + float(half))


def welch_interval(a, b, confidence: float = CONFIDENCE) -> tuple[float, float]:
    a, b = np.asarray(a, float), np.asarray(b, float)
    diff = float(a.mean() - b.mean())
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    if va + vb == 0:
        return (diff, diff)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    half = stats.t.ppf(0.5 + confidence / 2, df) * np.sqrt(va + vb)
    return (diff - float(half), diff + float(half))


def _mean(x, axis=-1):
    return np.mean(x, axis=axis)


def _mean_diff(a, b, axis=-1):
    return np.mean(a, axis=axis) - np.mean(b, axis=axis)


def bootstrap_ci(statistic, *samples, paired: bool = True, confidence: float = CONFIDENCE,
                 seed: int = 0, n_resamples: int = 2000) -> tuple[float, float]:
    """BCa bootstrap interval (scipy.stats.bootstrap); a point for constant data, and the
    percentile interval where BCa is undefined (near-degenerate data). ``statistic`` must
    accept an ``axis`` keyword (vectorised)."""
    samples = [np.asarray(s, float) for s in samples]
    value = float(statistic(*samples))
    if all(is_constant(s) for s in samples) or min(len(s) for s in samples) < 3:
        return (value, value)
    for method in ("BCa", "percentile"):
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")   # BCa warns on near-degenerate data; handled below
            res = stats.bootstrap(samples, statistic, paired=paired, vectorized=True,
                                  confidence_level=confidence, method=method,
                                  n_resamples=n_resamples, rng=np.random.default_rng(seed))
        low, high = res.confidence_interval
        if np.isfinite(low) and np.isfinite(high):
            return (float(low), float(high))
    return (value, value)


def _interval(kind: bool, boot, fallback) -> tuple[float, float]:
    """``ci=True``: the BCa bootstrap interval; ``ci=False``: the cheap t interval."""
    return boot() if kind else fallback()


# --- families --------------------------------------------------------------------------------

def compare(a: Sequence[float], b: Sequence[float], *, paired: bool = True,
            alternative: str = "greater", min_effect: float = 0.0, method: str = "t",
            ci: bool = True) -> TestResult:
    """Claim: A is greater (or less) than B by at least ``min_effect``.

    Paired by seed when both conditions share each seed's data; Welch otherwise.
    ``p_for`` tests mean(A-B) > 0; ``p_against`` tests mean(A-B) < min_effect (signs flipped
    for ``alternative="less"``). Effect: mean difference A - B with a BCa bootstrap interval,
    and P(A > B) (the probability that A beats B on a seed; Mann-Whitney's common-language
    effect size when unpaired). ``method="rank"`` uses the Wilcoxon signed-rank /
    Mann-Whitney tests instead of t-tests (heavy tails; note their p-value floor).
    ``ci=False`` replaces the bootstrap by the t interval (fast).
    """
    if alternative not in ("greater", "less"):
        raise ValueError("alternative must be 'greater' or 'less'")
    if method not in ("t", "rank"):
        raise ValueError("method must be 't' or 'rank'")
    a, b = as_samples(a, "a"), as_samples(b, "b")
    sign = 1.0 if alternative == "greater" else -1.0
    sa, sb = sign * a, sign * b
    if paired:
        if a.shape != b.shape:
            raise ValueError(f"paired samples need the same shape, got {a.shape} and {b.shape}")
        d = sa - sb
        p_for, p_against = compare_pvalues(a, b, paired=True, alternative=alternative,
                                           min_effect=min_effect)
        rank_for, rank_against = _rank_p_greater(d, 0.0), _rank_p_greater(-d, -min_effect)
        effect = float(np.mean(a - b))
        interval = _interval(ci, lambda: bootstrap_ci(_mean, a - b),
                             lambda: t_interval(a - b))
        superiority = float(np.mean(d > 0) + 0.5 * np.mean(d == 0))
        test, rank_test = "paired t-test, one-sided", "Wilcoxon signed-rank test, one-sided"
    else:
        p_for, p_against = compare_pvalues(a, b, paired=False, alternative=alternative,
                                           min_effect=min_effect)
        rank_for = _rank_welch_greater(sa, sb, 0.0)
        rank_against = _rank_welch_greater(sb, sa, -min_effect)
        effect = float(a.mean() - b.mean())
        interval = _interval(ci, lambda: bootstrap_ci(_mean_diff, a, b, paired=False),
                             lambda: welch_interval(a, b))
        u = stats.mannwhitneyu(sa, sb).statistic
        superiority = float(u / (len(a) * len(b)))
        test, rank_test = "Welch t-test, one-sided", "Mann-Whitney U test, one-sided"
    extra = {"P(claim direction)": superiority, "rank test": rank_test,
             "rank p (for)": rank_for, "rank p (against)": rank_against}
    if method == "rank":
        p_for, p_against, test = rank_for, rank_against, rank_test
        extra["t-test p (for)"] = float(compare_pvalues(
            a, b, paired=paired, alternative=alternative, min_effect=min_effect)[0])
    word = "greater" if sign > 0 else "less"
    op = ">" if sign > 0 else "<"
    return TestResult(
        family="comparison", test=test, p_for=float(p_for), p_against=float(p_against),
        effect=effect, ci=interval, n=len(a), threshold=min_effect, extra=extra,
        explanation=(f"A - B = {effect:+.4g} [{interval[0]:+.4g}, {interval[1]:+.4g}]; claim: "
                     f"A {word} than B by at least {min_effect:g}; P(A {op} B) = "
                     f"{superiority:.2f}"))


def trend(y, *, direction: str = "decreasing", every_step: bool = False,
          min_effect: float = 0.0, ci: bool = True) -> TestResult:
    """Claim: the measurement changes in one direction across ordered levels (columns of ``y``,
    one row per seed).

    Overall (``every_step=False``, "falls overall"): Page's L test for an ordered alternative
    (:func:`page_pvalue`); effect = mean over seeds of the least-squares change from first to
    last level; refuted when that change is significantly smaller than ``min_effect`` (or
    reversed; a t-test on the per-seed fitted change). With two levels, or a single seed
    row, the t-test on the fitted change also gives ``p_for``.

    Every step ("falls at every step", "monotonically"): an intersection-union test -- each
    adjacent step must be significant on its own, so p_for is the largest step p-value;
    refuted when any step is significantly smaller than ``min_effect`` (Bonferroni over steps).
    """
    if direction not in ("increasing", "decreasing"):
        raise ValueError("direction must be 'increasing' or 'decreasing'")
    y = np.asarray(y, float)
    if y.ndim != 2:
        raise ValueError(f"a trend needs a seeds x levels array, got shape {y.shape}")
    y = as_samples(y.T, "trend data").T
    n, k = y.shape
    if k < 2:
        raise ValueError("a trend needs at least two levels")
    oriented = y if direction == "increasing" else -y
    if every_step:
        p_for, p_against, p_steps = step_pvalues(oriented, min_effect=min_effect)
        steps = np.diff(oriented, axis=1)
        worst = int(np.argmax(p_steps))
        effect = float(steps[:, worst].mean())
        interval = _interval(ci, lambda: bootstrap_ci(_mean, steps[:, worst]),
                             lambda: t_interval(steps[:, worst]))
        return TestResult(
            family="monotone trend", test="paired t-test per step, intersection-union",
            p_for=float(p_for), p_against=float(p_against), effect=effect, ci=interval, n=n,
            threshold=min_effect,
            extra={"step p-values": [float(p) for p in p_steps], "weakest step": worst,
                   "mean steps": [float(s) for s in steps.mean(axis=0)]},
            explanation=(f"weakest step {worst}->{worst + 1} changes by {effect:+.4g} "
                         f"[{interval[0]:+.4g}, {interval[1]:+.4g}] in the claimed direction "
                         f"({direction}); all {k - 1} steps must be significant"))
    change = fitted_change(oriented)
    if k >= 3:
        p_for, statistic, test = page_pvalue(oriented)
    else:
        p_for, statistic, test = p_greater(change, 0.0), float("nan"), "t-test on fitted change"
    p_against = p_greater(-change, -min_effect)
    effect = float(change.mean())
    interval = _interval(ci, lambda: bootstrap_ci(_mean, change), lambda: t_interval(change))
    return TestResult(
        family="trend", test=test, p_for=float(p_for), p_against=float(p_against),
        effect=effect, ci=interval, n=n, threshold=min_effect, statistic=statistic,
        extra={"mean by level": [float(v) for v in y.mean(axis=0)]},
        explanation=(f"fitted change first->last level {effect:+.4g} [{interval[0]:+.4g}, "
                     f"{interval[1]:+.4g}] in the claimed direction ({direction}); smallest "
                     f"effect {min_effect:g}"))


def equivalence(a, b, *, margin: float, paired: bool = True, ci: bool = True) -> TestResult:
    """Claim: A and B perform alike, |mean(A - B)| < margin. TOST -- two one-sided t-tests,
    paired or Welch, as statsmodels' ttost_paired / ttost_ind(usevar="unequal") compute them
    (tests/test_stats.py checks the agreement; the code here is vectorised for the
    simulations). Refuted when the difference is significantly outside the margin."""
    if not margin > 0:
        raise ValueError("an equivalence margin must be positive")
    a, b = as_samples(a, "a"), as_samples(b, "b")
    if paired and a.shape != b.shape:
        raise ValueError(f"paired samples need the same shape, got {a.shape} and {b.shape}")
    p_for, p_against = equivalence_pvalues(a, b, margin=margin, paired=paired)
    if paired:
        effect = float(np.mean(a - b))
        interval = _interval(ci, lambda: bootstrap_ci(_mean, a - b), lambda: t_interval(a - b))
        test = "TOST, paired t-tests"
    else:
        effect = float(a.mean() - b.mean())
        interval = _interval(ci, lambda: bootstrap_ci(_mean_diff, a, b, paired=False),
                             lambda: welch_interval(a, b))
        test = "TOST, Welch t-tests"
    return TestResult(
        family="equivalence", test=test, p_for=float(p_for), p_against=float(p_against),
        effect=effect, ci=interval, n=len(a), threshold=margin,
        explanation=f"A - B = {effect:+.4g} [{interval[0]:+.4g}, {interval[1]:+.4g}]; "
                    f"margin ±{margin:g}")


def value(x, *, target: float, tolerance: float, ci: bool = True) -> TestResult:
    """Claim: the measurement is about ``target`` (within ``tolerance``): an interval estimate
    against the declared tolerance. One-sample TOST (as statsmodels' DescrStatsW.ttost_mean):
    supported when the (1 - 2 alpha) t interval of the mean lies inside target +- tolerance;
    refuted when the mean is significantly outside it."""
    if not tolerance > 0:
        raise ValueError("a tolerance must be positive")
    x = as_samples(x, "x")
    p_for, p_against = value_pvalues(x, target=target, tolerance=tolerance)
    mean = float(x.mean())
    interval = _interval(ci, lambda: bootstrap_ci(_mean, x), lambda: t_interval(x))
    tost = t_interval(x, 1 - 2 * ALPHA)
    return TestResult(
        family="value", test="one-sample TOST (t-tests)", p_for=float(p_for),
        p_against=float(p_against), effect=mean, ci=interval, n=len(x), threshold=tolerance,
        extra={"90% t interval": f"[{tost[0]:.4g}, {tost[1]:.4g}]", "sd": float(x.std(ddof=1))},
        explanation=f"mean {mean:.4g} [{interval[0]:.4g}, {interval[1]:.4g}]; claimed "
                    f"{target:g} ± {tolerance:g}")


def at_chance(x, *, chance: float, margin: float, ci: bool = True) -> TestResult:
    """Negative control: the measurement stays within ``margin`` of chance (equivalence to
    chance: a non-significant difference from chance is not enough)."""
    r = value(x, target=chance, tolerance=margin, ci=ci)
    return replace(r, family="null control",
                   explanation=f"{r.explanation} (chance level {chance:g})")


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
