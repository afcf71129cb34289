"""pytest integration: every claim in ``claims/q??_*.py`` is a test item.

The verdicts of all selected claims are computed together when the first claim item is set
up -- trials are shared, seeds are added where verdicts are open, and p-values are adjusted
across the run -- then each item reports its own verdict against what the claim records:

* SUPPORTED passes; REFUTED fails, or is an xfail when the claim records REFUTED (strict: a
  SUPPORTED verdict for such a claim fails too);
* INCONCLUSIVE is its own outcome (``?``), never a pass, and fails unless it is recorded;
* NOT TESTABLE, PENDING and NOT RUN (another profile's claim) are skipped with their reason;
  a crashed experiment is an error.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from . import catalogue, report
from .claim import Claim, Verdict
from .profiles import PROFILES, get_profile
from .runner import ClaimResult, evaluate
from .multiplicity import METHODS
from .store import Store

STATE = pytest.StashKey["HarnessState"]()


def pytest_addoption(parser):
    group = parser.getgroup("harness", "claims verification")
    group.addoption("--profile", choices=sorted(PROFILES), default="standard",
                    help="seed budget: smoke (plumbing), standard (default), full (+robustness)")
    group.addoption("--seeds", type=int, default=None,
                    help="run exactly N seeds per empirical claim (no adaptive looks)")
    group.addoption("--fresh", action="store_true", help="ignore cached trials and rerun them")
    group.addoption("--store", default=None,
                    help="results database (default $HARNESS_STORE or .harness/trials.sqlite)")
    group.addoption("--report", default=None,
                    help="write the report here (default reports/verdicts.md after a full run; "
                         "a partial run writes one only when this is given)")
    group.addoption("--adjust", choices=sorted(METHODS), default="holm",
                    help="multiplicity control across the run's claims (default holm)")


def pytest_configure(config):
    for kind in ("empirical", "exact", "protocol", "definitional", "citation", "opinion",
                 "historical"):
        config.addinivalue_line("markers", f"{kind}: a claim of kind {kind}")
    config.addinivalue_line("markers", "question(n): the seed question a claim comes from")
    config.addinivalue_line("markers", "expected(verdict): the verdict a claim records")
    try:
        profile = get_profile(config.getoption("--profile"), config.getoption("--seeds"))
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[STATE] = HarnessState(config, profile)


def pytest_collect_file(file_path: Path, parent):
    if file_path.parent.name == "claims" and catalogue.CLAIM_FILE.match(file_path.name):
        return ClaimFile.from_parent(parent, path=file_path)
    return None


class ClaimFile(pytest.File):
    def collect(self):
        for claim in catalogue.load_module(self.path):
            marker = f"q{claim.question}"
            if marker not in self.config.getini("markers"):
                self.config.addinivalue_line("markers", f"{marker}: a claim of question {claim.question}")
            yield ClaimItem.from_parent(self, name=claim.id, claim=claim)


class ExperimentError(Exception):
    """The claim's experiment or test crashed."""


class VerdictMismatch(AssertionError):
    """The verdict differs from what the claim records."""


class ClaimItem(pytest.Item):
    def __init__(self, *, claim: Claim, **kwargs):
        super().__init__(**kwargs)
        self.claim = claim
        self.result: ClaimResult | None = None
        self.add_marker(claim.kind.value)
        self.add_marker(pytest.mark.question(claim.question))
        self.add_marker(f"q{claim.question}")
        if claim.expect:
            self.add_marker(pytest.mark.expected(claim.expect.value))

    def setup(self):
        state = self.config.stash[STATE]
        self.result = state.result_for(self)
        if self.result.verdict is Verdict.ERROR:
            raise ExperimentError(self.result.detail)

    def runtest(self):
        r, expect = self.result, self.claim.expect
        if r.verdict is Verdict.NOT_TESTABLE:
            pytest.skip(f"NOT TESTABLE ({self.claim.kind.value}): {r.detail}")
        if r.verdict in (Verdict.PENDING, Verdict.NOT_RUN):
            pytest.skip(f"{r.verdict.value}: {r.detail}")
        wanted = expect or Verdict.SUPPORTED
        if r.verdict is not wanted:
            raise VerdictMismatch(
                f"verdict {r.verdict.value}, but the claim records "
                f"{expect.value if expect else 'nothing (so SUPPORTED is required)'}: {r.detail}")
        if r.verdict is Verdict.REFUTED:
            pytest.xfail(f"REFUTED, as recorded: {r.detail}")

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, (VerdictMismatch, ExperimentError)):
            return f"{self.claim.id}: {excinfo.value}\n  quote: {self.claim.quote}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.claim.id} [{self.claim.kind.value}] {self.claim.statement}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if isinstance(item, ClaimItem) and item.result is not None:
        report.verdict = item.result.verdict.value
    return report


