"""The claim model: what a claim says, what kind of statement it is, and how it is checked.

A claim file in ``claims/`` registers its claims as it is imported, in the order of the text:

* ``claim(id, quote=..., statement=..., kind=..., check=Empirical(protocol, test))`` for an
  empirical claim (or a catalogued opinion, citation, definition: ``reason=`` says why it is not
  tested);
* ``@exact(id, quote=..., statement=...)`` right above a function that *asserts* the claim
  (it may return a one-line detail for the report) -- an exact or property-based check;
* ``robustness(base_claim, changes)`` for variants of an empirical claim under protocol changes;
* ``departure(question, text)`` for a place where the text departs from its sources.

Nothing here runs an experiment; :mod:`harness.catalogue` collects what the files register.
"""

from __future__ import annotations

import enum
import inspect
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

ID_PATTERN = re.compile(r"^Q(?P<question>\d{2})\.(?P<number>\d+)(?P<variant>[a-z]*)$")


class Kind(enum.StrEnum):
    """What sort of statement a claim is; this decides how (and whether) it is checked."""

    EMPIRICAL = "empirical"  # measured: an experiment over many seeds and a statistical test
    EXACT = "exact"  # true or false by computation or proof: exact/property checks
    PROTOCOL = "protocol"  # a statement about how the original experiment was run
    DEFINITIONAL = "definitional"  # defines a term or a formula
    CITATION = "citation"  # attributes a result, a technique or a fact to a source
    OPINION = "opinion"  # advice, judgement or recommendation
    HISTORICAL = "historical"  # a one-off observation of the original run (e.g. its runtime)


# Kinds that can carry a check; opinions and one-off observations cannot.
CHECKABLE = frozenset({Kind.EMPIRICAL, Kind.EXACT, Kind.PROTOCOL, Kind.DEFINITIONAL, Kind.CITATION})


class Verdict(enum.StrEnum):
    SUPPORTED = "SUPPORTED"
    REFUTED = "REFUTED"
    INCONCLUSIVE = "INCONCLUSIVE"
    NOT_TESTABLE = "NOT TESTABLE"
    PENDING = "PENDING"  # checkable, but its check is not written yet
    NOT_RUN = "NOT RUN"  # written, but runs only in another profile (e.g. full)
    ERROR = "ERROR"  # the check crashed: no verdict


RECORDABLE = (Verdict.SUPPORTED, Verdict.REFUTED, Verdict.INCONCLUSIVE)


class ClaimDefinitionError(ValueError):
    """A claim is registered with inconsistent or missing fields."""


@dataclass(frozen=True)
class Exact:
    """An exact or property-based check: ``fn()`` asserts the claim (an AssertionError means
    REFUTED) and returns ``None`` or a one-line detail for the report."""

    fn: Callable[[], Any]
    method: str = ""


class Diverged(enum.StrEnum):
    """What a diverged seed (NaN or infinite losses, weights or measurements) means for a
    claim. ``ERROR`` (the default): the claim cannot be judged while seeds diverge. ``EXCLUDE``:
    the claim is about runs that train; diverged seeds are dropped and counted."""

    ERROR = "error"
    EXCLUDE = "exclude"


