"""Q48 -- can any nonlinearity be an activation? Six hidden activations on the two-moons task,
as the original's Experiment 7.

Per seed: 500 two-moons rows (noise 0.1) split 80/20, and one network per activation (2 -> 30
-> 30 -> 2, Xavier-uniform weights and biases, linear output), trained with Adam (lr 0.003,
cross-entropy) for 800 steps on mini-batches of 64. Test accuracy is recorded where the original
recorded it: after the update of every step whose index is a multiple of 80, i.e. after 1, 81,
..., 721 updates (its figure's ten points); the claims read the last one. sign(x) has gradient
0 (as in TensorFlow), so its hidden layers keep their initial weights.
"""

from __future__ import annotations

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment, real
from harness.figures import band
from harness.figures import seeds as seed_lines

from . import data, rng, tasks
from .engine import BatchedMLP, one_hot, train
from .engine import accuracy as accuracy_of

ACTIVATIONS = ("relu", "tanh", "square", "sin", "sign", "identity")
N_TEST = 100

ACCURACY = accuracy(
    "accuracy",
    "test accuracy at the original's last checkpoint (after 721 of 800 steps)",
    rows=N_TEST,
    axes=("activation",),
)
CURVE = real("curve", "test accuracy after 1, 81, ..., 721 updates", axes=("activation",))


def moons_task(seeds, *, n=500, noise=0.1, test_fraction=0.2) -> tasks.StackedTask:
    """Per model, ``n`` two-moons rows (sklearn, noise ``noise``) drawn from the seed's own
    "data" stream, split 80/20. Models with the same seed get the same data (paired)."""
    cache = {}
    for seed in dict.fromkeys(seeds):
        r = rng.numpy_rng(seed, "data")
        x, y = data.two_moons(int(r.integers(2**31 - 1)), n=n, noise=noise)
        cache[seed] = data.train_test_split(r, x, y, test_fraction)
    return tasks.stack_splits([cache[s] for s in seeds])


@experiment("activations", measures=(ACCURACY, CURVE), chunk=10)
def activations(
    seeds, *, activations=ACTIVATIONS, steps=800, every=80, hidden=(30, 30), lr=0.003, noise=0.1
):
    """Every (activation, seed) pair is one model of one batched MLP (per-model activations);
    a seed fixes the data, the Xavier initial weights and the batch order, so activations are
    compared on identical starts (paired by seed)."""
    act_of, seed_of = tasks.grid(activations, seeds)
    task = moons_task(seed_of, noise=noise)
    model = BatchedMLP((2, *hidden, 2), len(seed_of), list(act_of)).initialise(seed_of)
    curve = []

    def record(done):
        if (done - 1) % every == 0:  # the original: after the update of step 0, 80, 160, ...
            curve.append(accuracy_of(model, task.x_test, task.y_test, task.rows_test))

    diverged = train(
        model,
        task.x_train,
        one_hot(task.y_train),
        rows=task.rows_train,
        steps=steps,
        seeds=seed_of,
        loss="cross_entropy",
        lr=lr,
        every=1,
        record=record,
    )
    out = tasks.curves_per_seed(curve, activations, seeds, final=ACCURACY, trace=CURVE)
    bad = np.asarray(diverged).reshape(len(activations), len(seeds)).any(0)
    return [{DIVERGED: True} if b else m for b, m in zip(bad, out)]


@activations.figure
def _plot(trials, fig):
    acts = list(trials.params["activations"])
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    marks = np.arange(len(trials[CURVE.key(activation=acts[0])][0]))
    for a in acts:
        band(ax1, marks, trials[CURVE.key(activation=a)], label=a, sd=True, linestyle="--")
    ax1.set(
        xlabel="∝ epochs (checkpoint every 80 steps)",
        ylabel="test accuracy",
        ylim=(0.4, 1.02),
        title="Test accuracy with various activations\n(as the original: mean ± 1 SD)",
    )
    ax1.legend(fontsize=8, ncol=2)
    x = np.arange(len(acts))
    values = ACCURACY.over_values(trials, "activation", acts)
    seed_lines(ax2, x, values, color="grey")
    band(ax2, x, values, label="mean, 95 % interval", color="k")
    ax2.set_xticks(x, acts)
    ax2.set(
        ylabel="test accuracy after 721 steps",
        ylim=(0.4, 1.02),
        title="our view: every seed, mean and 95 % interval",
    )
    ax2.legend(fontsize=8)


def identity_net_affinity(seed: int = 0, trials: int = 5) -> float:
    """Largest deviation from f(a x + (1 - a) z) = a f(x) + (1 - a) f(z) of the seed's
    identity-activation network (2 -> 30 -> 30 -> 2, float64) on random x, z, a."""
    model = BatchedMLP((2, 30, 30, 2), 1, "identity", dtype=torch.float64).initialise([seed])
    g = torch.Generator().manual_seed(seed)
    worst = 0.0
    for _ in range(trials):
        x = torch.randn(1, 64, 2, generator=g, dtype=torch.float64)
        z = torch.randn(1, 64, 2, generator=g, dtype=torch.float64)
        a = float(torch.rand(1, generator=g, dtype=torch.float64)) * 4 - 2
        with torch.no_grad():
            lhs = model(a * x + (1 - a) * z)
            rhs = a * model(x) + (1 - a) * model(z)
        worst = max(worst, float((lhs - rhs).abs().max()))
    return worst
