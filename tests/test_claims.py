"""The claim model, exact checks, the original-protocol and references checks, and
pre-registration."""

import json
import textwrap

import pytest

from harness import (
    Compare,
    Empirical,
    Kind,
    Verdict,
    claim,
    original,
    preregistration,
    real,
    references,
)
from harness.catalogue import check, claim_files, id_sort_key, load_module
from harness.claim import Claim, ClaimDefinitionError, Exact, departures, registered
from harness.experiment import experiment
from harness.runner import evaluate_exact

X = real("x")


@experiment("toy")
def toy(seeds, *, lr=0.003, width=10):
    return [{X.key(): float(s)} for s in seeds]


def test_protocols_carry_every_parameter():
    p = toy(width=20)
    assert dict(p.params) == {"lr": 0.003, "width": 20}
    assert p.label == "toy(lr=0.003, width=20)"
    assert p.with_params(lr=0.01).params["width"] == 20
    assert toy().key == toy(lr=0.003).key


def test_a_protocol_with_a_wrong_parameter_is_an_error():
    from harness.experiment import ExperimentError

    with pytest.raises(ExperimentError, match="unexpected keyword"):
        toy(depth=3)


def test_chunks_are_canonical():
    assert toy().chunks(range(7)) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]
    assert toy().chunks([12]) == [[10, 11, 12, 13, 14]]


def test_exact_checks_have_one_convention():
    def make(fn):
        return Claim("Q99.1", "q", "s", Kind.EXACT, Exact(fn, "m"))

    def holds():
        assert 1 + 1 == 2
        return "one detail"

    def fails():
        assert 1 + 1 == 3, "arithmetic broke"

    def crashes():
        raise RuntimeError("bug")

    def old_convention():
        return True, "detail"

    assert evaluate_exact(make(holds)).verdict is Verdict.SUPPORTED
    assert evaluate_exact(make(holds)).detail == "one detail"
    r = evaluate_exact(make(fails))
    assert r.verdict is Verdict.REFUTED and "arithmetic broke" in r.detail
    assert evaluate_exact(make(crashes)).verdict is Verdict.ERROR
    assert "returned tuple" in evaluate_exact(make(old_convention)).detail


def test_a_hypothesis_counterexample_is_in_the_detail():
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.integers(0, 100))
    def prop(n):
        assert n < 50

    r = evaluate_exact(Claim("Q99.1", "q", "s", Kind.EXACT, Exact(prop)))
    assert r.verdict is Verdict.REFUTED and "n=50" in r.detail  # the counterexample


@pytest.mark.parametrize(
    "fields, message",
    [
        (dict(id="45.1"), "not of the form"),
        (dict(quote=""), "quote is empty"),
        (dict(kind="empirical"), "not a harness.Kind"),
        (dict(kind=Kind.OPINION, reason=""), "needs a reason"),
        (dict(kind=Kind.OPINION, check=Exact(lambda: None), reason=""), "cannot carry a check"),
        (dict(expect="SUPPORTED"), "expect must be"),
        (dict(statement=3), "statement must be text"),
    ],
)
def test_bad_claims_are_definition_errors(fields, message):
    base = dict(id="Q99.1", quote="q", statement="s", kind=Kind.EXACT)
    with pytest.raises(ClaimDefinitionError, match=message):
        Claim(**{**base, **fields}).validate()


def test_empirical_needs_a_protocol_a_test_and_sane_options():
    with pytest.raises(ClaimDefinitionError, match="needs a protocol"):
        Empirical("toy", Compare(X.at(), 0.0, min_effect=1.0))
    with pytest.raises(ClaimDefinitionError, match="needs a test"):
        Empirical(toy(), "compare")
    with pytest.raises(ClaimDefinitionError, match="max_seeds"):
        Empirical(toy(), Compare(X.at(), 0.0, min_effect=1.0), max_seeds=2)
    with pytest.raises(ClaimDefinitionError, match="diverged must be"):
        Empirical(toy(), Compare(X.at(), 0.0, min_effect=1.0), diverged="ignore")


def test_status_of_uncheckable_and_pending_claims():
    assert Claim("Q99.1", "q", "s", Kind.CITATION).status == "pending"
    assert Claim("Q99.1", "q", "s", Kind.CITATION, reason="no source").status == "not testable"
    assert Claim("Q99.1", "q", "s", Kind.OPINION, reason="advice").status == "not testable"


def test_a_claim_file_registers_in_text_order_with_variants_and_departures(tmp_path):
    path = tmp_path / "q99_demo.py"
    path.write_text(
        textwrap.dedent("""
        from harness import *
        from tests.test_claims import X, toy
        departure(99, "the text says 50, the original 100", claims=("Q99.2",))
        base = claim("Q99.2", quote="q", statement="x > 0", kind=Kind.EMPIRICAL,
                     check=Empirical(toy(), Compare(X.at(), 0.0, min_effect=1.0)))
        @exact("Q99.1", quote="q", statement="1 + 1 = 2")
        def add():
            assert 1 + 1 == 2
        robustness(base, {"c": ("twice the width", {"width": 20})})
    """)
    )
    claims = load_module(path)
    assert [c.id for c in claims] == ["Q99.2", "Q99.1", "Q99.2c"]
    assert claims[2].check.protocol.params["width"] == 20
    assert claims[2].profiles == ("full",) and claims[2].statement.startswith("As Q99.2")
    assert departures(claims[0].module)[0].claims == ("Q99.2",)
    check(claims)


