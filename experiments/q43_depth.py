"""Q43 -- why are deeper networks better? A weight-shared ReLU net of 152 parameters at depth
1, 2, 3 on Telgarsky's 16 alternating points (claims/protocols.md, row 43).

The original (``Experiment2`` with ``recurrent_multilayer_perceptron``): x = 0, 1/16, ..., 15/16
with one-hot targets ``np.resize([[0, 1], [1, 0]], (16, 2))`` -- class 1 at x = 0, then
alternating; a ReLU input layer 1 -> 10, then ONE shared ReLU layer 10 -> 10 applied
``len(n_hidden)`` times, then a linear 10 -> 2 output; every variable created by
``tf.get_variable`` with no initialiser, i.e. TF1's default Glorot uniform for weights *and*
biases (a bias of length n drawn as if fan-in = fan-out = n: bound sqrt(3 / n)); 15,000 Adam
steps (lr 0.003) on softmax cross-entropy, each step on a random permutation of all 16 rows
(full batch); measured: accuracy on the 16 training points.

``depth`` here is what the original's titles call "layers": ``len(n_hidden)`` = the number of
applications of the shared layer. The network the code builds at depth d has d + 1 hidden ReLU
layers (the input layer, then d applications of the shared layer): 2, 3, 4 hidden layers for
the original's "1, 2, 3 layers".

:class:`SharedDepthNet` stacks M such networks (one per (depth, seed) pair) along a model axis;
each model applies the shared layer its own number of times, so every depth trains in one
batched run of ``engine.train``. A seed fixes the initial weights (the same draws at every
depth: the depths are paired by seed); the data are the same 16 points for every seed.

Besides accuracy, the learned score f(x) = logit_1 - logit_0 is traced in float64 along the path
x in [0, 15/16] (1,501 points): its turning points (changes of direction: the "sharp turns")
and its trajectory length (total variation sum |f(x_{j+1}) - f(x_j)|, the length of the
output's path as x moves along the segment).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import torch

from harness import DIVERGED, accuracy, experiment, positive, real
from harness.figures import band
from harness.figures import seeds as seed_lines

from .engine import ACTIVATIONS, one_hot, per_model, train
from .rng import torch_generator

DEPTHS = (1, 2, 3)
N_POINTS = 16
GRID = 1501  # points of the path x in [0, 15/16] on which the learned score is traced
SHOWN = 61  # points of that path kept for the figure

ACCURACY = accuracy(
    "accuracy", "training accuracy on the 16 alternating points", rows=N_POINTS, axes=("depth",)
)
# Turning points are small counts (0 to a few dozen): one more turn is the natural unit.
TURNS = real(
    "turns", "turning points of the score along x in [0, 15/16]", axes=("depth",), resolution=1.0
)
# A flat (dead) network traces a path of length exactly 0: read as half a hundredth of a logit,
# far below any change that could move a prediction.
TRAJECTORY = positive(
    "trajectory",
    "trajectory length of the score along x in [0, 15/16] (logits)",
    axes=("depth",),
    resolution=0.01,
)
SCORE = real(
    "score", "the score logit_1 - logit_0 along the path (61 points; figure)", axes=("depth",)
)
SCORE_AT_POINTS = real(
    "score_at_points", "the score at the 16 training points (figure)", axes=("depth",)
)


class SharedDepthNet(torch.nn.Module):
    """M weight-shared networks: ``act(x W_in + b_in)``, then ``h <- act(h W_s + b_s)`` applied
    ``depths[m]`` times with the SAME (W_s, b_s), then a linear ``h W_out + b_out`` (2 logits).

    Parameters per model: (1*w + w) + (w*w + w) + (w*2 + 2) -- 152 for w = 10, at every depth.
    """

    def __init__(
        self,
        depths: Sequence[int],
        width: int = 10,
        activation: str | Sequence[str] = "relu",
        dtype: torch.dtype = torch.float32,
    ):
        super().__init__()
        m = len(depths)
        self.n_models, self.width = m, width
        self.register_buffer("depths", torch.as_tensor(list(depths), dtype=torch.long))
        self.act = per_model(activation, m, ACTIVATIONS, "activation")
        p = lambda *shape: torch.nn.Parameter(torch.zeros(m, *shape, dtype=dtype))  # noqa: E731
        self.w_in, self.b_in = p(1, width), p(1, width)
        self.w_s, self.b_s = p(width, width), p(1, width)
        self.w_out, self.b_out = p(width, 2), p(1, 2)

    def parameters_per_model(self) -> int:
        return sum(p[0].numel() for p in self.parameters())

    @torch.no_grad()
    def initialise(self, seeds: Sequence[int]):
        """Glorot uniform for every variable, from the model's seed alone: a weight of shape
        (fan_in, fan_out) within sqrt(6 / (fan_in + fan_out)), a bias of length n within
        sqrt(6 / (n + n)) -- TF1's default initialiser of ``tf.get_variable``, which the
        original's ``recurrent_multilayer_perceptron`` uses for all six variables."""
        if len(seeds) != self.n_models:
            raise ValueError(f"{len(seeds)} seeds for {self.n_models} models")
        pairs = ((self.w_in, self.b_in), (self.w_s, self.b_s), (self.w_out, self.b_out))
        for m, seed in enumerate(seeds):
            g = torch_generator(seed, "init")
            for w, b in pairs:
                for t, (fan_in, fan_out) in ((w, w.shape[1:]), (b, (b.shape[2], b.shape[2]))):
                    bound = math.sqrt(6.0 / (fan_in + fan_out))
                    t[m].copy_(
                        torch.rand(t[m].shape, generator=g, dtype=t.dtype) * 2 * bound - bound
                    )
        return self

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.act(torch.baddbmm(self.b_in, x, self.w_in))
        for k in range(int(self.depths.max())):
            deeper = self.act(torch.baddbmm(self.b_s, h, self.w_s))
            h = torch.where((self.depths > k)[:, None, None], deeper, h)
        return torch.baddbmm(self.b_out, h, self.w_out)


