"""Q65. 神经网络中会用到批量梯度下降（BGD）吗？为什么用随机梯度下降（SGD）?
— Is batch gradient descent (BGD) used for neural networks? Why use SGD?
"""
import numpy as np
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from harness import Exact, Kind, Verdict, claim


def full_batch_cost():
    net = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 2))
    flops = {}
    for n in (50, 5000):
        x, y = torch.randn(n, 20), torch.randint(0, 2, (n,))
        with FlopCounterMode(display=False) as counter:
            nn.functional.cross_entropy(net(x), y).backward()
        flops[n] = counter.get_total_flops()
    assert flops[5000] == 100 * flops[50]
    return True, f"FLOPs of one update: batch 50 {flops[50]:,}, all 5,000 rows {flops[5000]:,}"


def minibatch_gradient_nonzero_at_minimum():
    """Least squares at its exact minimiser: the full-batch gradient is 0, mini-batch gradients
    are not."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1000, 5))
    y = X @ rng.normal(size=5) + rng.normal(size=1000)
    w = np.linalg.lstsq(X, y, rcond=None)[0]
    full = np.linalg.norm(X.T @ (X @ w - y) / len(y))
    mini = [np.linalg.norm(X[i].T @ (X[i] @ w - y[i]) / len(i))
            for i in np.split(rng.permutation(1000), np.arange(32, 1000, 32))]
    assert full < 1e-12 and min(mini) > 1e-3, (full, min(mini))
    return True, f"|full gradient| = {full:.1e}; mini-batch (32) gradient norms {min(mini):.2f}-{max(mini):.2f}"


claim("Q65.1", quote="一般不用 BGD",
      statement="Full-batch gradient descent is generally not used for neural networks.",
      kind=Kind.HISTORICAL, reason="a statement about practice; no data on usage here")
claim("Q65.2", quote="BGD 每次需要用到全量数据，计算量太大",
      statement="Each BGD update uses all the data, so one update costs N/B times a mini-batch "
                "update.", kind=Kind.EXACT,
      check=Exact(full_batch_cost, method="torch FlopCounterMode: one update on 50 vs 5,000 rows"),
      expect=Verdict.SUPPORTED,
      note="'Too much' is a judgement; what is checked is that the cost per update grows "
           "linearly with the data used.")
claim("Q65.3", quote="即便陷入局部极小，梯度也可能不为 0",
      statement="At a minimum of the full loss the stochastic (mini-batch) gradient is "
                "generally not zero.", kind=Kind.EXACT,
      check=Exact(minibatch_gradient_nonzero_at_minimum,
                  method="least squares at its exact minimiser: full vs mini-batch gradients"),
      expect=Verdict.SUPPORTED,
      note="Shown at a (global) minimum of a convex problem; the same holds at any minimum of "
           "an average of per-example losses whose per-example gradients do not all vanish.")
claim("Q65.4", quote="这样就有机会跳出局部极小继续搜索",
      statement="SGD's noise lets it escape local minima that full-batch descent stays in.",
      kind=Kind.EMPIRICAL,
      note="Pending: needs a task with a known poor local minimum and an escape-rate comparison "
           "of SGD vs GD at the same learning rate.")
claim("Q65.5", quote="但也可能跳出全局最小",
      statement="The same noise can also move SGD out of the global minimum.",
      kind=Kind.EMPIRICAL, note="Pending (same experiment as Q65.4).")
claim("Q65.6", quote="多组参数初始化、使用模拟退火技术",
      statement="Other ways to deal with local minima: several random initialisations, "
                "simulated annealing.", kind=Kind.OPINION,
      reason="lists methods; advice rather than a measurable statement")
