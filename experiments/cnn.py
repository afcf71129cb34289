"""Small convolutional networks on 8x8 images, many trained at once, and the data they see.

Data: scikit-learn's ``load_digits`` (1,797 handwritten digits, 8x8, ships with the package:
nothing is downloaded) and generated 8x8 texture images (:func:`textures`), both scaled to
[0, 1].

Network (:class:`BatchedCNN`), one per (setting, seed), stacked along a leading model axis::

    layer 1  conv 3x3, 1 -> c1 channels, padding 1, ReLU, 2x2 max-pool    8x8 -> 4x4
    layer 2  conv 3x3, c1 -> c2 channels, padding 1, ReLU, 2x2 max-pool   4x4 -> 2x2
    layer 3  fully connected 4*c2 -> h, ReLU                               ("CNN codes")
    layer 4  fully connected h -> classes                                  (the classifier)

The convolutions of M models are one grouped convolution (``groups=M``), the dense layers one
batched matrix product, so M networks train in one pass; every model gets exactly its own
gradient (the total loss is the sum of the models' mean losses). ``sharing=False`` replaces both
convolutions by locally connected layers: the same windows and shapes, one kernel per output
position (and one bias per position and channel).

Optimiser: Adam (default betas) written out on the stacked tensors, so that every model and
every layer can have its own learning rate; a rate of 0 freezes that layer of that model
exactly (its gradient is never applied).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
import torch.nn.functional as nnf

from .engine import batch_indices
from .rng import numpy_rng, torch_generator

SIDE = 8
LAYERS = 4  # conv1, conv2, fc3 (codes), fc4 (classifier)


# --- data --------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def digits() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 digits as (1797, 8, 8) floats in [0, 1] and their labels."""
    from sklearn.datasets import load_digits

    d = load_digits()
    return (d.images / 16.0).astype(np.float32), d.target.astype(np.int64)


