"""Q45 -- does imbalanced data destroy a neural network? Majority:minority ratios, with and
without resampling the minority class, on the 2-d Gaussian task of the original notebook.

Per seed: one covariance factor C, one balanced test set of 300 rows, and for each ratio r one
training set of 1,200 rows of which round(1200 / (1 + r)) belong to the minority class (class
1); training and test sets are each min-max scaled on their own, as in the original.
Resampling repeats every minority row r times; with full-batch training that is exactly a
row weight of r on minority rows (``engine.train``'s ``row_weight``). The seed's wording of the
remedy ("samples drawn with replacement from the minority class") is ``resampling="bootstrap"``:
n_majority draws with replacement from the minority rows, i.e. a multinomial row weight.
"""
from __future__ import annotations


import numpy as np
import torch

from harness import experiment
from harness.figures import band

from . import data, engine, rng, tasks
from .engine import BatchedMLP, one_hot, train
from .threads import one_thread

RATIOS = (1, 2, 5, 10, 20, 50, 100)
N_TRAIN, N_TEST = 1200, 300




def seed_data(seed: int, ratios, d: int):
    """The seed's covariance factor, balanced test set and one training set per ratio (each
    ratio from its own stream, so adding a ratio never changes another's data)."""
    sep = data.separation("inverse", d)            # d = 2: (1, 1/2)
    r_test = rng.numpy_rng(seed, "data")
    c = data.mixing_matrix(r_test, d, 1.0)
    x_test, y_test = data.gaussian_mixture(r_test, N_TEST, d=d, sep=sep, c=c)
    trains = {}
    for r in ratios:
        r_train = rng.numpy_rng(seed, f"train[ratio={r}]")
        trains[r] = data.gaussian_mixture(r_train, N_TRAIN, d=d, sep=sep, c=c,
                                          minority_fraction=1.0 / (1.0 + r))
    # Bayes rule for equal priors and the shared covariance CᵀC (on unscaled coordinates).
    cov = c.T @ c
    w = np.linalg.solve(cov, sep)
    bayes = ((x_test - sep / 2) @ w > 0).astype(int)
    return x_test, y_test, trains, bayes


def resample_weight(seed: int, y: np.ndarray, ratio: int, how: str) -> np.ndarray:
    """Full-batch row weights equivalent to the resampled training set."""
    w = np.ones(len(y))
    minority = np.flatnonzero(y == 1)
    if how == "repeat":
        w[minority] = ratio
    elif how == "bootstrap":
        draws = rng.numpy_rng(seed, f"bootstrap[ratio={ratio}]").integers(
            0, len(minority), size=int(np.sum(y == 0)))
        w[minority] = np.bincount(draws, minlength=len(minority))
    else:
        raise ValueError(f"unknown resampling {how!r}")
    return w


@experiment("imbalance", depends_on=(engine, tasks, data, rng))
def imbalance(seeds, *, ratios=RATIOS, d=2, resampling="repeat", steps=500,
              hidden=(100, 100), activation="sigmoid", lr=0.003):
    """Every (ratio, resampling on/off, seed) is one model of a batched MLP; resampling at
    ratio 1 changes nothing, so that model is shared. A seed fixes data and initial weights,
    so the arms are paired by seed."""
    ratios = list(ratios)
    settings = [(r, False) for r in ratios] + [(r, True) for r in ratios if r != 1]
    setting_of, seed_of = tasks.grid(settings, seeds)
    per_seed = {s: seed_data(s, ratios, d) for s in seeds}
    xs, ys, ws = [], [], []
    for (r, on), s in zip(setting_of, seed_of):
        x, y = per_seed[s][2][r]
        xs.append(data.minmax_scale(x))
        ys.append(y)
        ws.append(resample_weight(s, y, r, resampling) if on else np.ones(len(y)))
    x_train = torch.as_tensor(np.stack(xs))
    y_train = torch.as_tensor(np.stack(ys))
    weight = torch.as_tensor(np.stack(ws), dtype=torch.float32)
    x_test = torch.as_tensor(np.stack([data.minmax_scale(per_seed[s][0]) for s in seed_of]))
    y_test = np.stack([per_seed[s][1] for s in seed_of])
    bayes = np.stack([per_seed[s][3] for s in seed_of])
    model = BatchedMLP((d, *hidden, 2), len(seed_of), activation).initialise(seed_of)
    with one_thread():
        train(model, x_train, one_hot(y_train), steps=steps, seeds=seed_of, batch_size=None,
              lr=lr, row_weight=weight)
        with torch.no_grad():
            pred = model(x_test).argmax(-1).numpy()
    acc = (pred == y_test).mean(1)
    agree = (pred == bayes).mean(1)
    minority_rate = (pred == 1).mean(1)
    index = {k: i for i, k in enumerate(settings)}
    out = []
    for j, s in enumerate(seeds):
        def row(values, on):
            return [values[index[(r, on and r != 1)] * len(seeds) + j] for r in ratios]
        m = {}
        for on, arm in ((False, "off"), (True, "on")):
            m[f"accuracy_{arm}"] = row(acc, on)
            m[f"bayes_agreement_{arm}"] = row(agree, on)
            m[f"minority_rate_{arm}"] = row(minority_rate, on)
            for r, a in zip(ratios, m[f"accuracy_{arm}"]):
                m[f"accuracy[ratio={r},resample={arm}]"] = a
        m["bayes_accuracy"] = float((per_seed[s][3] == per_seed[s][1]).mean())
        out.append(m)
    return out


@imbalance.figure
def _plot(trials, fig):
    ratios = list(trials.params.get("ratios", RATIOS))
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for arm, label in (("off", "no resampling"), ("on", "resampling")):
        band(ax1, ratios, trials[f"accuracy_{arm}"], label=label)
        band(ax2, ratios, trials[f"minority_rate_{arm}"], label=f"{label}: predicted minority")
        band(ax2, ratios, trials[f"bayes_agreement_{arm}"], label=f"{label}: agrees with Bayes",
             linestyle="--")
    ax1.axhline(trials["bayes_accuracy"].mean(), color="grey", lw=0.8, ls=":",
                label="Bayes rule")
    ax1.set(xscale="log", xlabel="majority : minority ratio", ylabel="balanced test accuracy",
            ylim=(0.4, 0.85))
    ax2.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax2.set(xscale="log", xlabel="majority : minority ratio", ylabel="fraction of test rows",
            ylim=(0, 1))
    ax1.legend(fontsize=7)
    ax2.legend(fontsize=6)
