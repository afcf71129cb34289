"""The report: safe Markdown, strict JSON, atomic writes, parts and departures, quiet reruns."""

import json
import re

import pytest

from harness import AllOf, Compare, Empirical, Kind, real
from harness.claim import Claim, Departure, Verdict
from harness.experiment import experiment
from harness.report import ReportError, build, check_target, md, write
from harness.result import ClaimResult, TestResult, strict
from harness.store import Store

X = real("x", resolution=0.01)


@experiment("report_toy")
def toy(seeds):
    return [{X.key(): 1.0 + 0.1 * s} for s in seeds]


def result(cid="Q99.1", verdict=Verdict.SUPPORTED, **kw):
    return ClaimResult(cid, "empirical", verdict, Verdict.SUPPORTED, **kw)


def test_text_from_claims_cannot_inject_markup():
    evil = "<script>alert(1)</script> [click](javascript:alert(1)) | x\n# Heading"
    out = md(evil)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert not re.search(r"(?<!\\)\]\(", out)  # no live link: every ] is escaped
    assert "\n" not in out and "\\#" in out and "\\|" in out


def test_a_claim_section_escapes_every_field():
    c = Claim(
        "Q99.1",
        quote="<img src=x onerror=alert(1)>",
        statement="## injected",
        kind=Kind.OPINION,
        reason="[link](javascript:x)",
        note="<b>bold</b>",
    )
    text, _ = build(
        [c],
        {"Q99.1": ClaimResult("Q99.1", "opinion", Verdict.NOT_TESTABLE, None, detail="<i>x</i>")},
        {},
        {},
    )
    body = text.split("### Q99.1")[1]
    assert "<img" not in body and "<b>" not in body and not re.search(r"(?<!\\)\]\(", body)
    assert "\n## injected" not in body


def test_json_is_strict_and_lists_what_was_not_finite():
    doc = strict({"a": float("nan"), "b": [1.0, float("inf")], "c": 2})
    assert doc == {"a": None, "b": [1.0, None], "c": 2, "non_finite": ["a", "b[1]"]}
    r = result(test=TestResult("comparison", "t", 0.01, 0.9, float("nan"), (0.0, 1.0), 5, 0.1, "e"))
    json.dumps(r.to_json(), allow_nan=False)  # does not raise
    assert ClaimResult.from_json(r.to_json()).test.p_for == 0.01


def test_compound_claims_show_every_part():
    part = TestResult(
        "comparison", "t", 0.001, 0.9, 0.2, (0.1, 0.3), 10, 0.05, "part one", label="a - b"
    )
    whole = TestResult(
        "all of 2", "iu", 0.002, 0.9, 0.1, (0.0, 0.2), 10, 0.05, "weakest", parts=(part, part)
    )
    c = Claim(
        "Q99.1",
        "q",
        "s",
        Kind.EMPIRICAL,
        Empirical(toy(), AllOf([Compare(X.at(), 0.0, min_effect=0.1)] * 2)),
    )
    text, _ = build(
        [c],
        {
            "Q99.1": result(
                test=whole, p_for=0.001, p_against=0.9, p_for_adj=0.002, p_against_adj=1.0, seeds=10
            )
        },
        {},
        {},
    )
    assert text.count("| 1. a - b |") == 1 and text.count("| 2. a - b |") == 1


def test_departures_open_their_question_and_are_counted():
    c = Claim("Q45.2", "q", "s", Kind.OPINION, reason="r")
    deps = [Departure(45, "the text says 1:99, the code runs 1:100", "the notebook", ("Q45.9",))]
    text, doc = build([c], {}, {}, {}, deps)
    section = text.split("## Q45.")[1]
    assert "Where the text departs from its sources" in section
    assert "1:99, the code runs 1:100 — source: the notebook (claims Q45.9)" in section
    assert "1 places where the text departs" in text and doc["departures"][0]["question"] == 45


def test_an_inconclusive_claim_says_why_in_one_line():
    c = Claim("Q99.1", "q", "s", Kind.OPINION, reason="r")
    r = ClaimResult(
        "Q99.1",
        "empirical",
        Verdict.INCONCLUSIVE,
        None,
        why_open="x = 0.021 [0.015, 0.027] against 0.02: the interval still reaches "
        "the threshold after 50 seeds",
    )
    text, _ = build([c], {"Q99.1": r}, {}, {})
    assert "- why open: x = 0.021" in text


@pytest.mark.parametrize("name, message", [("r.json", "must end in .md"), ("", "must end in .md")])
def test_report_paths_are_checked(tmp_path, name, message):
    with pytest.raises(ReportError, match=message):
        check_target(tmp_path / name)


def test_a_directory_named_like_a_report_is_refused(tmp_path):
    (tmp_path / "r.md").mkdir()
    with pytest.raises(ReportError, match="is a directory"):
        check_target(tmp_path / "r.md")


def _run(store, complete, claims):
    run = store.start_run("standard", complete, {"profile": "standard"})
    store.save(toy(), range(5), toy().run(range(5)), 1.0)
    for c in claims:
        store.save_result(run, c.id, result(c.id, seeds=5, protocol_key=toy().key).to_json())
    store.finish_run(run)
    return run


def test_write_draws_figures_once_and_a_rewrite_changes_nothing(tmp_path):
    @toy.figure
    def plot(trials, fig):
        fig.add_subplot(1, 1, 1).plot(trials[X.key()])

    try:
        s = Store(tmp_path / "t.sqlite")
        c = Claim(
            "Q99.1",
            "q",
            "s",
            Kind.EMPIRICAL,
            Empirical(toy(), Compare(X.at(), 0.0, min_effect=0.1)),
        )
        run = _run(s, True, [c])
        out = write(tmp_path / "rep" / "v.md", s, run, [c])
        pngs = list((tmp_path / "rep" / "figures").glob("*.png"))
        assert len(pngs) == 1 and pngs[0].name in out.read_text()
        stamp = pngs[0].stat().st_mtime_ns
        before = out.read_bytes(), out.with_suffix(".json").read_bytes()
        write(tmp_path / "rep" / "v.md", s, run, [c])
        assert pngs[0].stat().st_mtime_ns == stamp  # not redrawn
        assert (out.read_bytes(), out.with_suffix(".json").read_bytes()) == before
        assert "date" not in out.read_text().split("## Verdicts")[0].lower()
    finally:
        toy.plots.clear()


def test_a_partial_or_empty_run_never_replaces_a_complete_report(tmp_path):
    s = Store(tmp_path / "t.sqlite")
    c = Claim("Q99.1", "q", "s", Kind.OPINION, reason="r")
    full = _run(s, True, [c])
    path = write(tmp_path / "v.md", s, full, [c])
    before = path.read_bytes()
    partial = _run(s, False, [c])
    with pytest.raises(ReportError, match="holds the report of a complete run"):
        write(path, s, partial, [c])
    empty = s.start_run("standard", True, {})
    s.finish_run(empty)
    with pytest.raises(ReportError, match="has no results"):
        write(path, s, empty, [c])
    with pytest.raises(ReportError, match="no run 9999"):
        write(path, s, 9999, [c])
    assert path.read_bytes() == before
    write(path, s, partial, [c], replace_full=True)
    assert path.read_bytes() != before
    assert not list(tmp_path.glob(".v.md.*.tmp"))  # no temporary files left behind
