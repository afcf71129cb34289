"""Q63. 请写出链式法则并证明 — Write down the chain rule and prove it.

The formula itself is an image in the seed; the stated rule is (f∘g)'(x) = f'(g(x)) g'(x).
It is checked on random compositions of elementary functions with known derivatives against
central finite differences (which do not use the chain rule), and its multivariate form with
torch.autograd.
"""
import math

import numpy as np
import torch
from hypothesis import given, settings, strategies as st

from harness import Exact, Kind, Verdict, claim

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)

# elementary functions with their derivatives, on domains where both are smooth
ELEMENTARY = {
    "sin": (math.sin, math.cos),
    "exp": (lambda u: math.exp(max(min(u, 5), -5)), lambda u: math.exp(max(min(u, 5), -5))),
    "tanh": (math.tanh, lambda u: 1 - math.tanh(u) ** 2),
    "cube": (lambda u: u ** 3, lambda u: 3 * u ** 2),
    "softplus": (lambda u: math.log1p(math.exp(u)), lambda u: 1 / (1 + math.exp(-u))),
    "affine": (lambda u: 0.7 * u - 0.3, lambda u: 0.7),
}
names = st.sampled_from(sorted(ELEMENTARY))


def single_variable():
    @SETTINGS
    @given(names, names, st.floats(-1.5, 1.5))
    def prop(f_name, g_name, x):
        f, df = ELEMENTARY[f_name]
        g, dg = ELEMENTARY[g_name]
        if abs(g(x)) > 4.5 and f_name == "exp":
            return  # clipped region of exp: not differentiable there
        chain = df(g(x)) * dg(x)
        h = 1e-5
        numeric = (f(g(x + h)) - f(g(x - h))) / (2 * h)
        assert abs(chain - numeric) <= 1e-5 * (1 + abs(numeric)), (f_name, g_name, x)
    prop()


def multivariate():
    rng = np.random.default_rng(0)
    worst = 0.0
    for _ in range(20):
        A = torch.tensor(rng.normal(size=(4, 3)))
        B = torch.tensor(rng.normal(size=(2, 4)))
        x = torch.tensor(rng.normal(size=3), requires_grad=True)
        g = lambda v: torch.tanh(A @ v)                    # R^3 -> R^4
        f = lambda u: (B @ u).sin().sum()                  # R^4 -> R
        f(g(x)).backward()
        u = g(x).detach()
        # chain rule: ∇x = J_g(x)^T ∇f(g(x)), with the Jacobians written out by hand
        grad_f = B.T @ torch.cos(B @ u)
        J_g = (1 - u ** 2)[:, None] * A
        worst = max(worst, (J_g.T @ grad_f - x.grad).abs().max().item())
    assert worst < 1e-12, worst
    return True, f"max |Jᵀ∇f - autograd| = {worst:.1e} over 20 random compositions"


claim("Q63.1", quote="链式法则或链锁定则（英语：chain rule），是求复合函数导数的一个法则",
      statement="The chain rule is a rule for differentiating composite functions.",
      kind=Kind.DEFINITIONAL, reason="names and defines the rule")
claim("Q63.2", quote="设 `f` 和 `g` 为两个关于 `x` 的可导函数，则复合函数",
      statement="If g is differentiable at x and f at g(x), then (f∘g)'(x) = f'(g(x))·g'(x).",
      kind=Kind.EXACT, check=Exact(single_variable,
                                   method="hypothesis: 200 random compositions of elementary "
                                          "functions, analytic product vs central difference"),
      expect=Verdict.SUPPORTED,
      note="The formula is an image in the seed (链式法则-03.png); the standard rule is assumed. "
           "'f and g differentiable in x' should read: f differentiable at g(x).")
claim("Q63.3", quote="以下是一个简单的例子",
      statement="The multivariate form: ∇(f∘g)(x) = J_g(x)ᵀ ∇f(g(x)).",
      kind=Kind.EXACT, check=Exact(multivariate, method="hand-written Jacobian product vs "
                                   "torch.autograd on 20 random compositions"),
      expect=Verdict.SUPPORTED,
      note="The seed's example is an image; this checks the rule in the vector form that "
           "backpropagation uses.")
claim("Q63.4", quote="以下的简单的一个证明",
      statement="A (simple) proof of the chain rule follows.", kind=Kind.DEFINITIONAL,
      reason="the proof is an image not in the text; the rule itself is checked in Q63.2")
