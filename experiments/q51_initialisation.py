"""Q51 -- how does initialisation affect training? Five initialisers of weights AND biases on
the 12-d Gaussian task, MSE loss; plus a direct look at the symmetry of constant initialisations."""
from __future__ import annotations

import numpy as np
import torch

from harness import experiment
from harness.figures import band

from . import data, engine, rng, tasks
from .engine import BatchedMLP, accuracy, one_hot, train
from .threads import one_thread




# name -> (engine scheme, std): N(0, 0.01²) and N(0, 1) are the two Gaussians of the original.
INITS = {"xavier": ("xavier", 0.0), "zeros": ("zeros", 0.0), "ones": ("ones", 0.0),
         "normal_small": ("normal", 0.01), "normal_large": ("normal", 1.0)}
SATURATED = 0.02     # a sigmoid output within 0.02 of 0 or 1 (|z| > 3.9) counts as saturated


@torch.no_grad()
def unit_spread(model: BatchedMLP) -> np.ndarray:
    """Per model: how different the hidden units of each layer are -- the largest difference
    between any unit's incoming weights, bias or outgoing weights and those of unit 0, relative
    to the largest absolute entry of that tensor (0 when every hidden unit is an exact copy)."""
    ws, bs = list(model.weights), list(model.biases)
    worst = torch.zeros(model.n_models, dtype=torch.float64)

    def rel(t, dim):     # spread across hidden units along ``dim`` of t (M, ., .)
        first = t.select(dim, 0).unsqueeze(dim)
        diff = (t - first).abs().flatten(1).max(1).values.double()
        scale = t.abs().flatten(1).max(1).values.double()
        return torch.where(scale > 0, diff / scale.clamp_min(1e-300), torch.zeros_like(diff))

    for layer in range(len(ws) - 1):             # hidden layer ``layer``: its units are columns
        worst = torch.maximum(worst, rel(ws[layer], 2))     # incoming weights
        worst = torch.maximum(worst, rel(bs[layer], 2))     # biases
        worst = torch.maximum(worst, rel(ws[layer + 1], 1))  # outgoing weights (rows)
    return worst.numpy()


@torch.no_grad()
def saturation(model: BatchedMLP, x: torch.Tensor) -> np.ndarray:
    """Per model: the fraction of hidden sigmoid outputs (both layers, every row of ``x``)
    within SATURATED of 0 or 1."""
    fractions = []
    for layer in range(1, len(model.weights)):
        h = model(x, upto=layer)
        fractions.append(((h < SATURATED) | (h > 1 - SATURATED)).double().mean((1, 2)))
    return torch.stack(fractions).mean(0).numpy()


def logistic_baseline(task: tasks.StackedTask, n_seeds: int) -> np.ndarray:
    """Test accuracy of scikit-learn's LogisticRegression (defaults) on each seed's data: the
    Bayes boundary of two Gaussians with a shared covariance is linear, so this is a
    near-optimal reference for "trains well"."""
    from sklearn.linear_model import LogisticRegression
    out = []
    for m in range(n_seeds):
        nt, ns = int(task.rows_train[m]), int(task.rows_test[m])
        clf = LogisticRegression(max_iter=2000).fit(task.x_train[m, :nt].numpy(),
                                                    task.y_train[m, :nt].numpy())
        out.append(clf.score(task.x_test[m, :ns].numpy(), task.y_test[m, :ns].numpy()))
    return np.array(out)


