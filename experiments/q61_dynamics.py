"""Experiments of Q61 (what speeds up convergence / eases training): residual connections and
pre-training. (Learning rate, step size and momentum use ``q41_dynamics.lr_sweep``; the choice
of optimiser uses ``q64_dynamics.digits``.)

``deep_training``: the project's two-class Gaussian task (200 rows, d = 10, standardised), a
ReLU MLP of 10 hidden layers of 32 units with PyTorch's default initialisation (weights and
biases uniform on ±1/sqrt(fan-in)), cross-entropy, full-batch gradient descent for 100 steps.
Arms: ``plain``, and ``residual`` -- the same weights with an identity shortcut around every
hidden layer after the first (h <- h + relu(W h + b)). Each arm trains at its own learning rate,
the one with the lowest median final loss on pilot seeds (``pilot_deep_rates``).

``pretraining``: sklearn's 8x8 digits split into task A (digits 0-4) and task B (digits 5-9),
each with 600 of the seed's training rows (150 task-B test rows held out). A 64-100-100-10 sigmoid
network (Glorot-uniform weights) is pre-trained on task A (Adam, lr 1e-3, batches of 60, 500
steps); its output layer is then reset to its initial weights (a fresh head for the new task,
as in fine-tuning) and the network is trained on task B for ``steps`` steps; the ``scratch`` arm trains the same initial
weights on task B directly with the same optimiser and batches. Recorded: task-B training loss
(cross-entropy on all its training rows) every 20 steps, and task-B test accuracy at the end.
"""

from __future__ import annotations

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment, positive, real
from harness.figures import seeds as seed_lines

from . import training_dynamics as td

# --- residual connections -----------------------------------------------------------------------
PILOT_SEEDS = tuple(range(1000, 1020))
# per arm, the grid rate (0.01 ... 3, half-decades) with the lowest median final loss on pilot
# seeds 1000-1019 (pilot_deep_rates, 2026-12-02): the plain network's median final loss is
# 0.6931-0.6934 (chance) at every rate, so its "best" (1.0) is nominal; the residual network's is
# 0.43 at 0.1, 0.42 at 0.32 and diverges at 1.0.
DEEP_LR = {"plain": 1.0, "residual": 10**-0.5}

DEEP_LOSS = positive("deep_final_loss", "training loss after the last step", axes=("arm",))
DEEP_CURVE = real("deep_curve", "training loss every 5 steps (trace)", axes=("arm",))


def _deep_run(seeds, arms, lrs, *, depth, width, n, d, steps, every=5):
    tasks = [td.gaussian_task(s, n, d) for s in seeds]
    x, y = td.stack([t[0] for t in tasks]), td.stack([t[1] for t in tasks])
    out = {}
    for arm in arms:
        net = td.StackedNet(
            (d, *[width] * depth, 2), len(seeds), "relu", residual=arm == "residual"
        ).initialise([(s, "init") for s in seeds], scheme="torch")
        curve = []
        bad = td.sgd(
            net,
            x,
            y,
            steps=steps,
            lr=lrs[arm],
            every=every,
            record=lambda step, net=net, curve=curve: curve.append(td.evaluate(net, x, y)[0]),
        )
        out[arm] = (np.stack(curve, 1), bad)
    return out


def pilot_deep_rates(
    seeds=PILOT_SEEDS,
    arms=("plain", "residual"),
    grid=tuple(10 ** (k / 2) for k in range(-4, 2)),
    **kw,
):
    settings = dict(depth=10, width=32, n=200, d=10, steps=100) | kw
    table = {a: {} for a in arms}
    for r in grid:
        res = _deep_run(list(seeds), arms, {a: r for a in arms}, **settings)
        for a in arms:
            curve, bad = res[a]
            final = np.where(bad | ~np.isfinite(curve[:, -1]), np.inf, curve[:, -1])
            table[a][r] = float(np.median(final))
    return {a: min(t, key=t.get) for a, t in table.items()}, table


@experiment("deep_training", measures=(DEEP_LOSS, DEEP_CURVE))
@td.flush_denormals
def deep_training(
    seeds, *, arms=("plain", "residual"), lrs=None, depth=10, width=32, n=200, d=10, steps=100
):
    arms = list(arms)
    lrs = dict(DEEP_LR if lrs is None else lrs)
    res = _deep_run(seeds, arms, lrs, depth=depth, width=width, n=n, d=d, steps=steps)
    out = []
    for j in range(len(seeds)):
        if any(res[a][1][j] or not np.all(np.isfinite(res[a][0][j])) for a in arms):
            out.append({DIVERGED: True})
            continue
        m = {}
        for a in arms:
            m[DEEP_LOSS.key(arm=a)] = float(res[a][0][j, -1])
            m[DEEP_CURVE.key(arm=a)] = res[a][0][j].tolist()
        out.append(m)
    return out


