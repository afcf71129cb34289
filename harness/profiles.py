"""Run profiles: how many seeds each empirical claim gets, and which checks run."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    schedule: tuple[int, ...]   # cumulative seeds at each look; more looks only if undecided
    robustness: bool = False    # run the robustness variants (protocol changes) as well

    def for_claim(self, max_seeds: int | None) -> tuple[int, ...]:
        """The schedule capped at a claim's ``max_seeds`` (an expensive protocol)."""
        if max_seeds is None or max_seeds >= self.schedule[-1]:
            return self.schedule
        return tuple(s for s in self.schedule if s < max_seeds) + (max_seeds,)


PROFILES = {
    "smoke": Profile("smoke", (3,)),
    "standard": Profile("standard", (5, 10, 20)),
    "full": Profile("full", (10, 20, 40), robustness=True),
}


def get_profile(name: str, seeds: int | None = None) -> Profile:
    if name not in PROFILES:
        raise ValueError(f"unknown profile {name!r}; choose one of {', '.join(PROFILES)}")
    profile = PROFILES[name]
    if seeds is not None:
        if seeds < 2:
            raise ValueError(f"--seeds must be at least 2 (got {seeds}): a test needs variation")
        profile = Profile(profile.name, (seeds,), profile.robustness)
    return profile
