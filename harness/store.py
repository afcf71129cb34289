"""The results store: an embedded SQLite database of trials, runs and claim results.

A trial is keyed by experiment, parameters, seed, the experiment's code version and the torch
version, so a rerun reuses what is already known and runs only what is missing. Each trial is
committed as soon as it is computed: an interrupted run loses no completed work.
"""
from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from pathlib import Path
from typing import Iterable, Sequence

from .experiment import Protocol, Trials, canonical_json

SCHEMA = """
CREATE TABLE IF NOT EXISTS trials (
    experiment    TEXT NOT NULL,
    params        TEXT NOT NULL,
    seed          INTEGER NOT NULL,
    code_version  TEXT NOT NULL,
    torch_version TEXT NOT NULL,
    measurements  TEXT NOT NULL,
    seconds       REAL NOT NULL,
    created       TEXT NOT NULL,
    PRIMARY KEY (experiment, params, seed, code_version, torch_version)
);
CREATE TABLE IF NOT EXISTS runs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    started   TEXT NOT NULL,
    finished  TEXT,
    profile   TEXT NOT NULL,
    complete  INTEGER NOT NULL,   -- 1 when the run covered the whole catalogue
    meta      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    run_id    INTEGER NOT NULL REFERENCES runs(id),
    claim_id  TEXT NOT NULL,
    result    TEXT NOT NULL,
    PRIMARY KEY (run_id, claim_id)
);
"""


def torch_version() -> str:
    try:
        import torch
    except ImportError:
        return "none"
    return torch.__version__


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise RuntimeError(f"results store {self.path} is unreadable ({exc}); "
                               "move it aside or pass --store to use another") from None
        self.torch = torch_version()
        self.hits = self.misses = 0

    def close(self) -> None:
        self.db.close()

    # --- trials ----------------------------------------------------------------------------
    def _key(self, protocol: Protocol) -> tuple[str, str, str, str]:
        return (protocol.experiment.name, canonical_json(dict(protocol.params)),
                protocol.experiment.code_version, self.torch)

    def cached(self, protocol: Protocol, seeds: Iterable[int]) -> dict[int, tuple[dict, float]]:
        name, params, code, torch = self._key(protocol)
        seeds = list(seeds)
        rows = self.db.execute(
            f"SELECT seed, measurements, seconds FROM trials WHERE experiment=? AND params=? "
            f"AND code_version=? AND torch_version=? AND seed IN ({','.join('?' * len(seeds))})",
            (name, params, code, torch, *seeds)).fetchall()
        return {seed: (json.loads(m), s) for seed, m, s in rows}

    def forget(self, protocol: Protocol) -> None:
        """Drop the stored trials of ``protocol`` (this code and torch version): ``--fresh``."""
        with self.db:
            self.db.execute("DELETE FROM trials WHERE experiment=? AND params=? AND "
                            "code_version=? AND torch_version=?", self._key(protocol))

    def save(self, protocol: Protocol, seeds: Sequence[int], measurements: Sequence[dict],
             seconds: float) -> None:
        name, params, code, torch = self._key(protocol)
        per_seed = seconds / max(len(seeds), 1)
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO trials VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(name, params, seed, code, torch, json.dumps(m), per_seed, _now())
                 for seed, m in zip(seeds, measurements)])

    def trials(self, protocol: Protocol, seeds: Sequence[int], *,
               run=None) -> tuple[Trials, float]:
        """Trials for ``seeds``: cached ones reused, missing ones computed by
        ``run(missing_seeds) -> (measurements, seconds)`` in one batch and saved at once."""
        found = self.cached(protocol, seeds)
        missing = [s for s in seeds if s not in found]
        self.hits += len(seeds) - len(missing)
        self.misses += len(missing)
        if missing:
            if run is None:
                raise LookupError(f"{protocol.label}: seeds {missing} are not in the store")
            measurements, seconds = run(missing)
            self.save(protocol, missing, measurements, seconds)
            per_seed = seconds / len(missing)
            found.update({s: (m, per_seed) for s, m in zip(missing, measurements)})
        return (Trials(protocol, seeds, [found[s][0] for s in seeds]),
                sum(found[s][1] for s in seeds))

    # --- runs and results ------------------------------------------------------------------
    def start_run(self, profile: str, complete: bool, meta: dict) -> int:
        with self.db:
            cur = self.db.execute(
                "INSERT INTO runs (started, profile, complete, meta) VALUES (?, ?, ?, ?)",
                (_now(), profile, int(complete), json.dumps(meta, sort_keys=True)))
        return cur.lastrowid

    def finish_run(self, run_id: int) -> None:
        with self.db:
            self.db.execute("UPDATE runs SET finished=? WHERE id=?", (_now(), run_id))

    def save_result(self, run_id: int, claim_id: str, result: dict) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
                            (run_id, claim_id, json.dumps(result, sort_keys=True)))

    def latest_run(self, *, complete_only: bool = True) -> dict | None:
        where = "WHERE finished IS NOT NULL" + (" AND complete=1" if complete_only else "")
        row = self.db.execute(f"SELECT id, started, finished, profile, complete, meta FROM runs "
                              f"{where} ORDER BY id DESC LIMIT 1").fetchone()
        if row is None:
            return None
        keys = ("id", "started", "finished", "profile", "complete", "meta")
        run = dict(zip(keys, row))
        run["meta"] = json.loads(run["meta"])
        return run

    def latest_pvalues(self, claim_ids, profile: str, schedule: str) -> dict[str, tuple[float, float]]:
        """The latest stored (p_raw, p_against_raw) of each claim, from finished runs of the
        same profile and seed schedule."""
        wanted, found = set(claim_ids), {}
        rows = self.db.execute(
            "SELECT r.claim_id, r.result, u.meta FROM results r JOIN runs u ON u.id = r.run_id "
            "WHERE u.profile=? AND u.finished IS NOT NULL ORDER BY u.id DESC", (profile,))
        for cid, result, meta in rows:
            if cid in found or cid not in wanted:
                continue
            if json.loads(meta).get("seed schedule") != schedule:
                continue
            r = json.loads(result)
            if r.get("p_raw") is not None and r.get("p_against_raw") is not None:
                found[cid] = (r["p_raw"], r["p_against_raw"])
        return found

    def results(self, run_id: int) -> dict[str, dict]:
        rows = self.db.execute("SELECT claim_id, result FROM results WHERE run_id=?", (run_id,))
        return {cid: json.loads(r) for cid, r in rows}
