"""Error rates and power of the verdict engine, measured on the code that ships.

Every scenario plants a truth -- a false claim at the boundary of its null hypothesis, or a true
claim of the declared size -- draws per-seed measurements, and runs them through the sequential
core the runner uses (``harness.stats`` for the p-values, ``harness.sequential`` for the looks,
the stopping rule and the family), at the family's real size and the standard schedule.
``through_runner`` runs a scenario end to end through ``harness.runner.Runner`` with a real
check (``Compare``, ``Value``, ...) on a synthetic experiment; ``tests/test_stats_simulation.py``
asserts that both paths give the same verdicts on the same data, so the vectorised rates below
are those of the shipping code.

    python -m benchmarks.stats_simulation            # the tables of docs/statistics.md
    python -m benchmarks.stats_simulation --reps 20000 --family 250
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from harness import stats
from harness.profiles import PROFILES
from harness.sequential import Family, Schedule, Sequential, verdicts

ALPHA = stats.ALPHA
FAMILY = 250  # about the catalogue's number of distinct statistical hypotheses
SCHEDULE = PROFILES["standard"].schedule
DESIGN = 0.4  # the declared size: a true effect beyond its threshold by 0.4 SD of a seed
# The test of a mean is checked at one level of the order of the per-look levels (alpha / m times
# shares of 0.05-0.3), on the looks up to 200 seeds: beyond them the t statistic is as good as
# normal, and 100,000 replicates of 1,000 seeds would cost gigabytes for nothing.
CALIBRATION_LEVEL = ALPHA / FAMILY * 0.2
CALIBRATION_LOOKS = tuple(n for n in SCHEDULE.looks if n <= 200)
# The cost caps in use: 50 seeds (Q42, Q45, Q49's timed runs) and 100 (Q54's layer-by-layer
# transfer). A capped schedule's declared size is the larger effect it finds with power >= 0.8.
CAPPED = PROFILES["standard"].for_claim(50)  # 5 to 50 seeds
DESIGN_CAPPED = 0.75
CAPPED_100 = PROFILES["standard"].for_claim(100)  # 5 to 100 seeds
DESIGN_CAPPED_100 = 0.55
ROWS = 200  # test rows behind a simulated accuracy


@dataclass(frozen=True)
class Scenario:
    """A planted truth: ``draw(rng, reps, n)`` gives per-seed values (reps x n) of what the test
    reads, already oriented and on the test's scale; ``test(x)`` gives (p_for, p_against) the way
    the shipping check computes them."""

    name: str
    shape: str
    truth: str  # "false" (the claim is false: SUPPORTED is an error) or "true"
    draw: Callable
    test: Callable
    check: Callable  # () -> the harness check that reads the same values
    schedule: Schedule = SCHEDULE

    @property
    def error(self) -> str:
        return "SUPPORTED" if self.truth == "false" else "REFUTED"


# --- how the checks compute their p-values (same calls, same floors) ----------------------------
def greater_than(delta, *, floor=None, bounds=None):
    return lambda x: stats.greater(x, delta, floor=floor, bounds=bounds)


def accuracy_floor(x, rows=ROWS):
    """A one-sample accuracy test's floor: binomial noise at the mean (Agresti-Coull)."""
    p = (x.mean(axis=-1) * rows + 2) / (rows + 4)
    return np.sqrt(p * (1 - p) / rows)


def accuracy_greater(threshold):
    return lambda x: stats.greater(
        x - threshold, 0.0, floor=accuracy_floor(x), bounds=(-threshold, 1 - threshold)
    )


def accuracy_within(target, tolerance):
    return lambda x: stats.within(
        x, target - tolerance, target + tolerance, floor=accuracy_floor(x), bounds=(0.0, 1.0)
    )


# --- planted truths ------------------------------------------------------------------------------
def _binomial(rng, reps, n, p):
    return rng.binomial(ROWS, p, (reps, n)) / ROWS


def _checks():
    from benchmarks.sim_experiment import ACCURACY, VALUE
    from harness import AtChance, Compare, Equivalent

    return ACCURACY, VALUE, AtChance, Compare, Equivalent


