"""Measures and the test shapes: what a check reads, on which scale, against what."""

import math

import numpy as np
import pytest

from harness import (
    AllOf,
    AtChance,
    Compare,
    Equivalent,
    NonInferior,
    Share,
    Trend,
    Value,
    accuracy,
    derived,
    positive,
    real,
)
from harness import stats as S
from harness.experiment import DIVERGED, Trials
from harness.measures import MeasureError

ACC = accuracy("accuracy", rows=100, axes=("arm",))
LOSS = positive("loss", axes=("arm",), resolution=1e-4)
GAP = real("gap")


def trials(**columns):
    """Trials whose measurement ``name`` takes the given per-seed values."""
    n = len(next(iter(columns.values())))
    return Trials(None, range(n), [{k: float(v[i]) for k, v in columns.items()} for i in range(n)])


def acc_trials(a, b):
    return trials(**{ACC.key(arm="a"): a, ACC.key(arm="b"): b})


def test_keys_name_every_level_in_declared_order():
    q = accuracy("acc", rows=10, axes=("ratio", "resample"))
    assert q.key(resample="on", ratio=100) == "acc[ratio=100,resample=on]"
    assert real("x", axes=("lr",)).key(lr=0.1) == "x[lr=0.1]"
    with pytest.raises(MeasureError, match="missing level"):
        q.key(ratio=1)
    with pytest.raises(MeasureError, match="unknown axis"):
        q.at(ratio=1, resample="on", width=3)


def test_compare_reports_the_true_difference_and_tests_the_stated_magnitude():
    rng = np.random.default_rng(0)
    a = rng.normal(0.85, 0.02, 20)
    b = a - rng.normal(0.08, 0.01, 20)
    r = Compare(ACC.at(arm="a"), ACC.at(arm="b"), min_effect=0.10).evaluate(acc_trials(a, b))
    assert r.effect == pytest.approx(np.mean(a - b))
    assert r.threshold == 0.10
    assert S.decide(r.p_for, r.p_against) is S.Verdict.REFUTED  # 0.08 is not "at least 0.10"


def test_compare_with_a_number_is_one_sample_with_the_binomial_floor():
    x = np.full(10, 0.9)
    t = trials(**{ACC.key(arm="a"): x})
    r = Compare(ACC.at(arm="a"), 0.8, min_effect=0.05).evaluate(t)
    floor = math.sqrt((0.9 * 100 + 2) / 104 * (1 - (0.9 * 100 + 2) / 104) / 100)
    assert r.p_for == pytest.approx(S.p_above(x - 0.8, 0.05, floor=floor, bounds=(-0.8, 0.2)))
    assert r.p_for > 1e-12  # equal seeds are not infinitely convincing


def test_less_flips_the_claim():
    a, b = np.full(8, 0.6) + np.linspace(0, 0.01, 8), np.full(8, 0.9)
    r = Compare(ACC.at(arm="a"), ACC.at(arm="b"), "less", min_effect=0.1).evaluate(acc_trials(a, b))
    assert r.p_for < 1e-6 and r.threshold == -0.1


def test_log_scale_compares_geometric_means_by_a_ratio():
    rng = np.random.default_rng(1)
    a = np.exp(rng.normal(math.log(8), 0.3, 20))
    b = np.exp(rng.normal(math.log(1), 0.3, 20))
    t = trials(**{LOSS.key(arm="a"): a, LOSS.key(arm="b"): b})
    r = Compare(LOSS.at(arm="a"), LOSS.at(arm="b"), min_ratio=4).evaluate(t)
    assert r.effect == pytest.approx(math.exp(np.mean(np.log(a) - np.log(b))))
    assert r.threshold == 4 and r.p_for < 1e-6
    with pytest.raises(MeasureError, match="min_ratio"):
        Compare(LOSS.at(arm="a"), LOSS.at(arm="b"), min_effect=0.1)


def test_against_a_stated_number_the_number_is_the_threshold():
    rng = np.random.default_rng(5)
    t = trials(**{LOSS.key(arm="a"): np.exp(rng.normal(math.log(0.05), 0.2, 10))})
    r = Compare(LOSS.at(arm="a"), 0.1, "less").evaluate(t)
    assert r.threshold == 1.0 and r.p_for < 1e-4
    assert Compare(ACC.at(arm="a"), 0.9).min_effect == 0.0


def test_a_comparison_must_declare_a_smallest_effect_above_zero():
    with pytest.raises(MeasureError, match="declare min_effect > 0"):
        Compare(ACC.at(arm="a"), ACC.at(arm="b"))
    with pytest.raises(MeasureError, match="declare min_effect > 0"):
        Compare(ACC.at(arm="a"), ACC.at(arm="b"), min_effect=0)
    with pytest.raises(MeasureError, match="not a measure"):
        Compare("accuracy[arm=a]", ACC.at(arm="b"), min_effect=0.1)


def test_non_inferiority_shows_the_true_difference():
    a = np.full(12, 0.80) + np.linspace(-0.01, 0.01, 12)
    b = np.full(12, 0.81)
    r = NonInferior(ACC.at(arm="a"), ACC.at(arm="b"), margin=0.03).evaluate(acc_trials(a, b))
    assert r.effect == pytest.approx(-0.01) and r.threshold == -0.03
    assert S.decide(r.p_for, r.p_against) is S.Verdict.SUPPORTED


