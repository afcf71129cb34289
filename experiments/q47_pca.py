"""Q47 -- does unsupervised dimensionality reduction help? PCA before an MLP on a 10-d Gaussian
task padded with useless "dummy" dimensions and then mixed by a random matrix.

Per seed and number of dummy dimensions D: n = 100 rows (80 train / 20 test) of a 10-d mixture
(sep = 1 in every dimension, s = 0.2), D dummy features uniform on [0, 1), then every row
multiplied by a (10 + D)² matrix -- ``mixing="uniform"``: entries uniform on [0, 1) (the
original: not a rotation), ``mixing="orthogonal"``: a random orthogonal matrix
(scipy.stats.ortho_group, the seed's "rotation"). PCA to none, 10, 5 or 1 dimensions, fitted on
the training rows. 2 sigmoid hidden layers of 100, 500 full-batch steps, cross-entropy.
Networks of equal input width share one batched model.
"""
from __future__ import annotations

import numpy as np
import torch
from scipy.stats import ortho_group

from harness import experiment
from harness.figures import band

from . import data, engine, rng, tasks
from .engine import BatchedMLP, one_hot, train

DUMMIES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)
PCA_DIMS = (None, 10, 5, 1)
D_SIGNAL, N = 10, 100


def seed_data(seed: int, dummies: int, mixing: str):
    """One seed's rows for D dummy dimensions (each D from its own stream)."""
    g = rng.numpy_rng(seed, f"data[dummies={dummies}]")
    x, y = data.gaussian_mixture(g, N, d=D_SIGNAL, sep=data.separation("ones", D_SIGNAL),
                                 scale=0.2)
    x = np.hstack([x, g.random((N, dummies))])
    width = D_SIGNAL + dummies
    if mixing == "uniform":
        m = g.random((width, width))
    elif mixing == "orthogonal":
        m = ortho_group.rvs(width, random_state=g) if width > 1 else np.ones((1, 1))
    elif mixing == "none":
        m = np.eye(width)
    else:
        raise ValueError(f"unknown mixing {mixing!r}")
    split = data.train_test_split(g, (x @ m).astype(np.float32), y, 0.2)
    return split


def pca(split, k):
    """PCA fitted on the training rows (centred on their mean), applied to both sets."""
    if k is None:
        return split.x_train, split.x_test
    mean = split.x_train.mean(0)
    _, _, vt = np.linalg.svd(split.x_train - mean, full_matrices=False)
    v = vt[:k].T
    return ((split.x_train - mean) @ v).astype(np.float32), ((split.x_test - mean) @ v).astype(np.float32)


@experiment("pca_dummies", depends_on=(engine, tasks, data, rng))
def pca_dummies(seeds, *, dummies=DUMMIES, pca_dims=PCA_DIMS, mixing="uniform", steps=500,
                hidden=(100, 100), activation="sigmoid", lr=0.003):
    """Models are grouped by input width: one batched MLP per width (each 'none' width, and
    one per PCA size holding every (D, seed)). A seed fixes data and initial weights, so PCA
    sizes are compared on the same rows (paired by seed)."""
    splits = {(s, D): seed_data(s, D, mixing) for s in seeds for D in dummies}
    groups: dict[int, list] = {}
    for k in pca_dims:
        for D in dummies:
            width = D_SIGNAL + D if k is None else k
            for s in seeds:
                groups.setdefault(width, []).append((k, D, s))
    acc = {}
    for width, members in groups.items():
        xs = [pca(splits[(s, D)], k) for k, D, s in members]
        x_train = torch.as_tensor(np.stack([a for a, _ in xs]))
        x_test = torch.as_tensor(np.stack([b for _, b in xs]))
        y_train = torch.as_tensor(np.stack([splits[(s, D)].y_train for _, D, s in members]))
        y_test = np.stack([splits[(s, D)].y_test for _, D, s in members])
        seed_of = [s for _, _, s in members]
        model = BatchedMLP((width, *hidden, 2), len(members), activation).initialise(seed_of)
        train(model, x_train, one_hot(y_train), steps=steps, seeds=seed_of, batch_size=None,
              lr=lr)
        with torch.no_grad():
            pred = model(x_test).argmax(-1).numpy()
        for (k, D, s), a in zip(members, (pred == y_test).mean(1)):
            acc[(k, D, s)] = float(a)
    out = []
    for s in seeds:
        m = {}
        for k in pca_dims:
            name = "none" if k is None else str(k)
            m[f"accuracy_by_dummies[pca={name}]"] = [acc[(k, D, s)] for D in dummies]
            for D in dummies:
                m[f"accuracy[pca={name},dummies={D}]"] = acc[(k, D, s)]
        out.append(m)
    return out


@pca_dummies.figure
def _plot(trials, fig):
    dummies = list(trials.params.get("dummies", DUMMIES))
    ax = fig.add_subplot(1, 1, 1)
    for k in trials.params.get("pca_dims", PCA_DIMS):
        name = "none" if k is None else str(k)
        band(ax, dummies, trials[f"accuracy_by_dummies[pca={name}]"],
             label="no PCA" if k is None else f"PCA to {k}")
    ax.axvline(100, color="grey", lw=0.8, ls=":")
    ax.set(xscale="log", xlabel="dummy dimensions", ylabel="test accuracy", ylim=(0.3, 1.02))
    ax.legend(fontsize=7)
