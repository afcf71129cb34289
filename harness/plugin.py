"""pytest integration: every claim in ``claims/qNN_*.py`` is a test item.

The claims are evaluated in ``pytest_runtestloop``: exact claims at once, empirical claims as
their sequential tests stop, each item reported the moment its verdict is final, so pytest's
own progress counts decided claims. Each item reports its verdict against what its claim
records:

* SUPPORTED passes; REFUTED fails, or is an xfail when the claim records REFUTED (strict: a
  SUPPORTED verdict for such a claim fails too);
* INCONCLUSIVE is its own outcome (``?``), never a pass, and fails unless it is recorded;
* NOT TESTABLE, PENDING and NOT RUN (another profile's claim) are skipped with their reason;
  a crashed experiment or check is an error.

The smoke profile checks the plumbing only: any verdict passes, errors still fail.

With pytest-xdist (``-n N``) the controller evaluates every selected claim once, with N local
worker processes computing trials, and the xdist workers only report the stored verdicts: no
trial is computed twice, and the controller shows progress and the one verdict table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import catalogue
from .claim import Claim, ClaimDefinitionError, Verdict
from .executors import ExecutorError
from .profiles import PROFILES
from .progress import Display
from .report import ReportError, verdict_table
from .result import ClaimResult
from .sequential import METHODS
from .session import HarnessUsageError, Options, Session
from .store import StoreError

STATE = pytest.StashKey["HarnessState"]()
KINDS = ("empirical", "exact", "protocol", "definitional", "citation", "opinion", "historical")


def pytest_addoption(parser):
    group = parser.getgroup("harness", "claims verification")
    group.addoption(
        "--profile",
        choices=sorted(PROFILES),
        default="standard",
        help="seed schedule: smoke (plumbing only), standard (default), "
        "full (more seeds, robustness variants)",
    )
    group.addoption(
        "--seeds", type=int, default=None, help="exactly N seeds per empirical claim (one look)"
    )
    group.addoption(
        "--claim",
        action="append",
        default=[],
        metavar="ID",
        help="run only this claim (exact id, e.g. Q45.1; repeatable)",
    )
    group.addoption(
        "--fresh",
        action="store_true",
        help="recompute every trial this run needs (stored ones are replaced as new ones come in)",
    )
    group.addoption(
        "--store",
        default=None,
        help="results database (default $HARNESS_STORE or .harness/trials.sqlite)",
    )
    group.addoption(
        "--report",
        default=None,
        help="write the report here (default reports/verdicts.md after a complete "
        "run; a partial run writes one only when this is given)",
    )
    group.addoption(
        "--replace-report",
        action="store_true",
        help="let a partial run's report replace a complete run's",
    )
    group.addoption(
        "--adjust",
        choices=METHODS,
        default="shaffer",
        help="multiplicity control: shaffer (family-wise, default), by, bh, none",
    )
    group.addoption(
        "--family-size",
        type=int,
        default=None,
        metavar="N",
        help="count at least N hypotheses in the family (while a catalogue is "
        "being written, plan with the size it will have)",
    )
    group.addoption(
        "--verify",
        type=int,
        default=2,
        metavar="N",
        help="recompute N random chunks of the committed evidence and compare "
        "(default 2; 0: trust it)",
    )
    group.addoption(
        "--executor",
        default=None,
        help="where trials run: processes[:N] (default, one per core), serial, or dask://HOST:PORT",
    )


def _is_worker(config) -> bool:
    return hasattr(config, "workerinput")


def _is_controller(config) -> bool:
    return config.pluginmanager.hasplugin("dsession")


def pytest_configure(config):
    for kind in KINDS:
        config.addinivalue_line("markers", f"{kind}: a claim of kind {kind}")
    config.addinivalue_line("markers", "question(n): the seed question a claim comes from")
    config.addinivalue_line("markers", "expected(verdict): the verdict a claim records")
    executor = config.getoption("--executor")
    if executor is None and _is_controller(config):  # -n N: N local processes compute trials
        executor = f"processes:{config.getoption('numprocesses') or 1}"
    options = Options(
        profile=config.getoption("--profile"),
        seeds=config.getoption("--seeds"),
        fresh=config.getoption("--fresh"),
        store=config.getoption("--store"),
        report=config.getoption("--report"),
        replace_report=config.getoption("--replace-report"),
        adjust=config.getoption("--adjust"),
        executor=executor,
        family_size=config.getoption("--family-size"),
        verify=config.getoption("--verify"),
    )
    try:
        session = Session(config.rootpath, options)
    except HarnessUsageError as exc:
        raise pytest.UsageError(str(exc)) from None
    config.stash[STATE] = HarnessState(config, session)


# --- collection -------------------------------------------------------------------------------------
def _in_claims_dir(path: Path) -> bool:
    return path.parent.name == "claims"


def pytest_collect_file(file_path: Path, parent):
    if not (_in_claims_dir(file_path) and file_path.suffix == ".py"):
        return None
    if catalogue.CLAIM_FILE.match(file_path.name):
        return ClaimFile.from_parent(parent, path=file_path)
    if file_path.name not in catalogue.NOT_CLAIM_FILES:
        return MisnamedFile.from_parent(parent, path=file_path)
    return None


class _OneLine:
    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, (ClaimDefinitionError, ValueError, ImportError)):
            return f"{self.path.name}: {type(excinfo.value).__name__}: {excinfo.value}"
        return super().repr_failure(excinfo)


class MisnamedFile(_OneLine, pytest.File):
    def collect(self):
        raise ClaimDefinitionError(
            "not named like a claim file (qNN_topic.py, e.g. "
            "q45_imbalance.py): rename it, or move it out of claims/"
        )


class ClaimFile(_OneLine, pytest.File):
    def collect(self):
        claims = catalogue.load_module(self.path)
        catalogue.check(claims)
        for q in sorted({c.question for c in claims}):  # one marker per question, -m q45
            if not any(m.startswith(f"q{q}:") for m in self.config.getini("markers")):
                self.config.addinivalue_line("markers", f"q{q}: a claim of question {q}")
        for c in claims:
            yield ClaimItem.from_parent(self, name=c.id, claim=c)


class ExperimentError(Exception):
    """The claim's experiment, test or check crashed."""


