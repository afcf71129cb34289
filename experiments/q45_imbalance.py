"""Q45 -- does imbalanced data destroy a neural network? Majority:minority ratios, with and
without resampling the minority class, on the 2-d Gaussian task of the original notebook.

Per seed: one covariance factor C, one balanced test set of 300 rows, and for each ratio r one
training set of 1,200 rows of which ``int(1200 / (r + 1))`` belong to the minority class (class
1; truncated as the original does: 11 rows at 1:100); training and test sets are each min-max
scaled on their own, as in the original. Resampling repeats every minority row r times; with
full-batch training that is exactly a row weight of r on minority rows (``engine.train``'s
``row_weight``). The seed's wording of the remedy ("samples drawn with replacement from the
minority class") is ``resampling="bootstrap"``: n_majority draws with replacement from the
minority rows, i.e. a multinomial row weight.
"""

from __future__ import annotations

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment
from harness.figures import band

from . import data, rng, tasks
from .engine import BatchedMLP, one_hot, train

RATIOS = (1, 2, 5, 10, 20, 50, 100)
ARMS = ("off", "on")  # resampling
N_TRAIN, N_TEST = 1200, 300

# Balanced accuracy on the 300 balanced test rows; agreement with the Bayes rule on them; the
# share of test rows predicted as the minority class (0.5 is right on a balanced test set).
ACCURACY = accuracy("accuracy", "balanced test accuracy", rows=N_TEST, axes=("ratio", "resample"))
BAYES_AGREEMENT = accuracy(
    "bayes_agreement",
    "agreement with the Bayes rule on the test rows",
    rows=N_TEST,
    axes=("ratio", "resample"),
)
MINORITY_RATE = accuracy(
    "minority_rate",
    "share of test rows predicted as the minority class",
    rows=N_TEST,
    axes=("ratio", "resample"),
)
BAYES_ACCURACY = accuracy("bayes_accuracy", "test accuracy of the Bayes rule", rows=N_TEST)


def n_minority(ratio: int) -> int:
    """The original's minority count: int(1200 / (ratio + 1)), truncated."""
    return int(N_TRAIN / (ratio + 1))


def seed_data(seed: int, ratios, d: int):
    """The seed's covariance factor, balanced test set and one training set per ratio (each
    ratio from its own stream, so adding a ratio never changes another's data)."""
    sep = data.separation("inverse", d)  # d = 2: (1, 1/2)
    r_test = rng.numpy_rng(seed, "data")
    c = data.mixing_matrix(r_test, d, 1.0)
    x_test, y_test = data.gaussian_mixture(r_test, N_TEST, d=d, sep=sep, c=c)
    trains = {}
    for r in ratios:
        r_train = rng.numpy_rng(seed, f"train[ratio={r}]")
        trains[r] = data.gaussian_mixture(
            r_train, N_TRAIN, d=d, sep=sep, c=c, n_minority=n_minority(r)
        )
    # Bayes rule for equal priors and the shared covariance CᵀC (on unscaled coordinates).
    w = np.linalg.solve(c.T @ c, sep)
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
            0, len(minority), size=int(np.sum(y == 0))
        )
        w[minority] = np.bincount(draws, minlength=len(minority))
    else:
        raise ValueError(f"unknown resampling {how!r}")
    return w


# About 9 CPU seconds a seed (13 networks of 100 x 100 on 1,200 full-batch rows): capped at 50.
@experiment(
    "imbalance",
    measures=(ACCURACY, BAYES_AGREEMENT, MINORITY_RATE, BAYES_ACCURACY),
    max_seeds=50,
)
def imbalance(
    seeds,
    *,
    ratios=RATIOS,
    d=2,
    resampling="repeat",
    steps=500,
    hidden=(100, 100),
    activation="sigmoid",
    lr=0.003,
):
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
    diverged = train(
        model,
        x_train,
        one_hot(y_train),
        steps=steps,
        seeds=seed_of,
        batch_size=None,
        lr=lr,
        row_weight=weight,
    )
    with torch.no_grad():
        pred = model(x_test).argmax(-1).numpy()
    acc = (pred == y_test).mean(1)  # the test set is balanced: this is balanced accuracy
    agree = (pred == bayes).mean(1)
    minority_rate = (pred == 1).mean(1)
    index = {k: i for i, k in enumerate(settings)}
    out = []
    for j, s in enumerate(seeds):
        m = {BAYES_ACCURACY.key(): float((per_seed[s][3] == per_seed[s][1]).mean())}
        bad = False
        for r in ratios:
            for arm in ARMS:
                i = index[(r, arm == "on" and r != 1)] * len(seeds) + j
                bad |= bool(diverged[i])
                m[ACCURACY.key(ratio=r, resample=arm)] = float(acc[i])
                m[BAYES_AGREEMENT.key(ratio=r, resample=arm)] = float(agree[i])
                m[MINORITY_RATE.key(ratio=r, resample=arm)] = float(minority_rate[i])
        out.append({DIVERGED: True} if bad else m)
    return out


@imbalance.figure
def _plot(trials, fig):
    ratios = list(trials.params["ratios"])
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for arm, label in (("off", "no resampling"), ("on", "resampling")):
        band(
            ax1,
            ratios,
            ACCURACY.over_values(trials, "ratio", ratios, resample=arm),
            label=label,
            sd=True,
        )
        band(
            ax2,
            ratios,
            BAYES_AGREEMENT.over_values(trials, "ratio", ratios, resample=arm),
            label=f"{label}: agrees with Bayes",
        )
        band(
            ax2,
            ratios,
            MINORITY_RATE.over_values(trials, "ratio", ratios, resample=arm),
            label=f"{label}: predicted minority",
            linestyle="--",
        )
    ax1.axhline(
        trials[BAYES_ACCURACY.key()].mean(), color="grey", lw=0.8, ls=":", label="Bayes rule"
    )
    ax1.set(
        xscale="log",
        xlabel="majority : minority ratio",
        ylabel="balanced test accuracy",
        title="test accuracy (mean ± 1 SD, as the original)",
        ylim=(0.3, 1.0),
    )
    ax2.axhline(0.5, color="grey", lw=0.8, ls=":")
    ax2.set(
        xscale="log",
        xlabel="majority : minority ratio",
        ylabel="share of test rows",
        title="decision boundary (mean, 95 % interval)",
        ylim=(0, 1),
    )
    ax1.legend()
    ax2.legend(fontsize=8)
