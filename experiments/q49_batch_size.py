"""Q49 -- how does batch size affect accuracy? Batch sizes 1 ... 400 for 150 "epochs" each on
the 12-d Gaussian task (separation 1 in every dimension), as the original's Experiment 8.

Per seed: one data set (500 rows, 400 train / 100 test), and for each batch size b a network of
two sigmoid layers of 100 trained with Adam (lr 0.003, cross-entropy) for the original's
``int(150 * 500 / b)`` steps (sic: 500 is the whole data set, so an "epoch" is 1.25 passes over
the 400 training rows). Mini-batches are b rows drawn uniformly without replacement from the
seed's own stream (every row at b = 400). Accuracy is recorded where the original recorded it:
at the first step past k/15 of training, k = 1 ... 14 ("every 10 epochs", epochs 10 ... 140);
the original recorded it on the TRAINING rows and titled the figure "test accuracy", so both
sets are recorded at every checkpoint. A second arm (batch sizes ``adjusted``) trains with the
learning rate raised as 0.003 * sqrt(b), the usual scaling for Adam (Q49.15).

Two experiments. ``batch_size`` (accuracy): all seeds of one batch size are one stacked model
(the cheap way to get many seeds; per-seed times cannot be told apart, so none are recorded).
``batch_size_timed`` (runtime): every (seed, batch size) is trained alone, as the original
trained one network at a time, and the CPU time of each setting (initialisation, batch sampling,
training and the checkpoint evaluations -- what the original's timer enclosed) is recorded per
seed.

The many tiny steps of small batches (75,000 at b = 1) are bound by per-operation overhead, so
training uses a lean loop written for this module (``train_sigmoid_mlp``): the same forward and
hand-written backward as engine.py's BatchedMLP, with the parameters of all models in one flat
buffer updated by one fused Adam (engine.make_adam). ``lean_loop_matches_autograd`` checks it
against autograd and torch's Adam.
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment, positive, real
from harness.figures import band
from harness.figures import seeds as seed_lines

from . import engine, rng, tasks
from .engine import BatchedMLP, one_hot

BATCH_SIZES = (1, 4, 16, 64, 256, 400)
ADJUSTED = (64, 256, 400)  # the lr * sqrt(b) arm (batch 1 is the same in both arms)
RECORDS = 14  # the original's checkpoints: epochs 10, 20, ..., 140 of 150
N_TRAIN, N_TEST = 400, 100
THRESHOLD = 0.8  # the original's "time until acc = 0.8" (second panel)

TRAIN_ACCURACY = accuracy(
    "train_accuracy",
    "training accuracy at the original's last checkpoint (epoch 140 of 150)",
    rows=N_TRAIN,
    axes=("batch",),
)
TEST_ACCURACY = accuracy(
    "test_accuracy",
    "test accuracy at the original's last checkpoint (epoch 140 of 150)",
    rows=N_TEST,
    axes=("batch",),
)
TRAIN_CURVE = real("train_curve", "training accuracy at epochs 10, ..., 140", axes=("batch",))
TEST_CURVE = real("test_curve", "test accuracy at epochs 10, ..., 140", axes=("batch",))
TRAIN_ACCURACY_ADJ = accuracy(
    "train_accuracy_lr_sqrt_b",
    "training accuracy at epoch 140, lr 0.003 * sqrt(batch)",
    rows=N_TRAIN,
    axes=("batch",),
)
TEST_ACCURACY_ADJ = accuracy(
    "test_accuracy_lr_sqrt_b",
    "test accuracy at epoch 140, lr 0.003 * sqrt(batch)",
    rows=N_TEST,
    axes=("batch",),
)
TRAIN_CURVE_ADJ = real(
    "train_curve_lr_sqrt_b",
    "training accuracy by checkpoint, lr 0.003 * sqrt(batch)",
    axes=("batch",),
)
TEST_CURVE_ADJ = real(
    "test_curve_lr_sqrt_b", "test accuracy by checkpoint, lr 0.003 * sqrt(batch)", axes=("batch",)
)
SECONDS = positive(
    "seconds",
    "CPU seconds of one setting (one network, one thread): "
    "initialisation, batches, training, checkpoint evaluations",
    axes=("batch",),
    deterministic=False,
)
CHECKPOINT_SECONDS = positive(
    "checkpoint_seconds",
    "CPU seconds from the start of a setting to each checkpoint",
    axes=("batch",),
    deterministic=False,
)


def steps_for(batch: int, epochs: int = 150, epoch_rows: int = 500) -> int:
    """The original's step count ``int(epochs * 500 / batch)``."""
    return int(epochs * epoch_rows / batch)


