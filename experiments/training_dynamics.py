"""Shared machinery of the training-dynamics experiments (Q41, Q61, Q64, Q65, Q66 -- questions
that do not re-tell the notebook): stacked fully connected networks with optional batch
normalisation, residual connections and dropout, trained all at once by plain or momentum SGD
(or Adam), and the small tasks they train on.

As in ``engine.BatchedMLP``, the parameters of M networks of one shape are stacked along a
leading model axis and every layer is one batched matmul; each model's loss is its own mean and
the total is their sum, so every model receives exactly its own gradient. SGD takes a learning
rate, a momentum and a batch size *per model*, so a sweep over them is one stack. Batch
normalisation uses each model's own batch statistics (training mode), so models stay
independent.

A model is fixed by its seed and its *stream names*: initial weights come from
``rng.torch_generator(seed, init_stream)``, mini-batches from ``rng.numpy_rng(seed,
batch_stream)``, dropout masks from ``rng.torch_generator(seed, drop_stream)``. Models that must
be paired (the same network with and without BN, the same initialisation under two batch sizes)
share a stream name; the experiment modules say which.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

import numpy as np
import torch

from . import data
from .engine import diverged
from .rng import numpy_rng, torch_generator

ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
}
BN_EPS = 1e-5  # torch.nn.BatchNorm1d's default


def flush_denormals(fn):
    """Run with denormal floats flushed to zero: deep nets with vanishing signals otherwise
    spend most of their time in denormal arithmetic (results change below 1e-38 only)."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        torch.set_flush_denormal(True)
        try:
            return fn(*args, **kwargs)
        finally:
            torch.set_flush_denormal(False)

    return run


