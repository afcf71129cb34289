"""The original notebook's protocol as documented in ``../shared/protocols.md``.

Protocol claims ("we train on 50 points", "a random rotation matrix") are checked against the
documented row of their question, not against numbers copied into the claim files.
"""
from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from .catalogue import CLAIMS_DIR, ROOT


def protocols_path() -> Path:
    for candidate in (os.environ.get("HARNESS_PROTOCOLS"), ROOT.parent / "shared" / "protocols.md",
                      CLAIMS_DIR / "protocols.md"):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise FileNotFoundError("protocols.md not found beside the project or in claims/")


@lru_cache(maxsize=None)
def row(question: int) -> str:
    """The table row of ``question`` in protocols.md ("as Q50" rows are followed)."""
    text = protocols_path().read_text(encoding="utf-8")
    match = re.search(rf"^\| {question} \|(.+)$", text, re.M)
    if match is None:
        raise KeyError(f"protocols.md documents no row for Q{question}")
    return match[1]


def _has(question: int, phrase: str) -> bool:
    text = row(question)
    if phrase in text:
        return True
    ref = re.search(r"as Q(\d+)", text)
    return bool(ref) and phrase in row(int(ref[1]))


def agrees(question: int, phrase: str):
    """A check: the seed's statement holds iff the documented protocol says ``phrase``."""
    def check():
        if _has(question, phrase):
            return True, f"protocols.md, Q{question}: '{phrase}'"
        return False, f"protocols.md, Q{question} does not say '{phrase}': {row(question).strip()}"
    return check


def disagrees(question: int, phrase: str):
    """A check for a seed statement that the documented protocol contradicts with ``phrase``:
    REFUTED when the phrase is documented (a definition error when it is not)."""
    def check():
        if not _has(question, phrase):
            raise KeyError(f"protocols.md, Q{question} does not say '{phrase}'")
        return False, f"the original protocol differs -- protocols.md, Q{question}: '{phrase}'"
    return check
