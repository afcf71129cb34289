"""The sequential core: looks, the stopping rule and the family's multiplicity control."""

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from harness.profiles import PROFILES, Profile, get_profile
from harness.sequential import Family, Schedule, Sequential, verdicts


def test_a_claim_p_value_is_its_stopping_look_p_over_that_looks_weight():
    schedule = Schedule((5, 10, 20), (0.2, 0.3, 0.5))
    seq = Sequential(schedule, Family(1, "none"))
    assert not seq.observe(0, 0.2, 0.9)  # 0.2 / 0.2 = 1: open
    assert seq.observe(1, 0.006, 0.9)  # 0.006 / 0.3 = 0.02 < 0.05: stops
    assert float(seq.p_for) == pytest.approx(0.02)
    assert int(seq.seeds) == 10 and int(seq.looks) == 2


def test_the_last_look_always_stops():
    seq = Sequential(Schedule.single(5), Family(10))
    assert seq.observe(0, 0.5, 0.5)
    assert not seq.open


def test_shaffer_is_bonferroni_over_claims_not_hypotheses():
    fam = Family(100)
    assert fam.stop_level == pytest.approx(0.05 / 100)
    adj_for, adj_against = fam.adjust([0.0002, 0.3], [0.9, 0.001])
    assert adj_for == pytest.approx([0.02, 1.0])
    assert adj_against == pytest.approx([1.0, 0.1])
    assert list(verdicts(adj_for, adj_against)) == [1, 0]
    assert "Shaffer" in fam.guarantee() and "100" in fam.guarantee()


@pytest.mark.parametrize("method, name", [("bh", "fdr_bh"), ("by", "fdr_by")])
def test_fdr_families_adjust_both_directions_together(method, name):
    p_for, p_against = [0.001, 0.02, 0.5], [0.9, 0.04, 0.001]
    adj_for, adj_against = Family(3, method).adjust(p_for, p_against)
    ref = multipletests(p_for + p_against, method=name)[1]
    assert list(adj_for) + list(adj_against) == pytest.approx(list(ref))
    assert not Family(3, method).final_on_stop


def test_fdr_stop_level_is_the_strictest_threshold():
    m2 = 2 * 50
    assert Family(50, "bh").stop_level == pytest.approx(0.05 / m2)
    assert Family(50, "by").stop_level == pytest.approx(
        0.05 / (m2 * sum(1 / i for i in range(1, m2 + 1)))
    )


def test_unknown_method_is_an_error():
    with pytest.raises(ValueError, match="unknown adjustment"):
        Family(3, "holmish")


@pytest.mark.parametrize(
    "looks, weights",
    [((5, 5), (0.5, 0.5)), ((2,), (1.0,)), ((5, 10), (0.5, 0.6)), ((5, 10), (1.0,))],
)
def test_bad_schedules_are_rejected(looks, weights):
    with pytest.raises(ValueError):
        Schedule(looks, weights)


def test_a_cap_keeps_the_early_shares_and_gives_the_rest_to_the_cap():
    profile = Profile("p", Schedule((5, 10, 20, 50), (0.1, 0.15, 0.25, 0.5)))
    capped = profile.for_claim(15)
    assert capped.looks == (5, 10, 15)
    assert capped.weights == pytest.approx((0.1, 0.15, 0.75))
    assert profile.for_claim(None) is profile.schedule
    assert profile.for_claim(80) is profile.schedule


def test_profiles_and_seed_overrides():
    assert PROFILES["standard"].schedule.looks == (5, 10, 20, 50, 100, 200, 500)
    assert sum(PROFILES["standard"].schedule.weights) == pytest.approx(1.0)
    assert get_profile("standard", seeds=8).schedule.looks == (8,)
    assert not get_profile("smoke").checks_records
    with pytest.raises(ValueError, match="between 3 and"):
        get_profile("standard", seeds=100_000)
    with pytest.raises(ValueError, match="unknown profile"):
        get_profile("huge")


def test_optional_stopping_keeps_the_error_rate():
    """Null data, looked at after every batch and stopped at the first p below its look's
    share: the claim-level rate stays at most alpha (here alpha = 0.05, no family)."""
    rng = np.random.default_rng(0)
    schedule = Schedule((5, 10, 20, 50), (0.1, 0.15, 0.25, 0.5))
    reps = 20000
    x = rng.normal(0, 1, (reps, 50))
    seq = Sequential(schedule, Family(1, "none"), (reps,))
    from scipy import stats

    for j, n in enumerate(schedule.looks):
        p = stats.ttest_1samp(x[:, :n], 0.0, axis=1, alternative="greater").pvalue
        seq.observe(j, p, 1 - p)
    rate = np.mean(seq.p_for < 0.05)
    assert rate <= 0.05 + 3 * np.sqrt(0.05 * 0.95 / reps)


def test_a_costly_experiment_caps_its_claims_and_its_last_look_takes_the_rest():
    from harness import Compare, Empirical, real
    from harness.claim import Claim, Kind
    from harness.experiment import experiment
    from harness.runner import hypotheses, seed_cap

    x = real("x")

    @experiment("costly_toy", max_seeds=50)
    def costly(seeds):
        return [{x.key(): 1.0} for _ in seeds]

    check = Empirical(costly(), Compare(x.at(), 0.0, min_effect=0.5))
    assert seed_cap(check) == 50
    claim = Claim("Q99.1", "q", "s", Kind.EMPIRICAL, check)
    (h,) = hypotheses([claim], PROFILES["standard"]).values()
    assert h.schedule.looks == (5, 10, 20, 50)
    assert h.schedule.weights == pytest.approx((0.05, 0.1, 0.15, 0.7))
    # a cap at a later look: the looks below it keep their shares, the cap takes the rest
    at_200 = PROFILES["standard"].for_claim(200)
    assert at_200.looks == (5, 10, 20, 50, 100, 200)
    assert at_200.weights == pytest.approx((0.05, 0.1, 0.15, 0.3, 0.15, 0.25))
    tighter = Empirical(costly(), Compare(x.at(), 0.0, min_effect=0.5), max_seeds=20)
    assert seed_cap(tighter) == 20
