"""Q50 -- does the loss function matter? Six losses on the 12-d Gaussian task, as the
original's Experiment 9.

Per seed: 500 rows of the two-class mixture (class-1 mean ``sep``: 1/i in dimension i in the
original, 1 in every dimension in the seed's wording), split 400/100, and one network per loss
(12 -> 100 -> 100 -> 2, sigmoid, Xavier-uniform weights and biases), trained with Adam (lr 0.003)
for 500 steps on mini-batches of 64. Losses on the two logits and the one-hot labels:
cross-entropy (softmax), mean absolute error, mean squared error, mean fourth-power error, hinge
(TensorFlow's: labels mapped to -1/+1, mean of max(0, 1 - label * logit)), and the constant
0 x MSE (a negative control: zero gradient, so the network stays at its initialisation). Test
accuracy is recorded where the original recorded it, after 1, 51, ..., 451 updates (its figure's
ten points); the claims read the last one.
"""

from __future__ import annotations

import numpy as np

from harness import DIVERGED, accuracy, experiment, real
from harness.figures import band
from harness.figures import seeds as seed_lines

from . import tasks
from .engine import BatchedMLP, one_hot, train
from .engine import accuracy as accuracy_of

LOSSES = ("cross_entropy", "mae", "mse", "fourth", "hinge", "constant")
N_TEST = 100

ACCURACY = accuracy(
    "accuracy",
    "test accuracy at the original's last checkpoint (after 451 of 500 steps)",
    rows=N_TEST,
    axes=("loss",),
)
CURVE = real("curve", "test accuracy after 1, 51, ..., 451 updates", axes=("loss",))


@experiment("loss_functions", measures=(ACCURACY, CURVE), chunk=10)
def loss_functions(
    seeds,
    *,
    losses=LOSSES,
    separation="inverse",
    steps=500,
    every=50,
    hidden=(100, 100),
    activation="sigmoid",
    lr=0.003,
):
    """Every (loss, seed) pair is one model of a batched MLP; a seed fixes data, initial
    weights and batch order, so losses are compared on identical starts (paired by seed)."""
    loss_of, seed_of = tasks.grid(losses, seeds)
    task = tasks.gaussian_task(seed_of, separation=separation)
    model = BatchedMLP((12, *hidden, 2), len(seed_of), activation).initialise(seed_of)
    curve = []

    def record(done):
        if (done - 1) % every == 0:  # the original: after the update of step 0, 50, 100, ...
            curve.append(accuracy_of(model, task.x_test, task.y_test, task.rows_test))

    diverged = train(
        model,
        task.x_train,
        one_hot(task.y_train),
        rows=task.rows_train,
        steps=steps,
        seeds=seed_of,
        loss=list(loss_of),
        lr=lr,
        every=1,
        record=record,
    )
    out = tasks.curves_per_seed(curve, losses, seeds, final=ACCURACY, trace=CURVE)
    bad = np.asarray(diverged).reshape(len(losses), len(seeds)).any(0)
    return [{DIVERGED: True} if b else m for b, m in zip(bad, out)]


@loss_functions.figure
def _plot(trials, fig):
    losses = list(trials.params["losses"])
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    marks = np.arange(len(trials[CURVE.key(loss=losses[0])][0]))
    for loss in losses:
        band(ax1, marks, trials[CURVE.key(loss=loss)], label=loss, sd=True, linestyle="--")
    ax1.set(
        xlabel="∝ epochs (checkpoint every 50 steps)",
        ylabel="test accuracy",
        ylim=(0.3, 1.0),
        title=f"Test accuracy with different losses (sep: "
        f"{trials.params['separation']})\n(as the original: mean ± 1 SD)",
    )
    ax1.legend(fontsize=8, ncol=2)
    x = np.arange(len(losses))
    values = ACCURACY.over_values(trials, "loss", losses)
    seed_lines(ax2, x, values, color="grey")
    band(ax2, x, values, label="mean, 95 % interval", color="k")
    ax2.set_xticks(x, [loss.replace("cross_entropy", "CE") for loss in losses])
    ax2.set(
        ylabel="test accuracy after 451 steps",
        ylim=(0.3, 1.0),
        title="our view: every seed, mean and 95 % interval",
    )
    ax2.legend(fontsize=8)