# --- networks ---------------------------------------------------------------------------------
class StackedNet(torch.nn.Module):
    """M fully connected networks of layer sizes ``sizes`` (input, hidden..., output).

    ``bn``: batch normalisation (training mode: each model's batch statistics) on every hidden
    layer's pre-activation, with learnable γ (1) and β (0) -- the placement of Ioffe & Szegedy
    (2015), before the non-linearity. ``residual``: a hidden layer whose input and output widths
    agree adds its input (h <- h + f(W h + b)). Activations: sigmoid, tanh, relu."""

    def __init__(
        self,
        sizes: Sequence[int],
        n_models: int,
        activation: str = "sigmoid",
        *,
        bn: bool = False,
        residual: bool = False,
    ):
        super().__init__()
        self.sizes, self.n_models, self.bn, self.residual = tuple(sizes), n_models, bn, residual
        self.act = ACTIVATIONS[activation]
        self.weights = torch.nn.ParameterList(
            torch.nn.Parameter(torch.empty(n_models, i, o)) for i, o in zip(sizes[:-1], sizes[1:])
        )
        self.biases = torch.nn.ParameterList(
            torch.nn.Parameter(torch.zeros(n_models, 1, o)) for o in sizes[1:]
        )
        hidden = sizes[1:-1] if bn else ()
        self.gammas = torch.nn.ParameterList(
            torch.nn.Parameter(torch.ones(n_models, 1, o)) for o in hidden
        )
        self.betas = torch.nn.ParameterList(
            torch.nn.Parameter(torch.zeros(n_models, 1, o)) for o in hidden
        )

    @torch.no_grad()
    def initialise(
        self,
        streams: Sequence[tuple[int, str]],
        scheme: str = "glorot",
        gain: float | Sequence[float] = 1.0,
    ):
        """Model m from ``torch_generator(*streams[m])``. Schemes: ``glorot`` (Glorot-uniform
        weights, zero biases: the usual framework default), ``torch`` (PyTorch's nn.Linear
        default: weights and biases uniform on ±1/sqrt(fan-in)), ``he`` (normal weights with
        standard deviation sqrt(2/fan-in), zero biases). ``gain`` (one, or one per model)
        multiplies every weight."""
        if len(streams) != self.n_models:
            raise ValueError(f"{len(streams)} streams for {self.n_models} models")
        gains = [gain] * self.n_models if np.isscalar(gain) else list(gain)
        for m, (seed, name) in enumerate(streams):
            g = torch_generator(seed, name)
            for w, b in zip(self.weights, self.biases):
                fan_in, fan_out = w.shape[1], w.shape[2]
                if scheme == "glorot":
                    bound = math.sqrt(6.0 / (fan_in + fan_out))
                    w[m] = (torch.rand(w.shape[1:], generator=g) * 2 - 1) * bound
                    b[m] = 0.0
                elif scheme == "torch":
                    bound = 1 / math.sqrt(fan_in)
                    w[m] = (torch.rand(w.shape[1:], generator=g) * 2 - 1) * bound
                    b[m] = (torch.rand(b.shape[1:], generator=g) * 2 - 1) * bound
                elif scheme == "he":
                    w[m] = torch.randn(w.shape[1:], generator=g) * math.sqrt(2.0 / fan_in)
                    b[m] = 0.0
                else:
                    raise ValueError(f"unknown initialisation {scheme!r}")
                w[m] *= gains[m]
        return self

    def forward(
        self,
        x: torch.Tensor,
        *,
        keep: list | None = None,
        drop: Sequence[torch.Tensor] | None = None,
        perturb: Sequence[tuple[torch.Tensor, torch.Tensor]] | None = None,
    ) -> torch.Tensor:
        """``x``: (M, rows, inputs). ``keep``: a list that receives each hidden layer's
        pre-activation (the input of its non-linearity, after BN where there is BN). ``drop``:
        one multiplicative mask per hidden layer (inverted dropout). ``perturb``: one (scale,
        shift) pair per hidden layer applied to the pre-activation, z <- scale·z + shift."""
        h = x
        last = len(self.weights) - 1
        for layer, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = torch.baddbmm(b, h, w)
            if layer == last:
                return z
            if self.bn:
                c = z - z.mean(1, keepdim=True)
                var = c.square().mean(1, keepdim=True)  # biased, as in training mode
                z = c * torch.rsqrt(var + BN_EPS) * self.gammas[layer] + self.betas[layer]
            if perturb is not None:
                z = z * perturb[layer][0] + perturb[layer][1]
            if keep is not None:
                keep.append(z)
            a = self.act(z)
            if drop is not None:
                a = a * drop[layer]
            h = h + a if self.residual and h.shape == a.shape else a
        return h

    def hidden_weights(self) -> list[torch.nn.Parameter]:
        return list(self.weights)[:-1]


