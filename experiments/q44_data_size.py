"""Q44 -- does more data favour deeper networks? scikit-learn classifiers (defaults) trained on
nested subsets of one draw of the 12-d Gaussian task, tested on one test set of 2,000 rows.

Per seed: one covariance factor C (scale 1, class-1 mean 1/i in dimension i) and one draw of
``max(sizes)`` pool rows plus ``n_test`` test rows (half of each class overall, shuffled). For a
total size n the training set is the first round(0.8 n) pool rows (the original's 80 % train
split; nested: a larger size contains every smaller one). Classifiers are scikit-learn's
defaults: SVC (RBF), DecisionTreeClassifier (the original), RandomForestClassifier (the seed's
wording), MLPClassifier((100,)) and MLPClassifier((100, 100)); their ``random_state`` comes from
the seed's own stream. The MLP options (learning rate, activation, width) exist for the
robustness variants only; the defaults are scikit-learn's (ReLU, Adam at 0.001).

scikit-learn fits cannot be batched across seeds like the torch engine's models; seeds run in
``WORKERS`` processes (joblib), each limited to one BLAS/OpenMP thread (on a busy 2-core
machine a second BLAS thread makes MLPClassifier 10-50x slower, measured).

Also recorded per seed, from C alone: the Bayes-optimal accuracy with all 12 dimensions, with
dimensions 1-5 only, and with the best single dimension (equal priors, shared covariance
Σ = CᵀC: accuracy = Φ(Δ / 2), Δ² = sepᵀ Σ⁻¹ sep on the dimensions used).
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy.stats import norm

from harness import experiment
from harness.figures import band

from . import data, rng

SIZES = (20, 50, 100, 200, 500, 1000, 2000, 5000, 10000)
CLASSIFIERS = ("svm", "tree", "forest", "mlp1", "mlp2")
ORIGINAL = ("svm", "tree", "mlp1", "mlp2")
LABELS = {"svm": "SVM (RBF)", "tree": "decision tree", "forest": "random forest",
          "mlp1": "MLP (100)", "mlp2": "MLP (100, 100)"}
WORKERS = 2   # processes; not a parameter: results do not depend on it


def make_classifier(name: str, random_state: int, *, lr: float, activation: str, width: int):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.neural_network import MLPClassifier
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier
    if name == "svm":
        return SVC()
    if name == "tree":
        return DecisionTreeClassifier(random_state=random_state)
    if name == "forest":
        return RandomForestClassifier(random_state=random_state)
    if name in ("mlp1", "mlp2"):
        layers = (width,) if name == "mlp1" else (width, width)
        return MLPClassifier(layers, learning_rate_init=lr, activation=activation,
                             random_state=random_state)
    raise ValueError(f"unknown classifier {name!r}")


def bayes_accuracy(c: np.ndarray, sep: np.ndarray, dims) -> float:
    dims = list(dims)
    cov = (c.T @ c)[np.ix_(dims, dims)]
    delta2 = float(sep[dims] @ np.linalg.solve(cov, sep[dims]))
    return float(norm.cdf(np.sqrt(delta2) / 2))


def trial(seed: int, sizes, classifiers, d: int, n_test: int, train_fraction: float,
          mlp: dict) -> dict:
    """One seed: every classifier at every size. Runs in a worker process."""
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    r = rng.numpy_rng(seed, "data")
    sep = data.separation("inverse", d)
    c = data.mixing_matrix(r, d, 1.0)
    x, y = data.gaussian_mixture(r, max(sizes) + n_test, d=d, sep=sep, c=c)
    x_pool, y_pool, x_test, y_test = x[: max(sizes)], y[: max(sizes)], x[max(sizes):], y[max(sizes):]
    out = {"bayes_accuracy": bayes_accuracy(c, sep, range(d)),
           "bayes_accuracy_dims_1_5": bayes_accuracy(c, sep, range(5)),
           "bayes_accuracy_best_dim": max(bayes_accuracy(c, sep, [i]) for i in range(d))}
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name in classifiers:
            test_acc, train_acc = [], []
            for n in sizes:
                k = int(round(train_fraction * n))
                xt, yt = x_pool[:k], y_pool[:k]
                if len(np.unique(yt)) < 2:      # one class only (possible at tiny n): predict it
                    test_acc.append(float(np.mean(y_test == yt[0])))
                    train_acc.append(1.0)
                    continue
                state = int(rng.numpy_rng(seed, f"sklearn[{name},n={n}]").integers(2 ** 31 - 1))
                model = make_classifier(name, state, **mlp).fit(xt, yt)
                test_acc.append(float(model.score(x_test, y_test)))
                train_acc.append(float(model.score(xt, yt)))
            out[f"accuracy[{name}]"] = test_acc
            out[f"train_accuracy[{name}]"] = train_acc
    return out


@experiment("data_size", depends_on=(data, rng))
def data_size(seeds, *, sizes=SIZES, classifiers=CLASSIFIERS, d=12, n_test=2000,
              train_fraction=0.8, mlp_lr=0.001, mlp_activation="relu", mlp_width=100):
    mlp = {"lr": mlp_lr, "activation": mlp_activation, "width": mlp_width}
    args = (tuple(sizes), tuple(classifiers), d, n_test, train_fraction, mlp)
    if WORKERS > 1 and len(seeds) > 1:
        from joblib import Parallel, delayed
        return Parallel(n_jobs=min(WORKERS, len(seeds)))(
            delayed(trial)(s, *args) for s in seeds)
    return [trial(s, *args) for s in seeds]


@data_size.figure
def _plot(trials, fig):
    ax = fig.add_subplot(1, 1, 1)
    sizes = list(trials.params.get("sizes", SIZES))
    for name in trials.params.get("classifiers", CLASSIFIERS):
        band(ax, sizes, trials[f"accuracy[{name}]"], label=LABELS[name],
             ls="--" if name == "forest" else "-")
    bayes = trials["bayes_accuracy"].mean()
    ax.axhline(bayes, color="grey", lw=0.7, ls=":", label=f"Bayes (mean {bayes:.3f})")
    ax.set(xscale="log", xlabel="data set size n (80 % used for training)",
           ylabel="test accuracy (2,000 rows)", ylim=(0.45, 1.02))
    ax.legend(fontsize=7)
