"""The statistical core: p-values for claims about means of per-seed measurements.

Every claim is tested as two one-sided hypotheses with complementary nulls:

* ``p_for``     -- small when the data show the claim holds (H0: the claim is false);
* ``p_against`` -- small when the data show it fails (H0: the claim is true): the effect is
  below the magnitude the claim states, goes the other way, or leaves a stated range.

Where the text states a magnitude ("at least 10 points") that magnitude is the null hypothesis
(a minimal-effect test), not zero plus a guard; so an effect just below it is not SUPPORTED.

**The test of a mean** (:func:`p_above`) is the more conservative of Student's one-sample t-test
and Hall's (1992) skewness-corrected t (both referred to Student's t with n - 1 df). At the
thresholds a family of ~150 claims needs (p ~ 1e-4), Student's t alone rejects 5-50 times too
often on skewed data, and Hall's alone up to 2-3 times too often on symmetric data (its skewness
estimate is noisy); the larger of the two p-values stays within about 1.3x of nominal on
normal, heavy-tailed (t3) and binomial (accuracy) data from 5 to 50 seeds. Strongly skewed
quantities (losses, times, step counts) are tested on the log scale, where they are close to
symmetric; ``docs/statistics.md`` has the measured rates. scipy has the t distribution but not
Hall's statistic, hence the few lines below.

**No spread is not infinite evidence.** The per-seed standard deviation is floored at the
measurement's own noise (a proportion on n rows carries binomial noise; other quantities their
resolution), so seeds that agree exactly give a finite t. At a *bound* (every seed at accuracy
1.0) even that is too generous: a rare failed seed cannot be seen in n seeds, so the p-value is
also at least the exact probability (1 - f)^n of seeing no seed move off the bound when a
fraction f of runs would fall to the other bound -- the f that would make the claim false.

Everything here is vectorised over leading axes (seeds on the last axis), so the simulations
run the very same functions on many replicates at once.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

from .claim import Verdict

ALPHA = 0.05  # the family's error rate
CONFIDENCE = 0.95  # intervals in the report
MIN_SEEDS = 3  # a skewness needs three values


def decide(p_for, p_against, alpha: float = ALPHA) -> Verdict:
    """SUPPORTED / REFUTED / INCONCLUSIVE from family-adjusted p-values. With complementary
    nulls both cannot be small at once; refutation is checked first all the same."""
    if p_against < alpha:
        return Verdict.REFUTED
    if p_for < alpha:
        return Verdict.SUPPORTED
    return Verdict.INCONCLUSIVE


# --- input checks ----------------------------------------------------------------------------
def as_samples(x, name: str = "x", *, min_n: int = MIN_SEEDS) -> np.ndarray:
    """``x`` as a float array with seeds on the last axis; a clear ValueError for NaN, inf,
    non-numeric input or too few seeds."""
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected numbers, got {type(x).__name__}") from exc
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if not np.all(np.isfinite(arr)):
        bad = int(np.sum(~np.isfinite(arr)))
        raise ValueError(
            f"{name} contains {bad} NaN or infinite value(s); diverged seeds must be handled "
            "before testing"
        )
    if arr.shape[-1] < min_n:
        raise ValueError(f"{name} has {arr.shape[-1]} seed(s); a test needs at least {min_n}")
    return arr


# --- the test of a mean -------------------------------------------------------------------------
def _moments(d: np.ndarray, floor):
    """n, mean, floored standard deviation and skewness along the last axis. With no floor
    given, float32 rounding of the values is the floor: exactly equal seeds never make t
    infinite."""
    n = d.shape[-1]
    mean = d.mean(axis=-1)
    if floor is None:
        floor = 1e-6 * np.maximum(1.0, np.abs(d).max(axis=-1))
    sd = np.maximum(d.std(axis=-1, ddof=1), np.maximum(np.asarray(floor, float), 1e-300))
    skew = ((d - mean[..., None]) ** 3).mean(axis=-1) / sd**3
    return n, mean, sd, skew


def p_above(x, mu=0.0, *, floor=None, bounds=None):
    """One-sided p-value for H1: mean(x) > mu (H0: mean <= mu); see the module docstring.

    ``floor``: the smallest standard deviation a seed's value can have (scalar or one per
    row); ``bounds``: (low, high) that the values cannot leave, for the guard at a bound."""
    x = np.asarray(x, float)
    mu = np.asarray(mu, float)
    d = x - (mu[..., None] if mu.ndim else mu)
    n, mean, sd, skew = _moments(d, floor)
    s = mean / sd
    t = np.sqrt(n) * s
    hall = np.sqrt(n) * (s + skew * s**2 / 3 + skew**2 * s**3 / 27 + skew / (6 * n))
    p = np.maximum(stats.t.sf(t, n - 1), stats.t.sf(hall, n - 1))
    if bounds is not None:
        p = np.maximum(p, _bound_guard(x, mu, bounds))
    return float(p) if np.ndim(p) == 0 else p


def p_below(x, mu=0.0, *, floor=None, bounds=None):
    """One-sided p-value for H1: mean(x) < mu."""
    flipped = None if bounds is None else (-bounds[1], -bounds[0])
    return p_above(-np.asarray(x, float), -np.asarray(mu, float), floor=floor, bounds=flipped)


def _bound_guard(x, mu, bounds):
    """Every seed at the upper bound ``high``: the exact chance (1 - f)^n that n seeds all stay
    there when a fraction f of runs falls to ``low`` -- the smallest f that puts the mean at mu.
    (All seeds at the lower bound cannot support mean > mu; other samples are not guarded.)"""
    low, high = bounds
    n = x.shape[-1]
    at_high = np.all(np.abs(x - high) <= 1e-12 * max(1.0, abs(high)), axis=-1)
    if not np.isfinite(low):
        return np.where(at_high, 1.0, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.clip((high - mu) / (high - low), 0.0, 1.0)
    return np.where(at_high, (1.0 - f) ** n, 0.0)


def mean_interval(x, *, floor=None, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Student t interval for the mean of x, with the standard deviation floored as the test
    floors it (so the interval and the test agree). Exact coverage for normal data."""
    x = np.asarray(x, float)
    n, mean, sd, _ = _moments(x, floor)
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * sd / np.sqrt(n)
    return float(mean - half), float(mean + half)


