"""The pytest plugin: outcome mapping, exit codes, options, selection, errors and the report."""

import json

import pytest

from harness.store import machine_numerics

HEADER = "from harness import *\nfrom demo_experiments import A, B, demo, broken\n"


def run(p, *args):
    return p.runpytest("claims/", "--executor", "serial", *args)


def test_each_verdict_maps_to_its_outcome(demo_project):
    result = run(demo_project, "-v")
    outcomes = result.parseoutcomes()
    assert outcomes == {"passed": 2, "xfailed": 1, "inconclusive": 1, "skipped": 2}
    result.stdout.fnmatch_lines_random(
        [
            "*Q99.1 SUPPORTED*",
            "*Q99.2 XFAIL*REFUTED, as recorded*",
            "*Q99.3 INCONCLUSIVE*",
            "*Q99.5 SKIPPED*NOT TESTABLE*",
            "*Q99.6 SKIPPED*PENDING*",
        ]
    )
    assert result.ret == 0


def test_terminal_summary_ends_with_the_verdict_table_in_id_order(demo_project):
    result = run(demo_project)
    result.stdout.fnmatch_lines(
        [
            "*claim verdicts*",
            "id*verdict*recorded*effect*seeds",
            "Q99.1*SUPPORTED*SUPPORTED*",
            "Q99.2*",
            "Q99.3*INCONCLUSIVE*",
        ]
    )


@pytest.mark.parametrize("expect", ["Verdict.SUPPORTED", "None", "Verdict.INCONCLUSIVE"])
def test_an_unrecorded_refutation_fails(demo_project, expect):
    demo_project.add_claims(
        HEADER
        + f"""
claim("Q98.1", quote="q", statement="b beats a", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=3.0), Compare(B.at(), A.at(), min_effect=0.5)),
      expect={expect})
"""
    )
    result = run(demo_project, "--claim", "Q98.1")
    assert result.parseoutcomes()["failed"] == 1
    result.stdout.fnmatch_lines(["*Q98.1: verdict REFUTED, but the claim records*"])
    assert result.ret == 1


def test_a_supported_verdict_of_a_claim_recorded_as_refuted_fails(demo_project):
    demo_project.add_claims(
        HEADER
        + """
claim("Q98.1", quote="q", statement="a beats b", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=3.0), Compare(A.at(), B.at(), min_effect=0.5)),
      expect=Verdict.REFUTED)
"""
    )
    result = run(demo_project, "--claim", "Q98.1")
    assert result.parseoutcomes()["failed"] == 1


def test_claim_selects_an_exact_id_not_a_prefix(demo_project):
    demo_project.add_claims(
        HEADER
        + """
claim("Q99.10", quote="q", statement="advice", kind=Kind.OPINION, reason="advice")
"""
    )
    result = run(demo_project, "--claim", "Q99.1", "-v")
    assert result.parseoutcomes()["passed"] == 1
    assert "Q99.10" not in result.stdout.str().split("claim verdicts")[0]


def test_an_unknown_claim_id_is_a_usage_error(demo_project):
    result = run(demo_project, "--claim", "Q99.77")
    assert result.ret == 4
    result.stderr.fnmatch_lines(["*--claim Q99.77: no such claim id*"])


def test_smoke_profile_checks_the_plumbing_only(demo_project):
    demo_project.add_claims(
        HEADER
        + """
claim("Q98.1", quote="q", statement="b beats a", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=3.0), Compare(B.at(), A.at(), min_effect=0.5)),
      expect=Verdict.SUPPORTED)
"""
    )
    result = run(demo_project, "--profile", "smoke")
    assert result.ret == 0, result.stdout.str()


def test_a_crashed_experiment_is_an_error_with_its_message(demo_project):
    demo_project.add_claims(
        HEADER
        + """
claim("Q98.1", quote="q", statement="crashes", kind=Kind.EMPIRICAL,
      check=Empirical(broken(), Compare(A.at(), B.at(), min_effect=0.5)))
"""
    )
    result = run(demo_project, "--claim", "Q98.1")
    assert result.parseoutcomes()["errors"] == 1
    result.stdout.fnmatch_lines(["*simulated crash in the experiment*"])


