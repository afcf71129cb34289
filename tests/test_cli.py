"""The command line: every error one line and a non-zero exit, and nothing written on failure."""

import json
import subprocess
import sys

import pytest

from harness.__main__ import main


def test_list_shows_the_catalogue(capsys):
    assert main(["list", "--question", "45"]) == 0
    out = capsys.readouterr().out
    assert "Q45.1 " in out and "claims" in out
    assert main(["list", "--question", "45", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"].startswith("Q45.")


def test_report_without_a_store_is_one_line(tmp_path, capsys):
    assert (
        main(
            ["report", "--store", str(tmp_path / "none.sqlite"), "--output", str(tmp_path / "v.md")]
        )
        == 1
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no results store" in err[0]
    assert not (tmp_path / "v.md").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--run", "9999"], "has no finished run 9999"),
        ([], "holds no finished complete run"),
        (["--output", "x.json"], "must end in .md"),
    ],
)
def test_report_refuses_what_would_destroy_or_misplace_a_report(tmp_path, capsys, args, message):
    from harness.store import Store

    Store(tmp_path / "s.sqlite").close()
    out = [] if "--output" in args else ["--output", str(tmp_path / "v.md")]
    code = main(["report", "--store", str(tmp_path / "s.sqlite"), *out, *args])
    assert code == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "v.md").exists()


def test_register_needs_a_reason_per_amendment(capsys):
    assert main(["register", "--amend", "Q45.1"]) == 1
    assert "one --reason for each --amend" in capsys.readouterr().err


def test_compare_flags_verdicts_that_differ(tmp_path, capsys):
    def report(path, torch, verdicts):
        doc = {
            "provenance": {"torch": torch},
            "claims": [
                {
                    "id": cid,
                    "result": {"claim_id": cid, "kind": "exact", "verdict": v, "expect": None},
                }
                for cid, v in verdicts.items()
            ],
        }
        path.write_text(json.dumps(doc))
        return str(path)

    a = report(tmp_path / "a.json", "2.13.0", {"Q45.1": "SUPPORTED", "Q45.2": "REFUTED"})
    b = report(tmp_path / "b.json", "2.14.1", {"Q45.1": "SUPPORTED", "Q45.2": "INCONCLUSIVE"})
    assert main(["compare", a, b]) == 0
    out = capsys.readouterr().out
    assert "torch 2.13.0" in out and "torch 2.14.1" in out
    assert "Q45.2" in out and "DIFFERS" in out and "1 of 2 claims differ" in out
    assert main(["compare", a, b, "--strict"]) == 1
    assert main(["compare", str(tmp_path / "missing.json")]) == 1


def test_the_module_runs_as_a_program():
    proc = subprocess.run(
        [sys.executable, "-m", "harness", "--help"], capture_output=True, text=True
    )
    assert proc.returncode == 0 and "register" in proc.stdout


def test_register_lists_changed_hypotheses_and_fails(tmp_path, monkeypatch, capsys):
    from harness import preregistration

    ledger = tmp_path / "prereg"
    monkeypatch.setattr(preregistration, "LEDGER", ledger)
    path = tmp_path / "q97_demo.py"
    source = (
        "from harness import *\n"
        "from benchmarks.sim_experiment import VALUE, values\n"
        "claim('Q97.1', quote='q', statement='s', kind=Kind.EMPIRICAL,\n"
        "      check=Empirical(values(), Compare(VALUE.at(), 0.0, min_effect=EFFECT)))\n"
    )
    path.write_text(source.replace("EFFECT", "1.0"))
    assert main(["register", str(path)]) == 0
    assert "Q97.1: registered" in capsys.readouterr().out
    import sys

    sys.modules.pop(__import__("harness.catalogue", fromlist=["x"]).module_name(path), None)
    path.write_text(source.replace("EFFECT", "2.0"))
    assert main(["register", str(path)]) == 1
    assert "changed since registration, not marked: Q97.1" in capsys.readouterr().err
