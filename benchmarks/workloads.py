"""The workloads of the engine benchmarks (benchmarks/test_engine_speed.py): the batched
engine and a straightforward one-seed-at-a-time PyTorch loop on two protocols of the notebook
(claims/protocols.md) at the extremes of its range.

* Q42 -- 1 hidden layer of 2 / 4 / 16 sigmoid units x 3 targets, 100 points, full batch, MSE,
  10,000 steps: tiny networks, overhead-bound.
* Q46 -- 6 -> 200 -> 200 -> 200 -> 2 sigmoid MLP, n = 50..300 rows x true / permuted labels,
  mini-batches of 64 without replacement, cross-entropy, 2,500 steps and 10 evaluations of
  training accuracy: compute-bound.

The simple loop is what one would write by hand: ``nn.Sequential`` of ``nn.Linear`` + sigmoid,
``torch.optim.Adam(lr=0.003)``, one seed after another. Both sides are timed for a number of
steps and scaled to the full protocol (a step's cost does not change during training).
"""

from __future__ import annotations

import time

import numpy as np
import torch

from experiments import data
from experiments.engine import BatchedMLP, accuracy, one_hot, stack, train
from experiments.rng import numpy_rng

Q42_STEPS, Q46_STEPS, Q46_EVALS = 10_000, 2_500, 10
Q42_WIDTHS = (2, 4, 16)
Q46_NS = (50, 100, 150, 200, 250, 300)
Q46_SIZES = (6, 200, 200, 200, 2)


def q42_targets(x: torch.Tensor) -> list[torch.Tensor]:
    return [torch.sin(12 * x), -2 * x**4 + x**3 + x**2 - 2 * x, x.abs()]


class Clock:
    """Process CPU time: with one torch thread on a shared machine, what the work costs on an
    otherwise idle core (wall time would include waiting for the other jobs)."""

    now = staticmethod(time.process_time)


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