def test_duplicate_ids_and_quotes_not_in_the_seed_are_caught():
    a = Claim("Q45.1", "not in the seed at all", "s", Kind.OPINION, reason="r", module="claims.q45")
    with pytest.raises(ClaimDefinitionError, match="not verbatim in the seed"):
        check([a])
    with pytest.raises(ClaimDefinitionError, match="registered twice"):
        check([a, a], check_quotes=False)


def test_misnamed_files_in_a_claims_directory_are_errors(tmp_path):
    (tmp_path / "q45_ok.py").write_text("")
    (tmp_path / "helpers.py").write_text("")
    with pytest.raises(ClaimDefinitionError, match="helpers.py not named like a claim file"):
        claim_files(tmp_path)


def test_ids_sort_as_the_text():
    ids = ["Q45.10", "Q45.2", "Q45.2b", "Q44.30"]
    assert sorted(ids, key=id_sort_key) == ["Q44.30", "Q45.2", "Q45.2b", "Q45.10"]


def test_original_protocol_checks_read_the_shipped_file():
    assert original.protocols_path().parent.name == "claims"
    assert "sep = (1, 1/2)" in original.section(45)
    assert (
        evaluate_exact(
            Claim("Q45.7", "q", "s", Kind.PROTOCOL, original.says(45, "sep = (1, 1/2)"))
        ).verdict
        is Verdict.SUPPORTED
    )
    r = evaluate_exact(
        Claim(
            "Q45.9", "q", "s", Kind.PROTOCOL, original.differs(45, "ratio 1, 2, 5, 10, 20, 50, 100")
        )
    )
    assert r.verdict is Verdict.REFUTED and "the original differs" in r.detail
    assert (
        evaluate_exact(
            Claim("Q45.9", "q", "s", Kind.PROTOCOL, original.differs(45, "not documented"))
        ).verdict
        is Verdict.ERROR
    )
    assert "CᵀC" in original.section(original.CONVENTIONS)
    assert "as Q50" in original.section(51) and original._documents(51, "d = 12")


def test_an_override_of_the_protocols_file_is_used_and_named(tmp_path, monkeypatch):
    other = tmp_path / "protocols.md"
    other.write_text("| 45 | something else |\n")
    monkeypatch.setenv("HARNESS_PROTOCOLS", str(other))
    assert original.section(45) == "something else |"
    assert original.protocols_hash() != ""


def test_references_table_checks(tmp_path, monkeypatch):
    (tmp_path / "smith2020.toml").write_text(
        textwrap.dedent("""
        key = "smith2020"
        authors = ["A. Smith", "B. Jones", "C. Wu"]
        year = 2020
        title = "A paper"
        venue = "NeurIPS"
        arxiv = "2001.00001"
        verified = "read the abstract"
        [[facts]]
        id = "method"
        text = "introduces the method"
        where = "Section 2"
        [[facts]]
        id = "year"
        text = "published in 2020, not 2019"
        where = "front page"
        wrong = true
    """)
    )
    monkeypatch.setattr(references, "DIRECTORY", tmp_path)
    ok = evaluate_exact(
        Claim("Q99.1", "q", "s", Kind.CITATION, references.cites("smith2020", "method"))
    )
    assert ok.verdict is Verdict.SUPPORTED and "Smith et al. (2020)" in ok.detail
    bad = evaluate_exact(
        Claim("Q99.2", "q", "s", Kind.CITATION, references.miscites("smith2020", "year"))
    )
    assert bad.verdict is Verdict.REFUTED and "not 2019" in bad.detail
    missing = evaluate_exact(
        Claim("Q99.3", "q", "s", Kind.CITATION, references.cites("nobody", "x"))
    )
    assert missing.verdict is Verdict.ERROR


def test_a_malformed_reference_is_named(tmp_path):
    (tmp_path / "x2020.toml").write_text('key = "x2020"\nyear = 2020\n')
    with pytest.raises(ClaimDefinitionError, match="x2020.toml lacks"):
        references.table(tmp_path)