# --- losses: per-row values (M, rows); targets are class indices (M, rows) -------------------
def cross_entropy(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return -torch.log_softmax(out, -1).gather(-1, y.unsqueeze(-1)).squeeze(-1)


def squared_error(out: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Squared error between the softmax output and the one-hot target, summed over classes
    (the 'square error' that Hung-yi Lee's lecture sets against cross-entropy)."""
    p = torch.softmax(out, -1)
    t = torch.nn.functional.one_hot(y, out.shape[-1]).to(out.dtype)
    return (p - t).square().sum(-1)


LOSSES = {"ce": cross_entropy, "se": squared_error}


def per_model_loss(model, x, y, loss, **forward) -> torch.Tensor:
    """(M,) mean loss of each model on its rows; ``loss`` one name or one per model."""
    return per_row_loss(model(x, **forward), y, loss).mean(1)


@torch.no_grad()
def evaluate(model, x, y, loss="ce") -> tuple[np.ndarray, np.ndarray]:
    """(loss, accuracy) per model on all rows (BN with the statistics of these rows)."""
    out = model(x)
    ls = per_row_loss(out, y, loss).mean(1)
    acc = (out.argmax(-1) == y).double().mean(1)
    return ls.double().numpy(), acc.numpy()


# --- training ---------------------------------------------------------------------------------
def per_model(value, n: int, dtype=torch.float32) -> torch.Tensor:
    """A per-model value as an (M,) tensor (a scalar is repeated)."""
    if np.isscalar(value):
        return torch.full((n,), float(value), dtype=dtype)
    value = torch.as_tensor(np.asarray(value, dtype=float), dtype=dtype)
    if value.shape != (n,):
        raise ValueError(f"need one value per model ({n}), got shape {tuple(value.shape)}")
    return value


class Batches:
    """Per model, ``steps`` mini-batches of ``sizes[m]`` rows drawn without replacement from
    ``rows`` rows, from ``numpy_rng(*streams[m])``; models with the same stream and size share
    their draws. ``sizes[m] >= rows`` means every row at every step. Drawn in blocks of steps
    (memory stays small however long the run)."""

    def __init__(
        self, streams: Sequence[tuple[int, str]], sizes: Sequence[int], rows: int, block: int = 256
    ):
        self.sizes = [min(int(b), rows) for b in sizes]
        self.width, self.rows, self.block = max(self.sizes), rows, block
        self.keys = [(s, name, b) for (s, name), b in zip(streams, self.sizes)]
        self.rngs = {k: numpy_rng(k[0], f"{k[1]}[batch={k[2]}]") for k in dict.fromkeys(self.keys)}
        mask = np.zeros((len(self.sizes), self.width), np.float32)
        for m, b in enumerate(self.sizes):
            mask[m, :b] = 1.0
        self.mask = torch.as_tensor(mask)
        self.count = self.mask.sum(1)
        self.full = all(b == rows for b in self.sizes)
        self._cache, self._start = None, None

    def at(self, step: int) -> torch.Tensor:
        """(M, width) row indices of this step (padding rows point at row 0, masked out)."""
        if self._start is None or not self._start <= step < self._start + self.block:
            self._start = step - step % self.block
            draws = {}
            for k, g in self.rngs.items():
                b = k[2]
                if b == self.rows:
                    draws[k] = np.broadcast_to(np.arange(self.rows), (self.block, b))
                else:
                    keys = g.random((self.block, self.rows))
                    draws[k] = np.argpartition(keys, b - 1, axis=1)[:, :b]
            idx = np.zeros((self.block, len(self.keys), self.width), np.int64)
            for m, k in enumerate(self.keys):
                idx[:, m, : k[2]] = draws[k]
            self._cache = torch.as_tensor(idx)
        return self._cache[step - self._start]


def per_row_loss(out: torch.Tensor, y: torch.Tensor, loss) -> torch.Tensor:
    """(M, rows) per-row losses; ``loss`` one name, or one per model (computed per group of
    models sharing a loss)."""
    if isinstance(loss, str):
        return LOSSES[loss](out, y)
    names = list(loss)
    if len(set(names)) == 1:
        return LOSSES[names[0]](out, y)
    parts = torch.empty(out.shape[:2], dtype=out.dtype)
    for name in dict.fromkeys(names):
        idx = torch.tensor([m for m, k in enumerate(names) if k == name])
        parts = parts.index_put((idx,), LOSSES[name](out[idx], y[idx]))
    return parts


def sgd(
    model: torch.nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    steps: int,
    lr,
    loss="ce",
    momentum=0.0,
    batch=None,
    batch_streams=None,
    optimiser="sgd",
    penalty: Callable[[torch.nn.Module], torch.Tensor] | None = None,
    decay=0.0,
    dropout=None,
    drop_streams=None,
    perturb=None,
    every: int | None = None,
    record: Callable[[int], None] | None = None,
    start: int = 0,
) -> np.ndarray:
    """Train the M stacked models; returns which diverged (non-finite parameters).

    ``x`` (M, N, d), ``y`` (M, N) class indices. ``lr``, ``momentum``, ``batch`` (rows per
    step; None: all), ``decay`` (decoupled weight decay: w <- w - lr·decay·w on weight
    matrices) and ``dropout`` (drop probability on hidden units) are one value or one per
    model. ``perturb(step)`` returns the forward's ``perturb`` argument for that step (None:
    none). SGD is PyTorch's: v <- μv + g, θ <- θ - lr·v (μ = 0: plain gradient descent).
    ``optimiser="adam"``: Adam with its default betas, per-model learning rates; one name per
    model mixes the two (``loss`` too: one name or one per model). ``penalty``
    returns an (M,) term added to each model's loss. ``record(step)`` is called at step 0
    (before training) and every ``every`` steps."""
    n_models, n_rows = x.shape[0], x.shape[1]
    lr_t = per_model(lr, n_models)
    mu_t = per_model(momentum, n_models)
    decay_t = per_model(decay, n_models)
    sizes = (
        [n_rows] * n_models
        if batch is None
        else ([batch] * n_models if np.isscalar(batch) else list(batch))
    )
    sizes = [n_rows if b is None else int(b) for b in sizes]
    streams = batch_streams or [(0, "batches")] * n_models
    batches = Batches(streams, sizes, n_rows)
    models = torch.arange(n_models)[:, None]
    p_drop = None if dropout is None else per_model(dropout, n_models)
    drop_gens = None
    if p_drop is not None and bool((p_drop > 0).any()):
        # one generator per distinct stream; models sharing a stream draw in model order
        names = list(dict.fromkeys(drop_streams))
        drop_gens = (
            [torch_generator(*s) for s in names],
            [[m for m in range(n_models) if drop_streams[m] == s] for s in names],
        )
    else:
        p_drop = None
    params = [p for p in model.parameters()]
    buffers = [torch.zeros_like(p) for p in params]
    names = [optimiser] * n_models if isinstance(optimiser, str) else list(optimiser)
    adam = "adam" in names
    mixed = adam and "sgd" in names
    if adam:
        second = [torch.zeros_like(p) for p in params]
        b1, b2, eps = 0.9, 0.999, 1e-8
        is_adam = torch.tensor([n == "adam" for n in names])
    shape = lambda p: (n_models,) + (1,) * (p.dim() - 1)  # noqa: E731
    if record and every:
        record(start)
    for step in range(start, start + steps):
        if batches.full:
            xb, yb, wb = x, y, None
        else:
            idx = batches.at(step - start)
            xb, yb, wb = x[models, idx], y[models, idx], batches.mask
        drop = None
        if p_drop is not None:
            drop = _dropout_masks(model, p_drop, drop_gens, xb.shape[1])
        out = model(xb, drop=drop, perturb=None if perturb is None else perturb(step))
        per_row = per_row_loss(out, yb, loss)
        per = per_row.mean(1) if wb is None else (per_row * wb).sum(1) / batches.count
        if penalty is not None:
            per = per + penalty(model)
        grads = torch.autograd.grad(per.sum(), params)
        with torch.no_grad():
            t = step - start + 1
            for i, (p, g) in enumerate(zip(params, grads)):
                lr_p = lr_t.view(shape(p))
                if mixed:  # Adam's moments in `second`/`buffers` where Adam, SGD's elsewhere
                    a = is_adam.view(shape(p))
                    m1 = torch.where(
                        a, buffers[i] * b1 + g * (1 - b1), buffers[i] * mu_t.view(shape(p)) + g
                    )
                    buffers[i].copy_(m1)
                    second[i].mul_(b2).addcmul_(g, g, value=1 - b2)
                    denom = (second[i] / (1 - b2**t)).sqrt_().add_(eps)
                    update = torch.where(a, m1 / (1 - b1**t) / denom, m1)
                elif adam:
                    buffers[i].mul_(b1).add_(g, alpha=1 - b1)
                    second[i].mul_(b2).addcmul_(g, g, value=1 - b2)
                    denom = (second[i] / (1 - b2**t)).sqrt_().add_(eps)
                    update = buffers[i] / (1 - b1**t) / denom
                else:
                    buffers[i].mul_(mu_t.view(shape(p))).add_(g)
                    update = buffers[i]
                if p.dim() == 3 and p.shape[1] > 1 and bool((decay_t > 0).any()):
                    p.sub_(lr_p * decay_t.view(shape(p)) * p)
                p.sub_(lr_p * update)
        if record and every and (step + 1 - start) % every == 0:
            record(step + 1)
    return diverged(model, n_models)


def _dropout_masks(model: StackedNet, p_drop: torch.Tensor, gens, rows: int):
    """Inverted-dropout masks for every hidden layer: the models of one stream draw, in model
    order, from that stream's generator (a seed's draws never depend on other seeds)."""
    generators, members = gens
    masks = []
    keep = (1 - p_drop).view(-1, 1, 1)
    for width in model.sizes[1:-1]:
        u = torch.empty((model.n_models, rows, width))
        for g, idx in zip(generators, members):
            u[idx] = torch.rand((len(idx), rows, width), generator=g)
        masks.append((u < keep).to(torch.float32) / keep)
    return masks


# --- tasks ------------------------------------------------------------------------------------
def gaussian_task(seed: int, n: int = 200, d: int = 10, stream: str = "task"):
    """The project's two-class Gaussian mixture (shared covariance CᵀC, class-1 mean 1/i in
    dimension i), standardised: (x, y) as float32 / int64 arrays."""
    g = numpy_rng(seed, stream)
    x, y = data.gaussian_mixture(g, n, d=d, sep=data.separation("inverse", d))
    x = (x - x.mean(0)) / x.std(0)
    return x.astype(np.float32), y.astype(np.int64)


def xor_task(seed: int, n: int = 200, spread: float = 0.35, stream: str = "xor"):
    """Four Gaussian blobs at (±1, ±1) with standard deviation ``spread``, labelled by XOR of
    the signs (the classic task on which a network with two hidden units can get stuck)."""
    g = numpy_rng(seed, stream)
    corner = g.integers(0, 4, n)
    centre = np.stack(
        [np.where(corner % 2 == 0, -1.0, 1.0), np.where(corner // 2 == 0, -1.0, 1.0)], 1
    )
    x = centre + spread * g.standard_normal((n, 2))
    y = (corner % 2 != corner // 2).astype(np.int64)
    return x.astype(np.float32), y


@functools.lru_cache(maxsize=1)
def digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    """sklearn's 8x8 digits: (1797 x 64 pixel values 0-16, labels)."""
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.data.astype(np.float32), d.target.astype(np.int64)


def digits_split(seed: int, n_train: int | None = None, n_test: int = 360, stream: str = "digits"):
    """sklearn's 8x8 handwritten digits (1,797 images, 10 classes): a seeded split into
    ``n_test`` test rows and the rest (or ``n_train`` of the rest) for training, pixels
    standardised with the training rows' statistics. Returns (x_train, y_train, x_test,
    y_test)."""
    x, y = digits_arrays()
    order = numpy_rng(seed, stream).permutation(len(x))
    test, train = order[:n_test], order[n_test:]
    if n_train is not None:
        train = train[:n_train]
    mean, sd = x[train].mean(0), x[train].std(0)
    sd = np.where(sd > 0, sd, 1.0)
    scale = lambda a: ((a - mean) / sd).astype(np.float32)  # noqa: E731
    return scale(x[train]), y[train], scale(x[test]), y[test]


def stack(arrays: Sequence[np.ndarray]) -> torch.Tensor:
    return torch.as_tensor(np.stack(arrays))


def line_band(ax, x, values, label=None, *, sd: bool = False, **kwargs):
    """A curve version of harness.figures.band (no markers): the mean over seeds of ``values``
    (seeds x len(x)) with ±1 SD (``sd=True``, the usual style) or its 95 % interval."""
    from harness.figures import mean_band

    mean, half = mean_band(values, confidence=None if sd else 0.95)
    (line,) = ax.plot(x, mean, label=label, linewidth=1.2, **kwargs)
    ax.fill_between(x, mean - half, mean + half, color=line.get_color(), alpha=0.2, linewidth=0)
    return line
