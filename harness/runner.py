"""Evaluates claims: runs the missing trials, applies each claim's test, adds seeds where a
verdict is still open, and adjusts for multiplicity across the run."""
from __future__ import annotations

import time
import traceback
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

import numpy as np

from . import multiplicity
from .claim import Claim, Exact, Kind, Verdict
from .profiles import Profile
from .stats import ALPHA, TestResult, decide
from .store import Store


@dataclass
class ClaimResult:
    claim_id: str
    kind: str
    verdict: Verdict
    expect: Verdict | None
    detail: str = ""
    family: str = ""
    test: str = ""
    effect: float | None = None
    ci: tuple[float, float] | None = None
    threshold: float | None = None
    p_raw: float | None = None          # p_for, corrected for the number of looks
    p_adj: float | None = None          # after multiplicity control across the run
    p_against_raw: float | None = None
    p_against_adj: float | None = None
    seeds: int = 0
    looks: int = 0
    seconds: float = 0.0
    protocol: str = ""                  # protocol label
    protocol_key: str = ""
    extra: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        d = asdict(self)
        d["verdict"] = self.verdict.value
        d["expect"] = self.expect.value if self.expect else None
        return d

    @classmethod
    def from_json(cls, d: dict) -> "ClaimResult":
        d = dict(d)
        d["verdict"] = Verdict(d["verdict"])
        d["expect"] = Verdict(d["expect"]) if d.get("expect") else None
        if d.get("ci") is not None:
            d["ci"] = tuple(d["ci"])
        return cls(**d)


class DivergedError(ValueError):
    """Measurements contain NaN or infinity: some runs diverged."""


def _not_tested(claim: Claim, profile: Profile) -> ClaimResult | None:
    if not claim.testable:
        return ClaimResult(claim.id, claim.kind.value, Verdict.NOT_TESTABLE, claim.expect,
                           detail=claim.reason)
    if claim.check is None:
        return ClaimResult(claim.id, claim.kind.value, Verdict.PENDING, claim.expect,
                           detail="its check is not implemented yet")
    if claim.profiles and profile.name not in claim.profiles:
        return ClaimResult(claim.id, claim.kind.value, Verdict.NOT_RUN, claim.expect,
                           detail=f"runs only in the {'/'.join(claim.profiles)} profile")
    return None


def evaluate_exact(claim: Claim) -> ClaimResult:
    start = time.perf_counter()
    try:
        outcome = claim.check.fn()
        holds, detail = outcome if isinstance(outcome, tuple) else (outcome, "")
        verdict = Verdict.REFUTED if holds is False else Verdict.SUPPORTED
    except AssertionError as exc:
        verdict, detail = Verdict.REFUTED, str(exc) or "the property does not hold"
    except Exception:  # the check itself crashed: no verdict
        verdict, detail = Verdict.ERROR, traceback.format_exc(limit=4)
    return ClaimResult(claim.id, claim.kind.value, verdict, claim.expect, detail=str(detail),
                       family="exact", test=claim.check.method or "exact check",
                       seconds=time.perf_counter() - start)


def _check_finite(result: TestResult, trials) -> None:
    bad = [k for k, v in {"effect": result.effect, "p": result.p_for}.items() if not np.isfinite(v)]
    if bad:
        raise DivergedError("the test produced NaN; some of the "
                            f"{len(trials)} runs probably diverged (NaN or inf measurements)")


def _evaluate_test(claim: Claim, trials) -> TestResult:
    for name in trials.measurements[0] if trials.measurements else ():
        values = np.asarray([m[name] for m in trials.measurements], dtype=float)
        if not np.all(np.isfinite(values)):
            bad = int(np.sum(~np.all(np.isfinite(values.reshape(len(values), -1)), axis=1)))
            raise DivergedError(f"{bad} of {len(values)} seeds diverged: measurement {name!r} "
                                f"contains NaN or inf; trials are kept in the store")
    result = claim.check.test.evaluate(trials)
    _check_finite(result, trials)
    return result


def evaluate(claims: Sequence[Claim], store: Store, profile: Profile, *, fresh: bool = False,
             alpha: float = ALPHA, adjust: str = "holm", family: Sequence[Claim] = (),
             progress: Callable[[str], None] = lambda msg: None) -> dict[str, ClaimResult]:
    """Verdicts for ``claims``. Empirical claims share trials through the store; each gets
    seeds in looks (the profile's schedule) until its verdict is clear or the budget is spent.

    ``family`` is the whole catalogue: multiplicity is controlled over all its empirical claims,
    whichever are selected now, so that a verdict does not depend on the selection. Claims not
    evaluated now enter with their latest stored p-values for this profile, or as p = 1 (the
    conservative choice) when the store has none.
    """
    results: dict[str, ClaimResult] = {}
    empirical: list[Claim] = []
    for claim in claims:
        skipped = _not_tested(claim, profile)
        if skipped:
            results[claim.id] = skipped
        elif isinstance(claim.check, Exact):
            results[claim.id] = evaluate_exact(claim)
        else:
            empirical.append(claim)
    selected = {c.id for c in empirical}
    others = [c.id for c in family if c.kind is Kind.EMPIRICAL and c.id not in selected
              and _not_tested(c, profile) is None]
    stored = store.latest_pvalues(others, profile.name, "/".join(map(str, profile.schedule)))
    prior = [stored.get(cid, (1.0, 1.0)) for cid in others]
    m = 2 * (len(empirical) + len(others))
    tests = _evaluate_empirical(empirical, store, profile, fresh, alpha, progress, results, m)
    _adjust(tests, results, alpha, adjust, prior, unknown=len(others) - len(stored))
    return {c.id: results[c.id] for c in claims}


