"""The claim catalogue: every claim well-formed, ids unique, every quote found in the seed."""

import pytest

from harness import Empirical, Exact, Kind, Verdict, catalogue, claim
from harness.claim import ClaimDefinitionError

SHARED_SEED = catalogue.ROOT.parent / "shared" / "seeds" / catalogue.SEED_NAME


@pytest.fixture(scope="module")
def claims():
    return catalogue.load_all()


def test_ids_are_unique_and_well_formed(claims):
    ids = [c.id for c in claims]
    assert len(ids) == len(set(ids))
    assert all(c.question == int(c.id[1:3]) for c in claims)


def test_every_quote_is_an_exact_substring_of_the_seed(claims):
    assert catalogue.missing_quotes(claims) == []


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="no ../shared/seeds beside the project")
def test_the_shipped_seed_is_the_shared_one():
    assert (catalogue.CLAIMS_DIR / "seed.txt").read_bytes() == SHARED_SEED.read_bytes()
    assert catalogue.seed_path() == SHARED_SEED


def test_every_question_of_the_seed_has_a_claim_file(claims):
    questions = set(catalogue.question_titles())
    assert questions == set(range(41, 68))
    assert {c.question for c in claims} == questions


def test_claim_files_read_like_their_question():
    for path in catalogue.claim_files():
        module = catalogue.load_module(path)[0].module
        import sys

        doc = sys.modules[module].__doc__ or ""
        number = int(path.name[1:3])
        assert doc.startswith(f"Q{number}."), f"{path.name} should open with its question"


def test_untestable_claims_say_why_and_testable_ones_say_how(claims):
    for c in claims:
        if c.kind in (Kind.OPINION, Kind.CITATION, Kind.DEFINITIONAL, Kind.HISTORICAL):
            assert c.reason and c.check is None, c.id
        if c.kind is Kind.EMPIRICAL and c.check is not None:
            assert isinstance(c.check, Empirical), c.id
        if c.kind in (Kind.EXACT, Kind.PROTOCOL) and c.check is not None:
            assert isinstance(c.check, Exact), c.id


def test_implemented_claims_record_their_verdict(claims):
    """`pytest claims/` compares each verdict with the record; a claim with none must pass."""
    unrecorded = [c.id for c in claims if c.implemented and c.expect is None and not c.profiles]
    assert unrecorded == []


def test_the_catalogue_is_broad(claims):
    assert len(claims) >= 200
    kinds = {c.kind for c in claims}
    assert {Kind.EMPIRICAL, Kind.EXACT, Kind.PROTOCOL, Kind.OPINION, Kind.CITATION} <= kinds


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(id="Q4.1"), "not of the form"),
        (dict(quote=" "), "quote is empty"),
        (dict(kind=Kind.OPINION), "needs a reason"),
        (dict(kind=Kind.OPINION, reason="r", check=Exact(lambda: True)), "cannot carry a check"),
        (dict(check=Exact(lambda: True)), "needs an Empirical check"),
        (dict(expect=Verdict.PENDING), "expect must be"),
    ],
)
def test_bad_claim_definitions_are_rejected(kwargs, message):
    base = dict(id="Q99.1", quote="q", statement="s", kind=Kind.EMPIRICAL)
    with pytest.raises(ClaimDefinitionError, match=message):
        claim(**{**base, **kwargs})


def test_a_duplicate_id_across_files_is_rejected(tmp_path):
    directory = tmp_path / "claims"
    directory.mkdir()
    for name in ("q97_a.py", "q97_b.py"):
        (directory / name).write_text(
            "from harness import claim, Kind\n"
            "claim('Q97.1', quote='q', statement='s', kind=Kind.OPINION, reason='r')\n"
        )
    with pytest.raises(ClaimDefinitionError, match="registered twice"):
        catalogue.load_all(directory)