def checkpoints(steps: int, records: int = RECORDS, epochs: int = 150, every: int = 10) -> list:
    """Updates done at each of the original's checkpoints: it evaluated at the first step index
    s > k * steps / epochs * every (k = 1 ... records), after that step's update."""
    per = steps / epochs * every
    return [math.floor(k * per) + 2 for k in range(1, records + 1)]


def draw_batches(r: np.random.Generator, n: int, b: int, steps: int) -> np.ndarray:
    """``steps`` mini-batches of ``b`` of ``n`` rows, each uniform over subsets without
    replacement (every row when b >= n): small b by redrawing any batch with a repeated row
    (cheap for b = 1 ... 16 over 75,000 steps), larger b as the b smallest of n random keys."""
    if b >= n:
        return np.broadcast_to(np.arange(n), (steps, n)).copy()
    if b * b <= n:
        idx = r.integers(0, n, (steps, b))
        while b > 1:
            s = np.sort(idx, axis=1)
            bad = (np.diff(s, axis=1) == 0).any(axis=1)
            if not bad.any():
                break
            idx[bad] = r.integers(0, n, (int(bad.sum()), b))
        return idx
    out = np.empty((steps, b), dtype=np.int64)
    for start in range(0, steps, 2048):
        stop = min(steps, start + 2048)
        out[start:stop] = np.argpartition(r.random((stop - start, n)), b - 1, axis=1)[:, :b]
    return out


def batches(seeds, n: int, b: int, steps: int) -> torch.Tensor:
    """(steps, models, b) row indices, each model's from its seed's own stream."""
    return torch.as_tensor(
        np.stack(
            [draw_batches(rng.numpy_rng(s, f"batches[b={b}]"), n, b, steps) for s in seeds], axis=1
        )
    )


def train_sigmoid_mlp(
    model: BatchedMLP,
    x: torch.Tensor,
    y: torch.Tensor,
    idx: torch.Tensor,
    lr: float,
    marks=(),
    record=None,
) -> np.ndarray:
    """Train the stacked sigmoid MLP ``model`` (M models) with cross-entropy and Adam on the
    mini-batches ``idx`` (steps, M, b); ``record(k)`` after the update that completes
    ``marks[k]`` updates. Returns which models diverged (engine.diverged)."""
    n_models = model.n_models
    params = [*model.weights, *model.biases]
    flat = torch.nn.Parameter(torch.cat([p.detach().reshape(-1) for p in params]))
    grad = torch.zeros_like(flat)
    views, gviews, offset = [], [], 0
    for p in params:
        views.append(flat.data[offset : offset + p.numel()].view(p.shape))
        gviews.append(grad[offset : offset + p.numel()].view(p.shape))
        offset += p.numel()
    with torch.no_grad():  # the model reads the flat buffer from now on
        for p, v in zip(params, views):
            p.data = v
    layers = len(model.weights)
    w, b_ = views[:layers], views[layers:]
    gw, gb = gviews[:layers], gviews[layers:]
    flat.grad = grad
    optimiser = engine.make_adam([flat], lr)
    targets = one_hot(y)
    models = torch.arange(n_models)[:, None]
    rows = idx.shape[2]
    at = {m: k for k, m in enumerate(marks)}
    for step in range(idx.shape[0]):
        i = idx[step]
        xb, tb = x[models, i], targets[models, i]
        with torch.no_grad():
            inputs, h = [], xb
            for layer in range(layers):
                inputs.append(h)
                h = torch.baddbmm(b_[layer], h, w[layer])
                if layer < layers - 1:
                    h = h.sigmoid_()
            g = torch.softmax(h, -1).sub_(tb).mul_(1.0 / rows)  # d(mean CE)/d(logits)
            for layer in range(layers - 1, -1, -1):
                torch.bmm(inputs[layer].transpose(1, 2), g, out=gw[layer])
                torch.sum(g, 1, keepdim=True, out=gb[layer])
                if layer > 0:
                    g = torch.ops.aten.sigmoid_backward(
                        torch.bmm(g, w[layer].transpose(1, 2)), inputs[layer]
                    )
        optimiser.step()
        if record is not None and step + 1 in at:
            record(at[step + 1])
    return engine.diverged(model, n_models)


