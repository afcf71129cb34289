"""A batched training engine: many small MLPs -- one per (seed, setting) -- trained at once.

Tiny networks trained one at a time spend their time in Python and dispatch overhead. Here the
parameters of M networks of the same shape are stacked along a leading model axis and every
layer is one batched matmul (``torch.baddbmm``). Each model's loss is its own mean; the total
loss is their sum, so each model receives exactly its own gradient. Adam is elementwise, so one
``torch.optim.Adam`` over the stacked tensors is M independent Adams. A batched run therefore
matches separate single-model runs up to floating-point rounding (tested in tests/).

Conventions of the original notebook (../shared/protocols.md) are the defaults: sigmoid hidden
layers, linear output, Xavier-uniform weights *and* biases, Adam at 0.003, mini-batches of 64
rows drawn without replacement (all rows when fewer), cross-entropy on two logits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import torch

from .rng import numpy_rng, torch_generator

ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "tanh": torch.tanh,
    "square": torch.square,
    "sin": torch.sin,
    "sign": torch.sign,  # gradient 0 almost everywhere, as in the original (TF) run
    "identity": lambda x: x,
}

# d(activation)/dz applied to an incoming gradient: f(grad, z, h) with h = activation(z). Used by
# the hand-written backward of BatchedMLP (``train``); an activation missing here (e.g. one added
# to ACTIVATIONS later) just makes ``train`` fall back to autograd.
ACTIVATION_GRADS: dict[str, Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "sigmoid": lambda g, z, h: torch.ops.aten.sigmoid_backward(g, h),
    "relu": lambda g, z, h: torch.ops.aten.threshold_backward(g, h, 0),
    "tanh": lambda g, z, h: torch.ops.aten.tanh_backward(g, h),
    "square": lambda g, z, h: g * (2 * z),
    "sin": lambda g, z, h: g * z.cos(),
    "sign": lambda g, z, h: torch.zeros_like(g),
    "identity": lambda g, z, h: g,
}


class BatchedMLP(torch.nn.Module):
    """M fully connected networks with layer sizes ``sizes`` (input, hidden..., output)."""

    def __init__(
        self,
        sizes: Sequence[int],
        n_models: int,
        activation: str | Sequence[str] = "sigmoid",
        dtype: torch.dtype = torch.float32,
    ):
        super().__init__()
        self.sizes, self.n_models = tuple(sizes), n_models
        self.act = per_model(activation, n_models, ACTIVATIONS, "activation")
        names = [activation] if isinstance(activation, str) else list(activation)
        self.activation_names = names * n_models if len(names) == 1 else names
        self.act_grad = (
            per_model(activation, n_models, ACTIVATION_GRADS, "activation")
            if set(names) <= set(ACTIVATION_GRADS)
            else None
        )
        self.weights = torch.nn.ParameterList(
            torch.nn.Parameter(torch.empty(n_models, i, o, dtype=dtype))
            for i, o in zip(sizes[:-1], sizes[1:])
        )
        self.biases = torch.nn.ParameterList(
            torch.nn.Parameter(torch.empty(n_models, 1, o, dtype=dtype)) for o in sizes[1:]
        )

    @torch.no_grad()
    def initialise(
        self,
        seeds: Sequence[int],
        scheme: str | Sequence[str] = "xavier",
        std: float | Sequence[float] = 0.01,
    ):
        """Initialise model m from ``seeds[m]`` alone. Schemes (one, or one per model):
        ``xavier`` (Glorot uniform for weights, and for biases as if fan-in = fan-out =
        length), ``zeros``, ``ones``, ``normal`` (N(0, std²)), and ``xavier_weights`` (Glorot
        weights, zero biases -- the usual framework default)."""
        if len(seeds) != self.n_models:
            raise ValueError(f"{len(seeds)} seeds for {self.n_models} models")
        schemes = [scheme] * self.n_models if isinstance(scheme, str) else list(scheme)
        stds = [std] * self.n_models if np.isscalar(std) else list(std)
        for m, seed in enumerate(seeds):
            g = torch_generator(seed, "init")
            for w, b in zip(self.weights, self.biases):
                fan_in, fan_out = w.shape[1], w.shape[2]
                _fill(w[m], schemes[m], g, math.sqrt(6.0 / (fan_in + fan_out)), stds[m])
                bias_scheme = "zeros" if schemes[m] == "xavier_weights" else schemes[m]
                _fill(b[m], bias_scheme, g, math.sqrt(6.0 / (2 * fan_out)), stds[m])
        return self

    def forward(self, x: torch.Tensor, upto: int | None = None) -> torch.Tensor:
        """``x``: (M, rows, inputs). ``upto=k`` returns the activations of hidden layer k."""
        h = x
        last = len(self.weights) - 1
        for layer, (w, b) in enumerate(zip(self.weights, self.biases)):
            h = torch.baddbmm(b, h, w)
            if layer < last:
                h = self.act(h)
            if upto is not None and layer + 1 == upto:
                return h
        return h


def _fill(t: torch.Tensor, scheme: str, g: torch.Generator, bound: float, std: float) -> None:
    if scheme in ("xavier", "xavier_weights"):
        t.copy_(torch.rand(t.shape, generator=g, dtype=t.dtype) * 2 * bound - bound)
    elif scheme == "zeros":
        t.zero_()
    elif scheme == "ones":
        t.fill_(1.0)
    elif scheme == "normal":
        t.copy_(torch.randn(t.shape, generator=g, dtype=t.dtype) * std)
    else:
        raise ValueError(f"unknown initialisation {scheme!r}")


def per_model(choice, n_models: int, table: dict, what: str) -> Callable:
    """A function applying ``table[choice]`` -- or, given one name per model, each model's own
    -- along the leading model axis. Lets settings that differ only in a function (activation,
    loss) share one batched model."""
    names = [choice] * n_models if isinstance(choice, str) else list(choice)
    unknown = sorted(set(names) - set(table))
    if unknown or len(names) != n_models:
        raise ValueError(f"{what}: need one of {sorted(table)} (or one per model); got {choice!r}")
    if len(set(names)) == 1:
        return table[names[0]]
    groups = [
        (table[name], torch.tensor([m for m, k in enumerate(names) if k == name]))
        for name in dict.fromkeys(names)
    ]

    def apply(*tensors):
        parts = [(index, fn(*(t[index] for t in tensors))) for fn, index in groups]
        out = parts[0][1].new_empty((n_models, *parts[0][1].shape[1:]))
        for index, value in parts:
            out[index] = value
        return out

    return apply


# --- losses: per-row values, shape (M, rows); targets are one-hot (or real) (M, rows, k) ------


def _hinge(out, t):
    return torch.clamp(1 - (2 * t - 1) * out, min=0).mean(-1)


LOSSES: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "cross_entropy": lambda out, t: -(t * torch.log_softmax(out, -1)).sum(-1),
    "mse": lambda out, t: (out - t).square().mean(-1),
    "mae": lambda out, t: (out - t).abs().mean(-1),
    "fourth": lambda out, t: (out - t).pow(4).mean(-1),
    "hinge": _hinge,
    "constant": lambda out, t: 0.0 * (out - t).square().mean(-1),  # negative control
}


def one_hot(y: torch.Tensor, classes: int = 2) -> torch.Tensor:
    return torch.nn.functional.one_hot(y.long(), classes).to(torch.float32)


def stack(arrays: Sequence[np.ndarray], dtype=torch.float32) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack per-model arrays of possibly different lengths along a model axis, padding with
    zeros. Returns (tensor (M, max rows, ...), row counts (M,))."""
    rows = [len(a) for a in arrays]
    out = np.zeros((len(arrays), max(rows), *np.shape(arrays[0])[1:]), dtype=np.float64)
    for m, a in enumerate(arrays):
        out[m, : len(a)] = a
    return torch.as_tensor(out, dtype=dtype), torch.as_tensor(rows)


