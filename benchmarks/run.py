"""Batched engine vs a straightforward one-seed-at-a-time PyTorch loop, side by side.

    python benchmarks/run.py                 # both protocols, 20 seeds, torch's default threads
    python benchmarks/run.py --threads 1     # pin the thread count (both sides get the same)
    python benchmarks/run.py --quick         # fewer timed steps (a smoke run, noisier)

Protocols (../shared/protocols.md):

* Q42 -- 1 hidden layer of 2 / 4 / 16 sigmoid units x 3 targets, 100 points, full batch, MSE,
  10,000 steps. Both sides are timed for ``--q42-steps`` steps and scaled to 10,000 (the cost of
  a step does not change over training). The batched engine trains one stacked model per width
  (3 targets x seeds models each).
* Q46 -- 6 -> 200 -> 200 -> 200 -> 2 sigmoid MLP, n = 50..300 rows x true / permuted labels,
  mini-batches of 64 drawn without replacement, cross-entropy, 2,500 steps, training accuracy on
  all rows every 250 steps. Both sides are timed for ``--q46-steps`` steps plus one accuracy
  evaluation and scaled to 2,500 steps + 10 evaluations. The batched engine trains all
  12 x seeds models as one stacked model (rows padded to 300).

The simple loop is what one would write by hand: ``nn.Sequential`` of ``nn.Linear`` + sigmoid,
``torch.optim.Adam(lr=0.003)`` with default settings, one seed after another. To keep its run
time bounded it is timed on a sample of the seed-runs (``--simple-sample`` per setting); its
per-step cost does not depend on the seed.

Timings are the best of ``--repeats`` interleaved repeats (the machine may be shared), and the
load average is printed so that a noisy run can be recognised.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from experiments import data  # noqa: E402
from experiments.engine import BatchedMLP, accuracy, one_hot, stack, train  # noqa: E402
from experiments.rng import numpy_rng  # noqa: E402

Q42_STEPS, Q46_STEPS, Q46_EVALS = 10_000, 2_500, 10
Q42_WIDTHS = (2, 4, 16)
Q46_NS = (50, 100, 150, 200, 250, 300)
Q46_SIZES = (6, 200, 200, 200, 2)


def q42_targets(x: torch.Tensor) -> list[torch.Tensor]:
    return [torch.sin(12 * x), -2 * x**4 + x**3 + x**2 - 2 * x, x.abs()]


class Clock:
    """Wall-clock or process CPU time (``--clock``). On a shared machine with one torch thread,
    CPU time is what the work costs on an otherwise idle core; wall time includes waiting."""

    now = staticmethod(time.perf_counter)


def best_time(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = Clock.now()
        fn()
        best = min(best, Clock.now() - t0)
    return best


# --- Q42 ------------------------------------------------------------------------------------


def q42_batched(seeds: int, steps: int) -> None:
    x = torch.linspace(-1, 1, 100)[:, None]
    targets = q42_targets(x)
    n_models = len(targets) * seeds
    seed_of = [1000 + m for m in range(n_models)]
    xs = x[None].expand(n_models, 100, 1).contiguous()
    ts = torch.stack([targets[m // seeds] for m in range(n_models)])
    for width in Q42_WIDTHS:
        model = BatchedMLP((1, width, 1), n_models).initialise(seed_of)
        train(model, xs, ts, steps=steps, seeds=seed_of, batch_size=None, loss="mse")


def q42_simple(per_setting: int, steps: int) -> int:
    x = torch.linspace(-1, 1, 100)[:, None]
    runs = 0
    for width in Q42_WIDTHS:
        for target in q42_targets(x):
            for seed in range(per_setting):
                torch.manual_seed(seed)
                net = torch.nn.Sequential(
                    torch.nn.Linear(1, width), torch.nn.Sigmoid(), torch.nn.Linear(width, 1)
                )
                opt = torch.optim.Adam(net.parameters(), lr=0.003)
                for _ in range(steps):
                    loss = torch.nn.functional.mse_loss(net(x), target)
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                runs += 1
    return runs


# --- Q46 ------------------------------------------------------------------------------------


def q46_data(seed: int, n: int, permuted: bool):
    rng = numpy_rng(seed, "data")
    x, y = data.gaussian_mixture(rng, n, d=6, sep=data.separation("ones", 6), scale=1.0)
    if permuted:
        y = rng.permutation(y)
    return x, y


def q46_settings(seeds: int):
    return [(n, p, 2000 + s) for n in Q46_NS for p in (False, True) for s in range(seeds)]


def q46_batched(seeds: int, steps: int, evals: int) -> tuple[float, float, float]:
    """Returns the time of (setup: data + initialisation, ``steps`` training steps, one
    evaluation)."""
    t0 = Clock.now()
    settings = q46_settings(seeds)
    seed_of = [s for _, _, s in settings]
    sets = [q46_data(s, n, p) for n, p, s in settings]
    x, rows = stack([a for a, _ in sets])
    y, _ = stack([b for _, b in sets], torch.long)
    model = BatchedMLP(Q46_SIZES, len(settings)).initialise(seed_of)
    t1 = Clock.now()
    train(
        model,
        x,
        one_hot(y),
        rows=rows,
        steps=steps,
        seeds=seed_of,
        batch_size=64,
        loss="cross_entropy",
    )
    t2 = Clock.now()
    for _ in range(evals):
        accuracy(model, x, y, rows)
    t3 = Clock.now()
    return t1 - t0, t2 - t1, (t3 - t2) / max(evals, 1)


def q46_simple_run(
    n: int, permuted: bool, seed: int, steps: int, evals: int
) -> tuple[float, float, float]:
    t0 = Clock.now()
    x, y = q46_data(seed, n, permuted)
    x, y = torch.as_tensor(x), torch.as_tensor(y)
    torch.manual_seed(seed)
    layers = []
    for i, o in zip(Q46_SIZES[:-1], Q46_SIZES[1:]):
        layers += [torch.nn.Linear(i, o), torch.nn.Sigmoid()]
    net = torch.nn.Sequential(*layers[:-1])
    opt = torch.optim.Adam(net.parameters(), lr=0.003)
    t1 = Clock.now()
    for _ in range(steps):
        batch = torch.randperm(n)[:64]
        loss = torch.nn.functional.cross_entropy(net(x[batch]), y[batch])
        opt.zero_grad()
        loss.backward()
        opt.step()
    t2 = Clock.now()
    with torch.no_grad():
        for _ in range(evals):
            (net(x).argmax(-1) == y).float().mean()
    t3 = Clock.now()
    return t1 - t0, t2 - t1, (t3 - t2) / max(evals, 1)


def q46_simple(per_setting: int, steps: int, evals: int) -> tuple[int, float, float, float]:
    """Per seed-run mean of (setup, ``steps`` steps, one evaluation) over the sample."""
    times = np.array(
        [q46_simple_run(n, p, s, steps, evals) for n, p, s in q46_settings(per_setting)]
    )
    return len(times), *times.mean(0)


def q46_flops_per_step(seeds: int) -> float:
    """Multiply-add FLOPs the batched engine executes per step (every model computes a padded
    batch of 64 rows): forward 2BIO, weight gradient 2BIO, input gradient 2BIO (not for the
    first layer)."""
    per_model = 0
    for layer, (i, o) in enumerate(zip(Q46_SIZES[:-1], Q46_SIZES[1:])):
        per_model += 2 * 64 * i * o * (2 if layer == 0 else 3)
    return per_model * len(q46_settings(seeds))


def q46_flops_per_eval(seeds: int) -> float:
    per_model = sum(2 * max(Q46_NS) * i * o for i, o in zip(Q46_SIZES[:-1], Q46_SIZES[1:]))
    return per_model * len(q46_settings(seeds))


def matmul_peak(repeats: int, size: int = 2048) -> float:
    a, b = torch.randn(size, size), torch.randn(size, size)
    a @ b
    return 2 * size**3 / best_time(lambda: a @ b, max(repeats, 5)) / 1e9


# --- main -----------------------------------------------------------------------------------


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seeds", type=int, default=20, help="seeds per setting (both sides)")
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    p.add_argument("--q42-steps", type=int, default=1000, help="timed steps (scaled to 10,000)")
    p.add_argument("--q46-steps", type=int, default=40, help="timed steps (scaled to 2,500)")
    p.add_argument(
        "--simple-sample", type=int, default=2, help="simple-loop seed-runs timed per setting"
    )
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="fewer steps and repeats")
    p.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="cpu: process CPU time (meaningful with --threads 1 on a busy machine)",
    )
    p.add_argument("--only", choices=("q42", "q46"), default=None)
    p.add_argument("--json", type=Path, default=None, help="also write the figures here")
    a = p.parse_args(argv)
    if a.quick:
        a.q42_steps, a.q46_steps, a.repeats = 200, 10, 1
    if a.threads:
        torch.set_num_threads(a.threads)
    Clock.now = staticmethod(time.process_time if a.clock == "cpu" else time.perf_counter)
    out = {
        "torch": torch.__version__,
        "python": platform.python_version(),
        "cpu": _cpu_name(),
        "cores": os.cpu_count(),
        "threads": torch.get_num_threads(),
        "seeds": a.seeds,
        "clock": a.clock,
        "load_before": os.getloadavg()[0],
    }
    print(
        f"torch {out['torch']}, {out['cpu']}, {out['cores']} cores, "
        f"{out['threads']} torch threads, {a.clock} clock, load average {out['load_before']:.2f}"
    )

    if a.only in (None, "q42"):
        q42_batched(2, 20)  # warm-up
        q42_simple(1, 20)
        simple_t, batched_t = float("inf"), float("inf")
        for _ in range(a.repeats):  # interleaved
            t0 = Clock.now()
            runs = q42_simple(a.simple_sample, a.q42_steps // 5)
            simple_t = min(simple_t, (Clock.now() - t0) / runs / (a.q42_steps // 5))
            t0 = Clock.now()
            q42_batched(a.seeds, a.q42_steps)
            batched_t = min(batched_t, Clock.now() - t0)
        n_runs = len(Q42_WIDTHS) * 3 * a.seeds
        simple_rate = 1 / (simple_t * Q42_STEPS)
        batched_rate = n_runs / (batched_t / a.q42_steps * Q42_STEPS)
        out["q42"] = {
            "seed_runs": n_runs,
            "simple_seed_runs_per_s": simple_rate,
            "batched_seed_runs_per_s": batched_rate,
            "speedup": batched_rate / simple_rate,
            "simple_ms_per_step": simple_t * 1e3,
            "batched_ms_per_step_all_models": batched_t / a.q42_steps * 1e3,
        }
        print(
            f"Q42 ({n_runs} seed-runs of 10,000 full-batch steps): simple "
            f"{simple_rate:.3f} seed-runs/s ({simple_t * 1e6:.0f} us/step), batched "
            f"{batched_rate:.2f} seed-runs/s -> {batched_rate / simple_rate:.1f}x"
        )

    if a.only in (None, "q46"):
        q46_batched(1, 3, 1)  # warm-up
        q46_simple_run(300, False, 0, 3, 1)
        steps = a.q46_steps
        simple_t, batched_t = float("inf"), float("inf")
        for _ in range(a.repeats):  # interleaved; full-protocol estimate
            _, setup, step_t, eval_t = q46_simple(min(a.simple_sample, a.seeds), steps, 1)
            simple_t = min(simple_t, setup + step_t * Q46_STEPS / steps + eval_t * Q46_EVALS)
            setup, step_t, eval_t = q46_batched(a.seeds, steps, 1)
            if setup + step_t * Q46_STEPS / steps + eval_t * Q46_EVALS < batched_t:
                batched_t = setup + step_t * Q46_STEPS / steps + eval_t * Q46_EVALS
                batched_compute = step_t * Q46_STEPS / steps + eval_t * Q46_EVALS
        n_runs = len(q46_settings(a.seeds))
        simple_rate = 1 / simple_t
        batched_rate = n_runs / batched_t
        flops = q46_flops_per_step(a.seeds) * Q46_STEPS + q46_flops_per_eval(a.seeds) * Q46_EVALS
        gflops = flops / batched_compute / 1e9  # training + evaluation, not setup
        peak = matmul_peak(a.repeats)
        out["q46"] = {
            "seed_runs": n_runs,
            "simple_seed_runs_per_s": simple_rate,
            "batched_seed_runs_per_s": batched_rate,
            "speedup": batched_rate / simple_rate,
            "batched_gflops": gflops,
            "matmul_peak_gflops": peak,
            "fraction_of_peak": gflops / peak,
        }
        print(
            f"Q46 ({n_runs} seed-runs of 2,500 mini-batch steps): simple "
            f"{simple_rate:.4f} seed-runs/s, batched {batched_rate:.4f} seed-runs/s -> "
            f"{batched_rate / simple_rate:.2f}x; batched engine {gflops:.1f} GFLOP/s = "
            f"{100 * gflops / peak:.0f}% of the measured matmul peak ({peak:.1f} GFLOP/s, "
            f"2048x2048 torch.matmul)"
        )
    out["load_after"] = os.getloadavg()[0]
    print(f"load average after: {out['load_after']:.2f}")
    if a.json:
        a.json.write_text(json.dumps(out, indent=2))
    return out


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    main()
