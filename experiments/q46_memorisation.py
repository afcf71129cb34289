"""Q46 -- memorisation or generalisation? Training accuracy on true vs randomly permuted labels as
the data set grows, with a network of three sigmoid hidden layers of 200 (82,202 parameters).

Per seed: one covariance factor C (6-d, scale 1, class means 0 and (1, ..., 1)) and one pool of
300 rows (150 per class, shuffled) -- the original's one draw of ``max(ns)`` rows -- whose labels
are used once as they are and once randomly permuted; a size n takes the first n rows of the pool
(nested, as the original's ``X_train_[:n]``); so the n rows, their true and their permuted labels
do not depend on which sizes a protocol runs. Plus 500 held-out rows with true labels (not in the
original: it has no test set) for the claims about generalisation.

Every (n, labels, seed) is one model of a single BatchedMLP (rows padded to the largest n,
``rows=``), trained with Adam (lr 0.003) on mini-batches of 64 rows drawn without replacement
(all of a seed's models with the same n see the same batches, and every model of a seed starts
from the same weights: true and random labels are paired by seed).

Checkpoints, as the original's code has them: it evaluates the training accuracy on all rows
after the update of loop step 0, 250, ..., 2250 (``step % 250 == 0`` after ``train_op``), i.e.
after 1, 251, ..., 2,251 updates, and its figures label these 250, 500, ..., 2,500 ("Epoch").
The first panel shows the last of them: after 2,251 updates. The original's remaining 249 updates
(to 2,500) are never measured, so they are not run here: every number the original shows is
reproduced with ``steps=2500`` trained to the last checkpoint. ``fine`` adds a finer grid
(every ``fine`` updates from the first, up to the last checkpoint: the seed's "accuracy at every
epoch" reading).

Measures: training accuracy at each checkpoint; the number of updates until the training
accuracy first reaches a level (0.9: "learnt"; 0.99: "fitted", i.e. at most 1 % of rows wrong),
a model that never does within the budget counted at the next checkpoint after the last (a lower
bound); held-out accuracy after the last checkpoint.
"""

from __future__ import annotations

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment, positive
from harness.figures import band
from harness.figures import seeds as seed_lines

from . import data, rng
from .engine import BatchedMLP, one_hot, stack, train
from .engine import accuracy as model_accuracy

SIZES = (50, 100, 150, 200, 250, 300)
LABELS = ("true", "random")
LEVELS = (0.9, 0.99)
POOL = 300  # the original's pool: max(ns) rows per repeat
EVERY = 250  # the original's checkpoint spacing
N_HELD_OUT = 500


def checkpoints(steps: int, every: int) -> list[int]:
    """Updates after which the original evaluates: 1, 1 + every, ... below ``steps``."""
    return list(range(1, steps, every))


TRAIN_ACCURACY = accuracy(
    "train_accuracy",
    "training accuracy on all of the model's rows",
    rows=lambda ctx: ctx["n"],
    axes=("n", "labels", "step"),
)
STEPS_TO = positive(
    "steps_to",
    "updates until the training accuracy first reaches the level "
    "(250-update checkpoints; never: the next checkpoint after the budget)",
    axes=("n", "labels", "level"),
    resolution=EVERY,
)
STEPS_TO_FINE = positive(
    "steps_to_fine", "as steps_to, on the fine grid", axes=("n", "labels", "level"), resolution=25
)
HELD_OUT = accuracy(
    "held_out_accuracy",
    "accuracy on 500 held-out rows with true labels, after the last checkpoint",
    rows=N_HELD_OUT,
    axes=("n", "labels"),
)


def seed_data(seed: int, d: int):
    """The seed's pool (x, true y, permuted y) and held-out set."""
    r = rng.numpy_rng(seed, "data")
    c = data.mixing_matrix(r, d, 1.0)
    sep = data.separation("ones", d)
    x, y = data.gaussian_mixture(r, POOL, d=d, sep=sep, c=c)
    y_random = rng.numpy_rng(seed, "labels").permutation(y)
    x_held, y_held = data.gaussian_mixture(
        rng.numpy_rng(seed, "held_out"), N_HELD_OUT, d=d, sep=sep, c=c
    )
    return x, y, y_random, x_held, y_held


def steps_to(curve: np.ndarray, at: list[int], level: float, censored: int) -> np.ndarray:
    """First checkpoint (per row of ``curve``) with accuracy >= ``level``, else ``censored``."""
    hit = curve >= level - 1e-9
    return np.where(hit.any(-1), np.asarray(at)[np.argmax(hit, -1)], censored).astype(float)


