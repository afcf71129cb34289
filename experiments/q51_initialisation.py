"""Q51 -- how does initialisation affect training? Five initialisers of weights AND biases on
the 12-d Gaussian task, MSE loss (the original's Experiment 10), plus a direct look at the
symmetry of constant initialisations.

Per seed: one data set (500 rows, 400 train / 100 test), one batch order, and one model per
initialiser -- Xavier (Glorot uniform, biases drawn as if fan-in = fan-out = length), all 0,
all 1, N(0, 0.01²), N(0, 1) -- so initialisers are compared on identical data and batches
(paired by seed). Test accuracy is recorded where the original recorded it: right after the
training step with ``step % 50 == 0``, i.e. after 1, 51, 101, ..., 451 Adam updates -- the ten
points of its figure, which it labels "Epochs" 0-9. The original never recorded the accuracy
after the last (500th) update.

Also per seed:

* the zero initialisation once more in float64, on the same data and batch order: with
  rounding ~1e-16 instead of ~1e-7 its hidden units stay exact copies of each other, so it shows
  what a constant initialisation does without numerical symmetry breaking;
* the relative spread between the hidden units after training (0 = every hidden unit of a
  layer is an exact copy of the others);
* the share of hidden sigmoid outputs that are saturated at initialisation (within 0.02 of 0
  or 1, i.e. |pre-activation| > 3.9), on the training rows;
* scikit-learn's logistic regression (defaults) on the same rows: the Bayes boundary of two
  Gaussians with a shared covariance is linear, so it is a near-optimal reference for "trains
  (very) well".

A seed is marked diverged if any of its models ends with non-finite weights (an all-ones or
N(0, 1) start is the one that could); claims then say what that means for them.
"""

from __future__ import annotations

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment, positive, real
from harness.figures import band
from harness.figures import seeds as seed_lines

from . import tasks
from .engine import BatchedMLP, one_hot, train
from .engine import accuracy as model_accuracy

# name -> (engine scheme, std): N(0, 0.01²) and N(0, 1) are the original's two Gaussians.
INITS = {
    "xavier": ("xavier", 0.0),
    "zeros": ("zeros", 0.0),
    "ones": ("ones", 0.0),
    "normal_small": ("normal", 0.01),
    "normal_large": ("normal", 1.0),
}
LABELS = {
    "xavier": "Xavier",
    "zeros": "constant 0",
    "ones": "constant 1",
    "normal_small": "N(0, 0.01²)",
    "normal_large": "N(0, 1)",
}
CHECKPOINTS = tuple(range(1, 500, 50))  # updates done at the original's ten test points
N_TEST = 100
SATURATED = 0.02  # a sigmoid output within 0.02 of 0 or 1 (|z| > 3.9) counts as saturated

ACCURACY = accuracy(
    "accuracy", "test accuracy after `step` Adam updates", rows=N_TEST, axes=("init", "step")
)
ACCURACY_FLOAT64 = accuracy(
    "accuracy_float64",
    "test accuracy of the zero initialisation trained in float64 (same data and batches)",
    rows=N_TEST,
    axes=("step",),
)
LOGISTIC = accuracy(
    "logistic_accuracy",
    "test accuracy of logistic regression (sklearn defaults) on the same rows",
    rows=N_TEST,
)
SATURATION = real(
    "saturation",
    "share of hidden sigmoid outputs within 0.02 of 0 or 1 at "
    "initialisation (both layers, training rows)",
    axes=("init",),
    bounds=(0.0, 1.0),
    resolution=1e-4,
)
SPREAD = positive(
    "unit_spread",
    "largest difference between hidden units after training, "
    "relative to the largest entry (0: exact copies)",
    axes=("init",),
    resolution=1e-15,
)


@torch.no_grad()
def unit_spread(model: BatchedMLP) -> np.ndarray:
    """Per model: how different the hidden units of each layer are -- the largest difference
    between any unit's incoming weights, bias or outgoing weights and those of unit 0, relative
    to the largest absolute entry of that tensor (0 when every hidden unit is an exact copy)."""
    ws, bs = list(model.weights), list(model.biases)
    worst = torch.zeros(model.n_models, dtype=torch.float64)

    def rel(t, dim):  # spread across hidden units along ``dim`` of t (M, ., .)
        first = t.select(dim, 0).unsqueeze(dim)
        diff = (t - first).abs().flatten(1).max(1).values.double()
        scale = t.abs().flatten(1).max(1).values.double()
        return torch.where(scale > 0, diff / scale.clamp_min(1e-300), torch.zeros_like(diff))

    for layer in range(len(ws) - 1):  # hidden layer ``layer``: its units are columns
        worst = torch.maximum(worst, rel(ws[layer], 2))  # incoming weights
        worst = torch.maximum(worst, rel(bs[layer], 2))  # biases
        worst = torch.maximum(worst, rel(ws[layer + 1], 1))  # outgoing weights (rows)
    return worst.numpy()


