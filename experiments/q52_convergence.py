"""Q52 -- do the weights of different layers converge at different speeds? An MLP with three
sigmoid hidden layers of 50 on the 12-d Gaussian task, 750 mini-batch Adam steps on the MSE,
weights saved every 2 steps (see ../shared/protocols.md, row 52: "as Q50"; the original
tracked the last 50 entries of each weight matrix and plotted the norm of their change between
saves, from one run).

What "converge" means here (the original gave no definition). For weight layer l (W1: input
-> hidden 1, ..., W4: hidden 3 -> output) let w_l(t) be its tracked entries at save t and

    D_l(t) = |w_l(t) - w_l(T)| / |w_l(0) - w_l(T)|

the distance to the final weights (t = T = 750) as a fraction of the layer's whole journey.
D starts at 1 and ends at 0 for every layer, whatever its scale, so layers are comparable. The
layer's *convergence step* is the first saved step after which D stays at or below
``fraction`` (0.1: within 10 % of its initial distance from where it ends up) for the rest of
training. "Later layers converge faster" then means: the convergence step falls from W1 to W4.
Its *rebound* max_t [D(t) - min_{s<=t} D(s)] is how far the layer ever moves back away from its
final weights (0 for a perfectly monotone approach): "almost monotone" is a small rebound.
The original's own measure -- the norm of the change between saves -- is recorded and drawn
for comparison.
"""
from __future__ import annotations


import numpy as np

from harness import experiment
from harness.figures import band, mean_band

from . import data, engine, rng, tasks
from .engine import BatchedMLP, accuracy, one_hot, train
from .threads import one_thread

LAYERS = (1, 2, 3, 4)




def convergence_measures(snaps: np.ndarray, save_every: int, fraction: float) -> dict:
    """``snaps``: (saves, models, tracked) weights of one layer at steps 0, save_every, ...
    Returns per-model arrays: convergence step, rebound, mean D over training, and the D and
    change-norm curves."""
    final = snaps[-1]
    dist = np.linalg.norm(snaps - final, axis=-1)                     # (saves, models)
    d = dist / np.maximum(dist[0], 1e-30)
    above = d > fraction
    # the last save at which D is still above the fraction; convergence is the save after it
    last_above = np.where(above.any(0), len(d) - 1 - np.argmax(above[::-1], axis=0), -1)
    step = (last_above + 1) * save_every
    rebound = np.max(d - np.minimum.accumulate(d, axis=0), axis=0)
    change = np.linalg.norm(np.diff(snaps, axis=0), axis=-1)          # (saves - 1, models)
    return {"step": step, "rebound": rebound, "mean_distance": d.mean(0), "distance": d.T,
            "change": change.T}


@experiment("layer_convergence", depends_on=(engine, tasks, data, rng))
def layer_convergence(seeds, *, separation="inverse", steps=750, save_every=2,
                      hidden=(50, 50, 50), activation="sigmoid", lr=0.003, tracked=50,
                      fraction=0.1):
    """One model per seed; a seed fixes data, initial weights and batch order."""
    m = len(seeds)
    task = tasks.gaussian_task(seeds, separation=separation)
    model = BatchedMLP((12, *hidden, 2), m, activation).initialise(seeds)

    def snapshot(step=0):
        saves.append([w.detach().reshape(m, -1)[:, -tracked:].clone() for w in model.weights])

    saves: list = []
    snapshot()
    with one_thread():
        train(model, task.x_train, one_hot(task.y_train), rows=task.rows_train, steps=steps,
              seeds=seeds, loss="mse", lr=lr, every=save_every, record=snapshot)
    acc = accuracy(model, task.x_test, task.y_test, task.rows_test)
    snaps = np.array([[w.numpy() for w in s] for s in saves], dtype=np.float64)
    per_layer = [convergence_measures(snaps[:, i], save_every, fraction)
                 for i in range(len(model.weights))]
    layers = range(1, len(per_layer) + 1)
    results = []
    for j in range(m):
        r = {"test_accuracy": acc[j],
             "step_by_layer": [p["step"][j] for p in per_layer],
             "rebound_by_layer": [p["rebound"][j] for p in per_layer],
             "mean_distance_by_layer": [p["mean_distance"][j] for p in per_layer]}
        for l, p in zip(layers, per_layer):
            r[f"step[W{l}]"] = p["step"][j]
            r[f"rebound[W{l}]"] = p["rebound"][j]
            r[f"distance[W{l}]"] = p["distance"][j][::5]      # every 10 steps, for the figure
            r[f"change[W{l}]"] = p["change"][j]
        results.append(r)
    return results


def _line(ax, x, values, label):
    """A mean curve with its 95 % band, without markers (long curves)."""
    mean, half = mean_band(values)
    line, = ax.plot(x, mean, label=label, linewidth=1)
    ax.fill_between(x, mean - half, mean + half, color=line.get_color(), alpha=0.2, linewidth=0)


@layer_convergence.figure
def _plot(trials, fig):
    every = trials.params.get("save_every", 2)
    n_layers = len(trials.measurements[0]["step_by_layer"])
    ax = fig.add_subplot(1, 3, 1)
    for l in range(1, n_layers + 1):
        change = trials[f"change[W{l}]"]
        _line(ax, every * np.arange(1, change.shape[1] + 1), change, f"W{l}")
    ax.set(xlabel="step", ylabel="|change| between saves (original's measure)", yscale="log")
    ax.legend(fontsize=7)
    ax = fig.add_subplot(1, 3, 2)
    for l in range(1, n_layers + 1):
        dist = trials[f"distance[W{l}]"]
        _line(ax, 5 * every * np.arange(dist.shape[1]), dist, f"W{l}")
    ax.axhline(trials.params.get("fraction", 0.1), color="black", linewidth=0.8, linestyle=":")
    ax.set(xlabel="step", ylabel="distance to final weights / initial distance")
    ax.legend(fontsize=7)
    ax = fig.add_subplot(1, 3, 3)
    band(ax, list(range(1, n_layers + 1)), trials["step_by_layer"], label="convergence step")
    ax.set(xlabel="weight layer", ylabel="convergence step", xticks=list(range(1, n_layers + 1)))
    ax.legend(fontsize=7)
