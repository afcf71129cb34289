"""Q53 -- how does regularisation affect the weights? The original's Experiment 12: L1 or L2
penalty of strength 0, 0.1 or 1 on the 12-d Gaussian task, two sigmoid hidden layers of 50, 750
mini-batch Adam steps; loss = MSE + strength x (mean |w| or mean w²) summed over the three
weight matrices, biases not penalised. As in the original, the last 50 entries of the first
weight matrix and the test accuracy are saved right after every update with ``step % 2 == 0``
(after 1, 3, ..., 749 updates).

Per seed one unpenalised model (the original ran strength 0 twice, once under each penalty
name: the same protocol) and one per penalty and strength, all on the seed's data, initial
weights and batch order (paired by seed).

Measures, declared before any run:

* weight magnitude: the mean |w| of each weight matrix, averaged over the three matrices (each
  matrix counts once, as in the penalty);
* sparsity: the share of first-layer weights (the matrix the original plotted; 12 x 50) with
  |w| < ``sparse_at`` = 0.01. Adam moves a weight by about lr = 0.003 per step whatever its
  gradient, so an L1-penalised weight does not rest at exactly 0 but jitters around it within
  a step or two; 0.01 (about three Adam steps, 3 % of the layer's Xavier bound 0.31) is the
  resolution below which a weight is effectively zero;
* test accuracy at the end of training: the mean over the last 25 saves (the last 50 steps) of
  the test accuracy, the level the original's accuracy panels end on (single saves jitter).
"""

from __future__ import annotations

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment, positive, real
from harness.figures import band, mean_band

from . import tasks
from .engine import BatchedMLP, one_hot, train
from .engine import accuracy as model_accuracy

SETTINGS = (("none", 0.0), ("l1", 0.1), ("l1", 1.0), ("l2", 0.1), ("l2", 1.0))
N_TEST = 100
LAST_SAVES = 25  # the end-of-training accuracy averages the last 25 saves (50 steps)


def label(kind: str, strength: float) -> str:
    return "none" if strength == 0 else f"{kind}={strength:g}"


ACCURACY = accuracy(
    "accuracy",
    "test accuracy at the end of training (mean of the last 25 saves)",
    rows=N_TEST,
    axes=("setting",),
)
MAGNITUDE = positive(
    "mean_abs", "mean |w| of the three weight matrices (each matrix once)", axes=("setting",)
)
SPARSITY = accuracy(
    "sparsity",
    "share of first-layer weights with |w| < 0.01",
    rows=lambda ctx: ctx["d"] * ctx["hidden"][0],
    axes=("setting",),
)
CURVE = accuracy(
    "accuracy_curve", "test accuracy at every save (figure)", rows=N_TEST, axes=("setting",)
)
TRACED = 5  # seeds whose weight traces are kept (the first chunk), for the figure
WEIGHTS = real(
    "tracked_weights",
    "last 50 entries of the first weight matrix every 10 saves (figure)",
    axes=("setting",),
)


