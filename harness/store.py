"""The results store: an embedded SQLite database of trials, runs and claim results.

A trial is keyed by experiment, parameters, seed, the experiment's code version and the torch
version, so a rerun reuses what is known and runs only what is missing. Each chunk of trials is
committed as soon as it is computed, so an interrupted run loses no finished work; ``--fresh``
recomputes into the store and replaces a stored trial only when its new value is in.

Problems with the file itself -- a directory, unreadable, read-only, not SQLite, another
application's database, an older schema, locked by another process for too long, a full disk --
raise :class:`StoreError` with the path and what to do, before anything is changed.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import json
import os
import platform
import sqlite3
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from .experiment import DIVERGED, Protocol, Trials, canonical_json

APPLICATION = "dl-claims-harness"
SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE trials (
    experiment    TEXT NOT NULL,
    params        TEXT NOT NULL,
    seed          INTEGER NOT NULL,
    code_version  TEXT NOT NULL,
    torch_version TEXT NOT NULL,
    measurements  TEXT NOT NULL,
    diverged      INTEGER NOT NULL,
    seconds       REAL NOT NULL,
    created       TEXT NOT NULL,
    PRIMARY KEY (experiment, params, seed, code_version, torch_version)
);
CREATE TABLE runs (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    started   TEXT NOT NULL,
    finished  TEXT,
    profile   TEXT NOT NULL,
    complete  INTEGER NOT NULL,   -- 1 when the run covered the whole catalogue
    meta      TEXT NOT NULL
);
CREATE TABLE results (
    run_id    INTEGER NOT NULL REFERENCES runs(id),
    claim_id  TEXT NOT NULL,
    result    TEXT NOT NULL,
    PRIMARY KEY (run_id, claim_id)
);
"""
# Added to schema 2 without breaking it: created where missing.
EXACT = """
CREATE TABLE IF NOT EXISTS exact (
    claim_id  TEXT NOT NULL,
    version   TEXT NOT NULL,
    result    TEXT NOT NULL,
    PRIMARY KEY (claim_id, version)
);
"""
# Added to schema 2: the numerics (``machine_numerics()``) each trial was computed on; '' = unknown
# (evidence written before it was recorded).
NUMERICS = "ALTER TABLE trials ADD COLUMN numerics TEXT NOT NULL DEFAULT ''"
LOCK_TIMEOUT = 30.0  # seconds SQLite waits for another process's lock
WRITE_ATTEMPTS = 4  # then a StoreError


class StoreError(RuntimeError):
    """The results store cannot be used; the message says which file and what to do."""


def torch_version() -> str:
    try:
        import torch
    except ImportError:
        return "none"
    return torch.__version__


