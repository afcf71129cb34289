"""Experiment of Q66 (and Q41's remedies against overfitting): a network that overfits, and
early stopping, L2 regularisation (= weight decay under SGD) and dropout against it.

``remedies``: sklearn's 8x8 digits, per seed 100 training rows, 100 validation rows and 360
test rows (disjoint; pixels standardised with the training rows' statistics). A
64-64-64-10 ReLU network (Glorot-uniform weights, zero biases), cross-entropy, full-batch SGD
with momentum 0.9 at lr 0.05 for 300 steps: with 100 rows it fits the training set exactly.
Arms (every arm of a seed starts from the same weights):

* ``base``: no remedy;
* ``early``: early stopping -- the ``base`` run's weights at the record (every 10 steps) with
  the lowest validation loss;
* ``l2``: the loss plus λ·Σ||W||² over the weight matrices, λ in {1e-3, 1e-2}; with SGD
  this is exactly weight decay 2λ (Q66.13's exact check);
* ``dropout``: inverted dropout on both hidden layers, p in {0.2, 0.5} (none at evaluation).

For ``l2`` and ``dropout`` the strength is chosen per seed by validation accuracy at the end
(ties: the weaker); test accuracy is then read for the chosen model only, so the test rows
never choose anything. Recorded: test accuracy per arm, and the base network's training
accuracy and train-test gap.
"""

from __future__ import annotations

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment, real
from harness.figures import band
from harness.figures import seeds as seed_lines

from . import training_dynamics as td
from .rng import numpy_rng

N_TRAIN, N_VAL, N_TEST = 100, 100, 360
L2_GRID = (1e-3, 1e-2)
DROPOUT_GRID = (0.2, 0.5)
REMEDIES = ("base", "early", "l2", "dropout")

RM_TEST = accuracy(
    "rm_test_accuracy", "test accuracy of the arm's chosen model", rows=N_TEST, axes=("arm",)
)
RM_TRAIN = accuracy("rm_train_accuracy", "training accuracy of the base network", rows=N_TRAIN)
RM_GAP = real(
    "rm_gap",
    "training minus test accuracy of the base network",
    resolution=1 / N_TEST,
    bounds=(-1.0, 1.0),
)
RM_VAL_CURVE = real("rm_val_curve", "base network's validation loss every 10 steps (trace)")


def _split(seed):
    """The seed's disjoint training, validation and test rows, standardised with the training
    rows' statistics (the permutation of ``training_dynamics.digits_split``)."""
    x, y = td.digits_arrays()
    order = numpy_rng(seed, "digits").permutation(len(x))
    test, rest = order[:N_TEST], order[N_TEST : N_TEST + N_TRAIN + N_VAL]
    train, val = rest[:N_TRAIN], rest[N_TRAIN:]
    mean, sd = x[train].mean(0), x[train].std(0)
    sd = np.where(sd > 0, sd, 1.0)
    scale = lambda a: ((a - mean) / sd).astype(np.float32)  # noqa: E731
    return scale(x[train]), y[train], scale(x[val]), y[val], scale(x[test]), y[test]


@experiment("remedies", measures=(RM_TEST, RM_TRAIN, RM_GAP, RM_VAL_CURVE))
@td.flush_denormals
def remedies(
    seeds,
    *,
    hidden=(64, 64),
    lr=0.05,
    momentum=0.9,
    steps=300,
    every=10,
    l2=L2_GRID,
    dropout=DROPOUT_GRID,
):
    data = [_split(s) for s in seeds]
    settings = (
        [("base", 0.0, 0.0)]
        + [("l2", lam, 0.0) for lam in l2]
        + [("dropout", 0.0, p) for p in dropout]
    )
    m_seed = [j for _ in settings for j in range(len(seeds))]
    m_set = [k for k in range(len(settings)) for _ in seeds]
    pick = lambda i: td.stack([data[j][i] for j in m_seed])  # noqa: E731
    xtr, ytr, xva, yva, xte, yte = (pick(i) for i in range(6))
    net = td.StackedNet((64, *hidden, 10), len(m_seed), "relu").initialise(
        [(seeds[j], "init") for j in m_seed]
    )
    lam = torch.tensor([settings[k][1] for k in m_set], dtype=torch.float32)
    p_drop = [settings[k][2] for k in m_set]

    def penalty(model):
        return lam * sum(w.square().sum((1, 2)) for w in model.weights)

    val_loss, val_acc, test_acc = [], [], []

    def record(step):
        v = td.evaluate(net, xva, yva)
        val_loss.append(v[0])
        val_acc.append(v[1])
        test_acc.append(td.evaluate(net, xte, yte)[1])

    bad = td.sgd(
        net,
        xtr,
        ytr,
        steps=steps,
        lr=lr,
        momentum=momentum,
        penalty=penalty,
        dropout=p_drop,
        drop_streams=[(seeds[j], "dropout") for j in m_seed],
        every=every,
        record=record,
    )
    val_loss, val_acc, test_acc = (np.stack(a, 1) for a in (val_loss, val_acc, test_acc))
    train_acc = td.evaluate(net, xtr, ytr)[1]
    out = []
    for j in range(len(seeds)):
        rows = [i for i in range(len(m_seed)) if m_seed[i] == j]
        if any(bad[i] or not np.all(np.isfinite(val_loss[i])) for i in rows):
            out.append({DIVERGED: True})
            continue
        base = rows[0]
        m = {
            RM_TEST.key(arm="base"): float(test_acc[base, -1]),
            RM_TEST.key(arm="early"): float(test_acc[base, int(np.argmin(val_loss[base]))]),
            RM_TRAIN.key(): float(train_acc[base]),
            RM_GAP.key(): float(train_acc[base] - test_acc[base, -1]),
            RM_VAL_CURVE.key(): val_loss[base].tolist(),
        }
        for arm in ("l2", "dropout"):
            cands = [i for i in rows if settings[m_set[i]][0] == arm]
            best = max(cands, key=lambda i: (val_acc[i, -1], -cands.index(i)))
            m[RM_TEST.key(arm=arm)] = float(test_acc[best, -1])
        out.append(m)
    return out


@remedies.figure
def _plot_remedies(trials, fig):
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    c = trials[RM_VAL_CURVE.key()]
    steps = np.arange(c.shape[1]) * trials.params["every"]
    line = td.line_band(ax1, steps, np.log10(c), label="base: validation loss")
    seed_lines(ax1, steps, np.log10(c), color=line.get_color())
    ax1.set(xlabel="step", ylabel="log10 validation loss", title="overfitting (95 % interval)")
    pos = np.arange(len(REMEDIES))
    acc = RM_TEST.over_values(trials, "arm", REMEDIES)
    band(ax2, pos, acc, label="test accuracy")
    seed_lines(ax2, pos, acc, color="grey")
    ax2.set_xticks(pos, REMEDIES)
    ax2.set(ylabel="test accuracy", title="remedies (mean, 95 % interval, each seed)")
