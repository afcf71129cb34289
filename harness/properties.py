"""One hypothesis settings profile for every property-based claim: deterministic (the same
examples on every run, so a verdict cannot flicker), no deadline (CPU speed varies), no
example database (nothing written beside the checkout). A check that needs fewer examples
says ``@settings(max_examples=50)``; everything else comes from this profile."""

from hypothesis import HealthCheck, settings

PROFILE = "claims"
settings.register_profile(
    PROFILE,
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(PROFILE)
