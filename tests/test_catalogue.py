"""The real catalogue (claims/): every claim well-formed, quoted verbatim, placed, registered, and
checked wherever it can be. These tests fail when a claim file is added or changed carelessly."""

import sys

import pytest

from harness import Empirical, Kind, catalogue, preregistration, references
from harness.claim import CHECKABLE

SHARED_SEED = catalogue.ROOT.parent / "shared" / "seeds" / "000_45f3861da74e079a.txt"
SHARED_PROTOCOLS = catalogue.ROOT.parent / "shared" / "protocols.md"
NOT_TESTABLE_KINDS = {Kind.OPINION, Kind.HISTORICAL}


@pytest.fixture(scope="module")
def claims():
    return catalogue.load_all()


def test_ids_are_unique_and_belong_to_their_question(claims):
    ids = [c.id for c in claims]
    assert len(ids) == len(set(ids))
    for c in claims:
        assert c.module.startswith("claims.q") and int(c.module[8:10]) == c.question, (
            f"{c.id} is registered in {c.module}"
        )


def test_every_quote_stands_verbatim_in_the_seed(claims):
    text = catalogue.seed_text()
    assert [c.id for c in claims if c.quote not in text] == []


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="no ../shared beside the project")
def test_the_shipped_seed_and_protocols_are_the_shared_ones():
    assert (catalogue.CLAIMS_DIR / "seed.txt").read_bytes() == SHARED_SEED.read_bytes()
    assert (catalogue.CLAIMS_DIR / "protocols.md").read_bytes() == SHARED_PROTOCOLS.read_bytes()


def test_every_question_of_the_seed_has_a_claim_file(claims):
    questions = set(catalogue.question_titles())
    assert questions == set(range(41, 68))
    assert {c.question for c in claims} == questions


def test_claim_files_open_with_their_question():
    for path in catalogue.claim_files():
        module = catalogue.load_module(path)[0].module
        doc = sys.modules[module].__doc__ or ""
        assert doc.startswith(f"Q{path.name[1:3]}."), f"{path.name} should open with its question"


def test_not_testable_is_kept_for_what_truly_cannot_be_checked(claims):
    """Opinions and one-off observations carry a reason; a checkable kind without a check
    says why in one line; nothing is left PENDING."""
    for c in claims:
        if c.kind in NOT_TESTABLE_KINDS:
            assert c.reason.strip() and c.check is None, c.id
        elif c.check is None:
            assert c.kind in CHECKABLE and c.reason.strip(), f"{c.id} is pending"
            assert "\n" not in c.reason.strip(), f"{c.id}: the reason should be one line"
    assert [c.id for c in claims if c.status == "pending"] == []


def test_claims_run_in_the_standard_profile_record_their_verdict(claims):
    """`pytest claims/` compares each verdict with the record."""
    unrecorded = [
        c.id for c in claims if c.check is not None and c.expect is None and not c.profiles
    ]
    assert unrecorded == []


def test_every_statistical_claim_is_pre_registered_as_written(claims):
    ledger = preregistration.load()
    assert ledger is not None
    problems = [
        preregistration.problem(c, ledger) for c in claims if isinstance(c.check, Empirical)
    ]
    assert [p for p in problems if p] == []


def test_the_references_table_is_well_formed_and_used(claims):
    entries = references.table()
    assert entries, "references/ is empty"
    for key, entry in entries.items():
        assert entry["verified"].strip(), f"{key}: say how it was verified"
        assert entry.get("arxiv") or entry.get("doi") or entry.get("url") or "venue" in entry
    cited = {c.check.fn for c in claims if c.kind is Kind.CITATION and c.check is not None}
    assert cited, "no citation claim is checked against the table"


def test_departures_name_existing_claims(claims):
    ids = {c.id for c in claims}
    for d in catalogue.departures():
        assert 41 <= d.question <= 67 and d.text.strip()
        assert set(d.claims) <= ids, (d.text[:60], set(d.claims) - ids)


def test_the_catalogue_is_broad(claims):
    assert len(claims) >= 500
    assert {
        Kind.EMPIRICAL,
        Kind.EXACT,
        Kind.PROTOCOL,
        Kind.OPINION,
        Kind.CITATION,
        Kind.DEFINITIONAL,
    } <= {c.kind for c in claims}
