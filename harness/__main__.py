"""Command line: ``python -m harness list`` and ``python -m harness report``."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from tabulate import tabulate

from . import catalogue, report
from .store import Store


def _store_path(arg: str | None) -> Path:
    return Path(arg or os.environ.get("HARNESS_STORE") or catalogue.ROOT / ".harness" / "trials.sqlite")


def cmd_list(args) -> int:
    claims = catalogue.load_all()
    if args.question:
        claims = [c for c in claims if c.question == args.question]
    if args.json:
        json.dump([{"id": c.id, "question": c.question, "kind": c.kind.value, "status": c.status,
                    "expect": c.expect.value if c.expect else None, "quote": c.quote,
                    "statement": c.statement} for c in claims], sys.stdout, ensure_ascii=False,
                  indent=1)
        print()
        return 0
    rows = [(c.id, c.kind.value, c.status, c.expect.value if c.expect else "",
             report._short(c.statement, 70)) for c in claims]
    print(tabulate(rows, headers=["id", "kind", "status", "recorded", "statement"]))
    implemented = sum(c.status == "implemented" for c in claims)
    testable = sum(c.testable for c in claims)
    print(f"\n{len(claims)} claims; {implemented} of {testable} testable claims implemented")
    return 0


def cmd_report(args) -> int:
    path = _store_path(args.store)
    if not path.exists():
        print(f"no results store at {path}: run `pytest claims/` first", file=sys.stderr)
        return 1
    store = Store(path)
    run = store.latest_run(complete_only=not args.partial)
    if args.run is not None:
        run = {"id": args.run}
    if run is None:
        print("the store holds no finished full run: run `pytest claims/` "
              "(or pass --partial to use the latest partial run)", file=sys.stderr)
        return 1
    out = report.write(Path(args.output), store, run["id"])
    print(f"report for run {run['id']} written to {out}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", help="the claim catalogue with each claim's status")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--question", type=int, help="only this question's claims")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("report", help="rebuild the report from the store without rerunning")
    p.add_argument("--store", help="results database (default .harness/trials.sqlite)")
    p.add_argument("--output", default=str(catalogue.ROOT / "reports" / "verdicts.md"))
    p.add_argument("--run", type=int, help="a run id (default: the latest finished full run)")
    p.add_argument("--partial", action="store_true", help="allow the latest partial run")
    p.set_defaults(func=cmd_report)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
