"""A claims-verification harness for deep learning: claims of a text, checked over seeds.

What a claim file needs is exported here; see README.md, "Adding a claim".
"""

from . import properties  # noqa: F401  (loads the one hypothesis settings profile)
from .checks import AllOf, AtChance, Compare, Equivalent, NonInferior, Share, Trend, Value
from .claim import (
    Claim,
    Diverged,
    Empirical,
    Exact,
    Kind,
    Verdict,
    claim,
    departure,
    exact,
    recorded,
    robustness,
)
from .experiment import DIVERGED, Experiment, Protocol, Trials, experiment
from .measures import Quantity, accuracy, derived, positive, real
from .original import CONVENTIONS, differs, says
from .references import cites, miscites

__all__ = [
    "AllOf",
    "AtChance",
    "CONVENTIONS",
    "Claim",
    "Compare",
    "DIVERGED",
    "Diverged",
    "Empirical",
    "Equivalent",
    "Exact",
    "Experiment",
    "Kind",
    "NonInferior",
    "Protocol",
    "Quantity",
    "Share",
    "Trend",
    "Trials",
    "Value",
    "Verdict",
    "accuracy",
    "cites",
    "claim",
    "departure",
    "derived",
    "differs",
    "exact",
    "experiment",
    "miscites",
    "positive",
    "real",
    "recorded",
    "robustness",
    "says",
]