def scenarios(delta: float = 0.05) -> list[Scenario]:
    """The shapes the catalogue uses, each at the boundary of its null (the hardest false claim)
    and at the declared size, plus the cases that once broke the engine: effects just below a
    stated magnitude, ceilings with rare failed seeds, skewed and heavy-tailed measurements,
    all-equal seeds. ``check()`` is the shipping check that reads the same values."""
    acc, value, at_chance, compare, equivalent = _checks()
    sd, log2 = 0.02, math.log(2)
    acc_sd = math.sqrt(2 * 0.8 * 0.2 / ROWS)  # sd of a difference of two 200-row accuracies

    def more(d, floor=None):
        return greater_than(d, floor=floor), lambda: compare(value.at(), 0.0, min_effect=d)

    def acc_more(t):
        return accuracy_greater(t), lambda: compare(acc.at(), t - 0.005, min_effect=0.005)

    def chance(t, tol):
        return accuracy_within(t, tol), lambda: at_chance(acc.at(), t, tol)

    def alike(m):
        return (lambda x: stats.within(x, -m, m)), lambda: equivalent(value.at(), 0.0, margin=m)

    rows = [
        (
            "difference at the stated magnitude, normal",
            "comparison",
            "false",
            lambda r, k, n: r.normal(delta, sd, (k, n)),
            more(delta),
        ),
        (
            "difference 0.9 x the stated magnitude, normal",
            "comparison",
            "false",
            lambda r, k, n: r.normal(0.9 * delta, sd, (k, n)),
            more(delta),
        ),
        (
            "difference at the magnitude, heavy tails (t3)",
            "comparison",
            "false",
            lambda r, k, n: delta + sd * r.standard_t(3, (k, n)),
            more(delta),
        ),
        (
            "accuracy difference at the magnitude, 200 rows",
            "comparison",
            "false",
            lambda r, k, n: _binomial(r, k, n, 0.8) - _binomial(r, k, n, 0.8 - delta),
            more(delta),
        ),
        (
            "loss ratio at the stated factor 2, log-normal (log scale)",
            "comparison",
            "false",
            lambda r, k, n: r.normal(log2, 0.5, (k, n)),
            more(log2),
        ),
        (
            "loss ratio at the stated factor 2, gamma(2) losses (log scale)",
            "comparison",
            "false",
            lambda r, k, n: np.log(2 * r.gamma(2, 1, (k, n)) / r.gamma(2, 1, (k, n))),
            more(log2),
        ),
        (
            "accuracy near the ceiling (mean 0.97), claim > 0.97",
            "value",
            "false",
            lambda r, k, n: _binomial(r, k, n, r.beta(40, 40 * 0.03 / 0.97, (k, n))),
            acc_more(0.97),
        ),
        (
            "ceiling with 5 % failed seeds (mean 0.975), claim > 0.985",
            "value",
            "false",
            lambda r, k, n: np.where(r.random((k, n)) < 0.05, 0.5, 1.0),
            acc_more(0.985),
        ),
        (
            "all seeds equal at 0.5, claim > 0.52",
            "value",
            "false",
            lambda r, k, n: np.full((k, n), 0.5),
            acc_more(0.52),
        ),
        (
            "at chance +- 0.05, truth 0.55 (the margin)",
            "null control",
            "false",
            lambda r, k, n: _binomial(r, k, n, 0.55),
            chance(0.5, 0.05),
        ),
        (
            "equivalent within 0.05, truth at the margin",
            "equivalence",
            "false",
            lambda r, k, n: r.normal(delta, sd, (k, n)),
            alike(delta),
        ),
        # true claims: a REFUTED verdict is the error; power is P(SUPPORTED)
        (
            "difference of the declared size, normal",
            "comparison",
            "true",
            lambda r, k, n: r.normal(delta + DESIGN * sd, sd, (k, n)),
            more(delta),
        ),
        (
            "difference exactly at the magnitude (boundary), normal",
            "comparison",
            "true",
            lambda r, k, n: r.normal(delta, sd, (k, n)),
            more(delta),
        ),
        (
            "accuracy difference of the declared size, 200 rows",
            "comparison",
            "true",
            lambda r, k, n: (
                _binomial(r, k, n, 0.8 + DESIGN * acc_sd) - _binomial(r, k, n, 0.8 - delta)
            ),
            more(delta),
        ),
        (
            "loss ratio of the declared size, log-normal (log scale)",
            "comparison",
            "true",
            lambda r, k, n: r.normal(log2 + DESIGN * 0.5, 0.5, (k, n)),
            more(log2),
        ),
        (
            "all seeds exactly at chance, claim at chance +- 0.05",
            "null control",
            "true",
            lambda r, k, n: np.full((k, n), 0.5),
            chance(0.5, 0.05),
        ),
        (
            "equivalent within 0.05, truth 0 (declared size)",
            "equivalence",
            "true",
            lambda r, k, n: r.normal(0.0, sd, (k, n)),
            alike(delta),
        ),
    ]
    out = [
        Scenario(name, shape, truth, draw, test, check)
        for name, shape, truth, draw, (test, check) in rows
    ]
    # the same truths on the costly experiments' capped schedules (a larger declared size)
    for schedule, design, cap in (
        (CAPPED, DESIGN_CAPPED, 50),
        (CAPPED_100, DESIGN_CAPPED_100, 100),
    ):
        out += [
            Scenario(
                f"difference at the stated magnitude, normal, capped at {cap}",
                "comparison",
                "false",
                lambda r, k, n: r.normal(delta, sd, (k, n)),
                *more(delta),
                schedule,
            ),
            Scenario(
                f"difference of the declared size ({design} SD), capped at {cap}",
                "comparison",
                "true",
                lambda r, k, n, design=design: r.normal(delta + design * sd, sd, (k, n)),
                *more(delta),
                schedule,
            ),
        ]
    return out


