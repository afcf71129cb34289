"""The per-seed evidence behind the committed report, as diff-friendly text.

``reports/evidence/<experiment>.jsonl`` holds, one JSON line per trial, every trial the report's
verdicts rest on: the protocol's parameters, the seed, the experiment's code version, the torch
version and the measurements (floats written in Python's shortest exact form). A complete run
that writes the default report writes these files too; a rerun that changes nothing rewrites the
same bytes.

At the start of a run, evidence whose code and torch versions match the code being run is loaded
into the store, so that a fresh checkout (CI) recomputes only the trials whose code changed. A
random sample of the loaded chunks is then recomputed and compared -- times, which no seed fixes,
left out. Each trial records the numerics it was computed on (CPU vendor and the instruction
sets of torch's and OpenBLAS's kernels, ``store.machine_numerics``, read by the process that
computed it: a Dask worker's own). On the same numerics a
trial must reproduce (bit for bit, or within float rounding, relative 1e-5): a protocol whose
sample does not is dropped from what was loaded and recomputed in full, and the run says so. On
other numerics the kernels round differently and training amplifies the difference (a few
points of accuracy for a seed is common), so a difference there proves nothing about the code:
it is reported, and the evidence kept.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .executors import Executor, Job
from .experiment import Protocol, canonical_json
from .store import Store

TOLERANCE = 1e-5  # relative: float rounding on another CPU, not a different result


@dataclass
class Loaded:
    """What was loaded from the evidence, and what its check found."""

    trials: int = 0
    chunks: list = field(default_factory=list)  # (protocol, chunk seeds) loaded
    exact: int = 0
    rounding: int = 0
    failed: list = field(default_factory=list)  # protocol labels recomputed
    deviation: float = 0.0
    elsewhere: list = field(default_factory=list)  # differing chunks from other numerics, kept

    def summary(self) -> str:
        if not self.trials:
            return ""
        checked = self.exact + self.rounding + len(self.failed) + len(self.elsewhere)
        text = (
            f"evidence: {self.trials} stored trials loaded from reports/evidence; "
            f"{checked} random chunk(s) recomputed: {self.exact} bit-exact"
        )
        if self.rounding:
            text += f", {self.rounding} equal within float rounding (max {self.deviation:.1e})"
        if self.elsewhere:
            text += (
                f", {len(self.elsewhere)} computed on other numerics differ as training "
                "amplifies their rounding (kept: not a check of the code here): "
                + "; ".join(self.elsewhere)
            )
        if self.failed:
            text += f", {len(self.failed)} did NOT reproduce -- recomputed in full: " + "; ".join(
                self.failed
            )
        return text


def export(directory: Path, store: Store, used: dict[str, tuple[Protocol, int]]) -> None:
    """Write the trials of ``used`` (protocol key -> (protocol, seeds)) as one file per
    experiment; files of experiments no longer used are removed."""
    directory.mkdir(parents=True, exist_ok=True)
    lines: dict[str, list[str]] = {}
    for _, (protocol, n) in sorted(used.items()):
        trials = store.trials(protocol, range(n))
        where = store.numerics_of(protocol, range(n))
        for seed, m in zip(trials.seeds, trials.measurements):
            row = {
                "params": json.loads(canonical_json(dict(protocol.params))),
                "seed": seed,
                "code_version": protocol.experiment.code_version,
                "torch": store.torch,
                "measurements": m,
            }
            if where.get(seed):  # unknown for evidence written before numerics were recorded
                row["numerics"] = where[seed]
            lines.setdefault(protocol.experiment.name, []).append(
                json.dumps(
                    row,
                    sort_keys=True,
                    allow_nan=False,
                    ensure_ascii=False,
                )
            )
    for name, rows in lines.items():
        text = "\n".join(rows) + "\n"
        path = directory / f"{name}.jsonl"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    for old in directory.glob("*.jsonl"):
        if old.stem not in lines:
            old.unlink()


def load(directory: Path, store: Store, protocols: Sequence[Protocol]) -> Loaded:
    """Load the evidence of ``protocols`` whose code and torch versions match (trials already
    in the store are kept)."""
    out = Loaded()
    if not directory.is_dir():
        return out
    by_params: dict[tuple[str, str], Protocol] = {
        (p.experiment.name, canonical_json(dict(p.params))): p for p in protocols
    }
    versions = {p.experiment.name: p.experiment.code_version for p in protocols}
    for path in sorted(directory.glob("*.jsonl")):
        if path.stem not in versions:
            continue
        data = path.read_bytes()
        # A file this store has taken in whole, at this code and torch version, has nothing
        # new: skip parsing it (a warm rerun would otherwise spend seconds on JSON).
        digest = hashlib.sha256(data + f"{versions[path.stem]}|{store.torch}".encode())
        if store.loaded_mark(path.stem) == digest.hexdigest():
            continue
        rows: dict[str, list[tuple[int, dict]]] = {}
        for line in data.decode("utf-8").splitlines():
            t = json.loads(line)
            if t["code_version"] != versions[path.stem] or t["torch"] != store.torch:
                continue
            rows.setdefault(canonical_json(t["params"]), []).append(
                (t["seed"], t["measurements"], t.get("numerics", ""))
            )
        whole = True
        for params, trials in rows.items():
            protocol = by_params.get((path.stem, params))
            if protocol is None:  # not selected in this run: a later one must still read it
                whole = False
                continue
            have = store.cached(protocol, [s for s, _, _ in trials])
            new = [t for t in trials if t[0] not in have]
            by_numerics: dict[str, list] = {}
            for t in new:
                by_numerics.setdefault(t[2], []).append(t)
            for where, group in by_numerics.items():
                store.save(protocol, [s for s, _, _ in group], [m for _, m, _ in group], 0.0, where)
            if new:
                out.trials += len(new)
                seeds = {t[0] for t in new}
                out.chunks += [
                    (protocol, c) for c in protocol.chunks(sorted(seeds)) if set(c) <= seeds
                ]
        if whole:
            store.mark_loaded(path.stem, digest.hexdigest())
    return out


def verify(
    loaded: Loaded, store: Store, executor: Executor, sample: int, rng: random.Random | None = None
) -> Loaded:
    """Recompute ``sample`` random loaded chunks and compare them with the evidence; a protocol
    that does not reproduce loses its loaded trials (the run then recomputes it)."""
    rng = rng or random.Random()
    chosen = rng.sample(loaded.chunks, min(sample, len(loaded.chunks)))
    handles = {executor.submit(Job.of(p, c)): (p, c) for p, c in chosen}
    pending = list(handles)
    dropped: set[str] = set()
    while pending:
        for handle in executor.wait(pending):
            pending.remove(handle)
            protocol, chunk = handles[handle]
            if protocol.key in dropped:
                continue
            stored = store.trials(protocol, chunk).measurements
            computed = handle.result()
            fresh = computed.measurements
            timed = {q.name for q in protocol.experiment.measures if not q.deterministic}
            gap = max(_deviation(_fixed(a, timed), _fixed(b, timed)) for a, b in zip(stored, fresh))
            what = f"{protocol.label} seeds {chunk[0]}-{chunk[-1]} (relative deviation {gap:.2g})"
            if gap == 0.0:
                loaded.exact += 1
            elif gap <= TOLERANCE:
                loaded.rounding += 1
                loaded.deviation = max(loaded.deviation, gap)
            elif set(store.numerics_of(protocol, chunk).values()) != {computed.numerics}:
                loaded.elsewhere.append(what)  # computed on other numerics: kept
            else:
                loaded.failed.append(what)
                store.forget_version(protocol)
                dropped.add(protocol.key)
    return loaded


def _fixed(measurements: dict, timed: set[str]) -> dict:
    """The measurements a seed fixes (times left out)."""
    return {k: v for k, v in measurements.items() if k.split("[", 1)[0] not in timed}


def _deviation(a, b) -> float:
    """The largest relative difference between two measurement trees (inf if their shapes or
    keys differ)."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return math.inf
        return max((_deviation(a[k], b[k]) for k in a), default=0.0)
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return math.inf
        return max((_deviation(x, y) for x, y in zip(a, b)), default=0.0)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if a == b:
            return 0.0
        return abs(a - b) / max(1.0, abs(a), abs(b))
    return 0.0 if a == b else math.inf