def test_equivalence_and_value_and_chance():
    rng = np.random.default_rng(2)
    a = rng.normal(0.88, 0.01, 30)
    t = acc_trials(a, a + rng.normal(0, 0.005, 30))
    assert Equivalent(ACC.at(arm="a"), ACC.at(arm="b"), margin=0.02).evaluate(t).p_for < 1e-3
    assert Value(ACC.at(arm="a"), 0.88, 0.03).evaluate(t).p_for < 1e-3
    assert Value(ACC.at(arm="a"), 0.70, 0.03).evaluate(t).p_against < 1e-6
    assert AtChance(ACC.at(arm="a")).evaluate(t).family == "null control"


def test_trend_overall_and_at_every_step():
    over = ACC.over("arm", ("a", "b", "c"))
    y = np.array(
        [
            [0.9, 0.7, 0.75],
            [0.92, 0.71, 0.74],
            [0.91, 0.69, 0.76],
            [0.9, 0.7, 0.74],
            [0.93, 0.72, 0.77],
        ]
    )
    t = trials(**{ACC.key(arm=k): y[:, i] for i, k in enumerate("abc")})
    overall = Trend(over, "decreasing", min_effect=0.05).evaluate(t)
    assert overall.effect == pytest.approx(np.mean(y[:, 0] - y[:, 2]))
    assert overall.p_for < 0.01
    step = Trend(over, "decreasing", min_effect=0.01, every_step=True).evaluate(t)
    assert step.p_for > 0.5 and step.p_against < 0.01  # the last step goes up
    with pytest.raises(MeasureError, match="min_effect > 0"):
        Trend(over, "decreasing")


def test_share_counts_runs():
    x = np.r_[np.ones(18), 0.5, 0.5]
    r = Share(ACC.at(arm="a"), above=0.99, at_least=0.5).evaluate(trials(**{ACC.key(arm="a"): x}))
    assert r.effect == pytest.approx(0.9)
    assert r.p_for == pytest.approx(S.share(18, 20, 0.5)[0])


def test_all_of_keeps_every_part():
    rng = np.random.default_rng(4)
    a, b = rng.normal(0.9, 0.01, 10), rng.normal(0.8, 0.01, 10)
    t = acc_trials(a, b)
    parts = [
        Compare(ACC.at(arm="a"), ACC.at(arm="b"), min_effect=0.05),
        Compare(ACC.at(arm="a"), 0.5, min_effect=0.2),
    ]
    r = AllOf(parts, label="both").evaluate(t)
    assert len(r.parts) == 2 and r.family == "both"
    assert r.p_for == max(p.p_for for p in r.parts)
    assert "all of" in AllOf(parts).hypothesis


def test_derived_and_mean_over_measures():
    t = acc_trials(np.full(5, 0.8), np.full(5, 0.6))
    m = ACC.mean_over("arm", ("a", "b"))
    assert m.values(t) == pytest.approx(np.full(5, 0.7))
    d = derived(
        "a minus b",
        lambda tr: ACC.at(arm="a").values(tr) - ACC.at(arm="b").values(tr),
        like=ACC.at(arm="a"),
    )
    assert d.values(t) == pytest.approx(np.full(5, 0.2)) and repr(d) == "a minus b"


def test_diverged_seeds_are_kept_apart():
    from harness.claim import Diverged
    from harness.experiment import DivergedError

    t = Trials(None, range(3), [{"x": 1.0}, {DIVERGED: True}, {"x": 3.0}])
    assert t.diverged == [1]
    assert list(t.handling_divergence(Diverged.EXCLUDE)["x"]) == [1.0, 3.0]
    assert list(t.handling_divergence(0.5)["x"]) == [1.0, 0.5, 3.0]
    with pytest.raises(DivergedError, match="1 of 3 seeds diverged"):
        t.handling_divergence(Diverged.ERROR)


def test_a_paired_log_scale_floor_is_relative_to_each_measures_level():
    """One step of resolution (25 steps) on counts of ~1,000 steps is a floor of ~2.5 % on the
    log scale -- whatever the ratio between the two arms."""
    from harness.checks import _floor

    steps = positive("steps", axes=("arm",), resolution=25)
    t = trials(**{steps.key(arm="a"): np.full(5, 1000.0), steps.key(arm="b"): np.full(5, 250.0)})
    floor = _floor((steps.at(arm="a"), steps.at(arm="b")), t, "log", np.full(5, math.log(4)), False)
    assert floor == pytest.approx(25 / 250)
    r = Compare(steps.at(arm="a"), steps.at(arm="b"), min_ratio=2).evaluate(t)
    assert r.p_for < 1e-3  # four times as many steps on every seed: clear (was p ~ 0.4)


def test_every_seed_diverged_reads_as_the_claims_value():
    t = Trials(None, range(3), [{DIVERGED: True}] * 3, fill=0.5)
    assert list(t["accuracy"]) == [0.5, 0.5, 0.5]