@torch.no_grad()
def saturation(model: BatchedMLP, x: torch.Tensor) -> np.ndarray:
    """Per model: the share of hidden sigmoid outputs (every hidden layer, every row of ``x``)
    within SATURATED of 0 or 1."""
    shares = []
    for layer in range(1, len(model.weights)):
        h = model(x, upto=layer)
        shares.append(((h < SATURATED) | (h > 1 - SATURATED)).double().mean((1, 2)))
    return torch.stack(shares).mean(0).numpy()


def logistic_baseline(task: tasks.StackedTask, models) -> np.ndarray:
    """Test accuracy of scikit-learn's LogisticRegression (defaults) on each listed model's
    data."""
    from sklearn.linear_model import LogisticRegression

    out = []
    for m in models:
        nt, ns = int(task.rows_train[m]), int(task.rows_test[m])
        clf = LogisticRegression(max_iter=2000).fit(
            task.x_train[m, :nt].numpy(), task.y_train[m, :nt].numpy()
        )
        out.append(clf.score(task.x_test[m, :ns].numpy(), task.y_test[m, :ns].numpy()))
    return np.array(out)


def _train_recording(model, task, seeds, *, steps, lr, loss, checkpoints):
    """Train; test accuracy after each update count in ``checkpoints``. Returns (records
    (len(checkpoints), models), diverged per model)."""
    wanted = set(checkpoints)
    records = []

    def record(done):
        if done in wanted:
            records.append(model_accuracy(model, task.x_test, task.y_test, task.rows_test))

    diverged = train(
        model,
        task.x_train,
        one_hot(task.y_train).to(task.x_train.dtype),
        rows=task.rows_train,
        steps=steps,
        seeds=seeds,
        loss=loss,
        lr=lr,
        every=1,
        record=record,
    )
    return np.array(records), diverged


@experiment("initialisation", measures=(ACCURACY, ACCURACY_FLOAT64, LOGISTIC, SATURATION, SPREAD))
def initialisation(
    seeds,
    *,
    inits=tuple(INITS),
    separation="inverse",
    steps=500,
    checkpoints=CHECKPOINTS,
    hidden=(100, 100),
    activation="sigmoid",
    lr=0.003,
    loss="mse",
    float64_zeros=True,
):
    """Every (initialiser, seed) pair is one model of one batched MLP; a seed fixes the data
    and the batch order (and the draws of the random initialisers)."""
    inits, checkpoints = list(inits), list(checkpoints)
    init_of, seed_of = tasks.grid(inits, seeds)
    task = tasks.gaussian_task(seed_of, separation=separation)
    d = task.x_train.shape[-1]
    model = BatchedMLP((d, *hidden, 2), len(seed_of), activation).initialise(
        seed_of, scheme=[INITS[i][0] for i in init_of], std=[INITS[i][1] for i in init_of]
    )
    sat = saturation(model, task.x_train) if activation == "sigmoid" else None
    curve, diverged = _train_recording(
        model, task, seed_of, steps=steps, lr=lr, loss=loss, checkpoints=checkpoints
    )
    k, s = len(inits), len(seeds)
    curve = curve.T.reshape(k, s, -1)  # init, seed, checkpoint
    spread = unit_spread(model).reshape(k, s)
    diverged = diverged.reshape(k, s).any(0)
    base = logistic_baseline(task, range(s))  # models 0..s-1 hold the s seeds, in order
    if float64_zeros:
        exact_curve, exact_spread, exact_diverged = float64_zero_run(
            task, seeds, hidden, activation, lr, loss, steps, checkpoints
        )
        diverged |= exact_diverged
    out = []
    for j in range(s):
        if diverged[j]:
            out.append({DIVERGED: True})
            continue
        m = {LOGISTIC.key(): float(base[j])}
        for i, name in enumerate(inits):
            for c, step in enumerate(checkpoints):
                m[ACCURACY.key(init=name, step=step)] = float(curve[i, j, c])
            m[SPREAD.key(init=name)] = float(spread[i, j])
            if sat is not None:
                m[SATURATION.key(init=name)] = float(sat[i * s + j])
        if float64_zeros:
            for c, step in enumerate(checkpoints):
                m[ACCURACY_FLOAT64.key(step=step)] = float(exact_curve[c, j])
            m[SPREAD.key(init="zeros_float64")] = float(exact_spread[j])
        out.append(m)
    return out


