"""Q42 -- universal approximation in practice: one sigmoid hidden layer of 2, 4 or 16 units
fitted to sin(12x), -2x^4 + x^3 + x^2 - 2x and |x| on [-1, 1] by 10,000 full-batch Adam steps
(lr 0.003) on the mean squared error (claims/protocols.md, row 42).

The original (``Experiment1.run``): ``num_values = 100`` evenly spaced x on [-1, 1] (its text,
and the seed's, say 50 points); ``multilayer_perceptron(x, [n_hidden])`` -- sigmoid hidden
layer, linear output, Xavier-uniform weights and biases; it reports the MSE on the training
points (the loss of the last step). One run per (target, width), from one fixed seed.

Both point counts are trained here: ``points=(100, 50)`` -- 100 is the original, 50 the seed's
reading. Models of one width are one :class:`BatchedMLP` (each width its own batched run of
``engine.train``; every model trains independently, so grouping does not change a result); the
two point counts differ through ``rows=`` (padding + masks). A seed fixes the initial weights
of a width, shared by the targets and point counts (paired comparisons); the data are fixed.
"""

from __future__ import annotations

import numpy as np
import torch

from harness import DIVERGED, experiment, positive, real
from harness.figures import band, mean_band

from .engine import BatchedMLP, stack, train

UNITS = (2, 4, 16)
POINTS = (100, 50)
TARGETS = {
    "sin": lambda x: np.sin(12 * x),
    "poly": lambda x: -2 * x**4 + x**3 + x**2 - 2 * x,
    "abs": np.abs,
}
LABELS = {"sin": "sin(12x)", "poly": "-2x⁴+x³+x²-2x", "abs": "|x|"}
GRID = np.linspace(-1.0, 1.0, 101)  # where the fitted function is recorded for the figure

MSE = positive("mse", "final training MSE", axes=("points", "target", "units"))
# "Generally": the three targets together -- the geometric mean of their MSEs (the mean of the
# log MSE), so that no one target's scale dominates.
MSE_ALL = positive(
    "mse_geomean",
    "geometric mean over the three targets of the final training MSE",
    axes=("points", "units"),
)
FIT = real(
    "fit",
    "the fitted function on 101 points of [-1, 1] (figure)",
    axes=("points", "target", "units"),
)


# About 2.5 CPU seconds a seed (10,000 steps for each width and target): capped at 50.
@experiment("approximation", measures=(MSE, MSE_ALL, FIT), max_seeds=50)
def approximation(
    seeds,
    *,
    points=POINTS,
    targets=tuple(TARGETS),
    units=UNITS,
    steps=10_000,
    activation="sigmoid",
    lr=0.003,
):
    """Every (point count, target, width, seed) is one model."""
    points, targets, units = list(points), list(targets), list(units)
    settings = [(n, f) for n in points for f in targets]
    mse, fit, bad = {}, {}, np.zeros(len(seeds), bool)
    for h in units:
        pairs = [(k, s) for k in settings for s in seeds]  # setting-major
        xs = [np.linspace(-1.0, 1.0, n)[:, None] for (n, _), _ in pairs]
        ys = [TARGETS[f](x) for x, ((_, f), _) in zip(xs, pairs)]
        x, rows = stack(xs)
        y, _ = stack(ys)
        seed_of = [s for _, s in pairs]
        model = BatchedMLP((1, h, 1), len(pairs), activation).initialise(seed_of)
        diverged = train(
            model, x, y, rows=rows, steps=steps, seeds=seed_of, batch_size=None, loss="mse", lr=lr
        )
        with torch.no_grad():
            err = (model(x) - y).square()[..., 0].double()
            valid = (torch.arange(x.shape[1])[None, :] < rows[:, None]).double()
            per_model = ((err * valid).sum(1) / valid.sum(1)).numpy()
            grid = torch.as_tensor(GRID, dtype=torch.float32).repeat(len(pairs), 1)[..., None]
            curves = model(grid)[..., 0].double().numpy()
        for i, ((n, f), s) in enumerate(pairs):
            j = seeds.index(s)
            mse[(n, f, h, j)] = float(per_model[i])
            fit[(n, f, h, j)] = curves[i]
            bad[j] |= bool(diverged[i])
    out = []
    for j in range(len(seeds)):
        if bad[j]:
            out.append({DIVERGED: True})
            continue
        r = {}
        for n in points:
            for h in units:
                for f in targets:
                    r[MSE.key(points=n, target=f, units=h)] = mse[(n, f, h, j)]
                    r[FIT.key(points=n, target=f, units=h)] = fit[(n, f, h, j)]
                r[MSE_ALL.key(points=n, units=h)] = float(
                    np.exp(np.mean([np.log(mse[(n, f, h, j)]) for f in targets]))
                )
        out.append(r)
    return out


@approximation.figure
def _plot(trials, fig):
    points = list(trials.params["points"])
    targets = list(trials.params["targets"])
    units = list(trials.params["units"])
    n = points[0]
    fig.set_size_inches(10, 2.6 * len(targets))
    cols = len(units) + 1
    for r, f in enumerate(targets):
        # The original's panels: the target (solid) and the fit (dashed) for each width, here
        # the mean fit over seeds with a ±1 SD band, titled with the mean MSE.
        for c, h in enumerate(units):
            ax = fig.add_subplot(len(targets), cols, r * cols + c + 1)
            ax.plot(GRID, TARGETS[f](GRID), color="tab:blue", label="true y")
            curves = FIT.values(trials, points=n, target=f, units=h)
            mean, sd = mean_band(curves, confidence=None)
            ax.plot(GRID, mean, "--", color="tab:orange", label="fit ± 1 SD")
            ax.fill_between(GRID, mean - sd, mean + sd, color="tab:orange", alpha=0.25, lw=0)
            mse = MSE.values(trials, points=n, target=f, units=h)
            ax.set_title(
                f"{LABELS[f]}, {h} units: MSE {np.exp(np.log(mse).mean()):.2g}", fontsize=8
            )
            ax.set(xlabel="x" if r == len(targets) - 1 else None)
            if r == 0 and c == 0:
                ax.legend(fontsize=7)
        # Our view: the training MSE against the width for each point count (geometric mean
        # over seeds, 95 % interval on the log scale, as the claims test it).
        ax = fig.add_subplot(len(targets), cols, r * cols + cols)
        for m, style in zip(points, ("-", "--")):
            v = MSE.over_values(trials, "units", units, points=m, target=f)
            band(ax, np.log2(units), v, label=f"{m} points", linestyle=style, log=True)
        ax.set_yscale("log")
        ax.set(
            xticks=np.log2(units),
            xticklabels=[str(u) for u in units],
            ylabel="training MSE",
            title="geometric mean, 95 % CI",
            xlabel="hidden units" if r == len(targets) - 1 else None,
        )
        ax.title.set_fontsize(8)
        if r == 0:
            ax.legend(fontsize=7)
