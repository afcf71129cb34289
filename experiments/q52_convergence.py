"""Q52 -- do the weights of different layers converge at different speeds? The original's
Experiment 11: an MLP with three sigmoid hidden layers of 50 (four weight matrices, W1: input
-> hidden 1, ..., W4: hidden 3 -> output; the original's figure titles them "Layer 0" to
"Layer 3") on the 12-d Gaussian task, 750 mini-batch Adam steps on the MSE. As in the original,
the weights are saved right after every update with ``step % 2 == 0`` (after 1, 3, ..., 749
updates: 375 saves), the last 50 entries of each weight matrix are tracked, and convergence is
"the norm of the difference of the weights between adjacent" saves, c_l(k) = |w_l(k) -
w_l(k-1)| over the 50 tracked entries of layer l.

What "converges faster" is measured by (the original's own measure, made into one number per
layer and seed): Adam moves every weight by about the learning rate per step at most, so 50
weights moving at full speed in a consistent direction change by at most ``save_every * lr *
sqrt(50)`` = 0.042 between saves (the height of the original's first spikes). A layer has
*settled* once its change between saves, averaged over ``window`` = 10 saves (20 steps), stays
below ``fraction`` = 1/4 of that full speed for the rest of training; its *settling step* is the
step of the first such save (the last step, 749, when it never settles).

Two more views, for the other sentences of the text:

* monotone approach to the final weights: D_l(k) = |w_l(k) - w_l(last)| / |w_l(first) -
  w_l(last)| (distance to the final tracked weights as a share of the whole journey) and its
  *rebound* max_k [D(k) - min_{j<=k} D(j)], how far the layer ever moves back away from its
  final weights (0: a monotone approach); and the step after which D stays <= 0.1 (*reaching*
  the final weights);
* the backpropagated error signal: the RMS over training rows and units of the loss gradient
  with respect to each layer's pre-activations (layer 4: the output), on the full training set
  every 20 steps, averaged over training -- whether "changes get amplified as they propagate
  backwards".
"""

from __future__ import annotations

import math

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment, positive, real
from harness.figures import mean_band

from . import tasks
from .engine import LOSSES, BatchedMLP, one_hot, train
from .engine import accuracy as model_accuracy

LAYERS = (1, 2, 3, 4)
N_TEST = 100
SIGNAL_EVERY = 20  # steps between measurements of the backpropagated error signal

SETTLE = positive(
    "settling_step",
    "first step after which the change between saves (10-save "
    "mean) stays below 1/4 of Adam's full speed",
    axes=("layer",),
    resolution=2,
)
REACH = positive(
    "reaching_step",
    "first step after which the distance to the final weights stays <= 0.1 of the journey",
    axes=("layer",),
    resolution=2,
)
REBOUND = positive(
    "rebound",
    "largest move back away from the final weights, as a share of the journey",
    axes=("layer",),
    resolution=1e-3,
)
CHANGE = positive(
    "change", "norm of the change of the 50 tracked weights between saves", axes=("layer",)
)
SIGNAL = positive(
    "backprop_signal",
    "RMS of the loss gradient w.r.t. the layer's pre-activations (mean over training)",
    axes=("layer",),
)
TRACED = 5  # seeds whose weight traces are kept (the first chunk), for the figure
WEIGHTS = real(
    "tracked_weights", "the 50 tracked weights every 10 saves (figure only)", axes=("layer",)
)
ACCURACY = accuracy("accuracy", "final test accuracy", rows=N_TEST)


def settling_saves(change: np.ndarray, level: float, window: int) -> np.ndarray:
    """``change``: (saves - 1, models), change[k] from save k to save k + 1. Per model, the
    first k from which the centred ``window``-mean of the change stays <= ``level`` to the end
    (len(change), the last save, if it never does)."""
    kernel = np.ones(window)
    norm = np.convolve(np.ones(len(change)), kernel, mode="same")  # shorter windows at the ends
    out = np.empty(change.shape[1], dtype=int)
    for m in range(change.shape[1]):
        smooth = np.convolve(change[:, m], kernel, mode="same") / norm  # centred mean
        above = np.flatnonzero(smooth > level)
        out[m] = 0 if len(above) == 0 else above[-1] + 1
    return out