def batch_indices(
    seeds: Sequence[int], rows: Sequence[int], steps: int, batch_size: int, chunk: int = 2048
) -> tuple[torch.Tensor, torch.Tensor]:
    """Per model, ``steps`` mini-batches of ``min(batch_size, rows[m])`` rows drawn without
    replacement, from the seed's own stream. Returns indices (steps, M, B) and a row mask
    (M, B) that is 0 on padding (models with fewer rows than B)."""
    width = min(batch_size, max(rows))
    idx = np.zeros((steps, len(seeds), width), dtype=np.int64)
    mask = np.zeros((len(seeds), width), dtype=np.float32)
    for m, (seed, n) in enumerate(zip(seeds, rows)):
        rng = numpy_rng(seed, "batches")
        b = min(batch_size, n)
        mask[m, :b] = 1.0
        if b == n:  # every row, every step
            idx[:, m, :b] = np.arange(n)
            continue
        for start in range(0, steps, chunk):
            stop = min(steps, start + chunk)
            keys = rng.random((stop - start, n))
            idx[start:stop, m, :b] = np.argpartition(keys, b - 1, axis=1)[:, :b]
    return torch.as_tensor(idx), torch.as_tensor(mask)


def _manual_backward_ok(model: torch.nn.Module) -> bool:
    """True for a plain BatchedMLP (not a subclass, no extra parameters) whose activations all
    have a hand-written gradient: then ``train`` skips autograd for the layers."""
    if type(model) is not BatchedMLP or getattr(model, "act_grad", None) is None:
        return False
    own = [*model.weights, *model.biases]
    params = list(model.parameters())
    return len(params) == len(own) and all(a is b for a, b in zip(params, own))


