"""The references table: one reviewed entry per work the text cites (``references/*.toml``),
and checks of citation and historical claims against it.

An entry names the work (authors, year, title, venue, arXiv id or DOI), says how and where it
was verified, and lists the facts the text attributes to it, each with where in the work it
stands -- or, for a fact the text gets wrong, the correct fact (``wrong = true``):

    key = "chawla2002smote"
    authors = ["N. V. Chawla", "K. W. Bowyer", "L. O. Hall", "W. P. Kegelmeyer"]
    year = 2002
    title = "SMOTE: Synthetic Minority Over-sampling Technique"
    venue = "Journal of Artificial Intelligence Research 16, 321-357"
    doi = "10.1613/jair.953"
    verified = "abstract and section 4 read through the search tool (pages corpus), 2026-12-02"

    [[facts]]
    id = "synthesises-minority"
    text = "SMOTE creates synthetic minority examples along lines between a minority example "
    where = "Section 4.2"

    claim("Q45.24", ..., kind=Kind.CITATION, check=cites("chawla2002smote", "synthesises-minority"))
    claim("Q57.3", ..., kind=Kind.CITATION, check=miscites("uijlings2013", "authors"),
          expect=Verdict.REFUTED)
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from .catalogue import ROOT
from .claim import ClaimDefinitionError, Exact

DIRECTORY = ROOT / "references"
REQUIRED = ("key", "authors", "year", "title", "venue", "verified", "facts")


def table(directory: Path | None = None) -> dict[str, dict]:
    """Every entry, by key; a malformed entry is a definition error naming its file."""
    return _load(Path(directory or DIRECTORY))


@cache
def _load(directory: Path) -> dict[str, dict]:
    out = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            entry = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ClaimDefinitionError(f"references/{path.name}: {exc}") from None
        missing = [k for k in REQUIRED if k not in entry]
        if missing:
            raise ClaimDefinitionError(f"references/{path.name} lacks {', '.join(missing)}")
        if entry["key"] != path.stem:
            raise ClaimDefinitionError(f"references/{path.name}: key must be {path.stem!r}")
        for fact in entry["facts"]:
            if not {"id", "text", "where"} <= set(fact):
                raise ClaimDefinitionError(
                    f"references/{path.name}: each fact needs id, text and where"
                )
        out[entry["key"]] = entry
    return out


def fact(key: str, fact_id: str) -> tuple[dict, dict]:
    entries = table()
    if key not in entries:
        raise ClaimDefinitionError(f"no reference {key!r} in references/")
    entry = entries[key]
    for f in entry["facts"]:
        if f["id"] == fact_id:
            return entry, f
    raise ClaimDefinitionError(f"reference {key!r} records no fact {fact_id!r}")


def cite_text(entry: dict) -> str:
    authors = entry["authors"]
    who = authors[0].split()[-1] + (
        " et al."
        if len(authors) > 2
        else f" and {authors[1].split()[-1]}"
        if len(authors) == 2
        else ""
    )
    ident = (
        f", arXiv:{entry['arxiv']}"
        if entry.get("arxiv")
        else (f", doi:{entry['doi']}" if entry.get("doi") else "")
    )
    return f"{who} ({entry['year']}), {entry['title']}{ident}"


def cites(key: str, fact_id: str) -> Exact:
    """The text attributes to ``key`` a fact the table records: SUPPORTED."""

    def check():
        entry, f = fact(key, fact_id)
        assert not f.get("wrong"), f"{cite_text(entry)}: {f['text']} ({f['where']})"
        return f"{cite_text(entry)}, {f['where']}: {f['text']}"

    return Exact(check, method="checked against the references table")


def miscites(key: str, fact_id: str) -> Exact:
    """The text states something the table records as wrong (``wrong = true``, with the correct
    fact): REFUTED, with the correct fact."""

    def check():
        entry, f = fact(key, fact_id)
        if not f.get("wrong"):
            raise ClaimDefinitionError(f"reference {key!r}, fact {fact_id!r} is not marked wrong")
        raise AssertionError(f"{cite_text(entry)}, {f['where']}: {f['text']}")

    return Exact(check, method="checked against the references table")
