"""Q43 -- why are deeper networks better? A weight-shared ReLU net of 152 parameters at depth
1, 2, 3 on Telgarsky's 16 alternating points (see ../shared/protocols.md, row 43).

The network is not a BatchedMLP: an input layer 1 -> 10, ONE shared 10 -> 10 layer applied
``depth`` times, and a linear 10 -> 2 output. :class:`SharedDepthNet` stacks M such networks
(one per (depth, seed) pair) along a model axis; each model applies the shared layer its own
number of times, so every depth trains in one batched run of ``engine.train``.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import torch

from harness import experiment
from harness.figures import band

from . import engine, rng, tasks
from .engine import ACTIVATIONS, one_hot, per_model, train
from .threads import one_thread
from .rng import torch_generator

DEPTHS = (1, 2, 3)
N_POINTS = 16
GRID = 1501          # points of the 1-d path x in [0, 15/16] on which the learned score is traced




class SharedDepthNet(torch.nn.Module):
    """M weight-shared networks: ``act(x W_in + b_in)``, then ``h <- act(h W_s + b_s)`` applied
    ``depths[m]`` times with the SAME (W_s, b_s), then a linear ``h W_out + b_out`` (2 logits).

    Parameters per model: (1*w + w) + (w*w + w) + (w*2 + 2) -- 152 for w = 10, at every depth.
    """

    def __init__(self, depths: Sequence[int], width: int = 10,
                 activation: str | Sequence[str] = "relu", dtype: torch.dtype = torch.float32):
        super().__init__()
        m = len(depths)
        self.n_models, self.width = m, width
        self.register_buffer("depths", torch.as_tensor(list(depths), dtype=torch.long))
        self.act = per_model(activation, m, ACTIVATIONS, "activation")
        p = lambda *shape: torch.nn.Parameter(torch.zeros(m, *shape, dtype=dtype))
        self.w_in, self.b_in = p(1, width), p(1, width)
        self.w_s, self.b_s = p(width, width), p(1, width)
        self.w_out, self.b_out = p(width, 2), p(1, 2)

    def parameters_per_model(self) -> int:
        return sum(p[0].numel() for p in self.parameters())

    @torch.no_grad()
    def initialise(self, seeds: Sequence[int]):
        """Glorot-uniform weights from the seed's own stream, zero biases: TensorFlow's defaults
        for a dense layer, which protocols.md names for this experiment."""
        if len(seeds) != self.n_models:
            raise ValueError(f"{len(seeds)} seeds for {self.n_models} models")
        for m, seed in enumerate(seeds):
            g = torch_generator(seed, "init")
            for w in (self.w_in, self.w_s, self.w_out):
                bound = math.sqrt(6.0 / (w.shape[1] + w.shape[2]))
                w[m].copy_(torch.rand(w[m].shape, generator=g, dtype=w.dtype) * 2 * bound - bound)
            for b in (self.b_in, self.b_s, self.b_out):
                b[m].zero_()
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.act(torch.baddbmm(self.b_in, x, self.w_in))
        for k in range(int(self.depths.max())):
            deeper = self.act(torch.baddbmm(self.b_s, h, self.w_s))
            h = torch.where((self.depths > k)[:, None, None], deeper, h)
        return torch.baddbmm(self.b_out, h, self.w_out)


def alternating_points(n: int = N_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """x = 0, 1/n, ..., (n-1)/n with labels 0, 1, 0, 1, ... (adjacent points differ)."""
    return np.arange(n) / n, np.arange(n) % 2


def turning_points(score: np.ndarray) -> np.ndarray:
    """Per row: how often the traced function changes direction (local extrema along the path).
    For a ReLU net these are the kinks where the slope flips sign. ``score`` should be computed
    in float64: steps below 1e-9 of the function's scale are rounding, not slope (a flat
    stretch -- e.g. where every unit is dead -- is skipped, not counted as turns)."""
    d = np.diff(score, axis=-1)
    tol = 1e-9 * np.maximum(1.0, np.max(np.abs(score), axis=-1))
    out = []
    for row, t in zip(d, tol):
        signs = np.sign(row[np.abs(row) > t])
        out.append(int(np.sum(signs[1:] != signs[:-1])))
    return np.array(out)


def trajectory_length(score: np.ndarray) -> np.ndarray:
    """Per row: the length of the output trajectory as x moves along the path -- the total
    variation sum |f(x_{j+1}) - f(x_j)| of the score f = logit_1 - logit_0."""
    return np.abs(np.diff(score, axis=-1)).sum(-1)


@experiment("shared_depth", depends_on=(engine, tasks, rng))
def shared_depth(seeds, *, depths=DEPTHS, steps=15_000, width=10, activation="relu",
                 lr=0.003):
    """Every (depth, seed) pair is one model; a seed fixes the initial weights (the data are
    the same 16 points for every seed), so depths are compared on the same seed (paired)."""
    depth_of, seed_of = tasks.grid(depths, seeds)
    x, y = alternating_points()
    m = len(seed_of)
    xt = torch.as_tensor(np.tile(x[None, :, None], (m, 1, 1)), dtype=torch.float32)
    yt = torch.as_tensor(np.tile(y[None, :], (m, 1)))
    model = SharedDepthNet(depth_of, width, activation).initialise(seed_of)
    with one_thread():
        train(model, xt, one_hot(yt), steps=steps, seeds=seed_of, batch_size=None,
              loss="cross_entropy", lr=lr)
    with torch.no_grad():
        acc = (model(xt).argmax(-1) == yt).double().mean(1).numpy()
        model.to(torch.float64)      # trace the learned function without float32 rounding
        path = torch.linspace(0.0, x[-1], GRID, dtype=torch.float64)
        out = model(path.repeat(m, 1)[..., None])
        score = (out[..., 1] - out[..., 0]).numpy()
    turns, length = turning_points(score), trajectory_length(score)
    k, s = len(depths), len(seeds)
    acc, turns, length = (a.reshape(k, s) for a in (acc, turns, length))
    shown = score.reshape(k, s, GRID)[:, :, :: (GRID - 1) // 60]     # 61 points for the figure
    results = []
    for j in range(s):
        a = acc[:, j]
        results.append({
            **{f"accuracy[depth={d}]": a[i] for i, d in enumerate(depths)},
            "accuracy_by_depth": a,
            # the run's accuracy rises with depth: never falls from one depth to the next and
            # ends higher than it started
            "rises_with_depth": float(np.all(np.diff(a) >= 0) and a[-1] > a[0]),
            "turns_by_depth": turns[:, j],
            "trajectory_by_depth": length[:, j],
            # for the figure only (a dead network traces a flat line of length 0)
            "log_trajectory_by_depth": np.log10(np.maximum(length[:, j], 1e-3)),
            **{f"score[depth={d}]": shown[i, j] for i, d in enumerate(depths)},
        })
    return results


@shared_depth.figure
def _plot(trials, fig):
    depths = list(trials.params.get("depths", DEPTHS))
    ax = fig.add_subplot(1, 3, 1)
    band(ax, depths, trials["accuracy_by_depth"], label="training accuracy")
    ax.set(xlabel="depth (applications of the shared layer)", ylabel="training accuracy",
           xticks=depths, ylim=(0.4, 1.02))
    ax = fig.add_subplot(1, 3, 2)
    x, y = alternating_points()
    path = np.linspace(0.0, x[-1], GRID)[:: (GRID - 1) // 60]
    for d in depths:
        ax.plot(path, trials.measurements[0][f"score[depth={d}]"], label=f"depth {d}")
    ax.scatter(x, np.zeros_like(x), c=np.where(y == 1, "red", "blue"), s=12, zorder=3)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set(xlabel="x", ylabel="score (logit 1 - logit 0), seed 0")
    ax.legend(fontsize=7)
    ax = fig.add_subplot(1, 3, 3)
    band(ax, depths, trials["turns_by_depth"], label="turning points")
    ax.set(xlabel="depth", ylabel="turning points of the score", xticks=depths)
    ax2 = ax.twinx()
    band(ax2, depths, trials["log_trajectory_by_depth"], label="log10 trajectory length",
         color="tab:green")
    ax2.set_ylabel("log10 trajectory length")
    ax.legend(fontsize=7, loc="upper left")
    ax2.legend(fontsize=7, loc="lower right")