# Models per chunk of the hand-written step: about this many floats per activation tensor, so
# that a chunk's activations stay in cache (240 models of width 200 ran ~1.3x slower per model
# than 60 on the 2-core benchmark machine; docs/performance.md).
CHUNK_FLOATS = 1 << 20


def _manual_chunks(model: BatchedMLP, batch_rows: int, loss) -> list[tuple]:
    """(models slice, activation, its gradient, loss) per chunk of models. A user-supplied loss
    callable cannot be sliced by model: then one chunk."""
    n = model.n_models
    width = max(model.sizes[1:])
    size = n if callable(loss) else max(1, CHUNK_FLOATS // max(1, batch_rows * width))
    losses = [loss] * n if isinstance(loss, str) else (None if callable(loss) else list(loss))
    chunks = []
    for start in range(0, n, size):
        part = slice(start, min(n, start + size))
        if part == slice(0, n):
            act, act_grad = model.act, model.act_grad
            loss_fn = loss if callable(loss) else per_model(losses, n, LOSSES, "loss")
        else:
            names, k = model.activation_names[part], part.stop - part.start
            act = per_model(names, k, ACTIVATIONS, "activation")
            act_grad = per_model(names, k, ACTIVATION_GRADS, "activation")
            loss_fn = per_model(losses[part], k, LOSSES, "loss")
        chunks.append((part, act, act_grad, loss_fn))
    return chunks


def _manual_gradients(
    model: BatchedMLP,
    xb: torch.Tensor,
    tb: torch.Tensor,
    wb: torch.Tensor,
    loss_fn: Callable,
    chunks: list[tuple] | None = None,
) -> None:
    """Set ``.grad`` of every weight and bias to the gradient of the same total loss that
    ``train``'s autograd path differentiates. Forward and backward through the layers are
    written out (fewer, larger ops, no graph); only the loss -- any callable -- goes through
    autograd, from the network's output. Models are independent, so they are processed in
    ``chunks`` (see ``_manual_chunks``; default one chunk)."""
    for w, b in zip(model.weights, model.biases):
        # gradients go into last step's buffers: a fresh tensor over glibc's mmap threshold
        # (32 MB) is page-faulted in on every step, which doubled the time of a large bmm
        if w.grad is None or w.grad.shape != w.shape:
            w.grad = torch.empty_like(w)
        if b.grad is None or b.grad.shape != b.shape:
            b.grad = torch.empty_like(b)
    if chunks is None:
        chunks = [(slice(0, model.n_models), model.act, model.act_grad, loss_fn)]
    for part, act, act_grad, chunk_loss in chunks:
        _manual_chunk(model, part, act, act_grad, chunk_loss, xb[part], tb[part], wb[part])


def _manual_chunk(model, part, act, act_grad, loss_fn, xb, tb, wb) -> None:
    weights = [w[part] for w in model.weights]
    biases = [b[part] for b in model.biases]
    last = len(weights) - 1
    with torch.no_grad():
        inputs, pre = [], []  # input of each layer; pre-activation of hidden layers
        h = xb
        for layer, (w, b) in enumerate(zip(weights, biases)):
            inputs.append(h)
            h = torch.baddbmm(b, h, w)
            if layer < last:
                pre.append(h)
                h = act(h)
    out = h.requires_grad_()
    with torch.enable_grad():
        per_row = loss_fn(out, tb)
        total = ((per_row * wb).sum(1) / wb.sum(1)).sum()
    grad = None
    if total.requires_grad:
        (grad,) = torch.autograd.grad(total, out, allow_unused=True)
    with torch.no_grad():
        g = torch.zeros_like(out) if grad is None else grad
        for layer in range(last, -1, -1):
            torch.bmm(inputs[layer].transpose(1, 2), g, out=model.weights[layer].grad[part])
            torch.sum(g, 1, keepdim=True, out=model.biases[layer].grad[part])
            if layer > 0:
                g = act_grad(
                    torch.bmm(g, weights[layer].transpose(1, 2)), pre[layer - 1], inputs[layer]
                )


def make_adam(params, lr: float) -> torch.optim.Optimizer:
    """``torch.optim.Adam(params, lr)`` with default settings, using the fused (single-kernel)
    implementation where this torch build and the tensors support it: the same update up to
    floating-point rounding, several times faster on large stacked parameters."""
    params = list(params)
    try:
        return torch.optim.Adam(params, lr=lr, fused=True)
    except (RuntimeError, TypeError, ValueError):
        return torch.optim.Adam(params, lr=lr)


def train(
    model: torch.nn.Module,
    x: torch.Tensor,
    targets: torch.Tensor,
    *,
    steps: int,
    seeds: Sequence[int],
    rows: torch.Tensor | None = None,
    batch_size: int | None = 64,
    loss: str | Sequence[str] | Callable = "cross_entropy",
    lr: float = 0.003,
    row_weight: torch.Tensor | None = None,
    penalty: Callable[[torch.nn.Module], torch.Tensor] | None = None,
    every: int | None = None,
    record: Callable[[int], None] | None = None,
    manual_backward: bool | None = None,
) -> np.ndarray:
    """Train M stacked models with Adam; returns which models diverged (NaN or infinite
    weights at the end: a NaN loss spreads into every weight through Adam).

    ``x``: (M, N, inputs); ``targets``: (M, N, k) (one-hot for classification); ``rows``: the
    real row count of each model's data (the rest is padding); ``batch_size=None`` is full
    batch. ``row_weight`` (M, N) weights rows in full-batch training (e.g. resampling the
    minority class r times = weight r). ``penalty(model)`` returns a per-model (M,) term added
    to the loss. ``record(step)`` is called every ``every`` steps (and may evaluate the model).
    ``manual_backward``: a plain ``BatchedMLP`` without ``penalty`` is differentiated by hand
    (same gradients up to rounding, less overhead; tests/test_engine.py); ``False`` forces
    autograd, ``None`` chooses.
    """
    n_models, n = x.shape[0], x.shape[1]
    loss_fn = loss if callable(loss) else per_model(loss, n_models, LOSSES, "loss")
    rows = torch.full((n_models,), n) if rows is None else rows
    if row_weight is None:
        row_weight = (torch.arange(n)[None, :] < rows[:, None]).to(x.dtype)
    optimiser = make_adam(model.parameters(), lr)
    manual = _manual_backward_ok(model) and penalty is None and manual_backward is not False
    if manual_backward and not manual:
        raise ValueError(
            "manual_backward=True needs a plain BatchedMLP, known activations and no penalty"
        )
    if batch_size is not None and batch_size < int(rows.max()):
        idx, mask = batch_indices(seeds, rows.tolist(), steps, batch_size)
        models = torch.arange(n_models)[:, None]
    else:
        idx = None
    if manual:
        chunks = _manual_chunks(model, n if idx is None else idx.shape[2], loss)
    for step in range(steps):
        if idx is None:
            xb, tb, wb = x, targets, row_weight
        else:
            xb, tb, wb = x[models, idx[step]], targets[models, idx[step]], mask
        if manual:
            _manual_gradients(model, xb, tb, wb, loss_fn, chunks)
            optimiser.step()
        else:
            per_row = loss_fn(model(xb), tb)
            total = ((per_row * wb).sum(1) / wb.sum(1)).sum()
            if penalty is not None:
                total = total + penalty(model).sum()
            optimiser.zero_grad(set_to_none=True)
            total.backward()
            optimiser.step()
        if every and record and (step + 1) % every == 0:
            record(step + 1)
    return diverged(model, n_models)


@torch.no_grad()
def diverged(model: torch.nn.Module, n_models: int) -> np.ndarray:
    """Per model, whether any of its stacked parameters is NaN or infinite."""
    bad = torch.zeros(n_models, dtype=torch.bool)
    for p in model.parameters():
        if p.shape and p.shape[0] == n_models:
            bad |= ~torch.isfinite(p.reshape(n_models, -1)).all(dim=1)
        elif not torch.isfinite(p).all():
            bad[:] = True
    return bad.numpy()


@torch.no_grad()
def accuracy(
    model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor, rows: torch.Tensor | None = None
) -> np.ndarray:
    """Per-model accuracy (argmax agreement) on (M, N, inputs) / (M, N) labels."""
    correct = (model(x).argmax(-1) == y).to(torch.float64)
    if rows is None:
        return correct.mean(1).numpy()
    valid = (torch.arange(x.shape[1])[None, :] < rows[:, None]).to(torch.float64)
    return ((correct * valid).sum(1) / valid.sum(1)).numpy()
