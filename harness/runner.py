"""Evaluates claims: runs the missing trials, applies each claim's test at each look of its
schedule, stops the claims that are decided, and applies the family's multiplicity control.

Claims that cite the same test on the same protocol share one hypothesis (and count once in the
family). Protocols advance independently: as soon as a protocol's trials for a look are in, its
claims are tested and the next look's seeds are asked for, so the executor's workers stay busy.
With Bonferroni-Shaffer control a claim's verdict is final when it stops, and ``on_result`` hears
of it then; with BH/BY every verdict waits for the end of the run.
"""

from __future__ import annotations

import functools
import hashlib
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .claim import Claim, Empirical, Exact, Kind, Verdict
from .executors import Executor, Job, Serial
from .experiment import DivergedError, Protocol, Trials
from .measures import MeasureError
from .preregistration import divergence_text
from .profiles import Profile
from .result import ClaimResult, TestResult
from .sequential import CODES, Family, Schedule, Sequential, verdicts
from .stats import ALPHA, quiet
from .store import Store, torch_version

HARNESS_DIR = Path(__file__).resolve().parent


class Progress:
    """What the runner reports while it works (silent by default)."""

    def plan(self, key: str, label: str, need: int, cached: int, compute: int) -> None: ...

    def computed(self, key: str, seeds: int, seconds: float) -> None: ...

    def decided(self, n: int) -> None: ...

    def finish(self) -> None: ...


# --- claims that need no experiment ---------------------------------------------------------------
def not_tested(claim: Claim, profile: Profile) -> ClaimResult | None:
    """The result of a claim that is not run under ``profile``, or None."""
    if claim.check is None:
        verdict = Verdict.PENDING if claim.status == "pending" else Verdict.NOT_TESTABLE
        detail = claim.reason or "its check is not written yet"
        return ClaimResult(claim.id, claim.kind.value, verdict, claim.expect, detail=detail)
    if claim.profiles and profile.name not in claim.profiles:
        return ClaimResult(
            claim.id,
            claim.kind.value,
            Verdict.NOT_RUN,
            claim.expect,
            detail=f"runs only in the {'/'.join(claim.profiles)} profile",
        )
    return None


def evaluate_exact(claim: Claim) -> ClaimResult:
    """Run an exact check: it asserts the claim and returns None or a one-line detail."""
    check: Exact = claim.check
    try:
        outcome = check.fn()
        if outcome is not None and not isinstance(outcome, str):
            verdict = Verdict.ERROR
            detail = (
                f"the check returned {type(outcome).__name__}; an exact check asserts the "
                "claim and returns None or a one-line detail"
            )
        else:
            verdict, detail = Verdict.SUPPORTED, outcome or ""
    except AssertionError as exc:
        notes = getattr(exc, "__notes__", [])
        verdict = Verdict.REFUTED
        detail = " ".join([str(exc) or "the assertion does not hold", *notes]).strip()
    except Exception:  # noqa: BLE001 - the check crashed: no verdict, the trace says where
        verdict, detail = Verdict.ERROR, traceback.format_exc(limit=-3)
    return ClaimResult(
        claim.id,
        claim.kind.value,
        verdict,
        claim.expect,
        detail=detail,
        method=check.method or "exact check",
    )