def hidden_layers(depth: int) -> int:
    """Hidden layers the network of ``depth`` applies: the input layer and ``depth`` applications
    of the shared layer (the original's ``range(len(num_nodes) + 1)`` loop)."""
    return depth + 1


def alternating_points(n: int = N_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """x = 0, 1/n, ..., (n-1)/n with labels 1, 0, 1, 0, ... (the original's
    ``np.resize([[0, 1], [1, 0]], (n, 2))``: class 1 at x = 0; adjacent points differ)."""
    return np.arange(n) / n, 1 - np.arange(n) % 2


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


@experiment(
    "shared_depth", measures=(ACCURACY, TURNS, TRAJECTORY, SCORE, SCORE_AT_POINTS), chunk=10
)
def shared_depth(seeds, *, depths=DEPTHS, steps=15_000, width=10, activation="relu", lr=0.003):
    """Every (depth, seed) pair is one model of one batched run. Chunks of 10 seeds: the cost
    of a step is mostly per-step overhead, so 30 models train almost as fast as 15."""
    depths = list(depths)
    depth_of = [d for d in depths for _ in seeds]
    seed_of = [s for _ in depths for s in seeds]
    x, y = alternating_points()
    m = len(seed_of)
    xt = torch.as_tensor(np.tile(x[None, :, None], (m, 1, 1)), dtype=torch.float32)
    yt = torch.as_tensor(np.tile(y[None, :], (m, 1)))
    model = SharedDepthNet(depth_of, width, activation).initialise(seed_of)
    diverged = train(
        model,
        xt,
        one_hot(yt),
        steps=steps,
        seeds=seed_of,
        batch_size=None,
        loss="cross_entropy",
        lr=lr,
    )
    with torch.no_grad():
        acc = (model(xt).argmax(-1) == yt).double().mean(1).numpy()
        model.to(torch.float64)  # trace the learned function without float32 rounding
        path = torch.linspace(0.0, float(x[-1]), GRID, dtype=torch.float64)
        out = model(path.repeat(m, 1)[..., None])
        score = (out[..., 1] - out[..., 0]).numpy()
        at = model(xt.double())
        at_points = (at[..., 1] - at[..., 0]).numpy()
    turns, length = turning_points(score), trajectory_length(score)
    k, s = len(depths), len(seeds)
    acc, turns, length = (a.reshape(k, s) for a in (acc, turns, length))
    shown = score.reshape(k, s, GRID)[:, :, :: (GRID - 1) // (SHOWN - 1)]
    at_points = at_points.reshape(k, s, N_POINTS)
    bad = np.asarray(diverged).reshape(k, s).any(axis=0)
    results = []
    for j in range(s):
        if bad[j]:
            results.append({DIVERGED: True})
            continue
        r = {}
        for i, d in enumerate(depths):
            r[ACCURACY.key(depth=d)] = float(acc[i, j])
            r[TURNS.key(depth=d)] = float(turns[i, j])
            r[TRAJECTORY.key(depth=d)] = float(length[i, j])
            r[SCORE.key(depth=d)] = shown[i, j]
            r[SCORE_AT_POINTS.key(depth=d)] = at_points[i, j]
        results.append(r)
    return results


@shared_depth.figure
def _plot(trials, fig):
    depths = list(trials.params["depths"])
    fig.set_size_inches(10, 7)
    x, y = alternating_points()
    path = np.linspace(0.0, x[-1], SHOWN)
    acc = ACCURACY.over_values(trials, "depth", depths)
    # Top row, the original's panels: one run (seed 0) per depth -- the classes at their labels,
    # the learned score at the 16 points (dashed, dots) and along the path, the zero line.
    for i, d in enumerate(depths):
        ax = fig.add_subplot(2, len(depths), i + 1)
        ax.scatter(x, y, c=np.where(y == 1, "red", "blue"), s=14, zorder=3)
        ax.set(xlabel="x", ylabel="true label" if i == 0 else None, yticks=(0, 1))
        ax2 = ax.twinx()
        ax2.plot(path, SCORE.values(trials, depth=d)[0], color="grey", lw=0.7)
        ax2.plot(x, SCORE_AT_POINTS.values(trials, depth=d)[0], "k--o", ms=3, lw=0.8)
        ax2.axhline(0, color="black", lw=0.8)
        ax2.set_ylabel("score (seed 0)" if i == len(depths) - 1 else None)
        ax.set_title(
            f"depth {d} ({d + 1} hidden layers), seed 0: acc {acc[0, i]:.0%}\n"
            f"all seeds: {acc[:, i].mean():.0%} ± {acc[:, i].std(ddof=1):.0%} (SD)",
            fontsize=8,
        )
    # Bottom row, our view: every seed and the 95 % interval of the mean.
    panels = (
        (ACCURACY, "training accuracy", False),
        (TURNS, "turning points of the score", False),
        (TRAJECTORY, "trajectory length (logits)", True),
    )
    for i, (q, label, log) in enumerate(panels):
        ax = fig.add_subplot(2, len(depths), len(depths) + i + 1)
        v = q.over_values(trials, "depth", depths)
        if log:  # tested on the log scale: geometric means, a flat path read as half a step
            v = np.maximum(v, q.resolution / 2)
            ax.set_yscale("log")
        seed_lines(ax, depths, v, color="grey")
        band(ax, depths, v, label="mean, 95 % interval", log=log)
        band(
            ax, depths, v, label="mean ± 1 SD", sd=True, color="tab:orange", linestyle=":", log=log
        )
        ax.set(xlabel="depth (applications of the shared layer)", ylabel=label, xticks=depths)
        if i == 0:
            ax.legend(fontsize=7)
