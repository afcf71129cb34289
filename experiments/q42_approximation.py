"""Q42 -- universal approximation in practice: one sigmoid hidden layer of 2, 4 or 16 units
fitted to sin(12x), -2x^4 + x^3 + x^2 - 2x and |x| on [-1, 1] by 10,000 full-batch Adam steps on
the mean squared error (see ../shared/protocols.md, row 42: 100 points; the seed says 50).

The widths differ, so the networks do not share one BatchedMLP shape: :class:`WidthGroupedMLP`
holds one BatchedMLP per width and concatenates their outputs along the model axis, so every
(point count, target, width, seed) is one model of ONE batched run of ``engine.train`` (one
loss, one Adam); point counts differ via ``rows=`` (padding + masks).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import torch

from harness import experiment
from harness.figures import band

from . import engine, rng, tasks
from .engine import BatchedMLP, stack, train
from .threads import one_thread

UNITS = (2, 4, 16)
TARGETS = {
    "sin": lambda x: np.sin(12 * x),
    "poly": lambda x: -2 * x ** 4 + x ** 3 + x ** 2 - 2 * x,
    "abs": np.abs,
}
LABELS = {"sin": "sin(12x)", "poly": "-2x^4+x^3+x^2-2x", "abs": "|x|"}




class WidthGroupedMLP(torch.nn.Module):
    """M networks 1 -> h_m -> 1, ordered so that equal widths are contiguous: one
    :class:`BatchedMLP` per width (initialised from the models' own seeds), outputs
    concatenated along the model axis. Model m is exactly ``BatchedMLP((1, h_m, 1), 1)``
    initialised from ``seeds[m]``; no compute is spent on padded units."""

    def __init__(self, widths: Sequence[int], activation: str | Sequence[str] = "sigmoid"):
        super().__init__()
        widths = list(widths)
        acts = [activation] * len(widths) if isinstance(activation, str) else list(activation)
        self.slices, groups, start = [], [], 0
        while start < len(widths):
            stop = start
            while stop < len(widths) and widths[stop] == widths[start]:
                stop += 1
            self.slices.append(slice(start, stop))
            groups.append(BatchedMLP((1, widths[start], 1), stop - start, acts[start:stop]))
            start = stop
        if len({widths[s.start] for s in self.slices}) != len(self.slices):
            raise ValueError("order the models so that equal widths are contiguous")
        self.groups = torch.nn.ModuleList(groups)

    def initialise(self, seeds: Sequence[int]):
        for sl, group in zip(self.slices, self.groups):
            group.initialise(list(seeds)[sl])
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([g(x[sl]) for sl, g in zip(self.slices, self.groups)])


def key(n, f, h) -> str:
    return f"mse[n={n},f={f},h={h}]"


@experiment("approximation", depends_on=(engine, tasks, rng))
def approximation(seeds, *, points=(100, 50), targets=tuple(TARGETS), units=UNITS,
                  steps=10_000, activation="sigmoid", lr=0.003):
    """Every (point count, target, width, seed) is one model; the data are fixed, a seed fixes
    the initial weights (shared by targets and point counts of the same width: paired)."""
    settings = [(n, f, h) for h in units for n in points for f in targets]   # width-major
    setting_of, seed_of = tasks.grid(settings, seeds)
    activation_of = [activation] * len(seed_of)
    xs = [np.linspace(-1.0, 1.0, n)[:, None] for n, _, _ in setting_of]
    ys = [TARGETS[f](x) for x, (_, f, _) in zip(xs, setting_of)]
    x, rows = stack(xs)
    y, _ = stack(ys)
    model = WidthGroupedMLP([h for _, _, h in setting_of], list(activation_of)).initialise(seed_of)
    with one_thread():
        train(model, x, y, rows=rows, steps=steps, seeds=seed_of, batch_size=None, loss="mse",
              lr=lr)
    with torch.no_grad():
        err = (model(x) - y).square()[..., 0]
        valid = (torch.arange(x.shape[1])[None, :] < rows[:, None]).to(err.dtype)
        mse = ((err * valid).sum(1) / valid.sum(1)).double().numpy()
        grid = torch.linspace(-1.0, 1.0, 101).repeat(len(seed_of), 1)[..., None]
        fit = model(grid)[..., 0].double().numpy()
    s = len(seeds)
    mse = mse.reshape(len(settings), s)
    fit = fit.reshape(len(settings), s, -1)
    index = {k: i for i, k in enumerate(settings)}
    results = []
    for j in range(s):
        r = {key(*k): mse[i, j] for i, k in enumerate(settings)}
        for n in points:
            logs = [[np.log10(mse[index[(n, f, h)], j]) for h in units] for f in targets]
            for f, row in zip(targets, logs):
                r[f"log_mse_by_units[n={n},f={f}]"] = row
            # "generally": the average over the three targets of log10 MSE
            r[f"log_mse_by_units[n={n},mean]"] = np.mean(logs, axis=0)
            for f in targets:
                for h in units:
                    r[f"fit[n={n},f={f},h={h}]"] = fit[index[(n, f, h)], j]
        results.append(r)
    return results


@approximation.figure
def _plot(trials, fig):
    from matplotlib.ticker import NullLocator
    targets = list(trials.params.get("targets", tuple(TARGETS)))
    units = list(trials.params.get("units", UNITS))
    n = list(trials.params.get("points", (100, 50)))[0]
    grid = np.linspace(-1.0, 1.0, 101)
    for i, f in enumerate(targets):
        ax = fig.add_subplot(1, len(targets) + 1, i + 1)
        ax.plot(grid, TARGETS[f](grid), color="black", linewidth=2, label="target")
        for h in units:
            ax.plot(grid, trials[f"fit[n={n},f={f},h={h}]"].mean(0), label=f"{h} units")
        ax.set(title=LABELS[f], xlabel="x")
        ax.title.set_fontsize(8)
        if i == 0:
            ax.legend(fontsize=6)
    ax = fig.add_subplot(1, len(targets) + 1, len(targets) + 1)
    for f in targets:
        for m, ls in zip(trials.params.get("points", (100, 50)), ("-", "--")):
            band(ax, units, trials[f"log_mse_by_units[n={m},f={f}]"],
                 label=f"{LABELS[f]}, {m} pts", linestyle=ls)
    ax.set_xscale("log", base=2)
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set(xticks=units, xticklabels=[str(u) for u in units], xlabel="hidden units",
           ylabel="log10 training MSE")
    ax.legend(fontsize=5)
