"""Cold against warm, as a pytest-benchmark test: one question's claims run from an empty store
(every trial computed, no committed evidence: ``--fresh``), then again on that store (every
trial and exact check reused), in the same benchmark run. ``extra_info`` records both wall
times and their ratio. Wall time: the run spreads its trials over processes.

    pytest benchmarks/test_run_speed.py --benchmark-only --benchmark-json out.json

The whole catalogue's cold and warm figures are in docs/performance.md.
"""

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "claims/q52_layer_convergence.py"  # a small, fully batched experiment


def _run(tmp_path: Path, *extra: str) -> float:
    command = [
        sys.executable,
        "-m",
        "pytest",
        QUESTION,
        "-q",
        "-p",
        "no:randomly",
        "--store",
        str(tmp_path / "trials.sqlite"),
        "--report",
        str(tmp_path / "report" / "verdicts.md"),
        *extra,
    ]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return seconds


@pytest.mark.benchmark(timer=time.perf_counter)
def test_a_warm_rerun_against_a_cold_run(benchmark, tmp_path):
    cold = _run(tmp_path, "--fresh")
    benchmark.pedantic(_run, args=(tmp_path,), rounds=1, iterations=1)
    warm = benchmark.stats.stats.min
    benchmark.extra_info.update(
        question=QUESTION, cold_seconds=cold, warm_seconds=warm, speedup=cold / warm
    )
