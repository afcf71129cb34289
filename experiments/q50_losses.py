"""Q50 -- does the loss function matter? Six losses trained on the 12-d Gaussian task."""
from __future__ import annotations

import numpy as np

from harness import experiment
from harness.figures import band

from . import data, engine, rng, tasks
from .engine import BatchedMLP, accuracy, one_hot, train

LOSSES = ("cross_entropy", "mae", "mse", "fourth", "hinge", "constant")


@experiment("loss_functions", depends_on=(engine, tasks, data, rng))
def loss_functions(seeds, *, losses=LOSSES, separation="inverse", steps=500, every=50,
                   hidden=(100, 100), activation="sigmoid", lr=0.003):
    """Every (loss, seed) pair is one model of a batched MLP; a seed fixes data, initial
    weights and batch order, so losses are compared on identical starts (paired by seed)."""
    loss_of, seed_of = tasks.grid(losses, seeds)
    task = tasks.gaussian_task(seed_of, separation=separation)
    model = BatchedMLP((12, *hidden, 2), len(seed_of), activation).initialise(seed_of)
    curve = []
    train(model, task.x_train, one_hot(task.y_train), rows=task.rows_train, steps=steps,
          seeds=seed_of, loss=list(loss_of), lr=lr, every=every,
          record=lambda step: curve.append(accuracy(model, task.x_test, task.y_test)))
    return tasks.curves_per_seed(curve, losses, seeds)


@loss_functions.figure
def _plot(trials, fig):
    ax = fig.add_subplot(1, 1, 1)
    steps = np.arange(1, len(trials.measurements[0]["curve[cross_entropy]"]) + 1) \
        * trials.params.get("every", 50)
    for loss in trials.params.get("losses", LOSSES):
        band(ax, steps, trials[f"curve[{loss}]"], label=loss)
    ax.set(xlabel="training step", ylabel="test accuracy", ylim=(0.3, 1.02))
    ax.legend(fontsize=7, ncol=3)
