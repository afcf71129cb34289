"""The pytest plugin: outcome mapping, exit codes, options, selection and the report."""
import json

import pytest

HEADER = "from harness import *\nfrom demo_experiments import demo, broken\n"


def run(p, *args):
    return p.runpytest("claims/", "-p", "no:cacheprovider", *args)


def test_each_verdict_maps_to_its_outcome(demo_project):
    result = run(demo_project, "-v")
    outcomes = result.parseoutcomes()
    assert outcomes == {"passed": 2, "xfailed": 1, "inconclusive": 1, "skipped": 2}
    result.stdout.fnmatch_lines(["*Q99.1 SUPPORTED*", "*Q99.2 XFAIL*REFUTED, as recorded*",
                                 "*Q99.3 INCONCLUSIVE*", "*Q99.5 SKIPPED*NOT TESTABLE*",
                                 "*Q99.6 SKIPPED*PENDING*"])
    assert result.ret == 0


def test_terminal_summary_ends_with_the_verdict_table(demo_project):
    result = run(demo_project)
    result.stdout.fnmatch_lines(["*claim verdicts*", "id*verdict*recorded*effect*seeds",
                                 "Q99.1*SUPPORTED*SUPPORTED*", "Q99.3*INCONCLUSIVE*"])


@pytest.mark.parametrize("expect, outcome", [
    ("Verdict.SUPPORTED", "failed"),      # refuted but recorded as supported
    ("None", "failed"),                   # refuted and nothing recorded
    ("Verdict.INCONCLUSIVE", "failed"),
])
def test_an_unrecorded_refutation_fails(demo_project, expect, outcome):
    demo_project.add_claims(HEADER + f"""
claim("Q98.1", quote="q", statement="b beats a", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=3.0), Compare("b", "a")), expect={expect})
""")
    result = run(demo_project, "-k", "Q98")
    assert result.parseoutcomes() == {outcome: 1, "deselected": 6}
    result.stdout.fnmatch_lines(["*verdict REFUTED, but the claim records*"])
    assert result.ret == 1


def test_a_supported_claim_recorded_as_refuted_fails_strictly(demo_project):
    demo_project.add_claims(HEADER + """
claim("Q98.1", quote="q", statement="a beats b", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=3.0), Compare("a", "b")), expect=Verdict.REFUTED)
""")
    result = run(demo_project, "-k", "Q98")
    assert result.parseoutcomes()["failed"] == 1
    result.stdout.fnmatch_lines(["*verdict SUPPORTED, but the claim records REFUTED*"])


def test_an_unrecorded_inconclusive_verdict_fails(demo_project):
    demo_project.add_claims(HEADER + """
claim("Q98.1", quote="q", statement="alike", kind=Kind.EMPIRICAL,
      check=Empirical(demo(shift=0.0), Equivalent("a", "b", margin=0.01)))
""")
    result = run(demo_project, "-k", "Q98")
    assert result.parseoutcomes() == {"failed": 1, "deselected": 6}


def test_a_crashing_experiment_is_an_error_and_others_still_run(demo_project):
    demo_project.add_claims(HEADER + """
claim("Q98.1", quote="q", statement="x", kind=Kind.EMPIRICAL,
      check=Empirical(broken(), Compare("a", "b")), expect=Verdict.SUPPORTED)
""")
    result = run(demo_project)
    outcomes = result.parseoutcomes()
    assert outcomes["errors"] == 1 and outcomes["passed"] == 2
    result.stdout.fnmatch_lines(["*simulated crash in the experiment*"])
    assert result.ret == 1


def test_diverged_runs_give_a_clear_error(demo_project):
    demo_project.add_claims(HEADER + """
claim("Q98.1", quote="q", statement="x", kind=Kind.EMPIRICAL,
      check=Empirical(demo(diverge=True), Compare("a", "b")), expect=Verdict.SUPPORTED)
""")
    result = run(demo_project, "-k", "Q98")
    assert result.parseoutcomes()["errors"] == 1
    result.stdout.fnmatch_lines(["*5 of 5 seeds diverged*'a'*NaN*kept in the store*"])


def test_a_bad_claim_definition_is_a_collection_error(demo_project):
    demo_project.add_claims(HEADER + """
claim("Q98.1", quote="q", statement="an opinion without a reason", kind=Kind.OPINION)
""")
    result = run(demo_project)
    result.stdout.fnmatch_lines(["*claim Q98.1*needs a reason*"])
    assert result.ret == 2


def test_k_selects_claims_by_id_and_markers_by_kind(demo_project):
    result = run(demo_project, "-k", "Q99.4")
    assert result.parseoutcomes() == {"passed": 1, "deselected": 5}
    result = run(demo_project, "-m", "opinion")
    assert result.parseoutcomes() == {"skipped": 1, "deselected": 5}
    result = run(demo_project, "-m", "q99 and empirical")
    assert result.parseoutcomes()["deselected"] == 2


