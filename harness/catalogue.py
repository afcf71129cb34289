"""The catalogue: every claim registered by the question files in ``claims/``, checked as it is
loaded (ids unique, quotes verbatim in the seed text, file names of the form ``qNN_topic.py``),
and the seed text they quote."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import re
import sys
from pathlib import Path

from .claim import ID_PATTERN, Claim, ClaimDefinitionError, Departure, forget, registered
from .claim import departures as registered_departures

ROOT = Path(__file__).resolve().parent.parent
CLAIMS_DIR = ROOT / "claims"
CLAIM_FILE = re.compile(r"^q\d{2}_\w+\.py$")
NOT_CLAIM_FILES = {"__init__.py", "conftest.py"}


def seed_path() -> Path:
    """The seed text: ``claims/seed.txt`` (a copy of ``../shared/seeds/000_45f3861da74e079a.txt``
    that ships with the project), or ``$HARNESS_SEED``."""
    path = Path(os.environ.get("HARNESS_SEED") or CLAIMS_DIR / "seed.txt")
    if not path.is_file():
        raise FileNotFoundError(f"seed text {path} not found")
    return path


def seed_text() -> str:
    return seed_path().read_text(encoding="utf-8")


def seed_hash() -> str:
    return hashlib.sha256(seed_path().read_bytes()).hexdigest()[:12]


def claim_files(directory: Path = CLAIMS_DIR) -> list[Path]:
    """The question files of ``directory``; any other .py file there is an error (a misnamed
    claim file would otherwise be silently ignored)."""
    files = sorted(directory.glob("*.py"))
    stray = [
        p.name for p in files if not CLAIM_FILE.match(p.name) and p.name not in NOT_CLAIM_FILES
    ]
    if stray:
        raise ClaimDefinitionError(
            f"{directory}: {', '.join(stray)} not named like a claim file (qNN_topic.py, e.g. "
            "q45_imbalance.py); rename, or move helpers out of the claims directory"
        )
    return [p for p in files if CLAIM_FILE.match(p.name)]


def module_name(path: Path) -> str:
    path = Path(path).resolve()
    if path.parent == CLAIMS_DIR.resolve():
        return f"claims.{path.stem}"
    return f"_claims_{hashlib.sha256(str(path).encode()).hexdigest()[:8]}_{path.stem}"


def load_module(path: Path) -> list[Claim]:
    """Import one question file (once) and return the claims it registered, in order."""
    path = Path(path).resolve()
    name = module_name(path)
    if name not in sys.modules:
        forget(name)
        if name.startswith("claims."):
            if str(ROOT) not in sys.path:
                sys.path.insert(0, str(ROOT))
            importlib.import_module(name)
        else:  # a claim file outside the project (a user's or a test's)
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                sys.modules.pop(name, None)
                raise
    return registered(name)


def load_all(directory: Path = CLAIMS_DIR, *, check_quotes: bool = True) -> list[Claim]:
    claims = []
    for path in claim_files(directory):
        try:
            claims += load_module(path)
        except ClaimDefinitionError:
            raise
        except Exception as exc:  # noqa: BLE001 - one line naming the file, not a traceback
            raise ClaimDefinitionError(
                f"{path.name} does not load: {type(exc).__name__}: {exc}"
            ) from exc
    check(claims, check_quotes=check_quotes)
    return sorted(claims, key=lambda c: c.sort_key)


def departures(directory: Path = CLAIMS_DIR) -> list[Departure]:
    return [d for path in claim_files(directory) for d in registered_departures(module_name(path))]


def check(claims, *, check_quotes: bool = True) -> None:
    """Unique ids and, for the project's own claims, quotes that stand verbatim in the seed."""
    seen: dict[str, str] = {}
    for c in claims:
        if c.id in seen:
            raise ClaimDefinitionError(
                f"claim id {c.id} is registered twice ({seen[c.id]} and {c.module})"
            )
        seen[c.id] = c.module
    if check_quotes:  # the project's own claims quote the seed; a user's file may quote another
        text = seed_text()
        bad = [c for c in claims if c.module.startswith("claims.") and c.quote not in text]
        if bad:
            first = bad[0]
            raise ClaimDefinitionError(
                f"{len(bad)} quote(s) are not verbatim in the seed text {seed_path()}: "
                + ", ".join(c.id for c in bad[:10])
                + f" (e.g. {first.id}: {first.quote[:60]!r})"
            )


def question_titles(text: str | None = None) -> dict[int, str]:
    text = seed_text() if text is None else text
    return {int(m[1]): m[2].strip() for m in re.finditer(r"^## (\d+)\.\s*(.+)$", text, re.M)}


def id_sort_key(claim_id: str) -> tuple:
    """Order claim ids as the text does (Q45.2 before Q45.10)."""
    m = ID_PATTERN.match(claim_id)
    return (int(m["question"]), int(m["number"]), m["variant"]) if m else (999, 0, claim_id)
