"""Unit tests of the verdict engine on hand-made examples (harness.stats, harness.multiplicity)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps
from statsmodels.stats import weightstats

from harness import multiplicity
from harness import stats as S
from harness.claim import Verdict

RNG = np.random.default_rng(20240501)


def noisy(mean, n=20, sd=0.02, rng=RNG):
    return mean + sd * rng.standard_normal(n)


# --- decide ----------------------------------------------------------------------------------

@pytest.mark.parametrize("p_for,p_against,verdict", [
    (0.01, 0.9, Verdict.SUPPORTED), (0.9, 0.01, Verdict.REFUTED),
    (0.01, 0.01, Verdict.REFUTED), (0.2, 0.3, Verdict.INCONCLUSIVE),
    (0.05, 0.5, Verdict.INCONCLUSIVE)])
def test_decide(p_for, p_against, verdict):
    assert S.decide(p_for, p_against) is verdict


# --- building blocks -------------------------------------------------------------------------

def test_p_greater_matches_scipy_and_vectorises():
    x = RNG.standard_normal((7, 12)) + 0.3
    p = S.p_greater(x, 0.1)
    ref = [sps.ttest_1samp(r, 0.1, alternative="greater").pvalue for r in x]
    np.testing.assert_allclose(p, ref, rtol=1e-12)
    np.testing.assert_allclose(S.p_greater(x, np.full(7, 0.1)), ref, rtol=1e-12)


def test_constant_data_fall_back_to_the_sign_test():
    assert S.p_greater(np.ones(5), 0.9) == pytest.approx(0.5 ** 5)
    assert S.p_greater(np.ones(5), 1.0) == 1.0          # on the boundary: no evidence
    assert S.p_greater(np.ones(5), 1.1) == 1.0
    # rounding noise is not variance: no t statistic of 1e15
    assert S.p_greater(np.full(20, 0.1) + np.array([0, 1e-17] * 10), 0.0) == pytest.approx(0.5 ** 20)


def test_welch_constant_groups_use_the_exact_rank_bound():
    from scipy.special import comb
    assert S.welch_greater(np.ones(5), np.zeros(5)) == pytest.approx(1 / comb(10, 5))
    assert S.welch_greater(np.zeros(5), np.ones(5)) == 1.0
    a, b = noisy(0.9), noisy(0.85)
    ref = sps.ttest_ind(a, b + 0.01, equal_var=False, alternative="greater").pvalue
    assert S.welch_greater(a, b, 0.01) == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("family", ["compare", "equivalence", "value", "trend"])
def test_nan_and_inf_raise_a_clear_value_error(family):
    bad = np.array([0.9, np.nan, 0.91, 0.92])
    calls = {
        "compare": lambda: S.compare(bad, np.ones(4)),
        "equivalence": lambda: S.equivalence(np.ones(4), bad, margin=0.1),
        "value": lambda: S.value(np.array([0.9, np.inf, 0.9]), target=0.9, tolerance=0.1),
        "trend": lambda: S.trend(np.c_[bad, bad, bad]),
    }
    with pytest.raises(ValueError, match="NaN or infinite"):
        calls[family]()


def test_too_few_seeds_and_bad_arguments():
    with pytest.raises(ValueError, match="at least 2"):
        S.compare([0.9], [0.8])
    with pytest.raises(ValueError, match="same shape"):
        S.compare(np.ones(4), np.ones(5))
    with pytest.raises(ValueError):
        S.compare(np.ones(4), np.ones(4), alternative="two-sided")
    with pytest.raises(ValueError):
        S.equivalence(np.ones(4), np.ones(4), margin=0)
    with pytest.raises(ValueError):
        S.value(np.ones(4), target=1, tolerance=-1)
    with pytest.raises(ValueError, match="two levels"):
        S.trend(np.ones((5, 1)))
    with pytest.raises(ValueError):
        S.trend(np.ones((5, 3)), direction="up")


# --- compare ---------------------------------------------------------------------------------

def test_compare_supports_a_clear_paired_improvement():
    base = noisy(0.85)
    better = base + 0.03 + 0.01 * RNG.standard_normal(20)
    r = S.compare(better, base, min_effect=0.01)
    assert r.verdict is Verdict.SUPPORTED and r.family == "comparison"
    assert r.ci[0] < r.effect < r.ci[1] and r.ci[0] > 0
    assert r.extra["P(claim direction)"] > 0.9
    assert r.extra["rank p (for)"] < 1e-4
    assert r.n == 20 and r.threshold == 0.01


def test_compare_less_alternative_and_reversal():
    a, b = noisy(0.80), noisy(0.85)
    assert S.compare(a, b, alternative="less").verdict is Verdict.SUPPORTED
    assert S.compare(a, b, alternative="greater").verdict is Verdict.REFUTED
    r = S.compare(a, b, alternative="less", paired=False)
    assert r.verdict is Verdict.SUPPORTED and r.effect < 0 and r.test.startswith("Welch")


def test_compare_refutes_an_effect_below_the_smallest_effect_of_interest():
    base = noisy(0.85, n=40)
    a = base + 0.005 + 0.002 * RNG.standard_normal(40)   # real, but far below 0.02
    r = S.compare(a, base, min_effect=0.02)
    assert r.p_for < 0.05 and r.p_against < 0.05
    assert r.verdict is Verdict.REFUTED


def test_compare_deterministic_outcomes():
    ones = np.ones(5)
    # identical on every seed: no evidence for A > B, and not a certain refutation either
    r = S.compare(ones, ones)
    assert r.verdict is Verdict.INCONCLUSIVE and r.ci == (0.0, 0.0)
    # A beats B on every seed by the same amount: the sign test's 0.5**n, not p = 0
    r = S.compare(ones, ones - 0.1)
    assert r.p_for == pytest.approx(0.5 ** 5) and r.p_against == 1.0
    # a smallest effect of interest the constant difference misses: refuted, with 0.5**n
    r = S.compare(ones, ones, min_effect=0.01)
    assert r.p_against == pytest.approx(0.5 ** 5) and r.p_for == 1.0
    r = S.compare(ones, np.zeros(5), paired=False)
    assert 0 < r.p_for < 0.01 and r.extra["P(claim direction)"] == 1.0


def test_compare_with_ties_and_rank_method():
    a = np.array([0.9, 0.9, 0.9, 0.92, 0.9, 0.94, 0.9, 0.9])
    b = np.array([0.9, 0.88, 0.9, 0.9, 0.9, 0.9, 0.86, 0.9])
    r = S.compare(a, b)
    assert np.isfinite(r.p_for) and 0 < r.extra["P(claim direction)"] < 1
    rr = S.compare(a, b, method="rank")
    assert rr.test.startswith("Wilcoxon") and rr.p_for == r.extra["rank p (for)"]
    assert "t-test p (for)" in rr.extra


def test_compare_ci_false_uses_the_t_interval():
    a, b = noisy(0.9), noisy(0.88)
    r = S.compare(a, b, ci=False)
    lo, hi = sps.t.interval(0.95, 19, loc=np.mean(a - b), scale=sps.sem(a - b))
    assert r.ci == pytest.approx((lo, hi))
    boot = S.compare(a, b).ci
    assert abs(boot[0] - lo) < 0.01 and abs(boot[1] - hi) < 0.01


def test_bootstrap_is_bca_and_deterministic():
    x = noisy(0.5, n=15)
    ci1, ci2 = S.bootstrap_ci(S._mean, x), S.bootstrap_ci(S._mean, x)
    assert ci1 == ci2
    ref = sps.bootstrap((x,), np.mean, method="BCa", n_resamples=2000,
                        rng=np.random.default_rng(0)).confidence_interval
    assert ci1 == pytest.approx((ref.low, ref.high))


# --- trend -----------------------------------------------------------------------------------

def test_trend_overall_but_not_monotone():
    means = np.array([0.90, 0.70, 0.75, 0.50])   # falls overall, rises from level 1 to 2
    y = means + 0.01 * RNG.standard_normal((10, 4))
    overall = S.trend(y, direction="decreasing")
    assert overall.verdict is Verdict.SUPPORTED and overall.test.startswith("Page")
    step = S.trend(y, direction="decreasing", every_step=True)
    assert step.family == "monotone trend"
    assert step.verdict is Verdict.REFUTED          # one step goes significantly the other way
    assert step.extra["weakest step"] == 1


def test_trend_monotone_is_supported_by_both():
    y = np.array([0.5, 0.6, 0.7, 0.8]) + 0.01 * RNG.standard_normal((10, 4))
    assert S.trend(y, direction="increasing").verdict is Verdict.SUPPORTED
    assert S.trend(y, direction="increasing", every_step=True).verdict is Verdict.SUPPORTED
    assert S.trend(y, direction="decreasing").verdict is Verdict.REFUTED


def test_trend_flat_plateau_is_not_monotone():
    y = np.array([0.5, 0.7, 0.7, 0.9]) + 0.01 * RNG.standard_normal((10, 4))
    assert S.trend(y, direction="increasing").verdict is Verdict.SUPPORTED
    r = S.trend(y, direction="increasing", every_step=True)
    assert r.verdict is not Verdict.SUPPORTED and r.extra["weakest step"] == 1


def test_trend_constant_and_tied_data():
    flat = np.ones((5, 4))
    for every_step in (False, True):
        r = S.trend(flat, every_step=every_step)
        assert r.verdict is Verdict.INCONCLUSIVE and r.p_for == 1.0
    # deterministic fall with a tie (plateau): exact permutation Page test, not a crash
    y = np.tile([0.9, 0.8, 0.8, 0.7], (5, 1))
    r = S.trend(y)
    assert "ties" in r.test and r.verdict is Verdict.SUPPORTED
    # exact conditional p: each row's L is maximal among its 12 distinct orderings' values
    assert r.p_for == pytest.approx(S.page_pvalue(-y)[0])


def test_page_pvalue_without_ties_is_scipys():
    y = RNG.standard_normal((6, 4)) + np.arange(4) * 0.5
    p, L, _ = S.page_pvalue(y)
    ref = sps.page_trend_test(y)
    assert p == pytest.approx(ref.pvalue) and L == pytest.approx(ref.statistic)


def test_page_exact_with_ties_agrees_with_brute_force():
    y = np.array([[1, 2, 2], [1, 1, 3], [2, 1, 3]], float)
    p, L, method = S.page_pvalue(y)
    assert "ties" in method
    ranks = sps.rankdata(y, axis=1)
    import itertools
    perms = [list(itertools.permutations(r)) for r in ranks]
    count = total = 0
    for combo in itertools.product(*perms):
        total += 1
        count += sum(np.dot(np.arange(1, 4), row) for row in combo) >= L - 1e-9
    assert p == pytest.approx(count / total)


def test_trend_two_levels_and_min_effect():
    y = np.c_[noisy(0.9), noisy(0.85)]
    r = S.trend(y, direction="decreasing")
    assert r.test == "t-test on fitted change" and r.verdict is Verdict.SUPPORTED
    assert S.trend(y, direction="decreasing", min_effect=0.2).verdict is Verdict.REFUTED


# --- equivalence, value, null control --------------------------------------------------------

def test_equivalence_matches_statsmodels_tost():
    a, b = noisy(0.9), noisy(0.905)
    r = S.equivalence(a, b, margin=0.02)
    assert r.p_for == pytest.approx(weightstats.ttost_paired(a, b, -0.02, 0.02)[0], rel=1e-10)
    r = S.equivalence(a, b, margin=0.02, paired=False)
    ref = weightstats.ttost_ind(a, b, -0.02, 0.02, usevar="unequal")[0]
    assert r.p_for == pytest.approx(ref, rel=1e-10)


def test_equivalence_verdicts():
    a = noisy(0.9, n=20, sd=0.01)
    assert S.equivalence(a, a + 0.001 * RNG.standard_normal(20), margin=0.01).verdict \
        is Verdict.SUPPORTED
    assert S.equivalence(a, a - 0.05 + 0.005 * RNG.standard_normal(20), margin=0.01).verdict \
        is Verdict.REFUTED
    # not significantly different is not the same as equivalent
    wide = S.equivalence(noisy(0.9, n=5, sd=0.05), noisy(0.9, n=5, sd=0.05), margin=0.01,
                         paired=False)
    assert wide.verdict is Verdict.INCONCLUSIVE
    ones = np.ones(6)
    assert S.equivalence(ones, ones, margin=0.01).p_for == pytest.approx(0.5 ** 6)
    assert S.equivalence(ones, ones - 0.5, margin=0.01).verdict is Verdict.REFUTED


def test_value_matches_statsmodels_and_reads_like_an_interval():
    x = noisy(0.881, n=20, sd=0.01)
    r = S.value(x, target=0.88, tolerance=0.01)
    ref = weightstats.DescrStatsW(x).ttost_mean(0.87, 0.89)[0]
    assert r.p_for == pytest.approx(ref, rel=1e-10)
    assert r.verdict is Verdict.SUPPORTED
    # TOST at alpha <=> the 90 % t interval inside target +- tolerance
    lo, hi = S.t_interval(x, 0.9)
    assert (0.87 < lo and hi < 0.89) == (r.p_for < 0.05)
    assert S.value(x + 0.05, target=0.88, tolerance=0.01).verdict is Verdict.REFUTED
    big = noisy(150, n=10, sd=3)
    assert S.value(big, target=150, tolerance=10).verdict is Verdict.SUPPORTED


def test_value_deterministic_outcomes():
    # accuracy 1.0 on every seed against "about 88 %": refuted, with the sign test's 2 * 0.5**n
    r = S.value(np.ones(10), target=0.88, tolerance=0.02)
    assert r.verdict is Verdict.REFUTED and r.p_against == pytest.approx(2 * 0.5 ** 10)
    # three identical seeds are not enough for certainty
    r = S.value(np.ones(3), target=1.0, tolerance=0.01)
    assert r.p_for == pytest.approx(0.125) and r.verdict is Verdict.INCONCLUSIVE


def test_at_chance_is_equivalence_to_chance():
    x = noisy(0.5, n=20, sd=0.01)
    r = S.at_chance(x, chance=0.5, margin=0.02)
    assert r.family == "null control" and r.verdict is Verdict.SUPPORTED
    assert "chance" in r.explanation
    assert S.at_chance(x + 0.1, chance=0.5, margin=0.02).verdict is Verdict.REFUTED


def test_all_of():
    a = noisy(0.9)
    parts = [S.equivalence(a, a + 0.001 * RNG.standard_normal(20), margin=0.01)
             for _ in range(3)]
    whole = S.all_of(parts, family="each like CE")
    assert whole.p_for == max(p.p_for for p in parts) and whole.family == "each like CE"
    assert len(whole.components) == 3
    refuted = S.all_of(parts + [S.equivalence(a, a + 0.1, margin=0.01)])
    assert refuted.verdict is Verdict.REFUTED
    with pytest.raises(ValueError):
        S.all_of([])


# --- multiplicity ----------------------------------------------------------------------------

def test_adjust_holm_and_bh_match_hand_computation():
    p = np.array([0.01, 0.04, 0.03, 0.005])
    # Holm: sorted 0.005, 0.01, 0.03, 0.04 -> 4*.005, 3*.01, 2*.03, 1*.04, cumulative max
    np.testing.assert_allclose(multiplicity.adjust(p, "holm"), [0.03, 0.06, 0.06, 0.02])
    # BH: m p / rank, cumulative min from the top
    np.testing.assert_allclose(multiplicity.adjust(p, "bh"), [0.02, 0.04, 0.04, 0.02])
    np.testing.assert_allclose(multiplicity.adjust(p, "bonferroni"), [0.04, 0.16, 0.12, 0.02])
    np.testing.assert_allclose(multiplicity.adjust(p, "none"), p)
    assert multiplicity.adjust([], "holm").size == 0
    with pytest.raises(ValueError):
        multiplicity.adjust(p, "sidak-ish")
    with pytest.raises(ValueError):
        multiplicity.adjust([0.1, np.nan])


def test_look_correction_and_stopping_rule():
    assert multiplicity.look_adjusted(0.01, 3) == pytest.approx(0.03)
    assert multiplicity.look_adjusted(0.5, 3) == 1.0
    # 100 claims, 3 looks: the bar is 0.05 / 300
    assert multiplicity.stop_early(1e-4, 0.99, looks=3, alpha=0.05, m=100)
    assert not multiplicity.stop_early(2e-4, 0.99, looks=3, alpha=0.05, m=100)
    assert multiplicity.stop_early(0.9, 1e-5, looks=3, alpha=0.05, m=100)
    # clearly non-zero but leaning below the smallest effect of interest: keep adding seeds
    assert not multiplicity.stop_early(1e-6, 0.2, looks=3, alpha=0.05, m=100)
    np.testing.assert_array_equal(
        multiplicity.stop_early(np.array([1e-6, 0.5]), np.array([0.9, 0.9]), looks=1,
                                alpha=0.05, m=1), [True, False])


def test_a_stopped_verdict_is_final_after_holm():
    """What stop_early promises: with the stopping claim's corrected p below alpha / m, Holm
    over any m claims leaves its verdict as it was. (Vectorised Holm from the simulation
    module, checked against statsmodels there: multipletests calls gc.collect() on every call.)"""
    from benchmarks.stats_simulation import holm
    rng = np.random.default_rng(3)
    m, looks, reps = 50, 3, 500
    others = rng.uniform(size=(2, reps, m - 1))
    small = rng.uniform(0, 0.05 / (m * looks), reps)
    large = rng.uniform(0.5, 1, reps)
    refute = rng.uniform(size=reps) < 0.5
    pf, pa = np.where(refute, large, small), np.where(refute, small, large)
    assert np.all(multiplicity.stop_early(pf, pa, looks=looks, alpha=0.05, m=m))
    adj_f = holm(np.c_[multiplicity.look_adjusted(pf, looks), others[0]])[:, 0]
    adj_a = holm(np.c_[multiplicity.look_adjusted(pa, looks), others[1]])[:, 0]
    verdicts = [S.decide(f, a) for f, a in zip(adj_f, adj_a)]
    assert verdicts == [Verdict.REFUTED if r else Verdict.SUPPORTED for r in refute]
    one = multiplicity.adjust(np.r_[multiplicity.look_adjusted(pf[0], looks), others[0, 0]])
    assert one[0] == pytest.approx(adj_f[0])


def test_support_needs_an_interval_that_does_not_exclude_the_smallest_effect():
    from harness.claim import Verdict
    from harness.stats import decide
    assert decide(1e-6, 0.2) is Verdict.SUPPORTED
    assert decide(1e-6, 0.2, unadjusted_against=0.01) is Verdict.INCONCLUSIVE
    assert decide(1e-6, 0.2, unadjusted_against=0.3) is Verdict.SUPPORTED
    assert decide(1e-6, 0.01, unadjusted_against=0.001) is Verdict.REFUTED