def class_split(seed: int, test_per_class: int = 60) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Per digit class, (training rows, test rows): ``test_per_class`` rows of each class are
    held out, the rest (about 120) are training rows, in the seed's random order (so a smaller
    training set is a prefix of a larger one)."""
    _, y = digits()
    rng = numpy_rng(seed, "digit rows")
    out = {}
    for c in range(10):
        rows = rng.permutation(np.flatnonzero(y == c))
        out[c] = (rows[test_per_class:], rows[:test_per_class])
    return out


def digit_halves(seed: int) -> tuple[list[int], list[int]]:
    """The seed's random split of the ten digit classes into two halves of five, A and B (as
    Yosinski et al. 2014 split the ImageNet classes at random)."""
    order = numpy_rng(seed, "class halves").permutation(10)
    return sorted(int(c) for c in order[:5]), sorted(int(c) for c in order[5:])


def digit_task(seed: int, classes: Sequence[int], per_class: int | None = None):
    """Training and test rows of the digit classes ``classes`` (relabelled 0..k-1): the first
    ``per_class`` training rows of each class (all when None), and every test row."""
    x, y = digits()
    split = class_split(seed)
    tr, te = [], []
    for label, c in enumerate(classes):
        rows, test = split[c]
        rows = rows if per_class is None else rows[:per_class]
        tr += [(r, label) for r in rows]
        te += [(r, label) for r in test]
    order = numpy_rng(seed, f"digit order {tuple(classes)}").permutation(len(tr))
    tr = [tr[i] for i in order]
    xi, yi = np.array([r for r, _ in tr]), np.array([lab for _, lab in tr])
    xt, yt = np.array([r for r, _ in te]), np.array([lab for _, lab in te])
    return x[xi], yi, x[xt], yt


TEXTURE_CLASSES = ("horizontal", "vertical", "diagonal", "anti-diagonal", "checkerboard")


def textures(rng: np.random.Generator, per_class: int, noise: float = 0.35):
    """Generated 8x8 images of five texture classes: sinusoidal gratings at 0, 90, 45 and 135
    degrees and a checkerboard (the product of two gratings), each with a random spatial
    frequency (0.2-0.45 cycles per pixel), phase and contrast, plus Gaussian pixel noise of
    standard deviation ``noise``, clipped to [0, 1]. Returns (images, labels), classes
    interleaved in random order."""
    n = per_class * len(TEXTURE_CLASSES)
    label = np.repeat(np.arange(len(TEXTURE_CLASSES)), per_class)
    freq = rng.uniform(0.2, 0.45, n)[:, None, None]
    phase = rng.uniform(0, 2 * np.pi, (n, 2))
    contrast = rng.uniform(0.5, 1.0, n)[:, None, None]
    r, c = np.meshgrid(np.arange(SIDE), np.arange(SIDE), indexing="ij")
    angle = np.array([0.0, np.pi / 2, np.pi / 4, 3 * np.pi / 4, 0.0])[label]
    u = np.cos(angle)[:, None, None] * r + np.sin(angle)[:, None, None] * c
    wave = np.cos(2 * np.pi * freq * u + phase[:, :1, None])
    checker = np.cos(2 * np.pi * freq * r + phase[:, :1, None]) * np.cos(
        2 * np.pi * freq * c + phase[:, 1:, None]
    )
    pattern = np.where((label == 4)[:, None, None], checker, wave)
    img = 0.5 + 0.5 * contrast * pattern + noise * rng.standard_normal((n, SIDE, SIDE))
    order = rng.permutation(n)
    return np.clip(img, 0, 1).astype(np.float32)[order], label[order]


def texture_task(
    seed: int,
    per_class: int | None,
    *,
    train_per_class: int = 120,
    test_per_class: int = 60,
    noise: float = 0.35,
):
    """The generated target with the digit halves' sizes: ``train_per_class`` training rows of
    each class (the first ``per_class`` of them when given) and ``test_per_class`` test rows."""
    rng = numpy_rng(seed, "textures")
    x, y = textures(rng, train_per_class, noise)
    xt, yt = textures(rng, test_per_class, noise)
    if per_class is not None:
        keep = np.concatenate([np.flatnonzero(y == k)[:per_class] for k in range(5)])
        keep = np.sort(keep)
        x, y = x[keep], y[keep]
    return x, y, xt, yt


# --- the stacked network ----------------------------------------------------------------------
@dataclass
class Shape:
    c1: int = 8
    c2: int = 16
    hidden: int = 32
    classes: int = 5

    def sizes(self) -> list[tuple[int, ...]]:
        """Weight shapes of one model, layer by layer (convolutions: out, in, 3, 3)."""
        return [
            (self.c1, 1, 3, 3),
            (self.c2, self.c1, 3, 3),
            (4 * self.c2, self.hidden),
            (self.hidden, self.classes),
        ]

    def fan_in(self, layer: int) -> int:
        return [9, 9 * self.c1, 4 * self.c2, self.hidden][layer]

    def width(self, layer: int) -> int:
        """Features after layer ``layer`` (1-based; 0 is the 64 pixels)."""
        return [SIDE * SIDE, self.c1 * 16, self.c2 * 4, self.hidden, self.classes][layer]


POSITIONS = (SIDE * SIDE, (SIDE // 2) ** 2)  # output positions of conv1 and conv2


class BatchedCNN:
    """M networks of the same :class:`Shape`; ``params[l]`` = (weight, bias) of layer l, each
    with the model axis first. With ``sharing=False`` the two convolutions are locally
    connected: weights (M, positions, out, in*9), biases (M, positions, out)."""

    def __init__(self, shape: Shape, n_models: int, sharing: bool = True):
        self.shape, self.n_models, self.sharing = shape, n_models, sharing
        m = n_models
        ws = []
        for layer, size in enumerate(shape.sizes()):
            if layer < 2 and not sharing:
                out, inp = size[0], size[1] * 9
                ws.append(
                    (
                        torch.zeros(m, POSITIONS[layer], out, inp),
                        torch.zeros(m, POSITIONS[layer], out),
                    )
                )
            elif layer < 2:
                ws.append((torch.zeros(m, *size), torch.zeros(m, size[0])))
            else:
                ws.append((torch.zeros(m, *size), torch.zeros(m, 1, size[1])))
        self.params = ws

    def tensors(self) -> list[torch.Tensor]:
        return [t for pair in self.params for t in pair]

    @torch.no_grad()
    def initialise(self, seeds: Sequence[int], stream: str | Sequence[str] = "init"):
        """He-uniform weights (bound sqrt(6 / fan-in)), zero biases; model m from seeds[m]
        (and the stream name, one for all or one per model) alone, so two settings with the
        same seed and stream start from the same weights."""
        streams = [stream] * len(seeds) if isinstance(stream, str) else list(stream)
        for m, (seed, name) in enumerate(zip(seeds, streams)):
            g = torch_generator(seed, name)
            for layer, (w, b) in enumerate(self.params):
                bound = math.sqrt(6.0 / self.shape.fan_in(layer))
                w[m] = (torch.rand(w[m].shape, generator=g) * 2 - 1) * bound
                b[m] = 0.0
        return self

    @torch.no_grad()
    def copy_layers(
        self,
        source: BatchedCNN,
        layers: Sequence[int],
        models: Sequence[int],
        from_models: Sequence[int],
    ):
        """Copy layers ``layers`` (0-based) of ``source``'s models ``from_models`` into models
        ``models`` of this stack."""
        idx, src = torch.as_tensor(list(models)), torch.as_tensor(list(from_models))
        for layer in layers:
            for t, s in zip(self.params[layer], source.params[layer]):
                t[idx] = s[src]

    def forward(self, x: torch.Tensor, upto: int = LAYERS, start: int = 0) -> torch.Tensor:
        """``x``: (M, B, 8, 8) images -- or, with ``start=k``, layer k's flattened output
        (M, B, features). Returns the output of layer ``upto`` (1-4; 0: the pixels), flattened
        to (M, B, features)."""
        m, b = x.shape[:2]
        if upto <= start:
            return x.reshape(m, b, -1)
        if start < 2:
            # convolutions in the (B, M*C, s, s) layout of a grouped convolution, channels-last
            # (max-pooling is several times faster there on CPU)
            c, s = (1, SIDE) if start == 0 else (self.shape.c1, SIDE // 2)
            h = x.reshape(m, b, c, s, s).transpose(0, 1).reshape(b, m * c, s, s)
            for layer in range(start, 2):
                h = torch.relu(self._conv(h, layer))
                h = nnf.max_pool2d(h.contiguous(memory_format=torch.channels_last), 2)
                if upto == layer + 1:
                    break
            h = h.reshape(b, m, -1).transpose(0, 1)
            if upto <= 2:
                return h
        else:
            h = x
        if start <= 2:
            w3, b3 = self.params[2]
            h = torch.relu(torch.baddbmm(b3, h, w3))
            if upto == 3:
                return h
        w4, b4 = self.params[3]
        return torch.baddbmm(b4, h, w4)

    __call__ = forward

    def _conv(self, h: torch.Tensor, layer: int) -> torch.Tensor:
        """Layer ``layer``'s convolution (or locally connected layer) on (B, M*C, s, s)."""
        b, mc, s, _ = h.shape
        m = self.n_models
        c = mc // m
        w, bias = self.params[layer]
        if self.sharing:
            out = w.shape[1]
            h = h.contiguous(memory_format=torch.channels_last)
            return nnf.conv2d(
                h, w.reshape(m * out, c, 3, 3), bias.reshape(m * out), padding=1, groups=m
            )
        patches = nnf.unfold(h.reshape(b * m, c, s, s), 3, padding=1)  # (B*M, c*9, s*s)
        patches = patches.reshape(b, m, c * 9, s * s)
        z = torch.einsum("bmjp,mpoj->bmop", patches, w) + bias.transpose(1, 2)[None]
        return z.reshape(b, m * w.shape[2], s, s)