def pytest_report_teststatus(report, config):
    if report.when == "call" and getattr(report, "verdict", None) == Verdict.INCONCLUSIVE.value \
            and report.passed:
        return "inconclusive", "?", "INCONCLUSIVE"
    if report.when == "call" and report.passed and getattr(report, "verdict", None):
        return "passed", ".", report.verdict
    return None


def pytest_deselected(items):
    for item in items:
        if isinstance(item, ClaimItem):
            item.config.stash[STATE].deselected = True


def pytest_collection_finish(session):
    state = session.config.stash[STATE]
    state.items = [i for i in session.items if isinstance(i, ClaimItem)]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    state = config.stash.get(STATE, None)
    if state and state.results:
        terminalreporter.section("claim verdicts")
        for line in report.verdict_table(state.results).splitlines():
            terminalreporter.write_line(line)
        if state.report_note:
            terminalreporter.write_line(state.report_note)


def pytest_sessionfinish(session, exitstatus):
    state = session.config.stash.get(STATE, None)
    if state:
        state.finish()


class HarnessState:
    """The run: its store, the selected claims and, once computed, their results."""

    def __init__(self, config, profile):
        self.config = config
        self.profile = profile
        self.items: list[ClaimItem] = []
        self.deselected = False
        self.results: dict[str, ClaimResult] = {}
        self.store: Store | None = None
        self.run_id: int | None = None
        self.failure: str | None = None
        self.report_note = ""

    def store_path(self) -> Path:
        option = self.config.getoption("--store") or os.environ.get("HARNESS_STORE")
        return Path(option) if option else self.config.rootpath / ".harness" / "trials.sqlite"

    @property
    def complete(self) -> bool:
        """The run covers every claim file of its claims directory and nothing was deselected."""
        if self.deselected or not self.items:
            return False
        files = {i.path for i in self.items}
        directories = {p.parent for p in files}
        return all(set(catalogue.claim_files(d)) <= files for d in directories)

    def result_for(self, item: ClaimItem) -> ClaimResult:
        if not self.results and self.failure is None:
            self._evaluate()
        if self.failure is not None:
            raise ExperimentError(self.failure)
        return self.results[item.claim.id]

    def _evaluate(self):
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        capture = self.config.pluginmanager.get_plugin("capturemanager")

        def progress(message):
            if reporter is None or self.config.getoption("verbose") < 0:
                return
            with capture.global_and_fixture_disabled():  # setup output is captured otherwise
                reporter.write_line(f"[harness] {message}")
        adjust = self.config.getoption("--adjust")
        try:
            self.store = Store(self.store_path())
            meta = {**report.provenance(self.profile), "adjustment": adjust}
            self.run_id = self.store.start_run(self.profile.name, self.complete, meta)
            claims = [i.claim for i in self.items]
            family = [c for d in sorted({i.path.parent for i in self.items})
                      for c in catalogue.load_all(d)]
            self.results = evaluate(claims, self.store, self.profile, family=family,
                                    fresh=self.config.getoption("--fresh"),
                                    adjust=adjust, progress=progress)
            for cid, r in self.results.items():
                self.store.save_result(self.run_id, cid, r.to_json())
        except Exception as exc:  # the whole evaluation failed: every item reports why
            self.failure = f"{type(exc).__name__}: {exc}"

    def finish(self):
        if self.store is None or self.run_id is None or not self.results:
            return
        self.store.finish_run(self.run_id)
        target = self.config.getoption("--report")
        if target is None and self.complete:
            target = self.config.rootpath / "reports" / "verdicts.md"
        if target is None:
            self.report_note = ("partial run: reports/verdicts.md left as it is "
                                "(pass --report PATH to write this run's report)")
        else:
            path = report.write(Path(target), self.store, self.run_id,
                                [i.claim for i in self.items])
            self.report_note = f"report written to {path}"
        self.store.close()