def test_a_wrong_measure_is_an_error_naming_what_exists(demo_project):
    demo_project.add_claims(
        HEADER
        + """
from harness import real
C = real("c")
claim("Q98.1", quote="q", statement="c?", kind=Kind.EMPIRICAL,
      check=Empirical(demo(), Compare(C.at(), B.at(), min_effect=0.5)))
"""
    )
    result = run(demo_project, "--claim", "Q98.1")
    result.stdout.fnmatch_lines(["*no measurement 'c'; this experiment records [[]'a', 'b'[]]*"])
    assert "During handling" not in result.stdout.str()


def test_diverged_seeds_are_an_error_unless_the_claim_says_what_they_mean(demo_project):
    demo_project.add_claims(
        HEADER
        + """
claim("Q98.1", quote="q", statement="a beats b", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=3.0, diverge=[1]), Compare(A.at(), B.at(), min_effect=0.5)))
claim("Q98.2", quote="q", statement="a beats b where it trains", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=3.0, diverge=[1]), Compare(A.at(), B.at(), min_effect=0.5),
                      diverged=Diverged.EXCLUDE))
"""
    )
    result = run(demo_project, "--claim", "Q98.1", "--claim", "Q98.2", "--report", "r/v.md")
    outcomes = result.parseoutcomes()
    assert outcomes["errors"] == 1 and outcomes["passed"] == 1
    result.stdout.fnmatch_lines(["*1 of 5 seeds diverged*does not say what divergence means*"])
    doc = json.loads((demo_project.path / "r" / "v.json").read_text())
    q2 = next(c for c in doc["claims"] if c["id"] == "Q98.2")["result"]
    assert q2["verdict"] == "SUPPORTED" and q2["diverged"] == 1
    assert q2["test"]["n"] == q2["seeds"] - 1  # the diverged seed was left out, and counted


def test_bad_claim_definitions_are_one_line_errors(demo_project):
    demo_project.add_claims(
        HEADER
        + """
claim("Q98.1", quote="q", statement="no effect declared", kind=Kind.EMPIRICAL,
      check=Empirical(demo(), Compare(A.at(), B.at())))
"""
    )
    result = run(demo_project)
    result.stdout.fnmatch_lines(
        ["*q98_extra.py: MeasureError: compare a with b: declare min_effect > 0*"]
    )
    assert "Traceback" not in result.stdout.str()
    assert result.ret == 2


def test_a_duplicate_id_is_reported_once(demo_project):
    demo_project.add_claims(
        HEADER
        + """
claim("Q99.1", quote="q", statement="again", kind=Kind.OPINION, reason="dup")
"""
    )
    result = run(demo_project)
    assert (
        result.stdout.str().count("registered twice")
        + result.stderr.str().count("registered twice")
        == 1
    )
    assert result.ret != 0


def test_a_misnamed_claim_file_is_an_error_not_ignored(demo_project):
    (demo_project.path / "claims" / "helpers.py").write_text("X = 1\n")
    result = run(demo_project)
    result.stdout.fnmatch_lines(["*helpers.py*not named like a claim file*"])
    assert result.ret != 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--seeds", "1"], "*--seeds must be between 3 and*"),
        (["--store", "."], "*is a directory*"),
        (["--report", "out.json"], "*must end in .md*"),
        (["--executor", "bogus"], "*unknown --executor 'bogus'*"),
        (["--executor", "processes:0"], "*worker count must be a positive integer*"),
    ],
)
def test_bad_options_give_one_line_and_change_nothing(demo_project, args, message):
    result = run(demo_project, *args)
    assert result.ret != 0
    (
        result.stderr.fnmatch_lines
        if "usage" in result.stderr.str().lower() or "ERROR" in result.stderr.str()
        else result.stdout.fnmatch_lines
    )([message])
    assert demo_project.experiment_calls() == []
    assert not (demo_project.path / "reports").exists()