def test_preregistration_ledger(tmp_path):
    ledger_dir = tmp_path / "prereg"
    c = Claim(
        "Q99.1", "q", "s", Kind.EMPIRICAL, Empirical(toy(), Compare(X.at(), 0.0, min_effect=1.0))
    )
    assert preregistration.problem(c, preregistration.load(ledger_dir)) == ""  # no ledger kept
    assert preregistration.register([c], path=ledger_dir, today="2026-01-01") == [
        "Q99.1: registered"
    ]
    ledger = preregistration.load(ledger_dir)
    assert ledger["Q99.1"]["before_verdict"]
    assert "before its first verdict" in preregistration.status(c, ledger)
    changed = Claim(
        "Q99.1", "q", "s", Kind.EMPIRICAL, Empirical(toy(), Compare(X.at(), 0.0, min_effect=2.0))
    )
    assert "changed since it was registered" in preregistration.problem(changed, ledger)
    assert "CHANGED" in preregistration.status(changed, ledger)
    preregistration.register(
        [changed],
        path=ledger_dir,
        today="2026-01-02",
        amend={"Q99.1": "threshold read from the text"},
    )
    ledger = preregistration.load(ledger_dir)
    assert preregistration.problem(changed, ledger) == ""
    assert "amended 2026-01-02: threshold read from the text" in preregistration.status(
        changed, ledger
    )
    other = Claim(
        "Q99.2", "q", "s", Kind.EMPIRICAL, Empirical(toy(), Compare(X.at(), 0.0, min_effect=1.0))
    )
    assert "not pre-registered" in preregistration.problem(other, ledger)
    assert json.loads((ledger_dir / "q99.json").read_text())["Q99.1"]["amendments"]
    with pytest.raises(ValueError, match="nothing to amend"):
        preregistration.register([changed], path=ledger_dir, amend={"Q99.1": "again"})


def test_registered_claims_of_a_module():
    c = claim("Q99.1", quote="q", statement="s", kind=Kind.OPINION, reason="advice")
    assert c in registered(__name__)


def _version_of(tmp_path, source):
    import importlib
    import sys

    folder = tmp_path / str(len(list(tmp_path.iterdir())))
    folder.mkdir()
    (folder / "cv_module.py").write_text(textwrap.dedent(source))
    sys.path.insert(0, str(folder))
    try:
        sys.modules.pop("cv_module", None)
        return importlib.import_module("cv_module").exp.code_version
    finally:
        sys.path.remove(str(folder))
        sys.modules.pop("cv_module", None)


def test_code_versions_do_not_depend_on_where_the_project_lies(tmp_path, monkeypatch):
    """A fresh clone elsewhere must find the committed evidence: no path in a version (an
    empty package ``__init__`` once put one there)."""
    import importlib
    import sys

    experiment_module = importlib.import_module("harness.experiment")  # not the function

    versions = []
    for where in ("here", "there/deeper"):
        root = tmp_path / where
        package = root / "cv_pkg"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "helper.py").write_text("K = 2\n")
        (package / "exp.py").write_text(
            "from harness import experiment\n"
            "from . import helper\n"
            "@experiment('cv_pkg')\n"
            "def exp(seeds):\n"
            "    return [{'x': helper.K * s} for s in seeds]\n"
        )
        monkeypatch.setattr(experiment_module, "ROOT", root)
        monkeypatch.syspath_prepend(str(root))
        for name in [m for m in sys.modules if m == "cv_pkg" or m.startswith("cv_pkg.")]:
            del sys.modules[name]
        module = importlib.import_module("cv_pkg.exp")
        assert "cv_pkg" in {m.__name__ for m in experiment_module._local_imports(module)}
        versions.append(module.exp.code_version)
    for name in [m for m in sys.modules if m == "cv_pkg" or m.startswith("cv_pkg.")]:
        del sys.modules[name]
    assert versions[0] == versions[1]


BASE = '''
from harness import experiment
@experiment("cv")
def exp(seeds, *, k=1):
    """Docstring."""
    return [{"x": k * s} for s in seeds]  # a comment
@exp.figure
def plot(trials, fig):
    fig.add_subplot(1, 1, 1)
'''


def test_code_versions_follow_what_a_trial_computes(tmp_path):
    base = _version_of(tmp_path, BASE)
    reformatted = _version_of(
        tmp_path,
        BASE.replace('"""Docstring."""', '"""Another docstring."""')
        .replace("# a comment", "")
        .replace("k * s", "k*s"),
    )
    new_plot = _version_of(
        tmp_path, BASE.replace("fig.add_subplot(1, 1, 1)", "fig.add_subplot(1, 2, 1)")
    )
    new_code = _version_of(tmp_path, BASE.replace("k * s", "k * s + 1"))
    capped = _version_of(
        tmp_path, BASE.replace('@experiment("cv")', '@experiment("cv", max_seeds=50)')
    )
    assert base == reformatted == new_plot == capped
    assert new_code != base


def test_a_results_table_gives_expect_and_note():
    from harness import recorded

    run_gave = recorded({"Q99.1": (Verdict.REFUTED, "Standard run: -0.1 [-0.2, -0.05].")})
    assert run_gave("Q99.1", "Why 0.05.") == {
        "expect": Verdict.REFUTED,
        "note": "Why 0.05. Standard run: -0.1 [-0.2, -0.05].",
    }
    assert run_gave("Q99.1") == {
        "expect": Verdict.REFUTED,
        "note": "Standard run: -0.1 [-0.2, -0.05].",
    }
    with pytest.raises(ClaimDefinitionError, match="Q99.2 has no entry"):
        run_gave("Q99.2")
