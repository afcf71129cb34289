"""The catalogue: every claim registered by the question files in ``claims/``, and the seed
text they quote."""
from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
from pathlib import Path

from .claim import Claim, ClaimDefinitionError, _REGISTRY, registered

ROOT = Path(__file__).resolve().parent.parent
CLAIMS_DIR = ROOT / "claims"
CLAIM_FILE = re.compile(r"^q\d{2}_\w+\.py$")
SEED_NAME = "000_45f3861da74e079a.txt"


def seed_path() -> Path:
    """The seed text: $HARNESS_SEED, else ``../shared/seeds/`` beside the project, else the
    copy shipped in ``claims/``."""
    candidates = [os.environ.get("HARNESS_SEED"), ROOT.parent / "shared" / "seeds" / SEED_NAME,
                  CLAIMS_DIR / "seed.txt"]
    for c in candidates:
        if c and Path(c).is_file():
            return Path(c)
    raise FileNotFoundError(f"seed text {SEED_NAME} not found (looked in {candidates[1:]})")


def seed_text() -> str:
    return seed_path().read_text(encoding="utf-8")


def claim_files(directory: Path = CLAIMS_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("q*.py") if CLAIM_FILE.match(p.name))


def load_module(path: Path) -> list[Claim]:
    """Import one question file (once) and return the claims it registered."""
    path = Path(path).resolve()
    if path.parent == CLAIMS_DIR.resolve():
        name = f"claims.{path.stem}"
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        if name not in sys.modules:
            _REGISTRY.pop(name, None)
        module = importlib.import_module(name)
    else:  # a claim file outside the project (e.g. a user's or a test's)
        name = f"_claims_{abs(hash(str(path)))}_{path.stem}"
        module = sys.modules.get(name)
        if module is None:
            spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            _REGISTRY.pop(name, None)
            spec.loader.exec_module(module)
    return registered(module.__name__)


def load_all(directory: Path = CLAIMS_DIR) -> list[Claim]:
    claims = [c for path in claim_files(directory) for c in load_module(path)]
    check_unique(claims)
    return sorted(claims, key=lambda c: c.sort_key)


def check_unique(claims) -> None:
    seen: dict[str, str] = {}
    for c in claims:
        if c.id in seen:
            raise ClaimDefinitionError(f"claim id {c.id} is registered twice "
                                       f"({seen[c.id]} and {c.module})")
        seen[c.id] = c.module


def missing_quotes(claims, text: str | None = None) -> list[str]:
    """Ids of claims whose quote is not an exact substring of the seed."""
    text = seed_text() if text is None else text
    return [c.id for c in claims if c.quote not in text]


def question_titles(text: str | None = None) -> dict[int, str]:
    text = seed_text() if text is None else text
    return {int(m[1]): m[2].strip() for m in re.finditer(r"^## (\d+)\.\s*(.+)$", text, re.M)}
