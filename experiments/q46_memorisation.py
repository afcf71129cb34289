"""Q46 -- memorisation or generalisation? Training accuracy on true vs randomly permuted labels
as the data set grows, with a network of three sigmoid hidden layers of 200.

Per seed: one covariance factor C (6-d, scale 1, class means 0 and (1, ..., 1)); for every
size n a balanced training set of n rows from its own stream (so adding a size never changes
another's data), its labels once true and once randomly permuted (the same rows, the same
class balance); and a held-out set of 500 rows with true labels. Every (n, labels, seed)
triple is one model of a single BatchedMLP -- padded to 300 rows, each model's real row count
passed as ``rows=`` -- trained with 2,500 Adam steps on mini-batches of 64 rows (all rows when
fewer). Training accuracy on all of a model's rows is recorded every ``every`` steps (25: the
original's 250-step checkpoints are every tenth record; the finer grid is for the seed's
wording, "the accuracy at every epoch").

"Fits" means a training accuracy of at least ``threshold`` (0.99) at a checkpoint; steps to
fit is the first such checkpoint, and a model that never fits within the budget gets
``steps + every`` (a lower bound: censored). The memorisation capacity of a seed is the
largest n whose random labels fit within the budget (0 if none does).
"""
from __future__ import annotations

import numpy as np
import torch

from harness import experiment
from harness.figures import band

from . import data, engine, rng
from .engine import BatchedMLP, accuracy, one_hot, stack, train

SIZES = (50, 100, 150, 200, 250, 300)
LABELS = ("true", "random")
PANEL_N = 150          # the original's second panel: n = 150 over steps
ORIGINAL_EVERY = 250   # the original's checkpoints


def seed_data(seed: int, sizes, d: int, n_test: int):
    """Training sets (x, true y, permuted y) per size and a held-out set, from ``seed``."""
    r = rng.numpy_rng(seed, "data")
    c = data.mixing_matrix(r, d, 1.0)
    sep = data.separation("ones", d)
    x_test, y_test = data.gaussian_mixture(rng.numpy_rng(seed, "test"), n_test, d=d, sep=sep,
                                           c=c)
    sets = {}
    for n in sizes:
        x, y = data.gaussian_mixture(rng.numpy_rng(seed, f"train[n={n}]"), n, d=d, sep=sep, c=c)
        y_random = rng.numpy_rng(seed, f"labels[n={n}]").permutation(y)
        sets[n] = (x, y, y_random)
    return sets, x_test, y_test


def steps_to_fit(curve: np.ndarray, steps_at: np.ndarray, threshold: float, censored: int):
    """First checkpoint step with accuracy >= threshold (per row of ``curve``), else censored."""
    hit = curve >= threshold
    if hit.shape[-1] == 0:
        return np.full(hit.shape[:-1], float(censored))
    first = np.where(hit.any(-1), steps_at[np.argmax(hit, -1)], censored)
    return first.astype(float)


@experiment("memorisation", depends_on=(engine, data, rng))
def memorisation(seeds, *, sizes=SIZES, steps=2500, every=25, hidden=(200, 200, 200),
                 activation="sigmoid", lr=0.003, d=6, n_test=500, threshold=0.99):
    sizes = tuple(sizes)
    settings = [(n, lab) for n in sizes for lab in LABELS]
    per_seed = {s: seed_data(s, sizes, d, n_test) for s in seeds}
    setting_of = [k for k in settings for _ in seeds]
    seed_of = [s for _ in settings for s in seeds]
    xs, ys = [], []
    for (n, lab), s in zip(setting_of, seed_of):
        x, y, y_random = per_seed[s][0][n]
        xs.append(x)
        ys.append(y if lab == "true" else y_random)
    x, rows = stack(xs)
    y, _ = stack(ys, torch.long)
    x_test, _ = stack([per_seed[s][1] for s in seed_of])
    y_test, _ = stack([per_seed[s][2] for s in seed_of], torch.long)

    model = BatchedMLP((d, *hidden, 2), len(seed_of), activation).initialise(seed_of)
    curve = []
    train(model, x, one_hot(y), rows=rows, steps=steps, seeds=seed_of, lr=lr, every=every,
          record=lambda step: curve.append(accuracy(model, x, y, rows)))
    test = accuracy(model, x_test, y_test)                        # true held-out labels
    curve = np.array(curve).T.reshape(len(sizes), len(LABELS), len(seeds), -1)
    test = test.reshape(len(sizes), len(LABELS), len(seeds))
    steps_at = every * np.arange(1, curve.shape[-1] + 1)
    coarse = (steps_at % ORIGINAL_EVERY == 0) if ORIGINAL_EVERY % every == 0 else \
        np.ones_like(steps_at, bool)
    fit = steps_to_fit(curve[..., coarse], steps_at[coarse], threshold,
                       steps + ORIGINAL_EVERY)                   # (size, label, seed)
    fit_fine = steps_to_fit(curve, steps_at, threshold, steps + every)
    panel = sizes.index(PANEL_N) if PANEL_N in sizes else len(sizes) // 2
    out = []
    for j in range(len(seeds)):
        m = {}
        for i, lab in enumerate(LABELS):
            m[f"final_accuracy[{lab}]"] = curve[:, i, j, -1]
            m[f"max_accuracy[{lab}]"] = curve[:, i, j][:, coarse].max(-1)
            m[f"steps_to_fit[{lab}]"] = fit[:, i, j]
            m[f"steps_to_fit_fine[{lab}]"] = fit_fine[:, i, j]
            m[f"test_accuracy[{lab}]"] = test[:, i, j]
            m[f"panel_curve[{lab}]"] = curve[panel, i, j]
        fits = fit[:, 1, j] <= steps
        fits_fine = fit_fine[:, 1, j] <= steps
        m["capacity"] = float(max([n for n, f in zip(sizes, fits) if f], default=0))
        m["capacity_fine"] = float(max([n for n, f in zip(sizes, fits_fine) if f], default=0))
        out.append(m)
    return out


@memorisation.figure
def _plot(trials, fig):
    sizes = list(trials.params.get("sizes", SIZES))
    every = trials.params.get("every", 25)
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    for lab in LABELS:
        band(ax1, sizes, trials[f"final_accuracy[{lab}]"], label=f"{lab} labels")
        curve = trials[f"panel_curve[{lab}]"]
        band(ax2, every * np.arange(1, curve.shape[1] + 1), curve, label=f"{lab} labels")
    ax1.set(xlabel="training set size n", ylabel="training accuracy after the last step",
            ylim=(0.45, 1.02))
    ax2.set(xlabel="training step", ylabel=f"training accuracy (n = {PANEL_N})",
            ylim=(0.45, 1.02))
    for ax in (ax1, ax2):
        ax.axhline(0.99, color="grey", lw=0.5, ls="--")
        ax.legend(fontsize=7)