def test_a_rerun_uses_the_store_and_fresh_recomputes(demo_project):
    run(demo_project)
    first = demo_project.experiment_calls()
    assert first
    run(demo_project)
    assert demo_project.experiment_calls() == first  # nothing recomputed
    run(demo_project, "--fresh")
    assert len(demo_project.experiment_calls()) == 2 * len(first)


def test_a_complete_run_writes_the_report_and_a_rerun_rewrites_nothing(demo_project):
    run(demo_project)
    md = demo_project.path / "reports" / "verdicts.md"
    js = md.with_suffix(".json")
    before = (md.read_bytes(), js.read_bytes(), sorted((md.parent / "figures").glob("*")))
    run(demo_project)
    assert (md.read_bytes(), js.read_bytes(), sorted((md.parent / "figures").glob("*"))) == before


def test_a_partial_run_leaves_the_report_alone(demo_project):
    run(demo_project)
    md = demo_project.path / "reports" / "verdicts.md"
    before = md.read_bytes()
    result = run(demo_project, "--claim", "Q99.1")
    assert md.read_bytes() == before
    result.stdout.fnmatch_lines(["*partial run: reports/verdicts.md left as it is*"])


def test_a_partial_report_never_replaces_a_complete_one_without_asking(demo_project):
    run(demo_project)
    md = demo_project.path / "reports" / "verdicts.md"
    before = md.read_bytes()
    result = run(demo_project, "--claim", "Q99.1", "--report", str(md))
    assert md.read_bytes() == before
    assert "holds the report of a complete run" in result.stdout.str()
    run(demo_project, "--claim", "Q99.1", "--report", str(md), "--replace-report")
    assert md.read_bytes() != before


def test_progress_is_shown_as_plain_lines_in_a_log_and_not_with_q(demo_project, monkeypatch):
    monkeypatch.setenv("CI", "true")
    result = run(demo_project)
    result.stdout.fnmatch_lines(["*[[]harness] *seeds computed*claims decided*elapsed*"])
    (demo_project.path / ".harness" / "trials.sqlite").unlink()
    quiet = run(demo_project, "-q")
    assert "[harness]" not in quiet.stdout.str()


def test_last_failed_reruns_only_the_failures(demo_project):
    demo_project.add_claims(
        HEADER
        + """
claim("Q98.1", quote="q", statement="b beats a", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=3.0), Compare(B.at(), A.at(), min_effect=0.5)))
"""
    )
    run(demo_project)
    result = run(demo_project, "--lf", "-v")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed") == 1 and "passed" not in outcomes


def test_markers_select_by_kind_and_question(demo_project):
    result = run(demo_project, "-m", "exact")
    assert result.parseoutcomes() == {"passed": 1, "deselected": 5}
    result = run(demo_project, "-m", "q99 and opinion")
    assert result.parseoutcomes() == {"skipped": 1, "deselected": 5}


def test_xdist_evaluates_once_on_the_controller_with_the_serial_verdicts(demo_project):
    pytest.importorskip("xdist")
    serial = demo_project.runpytest_subprocess(
        "claims/", "--executor", "serial", "--store", "serial.sqlite", "--report", "s/v.md"
    )
    serial_calls = sum(demo_project.experiment_calls())
    (demo_project.path / "calls.txt").write_text("")
    result = demo_project.runpytest_subprocess(
        "claims/", "-n", "2", "--store", "xdist.sqlite", "--report", "x/v.md"
    )
    assert result.ret == serial.ret == 0
    assert sum(demo_project.experiment_calls()) == serial_calls  # no trial computed twice
    out = result.stdout.str()
    assert out.count("claim verdicts") == 1
    verdicts = {
        c["id"]: c["result"]["verdict"]
        for c in json.loads((demo_project.path / "x" / "v.json").read_text())["claims"]
    }
    expected = {
        c["id"]: c["result"]["verdict"]
        for c in json.loads((demo_project.path / "s" / "v.json").read_text())["claims"]
    }
    assert verdicts == expected
    outcomes = result.parseoutcomes()
    assert outcomes["passed"] == 2 and outcomes["xfailed"] == 1