class VerdictMismatchError(AssertionError):
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
        self.result = self.config.stash[STATE].result_for(self)
        if self.result.verdict is Verdict.ERROR:  # an error outcome, with the message only
            pytest.fail(f"{self.claim.id}: {self.result.detail}", pytrace=False)

    def runtest(self):
        r, expect = self.result, self.claim.expect
        if r.verdict is Verdict.NOT_TESTABLE:
            pytest.skip(f"NOT TESTABLE ({self.claim.kind.value}): {r.detail}")
        if r.verdict in (Verdict.PENDING, Verdict.NOT_RUN):
            pytest.skip(f"{r.verdict.value}: {r.detail}")
        if not self.config.stash[STATE].session.profile.checks_records:
            return  # smoke: the plumbing worked
        wanted = expect or Verdict.SUPPORTED
        if r.verdict is not wanted:
            why = f"; {r.why_open}" if r.why_open else ""
            raise VerdictMismatchError(
                f"verdict {r.verdict.value}, but the claim records "
                f"{expect.value if expect else 'nothing (so SUPPORTED is required)'}: "
                f"{r.detail}{why}"
            )
        if r.verdict is Verdict.REFUTED:
            pytest.xfail(f"REFUTED, as recorded: {r.detail}")

    def repr_failure(self, excinfo):
        if excinfo.errisinstance(pytest.xfail.Exception):  # REFUTED, as recorded: its message
            return str(excinfo.value)
        if isinstance(excinfo.value, (VerdictMismatchError, ExperimentError)):
            return f"{self.claim.id}: {excinfo.value}\n  quote: {self.claim.quote}"
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.claim.id} [{self.claim.kind.value}] {self.claim.statement}"


def pytest_collection_modifyitems(session, config, items):
    wanted = config.getoption("--claim")
    if not wanted:
        return
    ids = {i.claim.id for i in items if isinstance(i, ClaimItem)}
    unknown = sorted(set(wanted) - ids)
    if unknown and not _is_worker(config):
        raise pytest.UsageError(f"--claim {', '.join(unknown)}: no such claim id")
    keep = [i for i in items if not isinstance(i, ClaimItem) or i.claim.id in wanted]
    if len(keep) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep


def pytest_deselected(items):
    for item in items:
        if isinstance(item, ClaimItem):
            item.config.stash[STATE].deselected = True


# --- the run ------------------------------------------------------------------------------------------
@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    rep = yield
    if isinstance(item, ClaimItem) and item.result is not None:
        rep.verdict = item.result.verdict.value
    return rep


def pytest_report_teststatus(report, config):
    verdict = getattr(report, "verdict", None)
    if report.when == "call" and report.passed and verdict:
        if verdict == Verdict.INCONCLUSIVE.value:
            return "inconclusive", "?", "INCONCLUSIVE"
        return "passed", ".", verdict
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtestloop(session):
    config = session.config
    state = config.stash[STATE]
    if _is_worker(config):
        state.worker_run = config.workerinput.get("harness_run")
        return None  # items read the controller's verdicts from the store
    if session.testsfailed and not config.option.continue_on_collection_errors:
        return None  # pytest reports the collection errors and stops
    if config.option.collectonly:
        return None
    if _is_controller(config):
        if any("claims" in Path(a.split("::")[0]).parts for a in config.args):
            session.perform_collect()  # xdist's controller collects nothing by itself
            state.evaluate(session)
        return None  # xdist's loop sends the items to the workers
    if not any(isinstance(i, ClaimItem) for i in session.items):
        return None  # nothing of ours: pytest's own loop
    state.evaluate(session, run_items=True)
    return True


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node):  # xdist controller: tell each worker which run to read
    node.workerinput["harness_run"] = node.config.stash[STATE].reserve_run()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    state = config.stash.get(STATE, None)
    if state and state.results and not _is_worker(config):
        terminalreporter.section("claim verdicts")
        ordered = {
            cid: state.results[cid] for cid in sorted(state.results, key=catalogue.id_sort_key)
        }
        for line in verdict_table(ordered).splitlines():
            terminalreporter.write_line(line)
        for line in (state.session.loaded.summary(), state.note):
            if line:
                terminalreporter.write_line(line)


