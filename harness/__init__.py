"""A claims-verification harness for deep learning: claims of a text, checked over seeds."""
from .checks import AllOf, AtChance, Compare, Equivalent, Trend, Value
from .claim import Claim, Empirical, Exact, Kind, Verdict, claim
from .experiment import Experiment, Protocol, Trials, experiment

__all__ = ["AllOf", "AtChance", "Claim", "Compare", "Empirical", "Equivalent", "Exact",
           "Experiment", "Kind", "Protocol", "Trend", "Trials", "Value", "Verdict", "claim",
           "experiment"]
