"""One run of the harness, shared by the pytest plugin and the command line: options checked up
front (one clear line for anything wrong, before any work), the store, the run's provenance,
evaluation, and the report at the end."""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import catalogue, evidence, executors, original, preregistration, report
from .claim import Claim, Departure, Empirical, Verdict
from .profiles import Profile, get_profile
from .result import ClaimResult
from .runner import Progress, Runner, family_size
from .sequential import METHODS, Family
from .store import Store, check_path, torch_version


class HarnessUsageError(ValueError):
    """A bad option or path: reported as one line, nothing is run or changed."""


@dataclass
class Options:
    profile: str = "standard"
    seeds: int | None = None
    fresh: bool = False
    store: str | None = None
    report: str | None = None
    replace_report: bool = False
    adjust: str = "shaffer"
    executor: str | None = None
    family_size: int | None = None  # plan with a larger family than the claims present
    verify: int = 2  # evidence chunks to recompute at the start of a run


class Session:
    def __init__(self, root: Path, options: Options):
        self.root = Path(root)
        self.options = options
        try:
            self.profile: Profile = get_profile(options.profile, options.seeds)
        except ValueError as exc:
            raise HarnessUsageError(str(exc)) from None
        if options.adjust not in METHODS:
            raise HarnessUsageError(
                f"--adjust {options.adjust!r}: choose one of {', '.join(METHODS)}"
            )
        try:
            check_path(self.store_path)
            if options.report:
                report.check_target(Path(options.report))
        except (report.ReportError, ValueError, RuntimeError) as exc:
            raise HarnessUsageError(str(exc)) from None
        self.executor_spec = options.executor
        if options.verify < 0:
            raise HarnessUsageError("--verify must be 0 or more")
        self.store: Store | None = None
        self.run_id: int | None = None
        self.results: dict[str, ClaimResult] = {}
        self.loaded = evidence.Loaded()

    @property
    def evidence_dir(self) -> Path:
        return self.root / "reports" / "evidence"

    # --- places --------------------------------------------------------------------------------
    @property
    def store_path(self) -> Path:
        option = self.options.store or os.environ.get("HARNESS_STORE")
        return Path(option) if option else self.root / ".harness" / "trials.sqlite"

    def report_target(self, complete: bool) -> Path | None:
        if self.options.report:
            return Path(self.options.report)
        return self.root / "reports" / "verdicts.md" if complete else None

    # --- the run -----------------------------------------------------------------------------------
    def open(self, *, readonly: bool = False) -> Store:
        if self.store is None:
            self.store = Store(self.store_path, readonly=readonly)
        return self.store

    def provenance(self, family: Sequence[Claim], complete: bool) -> dict:
        import numpy
        import scipy

        size = max(family_size(family, self.profile), self.options.family_size or 0)
        meta = {
            "python": platform.python_version(),
            "torch": torch_version(),
            "numpy": numpy.__version__,
            "scipy": scipy.__version__,
            "profile": self.profile.name,
            "seed schedule": self.profile.schedule.text(),
            "look weights": "/".join(f"{w:g}" for w in self.profile.schedule.weights),
            "error control": Family(size, self.options.adjust).guarantee(),
            "adjustment": self.options.adjust,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
            "protocols file": _describe(original.protocols_path(), original.protocols_hash()),
            "seed text": _describe(catalogue.seed_path(), catalogue.seed_hash()),
            "code": code_hash(self.root),
        }
        changed = uncommitted(self.root)
        if changed:
            meta["uncommitted files"] = ", ".join(changed)
        return meta

    def evaluate(
        self,
        claims: Sequence[Claim],
        family: Sequence[Claim],
        *,
        complete: bool,
        progress: Progress | None = None,
        on_result: Callable[[ClaimResult], None] = lambda r: None,
        run_id: int | None = None,
    ) -> dict[str, ClaimResult]:
        """Evaluate ``claims`` (multiplicity over ``family``); each result is saved as it comes,
        so an interrupted run keeps what it decided. ``run_id``: a run reserved earlier (xdist
        workers were told to read it)."""
        store = self.open()
        try:
            executor = executors.make(self.executor_spec)
        except executors.ExecutorError as exc:
            raise HarnessUsageError(str(exc)) from None
        meta = self.provenance(family, complete)
        if run_id is None:
            self.run_id = store.start_run(self.profile.name, complete, meta)
        else:
            self.run_id = run_id
            store.update_run(run_id, complete, meta)
        # The smoke profile checks plumbing only: it runs claims not yet registered.
        ledger = self.ledger() if self.profile.checks_records else None
        blocked = {c.id: preregistration.problem(c, ledger) for c in claims}
        runnable = [c for c in claims if not blocked[c.id]]

        def done(r: ClaimResult) -> None:
            self.results[r.claim_id] = r
            store.save_result(self.run_id, r.claim_id, r.to_json())
            on_result(r)

        for c in claims:
            if blocked[c.id]:
                done(ClaimResult(c.id, c.kind.value, Verdict.ERROR, c.expect, detail=blocked[c.id]))
        if not self.options.fresh:  # the committed evidence: load it, and check a sample
            protocols = {c.check.protocol.key: c.check.protocol for c in empirical(runnable)}
            self.loaded = evidence.load(self.evidence_dir, store, list(protocols.values()))
            evidence.verify(self.loaded, store, executor, self.options.verify)
        runner = Runner(
            store,
            self.profile,
            family=family,
            method=self.options.adjust,
            executor=executor,
            fresh=self.options.fresh,
            progress=progress,
            family_size=self.options.family_size,
        )
        try:
            runner.evaluate(runnable, on_result=done)
        finally:
            executor.close()
        store.finish_run(self.run_id)
        return {c.id: self.results[c.id] for c in claims}

    def write_report(
        self, claims: Sequence[Claim], departures: Sequence[Departure], complete: bool
    ) -> str:
        """Write the run's report where it belongs; returns a line saying what was done."""
        target = self.report_target(complete)
        if target is None:
            return (
                "partial run: reports/verdicts.md left as it is (pass --report PATH to "
                "write this run's report)"
            )
        path = report.write(
            target,
            self.store,
            self.run_id,
            claims,
            departures,
            replace_full=self.options.replace_report,
            ledger=self.ledger(),
        )
        if complete and not self.options.report:  # the evidence behind the committed report
            used = report.figure_inputs(self.store, claims, self.results, plots_only=False)
            evidence.export(self.evidence_dir, self.store, used)
        return f"report written to {path}"

    def ledger(self) -> dict | None:
        return preregistration.load(self.root / "claims" / "preregistration")

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None


def _describe(path: Path, digest: str) -> str:
    try:
        shown = path.resolve().relative_to(catalogue.ROOT)
    except ValueError:
        shown = path  # an override outside the project: named in full
    return f"{shown} (sha256 {digest})"


def code_hash(root: Path) -> str:
    """A hash of everything that decides a verdict: claims, experiments, harness."""
    digest = hashlib.sha256()
    for folder in ("claims", "experiments", "harness", "references"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".md", ".txt", ".json", ".toml"):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def uncommitted(root: Path) -> list[str]:
    """Claim, experiment and harness files that are untracked or modified (git status)."""
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--", "claims", "experiments", "harness"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(line[3:] for line in out.splitlines() if line.strip())


def empirical(claims: Sequence[Claim]) -> list[Claim]:
    return [c for c in claims if isinstance(c.check, Empirical)]
