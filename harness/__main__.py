"""Command line of the harness.

    python -m harness list [--json] [--question N]   the catalogue and each claim's status
    python -m harness report [--run N] [--partial]   rebuild the report from the store
    python -m harness register [--amend ID --reason TEXT]   pre-register hypotheses
    python -m harness compare A.json B.json ...      verdicts side by side (e.g. torch versions)

Every error is one line on stderr and a non-zero exit; nothing is written when a command fails.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tabulate import tabulate

from . import catalogue, preregistration, report
from .claim import ClaimDefinitionError
from .result import ClaimResult
from .session import HarnessUsageError, Options, Session
from .store import StoreError


def cmd_list(args) -> int:
    claims = catalogue.load_all()
    if args.question:
        claims = [c for c in claims if c.question == args.question]
    if args.json:
        json.dump(
            [
                {
                    "id": c.id,
                    "question": c.question,
                    "kind": c.kind.value,
                    "status": c.status,
                    "expect": c.expect.value if c.expect else None,
                    "quote": c.quote,
                    "statement": c.statement,
                }
                for c in claims
            ],
            sys.stdout,
            ensure_ascii=False,
            indent=1,
        )
        print()
        return 0
    rows = [
        (
            c.id,
            c.kind.value,
            c.status,
            c.expect.value if c.expect else "",
            report.short(c.statement, 70),
        )
        for c in claims
    ]
    print(tabulate(rows, headers=["id", "kind", "status", "recorded", "statement"]))
    implemented = sum(c.status == "implemented" for c in claims)
    print(f"\n{len(claims)} claims; {implemented} with a check")
    return 0


def cmd_report(args) -> int:
    session = Session(
        catalogue.ROOT, Options(store=args.store, report=args.output, replace_report=args.replace)
    )
    store = session.open(readonly=True)
    if args.run is not None:
        run = store.run(args.run)
        if run is None or not run["finished"]:
            raise HarnessUsageError(f"the store {store.path} has no finished run {args.run}")
    else:
        run = store.latest_run(complete_only=not args.partial)
        if run is None:
            raise HarnessUsageError(
                "the store holds no finished complete run: run `pytest claims/` (or pass "
                "--partial --output OTHER.md to report the latest partial run)"
            )
    claims = catalogue.load_all()
    out = report.write(
        Path(args.output),
        store,
        run["id"],
        claims,
        catalogue.departures(),
        replace_full=args.replace,
        ledger=session.ledger(),
    )
    print(f"report for run {run['id']} written to {out}")
    return 0


def cmd_register(args) -> int:
    if len(args.amend) != len(args.reason):
        raise HarnessUsageError("give one --reason for each --amend")
    amend = dict(zip(args.amend, args.reason))
    if any(not r.strip() for r in amend.values()):
        raise HarnessUsageError("an amendment needs a reason")
    if args.files:  # only these question files (the rest of the ledger is left alone)
        claims = [c for f in args.files for c in catalogue.load_module(Path(f))]
        catalogue.check(claims)
    else:
        claims = catalogue.load_all()
    try:
        changes = preregistration.register(claims, amend=amend, only=bool(args.files))
    except ValueError as exc:
        raise HarnessUsageError(str(exc)) from None
    if changes:
        print("\n".join(changes))
    ledger = preregistration.load()
    changed = [c.id for c in claims if "changed since" in preregistration.problem(c, ledger)]
    if changed:  # left alone: a change needs its reason
        print(
            f"changed since registration, not marked: {', '.join(changed)} -- amend each "
            "with --amend ID --reason '...'",
            file=sys.stderr,
        )
        return 1
    if not changes:
        print("the ledger is up to date")
    return 0


def cmd_compare(args) -> int:
    """Verdicts of several reports side by side; claims whose verdicts differ are flagged."""
    columns, verdicts = [], {}
    for path in args.reports:
        try:
            doc = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise HarnessUsageError(f"cannot read report {path}: {exc}") from None
        prov = doc.get("provenance", {})
        columns.append(f"torch {prov.get('torch', '?')}" if args.by == "torch" else str(path))
        for c in doc.get("claims", []):
            r = c.get("result")
            verdicts.setdefault(c["id"], {})[path] = (
                ClaimResult.from_json(r).verdict.value if r else "not run"
            )
    rows, differ = [], 0
    for cid in sorted(verdicts, key=catalogue.id_sort_key):
        vs = [verdicts[cid].get(p, "absent") for p in args.reports]
        flag = "DIFFERS" if len(set(vs)) > 1 else ""
        differ += bool(flag)
        if flag or not args.only_differences:
            rows.append([cid, *vs, flag])
    print(tabulate(rows, headers=["id", *columns, ""]))
    print(f"\n{differ} of {len(verdicts)} claims differ")
    return 1 if differ and args.strict else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m harness",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("list", help="the claim catalogue with each claim's status")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--question", type=int, help="only this question's claims")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("report", help="rebuild the report from the store without rerunning")
    p.add_argument("--store", help="results database (default .harness/trials.sqlite)")
    p.add_argument(
        "--output",
        default=str(catalogue.ROOT / "reports" / "verdicts.md"),
        help="the markdown report to write (.md; the JSON goes beside it)",
    )
    p.add_argument("--run", type=int, help="a run id (default: the latest finished full run)")
    p.add_argument("--partial", action="store_true", help="allow the latest partial run")
    p.add_argument(
        "--replace", action="store_true", help="let a partial run's report replace a complete run's"
    )
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("register", help="record hypotheses in claims/preregistration/")
    p.add_argument("files", nargs="*", help="question files to register (default: all)")
    p.add_argument(
        "--amend",
        action="append",
        default=[],
        metavar="ID",
        help="record a changed hypothesis of this claim (with --reason)",
    )
    p.add_argument("--reason", action="append", default=[], help="why it changed")
    p.set_defaults(func=cmd_register)
    p = sub.add_parser("compare", help="verdicts of several reports (verdicts.json) side by side")
    p.add_argument("reports", nargs="+", help="verdicts.json files")
    p.add_argument(
        "--by",
        choices=("torch", "path"),
        default="torch",
        help="label columns by torch version (default) or by path",
    )
    p.add_argument("--only-differences", action="store_true")
    p.add_argument("--strict", action="store_true", help="exit 1 when any verdict differs")
    p.set_defaults(func=cmd_compare)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (HarnessUsageError, StoreError, report.ReportError, ClaimDefinitionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
