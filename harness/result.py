"""The result model: what a test found (:class:`TestResult`, with the parts of a compound claim)
and what a claim's evaluation gave (:class:`ClaimResult`). Both serialise to strict JSON: NaN
and infinity become ``null`` and are listed under ``"non_finite"``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from .claim import Verdict


@dataclass(frozen=True)
class TestResult:
    family: str  # comparison, non-inferiority, trend, equivalence, value, share, all of ...
    test: str  # e.g. "t-test (max of Student and Hall), one-sided"
    p_for: float
    p_against: float
    effect: float  # in the claim's units (a ratio on a log scale)
    ci: tuple[float, float]  # 95 % interval for the effect
    n: int  # seeds
    threshold: float | None  # the stated magnitude, margin or tolerance
    explanation: str
    label: str = ""  # what was measured, e.g. "accuracy at ratio=100 - accuracy at ratio=1"
    extra: dict = field(default_factory=dict)
    parts: tuple[TestResult, ...] = ()

    __test__ = False  # not a pytest test class, despite the name

    def with_p(self, p_for: float, p_against: float) -> TestResult:
        return replace(self, p_for=p_for, p_against=p_against)

    def to_json(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "parts"}
        d["ci"] = list(self.ci)
        d["parts"] = [p.to_json() for p in self.parts]
        return d

    @classmethod
    def from_json(cls, d: dict) -> TestResult:
        d = dict(d)
        d["ci"] = tuple(_num(v) for v in d["ci"])
        d["parts"] = tuple(cls.from_json(p) for p in d.get("parts", ()))
        for k in ("p_for", "p_against", "effect"):
            d[k] = _num(d[k])
        return cls(**d)


def _num(v):
    return float("nan") if v is None else v


@dataclass
class ClaimResult:
    claim_id: str
    kind: str
    verdict: Verdict
    expect: Verdict | None
    detail: str = ""
    test: TestResult | None = None  # the statistical test, for empirical claims
    method: str = ""  # how an exact claim was checked
    p_for: float | None = None  # the claim's p-values after the looks (before the family)
    p_against: float | None = None
    p_for_adj: float | None = None  # after the family's multiplicity control
    p_against_adj: float | None = None
    seeds: int = 0
    looks: int = 0  # looks taken of the schedule
    schedule: tuple[int, ...] = ()
    diverged: int = 0  # seeds that diverged (handled as the claim declares)
    hypothesis_id: str = ""  # shared by claims that cite the same test
    protocol: str = ""  # protocol label, all parameters
    protocol_key: str = ""
    why_open: str = ""  # for INCONCLUSIVE: one line on why
    extra: dict = field(default_factory=dict)

    @property
    def effect(self) -> float | None:
        return self.test.effect if self.test else None

    @property
    def ci(self) -> tuple[float, float] | None:
        return self.test.ci if self.test else None

    @property
    def threshold(self) -> float | None:
        return self.test.threshold if self.test else None

    @property
    def decided(self) -> bool:
        return self.verdict in (Verdict.SUPPORTED, Verdict.REFUTED)

    def to_json(self) -> dict:
        d = asdict(self)
        d["verdict"] = self.verdict.value
        d["expect"] = self.expect.value if self.expect else None
        d["test"] = self.test.to_json() if self.test else None
        d["schedule"] = list(self.schedule)
        return strict(d)

    @classmethod
    def from_json(cls, d: dict) -> ClaimResult:
        d = {k: v for k, v in d.items() if k != "non_finite"}
        d["verdict"] = Verdict(d["verdict"])
        d["expect"] = Verdict(d["expect"]) if d.get("expect") else None
        d["test"] = TestResult.from_json(d["test"]) if d.get("test") else None
        d["schedule"] = tuple(d.get("schedule", ()))
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


def strict(value: Any, path: str = "", found: list | None = None) -> Any:
    """``value`` with every NaN and infinity replaced by None; a top-level dict gets a
    ``non_finite`` list of the paths replaced (JSON has no NaN: tools reading it must not
    choke, and a reader must not mistake a missing number for zero)."""
    top = found is None
    found = [] if top else found
    if isinstance(value, float) and not math.isfinite(value):
        found.append(path or ".")
        out = None
    elif isinstance(value, dict):
        out = {k: strict(v, f"{path}.{k}" if path else str(k), found) for k, v in value.items()}
    elif isinstance(value, (list, tuple)):
        out = [strict(v, f"{path}[{i}]", found) for i, v in enumerate(value)]
    else:
        out = value
    if top and isinstance(out, dict) and found:
        out["non_finite"] = found
    return out
