"""The runner: shared hypotheses, the family, --fresh, interruptions, and the executors
(serial, local processes, a real Dask cluster on loopback) giving the same verdicts."""

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from concurrent.futures import Future

import pytest

from benchmarks import sim_experiment
from harness import Compare, Empirical, Kind, Verdict
from harness.claim import Claim
from harness.executors import ExecutorError, Processes, Serial, make
from harness.profiles import PROFILES
from harness.runner import Runner, family_size, hypotheses
from harness.store import Store, machine_numerics

PROFILE = PROFILES["standard"]
V = sim_experiment.VALUE


@pytest.fixture
def planted():
    """Replicates 0 and 1: a clear effect and a null one (values per seed)."""
    import numpy as np

    rng = np.random.default_rng(0)
    return {0: rng.normal(1.0, 0.2, 50).tolist(), 1: rng.normal(0.0, 0.2, 50).tolist()}


def claims(data):
    effect = Empirical(
        sim_experiment.values(rep=0, planted=data[0]), Compare(V.at(), 0.0, min_effect=0.5)
    )
    null = Empirical(
        sim_experiment.values(rep=1, planted=data[1]), Compare(V.at(), 0.0, min_effect=0.5)
    )
    return [
        Claim("Q99.1", "q", "effect", Kind.EMPIRICAL, effect),
        Claim("Q99.2", "q", "the same test again", Kind.EMPIRICAL, effect),
        Claim("Q99.3", "q", "null", Kind.EMPIRICAL, null),
    ]


def test_claims_citing_one_test_share_one_hypothesis(tmp_path, planted):
    cs = claims(planted)
    assert len(hypotheses(cs, PROFILE)) == 2 and family_size(cs, PROFILE) == 2
    results = Runner(Store(tmp_path / "s.sqlite"), PROFILE).evaluate(cs)
    assert results["Q99.1"].hypothesis_id == results["Q99.2"].hypothesis_id
    assert results["Q99.1"].verdict is Verdict.SUPPORTED
    assert results["Q99.3"].verdict is Verdict.REFUTED
    assert results["Q99.1"].seeds == 5  # decided at the first look


def test_the_family_counts_the_whole_catalogue_not_the_selection(tmp_path, planted):
    cs = claims(planted)
    small = Runner(Store(tmp_path / "a.sqlite"), PROFILE).evaluate(cs[:1])
    large = Runner(Store(tmp_path / "b.sqlite"), PROFILE, family_size=500).evaluate(cs[:1])
    assert large["Q99.1"].p_for_adj > small["Q99.1"].p_for_adj


def test_fresh_replaces_trials_only_as_new_ones_come_in(tmp_path, planted):
    path = tmp_path / "s.sqlite"
    Runner(Store(path), PROFILE).evaluate(claims(planted))
    store = Store(path)
    before = store.db.execute("SELECT COUNT(*), MIN(created) FROM trials").fetchone()

    class StopError(Exception):
        pass

    class StopAfterOneChunk(Serial):
        count = 0

        def submit(self, job):
            self.count += 1
            if self.count > 1:
                raise StopError
            return super().submit(job)

    with pytest.raises(StopError):
        Runner(store, PROFILE, fresh=True, executor=StopAfterOneChunk()).evaluate(claims(planted))
    after = store.db.execute("SELECT COUNT(*) FROM trials").fetchone()
    assert after[0] == before[0]  # an interrupted --fresh lost nothing


def test_processes_give_the_serial_verdicts(tmp_path, planted):
    serial = Runner(Store(tmp_path / "a.sqlite"), PROFILE).evaluate(claims(planted))
    pool = Processes(2)
    try:
        parallel = Runner(Store(tmp_path / "b.sqlite"), PROFILE, executor=pool).evaluate(
            claims(planted)
        )
    finally:
        pool.close()
    assert {k: (r.verdict, r.seeds, r.p_for) for k, r in serial.items()} == {
        k: (r.verdict, r.seeds, r.p_for) for k, r in parallel.items()
    }


