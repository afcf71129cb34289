"""Q63. 请写出链式法则并证明 -- Write down the chain rule and prove it.

The formula, the example and the proof are images in the seed; the rule it names is
(f∘g)'(x) = f'(g(x)) g'(x). It is checked on random compositions of elementary functions with
known derivatives against central finite differences (which do not use the chain rule). Its
vector form, the one backpropagation uses, is checked under Q62 (Q62.2).
"""

import math

from hypothesis import given
from hypothesis import strategies as st

from harness import Kind, claim, departure, exact

# elementary functions with their derivatives (smooth on the range the compositions reach)
ELEMENTARY = {
    "sin": (math.sin, math.cos),
    "exp": (math.exp, math.exp),
    "tanh": (math.tanh, lambda u: 1 - math.tanh(u) ** 2),
    "cube": (lambda u: u**3, lambda u: 3 * u**2),
    "softplus": (lambda u: math.log1p(math.exp(u)), lambda u: 1 / (1 + math.exp(-u))),
    "affine": (lambda u: 0.7 * u - 0.3, lambda u: 0.7),
}
names = st.sampled_from(sorted(ELEMENTARY))

departure(
    63,
    "The hypotheses read 'f and g are two differentiable functions of x': the rule needs "
    "g differentiable at x and f differentiable at g(x) (f is a function of g's value, "
    "not of x).",
    claims=("Q63.2",),
)

claim(
    "Q63.1",
    quote="链式法则或链锁定则（英语：chain rule），是求复合函数导数的一个法则",
    kind=Kind.DEFINITIONAL,
    statement="The chain rule is a rule for differentiating composite functions.",
    reason="names the rule; the rule itself is checked in Q63.2",
)


@exact(
    "Q63.2",
    quote="设 `f` 和 `g` 为两个关于 `x` 的可导函数，则复合函数",
    statement="If g is differentiable at x and f at g(x), then (f∘g)'(x) = f'(g(x))·g'(x).",
    method="hypothesis: random compositions of elementary functions, the analytic product "
    "against a central difference of f(g(x))",
    note="The formula is an image in the seed (链式法则-03.png); the standard rule is assumed.",
)
@given(names, names, st.floats(-1.5, 1.5))
def chain_rule(f_name, g_name, x):
    f, df = ELEMENTARY[f_name]
    g, dg = ELEMENTARY[g_name]
    product = df(g(x)) * dg(x)
    h = 1e-5
    numeric = (f(g(x + h)) - f(g(x - h))) / (2 * h)
    assert abs(product - numeric) <= 1e-5 * (1 + abs(numeric)), (f_name, g_name, x)


claim(
    "Q63.3",
    quote="以下是一个简单的例子",
    kind=Kind.DEFINITIONAL,
    statement="A simple example of the chain rule follows.",
    reason="the example is an image not in the text",
)

claim(
    "Q63.4",
    quote="以下的简单的一个证明",
    kind=Kind.DEFINITIONAL,
    statement="A (simple) proof of the chain rule follows.",
    reason="the proof is an image not in the text; the rule itself is checked in Q63.2",
    note="The common 'simple proof' writes Δf/Δx = (Δf/Δg)(Δg/Δx) and fails where "
    "g(x + h) = g(x) for h arbitrarily close to 0 (e.g. g(x) = x² sin(1/x) at 0); the "
    "image cannot be read to say whether it is that one.",
)
