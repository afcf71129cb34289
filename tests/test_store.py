"""The results store: keys, reuse, and every way the file can be wrong -- each a StoreError that
names the file, with nothing changed."""

import os
import sqlite3

import pytest

from harness import real
from harness import store as store_module
from harness.experiment import DIVERGED, experiment
from harness.store import Store, StoreError

X = real("x")


@experiment("store_toy")
def toy(seeds, *, k=1.0):
    return [{X.key(): k * s} for s in seeds]


def test_trials_round_trip_and_are_keyed_by_parameters(tmp_path):
    s = Store(tmp_path / "t.sqlite")
    s.save(toy(), [0, 1], [{"x": 0.0}, {"x": 1.0}], 2.0)
    s.save(toy(k=2.0), [0], [{"x": 5.0}], 1.0)
    assert s.trials(toy(), [0, 1])["x"].tolist() == [0.0, 1.0]
    assert s.trials(toy(k=2.0), [0])["x"].tolist() == [5.0]
    with pytest.raises(LookupError, match=r"seeds \[2\]"):
        s.trials(toy(), [0, 2])
    assert s.seconds(toy(), [0, 1]) == pytest.approx(2.0)


def test_diverged_trials_are_stored_as_diverged(tmp_path):
    s = Store(tmp_path / "t.sqlite")
    s.save(toy(), [0, 1], [{"x": 1.0}, {DIVERGED: True}], 1.0)
    assert s.trials(toy(), [0, 1]).diverged == [1]
    assert s.db.execute("SELECT SUM(diverged) FROM trials").fetchone()[0] == 1


def test_non_finite_numbers_never_reach_the_store(tmp_path):
    s = Store(tmp_path / "t.sqlite")
    with pytest.raises(ValueError):
        s.save(toy(), [0], [{"x": float("nan")}], 1.0)


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a directory"):
        Store(tmp_path)


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"these are not the droids" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        Store(path)
    assert path.read_bytes() == before


def test_another_applications_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "app.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE users (name TEXT)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another application"):
        Store(path)
    assert path.read_bytes() == before
    assert {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")} == {
        "users"
    }


def test_an_older_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE trials (experiment TEXT)")
        db.execute("CREATE TABLE runs (id INTEGER)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="older version of the harness"):
        Store(path)
    assert path.read_bytes() == before


def test_a_newer_schema_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    with pytest.raises(StoreError, match="has schema 99"):
        Store(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_a_read_only_store_is_refused(tmp_path):
    path = tmp_path / "ro.sqlite"
    Store(path).close()
    path.chmod(0o444)
    with pytest.raises(StoreError, match="not readable and writable"):
        Store(path)


def test_a_store_locked_too_long_is_a_store_error_and_keeps_saved_trials(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT", 0.05)
    monkeypatch.setattr(store_module, "WRITE_ATTEMPTS", 2)
    monkeypatch.setattr(store_module.time, "sleep", lambda s: None)
    path = tmp_path / "locked.sqlite"
    s = Store(path)
    s.save(toy(), [0], [{"x": 0.0}], 1.0)
    s.db.close()
    s.db = sqlite3.connect(path, timeout=0.05)
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(StoreError, match="stayed locked by another process"):
        s.save(toy(), [1], [{"x": 1.0}], 1.0)
    other.rollback()
    assert s.trials(toy(), [0])["x"].tolist() == [0.0]


def test_a_failing_write_is_a_store_error_naming_the_file(tmp_path):
    s = Store(tmp_path / "t.sqlite")

    class Broken:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def executemany(self, *args):
            raise sqlite3.OperationalError("database or disk is full")

    s.db = Broken()
    with pytest.raises(StoreError, match="disk is full.*trials saved so far are kept"):
        s.save(toy(), [0], [{"x": 0.0}], 1.0)


def test_two_stores_on_one_file_share_trials(tmp_path):
    path = tmp_path / "shared.sqlite"
    a, b = Store(path), Store(path)
    a.save(toy(), [0], [{"x": 0.0}], 1.0)
    b.save(toy(), [1], [{"x": 1.0}], 1.0)
    assert a.trials(toy(), [0, 1])["x"].tolist() == [0.0, 1.0]


def test_runs_and_results(tmp_path):
    s = Store(tmp_path / "t.sqlite")
    run = s.start_run("standard", True, {"profile": "standard"})
    s.save_result(run, "Q99.1", {"verdict": "SUPPORTED"})
    assert s.latest_run() is None  # not finished
    s.finish_run(run)
    assert s.latest_run()["id"] == run
    assert s.results(run) == {"Q99.1": {"verdict": "SUPPORTED"}}
    with pytest.raises(ValueError):
        s.save_result(run, "Q99.2", {"p": float("inf")})


def test_an_evidence_file_taken_in_whole_is_not_parsed_again(tmp_path, monkeypatch):
    from harness import evidence

    source = Store(tmp_path / "source.sqlite")
    source.save(toy(), [0, 1], [{"x": 0.0}, {"x": 1.0}], 1.0)
    source.save(toy(k=2.0), [0], [{"x": 0.0}], 1.0)
    directory = tmp_path / "evidence"
    evidence.export(directory, source, {"a": (toy(), 2), "b": (toy(k=2.0), 1)})
    parsed = []
    real_loads = evidence.json.loads

    def loads(text):
        if '"seed"' in text:  # an evidence line (the store decodes measurements too)
            parsed.append(text)
        return real_loads(text)

    monkeypatch.setattr(evidence.json, "loads", loads)

    s = Store(tmp_path / "t.sqlite")
    assert evidence.load(directory, s, [toy()]).trials == 2  # k=2.0 not selected ...
    assert evidence.load(directory, s, [toy(), toy(k=2.0)]).trials == 1  # ... so read again
    assert len(parsed) == 6
    assert evidence.load(directory, s, [toy(), toy(k=2.0)]).trials == 0
    assert len(parsed) == 6  # taken in whole: skipped
    s.forget_version(toy())  # trials dropped: the file must bring them back
    assert evidence.load(directory, s, [toy(), toy(k=2.0)]).trials == 2
    (directory / "store_toy.jsonl").write_text("")  # a changed file is read
    evidence.load(directory, s, [toy(), toy(k=2.0)])
    assert s.loaded_mark("store_toy") is not None
