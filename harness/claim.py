"""The claim model: what a claim says, what kind of statement it is, and how it is checked.

A claim file in ``claims/`` registers its claims with :func:`claim`; the catalogue
(:mod:`harness.catalogue`) collects them. Nothing here runs an experiment.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Any, Callable

ID_PATTERN = re.compile(r"^Q(?P<question>\d{2})\.(?P<number>\d+)(?P<variant>[a-z]?)$")


class Kind(str, enum.Enum):
    """What sort of statement a claim is; this decides how (and whether) it is checked."""

    EMPIRICAL = "empirical"        # measured: an experiment over many seeds and a statistical test
    EXACT = "exact"                # true or false by computation or proof: exact/property checks
    PROTOCOL = "protocol"          # a statement about how the original experiment was run
    DEFINITIONAL = "definitional"  # defines a term or describes a method: nothing to measure
    CITATION = "citation"          # attributes a result to a paper or source
    OPINION = "opinion"            # advice, judgement or recommendation
    HISTORICAL = "historical"      # a one-off observation of the original run (e.g. its runtime)


TESTABLE_KINDS = frozenset({Kind.EMPIRICAL, Kind.EXACT, Kind.PROTOCOL})


class Verdict(str, enum.Enum):
    SUPPORTED = "SUPPORTED"
    REFUTED = "REFUTED"
    INCONCLUSIVE = "INCONCLUSIVE"
    NOT_TESTABLE = "NOT TESTABLE"
    PENDING = "PENDING"            # testable, but its check is not implemented yet
    NOT_RUN = "NOT RUN"            # implemented, but runs only in another profile (e.g. full)
    ERROR = "ERROR"                # the check crashed: no verdict


class ClaimDefinitionError(ValueError):
    """A claim is registered with inconsistent or missing fields."""


@dataclass(frozen=True)
class Exact:
    """An exact or property-based check.

    ``fn()`` returns ``True``/``None`` when the claim holds, ``False`` (or raises
    ``AssertionError``) when it does not; it may return ``(holds, detail)``.
    """

    fn: Callable[[], Any]
    method: str = ""


@dataclass(frozen=True)
class Empirical:
    """An experiment (a :class:`harness.experiment.Protocol`) and the test its trials must pass.

    ``max_seeds`` caps the profile's seed budget for an expensive protocol.
    """

    protocol: Any
    test: Any
    max_seeds: int | None = None


@dataclass(frozen=True)
class Claim:
    id: str
    quote: str
    statement: str
    kind: Kind
    check: Exact | Empirical | None = None
    expect: Verdict | None = None
    reason: str = ""
    note: str = ""
    profiles: tuple[str, ...] = ()      # empty: every profile; else only these (e.g. ("full",))
    module: str = field(default="", compare=False)

    @property
    def question(self) -> int:
        return int(ID_PATTERN.match(self.id)["question"])

    @property
    def sort_key(self) -> tuple:
        m = ID_PATTERN.match(self.id)
        return (int(m["question"]), int(m["number"]), m["variant"])

    @property
    def testable(self) -> bool:
        return self.kind in TESTABLE_KINDS

    @property
    def implemented(self) -> bool:
        return self.check is not None

    @property
    def status(self) -> str:
        """Catalogue status: implemented, pending, or not testable."""
        if not self.testable:
            return "not testable"
        return "implemented" if self.implemented else "pending"

    def validate(self) -> None:
        problems = []
        if not ID_PATTERN.match(self.id):
            problems.append(f"id {self.id!r} is not of the form Q45.1 (or Q45.1b)")
        if not self.quote.strip():
            problems.append("the quote is empty")
        if not self.statement.strip():
            problems.append("the English statement is empty")
        if not isinstance(self.kind, Kind):
            problems.append(f"kind {self.kind!r} is not a harness.Kind")
        if self.check is not None and not self.testable:
            problems.append(f"a {self.kind.value} claim cannot carry a check")
        if isinstance(self.check, Empirical) and self.kind is not Kind.EMPIRICAL:
            problems.append("an Empirical check needs kind=EMPIRICAL")
        if isinstance(self.check, Exact) and self.kind is Kind.EMPIRICAL:
            problems.append("an empirical claim needs an Empirical check, not Exact")
        if self.check is not None and not isinstance(self.check, (Exact, Empirical)):
            problems.append("check must be Exact(...) or Empirical(...)")
        if not self.testable and not self.reason.strip():
            problems.append(f"a {self.kind.value} claim needs a reason saying why it is not tested")
        if self.expect is not None and self.expect not in (
                Verdict.SUPPORTED, Verdict.REFUTED, Verdict.INCONCLUSIVE):
            problems.append("expect must be SUPPORTED, REFUTED or INCONCLUSIVE")
        if problems:
            raise ClaimDefinitionError(f"claim {self.id}: " + "; ".join(problems))


# Claims register here as their modules are imported; the catalogue reads it.
_REGISTRY: dict[str, list[Claim]] = {}


def claim(id: str, *, quote: str, statement: str, kind: Kind, check=None, expect=None,
          reason: str = "", note: str = "", profiles: tuple[str, ...] = ()) -> Claim:
    """Register one atomic claim of the seed text (call at module level in ``claims/``)."""
    import inspect

    module = inspect.currentframe().f_back.f_globals.get("__name__", "")
    c = Claim(id=id, quote=quote, statement=statement, kind=kind, check=check, expect=expect,
              reason=reason, note=note, profiles=tuple(profiles), module=module)
    c.validate()
    _REGISTRY.setdefault(module, []).append(c)
    return c


def registered(module: str) -> list[Claim]:
    return list(_REGISTRY.get(module, []))