def distance_measures(snaps: np.ndarray, fraction: float = 0.1):
    """``snaps``: (saves, models, tracked). Returns (rebound, index of the first save after
    which D stays <= fraction, D (saves, models))."""
    dist = np.linalg.norm(snaps - snaps[-1], axis=-1)
    d = dist / np.maximum(dist[0], 1e-30)
    rebound = np.max(d - np.minimum.accumulate(d, axis=0), axis=0)
    above = d > fraction
    last_above = np.where(above.any(0), len(d) - 1 - np.argmax(above[::-1], axis=0), -1)
    return rebound, last_above + 1, d


def backprop_signal(
    model: BatchedMLP, x: torch.Tensor, targets: torch.Tensor, rows: torch.Tensor, loss: str
) -> np.ndarray:
    """(layers, models): RMS of d(mean loss)/d(pre-activation) of each layer, over the valid
    rows and the units, times the number of rows (the per-row error signal)."""
    pre = []
    h = x
    last = len(model.weights) - 1
    with torch.enable_grad():
        for layer, (w, b) in enumerate(zip(model.weights, model.biases)):
            z = torch.baddbmm(b.detach(), h, w.detach())
            if not pre:
                z.requires_grad_()
            pre.append(z)
            h = model.act(z) if layer < last else z
        valid = (torch.arange(x.shape[1])[None, :] < rows[:, None]).to(x.dtype)
        per_row = LOSSES[loss](h, targets)
        total = ((per_row * valid).sum(1) / valid.sum(1)).sum()
        grads = torch.autograd.grad(total, pre)
    n = valid.sum(1)
    out = []
    for g in grads:
        sq = (g.square() * valid[..., None]).sum((1, 2)) / (n * g.shape[-1])
        out.append((sq.sqrt() * n).detach().numpy())
    return np.array(out)


@experiment(
    "layer_convergence", measures=(SETTLE, REACH, REBOUND, CHANGE, SIGNAL, WEIGHTS, ACCURACY)
)
def layer_convergence(
    seeds,
    *,
    separation="inverse",
    steps=750,
    save_every=2,
    hidden=(50, 50, 50),
    activation="sigmoid",
    lr=0.003,
    tracked=50,
    fraction=0.25,
    window=10,
):
    """One model per seed; a seed fixes data, initial weights and batch order."""
    m = len(seeds)
    task = tasks.gaussian_task(seeds, separation=separation)
    d = task.x_train.shape[-1]
    model = BatchedMLP((d, *hidden, 2), m, activation).initialise(seeds)
    targets = one_hot(task.y_train)
    saves, signals = [], []

    def record(done):
        if (done - 1) % save_every == 0:  # the original saved after the step with step % 2 == 0
            saves.append(
                np.stack(
                    [
                        w.detach().reshape(m, -1)[:, -tracked:].numpy().astype(np.float64)
                        for w in model.weights
                    ]
                )
            )
        if done % SIGNAL_EVERY == 0:
            signals.append(backprop_signal(model, task.x_train, targets, task.rows_train, "mse"))

    diverged = train(
        model,
        task.x_train,
        targets,
        rows=task.rows_train,
        steps=steps,
        seeds=seeds,
        loss="mse",
        lr=lr,
        every=1,
        record=record,
    )
    acc = model_accuracy(model, task.x_test, task.y_test, task.rows_test)
    snaps = np.stack(saves, axis=1)  # (layers, saves, models, tracked)
    steps_at = 1 + save_every * np.arange(snaps.shape[1])  # updates done at each save
    level = fraction * save_every * lr * math.sqrt(tracked)
    signal = np.mean(signals, axis=0)  # (layers, models)
    out = []
    per_layer = []
    for layer in range(len(model.weights)):
        change = np.linalg.norm(np.diff(snaps[layer], axis=0), axis=-1)  # (saves - 1, models)
        settle = settling_saves(change, level, window)  # index into change: save k+1
        rebound, reach, _ = distance_measures(snaps[layer])
        per_layer.append(
            (change, steps_at[settle], steps_at[np.minimum(reach, len(steps_at) - 1)], rebound)
        )
    for j in range(m):
        if diverged[j]:
            out.append({DIVERGED: True})
            continue
        r = {ACCURACY.key(): float(acc[j])}
        for layer, (change, settle, reach, rebound) in zip(LAYERS, per_layer):
            r[SETTLE.key(layer=layer)] = float(settle[j])
            r[REACH.key(layer=layer)] = float(reach[j])
            r[REBOUND.key(layer=layer)] = float(rebound[j])
            r[CHANGE.key(layer=layer)] = change[:, j].round(6)
            r[SIGNAL.key(layer=layer)] = float(signal[layer - 1, j])
            if seeds[j] < TRACED:  # the original's panel shows one run: not every seed's trace
                r[WEIGHTS.key(layer=layer)] = snaps[layer - 1, ::10, j].round(3)
        out.append(r)
    return out


