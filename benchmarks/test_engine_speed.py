"""Engine speed, as pytest-benchmark tests: each measures the batched engine and, in the same
run, the one-seed-at-a-time loop it replaces, and records the speed-up in ``extra_info``
(never asserted: speed is a figure, not a pass/fail test).

    pytest benchmarks/ --benchmark-only --benchmark-autosave      # save this run
    pytest benchmarks/ --benchmark-only --benchmark-compare        # against the last saved run

One torch thread on both sides (the runner's policy), CPU time.
"""

import time

import pytest
import torch

from benchmarks import workloads as w

SEEDS = 20


@pytest.fixture(autouse=True)
def one_thread():
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)


def _record(benchmark, baseline_per_run: float, runs: int, scale: float) -> None:
    batched_per_run = benchmark.stats.stats.min * scale / runs
    benchmark.extra_info.update(
        seed_runs=runs,
        simple_seconds_per_seed_run=baseline_per_run,
        batched_seconds_per_seed_run=batched_per_run,
        speedup=baseline_per_run / batched_per_run,
    )


@pytest.mark.benchmark(timer=time.process_time)
def test_q42_batched_against_the_simple_loop(benchmark):
    steps = 400
    w.q42_simple(1, 20), w.q42_batched(2, 20)  # warm-up
    simple = w.best_time(lambda: w.q42_simple(1, steps // 5), 3) / 9 / (steps // 5)
    benchmark.pedantic(w.q42_batched, args=(SEEDS, steps), rounds=3, iterations=1)
    _record(benchmark, simple * w.Q42_STEPS, 9 * SEEDS, w.Q42_STEPS / steps)


@pytest.mark.benchmark(timer=time.process_time)
def test_q46_batched_against_the_simple_loop(benchmark):
    steps = 30
    w.q46_simple_run(300, False, 0, 3, 1), w.q46_batched(1, 3, 1)  # warm-up
    _, setup, step, evaluation = w.q46_simple(1, steps, 1)
    simple = setup + step * w.Q46_STEPS / steps + evaluation * w.Q46_EVALS
    benchmark.pedantic(w.q46_batched, args=(SEEDS, steps, 1), rounds=3, iterations=1)
    _record(benchmark, simple, len(w.q46_settings(SEEDS)), w.Q46_STEPS / steps)