def _evaluate_empirical(claims, store, profile, fresh, alpha, progress, results, m):
    """Adaptive seeds. A verdict may stop early at look j only when its p-value, Bonferroni-
    corrected over the looks of its schedule, clears alpha / m -- the strictest Holm threshold
    over the m hypotheses (for and against each claim of the family) -- so a claim that stops
    keeps its verdict after adjustment, and the Bonferroni correction over looks keeps the error
    rate valid under optional stopping.
    A SUPPORTED verdict stops early only while the estimate does not lean towards refutation
    (see multiplicity.stop_early)."""
    tests: dict[str, tuple[TestResult, int]] = {}
    schedules = {c.id: profile.for_claim(c.check.max_seeds) for c in claims}
    open_claims = list(claims)
    broken: dict[str, str] = {}
    if fresh:   # forget stored trials once, up front: later looks reuse what this run computed
        for protocol in {c.check.protocol.key: c.check.protocol for c in claims}.values():
            store.forget(protocol)
    look = 0
    while open_claims:
        by_protocol: dict[str, list[Claim]] = {}
        for c in open_claims:
            by_protocol.setdefault(c.check.protocol.key, []).append(c)
        still_open = []
        for key, group in by_protocol.items():
            protocol = group[0].check.protocol
            need = max(schedules[c.id][min(look, len(schedules[c.id]) - 1)] for c in group)
            if key in broken:
                for c in group:
                    results[c.id] = ClaimResult(c.id, c.kind.value, Verdict.ERROR, c.expect,
                                                detail=broken[key], protocol=protocol.label)
                continue
            progress(f"{protocol.label}: {need} seeds")
            try:
                trials, seconds = store.trials(protocol, range(need),
                                               run=lambda seeds: _timed(protocol.run, seeds))
            except Exception:
                broken[key] = "the experiment crashed:\n" + traceback.format_exc(limit=6)
                for c in group:
                    results[c.id] = ClaimResult(c.id, c.kind.value, Verdict.ERROR, c.expect,
                                                detail=broken[key], protocol=protocol.label)
                continue
            for c in group:
                schedule = schedules[c.id]
                n = schedule[min(look, len(schedule) - 1)]
                try:
                    result = _evaluate_test(c, trials.head(n))
                except Exception as exc:
                    detail = (str(exc) if isinstance(exc, DivergedError)
                              else "the test crashed:\n" + traceback.format_exc(limit=6))
                    results[c.id] = ClaimResult(c.id, c.kind.value, Verdict.ERROR, c.expect,
                                                detail=detail, protocol=protocol.label,
                                                protocol_key=key, seeds=n)
                    tests.pop(c.id, None)
                    continue
                looks = len(schedule)
                tests[c.id] = (result, looks)
                results[c.id] = _empirical_result(c, result, looks, n, seconds * n / need,
                                                  protocol)
                last_look = look >= len(schedule) - 1
                decided = multiplicity.stop_early(result.p_for, result.p_against,
                                                  looks=looks, alpha=alpha, m=m)
                if not (last_look or decided):
                    still_open.append(c)
        open_claims = still_open
        look += 1
    return tests


def _timed(fn, seeds):
    start = time.perf_counter()
    out = fn(seeds)
    return out, time.perf_counter() - start


def _empirical_result(claim, result: TestResult, looks, n, seconds, protocol) -> ClaimResult:
    return ClaimResult(
        claim.id, claim.kind.value, result.verdict, claim.expect, detail=result.explanation,
        family=result.family, test=result.test, effect=result.effect, ci=tuple(result.ci),
        threshold=result.threshold, p_raw=min(1.0, result.p_for * looks),
        p_against_raw=min(1.0, result.p_against * looks), seeds=n, looks=looks,
        seconds=seconds, protocol=protocol.label, protocol_key=protocol.key,
        extra={k: v for k, v in result.extra.items() if _is_plain(v)})


def _is_plain(v) -> bool:
    return isinstance(v, (int, float, str)) or (
        isinstance(v, list) and all(isinstance(x, (int, float)) for x in v))


def _adjust(tests, results, alpha, method, prior=(), unknown: int = 0) -> None:
    """One adjustment over the p_for and the p_against of every empirical claim of the family
    together: each claim can err in only one direction, so this bounds the chance of *any*
    wrong verdict (false SUPPORTED or false REFUTED) by alpha, not 2 alpha. ``prior`` holds the
    (p_for, p_against) of family members not evaluated in this run."""
    ids = [cid for cid in tests if results[cid].verdict is not Verdict.ERROR]
    if not ids:
        return
    p_for = [results[i].p_raw for i in ids] + [p for p, _ in prior]
    p_against = [results[i].p_against_raw for i in ids] + [p for _, p in prior]
    adjusted = multiplicity.adjust(p_for + p_against, method)
    n = len(p_for)
    for k, cid in enumerate(ids):
        r = results[cid]
        r.p_adj, r.p_against_adj = float(adjusted[k]), float(adjusted[n + k])
        # p_against_raw is the one-look p times the looks, capped at 1; when capped the one-look
        # p is at least 1/looks, far above alpha, so the division is exact where it matters.
        r.verdict = decide(r.p_adj, r.p_against_adj, alpha,
                           unadjusted_against=r.p_against_raw / r.looks)
        if r.verdict is Verdict.INCONCLUSIVE and r.p_adj < alpha:
            r.detail += ("; significant for the claim, but its own interval excludes the "
                         "smallest effect it needs (not significantly after adjustment)")
        r.extra["family size"] = 2 * n
        if prior:
            r.extra["family members from earlier runs"] = len(prior) - unknown
            r.extra["family members never run (p = 1)"] = unknown