@experiment("regularisation", measures=(ACCURACY, MAGNITUDE, SPARSITY, CURVE, WEIGHTS))
def regularisation(
    seeds,
    *,
    settings=SETTINGS,
    separation="inverse",
    d=12,
    steps=750,
    save_every=2,
    hidden=(50, 50),
    activation="sigmoid",
    lr=0.003,
    tracked=50,
    sparse_at=0.01,
):
    """Every (penalty, seed) pair is one model of a batched MLP; a seed fixes data, initial
    weights and batch order, so penalties are compared on identical starts."""
    settings = [tuple(s) for s in settings]
    setting_of, seed_of = tasks.grid(settings, seeds)
    task = tasks.gaussian_task(seed_of, d=d, separation=separation)
    n = len(seed_of)
    model = BatchedMLP((d, *hidden, 2), n, activation).initialise(seed_of)
    l1 = torch.tensor([s if k == "l1" else 0.0 for k, s in setting_of])
    l2 = torch.tensor([s if k == "l2" else 0.0 for k, s in setting_of])

    def penalty(m):
        return sum(l1 * w.abs().mean((1, 2)) + l2 * w.square().mean((1, 2)) for w in m.weights)

    curve, traces = [], []

    def record(done):
        if (done - 1) % save_every == 0:  # the original saved after the step with step % 2 == 0
            curve.append(model_accuracy(model, task.x_test, task.y_test, task.rows_test))
            if len(curve) % 10 == 1:
                traces.append(model.weights[0].detach().reshape(n, -1)[:, -tracked:].numpy().copy())

    diverged = train(
        model,
        task.x_train,
        one_hot(task.y_train),
        rows=task.rows_train,
        steps=steps,
        seeds=seed_of,
        loss="mse",
        lr=lr,
        penalty=penalty,
        every=1,
        record=record,
    )
    curve = np.array(curve)  # (saves, models)
    traces = np.stack(traces, axis=1)  # (models, saves / 10, tracked)
    with torch.no_grad():
        magnitude = torch.stack([w.abs().mean((1, 2)) for w in model.weights]).mean(0).numpy()
        first = model.weights[0].abs().reshape(n, -1).numpy()
    s = len(seeds)
    out = []
    for j in range(s):
        rows = [i * s + j for i in range(len(settings))]
        if diverged[rows].any():
            out.append({DIVERGED: True})
            continue
        m = {}
        for k, (kind, strength) in zip(rows, settings):
            name = label(kind, strength)
            m[ACCURACY.key(setting=name)] = float(curve[-LAST_SAVES:, k].mean())
            m[MAGNITUDE.key(setting=name)] = float(magnitude[k])
            m[SPARSITY.key(setting=name)] = float((first[k] < sparse_at).mean())
            m[CURVE.key(setting=name)] = curve[:, k].round(4)
            if seeds[j] < TRACED:  # the original's panels show one run: not every seed's trace
                m[WEIGHTS.key(setting=name)] = traces[k].astype(np.float64).round(3)
        out.append(m)
    return out


@regularisation.figure
def _plot(trials, fig):
    settings = [tuple(s) for s in trials.params["settings"]]
    names = [label(*s) for s in settings]
    every = trials.params["save_every"]
    fig.set_figheight(11.0)
    grid = fig.add_gridspec(5, 3)
    first = next(  # the first seed whose traces were kept
        i
        for i, mm in enumerate(trials.measurements)
        if any(k.startswith(f"{WEIGHTS.name}[") for k in mm)
    )
    strengths = sorted({s for _, s in settings})
    for r, kind in enumerate(("l1", "l2")):  # the original's 2 x 2 rows of 3 strengths
        share_w = share_a = None
        for c, strength in enumerate(strengths):
            name = label(kind, strength)
            if name not in names:
                continue
            ax = fig.add_subplot(grid[2 * r, c], sharey=share_w)
            share_w = share_w or ax
            w = np.asarray(trials.measurements[first][WEIGHTS.key(setting=name)])
            ax.plot(10 * np.arange(len(w)), w, linewidth=0.6)
            ax.set_title(
                f"{kind.upper()}, strength={strength:g}, weights (seed {trials.seeds[first]})",
                fontsize=9,
            )
            ax = fig.add_subplot(grid[2 * r + 1, c], sharey=share_a)
            share_a = share_a or ax
            acc = CURVE.values(trials, setting=name)
            mean, sd = mean_band(acc, confidence=None)
            x = np.arange(acc.shape[1])
            ax.plot(x, mean, linewidth=0.8)
            ax.fill_between(x, mean - sd, mean + sd, alpha=0.2, linewidth=0)
            ax.set_title(f"{kind.upper()}, strength={strength:g}, accuracy (±1 SD)", fontsize=9)
    for c, (quantity, ylabel) in enumerate(
        (
            (MAGNITUDE, "mean |w|"),
            (SPARSITY, "share |w| < 0.01 (layer 1)"),
            (ACCURACY, "end test accuracy"),
        )
    ):
        ax = fig.add_subplot(grid[4, c])
        x = np.arange(len(names))
        values = quantity.over_values(trials, "setting", names)
        for row in values:  # every seed, under the mean
            ax.plot(x, row, color="grey", alpha=0.2, linewidth=0.5)
        if quantity is MAGNITUDE:  # positive: geometric mean, interval of the mean log
            mean, half = mean_band(np.log(values))
            ax.plot(x, np.exp(mean), marker="o", markersize=3, color="C0")
            ax.fill_between(
                x, np.exp(mean - half), np.exp(mean + half), color="C0", alpha=0.3, linewidth=0
            )
            ax.set_yscale("log")
        else:
            band(ax, x, values)
        ax.set(xticks=x, ylabel=ylabel, title=f"ours: {ylabel} (95 %)")
        ax.set_xticklabels(names, fontsize=8)
    fig.axes[0].set_xlabel(f"save (every {every} steps)")
