"""Q60 -- what convolution buys on images: the smallest fair experiment on scikit-learn's 8x8
digits (all ten classes; per seed 60 test rows of each class, 600 in all, and the other ~1,197
rows for training).

Four networks per seed, trained alike (Adam 3e-3, mini-batches of 32, 400 steps, the same
batches for every network of a seed):

* ``cnn`` -- the network of ``experiments/cnn.py`` (conv 3x3 8 channels, pool, conv 3x3 16
  channels, pool, dense 32, dense 10; 3,658 parameters);
* ``cnn_permuted`` -- the same network on the same images after one fixed random permutation
  of the 64 pixels (the seed's own; train and test alike): the same information, but
  neighbouring pixels are no longer neighbours, so the images lose their local spatial
  correlation;
* ``dense`` -- a fully connected ReLU network 64-64-32-10 (6,570 parameters, more than the
  CNN's), Glorot-uniform weights, zero biases; a dense network is blind to the pixel order (a
  permutation of its inputs is a permutation of its first weight matrix's rows);
* ``unshared`` -- the CNN with both convolutions made locally connected: the same windows,
  shapes and layers, but one 3x3 kernel (and bias) per output position -- no weight sharing
  (conv1: 64 positions, conv2: 16; 26,218 parameters in all).

Also: linear SVMs on the trained ``cnn``'s features of each layer (0 = the pixels), trained on
the training rows and tested on the test rows.
"""

from __future__ import annotations

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment
from harness.figures import band

from . import cnn
from .engine import BatchedMLP, one_hot
from .engine import train as train_mlp
from .rng import numpy_rng

N_TEST = 600
ARMS = ("cnn", "cnn_permuted", "dense", "unshared")
SHAPE = cnn.Shape(classes=10)

ACCURACY = accuracy("accuracy", "test accuracy, ten digit classes", rows=N_TEST, axes=("arm",))
TRAIN_ACCURACY = accuracy("train_accuracy", "training accuracy", rows=1197, axes=("arm",))
PROBE = accuracy(
    "probe_accuracy",
    "test accuracy of a linear SVM on the trained CNN's features of a layer (0: pixels)",
    rows=N_TEST,
    axes=("layer",),
)


def digits10(seed: int, permute: bool = False):
    """All ten classes: (x, y, x_test, y_test); ``permute``: the seed's fixed pixel shuffle."""
    x, y, xt, yt = cnn.digit_task(seed, list(range(10)))
    if permute:
        order = numpy_rng(seed, "pixel permutation").permutation(64)
        x = x.reshape(len(x), 64)[:, order].reshape(-1, 8, 8)
        xt = xt.reshape(len(xt), 64)[:, order].reshape(-1, 8, 8)
    return x, y, xt, yt