def _line(ax, x, values, label, sd=False, log=False, marker=None):
    """A mean curve with its band (95 % interval, or ±1 SD); ``log``: geometric mean and the
    interval of the mean log (positive quantities on a log axis)."""
    values = np.asarray(values, float)
    if log:
        values = np.log(np.maximum(values, 1e-12))
    mean, half = mean_band(values, confidence=None if sd else 0.95)
    low, high = mean - half, mean + half
    if log:
        mean, low, high = np.exp(mean), np.exp(low), np.exp(high)
    (line,) = ax.plot(x, mean, label=label, linewidth=1, marker=marker, markersize=3)
    ax.fill_between(x, low, high, color=line.get_color(), alpha=0.2, linewidth=0)
    return line


@layer_convergence.figure
def _plot(trials, fig):
    p = trials.params
    fig.set_figheight(9.0)
    level = p["fraction"] * p["save_every"] * p["lr"] * math.sqrt(p["tracked"])
    grid = fig.add_gridspec(3, 4)
    first = next(i for i, mm in enumerate(trials.measurements) if WEIGHTS.key(layer=1) in mm)
    for i, layer in enumerate(LAYERS):  # row 1: one run's 50 weights per layer, as the original
        ax = fig.add_subplot(grid[0, i])
        w = np.asarray(trials.measurements[first][WEIGHTS.key(layer=layer)])
        ax.plot(10 * np.arange(len(w)), w, linewidth=0.6)
        ax.set(
            title=f"Layer {layer - 1} weights (seed {trials.seeds[first]})",
            xlabel="save (every 2 steps)",
        )
    share = None
    for i, layer in enumerate(LAYERS):  # row 2: change between saves, mean ± 1 SD, linear
        ax = fig.add_subplot(grid[1, i], sharey=share)
        share = share or ax
        change = CHANGE.values(trials, layer=layer)
        _line(ax, np.arange(1, change.shape[1] + 1), change, None, sd=True)
        ax.set(title=f"Layer {layer - 1} convergence", xlabel="save (every 2 steps)")
        if i == 0:
            ax.set_ylabel("diff between weights")
    ax = fig.add_subplot(grid[2, 0:2])  # row 3: ours
    for layer in LAYERS:
        change = CHANGE.values(trials, layer=layer)
        _line(
            ax, p["save_every"] * np.arange(1, change.shape[1] + 1), change, f"W{layer}", log=True
        )
    ax.axhline(level, color="black", lw=0.8, ls=":", label="settled below")
    ax.set(
        yscale="log",
        xlabel="step",
        ylabel="change between saves",
        title="ours: geometric mean, 95 % interval",
    )
    ax.legend(fontsize=8, ncol=3)
    ax = fig.add_subplot(grid[2, 2])
    for q, label in ((SETTLE, "settles (change)"), (REACH, "reaches final (D <= 0.1)")):
        values = q.over_values(trials, "layer", LAYERS)
        line = _line(ax, list(LAYERS), values, label, log=True, marker="o")
        for row in values:
            ax.plot(LAYERS, row, color=line.get_color(), alpha=0.2, linewidth=0.5)
    ax.set(
        xlabel="weight layer W1-W4",
        ylabel="step",
        xticks=list(LAYERS),
        yscale="log",
        title="convergence step",
    )
    ax.legend(fontsize=8)
    ax = fig.add_subplot(grid[2, 3])
    _line(
        ax,
        list(LAYERS),
        np.maximum(REBOUND.over_values(trials, "layer", LAYERS), 5e-4),
        "rebound",
        log=True,
        marker="o",
    )
    _line(
        ax,
        list(LAYERS),
        SIGNAL.over_values(trials, "layer", LAYERS),
        "backprop signal",
        log=True,
        marker="o",
    )
    ax.set(
        xlabel="weight layer W1-W4",
        yscale="log",
        xticks=list(LAYERS),
        title="rebound, error signal",
    )
    ax.legend(fontsize=8)
