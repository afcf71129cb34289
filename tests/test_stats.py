"""The statistical core (harness/stats.py) on hand-made examples, against scipy/statsmodels."""

import math

import numpy as np
import pytest
from scipy import stats as sps
from statsmodels.stats.weightstats import DescrStatsW, ttost_paired

from harness import stats as S
from harness.claim import Verdict


def symmetric(values):
    """A sample with exactly zero skewness (mirror pairs around the mean)."""
    v = np.asarray(values, float)
    return np.concatenate([v, 2 * v.mean() - v])


def test_on_symmetric_data_the_test_of_a_mean_is_students_t():
    x = symmetric([0.3, 0.9, 1.4, 0.2, 0.7, 1.1])
    assert S.p_above(x, 0.5) == pytest.approx(
        sps.ttest_1samp(x, 0.5, alternative="greater").pvalue, rel=1e-10
    )


def test_on_skewed_data_the_larger_of_student_and_hall_is_used():
    x = np.array([0.1, 0.2, 0.15, 0.3, 0.12, 2.5, 0.18, 0.22])  # one large value: right skew
    student = sps.ttest_1samp(x, 0.2, alternative="less").pvalue
    assert S.p_below(x, 0.2) >= student - 1e-12


def test_equal_seeds_give_a_finite_p_and_a_tiny_spread_changes_nothing():
    """The old engine fell back to a sign test on equal seeds: p(ones(10) > 0.985) was 9.8e-4,
    and a spread of 1e-11 instead of 1e-13 moved it to 1e-94."""
    a = np.full(10, 0.9) + np.r_[1e-13, np.zeros(9)]
    b = np.full(10, 0.9) + np.r_[1e-11, np.zeros(9)]
    pa, pb = S.p_above(a, 0.89, floor=0.01), S.p_above(b, 0.89, floor=0.01)
    assert pa == pytest.approx(pb, rel=1e-6)
    assert pa > 1e-6  # ten seeds at one row's resolution are not overwhelming


def test_every_seed_at_the_ceiling_is_judged_by_the_chance_of_an_unseen_failure():
    """All ten seeds at 1.0 cannot show mean > 0.985: a 1.5 % share of runs failing to 0 would
    make it false, and ten runs miss such a share with probability 0.985 ** 10."""
    p = S.p_above(np.ones(10), 0.985, floor=0.01, bounds=(0.0, 1.0))
    assert p == pytest.approx(0.985**10)
    assert S.p_above(np.ones(10), 0.5, floor=0.01, bounds=(0.0, 1.0)) == pytest.approx(0.5**10)


def test_minimal_effect_test_just_below_the_magnitude_is_not_supported():
    rng = np.random.default_rng(0)
    x = rng.normal(0.09, 0.01, 50)  # clearly above 0, clearly below the stated 0.10
    p_for, p_against = S.greater(x, 0.10)
    assert S.greater(x, 0.0)[0] < 1e-10
    assert p_for > 0.5 and p_against < 1e-6


def test_tost_agrees_with_statsmodels_on_symmetric_data():
    rng = np.random.default_rng(1)
    a = rng.normal(0.8, 0.02, 10)
    d = symmetric(a - 0.8)
    p_for, _ = S.within(d, -0.05, 0.05)
    assert p_for == pytest.approx(ttost_paired(d, np.zeros_like(d), -0.05, 0.05)[0], rel=1e-8)
    x = 0.88 + symmetric(rng.normal(0, 0.02, 8))
    assert S.within(x, 0.85, 0.91)[0] == pytest.approx(
        DescrStatsW(x).ttost_mean(0.85, 0.91)[0], rel=1e-8
    )


def test_within_is_refuted_only_outside_the_margin():
    rng = np.random.default_rng(2)
    inside = rng.normal(0.0, 0.01, 30)
    outside = rng.normal(0.2, 0.01, 30)
    assert S.decide(*S.within(inside, -0.05, 0.05)) is Verdict.SUPPORTED
    assert S.decide(*S.within(outside, -0.05, 0.05)) is Verdict.REFUTED


def test_the_interval_is_the_t_interval():
    x = np.array([1.0, 1.2, 0.8, 1.1, 0.9, 1.3])
    low, high = S.mean_interval(x)
    ref = sps.ttest_1samp(x, 0).confidence_interval(0.95)
    assert (low, high) == pytest.approx((ref.low, ref.high))


def test_welch_agrees_with_scipy():
    a, b = np.array([1.0, 1.4, 1.2, 0.9, 1.3]), np.array([0.7, 0.8, 1.1, 0.6, 0.9, 0.75])
    assert S.welch_p_above(a, b, 0.0, floor=0.0) == pytest.approx(
        sps.ttest_ind(a, b, equal_var=False, alternative="greater").pvalue
    )


def test_share_is_the_exact_binomial_test():
    p_for, p_against = S.share(19, 20, 0.8)
    assert p_for == pytest.approx(sps.binomtest(19, 20, 0.8, alternative="greater").pvalue)
    assert p_against == pytest.approx(sps.binomtest(19, 20, 0.8, alternative="less").pvalue)


def test_every_is_intersection_union_and_bonferroni():
    p_for, p_against = S.every([0.01, 0.03, 0.002], [0.4, 0.2, 0.9])
    assert (p_for, p_against) == pytest.approx((0.03, 0.6))


def test_fitted_change_of_a_straight_line_is_its_rise():
    y = np.array([[0.0, 1.0, 2.0, 3.0], [1.0, 0.5, 0.0, -0.5]])
    assert S.fitted_change(y) == pytest.approx([3.0, -1.5])
    assert S.fitted_change(y, positions=[0, 1, 2, 3]) == pytest.approx([3.0, -1.5])


@pytest.mark.parametrize("bad", [[1.0, float("nan"), 2.0], [1.0, 2.0], "x"])
def test_bad_samples_are_clear_errors(bad):
    with pytest.raises(ValueError):
        S.as_samples(bad)


def test_decide_refutes_first():
    assert S.decide(0.01, 0.01) is Verdict.REFUTED
    assert S.decide(0.01, 0.5) is Verdict.SUPPORTED
    assert S.decide(0.2, 0.5) is Verdict.INCONCLUSIVE


def test_vectorised_over_replicates_matches_one_at_a_time():
    rng = np.random.default_rng(3)
    x = rng.normal(0.1, 1, (7, 12))
    many = S.p_above(x, 0.05, floor=1e-9)
    one = [S.p_above(row, 0.05, floor=1e-9) for row in x]
    assert np.allclose(many, one)
    assert math.isfinite(float(np.sum(many)))
