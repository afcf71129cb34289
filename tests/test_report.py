"""The verdict report: content, stable ordering, JSON fields, figures, rebuild from the store."""
import json
import re

import numpy as np
import pytest

from harness import Compare, Empirical, Exact, Kind, Verdict, experiment, report
from harness.claim import Claim
from harness.figures import band
from harness.profiles import get_profile
from harness.runner import ClaimResult, evaluate
from harness.store import Store


@experiment("report_demo")
def report_demo(seeds, steps=4):
    return [{"a": 1.0 + np.random.default_rng(s).normal(0, 0.1), "b": 0.0,
             "curve": list(np.linspace(0, 1, steps) + s * 0.01)} for s in seeds]


@report_demo.figure
def _plot(trials, fig):
    ax = fig.add_subplot(1, 1, 1)
    band(ax, np.arange(trials["curve"].shape[1]), trials["curve"], label="curve")


CLAIMS = [
    Claim("Q42.2", "50 个数据点", "s2", Kind.EXACT, check=Exact(lambda: False, "m"),
          expect=Verdict.REFUTED),
    Claim("Q42.1", "1 层神经网络", "s1 | with a pipe", Kind.EMPIRICAL,
          check=Empirical(report_demo(), Compare("a", "b")), expect=Verdict.SUPPORTED),
    Claim("Q43.1", "更深的神经网络", "s3", Kind.OPINION, reason="an opinion"),
    Claim("Q43.2", "152", "s4", Kind.EMPIRICAL),
]


@pytest.fixture
def written(tmp_path):
    store = Store(tmp_path / "s.sqlite")
    profile = get_profile("standard")
    run = store.start_run("standard", True, report.provenance(profile))
    for cid, r in evaluate(CLAIMS, store, profile).items():
        store.save_result(run, cid, r.to_json())
    store.finish_run(run)
    path = report.write(tmp_path / "reports" / "verdicts.md", store, run, CLAIMS)
    return store, run, path


def test_report_has_provenance_counts_coverage_summary_and_sections(written):
    _, _, path = written
    text = path.read_text()
    for heading in ("## Provenance", "## Verdicts", "## Coverage", "## Summary of tested claims",
                    "## Q42.", "### Q42.1 — SUPPORTED", "### Q43.1 — NOT TESTABLE"):
        assert heading in text
    for field in ("git commit", "python", "torch", "numpy", "profile", "machine"):
        assert f"| {field}" in text
    assert re.search(r"\| SUPPORTED +\| +1 \|", text) and re.search(r"\| REFUTED +\| +1 \|", text)
    assert "1 of 3 testable claims implemented" not in text   # Q42.2 and Q42.1 are
    assert "2 of 3 testable claims implemented" in text
    assert "s1 \\| with a pipe" in text                      # table cells are escaped
    assert "> 50 个数据点" in text


def test_sections_and_tables_follow_claim_order(written):
    text = written[2].read_text()
    assert text.index("### Q42.1") < text.index("### Q42.2") < text.index("### Q43.1")
    summary = text[text.index("## Summary"):text.index("## Q42.")]
    assert summary.index("| Q42.1") < summary.index("| Q42.2")


def test_a_rebuild_from_the_store_is_identical(written):
    store, run, path = written
    first = path.read_text()
    report.write(path, store, run, CLAIMS)
    assert path.read_text() == first


def test_figures_are_drawn_from_stored_trials(written):
    _, _, path = written
    figures = list((path.parent / "figures").glob("report_demo-*.png"))
    assert len(figures) == 1 and figures[0].read_bytes()[:4] == b"\x89PNG"
    assert f"](figures/{figures[0].name})" in path.read_text()


def test_json_document_has_the_documented_fields(written):
    doc = json.loads(written[2].with_suffix(".json").read_text())
    assert set(doc) == {"provenance", "counts", "claims"}
    assert doc["counts"] == {"SUPPORTED": 1, "REFUTED": 1, "NOT TESTABLE": 1, "PENDING": 1}
    first = doc["claims"][0]
    assert first["id"] == "Q42.1"
    assert set(first) >= {"id", "question", "quote", "statement", "kind", "status", "expect",
                          "protocol", "hypothesis", "result"}
    result = first["result"]
    for key in ("verdict", "effect", "ci", "p_raw", "p_adj", "seeds", "test", "seconds"):
        assert key in result
    assert result["verdict"] == "SUPPORTED" and 0 <= result["p_adj"] <= 1


def test_verdict_table_lists_id_verdict_effect_and_seeds():
    r = ClaimResult("Q1.1", "empirical", Verdict.SUPPORTED, Verdict.SUPPORTED, effect=0.25,
                    ci=(0.1, 0.4), seeds=10)
    table = report.verdict_table({"Q1.1": r})
    assert "Q1.1" in table and "SUPPORTED" in table and "0.25 [0.1, 0.4]" in table
    assert table.splitlines()[-1].rstrip().endswith("10")