def lean_loop_matches_autograd(steps: int = 40, b: int = 16) -> float:
    """Largest difference between the lean loop and autograd + torch.optim.Adam on the same
    batches (3 models, float32, ``steps`` updates)."""
    seeds = [0, 1, 2]
    task = tasks.gaussian_task(seeds, separation="ones")
    idx = batches(seeds, N_TRAIN, b, steps)
    lean = BatchedMLP((12, 100, 100, 2), 3).initialise(seeds)
    ref = BatchedMLP((12, 100, 100, 2), 3).initialise(seeds)
    train_sigmoid_mlp(lean, task.x_train, task.y_train, idx, 0.003)
    opt = torch.optim.Adam(ref.parameters(), lr=0.003)
    models = torch.arange(3)[:, None]
    t = one_hot(task.y_train)
    for step in range(steps):
        i = idx[step]
        loss = engine.LOSSES["cross_entropy"](ref(task.x_train[models, i]), t[models, i])
        opt.zero_grad()
        loss.mean(1).sum().backward()
        opt.step()
    return max(
        float((a - r).detach().abs().max()) for a, r in zip(lean.parameters(), ref.parameters())
    )


def _run_setting(seeds, task, batch: int, lr: float, steps: int, hidden, activation):
    """Train all ``seeds`` of one setting as one stack; training and test accuracy (models x
    checkpoints), CPU seconds at each checkpoint, whether each model diverged."""
    start = time.process_time()
    d = task.x_train.shape[-1]
    model = BatchedMLP((d, *hidden, 2), len(seeds), activation).initialise(list(seeds))
    idx = batches(seeds, N_TRAIN, batch, steps)
    train_acc, test_acc, clock = [], [], []

    def record(k):
        train_acc.append(engine.accuracy(model, task.x_train, task.y_train, task.rows_train))
        test_acc.append(engine.accuracy(model, task.x_test, task.y_test, task.rows_test))
        clock.append(time.process_time() - start)

    diverged = train_sigmoid_mlp(
        model, task.x_train, task.y_train, idx, lr, checkpoints(steps), record
    )
    return train_acc, test_acc, clock, time.process_time() - start, diverged


def _run(seeds, *, batch_sizes, adjusted, epochs, hidden, activation, lr, separation, timed):
    """A seed fixes the data, the Xavier initial weights and each batch size's batch order,
    so batch sizes are paired by seed. Batched: each (batch size, lr arm) is one stack of all
    seeds. ``timed``: each (seed, batch size) alone, CPU-timed."""
    if activation != "sigmoid":
        raise ValueError("the lean loop trains sigmoid hidden layers only")
    seeds = list(seeds)
    task = None if timed else tasks.gaussian_task(seeds, separation=separation)
    arms = [(b, lr, "fixed") for b in batch_sizes]
    arms += [(b, lr * math.sqrt(b), "adjusted") for b in adjusted]
    out = [dict() for _ in seeds]
    bad = np.zeros(len(seeds), dtype=bool)
    for b, rate, arm in arms:
        steps = steps_for(b, epochs)
        groups = [[j] for j in range(len(seeds))] if timed else [list(range(len(seeds)))]
        for members in groups:
            sub = (
                tasks.gaussian_task([seeds[j] for j in members], separation=separation)
                if timed
                else task
            )
            tr, te, clock, total, div = _run_setting(
                [seeds[j] for j in members], sub, b, rate, steps, hidden, activation
            )
            bad[members] |= div
            quantities = ((TRAIN_ACCURACY, TRAIN_CURVE), (TEST_ACCURACY, TEST_CURVE))
            if arm == "adjusted":
                quantities = (
                    (TRAIN_ACCURACY_ADJ, TRAIN_CURVE_ADJ),
                    (TEST_ACCURACY_ADJ, TEST_CURVE_ADJ),
                )
            for curve, (final, trace) in zip((tr, te), quantities):
                for j, m in zip(
                    members,
                    tasks.curves_per_seed(
                        curve, [b], [seeds[j] for j in members], final=final, trace=trace
                    ),
                ):
                    out[j].update(m)
            if timed:
                (j,) = members
                out[j][SECONDS.key(batch=b)] = total
                out[j][CHECKPOINT_SECONDS.key(batch=b)] = clock
    return [{DIVERGED: True} if bad[j] else m for j, m in enumerate(out)]