def welch_p_above(a, b, delta=0.0, *, floor=0.0):
    """One-sided Welch t-test p-value for mean(a) - mean(b) > delta (unpaired samples), each
    group's standard deviation floored at ``floor``."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    na, nb = a.shape[-1], b.shape[-1]
    va = np.maximum(a.var(axis=-1, ddof=1), np.square(floor)) / na
    vb = np.maximum(b.var(axis=-1, ddof=1), np.square(floor)) / nb
    t = (a.mean(-1) - b.mean(-1) - delta) / np.sqrt(va + vb)
    df = (va + vb) ** 2 / (va**2 / (na - 1) + vb**2 / (nb - 1))
    p = stats.t.sf(t, df)
    return float(p) if np.ndim(p) == 0 else p


def welch_interval(a, b, *, floor=0.0, confidence: float = CONFIDENCE) -> tuple[float, float]:
    a, b = np.asarray(a, float), np.asarray(b, float)
    va = max(a.var(ddof=1), floor**2) / len(a)
    vb = max(b.var(ddof=1), floor**2) / len(b)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = stats.t.ppf(0.5 + confidence / 2, df) * np.sqrt(va + vb)
    diff = float(a.mean() - b.mean())
    return diff - float(half), diff + float(half)


# --- the shapes of a claim, as (p_for, p_against) ------------------------------------------------
def greater(x, delta, *, floor=None, bounds=None):
    """Claim: mean(x) > delta (a minimal-effect test when delta is the stated magnitude).
    p_against tests H1: mean(x) < delta -- so the nulls are complementary."""
    return (
        p_above(x, delta, floor=floor, bounds=bounds),
        p_below(x, delta, floor=floor, bounds=bounds),
    )


def within(x, low, high, *, floor=None, bounds=None):
    """Claim: low < mean(x) < high. p_for: two one-sided tests (TOST, the larger p); p_against:
    the mean lies outside -- the smaller one-sided p, times 2 for the two sides it can leave by."""
    p_for = np.maximum(
        p_above(x, low, floor=floor, bounds=bounds), p_below(x, high, floor=floor, bounds=bounds)
    )
    p_out = np.minimum(
        p_below(x, low, floor=floor, bounds=bounds), p_above(x, high, floor=floor, bounds=bounds)
    )
    p_against = np.minimum(1.0, 2 * p_out)
    return (float(p_for), float(p_against)) if np.ndim(p_for) == 0 else (p_for, p_against)


def every(p_for, p_against):
    """Claim: every part holds. p_for: intersection-union (the largest part p_for, no penalty:
    all must hold); p_against: some part fails -- Bonferroni over the k parts."""
    p_for, p_against = np.asarray(p_for, float), np.asarray(p_against, float)
    k = p_for.shape[0]
    out = p_for.max(axis=0), np.minimum(1.0, k * p_against.min(axis=0))
    return (float(out[0]), float(out[1])) if np.ndim(out[0]) == 0 else out


def share(successes, n, at_least: float):
    """Claim: a run succeeds with probability above ``at_least``; exact binomial tests
    (scipy.stats.binomtest) on the count of successful seeds -- valid at any threshold."""
    successes = np.asarray(successes)
    p_for = stats.binom.sf(successes - 1, n, at_least)  # P(X >= k | p = at_least)
    p_against = stats.binom.cdf(successes, n, at_least)  # P(X <= k | p = at_least)
    if np.ndim(p_for) == 0:
        return float(p_for), float(p_against)
    return p_for, p_against


def share_interval(successes: int, n: int, confidence: float = CONFIDENCE):
    ci = stats.binomtest(int(successes), int(n)).proportion_ci(confidence, method="exact")
    return float(ci.low), float(ci.high)


def fitted_change(y: np.ndarray, positions=None) -> np.ndarray:
    """Per-seed least-squares change from the first to the last level (rows: seeds). Levels
    sit at ``positions`` (default: equally spaced); the change is slope x span."""
    y = np.asarray(y, float)
    k = y.shape[-1]
    x = np.arange(k, dtype=float) if positions is None else np.asarray(positions, float)
    xc = x - x.mean()
    return (y @ xc) / (xc @ xc) * (x[-1] - x[0])


def quiet(fn, *args, **kwargs):
    """Run ``fn`` with numpy/scipy's warnings about degenerate samples silenced (they are
    handled: floors and guards above)."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)
