"""The command line: `python -m harness list` and `python -m harness report`."""
import json
import subprocess
import sys

from harness import __main__ as cli
from harness import catalogue


def test_list_prints_the_catalogue_with_status(capsys):
    assert cli.main(["list"]) == 0
    out = capsys.readouterr().out
    assert "Q50.7" in out and "implemented" in out and "not testable" in out
    assert "testable claims implemented" in out


def test_list_json_is_machine_readable(capsys):
    assert cli.main(["list", "--json", "--question", "50"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(r["question"] == 50 for r in rows)
    assert {"id", "kind", "status", "expect", "quote", "statement"} <= set(rows[0])


def test_report_without_a_store_says_what_to_do(tmp_path, capsys):
    assert cli.main(["report", "--store", str(tmp_path / "none.sqlite")]) == 1
    assert "run `pytest claims/` first" in capsys.readouterr().err


def test_report_rebuilds_from_the_latest_full_run(tmp_path, capsys):
    from harness.store import Store
    store = Store(tmp_path / "s.sqlite")
    run = store.start_run("standard", True, {"profile": "standard"})
    store.save_result(run, "Q50.1", {"claim_id": "Q50.1", "kind": "opinion",
                                     "verdict": "NOT TESTABLE", "expect": None})
    store.finish_run(run)
    store.close()
    out = tmp_path / "r" / "verdicts.md"
    assert cli.main(["report", "--store", str(tmp_path / "s.sqlite"), "--output", str(out)]) == 0
    assert "### Q50.1 — NOT TESTABLE" in out.read_text()
    assert "not run" in out.read_text()       # claims without a result in that run


def test_module_entry_point_runs():
    done = subprocess.run([sys.executable, "-m", "harness", "--help"], capture_output=True,
                          text=True, cwd=catalogue.ROOT)
    assert done.returncode == 0 and "list" in done.stdout and "report" in done.stdout
