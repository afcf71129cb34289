"""Q48 -- can any nonlinearity be an activation? Six activations on the two-moons task."""
from __future__ import annotations

import numpy as np
import torch

from harness import experiment
from harness.figures import band

from . import data, engine, rng, tasks
from .engine import BatchedMLP, accuracy, one_hot, train
from .threads import one_thread




ACTIVATIONS = ("relu", "tanh", "square", "sin", "sign", "identity")


def moons_task(seeds, *, n=500, noise=0.1, test_fraction=0.2) -> tasks.StackedTask:
    """Per model, ``n`` two-moons rows (sklearn, noise ``noise``) drawn from the seed's own
    "data" stream, split 80/20. Models with the same seed get the same data (paired)."""
    cache = {}
    for seed in dict.fromkeys(seeds):
        r = rng.numpy_rng(seed, "data")
        x, y = data.two_moons(int(r.integers(2 ** 31 - 1)), n=n, noise=noise)
        cache[seed] = data.train_test_split(r, x, y, test_fraction)
    return tasks.stack_splits([cache[s] for s in seeds])


@experiment("activations", depends_on=(engine, tasks, data, rng))
@one_thread()
def activations(seeds, *, activations=ACTIVATIONS, steps=800, every=80, hidden=(30, 30),
                lr=0.003, noise=0.1):
    """Every (activation, seed) pair is one model of one batched MLP (per-model activations);
    a seed fixes the data, the Xavier initial weights and the batch order, so activations are
    compared on identical starts (paired by seed)."""
    act_of, seed_of = tasks.grid(activations, seeds)
    task = moons_task(seed_of, noise=noise)
    model = BatchedMLP((2, *hidden, 2), len(seed_of), list(act_of)).initialise(seed_of)
    curve = []
    train(model, task.x_train, one_hot(task.y_train), rows=task.rows_train, steps=steps,
          seeds=seed_of, loss="cross_entropy", lr=lr, every=every,
          record=lambda step: curve.append(accuracy(model, task.x_test, task.y_test)))
    return tasks.curves_per_seed(curve, activations, seeds)


@activations.figure
def _plot(trials, fig):
    ax = fig.add_subplot(1, 1, 1)
    acts = trials.params.get("activations", ACTIVATIONS)
    steps = np.arange(1, len(trials.measurements[0][f"curve[{acts[0]}]"]) + 1) \
        * trials.params.get("every", 80)
    for a in acts:
        band(ax, steps, trials[f"curve[{a}]"], label=a)
    ax.set(xlabel="training step", ylabel="test accuracy", ylim=(0.4, 1.02),
           title="two moons: test accuracy by hidden activation")
    ax.legend(fontsize=7, ncol=3)


def identity_net_is_affine(seed: int = 0, trials: int = 5) -> tuple[bool, str]:
    """An MLP whose hidden activation is the identity is an affine map of its input up to the
    softmax: f(a x + (1 - a) z) = a f(x) + (1 - a) f(z) for every x, z and a (float64)."""
    model = BatchedMLP((2, 30, 30, 2), 1, "identity", dtype=torch.float64).initialise([seed])
    g = torch.Generator().manual_seed(seed)
    worst = 0.0
    for _ in range(trials):
        x, z = torch.randn(1, 64, 2, generator=g, dtype=torch.float64), \
            torch.randn(1, 64, 2, generator=g, dtype=torch.float64)
        a = float(torch.rand(1, generator=g)) * 4 - 2
        with torch.no_grad():
            lhs = model(a * x + (1 - a) * z)
            rhs = a * model(x) + (1 - a) * model(z)
        worst = max(worst, float((lhs - rhs).abs().max()))
    return worst < 1e-10, f"largest deviation from affinity {worst:.2e} (float64)"
