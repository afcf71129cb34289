"""The SQLite results store: trials keyed by experiment, parameters, seed, code and torch."""

import numpy as np
import pytest

from harness import Compare, Empirical, Kind, Verdict, experiment
from harness.claim import Claim
from harness.profiles import get_profile
from harness.runner import evaluate
from harness.store import Store

CALLS = []


@experiment("store_demo")
def store_demo(seeds, shift=1.0):
    CALLS.append(list(seeds))
    return [{"a": np.random.default_rng(s).normal(shift), "b": 0.0, "curve": [s, s + 1]}
            for s in seeds]


@pytest.fixture
def store(tmp_path):
    CALLS.clear()
    s = Store(tmp_path / "t.sqlite")
    yield s
    s.close()


def compute(seeds):
    return [{"x": s} for s in seeds], 0.5


def test_missing_seeds_run_in_one_batch_and_cached_ones_are_reused(store):
    protocol = store_demo(shift=2.0)
    trials, _ = store.trials(protocol, range(4), run=lambda s: (protocol.run(s), 1.0))
    assert CALLS == [[0, 1, 2, 3]] and (store.hits, store.misses) == (0, 4)
    trials2, _ = store.trials(protocol, range(6), run=lambda s: (protocol.run(s), 1.0))
    assert CALLS[-1] == [4, 5] and (store.hits, store.misses) == (4, 6)
    np.testing.assert_array_equal(trials2["a"][:4], trials["a"])
    assert trials2["curve"].shape == (6, 2)


def test_parameters_code_version_and_torch_version_are_part_of_the_key(store, monkeypatch):
    store.trials(store_demo(shift=1.0), [0], run=lambda s: compute(s))
    assert store.cached(store_demo(shift=1.0), [0])
    assert not store.cached(store_demo(shift=2.0), [0])
    monkeypatch.setattr(type(store_demo), "code_version", property(lambda self: "changed"))
    assert not store.cached(store_demo(shift=1.0), [0])
    monkeypatch.undo()
    store.torch = "0.0-other"
    assert not store.cached(store_demo(shift=1.0), [0])


def test_forgotten_trials_are_recomputed_and_overwritten(store):
    p = store_demo()
    store.trials(p, [0, 1], run=lambda s: ([{"x": 1}] * len(s), 1.0))
    store.forget(p)
    trials, _ = store.trials(p, [0, 1], run=lambda s: ([{"x": 2}] * len(s), 1.0))
    assert list(trials["x"]) == [2, 2]
    assert list(store.trials(p, [0, 1])[0]["x"]) == [2, 2]


def test_a_lookup_without_a_runner_names_the_missing_seeds(store):
    with pytest.raises(LookupError, match=r"seeds \[0, 1\] are not in the store"):
        store.trials(store_demo(), [0, 1])


def test_completed_looks_survive_a_crash_in_a_later_look(store):
    """An interrupted run loses no completed work: each look's trials are saved at once."""
    calls = []

    @experiment("flaky")
    def flaky(seeds):
        calls.append(len(seeds))
        if len(calls) > 1:
            raise KeyboardInterrupt("interrupted")
        return [{"a": float(s), "b": float(s) + np.random.default_rng(s).normal()} for s in seeds]

    c = Claim(id="Q99.1", quote="q", statement="s", kind=Kind.EMPIRICAL,
              check=Empirical(flaky(), Compare("a", "b")), expect=Verdict.SUPPORTED)
    with pytest.raises(KeyboardInterrupt):
        evaluate([c], store, get_profile("standard"))
    assert len(store.cached(flaky(), range(20))) == 5


def test_runs_and_results_round_trip(store):
    run = store.start_run("standard", True, {"profile": "standard"})
    store.save_result(run, "Q1.1", {"verdict": "SUPPORTED"})
    assert store.latest_run() is None            # not finished yet
    store.finish_run(run)
    assert store.latest_run()["id"] == run
    assert store.results(run) == {"Q1.1": {"verdict": "SUPPORTED"}}
    partial = store.start_run("smoke", False, {})
    store.finish_run(partial)
    assert store.latest_run()["id"] == run
    assert store.latest_run(complete_only=False)["id"] == partial


def test_an_unreadable_database_gives_a_clear_message(tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not sqlite" * 200)
    with pytest.raises(RuntimeError, match="unreadable.*--store"):
        Store(bad)


def test_an_effect_below_the_smallest_effect_of_interest_is_not_shown_as_supported(store):
    """A clear but too-small effect: significant for the claim (effect > 0), its own interval
    below min_effect; after adjustment over a large family it must not read SUPPORTED."""
    @experiment("small_effect")
    def small_effect(seeds):
        return [{"a": 0.05 + 0.01 * np.random.default_rng(s).normal(), "b": 0.0} for s in seeds]

    c = Claim(id="Q99.1", quote="q", statement="a beats b by 0.06", kind=Kind.EMPIRICAL,
              check=Empirical(small_effect(), Compare("a", "b", min_effect=0.06)))
    family = [c] + [Claim(id=f"Q98.{i}", quote="q", statement="s", kind=Kind.EMPIRICAL,
                          check=Empirical(small_effect(), Compare("a", "b")))
                    for i in range(1, 200)]
    r = evaluate([c], store, get_profile("standard", seeds=10), family=family)["Q99.1"]
    assert r.p_adj < 0.05 and r.p_against_adj >= 0.05
    assert r.verdict is Verdict.INCONCLUSIVE
    assert "excludes the smallest effect" in r.detail


def test_fresh_recomputes_each_seed_once_across_looks(store):
    """--fresh forgets stored trials up front; later looks reuse what the run computed."""
    c = Claim(id="Q99.1", quote="q", statement="s", kind=Kind.EMPIRICAL,
              check=Empirical(store_demo(shift=0.0), Compare("a", "b", min_effect=0.5)))
    evaluate([c], store, get_profile("standard"))
    assert [len(s) for s in CALLS] == [5, 5, 10]
    CALLS.clear()
    evaluate([c], store, get_profile("standard"))
    assert CALLS == []
    evaluate([c], store, get_profile("standard"), fresh=True)
    assert [len(s) for s in CALLS] == [5, 5, 10]