# --- training -----------------------------------------------------------------------------------
class StackedAdam:
    """Adam (betas 0.9, 0.999, eps 1e-8) on stacked tensors, with a learning rate per model and
    layer: ``lr`` is (M, layers). A rate of exactly 0 leaves that layer of that model as it is."""

    def __init__(self, net: BatchedCNN, lr: torch.Tensor):
        self.net, self.lr = net, lr
        self.state = [(torch.zeros_like(t), torch.zeros_like(t)) for t in net.tensors()]
        self.t = 0

    @torch.no_grad()
    def step(self, grads: Sequence[torch.Tensor]):
        self.t += 1
        c1, c2 = 1 - 0.9**self.t, 1 - 0.999**self.t
        for i, (p, g, (m, v)) in enumerate(zip(self.net.tensors(), grads, self.state)):
            m.mul_(0.9).add_(g, alpha=0.1)
            v.mul_(0.999).addcmul_(g, g, value=0.001)
            rate = self.lr[:, i // 2].reshape(-1, *([1] * (p.dim() - 1)))
            p.sub_(rate * (m / c1) / ((v / c2).sqrt() + 1e-8))


def train(
    net: BatchedCNN,
    x: torch.Tensor,
    y: torch.Tensor,
    rows: Sequence[int],
    *,
    seeds: Sequence[int],
    steps: int,
    batch: int,
    lr: torch.Tensor,
    start: int = 0,
) -> np.ndarray:
    """Train every model on its own rows with cross-entropy: ``x`` is (M, N, 8, 8) images --
    or, with ``start=k``, the frozen layer k's output (M, N, features), so that only layers
    k+1..4 are computed and trained; ``y``: (M, N) labels; model m uses its first ``rows[m]``
    rows, in mini-batches of ``batch`` rows drawn without replacement from the seed's own
    stream (the same draws for every setting with that seed and row count); ``lr``: (M, 4)
    learning rates per model and layer. Returns which models diverged (non-finite weights)."""
    idx, mask = batch_indices(seeds, list(rows), steps, batch)
    models = torch.arange(net.n_models)[:, None]
    opt = StackedAdam(net, lr)
    params = net.tensors()
    trained = params[2 * start :]
    for p in trained:
        p.requires_grad_(True)
    weight = mask / mask.sum(1, keepdim=True)
    zeros = [torch.zeros_like(p) for p in params[: 2 * start]]
    for step in range(steps):
        xb, yb = x[models, idx[step]], y[models, idx[step]]
        out = net(xb, start=start)
        loss = nnf.cross_entropy(out.reshape(-1, out.shape[-1]), yb.reshape(-1), reduction="none")
        total = (loss.reshape(yb.shape) * weight).sum()
        grads = torch.autograd.grad(total, trained)
        opt.step([*zeros, *grads])
    for p in trained:
        p.requires_grad_(False)
    return diverged(net)


def diverged(net: BatchedCNN) -> np.ndarray:
    bad = torch.zeros(net.n_models, dtype=torch.bool)
    for p in net.tensors():
        bad |= ~torch.isfinite(p.reshape(net.n_models, -1)).all(1)
    return bad.numpy()


@torch.no_grad()
def features(
    net: BatchedCNN, x: torch.Tensor, upto: int, start: int = 0, chunk: int = 512
) -> torch.Tensor:
    """Layer ``upto``'s output for every row of ``x`` (M, N, 8, 8) -- or of layer ``start``'s
    output -- in chunks of rows."""
    parts = [net(x[:, i : i + chunk], upto, start) for i in range(0, x.shape[1], chunk)]
    return torch.cat(parts, 1)


@torch.no_grad()
def accuracy(net: BatchedCNN, x: torch.Tensor, y: torch.Tensor, start: int = 0) -> np.ndarray:
    """Per-model accuracy on (M, N) labels (every row counts)."""
    return (features(net, x, LAYERS, start).argmax(-1) == y).double().mean(1).numpy()


def stack_rows(arrays: Sequence[np.ndarray], dtype=torch.float32) -> torch.Tensor:
    """Per-model arrays of possibly different lengths, zero-padded to one (M, N, ...) tensor."""
    n = max(len(a) for a in arrays)
    out = np.zeros((len(arrays), n, *np.shape(arrays[0])[1:]), dtype=np.float64)
    for m, a in enumerate(arrays):
        out[m, : len(a)] = a
    return torch.as_tensor(out, dtype=dtype)


# --- linear classifiers on frozen features ------------------------------------------------------
def linear_probe(
    train_x: torch.Tensor,
    train_y: torch.Tensor,
    rows: Sequence[int],
    test_x: torch.Tensor,
    test_y: torch.Tensor,
    *,
    classes: int,
    loss: str = "svm",
    l2: float = 1e-3,
    steps: int = 300,
    lr: float = 0.05,
) -> tuple[np.ndarray, np.ndarray]:
    """A linear classifier per model on frozen features (M, N, F): features standardised with
    the training rows' mean and SD, then full-batch Adam on the multiclass hinge loss
    (``"svm"``: Weston-Watkins, margin 1, as in CS231n) or softmax cross-entropy
    (``"softmax"``), each with an L2 penalty ``l2`` on the weights (gradients written out;
    Adam with default betas). Returns per-model test and training accuracy."""
    m, n, f = train_x.shape
    valid = (torch.arange(n)[None, :] < torch.as_tensor(list(rows))[:, None]).float()
    count = valid.sum(1, keepdim=True)[..., None]
    mean = (train_x * valid[..., None]).sum(1, keepdim=True) / count
    var = (((train_x - mean) ** 2) * valid[..., None]).sum(1, keepdim=True) / count
    sd = var.sqrt().clamp_min(1e-3)
    xs, xt = (train_x - mean) / sd, (test_x - mean) / sd
    # class-major layout: scores (M, classes, N) = W (M, classes, F) @ X^T (M, F, N) keeps the
    # long row axis last, which the batched matrix products handle several times faster
    xs_t = xs.transpose(1, 2).contiguous()
    w = torch.zeros(m, classes, f)
    b = torch.zeros(m, classes, 1)
    state = [torch.zeros_like(t) for t in (w, w, b, b)]
    onehot = nnf.one_hot(train_y, classes).float().transpose(1, 2).contiguous()  # (M, k, N)
    other = 1.0 - onehot
    label = train_y[:, None, :]
    row_weight = (valid / valid.sum(1, keepdim=True))[:, None, :]  # each model's mean over rows
    for step in range(1, steps + 1):
        scores = torch.baddbmm(b, w, xs_t)
        if loss == "svm":
            # Weston-Watkins: sum over wrong classes j of max(0, s_j - s_y + 1)
            active = ((scores - scores.gather(1, label) + 1) > 0).float() * other
            g = active - onehot * active.sum(1, keepdim=True)
        else:
            g = torch.softmax(scores, 1) - onehot
        g = g * row_weight
        grad_w = torch.bmm(g, xs) + 2 * l2 * w
        grad_b = g.sum(2, keepdim=True)
        for p, grad, (mom, sq) in ((w, grad_w, state[:2]), (b, grad_b, state[2:])):
            mom.mul_(0.9).add_(grad, alpha=0.1)
            sq.mul_(0.999).addcmul_(grad, grad, value=0.001)
            p.sub_(lr * (mom / (1 - 0.9**step)) / ((sq / (1 - 0.999**step)).sqrt() + 1e-8))
    with torch.no_grad():
        pred = torch.baddbmm(b, w, xt.transpose(1, 2)).argmax(1)
        fit = torch.baddbmm(b, w, xs_t).argmax(1)
    test = (pred == test_y).double().mean(1).numpy()
    train_acc = (((fit == train_y).double() * valid).sum(1) / valid.sum(1)).numpy()
    return test, train_acc


# --- many settings at once ----------------------------------------------------------------------
@dataclass
class Model:
    """One network of a stack: its seed, its data (x, y, x_test, y_test as numpy arrays), its
    learning rate per layer, how many of its first layers are frozen (``frozen=k``: layers
    1..k keep their weights and are computed once, outside the training loop), which layers it
    copies from trained networks (``copy``: (layer index 0-3, network, model index) triples),
    and the random stream of its other initial weights."""

    seed: int
    data: tuple
    lr: tuple = (0.003, 0.003, 0.003, 0.003)
    frozen: int = 0
    copy: tuple = ()
    stream: str = "init"


@dataclass
class Trained:
    net: BatchedCNN
    test_accuracy: np.ndarray
    train_accuracy: np.ndarray
    diverged: np.ndarray


def train_models(
    models: Sequence[Model],
    shape: Shape,
    *,
    steps: int,
    batch: int,
    sharing: bool = True,
    net: BatchedCNN | None = None,
) -> Trained:
    """Train ``models`` (all with the same ``frozen``) as one stack and measure them. ``net``:
    continue from this stack's current weights instead of initialising (a second phase)."""
    frozen = {m.frozen for m in models}
    if len(frozen) != 1:
        raise ValueError("a stack trains models with one number of frozen layers")
    (k,) = frozen
    seeds = [m.seed for m in models]
    if net is None:
        net = BatchedCNN(shape, len(models), sharing).initialise(seeds, [m.stream for m in models])
        for i, m in enumerate(models):
            for layer, source, j in m.copy:
                net.copy_layers(source, [layer], [i], [j])
    x = stack_rows([m.data[0] for m in models])
    y = stack_rows([m.data[1] for m in models], torch.long)
    rows = [len(m.data[0]) for m in models]
    tests = {len(m.data[2]) for m in models}
    if len(tests) != 1:
        raise ValueError("every model of a stack is tested on the same number of rows")
    xt = stack_rows([m.data[2] for m in models])
    yt = stack_rows([m.data[3] for m in models], torch.long)
    if k:
        x, xt = features(net, x, k), features(net, xt, k)
    lr = torch.tensor([m.lr for m in models], dtype=torch.float32)
    bad = train(net, x, y, rows, seeds=seeds, steps=steps, batch=batch, lr=lr, start=k)
    with torch.no_grad():
        pred = features(net, x, LAYERS, k).argmax(-1)
        valid = torch.arange(x.shape[1])[None, :] < torch.as_tensor(rows)[:, None]
        train_acc = ((pred == y) & valid).sum(1).double() / valid.sum(1)
    return Trained(net, accuracy(net, xt, yt, k), train_acc.numpy(), bad)
