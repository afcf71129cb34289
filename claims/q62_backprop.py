"""Q62. 请简单说下计算流图的前向和反向传播 -- Briefly describe forward and backward propagation
on a computational graph.

The answer is only a figure (前向和反向传播.png). The claim the question presupposes -- a
forward pass computes the values node by node, and a backward pass (local derivatives
multiplied along the edges in reverse order, summed over paths) yields the gradient of the
output -- is checked on the classic graph f = (x + y) z, on a graph where a node feeds two
paths, and in the vector form networks use (transposed Jacobians, against torch.autograd).
"""

import math

import numpy as np
import torch
from hypothesis import given
from hypothesis import strategies as st

from harness import exact

value = st.floats(-3.0, 3.0, allow_nan=False)


def forward(x, y, z):
    q = x + y  # sum node
    return q * z, q  # product node


def backward(x, y, z):
    """Reverse pass: the product node sends df/dq = z and df/dz = q; the sum node passes df/dq
    on to both x and y (local derivative 1)."""
    _, q = forward(x, y, z)
    df_dq, df_dz = z, q
    return df_dq * 1.0, df_dq * 1.0, df_dz


def branched(x):
    """x feeds two paths, a = sin(x) and b = x², joined by a product."""
    return math.sin(x) * x**2


def branched_backward(x):
    a, b = math.sin(x), x**2
    return b * math.cos(x) + a * 2 * x  # sum over the two paths


def central(f, p, k, h=1e-6):
    up, down = list(p), list(p)
    up[k] += h
    down[k] -= h
    return (f(*up) - f(*down)) / (2 * h)


@exact(
    "Q62.1",
    quote="计算流图的前向和反向传播",
    statement="On a computational graph, a forward pass computes the values node by node and a "
    "backward pass (local derivatives multiplied along edges, summed over paths) "
    "yields the gradient of the output with respect to every input.",
    method="hypothesis: a hand-written backward pass against central finite differences on "
    "f = (x + y) z and on sin(x) x² (one input, two paths)",
    note="The seed answers only with a figure; this is the claim the question presupposes.",
)
@given(value, value, value)
def backprop_gives_gradient(x, y, z):
    grads = backward(x, y, z)
    for k, g in enumerate(grads):
        numeric = central(lambda *p: forward(*p)[0], (x, y, z), k)
        assert abs(g - numeric) <= 1e-6 * (1 + abs(numeric)), (k, g, numeric)
    numeric = central(branched, (x,), 0)
    assert abs(branched_backward(x) - numeric) <= 1e-6 * (1 + abs(numeric)), (x, numeric)


@exact(
    "Q62.2",
    quote="计算流图的前向和反向传播",
    statement="On a graph of vector-valued nodes (x -> tanh(Ax) -> sum(sin(Bu))), the backward "
    "pass -- the output gradient multiplied by the nodes' transposed Jacobians in "
    "reverse order -- equals the gradient torch.autograd computes.",
    method="hand-written Jacobian products against torch.autograd on 20 random graphs (float64)",
)
def vector_backprop_matches_autograd():
    g = np.random.default_rng(0)
    worst = 0.0
    for _ in range(20):
        a = torch.tensor(g.normal(size=(4, 3)))
        b = torch.tensor(g.normal(size=(2, 4)))
        x = torch.tensor(g.normal(size=3), requires_grad=True)
        u = torch.tanh(a @ x)  # R^3 -> R^4
        f = torch.sin(b @ u).sum()  # R^4 -> R
        f.backward()
        u = u.detach()
        grad_u = b.T @ torch.cos(b @ u)  # ∇_u f
        jac = (1 - u**2)[:, None] * a  # J_u(x)
        worst = max(worst, float((jac.T @ grad_u - x.grad).abs().max()))
    assert worst < 1e-12, f"hand-written backward differs from autograd by {worst:.1e}"
    return f"max |Jᵀ∇f - autograd| = {worst:.1e} over 20 random graphs"