def exact_version(c: Claim) -> str:
    """What an exact check's verdict depends on: the syntax of its module and of the project
    modules it imports, the harness, the protocols file, the seed, the references table, and the
    versions of torch and hypothesis."""
    import hypothesis

    from . import catalogue, original, references
    from .experiment import code_version

    digest = hashlib.sha256(code_version(c.check.fn).encode())
    digest.update(_harness_version().encode())
    for path in [
        original.protocols_path(),
        catalogue.seed_path(),
        *sorted(references.DIRECTORY.glob("*.toml")),
    ]:
        digest.update(path.read_bytes())
    digest.update(f"{torch_version()}|{hypothesis.__version__}|{c.id}".encode())
    return digest.hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def _harness_version() -> str:
    digest = hashlib.sha256()
    for path in sorted(HARNESS_DIR.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


# --- hypotheses ----------------------------------------------------------------------------------
@dataclass
class Hypothesis:
    """One distinct test on one protocol, and the claims that cite it."""

    id: str
    protocol: Protocol
    check: Empirical
    schedule: Schedule
    claims: list[Claim] = field(default_factory=list)
    state: Sequential | None = None
    result: TestResult | None = None
    error: str = ""
    diverged: int = 0
    look: int = 0
    finished: bool = False

    @property
    def need(self) -> int:
        return self.schedule.looks[self.look]


def hypothesis_id(check: Empirical, schedule: Schedule) -> str:
    text = "|".join(
        [
            check.protocol.key,
            check.test.spec,
            divergence_text(check.diverged),
            schedule.text(),
            ",".join(map(str, schedule.weights)),
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def hypotheses(claims: Sequence[Claim], profile: Profile) -> dict[str, Hypothesis]:
    out: dict[str, Hypothesis] = {}
    for c in claims:
        if not isinstance(c.check, Empirical) or not_tested(c, profile) is not None:
            continue
        schedule = profile.for_claim(seed_cap(c.check))
        hid = hypothesis_id(c.check, schedule)
        h = out.setdefault(hid, Hypothesis(hid, c.check.protocol, c.check, schedule))
        h.claims.append(c)
    return out


def seed_cap(check: Empirical) -> int | None:
    """The tighter of the claim's and its experiment's seed caps (None: the schedule's)."""
    caps = [n for n in (check.max_seeds, check.protocol.experiment.max_seeds) if n is not None]
    return min(caps) if caps else None


def family_size(family: Sequence[Claim], profile: Profile) -> int:
    """Distinct statistical hypotheses of the whole catalogue under ``profile``."""
    return len(hypotheses([c for c in family if c.kind is Kind.EMPIRICAL], profile))


# --- the run --------------------------------------------------------------------------------------
class Runner:
    def __init__(
        self,
        store: Store,
        profile: Profile,
        *,
        family: Sequence[Claim] = (),
        method: str = "shaffer",
        alpha: float = ALPHA,
        executor: Executor | None = None,
        fresh: bool = False,
        progress: Progress | None = None,
        threads: int = 1,
        family_size: int | None = None,
    ):
        self.store = store
        self.profile = profile
        self.family_claims = list(family)
        self.method = method
        self.alpha = alpha
        self.executor = executor or Serial()
        self.fresh = fresh
        self.progress = progress or Progress()
        self.threads = threads
        self.family_size = family_size or 0  # at least this many hypotheses in the family
        self.recomputed: set[tuple[str, int]] = set()  # (protocol key, chunk start), --fresh

    def evaluate(
        self, claims: Sequence[Claim], on_result: Callable[[ClaimResult], None] = lambda r: None
    ) -> dict[str, ClaimResult]:
        results: dict[str, ClaimResult] = {}

        def done(r: ClaimResult) -> None:
            results[r.claim_id] = r
            self.progress.decided(1)
            on_result(r)

        empirical = []
        for c in claims:
            skipped = not_tested(c, self.profile)
            if skipped is not None:
                done(skipped)
            elif isinstance(c.check, Exact):
                done(self._exact(c))
            else:
                empirical.append(c)
        hyps = hypotheses(empirical, self.profile)
        members = hypotheses(
            [c for c in self.family_claims or claims if c.kind is Kind.EMPIRICAL], self.profile
        )
        family = Family(
            max(len(set(members) | set(hyps)), self.family_size), self.method, self.alpha
        )
        for h in hyps.values():
            h.state = Sequential(h.schedule, family)
        self._run(hyps, family, done)
        if not family.final_on_stop:
            self._adjust_together(hyps, [m for m in members if m not in hyps], family, done)
        self.progress.finish()
        return {c.id: results[c.id] for c in claims}

    def _exact(self, c: Claim) -> ClaimResult:
        """An exact check's result, reused from the store while nothing it reads has changed
        (its code, the harness, the data files, torch); ``--fresh`` recomputes it."""
        version = exact_version(c)
        if not self.fresh:
            stored = self.store.exact_result(c.id, version)
            if stored is not None:
                result = ClaimResult.from_json(stored)
                result.expect = c.expect
                return result
        result = evaluate_exact(c)
        if result.verdict is not Verdict.ERROR:
            self.store.save_exact(c.id, version, result.to_json())
        return result

    # --- scheduling -------------------------------------------------------------------------
    def _run(self, hyps: dict[str, Hypothesis], family: Family, done) -> None:
        by_protocol: dict[str, list[Hypothesis]] = {}
        for h in hyps.values():
            by_protocol.setdefault(h.protocol.key, []).append(h)
        pending: dict = {}  # handle -> (protocol key, chunk)
        waiting: dict[str, int] = {}  # protocol key -> outstanding chunks
        failed: dict[str, str] = {}
        try:
            for key in by_protocol:
                self._ask(key, by_protocol, pending, waiting, failed, family, done)
            while pending:
                for handle in self.executor.wait(list(pending)):
                    key, chunk = pending.pop(handle)
                    waiting[key] -= 1
                    protocol = by_protocol[key][0].protocol
                    try:
                        computed = handle.result()
                    except Exception as exc:  # noqa: BLE001 - reported on the claims
                        failed.setdefault(key, "the experiment crashed: " + _crash_text(exc))
                    else:
                        self.store.save(
                            protocol,
                            chunk,
                            computed.measurements,
                            computed.seconds,
                            numerics=computed.numerics,
                        )
                        self.recomputed.add((key, chunk[0]))
                        self.progress.computed(key, len(chunk), computed.seconds)
                    if waiting[key] == 0:
                        self._ask(key, by_protocol, pending, waiting, failed, family, done)
        finally:
            if pending:  # interrupted: what is finished is saved; the rest is abandoned
                self.executor.close()

    def _ask(self, key, by_protocol, pending, waiting, failed, family, done) -> None:
        """Test the protocol's open hypotheses with the trials in hand, then ask for the chunks
        their next look needs -- repeating while the store already has them."""
        while True:
            open_h = [h for h in by_protocol[key] if h.state.open.item()]
            if not open_h:
                return
            protocol = open_h[0].protocol
            if key in failed:
                for h in open_h:
                    self._finish(h, family, done, error=failed[key])
                return
            need = max(h.need for h in open_h)
            missing = self._missing(protocol, need)
            self.progress.plan(
                key,
                protocol.label,
                need,
                need - sum(len(c) for c in missing),
                sum(len(c) for c in missing),
            )
            if missing:
                waiting[key] = len(missing)
                for chunk in missing:
                    handle = self.executor.submit(Job.of(protocol, chunk, self.threads))
                    pending[handle] = (key, chunk)
                return
            trials = self.store.trials(protocol, range(need))
            for h in open_h:
                self._look(h, trials, family, done)

    def _missing(self, protocol: Protocol, need: int) -> list[list[int]]:
        chunks = protocol.chunks(range(need))
        if self.fresh:
            return [c for c in chunks if (protocol.key, c[0]) not in self.recomputed]
        cached = self.store.cached(protocol, [s for c in chunks for s in c])
        return [c for c in chunks if any(s not in cached for s in c)]

    # --- testing ----------------------------------------------------------------------------
    def _look(self, h: Hypothesis, trials: Trials, family: Family, done) -> None:
        n = h.need
        error = ""
        try:
            seen = trials.head(n)
            h.diverged = len(seen.diverged)
            usable = seen.handling_divergence(h.check.diverged)
            result = quiet(h.check.test.evaluate, usable)
            if not (np.isfinite(result.p_for) and np.isfinite(result.p_against)):
                raise ValueError(f"the test gave p = {result.p_for}, {result.p_against}")
        except (DivergedError, MeasureError, KeyError, ValueError) as exc:
            error = _one_line(exc)
        except Exception as exc:  # noqa: BLE001 - a bug in the check: no verdict
            error = "the test crashed: " + _crash_text(exc)
        if error:  # outside the handler: what hears of it must not inherit the exception
            self._finish(h, family, done, error=error)
            return
        h.result = result
        stopped = h.state.observe(h.look, result.p_for, result.p_against).item()
        if stopped:
            if family.final_on_stop:
                self._finish(h, family, done)
        else:
            h.look += 1

    def _finish(
        self,
        h: Hypothesis,
        family: Family,
        done,
        *,
        error: str = "",
        p_adj: tuple[float, float] | None = None,
    ) -> None:
        h.state.open = np.zeros_like(h.state.open)
        h.error, h.finished = error, True
        for c in h.claims:
            done(self._claim_result(c, h, family, error, p_adj))

    def _claim_result(
        self, c: Claim, h: Hypothesis, family: Family, error: str, p_adj
    ) -> ClaimResult:
        common = dict(
            hypothesis_id=h.id,
            protocol=h.protocol.label,
            protocol_key=h.protocol.key,
            schedule=h.schedule.looks,
            diverged=h.diverged,
        )
        if error:
            return ClaimResult(
                c.id, c.kind.value, Verdict.ERROR, c.expect, detail=error, test=h.result, **common
            )
        p_for, p_against = float(h.state.p_for), float(h.state.p_against)
        if p_adj is None:
            adj_for, adj_against = (float(v[0]) for v in family.adjust([p_for], [p_against]))
        else:
            adj_for, adj_against = p_adj
        verdict = CODES[int(verdicts(adj_for, adj_against, family.alpha))]
        seeds = int(h.state.seeds)
        return ClaimResult(
            c.id,
            c.kind.value,
            verdict,
            c.expect,
            detail=h.result.explanation,
            test=h.result,
            p_for=p_for,
            p_against=p_against,
            p_for_adj=adj_for,
            p_against_adj=adj_against,
            seeds=seeds,
            looks=int(h.state.looks),
            why_open=_why_open(verdict, h, seeds, self),
            **common,
        )

    def _adjust_together(
        self, hyps: dict[str, Hypothesis], others: list[str], family: Family, done
    ) -> None:
        """BH/BY: one adjustment over every hypothesis of the family; members not run now
        enter with their latest stored p-values (p = 1 when unknown)."""
        ok = [h for h in hyps.values() if not h.finished and h.result is not None]
        stored = self.store.latest_pvalues(others, self.profile.name, self.profile.schedule.text())
        prior = [stored.get(o, (1.0, 1.0)) for o in others]
        p_for = [float(h.state.p_for) for h in ok] + [p for p, _ in prior]
        p_against = [float(h.state.p_against) for h in ok] + [p for _, p in prior]
        adj_for, adj_against = family.adjust(p_for, p_against)
        for i, h in enumerate(ok):
            self._finish(h, family, done, p_adj=(float(adj_for[i]), float(adj_against[i])))


def _why_open(verdict: Verdict, h: Hypothesis, seeds: int, runner: Runner) -> str:
    if verdict is not Verdict.INCONCLUSIVE or h.result is None:
        return ""
    # Every check's explanation states the effect, its interval and what the claim needs
    # (a threshold, or a target and margin), in the claim's own terms.
    why = f"not decided at the family's level after {seeds} seeds"
    if seeds < runner.profile.schedule.max_seeds:
        exp = h.protocol.experiment
        who = "its experiment's cost" if exp.max_seeds == seeds else "the claim's max_seeds"
        why += f" (capped at {seeds} seeds by {who})"
    return f"{h.result.explanation}: {why}"


def _one_line(exc: BaseException) -> str:
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return " ".join(text.split()) or type(exc).__name__


def _crash_text(exc: BaseException) -> str:
    """The exception and the last frames of the experiment or check that raised it (the
    harness's own frames are left out: they are the same for every crash)."""
    frames = [
        f
        for f in traceback.extract_tb(exc.__traceback__)
        if not f.filename.startswith(str(HARNESS_DIR))
    ][-4:]
    where = "".join(traceback.format_list(frames))
    what = "".join(traceback.format_exception_only(type(exc), exc))
    return (where + what).strip()