def test_committed_evidence_is_loaded_and_a_sample_re_derived_exactly(demo_project):
    run(demo_project)
    evidence = demo_project.path / "reports" / "evidence" / "demo.jsonl"
    assert evidence.exists()
    report_before = (demo_project.path / "reports" / "verdicts.json").read_bytes()
    computed = sum(demo_project.experiment_calls())
    (demo_project.path / ".harness" / "trials.sqlite").unlink()  # a fresh checkout
    result = run(demo_project, "--verify", "2")
    assert result.ret == 0
    assert sum(demo_project.experiment_calls()) == computed + 2 * 5  # two chunks re-derived
    result.stdout.fnmatch_lines(
        ["*evidence: * stored trials loaded*2 random chunk(s) recomputed: 2 bit-exact*"]
    )
    assert (demo_project.path / "reports" / "verdicts.json").read_bytes() == report_before


def test_evidence_that_does_not_reproduce_is_recomputed_and_said(demo_project):
    run(demo_project)
    evidence = demo_project.path / "reports" / "evidence" / "demo.jsonl"
    lines = evidence.read_text().splitlines()
    row = json.loads(lines[0])
    row["measurements"]["a"] += 1.0  # tampered
    evidence.write_text("\n".join([json.dumps(row, sort_keys=True)] + lines[1:]) + "\n")
    (demo_project.path / ".harness" / "trials.sqlite").unlink()
    result = run(demo_project, "--verify", "1000")
    result.stdout.fnmatch_lines(["*did NOT reproduce -- recomputed in full*"])
    assert result.ret == 0
    assert json.loads(evidence.read_text().splitlines()[0]) != row  # the report's run rewrote it


def test_evidence_from_other_numerics_that_differs_is_kept_and_said(demo_project):
    """Another CPU's kernels round differently and training amplifies it: a difference proves
    nothing about the code there, so the evidence is kept (and the run says so) -- while the
    same change on this machine's numerics is a failure (the test above)."""
    run(demo_project)
    evidence = demo_project.path / "reports" / "evidence" / "demo.jsonl"
    rows = [json.loads(line) for line in evidence.read_text().splitlines()]
    assert {r["numerics"] for r in rows} == {machine_numerics()}  # recorded for each trial
    for r in rows:
        r["numerics"] = "GenuineOther/AVX2/openblas-Haswell"
    rows[0]["measurements"]["a"] += 1.0  # what another CPU could have given for seed 0
    evidence.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in rows))
    (demo_project.path / ".harness" / "trials.sqlite").unlink()
    result = run(demo_project, "--verify", "1000")
    result.stdout.fnmatch_lines(["*computed on other numerics differ*kept*"])
    assert "did NOT reproduce" not in result.stdout.str()
    assert result.ret == 0
    kept = [json.loads(line) for line in evidence.read_text().splitlines()]
    assert kept == rows  # the report rests on the committed trials, numerics and all


def test_exact_checks_are_reused_until_what_they_read_changes(demo_project):
    demo_project.add_claims(
        HEADER
        + """
import os
@exact("Q98.1", quote="q", statement="counted")
def counted():
    with open(os.environ["DEMO_CALLS"], "a") as f:
        f.write("0\\n")
"""
    )
    run(demo_project, "--claim", "Q98.1")
    run(demo_project, "--claim", "Q98.1")
    assert demo_project.experiment_calls() == [0]  # the second run reused the result
    run(demo_project, "--claim", "Q98.1", "--fresh")
    assert demo_project.experiment_calls() == [0, 0]
    path = demo_project.path / "claims" / "q98_extra.py"
    path.write_text(path.read_text().replace('statement="counted"', 'statement="counted!"'))
    run(demo_project, "--claim", "Q98.1")
    assert demo_project.experiment_calls() == [0, 0, 0]  # its file changed