@functools.cache
def machine_numerics() -> str:
    """What decides this machine's floating-point results beyond the code and torch version:
    the CPU vendor and the instruction sets torch and OpenBLAS dispatch to (their kernels round
    differently, and training amplifies the difference). Trials computed on the same numerics
    reproduce bit for bit; on other numerics, only to within that amplification."""
    vendor = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("vendor_id"):
                vendor = line.split(":", 1)[1].strip()
                break
    try:
        import torch

        capability = torch.backends.cpu.get_cpu_capability()
    except (ImportError, AttributeError):
        capability = "none"
    blas = "none"
    with contextlib.suppress(Exception):  # threadpoolctl reports what numpy loaded
        import numpy  # noqa: F401
        import threadpoolctl

        blas = next(
            (
                f"{i['internal_api']}-{i.get('architecture') or '?'}"
                for i in threadpoolctl.threadpool_info()
                if i.get("user_api") == "blas"
            ),
            "none",
        )
    return f"{vendor}/{capability}/{blas}"


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def check_path(path: Path) -> None:
    """Fail early, with a message, on a store path that cannot work."""
    if path.is_dir():
        raise StoreError(f"results store {path} is a directory; pass --store FILE.sqlite")
    parent = path.parent
    existing = next((p for p in [parent, *parent.parents] if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise StoreError(f"results store {path}: {existing} is a file, not a directory")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(
            f"results store {path} is not readable and writable by you; fix its "
            "permissions or pass --store to use another"
        )
    if existing is not None and not path.exists() and not os.access(existing, os.W_OK):
        raise StoreError(
            f"cannot create the results store {path}: {existing} is not writable; "
            "pass --store to use another place"
        )


class Store:
    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        check_path(self.path)
        if readonly and not self.path.exists():
            raise StoreError(f"no results store at {self.path}: run `pytest claims/` first")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT)
            self._open(readonly)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"results store {self.path} is not a usable SQLite database "
                f"({exc}); move it aside or pass --store to use another"
            ) from None
        self.torch = torch_version()
        self.hits = self.misses = 0

    def _open(self, readonly: bool) -> None:
        tables = {
            r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables:
            if readonly:
                raise StoreError(f"results store {self.path} is empty")
            with self.db:
                self.db.executescript(SCHEMA)
                self.db.executemany(
                    "INSERT INTO meta VALUES (?, ?)",
                    [("application", APPLICATION), ("schema_version", str(SCHEMA_VERSION))],
                )
            self._concurrent()
            return
        if "meta" not in tables:
            if "trials" in tables and "runs" in tables:
                raise StoreError(
                    f"results store {self.path} was written by an older version of "
                    "the harness (schema 1); move it aside (its trials would be "
                    "recomputed anyway) or pass --store to use another"
                )
            raise StoreError(
                f"{self.path} is an SQLite database of another application (tables: "
                f"{', '.join(sorted(tables))}); the harness will not touch it -- "
                "pass --store to use another file"
            )
        meta = dict(self.db.execute("SELECT key, value FROM meta"))
        if meta.get("application") != APPLICATION:
            raise StoreError(
                f"{self.path} belongs to another application "
                f"({meta.get('application')!r}); pass --store to use another file"
            )
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise StoreError(
                f"results store {self.path} has schema {meta.get('schema_version')}; "
                f"this harness needs {SCHEMA_VERSION} -- move it aside or pass "
                "--store to use another"
            )
        if not readonly:
            self._concurrent()

    def _concurrent(self) -> None:
        """Write-ahead logging: several runs (or xdist workers) may share one store; and the
        tables added since schema 2 was first written."""
        with contextlib.suppress(sqlite3.OperationalError):
            self.db.executescript(EXACT)
        with contextlib.suppress(sqlite3.OperationalError):  # exists already, or read-only
            self.db.execute(NUMERICS)
        with contextlib.suppress(sqlite3.OperationalError):  # read-only: default journal
            self.db.execute("PRAGMA journal_mode=WAL")

    def close(self) -> None:
        self.db.close()

    def _write(self, sql: str, rows: Sequence[tuple] | tuple, many: bool = False):
        """One committed write, retried while another process holds the lock; any other
        failure (disk full, read-only) is a StoreError naming the file."""
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self.db:
                    return (self.db.executemany if many else self.db.execute)(sql, rows)
            except sqlite3.OperationalError as exc:
                text = str(exc)
                if "locked" in text or "busy" in text:
                    if attempt + 1 < WRITE_ATTEMPTS:
                        time.sleep(1 + attempt)
                        continue
                    raise StoreError(
                        f"results store {self.path} stayed locked by another process "
                        f"for over {WRITE_ATTEMPTS * LOCK_TIMEOUT:.0f} s; wait for it "
                        "or pass --store to use another file"
                    ) from None
                raise StoreError(
                    f"cannot write the results store {self.path} ({text}); free disk "
                    "space or fix its permissions -- trials saved so far are kept"
                ) from None
            except sqlite3.DatabaseError as exc:
                raise StoreError(
                    f"cannot write the results store {self.path} ({exc}); trials "
                    "saved so far are kept"
                ) from None

    # --- trials ------------------------------------------------------------------------------
    def _key(self, protocol: Protocol) -> tuple[str, str, str, str]:
        return (
            protocol.experiment.name,
            canonical_json(dict(protocol.params)),
            protocol.experiment.code_version,
            self.torch,
        )

    def _rows(self, protocol: Protocol, seeds: Iterable[int], columns: str) -> list[tuple]:
        """``seed, <columns>`` of the stored trials of ``seeds`` at this code and torch version."""
        name, params, code, torch = self._key(protocol)
        seeds = list(seeds)
        rows: list[tuple] = []
        for i in range(0, len(seeds), 500):  # SQLite limits the number of parameters
            part = seeds[i : i + 500]
            rows += self.db.execute(
                f"SELECT seed, {columns} FROM trials WHERE experiment=? AND params=? "
                f"AND code_version=? AND torch_version=? AND seed IN ({','.join('?' * len(part))})",
                (name, params, code, torch, *part),
            ).fetchall()
        return rows

    def cached(self, protocol: Protocol, seeds: Iterable[int]) -> dict[int, tuple[dict, float]]:
        rows = self._rows(protocol, seeds, "measurements, seconds")
        return {seed: (json.loads(m), s) for seed, m, s in rows}

    def save(
        self,
        protocol: Protocol,
        seeds: Sequence[int],
        measurements: Sequence[dict],
        seconds: float,
        numerics: str | None = None,
    ) -> None:
        """Save one chunk of trials in one transaction (replacing older values of the same
        key: --fresh replaces a trial only once its new value is in). ``numerics``: where they
        were computed (default: this machine; '' for unknown)."""
        name, params, code, torch = self._key(protocol)
        per_seed = seconds / max(len(seeds), 1)
        where = machine_numerics() if numerics is None else numerics
        self._write(
            "INSERT OR REPLACE INTO trials (experiment, params, seed, code_version, "
            "torch_version, measurements, diverged, seconds, created, numerics) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    name,
                    params,
                    seed,
                    code,
                    torch,
                    json.dumps(m, allow_nan=False),
                    int(bool(m.get(DIVERGED))),
                    per_seed,
                    _now(),
                    where,
                )
                for seed, m in zip(seeds, measurements)
            ],
            many=True,
        )

    def numerics_of(self, protocol: Protocol, seeds: Sequence[int]) -> dict[int, str]:
        """The numerics each stored trial of ``seeds`` was computed on ('' where unknown)."""
        return dict(self._rows(protocol, seeds, "numerics"))

    def exact_result(self, claim_id: str, version: str) -> dict | None:
        """A stored exact check's result for this version of what it reads, or None."""
        try:
            row = self.db.execute(
                "SELECT result FROM exact WHERE claim_id=? AND version=?", (claim_id, version)
            ).fetchone()
        except sqlite3.OperationalError:  # a read-only store opened before the table existed
            return None
        return json.loads(row[0]) if row else None

    def save_exact(self, claim_id: str, version: str, result: dict) -> None:
        self._write(
            "INSERT OR REPLACE INTO exact VALUES (?, ?, ?)",
            (claim_id, version, json.dumps(result, sort_keys=True, allow_nan=False)),
        )

    def forget_version(self, protocol: Protocol) -> None:
        """Drop the stored trials of ``protocol`` at this code and torch version (evidence that
        did not reproduce here: the run recomputes them), and every mark of evidence files
        already loaded (they would bring the dropped trials back)."""
        self._write(
            "DELETE FROM trials WHERE experiment=? AND params=? AND code_version=? AND "
            "torch_version=?",
            self._key(protocol),
        )
        self._write("DELETE FROM meta WHERE key LIKE 'loaded:%'", ())

    # --- evidence files already loaded ------------------------------------------------------
    def loaded_mark(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (f"loaded:{name}",)).fetchone()
        return row[0] if row else None

    def mark_loaded(self, name: str, digest: str) -> None:
        self._write("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"loaded:{name}", digest))

    def trials(self, protocol: Protocol, seeds: Sequence[int]) -> Trials:
        """Stored trials for ``seeds`` (a LookupError names any that are missing)."""
        found = self.cached(protocol, seeds)
        missing = [s for s in seeds if s not in found]
        if missing:
            raise LookupError(f"{protocol.label}: seeds {missing[:10]} are not in the store")
        return Trials(protocol, seeds, [found[s][0] for s in seeds])

    def seconds(self, protocol: Protocol, seeds: Sequence[int]) -> float:
        return sum(s for _, s in self.cached(protocol, seeds).values())

    # --- runs and results --------------------------------------------------------------------
    def start_run(self, profile: str, complete: bool, meta: dict) -> int:
        cur = self._write(
            "INSERT INTO runs (started, profile, complete, meta) VALUES (?, ?, ?, ?)",
            (_now(), profile, int(complete), json.dumps(meta, sort_keys=True)),
        )
        return cur.lastrowid

    def update_run(self, run_id: int, complete: bool, meta: dict) -> None:
        self._write(
            "UPDATE runs SET complete=?, meta=? WHERE id=?",
            (int(complete), json.dumps(meta, sort_keys=True), run_id),
        )

    def finish_run(self, run_id: int) -> None:
        self._write("UPDATE runs SET finished=? WHERE id=?", (_now(), run_id))

    def save_result(self, run_id: int, claim_id: str, result: dict) -> None:
        self._write(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?)",
            (run_id, claim_id, json.dumps(result, sort_keys=True, allow_nan=False)),
        )

    def run(self, run_id: int) -> dict | None:
        row = self.db.execute(
            "SELECT id, started, finished, profile, complete, meta FROM runs WHERE id=?", (run_id,)
        ).fetchone()
        return _run_dict(row)

    def latest_run(self, *, complete_only: bool = True) -> dict | None:
        where = "WHERE finished IS NOT NULL" + (" AND complete=1" if complete_only else "")
        row = self.db.execute(
            f"SELECT id, started, finished, profile, complete, meta FROM runs "
            f"{where} ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return _run_dict(row)

    def latest_pvalues(self, hypothesis_ids, profile: str, schedule: str) -> dict:
        """The latest stored claim-level (p_for, p_against) of each hypothesis, from finished
        runs of the same profile and schedule (for FDR families in partial runs)."""
        wanted, found = set(hypothesis_ids), {}
        rows = self.db.execute(
            "SELECT r.result, u.meta FROM results r JOIN runs u ON u.id = r.run_id "
            "WHERE u.profile=? AND u.finished IS NOT NULL ORDER BY u.id DESC",
            (profile,),
        )
        for result, meta in rows:
            r = json.loads(result)
            hid = r.get("hypothesis_id")
            if (
                hid in found
                or hid not in wanted
                or json.loads(meta).get("seed schedule") != schedule
            ):
                continue
            if r.get("p_for") is not None and r.get("p_against") is not None:
                found[hid] = (r["p_for"], r["p_against"])
        return found

    def results(self, run_id: int) -> dict[str, dict]:
        rows = self.db.execute("SELECT claim_id, result FROM results WHERE run_id=?", (run_id,))
        return {cid: json.loads(r) for cid, r in rows}


def _run_dict(row) -> dict | None:
    if row is None:
        return None
    run = dict(zip(("id", "started", "finished", "profile", "complete", "meta"), row))
    run["meta"] = json.loads(run["meta"])
    return run
