"""Q49 -- how does batch size affect accuracy? Batch sizes 1 … 400 for 150 "epochs" each on the
12-d Gaussian task (separation 1 in every dimension), with the wall time of every setting."""
from __future__ import annotations

import time

import numpy as np
import torch

from harness import experiment
from harness.figures import band

from . import data, engine, rng, tasks
from .engine import BatchedMLP, accuracy, one_hot
from .threads import one_thread




BATCH_SIZES = (1, 4, 16, 64, 256, 400)
RECORDS = 15          # accuracy "every 10 epochs" of 150


def steps_for(batch: int, epochs: int = 150, epoch_rows: int = 500) -> int:
    """The original's step count: epochs · 500 / batch (sic: 500 is the whole data set, not the
    400 training rows, so an "epoch" here is 1.25 passes over the training set); floored."""
    return epochs * epoch_rows // batch


def draw_batches(r: np.random.Generator, n: int, b: int, steps: int) -> np.ndarray:
    """``steps`` mini-batches of ``b`` of ``n`` rows, each drawn uniformly without replacement
    (every row when b >= n). Small batches by rejection of i.i.d. draws with a repeat (uniform
    over ordered samples without replacement; cheap for b = 1 … 16 at 75,000 steps), larger
    ones by the smallest b of n random keys, as engine.batch_indices does."""
    if b >= n:
        return np.broadcast_to(np.arange(n), (steps, n)).copy()
    if b * b <= n:
        idx = r.integers(0, n, (steps, b))
        while True:
            s = np.sort(idx, axis=1)
            bad = (np.diff(s, axis=1) == 0).any(axis=1)
            if not bad.any():
                return idx
            idx[bad] = r.integers(0, n, (int(bad.sum()), b))
    out = np.empty((steps, b), dtype=np.int64)
    for start in range(0, steps, 2048):
        stop = min(steps, start + 2048)
        out[start:stop] = np.argpartition(r.random((stop - start, n)), b - 1, axis=1)[:, :b]
    return out


def train_batch_size(model, task, seeds, batch, steps, lr, records):
    """engine.train's loop (hand-written backward through engine._manual_gradients, fused
    Adam through engine.make_adam, cross-entropy) with this module's batch sampler. Returns
    (train accuracy, test accuracy) at ``records`` evenly spaced steps, each (models,)."""
    n = int(task.rows_train[0])
    idx = torch.as_tensor(np.stack([draw_batches(rng.numpy_rng(s, "batches"), n, batch, steps)
                                    for s in seeds], axis=1))                # steps, M, b
    models = torch.arange(len(seeds))[:, None]
    targets = one_hot(task.y_train)
    wb = torch.ones(len(seeds), idx.shape[-1])
    loss_fn = engine.LOSSES["cross_entropy"]
    optimiser = engine.make_adam(model.parameters(), lr)
    marks = {round(k * steps / records): k for k in range(1, records + 1)}
    train_acc, test_acc = [], []
    for step in range(steps):
        i = idx[step]
        engine._manual_gradients(model, task.x_train[models, i], targets[models, i], wb, loss_fn)
        optimiser.step()
        if step + 1 in marks:
            train_acc.append(accuracy(model, task.x_train, task.y_train, task.rows_train))
            test_acc.append(accuracy(model, task.x_test, task.y_test, task.rows_test))
    return np.array(train_acc).T, np.array(test_acc).T


@experiment("batch_size", depends_on=(engine, tasks, data, rng))
@one_thread()
def batch_size(seeds, *, batch_sizes=BATCH_SIZES, epochs=150, hidden=(100, 100),
               activation="sigmoid", lr=0.003, separation="ones"):
    """All seeds of one batch size are one batched MLP (a seed fixes data, Xavier initial
    weights and batch order, so batch sizes are paired by seed). Batch sizes are trained one
    after another, and each setting's wall time (sampling + training + the 15 accuracy
    evaluations) is recorded: it is shared by the seeds trained together in this call."""
    task = tasks.gaussian_task(list(seeds), separation=separation)
    d = task.x_train.shape[-1]
    per = {}
    for b in batch_sizes:
        start = time.perf_counter()
        model = BatchedMLP((d, *hidden, 2), len(seeds), activation).initialise(list(seeds))
        tr, te = train_batch_size(model, task, list(seeds), b, steps_for(b, epochs), lr, RECORDS)
        per[b] = (tr, te, time.perf_counter() - start)
    out = []
    for j in range(len(seeds)):
        m = {}
        for b, (tr, te, sec) in per.items():
            m[f"train_accuracy[{b}]"], m[f"test_accuracy[{b}]"] = tr[j, -1], te[j, -1]
            m[f"seconds[{b}]"] = sec
            m[f"train_curve[{b}]"], m[f"test_curve[{b}]"] = tr[j], te[j]
        for key in ("train_accuracy", "test_accuracy", "seconds"):
            m[f"{key}_by_batch"] = [m[f"{key}[{b}]"] for b in batch_sizes]
        out.append(m)
    return out


@batch_size.figure
def _plot(trials, fig):
    sizes = trials.params.get("batch_sizes", BATCH_SIZES)
    ax = fig.add_subplot(1, 2, 1)
    band(ax, sizes, trials["test_accuracy_by_batch"], label="test accuracy")
    band(ax, sizes, trials["train_accuracy_by_batch"], label="training accuracy "
         "(the original's 'test accuracy')")
    ax.set(xscale="log", xlabel="batch size", ylabel="accuracy after 150 'epochs'")
    ax.legend(fontsize=7)
    ax = fig.add_subplot(1, 2, 2)
    band(ax, sizes, trials["seconds_by_batch"], label="wall time per setting")
    ax.set(xscale="log", yscale="log", xlabel="batch size", ylabel="seconds per setting")
    ax.legend(fontsize=7)


def gradient_noise_falls(seed: int = 0, batch_sizes=BATCH_SIZES, draws: int = 400):
    """Larger batches give less noisy gradients: at the Xavier initialisation of a seed's
    network, the total variance of the mini-batch gradient (rows drawn without replacement) over
    the 400 training rows falls strictly with batch size, and matches the sampling formula
    σ²/b · (n − b)/(n − 1) (0 at b = n). Per-row gradients in float64."""
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
    g = torch.cat([p.grad.flatten(1) for p in model.parameters()], 1)      # n, parameters
    n = len(g)
    sigma2 = float(((g - g.mean(0)) ** 2).sum(1).mean()) * n / (n - 1)
    r = rng.numpy_rng(seed, "gradient-noise")
    theory, measured = [], []
    for b in batch_sizes:
        idx = torch.as_tensor(draw_batches(r, n, b, draws))
        pick = torch.zeros(draws, n, dtype=g.dtype).scatter_(1, idx, 1.0 / b)
        means = pick @ g
        measured.append(float(((means - g.mean(0)) ** 2).sum(1).mean()))
        theory.append(sigma2 / b * (n - b) / (n - 1))
    falls = all(a > c for a, c in zip(theory, theory[1:]))
    close = all(abs(m - th) <= 0.25 * th + 1e-12 for m, th in zip(measured, theory))
    return falls and close, ("total gradient variance by batch size " +
                             ", ".join(f"{b}: {th:.3g} (sampled {m:.3g})"
                                       for b, th, m in zip(batch_sizes, theory, measured)))