@dataclass(frozen=True)
class Empirical:
    """An experiment (a :class:`harness.experiment.Protocol`) and the test its trials must pass.

    ``max_seeds`` caps the profile's schedule for a protocol too costly to run further.
    ``diverged``: what a diverged seed means -- ``Diverged.ERROR`` (default),
    ``Diverged.EXCLUDE``, or a number that every measurement of such a seed then reads as
    (e.g. ``0.5``: a diverged network counts as classifying at chance)."""

    protocol: Any
    test: Any
    max_seeds: int | None = None
    diverged: Diverged | float = Diverged.ERROR

    def __post_init__(self):
        from .checks import Check
        from .experiment import Protocol

        if not isinstance(self.protocol, Protocol):
            raise ClaimDefinitionError(
                f"Empirical needs a protocol (an experiment called with its parameters), got "
                f"{self.protocol!r}"
            )
        if not isinstance(self.test, Check):
            raise ClaimDefinitionError(
                f"Empirical needs a test (Compare, Trend, ...), got {self.test!r}"
            )
        if self.max_seeds is not None and not (
            isinstance(self.max_seeds, int) and self.max_seeds >= 3
        ):
            raise ClaimDefinitionError(f"max_seeds must be an int >= 3, got {self.max_seeds!r}")
        d = self.diverged
        if not isinstance(d, Diverged) and not (
            isinstance(d, (int, float)) and not isinstance(d, bool) and math.isfinite(d)
        ):
            raise ClaimDefinitionError(
                f"diverged must be Diverged.ERROR, Diverged.EXCLUDE or a finite number, got {d!r}"
            )


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
    profiles: tuple[str, ...] = ()  # empty: every profile; else only these (e.g. ("full",))
    module: str = field(default="", compare=False)

    @property
    def question(self) -> int:
        return int(ID_PATTERN.match(self.id)["question"])

    @property
    def sort_key(self) -> tuple:
        m = ID_PATTERN.match(self.id)
        return (int(m["question"]), int(m["number"]), m["variant"])

    @property
    def checkable(self) -> bool:
        return self.kind in CHECKABLE

    @property
    def status(self) -> str:
        """Catalogue status: implemented, pending, or not testable."""
        if self.check is not None:
            return "implemented"
        return "pending" if self.checkable and not self.reason else "not testable"

    def validate(self) -> None:
        problems = []
        if not isinstance(self.id, str) or not ID_PATTERN.match(self.id):
            problems.append(f"id {self.id!r} is not of the form Q45.1 (or Q45.1b)")
        for name in ("quote", "statement", "reason", "note"):
            if not isinstance(getattr(self, name), str):
                problems.append(f"{name} must be text, got {type(getattr(self, name)).__name__}")
        if isinstance(self.quote, str) and not self.quote.strip():
            problems.append("the quote is empty")
        if isinstance(self.statement, str) and not self.statement.strip():
            problems.append("the English statement is empty")
        if not isinstance(self.kind, Kind):
            problems.append(f"kind {self.kind!r} is not a harness.Kind")
        elif self.check is not None:
            if not self.checkable:
                problems.append(f"a {self.kind.value} claim cannot carry a check")
            if isinstance(self.check, Empirical) and self.kind is not Kind.EMPIRICAL:
                problems.append("an Empirical check needs kind=EMPIRICAL")
            if isinstance(self.check, Exact) and self.kind is Kind.EMPIRICAL:
                problems.append("an empirical claim needs an Empirical check, not Exact")
            if not isinstance(self.check, (Exact, Empirical)):
                problems.append("check must be Exact(...) or Empirical(...)")
        elif (
            isinstance(self.kind, Kind) and not self.reason.strip() and (self.kind not in CHECKABLE)
        ):
            problems.append(f"a {self.kind.value} claim needs a reason saying why it is not tested")
        if self.check is not None and isinstance(self.reason, str) and self.reason.strip():
            problems.append("a claim with a check has no reason for not being tested")
        if self.expect is not None and not (
            isinstance(self.expect, Verdict) and self.expect in RECORDABLE
        ):
            problems.append("expect must be SUPPORTED, REFUTED or INCONCLUSIVE")
        if not isinstance(self.profiles, tuple) or not all(
            isinstance(p, str) for p in self.profiles
        ):
            problems.append("profiles must be a tuple of profile names")
        if problems:
            raise ClaimDefinitionError(f"claim {self.id}: " + "; ".join(problems))


@dataclass(frozen=True)
class Departure:
    """A place where the text departs from its sources (the original notebook, a paper)."""

    question: int
    text: str
    source: str = ""
    claims: tuple[str, ...] = ()
    module: str = field(default="", compare=False)


# Claims and departures register here as their modules are imported; the catalogue reads them
# through registered() and departures().
_REGISTRY: dict[str, list[Claim]] = {}
_DEPARTURES: dict[str, list[Departure]] = {}


def _caller_module(depth: int = 2) -> str:
    frame = inspect.currentframe()
    for _ in range(depth):
        frame = frame.f_back
    return frame.f_globals.get("__name__", "")


