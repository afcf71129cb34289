"""Where trials are computed: in this process, in local worker processes, or on a Dask cluster.

A job is one canonical chunk of seeds of one protocol, described by plain data (the experiment's
module and name, its parameters, the seeds), so any process that can import the project can run
it. Every job runs under the thread policy: one torch thread per job by default -- the batched
experiments are far below torch's parallel grain, and two jobs on two cores beat one job on two
threads.

``--executor`` takes ``serial``, ``processes`` (one worker per core), ``processes:N`` or
``dask://HOST:PORT`` (a running ``distributed`` scheduler; its workers need the project
installed, as on the machine that runs pytest).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import time
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


class ExecutorError(ValueError):
    """A bad --executor value, or an executor that cannot start."""


@dataclass(frozen=True)
class Job:
    module: str
    experiment: str
    params: dict
    seeds: tuple[int, ...]
    threads: int = 1

    @classmethod
    def of(cls, protocol, seeds: Sequence[int], threads: int = 1) -> Job:
        return cls(
            protocol.experiment.fn.__module__,
            protocol.experiment.name,
            dict(protocol.params),
            tuple(seeds),
            threads,
        )


@contextmanager
def threads(n: int):
    """Run with ``n`` torch intra-op threads and ``n`` BLAS/OpenMP threads (numpy, scikit-learn;
    threadpoolctl comes with scikit-learn), restoring both afterwards."""
    import torch
    from threadpoolctl import threadpool_limits

    old = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        with threadpool_limits(limits=n):
            yield
    finally:
        torch.set_num_threads(old)


@dataclass(frozen=True)
class Computed:
    """What a job brings back: measurements per seed, CPU seconds, and the numerics of the
    machine that computed them (a Dask worker's, not the controller's)."""

    measurements: list[dict]
    seconds: float
    numerics: str


def run_job(job: Job) -> Computed:
    """Compute one chunk. Runs wherever the job is sent."""
    from .experiment import find
    from .store import machine_numerics

    protocol = find(job.module, job.experiment)(**job.params)
    with threads(job.threads):
        start = time.process_time()  # CPU time: what the chunk costs, however busy the machine
        out = protocol.run(job.seeds)
        return Computed(out, time.process_time() - start, machine_numerics())


class Executor:
    name = "executor"
    workers = 1

    def submit(self, job: Job) -> Any:  # pragma: no cover - interface
        raise NotImplementedError

    def wait(self, handles: Sequence[Any]) -> list[Any]:
        """At least one finished handle among ``handles``."""
        done, _ = cf.wait(handles, return_when=cf.FIRST_COMPLETED)
        return list(done)

    def close(self) -> None:
        pass


class Serial(Executor):
    """In this process, one job at a time."""

    name = "serial"

    def submit(self, job: Job) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(run_job(job))
        except BaseException as exc:  # noqa: BLE001 - handed to the runner, which reports it
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            future.set_exception(exc)
        return future


class Processes(Executor):
    """A pool of local worker processes (spawned lazily: a run with nothing to compute starts
    none)."""

    name = "processes"

    def __init__(self, workers: int):
        self.workers = workers
        self.pool: cf.ProcessPoolExecutor | None = None

    def submit(self, job: Job) -> cf.Future:
        if self.pool is None:
            self.pool = cf.ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn")
            )
        return self.pool.submit(run_job, job)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


class Dask(Executor):
    """A running Dask ``distributed`` cluster."""

    name = "dask"

    def __init__(self, address: str):
        try:
            from distributed import Client
        except ImportError:
            raise ExecutorError(
                "--executor dask:// needs the 'distributed' package: "
                "pip install 'dask[distributed]'"
            ) from None
        try:
            self.client = Client(address, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        self.address = address
        self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))

    def submit(self, job: Job):
        return self.client.submit(run_job, job, pure=False)

    def wait(self, handles):
        from distributed import wait

        done, _ = wait(list(handles), return_when="FIRST_COMPLETED")
        return list(done)

    def close(self) -> None:
        self.client.close()


def make(spec: str | None) -> Executor:
    """An executor from an --executor value (default: one local process per core)."""
    spec = (spec or "processes").strip()
    if spec == "serial":
        return Serial()
    if spec == "processes" or spec.startswith("processes:"):
        _, _, n = spec.partition(":")
        if not n or n == "auto":
            workers = os.cpu_count() or 1
        elif n.isdigit() and int(n) >= 1:
            workers = int(n)
        else:
            raise ExecutorError(f"--executor {spec}: the worker count must be a positive integer")
        return Serial() if workers == 1 else Processes(workers)
    if spec.startswith(("dask://", "tcp://")):
        return Dask("tcp://" + spec.split("://", 1)[1])
    raise ExecutorError(
        f"unknown --executor {spec!r}: use serial, processes[:N] or dask://HOST:PORT"
    )