@deep_training.figure
def _plot_deep(trials, fig):
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for a in trials.params["arms"]:
        c = np.log10(trials[DEEP_CURVE.key(arm=a)])
        steps = np.arange(c.shape[1]) * 5
        td.line_band(ax1, steps, c, label=a, sd=True)
        line = td.line_band(ax2, steps, c, label=a)
        seed_lines(ax2, steps, c, color=line.get_color())
    ax1.set(xlabel="step", ylabel="log10 training loss", title="mean ± 1 SD")
    ax2.set(xlabel="step", ylabel="log10 training loss", title="mean, 95 % interval, each seed")
    ax1.legend()


# --- pre-training ---------------------------------------------------------------------------------
PT_TRAIN_ROWS = 600  # per task, of the ~718 training rows each half of the digits has
PT_TEST_ROWS = 150  # task-B test rows, of the ~180 in the seed's 360 test rows
PT_LOSS = positive("pt_task_b_loss", "task-B training loss after the task-B steps", axes=("arm",))
PT_TEST = accuracy(
    "pt_task_b_test_accuracy",
    "task-B test accuracy after the task-B steps",
    rows=PT_TEST_ROWS,
    axes=("arm",),
)
PT_CURVE = real("pt_curve", "task-B training loss every 20 steps (trace)", axes=("arm",))


def _task(split, classes):
    xtr, ytr, xte, yte = split
    keep_tr, keep_te = np.isin(ytr, classes), np.isin(yte, classes)
    return xtr[keep_tr], ytr[keep_tr], xte[keep_te], yte[keep_te]


@experiment("pretraining", measures=(PT_LOSS, PT_TEST, PT_CURVE))
@td.flush_denormals
def pretraining(seeds, *, hidden=(100, 100), lr=1e-3, batch=60, pre_steps=500, steps=200, every=20):
    splits = [td.digits_split(s, n_test=360) for s in seeds]
    a_tasks = [_task(s, range(5)) for s in splits]
    b_tasks = [_task(s, range(5, 10)) for s in splits]
    n_a = n_b = PT_TRAIN_ROWS
    n_bt = PT_TEST_ROWS
    if min(len(t[0]) for t in a_tasks + b_tasks) < n_a or min(len(t[2]) for t in b_tasks) < n_bt:
        raise RuntimeError("a task has fewer rows than the protocol takes")
    xa, ya = td.stack([t[0][:n_a] for t in a_tasks]), td.stack([t[1][:n_a] for t in a_tasks])
    xb, yb = td.stack([t[0][:n_b] for t in b_tasks]), td.stack([t[1][:n_b] for t in b_tasks])
    xbt = td.stack([t[2][:n_bt] for t in b_tasks])
    ybt = td.stack([t[3][:n_bt] for t in b_tasks])
    sizes = (64, *hidden, 10)
    init = [(s, "init") for s in seeds]
    results = {}
    for arm in ("scratch", "pretrained"):
        net = td.StackedNet(sizes, len(seeds), "sigmoid").initialise(init)
        bad = np.zeros(len(seeds), bool)
        if arm == "pretrained":
            head = [p.detach().clone() for p in (net.weights[-1], net.biases[-1])]
            bad |= td.sgd(
                net,
                xa,
                ya,
                steps=pre_steps,
                lr=lr,
                batch=batch,
                optimiser="adam",
                batch_streams=[(s, "batches[A]") for s in seeds],
            )
            with torch.no_grad():  # a fresh output layer for the new task: scratch's own
                net.weights[-1].copy_(head[0])
                net.biases[-1].copy_(head[1])
        curve = []
        bad |= td.sgd(
            net,
            xb,
            yb,
            steps=steps,
            lr=lr,
            batch=batch,
            optimiser="adam",
            batch_streams=[(s, "batches[B]") for s in seeds],
            every=every,
            record=lambda step, net=net, curve=curve: curve.append(td.evaluate(net, xb, yb)[0]),
        )
        test = td.evaluate(net, xbt, ybt)[1]
        results[arm] = (np.stack(curve, 1), test, bad)
    out = []
    for j in range(len(seeds)):
        if any(results[a][2][j] or not np.all(np.isfinite(results[a][0][j])) for a in results):
            out.append({DIVERGED: True})
            continue
        m = {}
        for a, (curve, test, _) in results.items():
            m[PT_LOSS.key(arm=a)] = float(curve[j, -1])
            m[PT_TEST.key(arm=a)] = float(test[j])
            m[PT_CURVE.key(arm=a)] = curve[j].tolist()
        out.append(m)
    return out


@pretraining.figure
def _plot_pt(trials, fig):
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    every = trials.params["every"]
    for a in ("scratch", "pretrained"):
        c = np.log10(trials[PT_CURVE.key(arm=a)])
        steps = np.arange(c.shape[1]) * every
        td.line_band(ax1, steps, c, label=a, sd=True)
        line = td.line_band(ax2, steps, c, label=a)
        seed_lines(ax2, steps, c, color=line.get_color())
    ax1.set(xlabel="task-B step", ylabel="log10 task-B training loss", title="mean ± 1 SD")
    ax2.set(
        xlabel="task-B step",
        ylabel="log10 task-B training loss",
        title="mean, 95 % interval, each seed",
    )
    ax1.legend()