# ~1 s of CPU per model and seed (2-5 s a seed for the protocols the claims run; 12 s for the
# original's full grid): capped at 500 seeds, the standard schedule's last look (first at 50, then
# 200; each left a claim open that more seeds could decide); 500 seeds cost 20-40 CPU-minutes.
@experiment(
    "memorisation", measures=(TRAIN_ACCURACY, STEPS_TO, STEPS_TO_FINE, HELD_OUT), max_seeds=500
)
def memorisation(
    seeds,
    *,
    sizes=SIZES,
    labels=LABELS,
    steps=2500,
    fine=None,
    hidden=(200, 200, 200),
    activation="sigmoid",
    lr=0.003,
    d=6,
):
    sizes, labels = tuple(sizes), tuple(labels)
    if max(sizes) > POOL:
        raise ValueError(f"sizes above the pool of {POOL} rows")
    coarse = checkpoints(steps, EVERY)
    last = coarse[-1]  # nothing after the original's last checkpoint is measured
    grid = sorted(
        set(coarse) | {t for t in (checkpoints(steps, fine) if fine else []) if t <= last}
    )
    per_seed = {s: seed_data(s, d) for s in seeds}
    settings = [(n, lab) for n in sizes for lab in labels]
    setting_of = [k for k in settings for _ in seeds]
    seed_of = [s for _ in settings for s in seeds]
    xs, ys = [], []
    for (n, lab), s in zip(setting_of, seed_of):
        x, y, y_random = per_seed[s][:3]
        xs.append(x[:n])
        ys.append((y if lab == "true" else y_random)[:n])
    x, rows = stack(xs)
    y, _ = stack(ys, torch.long)
    model = BatchedMLP((d, *hidden, 2), len(seed_of), activation).initialise(seed_of)
    wanted, curve = set(grid), []

    def record(step):
        if step in wanted:
            curve.append(model_accuracy(model, x, y, rows))

    diverged = train(
        model, x, one_hot(y), rows=rows, steps=last, seeds=seed_of, lr=lr, every=1, record=record
    )
    x_held, _ = stack([per_seed[s][3] for s in seed_of])
    y_held, _ = stack([per_seed[s][4] for s in seed_of], torch.long)
    held = model_accuracy(model, x_held, y_held)
    curve = np.array(curve).T.reshape(len(sizes), len(labels), len(seeds), len(grid))
    held = held.reshape(len(sizes), len(labels), len(seeds))
    bad = np.asarray(diverged).reshape(len(sizes), len(labels), len(seeds)).any((0, 1))
    on_coarse = [grid.index(t) for t in coarse]
    out = []
    for j in range(len(seeds)):
        if bad[j]:
            out.append({DIVERGED: True})
            continue
        m = {}
        for i, n in enumerate(sizes):
            for k, lab in enumerate(labels):
                c = curve[i, k, j]
                for t in coarse:
                    m[TRAIN_ACCURACY.key(n=n, labels=lab, step=t)] = float(c[grid.index(t)])
                m[HELD_OUT.key(n=n, labels=lab)] = float(held[i, k, j])
                for level in LEVELS:
                    m[STEPS_TO.key(n=n, labels=lab, level=level)] = float(
                        steps_to(c[on_coarse], coarse, level, coarse[-1] + EVERY)
                    )
                    if fine:
                        m[STEPS_TO_FINE.key(n=n, labels=lab, level=level)] = float(
                            steps_to(c, grid, level, last + fine)
                        )
        out.append(m)
    return out


@memorisation.figure
def _plot(trials, fig):
    sizes, labels = list(trials.params["sizes"]), list(trials.params["labels"])
    coarse = checkpoints(trials.params["steps"], EVERY)
    end = coarse[-1]
    colours = {"true": "C0", "random": "C1"}
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    if len(sizes) > 1:  # the original's first panel: training accuracy against n
        for lab in labels:
            final = np.stack(
                [TRAIN_ACCURACY.values(trials, n=n, labels=lab, step=end) for n in sizes], axis=1
            )
            band(left, sizes, final, label=f"{lab} labels", sd=True, color=colours[lab])
            right.plot(
                sizes,
                (final >= 0.99 - 1e-9).mean(0),
                "-o",
                ms=3,
                color=colours[lab],
                label=f"{lab} labels",
            )
        left.set(
            xlabel="n",
            ylabel=f"training accuracy after {end:,} updates",
            ylim=(0, 1.04),
            title="memorisation (mean ± 1 SD, as the original)",
        )
        right.set(
            xlabel="n",
            ylabel="share of seeds fitted (>= 0.99)",
            ylim=(-0.02, 1.02),
            title=f"our view: share of {len(trials)} seeds fitted",
        )
    else:  # the original's second panel: training accuracy over its checkpoints
        n = sizes[0]
        for lab in labels:
            trace = np.stack(
                [TRAIN_ACCURACY.values(trials, n=n, labels=lab, step=t) for t in coarse], axis=1
            )
            band(left, coarse, trace, label=f"{lab} labels", sd=True, color=colours[lab])
            band(right, coarse, trace, label=f"{lab} labels", color=colours[lab])
            seed_lines(right, coarse, trace, color=colours[lab])
        left.set(
            xlabel="updates (the original's checkpoints, labelled 250-2,500 'Epoch')",
            ylabel=f"training accuracy (n = {n})",
            ylim=(0, 1.04),
            title="mean ± 1 SD, as the original",
        )
        right.set(
            xlabel="updates",
            ylim=(0, 1.04),
            title=f"our view: mean, 95 % interval, each of {len(trials)} seeds",
        )
        for ax in (left, right):
            ax.axhline(0.9, color="grey", lw=0.6, ls=":")
    left.legend(fontsize=8)
    right.legend(fontsize=8)