def float64_zero_run(task, seeds, hidden, activation, lr, loss, steps, checkpoints):
    """The zero initialisation once more, in float64, on the same data and batch order as the
    float32 zero-initialised model of each seed (models 0..s-1 of ``task`` hold the seeds).
    Returns (test accuracy at the checkpoints (checkpoints, seeds), unit spread, diverged)."""
    s = len(seeds)
    sub = tasks.StackedTask(
        task.x_train[:s].double(),
        task.y_train[:s],
        task.rows_train[:s],
        task.x_test[:s].double(),
        task.y_test[:s],
        task.rows_test[:s],
    )
    model = BatchedMLP(
        (sub.x_train.shape[-1], *hidden, 2), s, activation, dtype=torch.float64
    ).initialise(list(seeds), scheme="zeros")
    curve, diverged = _train_recording(
        model, sub, list(seeds), steps=steps, lr=lr, loss=loss, checkpoints=checkpoints
    )
    return curve, unit_spread(model), diverged


def constant_init_symmetry(scheme: str = "zeros", steps: int = 20, seed: int = 0):
    """Train a constant-initialised 12-100-100-2 sigmoid network for ``steps`` Adam steps in
    float64 on the task's data. Returns (relative spread between hidden units, how far the
    hidden weights moved: sum |w|)."""
    task = tasks.gaussian_task([seed])
    model = BatchedMLP((12, 100, 100, 2), 1, "sigmoid", dtype=torch.float64).initialise(
        [seed], scheme=scheme
    )
    start = [w.detach().clone() for w in model.weights[:-1]]
    train(
        model,
        task.x_train.double(),
        one_hot(task.y_train).double(),
        steps=steps,
        seeds=[seed],
        loss="mse",
    )
    moved = float(sum((w.detach() - w0).abs().sum() for w, w0 in zip(model.weights, start)))
    return float(unit_spread(model)[0]), moved


@initialisation.figure
def _plot(trials, fig):
    inits = list(trials.params["inits"])
    checkpoints = list(trials.params["checkpoints"])
    index = np.arange(len(checkpoints))
    ax1, ax2, ax3 = (fig.add_subplot(1, 3, i) for i in (1, 2, 3))
    for name in inits:
        band(
            ax1,
            index,
            ACCURACY.over_values(trials, "step", checkpoints, init=name),
            label=LABELS[name],
            sd=True,
            linestyle="--",
        )
    ax1.set(
        xlabel="'epoch' (test point every 50 steps)",
        ylabel="test accuracy",
        title="as the original (mean ± 1 SD)",
        ylim=(0.4, 1.0),
    )
    ax1.legend(fontsize=7, loc="lower right")
    for name in inits:
        values = ACCURACY.over_values(trials, "step", checkpoints, init=name)
        line = band(ax2, checkpoints, values, label=LABELS[name])
        if name == "zeros":  # bimodal: each seed leaves chance at its own time, or not at all
            seed_lines(ax2, checkpoints, values, color=line.get_color())
    if trials.params["float64_zeros"]:
        band(
            ax2,
            checkpoints,
            ACCURACY_FLOAT64.over_values(trials, "step", checkpoints),
            label="constant 0, float64",
            color="black",
            linestyle=":",
        )
    ax2.axhline(
        LOGISTIC.values(trials).mean(), color="grey", lw=0.8, ls="--", label="logistic regression"
    )
    ax2.set(
        xlabel="Adam updates",
        ylabel="test accuracy",
        ylim=(0.4, 1.0),
        title="ours: mean, 95 % interval (seeds: constant 0)",
    )
    ax2.legend(fontsize=7, loc="lower right")
    names = inits + (["zeros_float64"] if trials.params["float64_zeros"] else [])
    spreads = np.maximum(np.stack([SPREAD.values(trials, init=n) for n in names]), 1e-17)
    for i, row in enumerate(spreads):
        ax3.plot(np.full(len(row), i), row, "o", color="grey", alpha=0.4, markersize=3)
    ax3.plot(
        range(len(names)),
        np.exp(np.log(spreads).mean(1)),
        "k_",
        markersize=14,
        label="geometric mean",
    )
    ax3.set(
        yscale="log",
        xticks=range(len(names)),
        ylabel="relative spread between hidden units",
        title="symmetry after training (0 shown at 1e-17)",
    )
    ax3.set_xticklabels([LABELS.get(n, "0, float64") for n in names], fontsize=8, rotation=30)
    ax3.legend(fontsize=8)