# About 3-4.5 CPU seconds a seed (75,000 steps at batch size 1): capped at 500, the standard
# schedule's last look (first at 50, then 200; each left claims open that more seeds could decide).
@experiment(
    "batch_size",
    max_seeds=500,
    measures=(
        TRAIN_ACCURACY,
        TEST_ACCURACY,
        TRAIN_CURVE,
        TEST_CURVE,
        TRAIN_ACCURACY_ADJ,
        TEST_ACCURACY_ADJ,
        TRAIN_CURVE_ADJ,
        TEST_CURVE_ADJ,
    ),
    chunk=25,
)
def batch_size(
    seeds,
    *,
    batch_sizes=BATCH_SIZES,
    adjusted=ADJUSTED,
    epochs=150,
    hidden=(100, 100),
    activation="sigmoid",
    lr=0.003,
    separation="ones",
):
    """Accuracy: all seeds of one (batch size, lr arm) trained as one stack (per-step cost is
    overhead and Adam's pass over the parameters, so 25 seeds at a time cost little more than
    a few)."""
    return _run(
        seeds,
        batch_sizes=batch_sizes,
        adjusted=adjusted,
        epochs=epochs,
        hidden=hidden,
        activation=activation,
        lr=lr,
        separation=separation,
        timed=False,
    )


@experiment(
    "batch_size_timed",
    measures=(SECONDS, CHECKPOINT_SECONDS, TRAIN_ACCURACY, TEST_ACCURACY, TRAIN_CURVE, TEST_CURVE),
    chunk=5,
    max_seeds=50,  # one network per seed and batch size, timed: as costly as batch_size
)
def batch_size_timed(
    seeds,
    *,
    batch_sizes=BATCH_SIZES,
    epochs=150,
    hidden=(100, 100),
    activation="sigmoid",
    lr=0.003,
    separation="ones",
):
    """Runtime: every (seed, batch size) trained alone, as the original trained one network at
    a time, with the CPU time of each setting."""
    return _run(
        seeds,
        batch_sizes=batch_sizes,
        adjusted=(),
        epochs=epochs,
        hidden=hidden,
        activation=activation,
        lr=lr,
        separation=separation,
        timed=True,
    )


def time_to(trials, batch: int, level: float = THRESHOLD) -> np.ndarray:
    """Per seed, CPU seconds to the first checkpoint with training accuracy >= ``level`` (the
    setting's whole time when it never gets there)."""
    curve = trials[TRAIN_CURVE.key(batch=batch)]
    clock = trials[CHECKPOINT_SECONDS.key(batch=batch)]
    total = trials[SECONDS.key(batch=batch)]
    hit = curve >= level
    first = np.where(hit.any(1), hit.argmax(1), -1)
    return np.array([clock[i, k] if k >= 0 else total[i] for i, k in enumerate(first)])


