"""Pre-registration: each statistical claim's hypothesis (protocol with all parameters, measures,
test, threshold, divergence rule, seed cap) is recorded -- as a hash, with a date -- in
``claims/preregistration/qNN.json`` (one file per question) before the run that gives its
verdict.

``python -m harness register`` records claims not yet in the ledger; a claim that already
records a verdict (``expect=``) is marked as registered after it. Changing a registered
hypothesis needs ``python -m harness register --amend ID --reason "..."``, which keeps the old
hash and the reason. A run refuses (ERROR) a claim whose hypothesis is not in the ledger as
written, so CI fails when a hypothesis changes without being marked; the report shows each
claim's status. The ledger is a committed text file: its git history shows what came first.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from .catalogue import CLAIMS_DIR
from .claim import Claim, Diverged, Empirical

LEDGER = CLAIMS_DIR / "preregistration"


def divergence_text(rule) -> str:
    """A divergence rule as hashes write it, stable across Python's enum spellings
    (``Diverged.ERROR``, as the ledger has always recorded it; a number as itself)."""
    return f"Diverged.{rule.name}" if isinstance(rule, Diverged) else str(rule)


def hypothesis_hash(c: Claim) -> str:
    check = c.check
    rule = divergence_text(check.diverged)
    text = "|".join([check.protocol.key, check.test.spec, rule, str(check.max_seeds)])
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def load(path: Path | None = None) -> dict | None:
    """The ledger (every question's file merged), or None where the claims directory keeps
    none (a user's own project)."""
    path = path or LEDGER
    if not path.is_dir():
        return None
    ledger = {}
    for f in sorted(path.glob("q*.json")):
        ledger.update(json.loads(f.read_text(encoding="utf-8")))
    return ledger


def status(c: Claim, ledger: dict | None) -> str:
    if ledger is None:
        return "no ledger kept"
    entry = ledger.get(c.id)
    if entry is None:
        return "NOT REGISTERED"
    if entry["hash"] != hypothesis_hash(c):
        return "CHANGED since registration, not marked"
    when = entry["registered"]
    text = (
        f"registered {when}, before its first verdict"
        if entry["before_verdict"]
        else f"registered {when}, after a verdict was recorded"
    )
    for a in entry.get("amendments", []):
        text += f"; amended {a['date']}: {a['reason']}"
    return text


def problem(c: Claim, ledger: dict | None) -> str:
    """Why ``c`` may not be run, or ''."""
    if ledger is None or not isinstance(c.check, Empirical):
        return ""
    entry = ledger.get(c.id)
    if entry is None:
        return (
            f"{c.id} is not pre-registered: record its hypothesis before running it "
            "(python -m harness register)"
        )
    if entry["hash"] != hypothesis_hash(c):
        return (
            f"{c.id}'s hypothesis changed since it was registered ({entry['registered']}); "
            f"mark the change: python -m harness register --amend {c.id} --reason '...'"
        )
    return ""


def register(
    claims: Sequence[Claim],
    *,
    amend: dict[str, str] | None = None,
    path: Path | None = None,
    today: str | None = None,
    only: bool = False,
) -> list[str]:
    """Add unregistered statistical claims to the ledger and record the amendments asked for;
    returns what changed. A changed hypothesis without an amendment is left alone. ``only``:
    ``claims`` is part of the catalogue (do not report the rest as stale)."""
    path = path or LEDGER
    ledger = load(path) or {}
    before = {k: json.dumps(v, sort_keys=True) for k, v in ledger.items()}
    today = today or _dt.date.today().isoformat()
    amend = dict(amend or {})
    changes = []
    for c in claims:
        if not isinstance(c.check, Empirical):
            continue
        h = hypothesis_hash(c)
        entry = ledger.get(c.id)
        if entry is None:
            ledger[c.id] = {
                "hash": h,
                "registered": today,
                "before_verdict": c.expect is None,
                "amendments": [],
            }
            changes.append(f"{c.id}: registered")
        elif entry["hash"] != h and c.id in amend:
            entry["amendments"].append(
                {"date": today, "from": entry["hash"], "reason": amend.pop(c.id)}
            )
            entry["hash"] = h
            changes.append(f"{c.id}: amended")
    if amend:
        raise ValueError(
            f"nothing to amend for {', '.join(sorted(amend))}: unknown, or its "
            "hypothesis is unchanged"
        )
    stale = (
        []
        if only
        else sorted(set(ledger) - {c.id for c in claims if isinstance(c.check, Empirical)})
    )
    path.mkdir(parents=True, exist_ok=True)
    questions = {
        cid.split(".")[0]
        for cid, v in ledger.items()
        if json.dumps(v, sort_keys=True) != before.get(cid)
    }
    for q in sorted(questions):
        part = {
            k: v
            for k, v in sorted(ledger.items(), key=lambda kv: _order(kv[0]))
            if k.split(".")[0] == q
        }
        (path / f"{q.lower()}.json").write_text(
            json.dumps(part, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return changes + [f"{cid}: in the ledger but no longer a statistical claim" for cid in stale]


def _order(claim_id: str):
    from .catalogue import id_sort_key

    return id_sort_key(claim_id)