def test_trials_record_the_numerics_of_the_machine_that_computed_them(tmp_path, planted):
    """A Dask worker may run on another CPU than the controller: its trials carry its numerics
    (evidence verification compares like with like), not the controller's."""
    import dataclasses

    class OtherMachine(Serial):
        def submit(self, job):
            future = super().submit(job)
            computed = future.result()
            assert computed.numerics == machine_numerics()  # run_job says where it ran
            moved = Future()
            moved.set_result(dataclasses.replace(computed, numerics="OtherVendor/AVX2/Zen"))
            return moved

    store = Store(tmp_path / "s.sqlite")
    Runner(store, PROFILE, executor=OtherMachine()).evaluate(claims(planted))
    where = {n for (n,) in store.db.execute("SELECT DISTINCT numerics FROM trials")}
    assert where == {"OtherVendor/AVX2/Zen"}


@pytest.mark.parametrize(
    "spec, message",
    [
        ("bogus", "unknown --executor"),
        ("processes:x", "positive integer"),
        ("dask://127.0.0.1:1", "cannot reach the Dask"),
    ],
)
def test_bad_executors_are_clear_errors(spec, message):
    with pytest.raises(ExecutorError, match=message):
        make(spec)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    """A real scheduler and worker on loopback, started as separate programs."""
    pytest.importorskip("distributed")
    if shutil.which("dask") is None and not shutil.which(sys.executable):
        pytest.skip("no dask command")
    port = _free_port()
    address = f"127.0.0.1:{port}"
    env_path = str(__import__("pathlib").Path(__file__).resolve().parent.parent)
    import os

    env = {**os.environ, "PYTHONPATH": env_path}
    scheduler = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--dashboard-address",
            ":0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_worker",
            address,
            "--nthreads",
            "1",
            "--nworkers",
            "1",
            "--no-dashboard",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=tmp_path,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                ex = make(f"dask://{address}")
                if ex.client.scheduler_info().get("workers"):
                    break
                ex.close()
            except ExecutorError:
                pass
            if time.time() > deadline:
                pytest.fail("the Dask cluster did not start within 60 s")
            time.sleep(0.5)
        yield ex
    finally:
        with contextlib.suppress(Exception):
            ex.close()
        worker.terminate()
        scheduler.terminate()
        worker.wait(10)
        scheduler.wait(10)


def test_a_dask_cluster_gives_the_serial_verdicts(tmp_path, dask_cluster, planted):
    cs = claims(planted)
    serial = Runner(Store(tmp_path / "a.sqlite"), PROFILE).evaluate(cs)
    remote = Runner(Store(tmp_path / "b.sqlite"), PROFILE, executor=dask_cluster).evaluate(cs)
    assert {k: (r.verdict, r.seeds, r.p_for) for k, r in serial.items()} == {
        k: (r.verdict, r.seeds, r.p_for) for k, r in remote.items()
    }
    assert remote["Q99.1"].verdict is Verdict.SUPPORTED


def test_an_open_interval_claim_says_its_target_and_margin(tmp_path):
    import numpy as np

    from harness import Value
    from harness.profiles import get_profile

    values = (0.94 + np.random.default_rng(3).normal(0, 0.05, 20)).tolist()  # on the edge
    check = Empirical(sim_experiment.values(rep=7, planted=values), Value(V.at(), 1.0, 0.06))
    claim = Claim("Q99.4", "q", "about 1", Kind.EMPIRICAL, check)
    result = Runner(Store(tmp_path / "s.sqlite"), get_profile("standard", 20)).evaluate([claim])
    r = result["Q99.4"]
    assert r.verdict is Verdict.INCONCLUSIVE
    assert "claimed 1 ± 0.06" in r.why_open and "threshold" not in r.why_open
