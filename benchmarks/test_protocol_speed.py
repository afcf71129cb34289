"""Per-protocol cost, as pytest-benchmark tests: every protocol of the standard profile runs one
chunk of seeds batched (as the runner does) and, in the same run, the same seeds one at a time;
``extra_info`` records CPU seconds per seed and the batching speed-up. One torch thread, CPU
time, the first chunk of seeds.

    pytest benchmarks/test_protocol_speed.py --benchmark-only --benchmark-json out.json
"""

import time

import pytest

from harness import catalogue
from harness.claim import Empirical
from harness.executors import threads
from harness.profiles import PROFILES
from harness.runner import not_tested


def _protocols():
    seen = {}
    for c in catalogue.load_all():
        if isinstance(c.check, Empirical) and not_tested(c, PROFILES["standard"]) is None:
            seen.setdefault(c.check.protocol.key, c.check.protocol)
    return sorted(seen.values(), key=lambda p: p.key)


PROTOCOLS = _protocols()


@pytest.mark.benchmark(timer=time.process_time)
@pytest.mark.parametrize("protocol", PROTOCOLS, ids=[p.label[:60] for p in PROTOCOLS])
def test_protocol_batched_against_one_seed_at_a_time(benchmark, protocol):
    chunk = list(range(protocol.experiment.chunk))
    with threads(1):
        start = time.process_time()
        for seed in chunk:
            protocol.run([seed])
        one_at_a_time = (time.process_time() - start) / len(chunk)
        benchmark.pedantic(protocol.run, args=(chunk,), rounds=1, iterations=1)
    batched = benchmark.stats.stats.min / len(chunk)
    benchmark.extra_info.update(
        seconds_per_seed=batched,
        one_at_a_time=one_at_a_time,
        speedup=one_at_a_time / batched,
        chunk=len(chunk),
    )