@experiment("initialisation", depends_on=(engine, tasks, data, rng))
@one_thread()
def initialisation(seeds, *, inits=tuple(INITS), separation="inverse", steps=500, every=50,
                   hidden=(100, 100), activation="sigmoid", lr=0.003, loss="mse",
                   exact_zeros_check=True):
    """Every (initialiser, seed) pair is one model of one batched MLP; a seed fixes the data
    and the batch order (and the random draws of the random initialisers), so initialisers
    are compared on identical data and batches (paired by seed)."""
    init_of, seed_of = tasks.grid(inits, seeds)
    task = tasks.gaussian_task(seed_of, separation=separation)
    d = task.x_train.shape[-1]
    model = BatchedMLP((d, *hidden, 2), len(seed_of), activation).initialise(
        seed_of, scheme=[INITS[i][0] for i in init_of], std=[INITS[i][1] for i in init_of])
    sat = saturation(model, task.x_train) if activation == "sigmoid" else \
        np.full(len(seed_of), np.nan)
    curve = []
    train(model, task.x_train, one_hot(task.y_train), rows=task.rows_train, steps=steps,
          seeds=seed_of, loss=loss, lr=lr, every=every,
          record=lambda step: curve.append(accuracy(model, task.x_test, task.y_test)))
    k, s = len(inits), len(seeds)
    curve = np.array(curve).T.reshape(k, s, -1)               # init, seed, record
    spread = unit_spread(model).reshape(k, s)
    sat = sat.reshape(k, s)
    base = logistic_baseline(task, s)          # models 0..s-1 hold the s seeds, in order
    exact = exact_zeros(task, seeds, hidden, activation, lr, loss, steps) if exact_zeros_check \
        else None
    out = []
    for j in range(s):
        m = {"accuracy[logistic]": base[j]}
        if exact is not None:
            m["accuracy[zeros_float64]"], m["unit_spread[zeros_float64]"] = exact[0][j], exact[1][j]
        for i, name in enumerate(inits):
            m[f"accuracy[{name}]"] = curve[i, j, -1]
            m[f"auc[{name}]"] = curve[i, j].mean()
            m[f"curve[{name}]"] = curve[i, j]
            m[f"unit_spread[{name}]"] = spread[i, j]
            if activation == "sigmoid":
                m[f"saturation[{name}]"] = sat[i, j]
        out.append(m)
    return out


def exact_zeros(task, seeds, hidden, activation, lr, loss, steps):
    """The zero initialisation once more, in float64 (the same data and batch order as the
    float32 zero-initialised model of each seed): where rounding is ~1e-16 instead of ~1e-7,
    the hidden units stay copies of each other. Returns (final test accuracy, unit spread)."""
    s = len(seeds)
    x, y = task.x_train[:s].double(), task.y_train[:s]
    model = BatchedMLP((x.shape[-1], *hidden, 2), s, activation, dtype=torch.float64
                       ).initialise(list(seeds), scheme="zeros")
    train(model, x, one_hot(y).double(), rows=task.rows_train[:s], steps=steps,
          seeds=list(seeds), loss=loss, lr=lr)
    return accuracy(model, task.x_test[:s].double(), task.y_test[:s]), unit_spread(model)


@initialisation.figure
def _plot(trials, fig):
    inits = trials.params.get("inits", tuple(INITS))
    ax = fig.add_subplot(1, 2, 1)
    steps = np.arange(1, len(trials.measurements[0][f"curve[{inits[0]}]"]) + 1) \
        * trials.params.get("every", 50)
    for name in inits:
        band(ax, steps, trials[f"curve[{name}]"], label=name)
    ax.axhline(trials["accuracy[logistic]"].mean(), color="k", lw=0.8, ls=":",
               label="logistic regression")
    ax.set(xlabel="training step", ylabel="test accuracy", ylim=(0.3, 1.02))
    ax.legend(fontsize=7, ncol=2)
    ax = fig.add_subplot(1, 2, 2)
    names = [n for n in (*inits, "zeros_float64")
             if f"unit_spread[{n}]" in trials.measurements[0]]
    spreads = np.maximum(np.array([trials[f"unit_spread[{n}]"] for n in names]), 1e-20)
    ax.bar(range(len(names)), np.median(spreads, 1), color="grey", label="median over seeds")
    ax.plot(range(len(names)), spreads.max(1), "k_", markersize=14, label="largest seed")
    ax.set(yscale="log", xticks=range(len(names)), ylabel="relative spread between\n"
           "hidden units after training", title="symmetry (0 = identical units; floor 1e-20)")
    ax.set_xticklabels(names, fontsize=7, rotation=20)
    ax.legend(fontsize=7)


def constant_init_symmetry(scheme: str = "zeros", steps: int = 20, seed: int = 0):
    """In exact arithmetic a constant initialisation keeps every hidden unit of a layer an exact
    copy of the others: check it in float64 -- after ``steps`` Adam steps on real data the units
    are still identical (relative spread below 1e-12)."""
    task = tasks.gaussian_task([seed])
    model = BatchedMLP((12, 100, 100, 2), 1, "sigmoid", dtype=torch.float64).initialise(
        [seed], scheme=scheme)
    x = task.x_train.double()
    train(model, x, one_hot(task.y_train).double(), steps=steps, seeds=[seed], loss="mse")
    spread = float(unit_spread(model)[0])
    moved = float(sum(float(w.detach().abs().sum()) for w in model.weights[:-1]))
    return spread < 1e-12 and moved > 0, (f"after {steps} float64 Adam steps from '{scheme}': "
                                         f"relative unit spread {spread:.1e}, hidden weights "
                                         f"moved (sum |w| = {moved:.3g})")