def pytest_unconfigure(config):
    state = config.stash.get(STATE, None)
    if state:
        state.session.close()


class HarnessState:
    """The pytest side of a session: the items, and the verdicts once decided."""

    def __init__(self, config, session: Session):
        self.config = config
        self.session = session
        self.items: list[ClaimItem] = []
        self.deselected = False
        self.results: dict[str, ClaimResult] = {}
        self.note = ""
        self.worker_run: int | None = None
        self.reserved: int | None = None

    def reserve_run(self) -> int:
        """The run id the xdist workers will read (created once, filled in later)."""
        if self.reserved is None:
            self.reserved = self.session.open().start_run(self.session.profile.name, False, {})
        return self.reserved

    @property
    def complete(self) -> bool:
        """The run covers every claim file of its claims directory and nothing was deselected."""
        if self.deselected or not self.items:
            return False
        files = {i.path for i in self.items}
        try:
            return all(set(catalogue.claim_files(d)) <= files for d in {p.parent for p in files})
        except ClaimDefinitionError:
            return False

    def _family(self, complete: bool) -> list[Claim]:
        """Every claim of the claims directories: multiplicity is controlled over all of them,
        whichever are selected. A partial run goes on without a question file that does not
        load (saying so); a complete run cannot."""
        try:
            return [
                c
                for d in sorted({i.path.parent for i in self.items})
                for c in catalogue.load_all(d, check_quotes=False)
            ]
        except ClaimDefinitionError as exc:
            if complete:
                raise
            reporter = self.config.pluginmanager.get_plugin("terminalreporter")
            if reporter is not None:
                reporter.write_line(
                    f"[harness] family: {exc}; counting the selected claims "
                    "only (use --family-size to plan with more)"
                )
            return [i.claim for i in self.items]

    def _progress(self) -> Display | None:
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is None or self.config.getoption("verbose") < 0:
            return None
        import os

        shown = {"on": False}

        def status(text: str) -> None:  # one line, redrawn in place
            if not shown["on"]:
                reporter.ensure_newline()
                shown["on"] = True
            reporter.rewrite(text[: reporter._tw.fullwidth - 1], erase=True)

        def clear() -> None:  # erase it, and step back so pytest's next newline lands here
            if shown["on"]:
                reporter.rewrite("", erase=True)
                reporter.write("\r\x1b[1A", flush=True)
                shown["on"] = False

        live = reporter.isatty and not os.environ.get("CI")
        workers = self.config.getoption("numprocesses", None) or os.cpu_count() or 1
        return Display(
            reporter.write_line,
            live=live,
            status=status,
            clear=clear,
            workers=workers if isinstance(workers, int) else 1,
        )

    def evaluate(self, session, *, run_items: bool = False) -> None:
        self.items = [i for i in session.items if isinstance(i, ClaimItem)]
        if not self.items:
            return
        by_id = {i.claim.id: i for i in self.items}
        progress = self._progress()

        def on_result(r: ClaimResult) -> None:
            self.results[r.claim_id] = r
            if run_items and r.claim_id in by_id and not session.shouldstop:
                if progress is not None:
                    progress.clear()
                item = by_id[r.claim_id]
                item.ihook.pytest_runtest_protocol(item=item, nextitem=None)

        claims = [i.claim for i in self.items]
        complete = self.complete
        try:
            family = self._family(complete)
            self.session.evaluate(
                claims,
                family,
                complete=complete,
                progress=progress,
                on_result=on_result,
                run_id=self.reserved,
            )
            self.note = self.session.write_report(
                claims, catalogue.departures(self.items[0].path.parent), complete
            )
        except (
            StoreError,
            ExecutorError,
            HarnessUsageError,
            ReportError,
            ClaimDefinitionError,
        ) as exc:
            pytest.exit(f"harness: {exc}", returncode=1)
        if run_items:  # any other items selected alongside the claims
            rest = [i for i in session.items if not isinstance(i, ClaimItem)]
            for i, item in enumerate(rest):
                item.ihook.pytest_runtest_protocol(
                    item=item, nextitem=rest[i + 1] if i + 1 < len(rest) else None
                )
                if session.shouldfail or session.shouldstop:
                    break

    def result_for(self, item: ClaimItem) -> ClaimResult:
        if item.claim.id in self.results:
            return self.results[item.claim.id]
        if self.worker_run is not None:  # an xdist worker: the controller decided
            stored = self.session.open(readonly=True).results(self.worker_run)
            self.results = {cid: ClaimResult.from_json(d) for cid, d in stored.items()}
            if item.claim.id in self.results:
                return self.results[item.claim.id]
        raise ExperimentError(f"no verdict was computed for {item.claim.id}")