# --- the sequential core, on many replicates at once ---------------------------------------------
@dataclass(frozen=True)
class Rate:
    scenario: str
    shape: str
    truth: str
    error_rate: float  # P(SUPPORTED) of a false claim, P(REFUTED) of a true one
    power: float  # P(SUPPORTED) of a true claim (nan for false claims)
    seeds: float  # mean seeds used
    reps: int

    @property
    def se(self) -> float:
        return math.sqrt(max(self.error_rate * (1 - self.error_rate), 1 / self.reps) / self.reps)


def run(
    scenario: Scenario,
    *,
    reps: int,
    family: Family,
    seed: int = 0,
    data: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Verdict codes (1 SUPPORTED, -1 REFUTED, 0 open) and seeds used, per replicate, on the
    scenario's schedule."""
    schedule = scenario.schedule
    rng = np.random.default_rng(seed)
    x = scenario.draw(rng, reps, schedule.max_seeds) if data is None else data
    seq = Sequential(schedule, family, (reps,))
    for j, n in enumerate(schedule.looks):
        p_for, p_against = stats.quiet(scenario.test, x[:, :n])
        seq.observe(j, p_for, p_against)
    adj_for, adj_against = family.adjust(seq.p_for, seq.p_against)
    return verdicts(adj_for, adj_against, family.alpha), seq.seeds


def rates(*, reps: int = 20000, family_size: int = FAMILY, seed: int = 0) -> list[Rate]:
    family = Family(family_size)
    out = []
    for i, s in enumerate(scenarios()):
        v, seeds = run(s, reps=reps, family=family, seed=seed + i)
        wrong = -1 if s.truth == "true" else 1
        out.append(
            Rate(
                s.name,
                s.shape,
                s.truth,
                float(np.mean(v == wrong)),
                float(np.mean(v == 1)) if s.truth == "true" else float("nan"),
                float(seeds.mean()),
                reps,
            )
        )
    return out


def per_test_calibration(
    *, reps: int = 200_000, level: float | None = None, seed: int = 1
) -> list[tuple[str, int, float]]:
    """The one-sided test of a mean at the family's per-look level, on null data of several
    shapes: the rejection rate as a multiple of the level (1 = calibrated)."""
    level = level or CALIBRATION_LEVEL
    rng = np.random.default_rng(seed)
    shapes = {
        "normal": lambda k, n: rng.normal(0, 1, (k, n)),
        "t3 (heavy tails)": lambda k, n: rng.standard_t(3, (k, n)),
        "binomial accuracy (p = 0.9, 100 rows)": lambda k, n: (
            rng.binomial(100, 0.9, (k, n)) / 100 - 0.9
        ),
        "log of a log-normal loss": lambda k, n: rng.normal(0, 1, (k, n)),
        "log of a gamma(4) loss": lambda k, n: np.log(rng.gamma(4, 1, (k, n))) - _log_gamma_mean(4),
        "gamma(4) loss, linear scale (not used)": lambda k, n: rng.gamma(4, 1, (k, n)) - 4,
        "exponential, linear scale (not used)": lambda k, n: rng.exponential(1, (k, n)) - 1,
    }
    out = []
    for name, draw in shapes.items():
        for n in CALIBRATION_LOOKS:
            x = draw(reps, n)
            up = stats.quiet(stats.p_above, x, 0.0, floor=1e-12)
            down = stats.quiet(stats.p_below, x, 0.0, floor=1e-12)
            out.append((name, n, float(max(np.mean(up < level), np.mean(down < level)) / level)))
    return out


def _log_gamma_mean(k: float) -> float:
    from scipy.special import digamma

    return float(digamma(k))


def coverage(*, reps: int = 20000, seed: int = 2) -> list[tuple[str, int, float]]:
    """Coverage of the 95 % intervals the report shows, at the seed counts of the schedule."""
    rng = np.random.default_rng(seed)
    shapes = {
        "normal": (lambda k, n: rng.normal(0, 1, (k, n)), 0.0),
        "binomial accuracy (p = 0.8, 200 rows)": (
            lambda k, n: rng.binomial(200, 0.8, (k, n)) / 200,
            0.8,
        ),
        "log of a log-normal loss": (lambda k, n: rng.normal(0, 0.5, (k, n)), 0.0),
        "t3 (heavy tails)": (lambda k, n: rng.standard_t(3, (k, n)), 0.0),
    }
    out = []
    for name, (draw, truth) in shapes.items():
        for n in CALIBRATION_LOOKS:
            x = draw(reps, n)
            mean = x.mean(axis=1)
            sd = np.maximum(x.std(axis=1, ddof=1), 1e-12)
            from scipy.stats import t

            half = t.ppf(0.975, n - 1) * sd / np.sqrt(n)
            out.append((name, n, float(np.mean(np.abs(mean - truth) <= half))))
    return out


# --- end to end, through the runner ------------------------------------------------------------------
def through_runner(
    scenario: Scenario,
    data: np.ndarray,
    *,
    family_size: int = FAMILY,
) -> np.ndarray:
    """Verdict codes for the replicates in ``data`` (reps x seeds), each run as one claim
    through ``harness.runner.Runner`` with an in-memory store: a synthetic experiment returns the
    replicate's values, and a real check reads them."""
    import tempfile
    from pathlib import Path

    from benchmarks import sim_experiment
    from harness.claim import Claim, Empirical, Kind
    from harness.profiles import Profile
    from harness.runner import Runner
    from harness.store import Store

    sim_experiment.DATA.clear()
    check = scenario.check()
    claims = []
    for i, row in enumerate(data):
        sim_experiment.DATA[i] = row
        claims.append(
            Claim(
                f"Q99.{i + 1}",
                "q",
                "simulated",
                Kind.EMPIRICAL,
                Empirical(sim_experiment.values(rep=i), check),
            )
        )
    profile = Profile("simulation", scenario.schedule)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "sim.sqlite")
        results = Runner(store, profile, family_size=family_size).evaluate(claims)
        store.close()
    code = {"SUPPORTED": 1, "REFUTED": -1}
    return np.array([code.get(results[c.id].verdict.value, 0) for c in claims])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=20000)
    parser.add_argument("--family", type=int, default=FAMILY)
    args = parser.parse_args(argv)
    from tabulate import tabulate

    print(
        f"Family of {args.family} hypotheses, standard schedule {SCHEDULE.text()} "
        f"(weights {SCHEDULE.weights}), {args.reps} replicates each.\n"
    )
    rows = [
        (
            r.scenario,
            r.shape,
            r.truth,
            f"{r.error_rate:.4f}",
            "" if math.isnan(r.power) else f"{r.power:.3f}",
            f"{r.seeds:.1f}",
        )
        for r in rates(reps=args.reps, family_size=args.family)
    ]
    print(
        tabulate(
            rows,
            headers=["planted truth", "shape", "claim", "error rate", "power", "mean seeds"],
            tablefmt="github",
        )
    )
    level = CALIBRATION_LEVEL
    print(f"\nPer-test calibration at {level:.1e} (rejections / level):\n")
    cal = per_test_calibration()
    names = list(dict.fromkeys(n for n, _, _ in cal))
    print(
        tabulate(
            [[name, *[f"{v:.2f}" for nm, _, v in cal if nm == name]] for name in names],
            headers=["null data", *[f"n = {n}" for n in CALIBRATION_LOOKS]],
            tablefmt="github",
        )
    )
    print("\nCoverage of the 95 % t intervals:\n")
    cov = coverage()
    names = list(dict.fromkeys(n for n, _, _ in cov))
    print(
        tabulate(
            [[name, *[f"{v:.3f}" for nm, _, v in cov if nm == name]] for name in names],
            headers=["data", *[f"n = {n}" for n in CALIBRATION_LOOKS]],
            tablefmt="github",
        )
    )


if __name__ == "__main__":
    main()