def _plot(trials, fig):
    sizes = list(trials.params["batch_sizes"])
    epochs = trials.params["epochs"]
    if "adjusted" not in trials.params:  # batch_size_timed: the run-time panel
        ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
        total = SECONDS.over_values(trials, "batch", sizes)
        band(ax1, sizes, total, label="run time", sd=True, color="k")
        twin = ax1.twinx()
        band(
            twin,
            sizes,
            np.column_stack([time_to(trials, b) for b in sizes]),
            label=f"time until training acc. {THRESHOLD}",
            sd=True,
            color="r",
        )
        ax1.set(
            xlabel="batch size",
            ylabel="CPU seconds",
            title=f"the original's 'Run time' panel, {epochs} epochs\n"
            "(one network per run; mean ± 1 SD)",
        )
        twin.set_ylabel("CPU seconds")
        ax1.legend(loc="center right")
        twin.legend(loc="upper right")
        band(ax2, sizes, total, label="geometric mean, 95 % interval", color="k", log=True)
        seed_lines(ax2, sizes, total, color="grey")
        ax2.set(
            xscale="log",
            yscale="log",
            xlabel="batch size",
            ylabel="CPU seconds",
            title="our view: CPU seconds per setting, every seed",
        )
        ax2.legend(loc="upper right")
        return
    ax1, ax2 = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    marks = np.arange(RECORDS)
    for b in sizes:
        band(
            ax1,
            marks,
            trials[TRAIN_CURVE.key(batch=b)],
            label=f"batch {b}",
            sd=True,
            linestyle="--",
        )
    ax1.set(
        xlabel=f"epoch (x{epochs / 15:g})",
        ylabel="accuracy on the TRAINING rows",
        title="the original's 'Test Accuracy' panel\n(training rows; mean ± 1 SD)",
    )
    ax1.legend(fontsize=8)
    for quantity, label in (
        (TEST_ACCURACY, "test (100 rows)"),
        (TRAIN_ACCURACY, "training (400 rows)"),
    ):
        band(ax2, sizes, quantity.over_values(trials, "batch", sizes), label=label)
    adj = list(trials.params["adjusted"])
    if adj:
        for fixed, adjusted, label in (
            (TEST_ACCURACY, TEST_ACCURACY_ADJ, "test"),
            (TRAIN_ACCURACY, TRAIN_ACCURACY_ADJ, "training"),
        ):
            band(
                ax2,
                [1, *adj],
                np.column_stack(
                    [fixed.values(trials, batch=1), adjusted.over_values(trials, "batch", adj)]
                ),
                label=f"{label}, lr 0.003·√b",
                linestyle=":",
            )
    ax2.set(
        xscale="log",
        xlabel="batch size",
        ylabel=f"accuracy at epoch {epochs * RECORDS / 15:g}",
        title="our view: both sets (mean, 95 % interval)",
    )
    ax2.legend(fontsize=8)


def gradient_noise(seed: int = 0, batch_sizes=BATCH_SIZES, draws: int = 4000):
    """Larger batches give less noisy gradients. At the Xavier initialisation of a seed's
    network, per-row gradients (float64) over the 400 training rows give the total variance of
    the mini-batch gradient for rows drawn without replacement, sigma^2 / b * (n - b) / (n - 1)
    (0 at b = n). Returns (formula, sampled) per batch size: the sampled value is the mean
    squared distance of ``draws`` sampled batch gradients from the full gradient, with its
    standard error."""
    task = tasks.gaussian_task([seed], separation="ones")
    x, t = task.x_train[0].double(), one_hot(task.y_train[0]).double()
    n = len(x)
    # n copies of the seed's network, one row each: one backward gives every per-row gradient
    one = BatchedMLP((12, 100, 100, 2), 1, "sigmoid", dtype=torch.float64).initialise([seed])
    model = BatchedMLP((12, 100, 100, 2), n, "sigmoid", dtype=torch.float64)
    with torch.no_grad():
        for mine, src in zip(model.parameters(), one.parameters()):
            mine.copy_(src.expand_as(mine))
    engine.LOSSES["cross_entropy"](model(x[:, None]), t[:, None]).sum().backward()
    g = torch.cat([p.grad.flatten(1) for p in model.parameters()], 1)  # n, parameters
    sigma2 = float(((g - g.mean(0)) ** 2).sum(1).mean()) * n / (n - 1)
    r = rng.numpy_rng(seed, "gradient-noise")
    centred = g - g.mean(0)
    gram = centred @ centred.T  # |mean of a batch's centred rows|^2 = w' K w
    formula, sampled, error = [], [], []
    for b in batch_sizes:
        idx = torch.as_tensor(draw_batches(r, n, b, draws))
        pick = torch.zeros(draws, n, dtype=g.dtype).scatter_(1, idx, 1.0 / b)
        dist = ((pick @ gram) * pick).sum(1)
        sampled.append(float(dist.mean()))
        error.append(float(dist.std()) / math.sqrt(draws))
        formula.append(sigma2 / b * (n - b) / (n - 1))
    return formula, sampled, error


batch_size.figure(_plot)
batch_size_timed.figure(_plot)
