"""Checks of a statement against the original notebook's protocol as documented in
``claims/protocols.md`` (a copy of ``../shared/protocols.md`` that ships with the project, so a
file beside the checkout can never change a verdict; ``$HARNESS_PROTOCOLS`` may point elsewhere,
and the report's provenance records which file was used and its hash).

    claim("Q45.4", ..., kind=Kind.PROTOCOL, check=says(45, "d = 2"))
    claim("Q45.9", ..., kind=Kind.PROTOCOL, check=differs(45, "ratio 1, 2, 5, 10, 20, 50, 100"),
          expect=Verdict.REFUTED)
    claim("Q45.6", ..., kind=Kind.PROTOCOL, check=says(CONVENTIONS, "shared covariance is CᵀC"))

A row written "as Q50" is followed to Q50's row.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import cache
from pathlib import Path

from .catalogue import CLAIMS_DIR
from .claim import Exact

CONVENTIONS = 0  # the "Conventions shared by all experiments" section instead of a row


def protocols_path() -> Path:
    override = os.environ.get("HARNESS_PROTOCOLS")
    path = Path(override) if override else CLAIMS_DIR / "protocols.md"
    if not path.is_file():
        raise FileNotFoundError(f"protocols file {path} not found")
    return path


def protocols_hash() -> str:
    return hashlib.sha256(protocols_path().read_bytes()).hexdigest()[:12]


@cache
def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def section(question: int) -> str:
    """The documented protocol of ``question`` (its table row, or the conventions section for
    ``CONVENTIONS``), whitespace normalised."""
    text = _text(protocols_path())
    if question == CONVENTIONS:
        match = re.search(r"^## Conventions.*?(?=^## )", text, re.M | re.S)
        if match is None:
            raise KeyError("protocols.md has no conventions section")
        return " ".join(match[0].split())
    match = re.search(rf"^\| {question} \|(.+)$", text, re.M)
    if match is None:
        raise KeyError(f"protocols.md documents no row for Q{question}")
    return " ".join(match[1].split())


def _documents(question: int, phrase: str) -> bool:
    text = section(question)
    if phrase in text:
        return True
    ref = re.search(r"as Q(\d+)", text)
    return bool(ref) and phrase in section(int(ref[1]))


def _where(question: int) -> str:
    return "conventions" if question == CONVENTIONS else f"Q{question}"


def says(question: int, phrase: str) -> Exact:
    """The statement holds iff the documented protocol says ``phrase``."""

    def check():
        assert _documents(question, phrase), (
            f"protocols.md, {_where(question)} does not say '{phrase}': {section(question)}"
        )
        return f"protocols.md, {_where(question)}: '{phrase}'"

    return Exact(check, method="compared with the original protocol (protocols.md)")


def differs(question: int, phrase: str) -> Exact:
    """For a statement the documented protocol contradicts with ``phrase``: REFUTED, with the
    documented fact (a phrase that is not documented is a claim-definition error)."""

    def check():
        if not _documents(question, phrase):
            raise KeyError(f"protocols.md, {_where(question)} does not say '{phrase}'")
        raise AssertionError(
            f"the original differs -- protocols.md, {_where(question)}: '{phrase}'"
        )

    return Exact(check, method="compared with the original protocol (protocols.md)")
