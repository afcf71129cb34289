"""Monte Carlo error rates and power of the verdict engine (harness.stats, harness.multiplicity).

Every scenario simulates per-seed measurements like the real experiments (accuracy with a
per-seed standard deviation of 0.01-0.03, effects of 0.02-0.05), runs the very p-value code
the families use (vectorised over replicates), and reports how often the verdict is SUPPORTED
or REFUTED. Fixed RNG seeds: the numbers are deterministic. tests/test_stats_simulation.py
asserts on them; ``python -m benchmarks.stats_simulation`` prints the table in
docs/statistics.md.

Noise model: seed s gives arm A the value mu_A + u_s + e_As and arm B mu_B + u_s + e_Bs, with a
shared seed effect u_s (same data split and initialisation stream) and independent e; the
per-arm standard deviation is ``sd`` and the correlation between arms 0.5, so the paired
difference also has standard deviation ``sd``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from harness import multiplicity
from harness import stats as S

ALPHA = 0.05
REPS = 4000
SCHEDULE = (5, 10, 20)          # the standard profile
N = SCHEDULE[-1]


@dataclass(frozen=True)
class Rate:
    scenario: str
    family: str
    truth: str                  # what is true in the simulation
    measured: str               # which verdict's rate is reported
    rate: float
    reps: int
    bound: str                  # what it should be (<= alpha, >= 0.8, ...)
    seeds: float = float("nan")  # mean seeds used (adaptive scenarios)

    @property
    def se(self) -> float:
        return float(np.sqrt(max(self.rate * (1 - self.rate), 1e-4) / self.reps))


# --- data ------------------------------------------------------------------------------------

def _noise(rng, shape, dist):
    if dist == "normal":
        return rng.standard_normal(shape)
    if dist == "t3":            # heavy tails, scaled to unit variance
        return rng.standard_t(3, shape) / np.sqrt(3.0)
    raise ValueError(dist)


def paired(rng, delta, sd=0.02, n=N, reps=REPS, dist="normal", rho=0.5):
    shared = np.sqrt(rho) * sd * _noise(rng, (reps, n), dist)
    own = np.sqrt(1 - rho) * sd
    b = 0.85 + shared + own * _noise(rng, (reps, n), dist)
    a = 0.85 + delta + shared + own * _noise(rng, (reps, n), dist)
    return a, b


def unpaired(rng, delta, sd_a=0.02, sd_b=0.02, n=N, reps=REPS):
    return (0.85 + delta + sd_a * rng.standard_normal((reps, n)),
            0.85 + sd_b * rng.standard_normal((reps, n)))


def levels(rng, means, sd=0.02, n=N, reps=REPS, rho=0.5):
    means = np.asarray(means, float)
    shared = np.sqrt(rho) * sd * rng.standard_normal((reps, n, 1))
    return means + shared + np.sqrt(1 - rho) * sd * rng.standard_normal((reps, n, len(means)))


# --- verdicts --------------------------------------------------------------------------------

def supported(p_for, p_against, alpha=ALPHA):
    return (np.asarray(p_against) >= alpha) & (np.asarray(p_for) < alpha)


def refuted(p_for, p_against, alpha=ALPHA):
    return np.asarray(p_against) < alpha


def adaptive(pvalues, data_at, *, m=1, alpha=ALPHA, schedule=SCHEDULE):
    """The runner's adaptive seeding for one claim per replicate: looks at ``schedule``,
    multiplicity.stop_early with m claims, final p-values corrected by multiplicity.look_adjusted.
    Returns (p_for, p_against, seeds used), the p-values as the runner hands them to Holm."""
    looks = len(schedule)
    reps = None
    for j, n in enumerate(schedule):
        pf, pa = (np.asarray(v, float) for v in pvalues(data_at(n)))
        if reps is None:
            reps = pf.shape[0]
            final_f, final_a = np.ones(reps), np.ones(reps)
            seeds, open_ = np.zeros(reps), np.ones(reps, bool)
        stop = multiplicity.stop_early(pf, pa, looks=looks, alpha=alpha, m=m)
        take = open_ & (stop | (j == looks - 1))
        final_f[take] = multiplicity.look_adjusted(pf[take], looks)
        final_a[take] = multiplicity.look_adjusted(pa[take], looks)
        seeds[take] = n
        open_ &= ~take
    return final_f, final_a, seeds


def holm(p):
    """Holm-adjusted p-values along the last axis, vectorised (statsmodels' multipletests is
    one list at a time; tests/test_stats_simulation.py checks that the two agree)."""
    p = np.asarray(p, float)
    m = p.shape[-1]
    order = np.argsort(p, axis=-1)
    ps = np.take_along_axis(p, order, -1)
    adj = np.minimum(1.0, np.maximum.accumulate(ps * (m - np.arange(m)), axis=-1))
    out = np.empty_like(adj)
    np.put_along_axis(out, order, adj, -1)
    return out


def _rate(scenario, family, truth, measured, hits, bound, seeds=None):
    hits = np.asarray(hits)
    return Rate(scenario, family, truth, measured, float(hits.mean()), hits.size, bound,
                float(np.mean(seeds)) if seeds is not None else float("nan"))


# --- scenarios -------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def null_rates() -> tuple[Rate, ...]:
    """(a) and (d): a claim that is false is SUPPORTED at most alpha of the time (20 seeds, one
    claim, no multiplicity), and a true claim at the boundary of its smallest effect is
    REFUTED at most alpha of the time."""
    rng = np.random.default_rng(101)
    out = []
    cp = S.compare_pvalues
    a, b = paired(rng, 0.0)
    out.append(_rate("A = B, paired, sd 0.02", "compare", "no effect", "SUPPORTED",
                     supported(*cp(a, b)), "<= alpha"))
    a, b = paired(rng, 0.0, n=5)
    out.append(_rate("A = B, paired, 5 seeds", "compare", "no effect", "SUPPORTED",
                     supported(*cp(a, b)), "<= alpha"))
    a, b = paired(rng, 0.0, dist="t3")
    out.append(_rate("A = B, paired, heavy tails (t3)", "compare", "no effect", "SUPPORTED",
                     supported(*cp(a, b)), "<= alpha"))
    a, b = paired(rng, 0.0, dist="t3", n=5)
    out.append(_rate("A = B, paired, heavy tails (t3), 5 seeds", "compare", "no effect",
                     "SUPPORTED", supported(*cp(a, b)), "<= alpha"))
    a, b = unpaired(rng, 0.0, sd_a=0.01, sd_b=0.03)
    out.append(_rate("A = B, unpaired, sd 0.01 vs 0.03", "compare (Welch)", "no effect",
                     "SUPPORTED", supported(*cp(a, b, paired=False)), "<= alpha"))
    a, b = paired(rng, -0.0, sd=0.02)
    out.append(_rate("A < B claimed, A = B", "compare (less)", "no effect", "SUPPORTED",
                     supported(*cp(a, b, alternative="less")), "<= alpha"))
    a, b = paired(rng, 0.02)
    out.append(_rate("A - B = 0.02 = smallest effect", "compare", "claim true (boundary)",
                     "REFUTED", refuted(*cp(a, b, min_effect=0.02)), "<= alpha"))

    # trend overall: no trend at all (Page's L; scipy, one call per replicate)
    y = levels(rng, [0.85] * 4, reps=2000)
    p = np.array([S.page_pvalue(-r)[0] for r in y])
    out.append(_rate("flat over 4 levels", "trend (Page)", "no trend", "SUPPORTED",
                     p < ALPHA, "<= alpha"))
    # ... with ties: accuracies on a 200-example test set (multiples of 0.005), 10 seeds
    y = np.round(levels(rng, [0.97] * 4, sd=0.01, n=10, reps=1000) * 200) / 200
    p = np.array([S.page_pvalue(-r)[0] for r in y])
    out.append(_rate("flat over 4 levels, tied (steps of 0.005), 10 seeds", "trend (Page)",
                     "no trend", "SUPPORTED", p < ALPHA, "<= alpha"))
    # every step: the least favourable null -- two steps clearly fall, one is flat
    y = levels(rng, [0.95, 0.90, 0.90, 0.85])
    pf, pa, _ = S.step_pvalues(-y)
    out.append(_rate("falls, but one step flat", "trend every step", "not monotone",
                     "SUPPORTED", supported(pf, pa), "<= alpha"))

    # equivalence: true difference at / outside the margin
    for paired_, gen in ((True, paired), (False, unpaired)):
        label = "paired" if paired_ else "Welch"
        for delta in (0.02, 0.03):
            a, b = gen(rng, delta)
            truth = "on the margin" if delta == 0.02 else "outside (1.5 x margin)"
            out.append(_rate(f"A - B = {delta}, margin 0.02, {label}", "equivalence", truth,
                             "SUPPORTED", supported(*S.equivalence_pvalues(
                                 a, b, margin=0.02, paired=paired_)), "<= alpha"))
    # value and null control: the mean sits at the edge of the tolerance
    x = 0.88 + 0.02 + 0.02 * rng.standard_normal((REPS, N))
    out.append(_rate("mean = 0.90, claimed 0.88 +- 0.02", "value", "on the edge", "SUPPORTED",
                     supported(*S.value_pvalues(x, target=0.88, tolerance=0.02)), "<= alpha"))
    x = 0.5 + 0.03 + 0.02 * rng.standard_normal((REPS, N))
    out.append(_rate("mean = 0.53, chance 0.5 +- 0.02", "null control", "above chance",
                     "SUPPORTED", supported(*S.value_pvalues(x, target=0.5, tolerance=0.02)),
                     "<= alpha"))
    x = 150 + 5 * rng.standard_normal((REPS, 10))
    out.append(_rate("mean = 150, claimed 140 +- 10, 10 seeds", "value", "on the edge",
                     "SUPPORTED", supported(*S.value_pvalues(x, target=140, tolerance=10)),
                     "<= alpha"))
    return tuple(out)


@lru_cache(maxsize=None)
def power_rates() -> tuple[Rate, ...]:
    """(b): P(SUPPORTED) for a true claim at its smallest effect with the standard profile's
    budget (20 seeds), at alpha / 3 -- the level the 3-look Bonferroni correction leaves a
    single claim (the adaptive runs are in adaptive_rates)."""
    rng = np.random.default_rng(202)
    level = ALPHA / len(SCHEDULE)
    out = []

    def sup(p):
        return supported(*p, alpha=level)

    for delta, sd in ((0.02, 0.02), (0.03, 0.03), (0.05, 0.03)):
        a, b = paired(rng, delta, sd=sd)
        out.append(_rate(f"A - B = {delta} = smallest effect, sd {sd}, paired", "compare",
                         "claim true", "SUPPORTED",
                         sup(S.compare_pvalues(a, b, min_effect=delta)), ">= 0.8"))
    a, b = unpaired(rng, 0.03, 0.02, 0.02)
    out.append(_rate("A - B = 0.03, sd 0.02, unpaired", "compare (Welch)", "claim true",
                     "SUPPORTED", sup(S.compare_pvalues(a, b, paired=False)), ">= 0.8"))
    y = levels(rng, [0.85, 0.835, 0.82, 0.80], sd=0.02, reps=2000)
    p = np.array([S.page_pvalue(-r)[0] for r in y])
    pa = S.p_greater(S.fitted_change(y), 0.0)           # against: change significantly >= 0
    out.append(_rate("falls 0.05 over 4 levels, sd 0.02", "trend (Page)", "claim true",
                     "SUPPORTED", supported(p, pa, level), ">= 0.8"))
    y = levels(rng, [0.90, 0.88, 0.86, 0.84], sd=0.02)
    pf, pa, _ = S.step_pvalues(-y)
    out.append(_rate("falls 0.02 per step, sd 0.02", "trend every step", "claim true",
                     "SUPPORTED", supported(pf, pa, level), ">= 0.8"))
    a, b = paired(rng, 0.0, sd=0.02)
    out.append(_rate("A = B, margin 0.02, sd 0.02, paired", "equivalence", "claim true",
                     "SUPPORTED", sup(S.equivalence_pvalues(a, b, margin=0.02)), ">= 0.8"))
    a, b = unpaired(rng, 0.0, 0.015, 0.015)
    out.append(_rate("A = B, margin 0.02, sd 0.015, Welch", "equivalence", "claim true",
                     "SUPPORTED", sup(S.equivalence_pvalues(a, b, margin=0.02, paired=False)),
                     ">= 0.8"))
    x = 0.88 + 0.02 * rng.standard_normal((REPS, N))
    out.append(_rate("mean = 0.88, claimed 0.88 +- 0.02, sd 0.02", "value", "claim true",
                     "SUPPORTED", sup(S.value_pvalues(x, target=0.88, tolerance=0.02)),
                     ">= 0.8"))
    x = 0.5 + 0.02 * rng.standard_normal((REPS, N))
    out.append(_rate("mean = 0.5, chance 0.5 +- 0.02, sd 0.02", "null control", "claim true",
                     "SUPPORTED", sup(S.value_pvalues(x, target=0.5, tolerance=0.02)),
                     ">= 0.8"))
    return tuple(out)


@lru_cache(maxsize=None)
def run_level_power() -> tuple[Rate, ...]:
    """For context, not asserted >= 0.8: P(SUPPORTED) with 20 seeds at alpha / 300 -- the
    first Holm step among 100 claims with 3 looks each, the worst case for one claim in a
    full run. This is what ~100 claims cost; see docs/statistics.md."""
    rng = np.random.default_rng(404)
    level = ALPHA / (100 * len(SCHEDULE))
    out = []
    for delta, sd in ((0.02, 0.02), (0.03, 0.02), (0.05, 0.03)):
        a, b = paired(rng, delta, sd=sd)
        out.append(_rate(f"A - B = {delta}, sd {sd}, paired, level alpha/300", "compare",
                         "claim true", "SUPPORTED",
                         supported(*S.compare_pvalues(a, b), alpha=level), "reported"))
    y = levels(rng, [0.90, 0.88, 0.86, 0.84], sd=0.02)
    out.append(_rate("falls 0.02 per step, sd 0.02, level alpha/300", "trend every step",
                     "claim true", "SUPPORTED",
                     supported(*S.step_pvalues(-y)[:2], alpha=level), "reported"))
    a, b = paired(rng, 0.0, sd=0.02)
    out.append(_rate("A = B, margin 0.02, sd 0.02, level alpha/300", "equivalence",
                     "claim true", "SUPPORTED",
                     supported(*S.equivalence_pvalues(a, b, margin=0.02), alpha=level),
                     "reported"))
    return tuple(out)


@lru_cache(maxsize=None)
def adaptive_rates() -> tuple[Rate, ...]:
    """(c): the adaptive schedule (5, 10, 20 seeds) with the runner's stopping rule and look
    correction: error rates under optional stopping, power, and seeds used."""
    rng = np.random.default_rng(303)
    out = []
    cp = S.compare_pvalues

    def run(a, b, m=1, **kw):
        return adaptive(lambda ab: cp(*ab, **kw), lambda n: (a[:, :n], b[:, :n]), m=m)

    a, b = paired(rng, 0.0)
    pf, pa, seeds = run(a, b)
    out.append(_rate("A = B, one claim", "compare, adaptive", "no effect", "SUPPORTED",
                     supported(pf, pa), "<= alpha", seeds))
    a, b = paired(rng, 0.02)
    pf, pa, seeds = run(a, b, min_effect=0.02)
    out.append(_rate("A - B = 0.02 = smallest effect, one claim", "compare, adaptive",
                     "claim true (boundary)", "REFUTED", refuted(pf, pa), "<= alpha", seeds))
    out.append(_rate("A - B = 0.02 = smallest effect, one claim", "compare, adaptive",
                     "claim true", "SUPPORTED", supported(pf, pa), ">= 0.8", seeds))
    a, b = paired(rng, 0.03)
    pf, pa, seeds = run(a, b, min_effect=0.03 / 4)
    out.append(_rate("A - B = 0.03 (1.5 sd), one claim", "compare, adaptive", "claim true",
                     "SUPPORTED", supported(pf, pa), ">= 0.8", seeds))
    a, b = paired(rng, 0.05)
    pf, pa, seeds = run(a, b)
    out.append(_rate("A - B = 0.05 (2.5 sd), one claim", "compare, adaptive", "clear-cut",
                     "SUPPORTED", supported(pf, pa), ">= 0.8", seeds))
    a, b = paired(rng, 0.05, reps=1000)
    pf, pa, seeds = run(a, b, m=100)
    out.append(_rate("A - B = 0.05 (2.5 sd), among 100 claims", "compare, adaptive",
                     "clear-cut", "stopped early", seeds < N, ">= 0.8", seeds))
    x = 0.5 + 0.02 * rng.standard_normal((REPS, N))
    pf, pa, seeds = adaptive(lambda v: S.value_pvalues(v, target=0.5, tolerance=0.03),
                             lambda n: x[:, :n])
    out.append(_rate("mean = 0.5, chance 0.5 +- 0.03", "null control, adaptive", "claim true",
                     "SUPPORTED", supported(pf, pa), ">= 0.8", seeds))
    x = 0.53 + 0.02 * rng.standard_normal((REPS, N))
    pf, pa, seeds = adaptive(lambda v: S.value_pvalues(v, target=0.5, tolerance=0.03),
                             lambda n: x[:, :n])
    out.append(_rate("mean = 0.53, chance 0.5 +- 0.03", "null control, adaptive",
                     "on the edge", "SUPPORTED", supported(pf, pa), "<= alpha", seeds))

    # a whole run: 100 claims, Holm over the runner's look-corrected p-values
    runs, m = 1000, 100
    a, b = paired(rng, 0.0, reps=runs * m)
    pf, pa, seeds = run(a, b, m=m)
    fwer = supported(holm(pf.reshape(runs, m)), holm(pa.reshape(runs, m))).any(axis=1)
    out.append(_rate("100 claims, all false (A = B)", "run of compares, Holm",
                     "no effect anywhere", "any SUPPORTED (FWER)", fwer, "<= alpha", seeds))
    delta = np.where(np.arange(m) < 50, 0.05, 0.0)          # 50 true clear-cut, 50 false
    a, b = paired(rng, np.tile(delta, runs)[:, None], reps=runs * m)
    pf, pa, seeds = run(a, b, m=m)
    pf, pa = pf.reshape(runs, m), pa.reshape(runs, m)
    sup = supported(holm(pf), holm(pa))
    out.append(_rate("100 claims: 50 with A - B = 0.05, 50 with A = B", "run of compares, Holm",
                     "50 false claims", "any false SUPPORTED (FWER)", sup[:, 50:].any(axis=1),
                     "<= alpha", seeds))
    out.append(_rate("100 claims: 50 with A - B = 0.05, 50 with A = B", "run of compares, Holm",
                     "50 true claims", "SUPPORTED (per true claim)", sup[:, :50],
                     "reported", seeds.reshape(runs, m)[:, :50]))
    return tuple(out)


def all_rates() -> list[Rate]:
    return [*null_rates(), *power_rates(), *run_level_power(), *adaptive_rates()]


def table(rates=None) -> str:
    rates = all_rates() if rates is None else rates
    rows = ["| family | scenario | truth | rate of | measured | target | mean seeds |",
            "|---|---|---|---|---|---|---|"]
    for r in rates:
        seeds = "" if np.isnan(r.seeds) else f"{r.seeds:.1f}"
        rows.append(f"| {r.family} | {r.scenario} | {r.truth} | {r.measured} | "
                    f"{r.rate:.3f} ± {r.se:.3f} | {r.bound} | {seeds} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(f"alpha = {ALPHA}; standard schedule {SCHEDULE}; ± is one Monte Carlo standard error")
    print(table())
