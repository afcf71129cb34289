"""The one sequential-testing core: seeds in looks, a family's error control, and when a claim
may stop. The runner uses it for every claim; the simulations (``benchmarks/stats_simulation.py``)
use it on many replicates at once -- the same code, so the error rates we publish are those of
the code that ships.

**Looks.** A claim's seeds come in looks (the profile's schedule, e.g. 5, 10, 20, 50 seeds).
Look j spends a share w_j of the claim's error budget (weights summing to 1): the claim's
p-value is p_J / w_J at the look J where it stopped. Whatever the stopping rule,
P(p_J / w_J <= c) <= P(some look has p_j <= c w_j) <= sum_j c w_j = c (a weighted Bonferroni
bound over looks), so the p-value stays valid under optional stopping. Early looks get small
shares: they only need to catch the large effects that most claims have.

**The family.** Each claim is two hypotheses with complementary nulls ("false" and "true"),
so exactly one of the two is a true null. Of the 2m hypotheses of m claims at most m are true
nulls, and Bonferroni over m -- not 2m -- bounds the chance of any wrong verdict by alpha
(Shaffer's logic; Holm's step-down adds nothing here because rejecting one hypothesis of a pair
leaves its partner a possible true null). It holds under any dependence between claims, which
share experiments and seeds. Every distinct test counts once, however many claims cite it.
With Bonferroni a claim's verdict depends only on its own data and m, so a claim is final the
moment it stops, and a partial run gives the verdicts of a full one.

``bh`` and ``by`` (Benjamini-Hochberg, -Yekutieli) control the false discovery rate instead;
BY holds under any dependence, BH only under positive dependence, which is not established
here. Their verdicts depend on every claim's p-value, so they are fixed at the end of a run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from statsmodels.stats.multitest import multipletests

from .claim import Verdict
from .stats import ALPHA

METHODS = ("shaffer", "by", "bh", "none")


@dataclass(frozen=True)
class Schedule:
    """Cumulative seeds at each look, and the share of the error budget each look spends."""

    looks: tuple[int, ...]
    weights: tuple[float, ...]

    def __post_init__(self):
        if not self.looks or len(self.looks) != len(self.weights):
            raise ValueError("a schedule needs one weight per look")
        if any(b <= a for a, b in zip(self.looks, self.looks[1:])) or self.looks[0] < 3:
            raise ValueError(f"looks must increase from at least 3 seeds, got {self.looks}")
        if abs(sum(self.weights) - 1) > 1e-9 or min(self.weights) <= 0:
            raise ValueError(f"look weights must be positive and sum to 1, got {self.weights}")

    @classmethod
    def single(cls, seeds: int) -> Schedule:
        return cls((seeds,), (1.0,))

    @property
    def max_seeds(self) -> int:
        return self.looks[-1]

    def text(self) -> str:
        return "/".join(map(str, self.looks))


class Family:
    """Multiplicity control over the ``size`` distinct hypotheses (claims) of a run."""

    def __init__(self, size: int, method: str = "shaffer", alpha: float = ALPHA):
        if method not in METHODS:
            raise ValueError(f"unknown adjustment {method!r}; choose one of {', '.join(METHODS)}")
        self.size = max(int(size), 1)
        self.method = method
        self.alpha = alpha

    @property
    def final_on_stop(self) -> bool:
        """Whether a claim's verdict is final as soon as it stops (no dependence on others)."""
        return self.method in ("shaffer", "none")

    @property
    def stop_level(self) -> float:
        """A claim p-value below this is significant after adjustment whatever the others."""
        if self.method == "shaffer":
            return self.alpha / self.size
        if self.method == "none":
            return self.alpha
        m2 = 2 * self.size
        c = np.sum(1.0 / np.arange(1, m2 + 1)) if self.method == "by" else 1.0
        return self.alpha / (m2 * c)

    def adjust(self, p_for, p_against) -> tuple[np.ndarray, np.ndarray]:
        """Adjusted p-values (compare with alpha) for claim-level p-values. For BH/BY,
        ``p_for``/``p_against`` must hold every member of the family (the others at 1 when
        unknown: the conservative choice)."""
        p_for, p_against = np.asarray(p_for, float), np.asarray(p_against, float)
        if self.method == "shaffer":
            return np.minimum(1.0, p_for * self.size), np.minimum(1.0, p_against * self.size)
        if self.method == "none" or p_for.size == 0:
            return p_for.copy(), p_against.copy()
        both = np.concatenate([p_for, p_against])
        adjusted = multipletests(both, method="fdr_by" if self.method == "by" else "fdr_bh")[1]
        return adjusted[: p_for.size], adjusted[p_for.size :]

    def guarantee(self) -> str:
        m = self.size
        return {
            "shaffer": (
                f"Family-wise error: the chance that any SUPPORTED or REFUTED verdict among the "
                f"{m} statistical hypotheses is wrong is at most {self.alpha:.0%} (Bonferroni "
                f"over the claims' looks and over {m} claims, with Shaffer's logic; any "
                "dependence)."
            ),
            "by": (
                f"False discovery rate: at most {self.alpha:.0%} of the SUPPORTED and REFUTED "
                f"verdicts among {m} hypotheses are expected to be wrong (Benjamini-Yekutieli; "
                "any dependence)."
            ),
            "bh": (
                f"False discovery rate at most {self.alpha:.0%} among {m} hypotheses if their "
                "p-values are positively dependent (Benjamini-Hochberg) -- not established for "
                "these claims: exploratory."
            ),
            "none": f"No multiplicity control: each verdict is at the {self.alpha:.0%} level alone.",
        }[self.method]


class Sequential:
    """The state of many sequential tests at once (claims, or simulated replicates): after each
    look, the claim-level p-values and which tests have stopped."""

    def __init__(self, schedule: Schedule, family: Family, shape=()):
        self.schedule = schedule
        self.family = family
        self.open = np.ones(shape, bool)
        self.p_for = np.ones(shape)
        self.p_against = np.ones(shape)
        self.looks = np.zeros(shape, int)  # looks taken

    def observe(self, look: int, p_for, p_against) -> np.ndarray:
        """Record look ``look`` (0-based) for the tests still open; return which stop now."""
        w = self.schedule.weights[look]
        pf = np.minimum(1.0, np.asarray(p_for, float) / w)
        pa = np.minimum(1.0, np.asarray(p_against, float) / w)
        taking = self.open.copy()
        self.p_for = np.where(taking, pf, self.p_for)
        self.p_against = np.where(taking, pa, self.p_against)
        self.looks = np.where(taking, look + 1, self.looks)
        level = self.family.stop_level
        last = look == len(self.schedule.looks) - 1
        stops = taking & ((pf < level) | (pa < level) | last)
        self.open = np.asarray(self.open & ~stops)
        return stops

    @property
    def seeds(self) -> np.ndarray:
        looks = np.asarray(self.schedule.looks)
        return np.where(self.looks > 0, looks[np.maximum(self.looks - 1, 0)], 0)


def verdicts(p_for_adj, p_against_adj, alpha: float = ALPHA) -> np.ndarray:
    """Verdict codes from adjusted p-values (vectorised): 1 SUPPORTED, -1 REFUTED, 0 open."""
    p_for_adj, p_against_adj = np.asarray(p_for_adj), np.asarray(p_against_adj)
    return np.where(p_against_adj < alpha, -1, np.where(p_for_adj < alpha, 1, 0))


CODES = {1: Verdict.SUPPORTED, -1: Verdict.REFUTED, 0: Verdict.INCONCLUSIVE}
