"""Run profiles: each empirical claim's seed schedule, and which checks run."""

from __future__ import annotations

from dataclasses import dataclass

from .sequential import Schedule

MAX_SEEDS = 2000  # per claim: beyond this a run is a mistake, not a plan (and memory grows)


@dataclass(frozen=True)
class Profile:
    name: str
    schedule: Schedule
    robustness: bool = False  # run the robustness variants (protocol changes) as well
    checks_records: bool = True  # a verdict must match what its claim records

    def for_claim(self, max_seeds: int | None) -> Schedule:
        """The schedule capped at a claim's ``max_seeds``: looks below the cap keep their
        shares of the error budget, the cap takes the rest."""
        s = self.schedule
        if max_seeds is None or max_seeds >= s.max_seeds:
            return s
        kept = [(n, w) for n, w in zip(s.looks, s.weights) if n < max_seeds]
        looks = tuple(n for n, _ in kept) + (max_seeds,)
        weights = tuple(w for _, w in kept)
        return Schedule(looks, weights + (1.0 - sum(weights),))


# Early looks spend little of a claim's error budget: they stop the many claims with large
# effects at 5-20 seeds. Claims still open at 50 go on to 100 and 200 seeds, and those still open
# at 200 -- effects within a few standard errors of their thresholds -- to 500 (the experiments
# that reach it cost 0.1-1.5 CPU seconds a seed). An experiment too costly for that
# (``@experiment(..., max_seeds=200)``) stops at its cap, whose look takes the rest of the budget.
PROFILES = {
    "smoke": Profile("smoke", Schedule.single(3), checks_records=False),
    "standard": Profile(
        "standard",
        Schedule((5, 10, 20, 50, 100, 200, 500), (0.05, 0.1, 0.15, 0.3, 0.15, 0.1, 0.15)),
    ),
    "full": Profile(
        "full",
        Schedule((10, 20, 50, 100, 200, 500, 1000), (0.05, 0.1, 0.15, 0.3, 0.15, 0.1, 0.15)),
        robustness=True,
    ),
}


def get_profile(name: str, seeds: int | None = None) -> Profile:
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}")
    profile = PROFILES[name]
    if seeds is not None:
        if not 3 <= seeds <= MAX_SEEDS:
            raise ValueError(
                f"--seeds must be between 3 and {MAX_SEEDS} (got {seeds}): a test "
                "needs three seeds, and more than that is beyond any plan here"
            )
        profile = Profile(
            profile.name, Schedule.single(seeds), profile.robustness, profile.checks_records
        )
    return profile