def _register(c: Claim) -> Claim:
    c.validate()
    _REGISTRY.setdefault(c.module, []).append(c)
    return c


def claim(
    id: str,
    *,
    quote: str,
    statement: str,
    kind: Kind,
    check=None,
    expect=None,
    reason: str = "",
    note: str = "",
    profiles=(),
) -> Claim:
    """Register one atomic claim of the seed text (call at module level in ``claims/``)."""
    return _register(
        Claim(
            id=id,
            quote=quote,
            statement=statement,
            kind=kind,
            check=check,
            expect=expect,
            reason=reason,
            note=note,
            profiles=tuple(profiles),
            module=_caller_module(),
        )
    )


def exact(
    id: str,
    *,
    quote: str,
    statement: str,
    method: str = "",
    kind: Kind = Kind.EXACT,
    expect=Verdict.SUPPORTED,
    note: str = "",
) -> Callable[[Callable], Callable]:
    """Decorator: the function below asserts the claim (exact or property-based).

    @exact("Q55.3", quote="...", statement="IoU is symmetric.", method="hypothesis")
    @given(boxes, boxes)
    def iou_is_symmetric(a, b):
        assert iou(a, b) == iou(b, a)
    """
    module = _caller_module()

    def register(fn: Callable) -> Callable:
        _register(
            Claim(
                id=id,
                quote=quote,
                statement=statement,
                kind=kind,
                check=Exact(fn, method),
                expect=expect,
                note=note,
                module=module,
            )
        )
        return fn

    return register


def robustness(
    base: Claim, changes: Mapping[str, tuple[str, Mapping[str, Any]]], *, profiles=("full",)
) -> list[Claim]:
    """Register variants of the empirical claim ``base`` under protocol changes
    (``{"c": ("learning rate x3", {"lr": 0.009}), ...}``): same quote and test, the protocol
    with those parameters changed, ids ``base.id + letter``, run in ``profiles``."""
    if not isinstance(base.check, Empirical):
        raise ClaimDefinitionError(f"robustness variants need an empirical claim, not {base.id}")
    module = _caller_module()
    out = []
    for letter, (change, params) in changes.items():
        check = replace(base.check, protocol=base.check.protocol.with_params(**params))
        out.append(
            _register(
                Claim(
                    id=f"{base.id}{letter}",
                    quote=base.quote,
                    statement=f"As {base.id}, with {change}.",
                    kind=base.kind,
                    check=check,
                    note=f"robustness: {change}",
                    profiles=tuple(profiles),
                    module=module,
                )
            )
        )
    return out


def recorded(results: Mapping[str, tuple[Verdict, str]]) -> Callable[..., dict]:
    """A question's table of what the standard run gave, ``{id: (verdict, text)}``, as the
    ``expect=`` and ``note=`` of its claims: ``claim(..., **run_gave("Q44.4", "why"))``; the
    table keeps every recorded outcome of a long question in one reviewable place."""

    def expect_and_note(claim_id: str, note: str = "") -> dict:
        if claim_id not in results:
            raise ClaimDefinitionError(f"{claim_id} has no entry in its question's results table")
        verdict, text = results[claim_id]
        return {"expect": verdict, "note": f"{note} {text}".strip()}

    return expect_and_note


def departure(question: int, text: str, *, source: str = "", claims=()) -> Departure:
    """Record a place where the text departs from its sources; the report lists them at the
    top of the question's section."""
    d = Departure(question, text, source, tuple(claims), module=_caller_module())
    if not isinstance(question, int) or not text.strip():
        raise ClaimDefinitionError("departure(question, text): a question number and a text")
    _DEPARTURES.setdefault(d.module, []).append(d)
    return d


def registered(module: str) -> list[Claim]:
    return list(_REGISTRY.get(module, []))


def departures(module: str) -> list[Departure]:
    return list(_DEPARTURES.get(module, []))


def forget(module: str) -> None:
    """Drop what ``module`` registered (before it is imported afresh)."""
    _REGISTRY.pop(module, None)
    _DEPARTURES.pop(module, None)
