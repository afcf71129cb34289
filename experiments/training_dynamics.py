"""Small training-dynamics experiments for the questions outside the notebook (Q41, Q61, Q64,
Q66): gradient flow through deep nets, learning-rate and batch-size sweeps, momentum on a
double well, and BN / residual connections in a deep net.

Every experiment is ``fn(seeds, **params) -> list[dict]``; a seed alone fixes its data,
initialisation and batch order (streams from :mod:`experiments.rng`). All are small: seconds
for 20 seeds on two CPU cores.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import torch
from torch import nn

from harness import experiment

from .rng import numpy_rng, torch_generator

torch.set_num_threads(max(1, min(2, torch.get_num_threads())))


def _flush_denormals(fn):
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


# ----------------------------------------------------------------------------- helpers
def _mlp(depth: int, width: int, d_in: int, d_out: int, act: str, *, bn: bool = False,
         gen: torch.Generator, init: str = "glorot", gain: float = 1.0) -> nn.Sequential:
    """depth hidden layers of ``width``; ``init``: 'glorot' (Xavier normal, zero bias) or
    'he' (Kaiming normal x gain, zero bias)."""
    layers, d = [], d_in
    for _ in range(depth):
        lin = nn.Linear(d, width)
        std = (math.sqrt(2.0 / (d + width)) if init == "glorot"
               else gain * math.sqrt(2.0 / d))
        with torch.no_grad():
            lin.weight.copy_(torch.randn(lin.weight.shape, generator=gen) * std)
            lin.bias.zero_()
        layers.append(lin)
        if bn:
            layers.append(nn.BatchNorm1d(width))
        layers.append({"sigmoid": nn.Sigmoid(), "relu": nn.ReLU(), "tanh": nn.Tanh()}[act])
        d = width
    out = nn.Linear(d, d_out)
    with torch.no_grad():
        out.weight.copy_(torch.randn(out.weight.shape, generator=gen) * math.sqrt(2.0 / (d + d_out)))
        out.bias.zero_()
    layers.append(out)
    return nn.Sequential(*layers)


def _hidden_linears(net: nn.Sequential) -> list[nn.Linear]:
    return [m for m in net if isinstance(m, nn.Linear)][:-1]


def _grad_norms(net, x, y) -> tuple[float, float]:
    """(log10 ||dL/dW_first hidden||, log10 ||dL/dW_last hidden||) for an MSE loss."""
    net.zero_grad()
    nn.functional.mse_loss(net(x), y).backward()
    lins = _hidden_linears(net)
    return (math.log10(lins[0].weight.grad.norm().item()),
            math.log10(lins[-1].weight.grad.norm().item()))


# ------------------------------------------------------------------ gradient flow (Q41, Q64)
@experiment("gradient_flow")
@_flush_denormals
def gradient_flow(seeds, depth=10, width=32, batch=64, train_steps=50, lr=0.5):
    """Gradient norms of the first vs last hidden layer of deep MLPs at initialisation
    (Glorot normal), for sigmoid, ReLU and sigmoid+BN; and, for exploding gradients, ReLU with
    He init x2 with and without BN (for these, the log10 norm of the first layer's weight
    gradient is recorded as well: with gain 2 every layer's gradient grows alike, so the
    first/last ratio does not show the explosion). Also: relative weight change of the first and last hidden
    layers of the sigmoid net after ``train_steps`` full-batch SGD steps on a teacher task."""
    out = []
    for seed in seeds:
        gd = torch_generator(seed, "data")
        x = torch.randn(batch, width, generator=gd)
        teacher = torch.randn(width, 1, generator=gd) / math.sqrt(width)
        y = torch.tanh(x @ teacher * 2)
        row = {}
        for name, act, bn, init, gain in [("sigmoid", "sigmoid", False, "glorot", 1.0),
                                          ("relu", "relu", False, "glorot", 1.0),
                                          ("sigmoid_bn", "sigmoid", True, "glorot", 1.0),
                                          ("explode_plain", "relu", False, "he", 2.0),
                                          ("explode_bn", "relu", True, "he", 2.0)]:
            net = _mlp(depth, width, width, 1, act, bn=bn, init=init, gain=gain,
                       gen=torch_generator(seed, "init"))
            net.train()
            first, last = _grad_norms(net, x, y)
            row[f"logratio_{name}"] = first - last
            row[f"loggrad_{name}"] = first
        net = _mlp(depth, width, width, 1, "sigmoid", gen=torch_generator(seed, "init"))
        lins = _hidden_linears(net)
        w0 = [lins[0].weight.detach().clone(), lins[-1].weight.detach().clone()]
        opt = torch.optim.SGD(net.parameters(), lr=lr)
        for _ in range(train_steps):
            opt.zero_grad()
            nn.functional.mse_loss(net(x), y).backward()
            opt.step()
        rel = [((lin.weight.detach() - w).norm() / w.norm()).item()
               for lin, w in zip([lins[0], lins[-1]], w0)]
        row["relchange_first"], row["relchange_last"] = rel
        row["log_relchange_ratio"] = math.log10(max(rel[0], 1e-30) / max(rel[1], 1e-30))
        out.append(row)
    return out


# --------------------------------------------------------------- classification toy task
def _blobs(seed: int, n: int = 256, d: int = 10):
    """Two Gaussian classes in d dimensions, means ±0.5 per dimension, unit variance."""
    rng = numpy_rng(seed, "blobs")
    yv = rng.integers(0, 2, n)
    xv = rng.normal(size=(n, d)) + np.where(yv[:, None] == 1, 0.5, -0.5)
    return torch.tensor(xv, dtype=torch.float32), torch.tensor(yv, dtype=torch.long)


def _small_net(seed: int, d: int, width: int = 32) -> nn.Sequential:
    return _mlp(1, width, d, 2, "tanh", gen=torch_generator(seed, "init"))


def _full_loss(net, x, y) -> float:
    with torch.no_grad():
        return nn.functional.cross_entropy(net(x), y).item()


@experiment("lr_sweep")
@_flush_denormals
def lr_sweep(seeds, lrs=(0.01, 0.3, 30.0), steps=200):
    """Full-batch gradient descent, one tanh hidden layer of 32, cross-entropy, on two Gaussian
    classes; for each learning rate: the final training loss and the fraction of steps on
    which the training loss went up (oscillation)."""
    out = []
    for seed in seeds:
        x, y = _blobs(seed)
        row = {}
        for lr in lrs:
            net = _small_net(seed, x.shape[1])
            opt = torch.optim.SGD(net.parameters(), lr=lr)
            losses = []
            for _ in range(steps):  # full batch: the step's loss is the training loss
                opt.zero_grad()
                loss = nn.functional.cross_entropy(net(x), y)
                loss.backward()
                opt.step()
                losses.append(loss.item())
            losses.append(_full_loss(net, x, y))
            losses = np.asarray(losses)
            row[f"final_{lr:g}"] = float(losses[-1]) if np.isfinite(losses[-1]) else 1e6
            row[f"ups_{lr:g}"] = float(np.mean(np.diff(losses) > 0))
        out.append(row)
    return out


@experiment("batch_noise")
@_flush_denormals
def batch_noise(seeds, batches=(1, 8, 64), lr=0.3, steps=300, window=100):
    """Mini-batch SGD (same learning rate and number of steps) for several batch sizes on the
    lr_sweep task; jitter = standard deviation of the step-to-step change of the full
    training loss over the last ``window`` steps."""
    out = []
    for seed in seeds:
        x, y = _blobs(seed)
        row = {}
        for b in batches:
            net = _small_net(seed, x.shape[1])
            opt = torch.optim.SGD(net.parameters(), lr=lr)
            g = torch_generator(seed, f"batches-{b}")
            losses = []
            for step in range(steps):
                idx = torch.randperm(len(x), generator=g)[:b]
                opt.zero_grad()
                nn.functional.cross_entropy(net(x[idx]), y[idx]).backward()
                opt.step()
                if step >= steps - window - 1:
                    losses.append(_full_loss(net, x, y))
            row[f"jitter_{b}"] = float(np.std(np.diff(losses[-window:])))
            row[f"final_{b}"] = losses[-1]
        out.append(row)
    return out


# ------------------------------------------------------------- momentum on a double well (Q41)
@experiment("double_well")
def double_well(seeds, starts=100, tilt=0.2, lr=0.05, beta=0.9, steps=400):
    """f(x) = x⁴/4 - x²/2 + tilt·x: a shallow local minimum near x = +0.9 and the global
    minimum near x = -1.1, barrier near x = +0.2. Gradient descent with and without
    (heavy-ball) momentum from starts drawn uniformly on [1.2, 2.2] (the local basin, uphill
    of its minimum); escape = ending in the global basin (x below the barrier)."""
    roots = np.roots([1, 0, -1, tilt])
    barrier = float(sorted(r.real for r in roots if abs(r.imag) < 1e-9)[1])
    out = []
    for seed in seeds:
        x0 = numpy_rng(seed, "starts").uniform(1.2, 2.2, starts)
        row = {}
        for name, b in [("plain", 0.0), ("momentum", beta)]:
            x, v = x0.copy(), np.zeros_like(x0)
            for _ in range(steps):
                v = b * v - lr * (x ** 3 - x + tilt)
                x = x + v
            row[f"escape_{name}"] = float(np.mean(x < barrier))
        out.append(row)
    return out


# ------------------------------------------------- BN and residual connections in training
class _Residual(nn.Module):
    def __init__(self, lin, act):
        super().__init__()
        self.lin, self.act = lin, act

    def forward(self, x):
        return x + self.act(self.lin(x))


@experiment("deep_training")
@_flush_denormals
def deep_training(seeds, depth=10, width=32, steps=60, lr=0.05, n=128):
    """A deep ReLU MLP with PyTorch's default initialisation, trained by full-batch SGD with
    cross-entropy on two Gaussian classes: plain, with BatchNorm after every hidden linear
    layer, or with residual connections around every hidden layer. Same data, same initial
    weights (same generator stream), same learning rate and steps. Measures the training loss
    after ``steps`` steps (log10)."""
    out = []
    for seed in seeds:
        x, y = _blobs(seed, n=n)
        row = {}
        for variant in ("plain", "bn", "residual"):
            gen = torch_generator(seed, "init")
            lins = [nn.Linear(x.shape[1] if i == 0 else width, width) for i in range(depth)]
            head = nn.Linear(width, 2)
            for lin in lins + [head]:  # PyTorch's default init, drawn from the seed's stream
                bound = 1 / math.sqrt(lin.in_features)
                with torch.no_grad():
                    lin.weight.copy_((torch.rand(lin.weight.shape, generator=gen) * 2 - 1) * bound)
                    lin.bias.copy_((torch.rand(lin.bias.shape, generator=gen) * 2 - 1) * bound)
            mods = [lins[0], nn.ReLU()]
            for lin in lins[1:]:
                if variant == "bn":
                    mods += [lin, nn.BatchNorm1d(width), nn.ReLU()]
                elif variant == "residual":
                    mods.append(_Residual(lin, nn.ReLU()))
                else:
                    mods += [lin, nn.ReLU()]
            net = nn.Sequential(*mods, head)
            opt = torch.optim.SGD(net.parameters(), lr=lr)
            for _ in range(steps):
                opt.zero_grad()
                nn.functional.cross_entropy(net(x), y).backward()
                opt.step()
            net.train()  # BN: the loss the optimiser sees (batch statistics)
            row[f"loss_{variant}"] = math.log10(max(_full_loss(net, x, y), 1e-12))
        out.append(row)
    return out
