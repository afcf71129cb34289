"""Q47 -- does unsupervised dimensionality reduction help? PCA before an MLP on a 10-d Gaussian
task padded with useless "dummy" dimensions and then mixed by a random matrix.

Per seed and number of dummy dimensions D: n = 100 rows (80 train / 20 test) of a 10-d mixture
(sep = 1 in every dimension, s = 0.2), D dummy features uniform on [0, 1), then every row
multiplied by a (10 + D)² matrix -- ``mixing="uniform"``: entries uniform on [0, 1) (the
original: not a rotation), ``mixing="orthogonal"``: a random orthogonal matrix
(scipy.stats.ortho_group, the seed's "rotation"). PCA to none, 10, 5 or 1 dimensions, fitted on
the training rows. 2 sigmoid hidden layers of 100, 500 full-batch steps, cross-entropy.
Networks of equal input width share one batched model.

Besides test accuracy, per (D, PCA size) the experiment records how much of the class
separation the PCA subspace keeps, from the population (not the sample): the class-mean
difference and the covariance of the mixed data (dummies: variance 1/12, class-independent),
projected onto the PCA directions fitted on the training rows, give the accuracy of the best
linear rule in that subspace, Phi(Delta / 2) with Delta the Mahalanobis distance (dummy sums
treated as Gaussian); ``bayes_full`` is the same for the full space (no PCA).
"""
from __future__ import annotations


import numpy as np
import torch
from scipy.stats import norm, ortho_group

from harness import experiment
from harness.figures import band

from . import data, engine, rng, tasks
from .engine import BatchedMLP, one_hot, train
from .threads import one_thread

DUMMIES = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)
PCA_DIMS = (None, 10, 5, 1)
D_SIGNAL, N = 10, 100




def seed_data(seed: int, dummies: int, mixing: str):
    """One seed's rows for D dummy dimensions (each D from its own stream)."""
    g = rng.numpy_rng(seed, f"data[dummies={dummies}]")
    c = data.mixing_matrix(g, D_SIGNAL, 0.2)    # drawn first, as gaussian_mixture would
    x, y = data.gaussian_mixture(g, N, d=D_SIGNAL, sep=data.separation("ones", D_SIGNAL),
                                 scale=0.2, c=c)
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
    split.population = (c, m)
    return split


def kept_separation(split, k):
    """Accuracy of the best linear rule (equal priors) on the population, in the PCA-k
    subspace fitted on the training rows (k=None: the full space)."""
    c, m = split.population
    sep = data.separation("ones", D_SIGNAL)
    cov_signal = c.T @ c
    if k is None:
        delta2 = sep @ np.linalg.solve(cov_signal, sep)
        return float(norm.cdf(np.sqrt(delta2) / 2))
    x = split.x_train.astype(np.float64)
    _, _, vt = np.linalg.svd(x - x.mean(0), full_matrices=False)
    mv = m @ vt[:k].T                                       # (10 + D, k)
    diff = sep @ mv[:D_SIGNAL]                              # class-mean difference, projected
    cov = mv[:D_SIGNAL].T @ cov_signal @ mv[:D_SIGNAL] + mv[D_SIGNAL:].T @ mv[D_SIGNAL:] / 12
    delta2 = diff @ np.linalg.solve(cov, diff)
    return float(norm.cdf(np.sqrt(max(delta2, 0.0)) / 2))


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
    from threadpoolctl import threadpool_limits
    # numpy's OpenBLAS threads spin on this small linear algebra (an 80 x 2,010 SVD took 1.4 s
    # of CPU with threads on the 2-core machine, 7 ms without): one thread for the numpy parts
    with threadpool_limits(1, user_api="blas"):
        splits = {(s, D): seed_data(s, D, mixing) for s in seeds for D in dummies}
    groups: dict[int, list] = {}
    for k in pca_dims:
        for D in dummies:
            width = D_SIGNAL + D if k is None else k
            for s in seeds:
                groups.setdefault(width, []).append((k, D, s))
    acc = {}
    for width, members in groups.items():
        with threadpool_limits(1, user_api="blas"):
            xs = [pca(splits[(s, D)], k) for k, D, s in members]
        x_train = torch.as_tensor(np.stack([a for a, _ in xs]))
        x_test = torch.as_tensor(np.stack([b for _, b in xs]))
        y_train = torch.as_tensor(np.stack([splits[(s, D)].y_train for _, D, s in members]))
        y_test = np.stack([splits[(s, D)].y_test for _, D, s in members])
        seed_of = [s for _, _, s in members]
        model = BatchedMLP((width, *hidden, 2), len(members), activation).initialise(seed_of)
        with one_thread():
            train(model, x_train, one_hot(y_train), steps=steps, seeds=seed_of,
                  batch_size=None, lr=lr)
            with torch.no_grad():
                pred = model(x_test).argmax(-1).numpy()
        for (k, D, s), a in zip(members, (pred == y_test).mean(1)):
            acc[(k, D, s)] = float(a)
    with threadpool_limits(1, user_api="blas"):
        kept = {(k, D, s): kept_separation(splits[(s, D)], k)
                for k in pca_dims for D in dummies for s in seeds}
    out = []
    for s in seeds:
        m = {}
        for k in pca_dims:
            name = "none" if k is None else str(k)
            m[f"accuracy_by_dummies[pca={name}]"] = [acc[(k, D, s)] for D in dummies]
            for D in dummies:
                m[f"accuracy[pca={name},dummies={D}]"] = acc[(k, D, s)]
                m[f"kept_separation[pca={name},dummies={D}]"] = kept[(k, D, s)]
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
