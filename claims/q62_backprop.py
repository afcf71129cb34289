"""Q62. 请简单说下计算流图的前向和反向传播 — Briefly describe forward and backward propagation
on a computational graph.

The answer is only a figure. The claim implicit in the question — backward propagation over
the graph (local derivatives multiplied along the edges, summed over paths) yields the
gradient of the output — is checked on the classic graph f = (x + y) · z and on a graph where
a node feeds two paths.
"""
import math

from harness import Exact, Kind, Verdict, claim


def backprop_gives_gradient():
    def forward(x, y, z):
        q = x + y
        return q * z, q

    def backward(x, y, z):
        f, q = forward(x, y, z)
        df_dq, df_dz = z, q                   # local derivatives of the product node
        return df_dq * 1.0, df_dq * 1.0, df_dz  # the sum node passes the gradient through

    def branched(x):                           # x feeds two paths: g = sin(x) * x**2
        return math.sin(x) * x ** 2

    def branched_backward(x):
        a, b = math.sin(x), x ** 2
        return b * math.cos(x) + a * 2 * x     # sum over the two paths

    h, worst = 1e-6, 0.0
    for x, y, z in [(-2.0, 5.0, -4.0), (0.3, -1.7, 2.2), (1.0, 1.0, 1.0)]:
        grads = backward(x, y, z)
        for k, g in enumerate(grads):
            p = [x, y, z]
            p[k] += h
            up = forward(*p)[0]
            p[k] -= 2 * h
            down = forward(*p)[0]
            worst = max(worst, abs(g - (up - down) / (2 * h)))
        numeric = (branched(x + h) - branched(x - h)) / (2 * h)
        worst = max(worst, abs(branched_backward(x) - numeric))
    assert worst < 1e-6, worst
    return True, f"max |backprop - central difference| = {worst:.1e}"


claim("Q62.1", quote="计算流图的前向和反向传播",
      statement="On a computational graph, a forward pass computes the values node by node and a "
                "backward pass (local derivatives multiplied along edges, summed over paths) "
                "yields the gradient of the output with respect to every input.",
      kind=Kind.EXACT, check=Exact(backprop_gives_gradient,
                                   method="hand-written backward pass vs central finite "
                                          "differences on f=(x+y)z and a branching graph"),
      expect=Verdict.SUPPORTED,
      note="The seed answers only with a figure (前向和反向传播.png); this is the claim the "
           "question presupposes.")