def test_nothing_selected_exits_5(demo_project):
    assert run(demo_project, "-k", "Q12345").ret == 5


@pytest.mark.parametrize("args", [["--seeds", "1"], ["--profile", "huge"], ["--adjust", "x"]])
def test_bad_options_are_usage_errors(demo_project, args):
    result = run(demo_project, *args)
    assert result.ret == 4


def test_seeds_option_fixes_the_number_of_seeds(demo_project):
    result = run(demo_project, "--seeds", "7")
    result.stdout.fnmatch_lines(["Q99.1*SUPPORTED*  7", "Q99.3*INCONCLUSIVE*  7"])


def test_profiles_set_the_seed_budget(demo_project):
    result = run(demo_project, "--profile", "smoke", "-k", "Q99.3")
    result.stdout.fnmatch_lines(["Q99.3*  3"])
    result = run(demo_project, "-k", "Q99.3")          # standard: looks of 5, 10, 20
    result.stdout.fnmatch_lines(["Q99.3*  20"])


def test_a_rerun_reuses_stored_trials_and_fresh_ignores_them(demo_project):
    run(demo_project, "--seeds", "6")
    first = demo_project.experiment_calls()
    assert sum(first) == 12                      # two protocols, 6 seeds each
    run(demo_project, "--seeds", "6")
    assert demo_project.experiment_calls() == first      # all from the store
    run(demo_project, "--seeds", "8")
    assert demo_project.experiment_calls()[len(first):] == [2, 2]   # only the missing seeds
    run(demo_project, "--seeds", "8", "--fresh")
    assert demo_project.experiment_calls()[len(first) + 2:] == [8, 8]


def test_a_full_run_writes_the_report_and_a_partial_run_does_not(demo_project):
    result = run(demo_project)
    report = demo_project.path / "reports" / "verdicts.md"
    assert report.exists() and (demo_project.path / "reports" / "verdicts.json").exists()
    result.stdout.fnmatch_lines(["report written to*verdicts.md"])
    report.unlink()
    result = run(demo_project, "-k", "Q99.1")
    assert not report.exists()
    result.stdout.fnmatch_lines(["partial run*--report PATH*"])
    target = demo_project.path / "elsewhere" / "partial.md"
    run(demo_project, "-k", "Q99.1", "--report", str(target))
    doc = json.loads(target.with_suffix(".json").read_text())
    assert [c["id"] for c in doc["claims"]] == ["Q99.1"]


def test_store_option_and_environment_choose_the_database(demo_project, monkeypatch):
    db = demo_project.path / "custom.sqlite"
    run(demo_project, "--store", str(db), "-k", "Q99.4")
    assert db.exists()
    other = demo_project.path / "env.sqlite"
    monkeypatch.setenv("HARNESS_STORE", str(other))
    run(demo_project, "-k", "Q99.4")
    assert other.exists()


def test_an_unreadable_store_is_reported_on_every_item(demo_project):
    bad = demo_project.path / "bad.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    result = run(demo_project, "--store", str(bad), "-k", "Q99.1")
    result.stdout.fnmatch_lines(["*results store*unreadable*--store*"])
    assert result.ret == 1


def test_the_multiplicity_family_is_the_whole_catalogue_whatever_the_selection(demo_project):
    """A subset run adjusts over every empirical claim of the catalogue: stored p-values for
    the claims it does not run, p = 1 (conservative) for those never run."""
    def extra(args):
        target = demo_project.path / "partial.md"
        run(demo_project, *args, "--report", str(target))
        doc = json.loads(target.with_suffix(".json").read_text())
        return next(c for c in doc["claims"] if c["id"] == "Q99.1")["result"]["extra"]

    first = extra(["-k", "Q99.1"])            # fresh store: Q99.2 and Q99.3 never ran
    assert first["family size"] == 6 and first["family members never run (p = 1)"] == 2
    full = extra([])
    assert full["family size"] == 6 and "family members from earlier runs" not in full
    later = extra(["-k", "Q99.1"])
    assert later["family size"] == 6 and later["family members from earlier runs"] == 2


def test_a_claim_of_another_profile_is_not_run(demo_project):
    demo_project.add_claims(HEADER + """
claim("Q98.1", quote="q", statement="robustness", kind=Kind.EMPIRICAL, profiles=("full",),
      check=Empirical(demo(shift=3.0), Compare("a", "b")), expect=Verdict.SUPPORTED)
""")
    result = run(demo_project, "-k", "Q98", "-rs")
    assert result.parseoutcomes() == {"skipped": 1, "deselected": 6}
    result.stdout.fnmatch_lines(["*NOT RUN: runs only in the full profile*"])
    result = run(demo_project, "-k", "Q98", "--profile", "full")
    assert result.parseoutcomes() == {"passed": 1, "deselected": 6}