@experiment("cnn_vs_dense", measures=(ACCURACY, TRAIN_ACCURACY, PROBE))
def cnn_vs_dense(
    seeds, *, steps=400, batch=32, lr=0.003, dense_hidden=(64, 32), probe_layers=(0, 1, 2, 3)
):
    seeds = list(seeds)
    s_n = len(seeds)
    natural = [digits10(s) for s in seeds]
    permuted = [digits10(s, permute=True) for s in seeds]
    values = {}
    # the CNN on natural and on permuted pixels: one stack
    models = [cnn.Model(s, d, lr=(lr,) * 4) for s, d in zip(seeds, natural)] + [
        cnn.Model(s, d, lr=(lr,) * 4) for s, d in zip(seeds, permuted)
    ]
    conv = cnn.train_models(models, SHAPE, steps=steps, batch=batch)
    bad = conv.diverged.reshape(2, s_n).any(0)
    for k, arm in enumerate(("cnn", "cnn_permuted")):
        values[ACCURACY.key(arm=arm)] = conv.test_accuracy[k * s_n : (k + 1) * s_n]
        values[TRAIN_ACCURACY.key(arm=arm)] = conv.train_accuracy[k * s_n : (k + 1) * s_n]
    # no weight sharing
    local = cnn.train_models(
        [cnn.Model(s, d, lr=(lr,) * 4) for s, d in zip(seeds, natural)],
        SHAPE,
        steps=steps,
        batch=batch,
        sharing=False,
    )
    bad |= local.diverged
    values[ACCURACY.key(arm="unshared")] = local.test_accuracy
    values[TRAIN_ACCURACY.key(arm="unshared")] = local.train_accuracy
    # the dense network
    x = torch.as_tensor(np.stack([d[0].reshape(len(d[0]), 64) for d in natural]))
    y = torch.as_tensor(np.stack([d[1] for d in natural]))
    xt = torch.as_tensor(np.stack([d[2].reshape(len(d[2]), 64) for d in natural]))
    yt = torch.as_tensor(np.stack([d[3] for d in natural]))
    mlp = BatchedMLP((64, *dense_hidden, 10), s_n, "relu").initialise(seeds, "xavier_weights")
    bad |= train_mlp(mlp, x, one_hot(y, 10), steps=steps, seeds=seeds, batch_size=batch, lr=lr)
    with torch.no_grad():
        values[ACCURACY.key(arm="dense")] = (mlp(xt).argmax(-1) == yt).double().mean(1).numpy()
        values[TRAIN_ACCURACY.key(arm="dense")] = (mlp(x).argmax(-1) == y).double().mean(1).numpy()
    # linear SVMs on the trained CNN's layers
    xs = cnn.stack_rows([d[0] for d in natural])
    ys = cnn.stack_rows([d[1] for d in natural], torch.long)
    xts = cnn.stack_rows([d[2] for d in natural])
    yts = cnn.stack_rows([d[3] for d in natural], torch.long)
    first = _first_models(conv.net, s_n)
    for layer in probe_layers:
        test, _ = cnn.linear_probe(
            cnn.features(first, xs, layer),
            ys,
            [len(d[0]) for d in natural],
            cnn.features(first, xts, layer),
            yts,
            classes=10,
        )
        values[PROBE.key(layer=layer)] = test
    return [
        {DIVERGED: True} if bad[j] else {k: float(v[j]) for k, v in values.items()}
        for j in range(s_n)
    ]


def _first_models(net: cnn.BatchedCNN, n: int) -> cnn.BatchedCNN:
    """The first ``n`` models of a stack, as a stack of their own."""
    out = cnn.BatchedCNN(net.shape, n, net.sharing)
    out.copy_layers(net, range(cnn.LAYERS), range(n), range(n))
    return out


@cnn_vs_dense.figure
def _plot(trials, fig):
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    arms = list(ARMS)
    vals = np.stack([trials[ACCURACY.key(arm=a)] for a in arms], 1)
    mean = vals.mean(0)
    sd = vals.std(0, ddof=1) if len(vals) > 1 else 0 * mean
    ax1.bar(range(len(arms)), mean, yerr=sd, alpha=0.8)
    for row in vals:
        ax1.plot(range(len(arms)), row, color="k", alpha=0.15, lw=0.6)
    ax1.set(
        xticks=range(len(arms)),
        ylim=(0.8, 1.0),
        ylabel="test accuracy",
        title="ten digit classes (mean ± 1 SD, each seed)",
    )
    ax1.set_xticklabels(
        ["CNN", "CNN, pixels\npermuted", "dense", "CNN without\nsharing"], fontsize=8
    )
    layers = list(trials.params["probe_layers"])
    band(ax2, layers, PROBE.over_values(trials, "layer", layers), label="linear SVM")
    ax2.set(
        xticks=layers,
        xlabel="layer of the trained CNN (0 = pixels)",
        ylabel="test accuracy",
        title="linear read-out by depth (mean, 95 % interval)",
    )
    ax2.legend(fontsize=8)
