"""Q53 -- how does regularisation affect the weights? L1 / L2 penalties of strength 0, 0.1, 1 on
the 12-d Gaussian task (as Q50), 2 sigmoid hidden layers of 50, 750 mini-batch steps, MSE loss.

Loss = MSE + strength x (mean |w| or mean w²), summed over the three weight matrices; biases are
not penalised. Sparsity is the fraction of first-layer weights with |w| below a threshold
(``SPARSE_AT``): Adam moves a weight by about lr = 0.003 per step whatever its gradient, so an
L1-penalised weight does not settle at exactly 0 but jitters around it within a few steps'
size; 0.01 (about three Adam steps, 3 % of the Xavier bound 0.31 of the 12x50 layer) is the
resolution below which a weight is "zero". The fraction below 1e-3 is recorded too.
"""
from __future__ import annotations


import numpy as np
import torch

from harness import experiment
from harness.figures import band

from . import data, engine, rng, tasks
from .engine import BatchedMLP, accuracy, one_hot, train
from .threads import one_thread

SETTINGS = (("none", 0.0), ("l1", 0.1), ("l1", 1.0), ("l2", 0.1), ("l2", 1.0))
SPARSE_AT = 1e-2




def label(kind, strength):
    return "none" if strength == 0 else f"{kind}={strength:g}"


@experiment("regularisation", depends_on=(engine, tasks, data, rng))
def regularisation(seeds, *, settings=SETTINGS, separation="inverse", steps=750, every=25,
                   hidden=(50, 50), activation="sigmoid", lr=0.003):
    """Every (penalty, seed) pair is one model of a batched MLP; a seed fixes data, initial
    weights and batch order, so penalties are compared on identical starts."""
    settings = [tuple(s) for s in settings]
    setting_of, seed_of = tasks.grid(settings, seeds)
    task = tasks.gaussian_task(seed_of, separation=separation)
    model = BatchedMLP((12, *hidden, 2), len(seed_of), activation).initialise(seed_of)
    l1 = torch.tensor([s if k == "l1" else 0.0 for k, s in setting_of])
    l2 = torch.tensor([s if k == "l2" else 0.0 for k, s in setting_of])

    def penalty(m):
        return sum(l1 * w.abs().mean((1, 2)) + l2 * w.square().mean((1, 2)) for w in m.weights)

    mean_abs_curve = []

    def record(step):
        with torch.no_grad():
            mean_abs_curve.append(model.weights[0].abs().mean((1, 2)).numpy().copy())

    with one_thread():
        train(model, task.x_train, one_hot(task.y_train), rows=task.rows_train, steps=steps,
              seeds=seed_of, loss="mse", lr=lr, penalty=penalty, every=every, record=record)
    acc = accuracy(model, task.x_test, task.y_test, task.rows_test)
    with torch.no_grad():
        w1 = model.weights[0].abs().reshape(len(seed_of), -1).numpy()
        all_abs = torch.cat([w.abs().reshape(len(seed_of), -1) for w in model.weights], 1).numpy()
        last50 = model.weights[0].reshape(len(seed_of), -1)[:, -50:].numpy()
    curve = np.array(mean_abs_curve).T
    s = len(seeds)
    out = []
    for j in range(s):
        m = {}
        for i, (kind, strength) in enumerate(settings):
            k = i * s + j
            name = label(kind, strength)
            m[f"accuracy[{name}]"] = acc[k]
            m[f"mean_abs[{name}]"] = all_abs[k].mean()
            m[f"mean_abs_first[{name}]"] = w1[k].mean()
            m[f"sparsity[{name}]"] = (w1[k] < SPARSE_AT).mean()
            m[f"sparsity_1e-3[{name}]"] = (w1[k] < 1e-3).mean()
            m[f"curve_mean_abs_first[{name}]"] = curve[k]
            m[f"last50[{name}]"] = last50[k]
        out.append(m)
    return out


@regularisation.figure
def _plot(trials, fig):
    settings = [tuple(s) for s in trials.params.get("settings", SETTINGS)]
    names = [label(*s) for s in settings]
    every = trials.params.get("every", 25)
    ax1, ax2, ax3 = (fig.add_subplot(1, 3, i) for i in (1, 2, 3))
    steps = np.arange(1, len(trials.measurements[0][f"curve_mean_abs_first[{names[0]}]"]) + 1) * every
    for name in names:
        band(ax1, steps, trials[f"curve_mean_abs_first[{name}]"], label=name)
    ax1.set(xlabel="training step", ylabel="mean |w|, first layer", yscale="log")
    ax1.legend(fontsize=7)
    x = np.arange(len(names))
    band(ax2, x, np.stack([trials[f"sparsity[{n}]"] for n in names], 1))
    ax2.set(xticks=x, ylabel="fraction |w| < 0.01 (first layer)", ylim=(0, 1))
    ax2.set_xticklabels(names, fontsize=7, rotation=30)
    band(ax3, x, np.stack([trials[f"accuracy[{n}]"] for n in names], 1))
    ax3.set(xticks=x, ylabel="test accuracy")
    ax3.set_xticklabels(names, fontsize=7, rotation=30)
