"""Q65. 神经网络中会用到批量梯度下降（BGD）吗？为什么用随机梯度下降（SGD）?
-- Is batch gradient descent (BGD) used for neural networks? Why use SGD?

Source: 2b is Zhou Zhihua's Machine Learning (2016), §5.4, nearly word for word
(references/zhou2016machine.toml). The cost of an update and the non-zero stochastic gradient at
a minimum are checked exactly; escaping local minima empirically on XOR
(experiments/q41_dynamics.py ``minibatch``); the possibility of leaving the global minimum by an
explicit example.
"""

import numpy as np
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from experiments import q41_dynamics as q41
from harness import Compare, Empirical, Kind, Verdict, cites, claim, departure, exact

MB = q41.minibatch()

# Declared before any run.
ESCAPE = 0.05  # "a chance to escape": one more run in twenty solves XOR
RESTART = 0.1  # several initialisations help: the best of 4 solves in at least 10 % more groups

departure(
    65,
    "Answer 2b is Zhou Zhihua's §5.4 on escaping local minima, nearly word for word "
    "and unattributed; Zhou adds that these techniques are heuristics without "
    "theoretical guarantees.",
    source="zhou2016machine §5.4",
    claims=("Q65.3", "Q65.4", "Q65.6", "Q65.7"),
)

claim(
    "Q65.1",
    quote="一般不用 BGD",
    kind=Kind.HISTORICAL,
    statement="Full-batch gradient descent is generally not used for neural networks.",
    reason="a statement about practice; no usage data here",
)


@exact(
    "Q65.2",
    quote="BGD 每次需要用到全量数据，计算量太大",
    statement="Each BGD update uses all the data, so one update costs N/B times a "
    "mini-batch update.",
    method="torch FlopCounterMode: forward and backward of one update on 50 rows against all 5,000",
    note="'Too much' is a judgement; what is checked is that the cost of an update grows "
    "linearly with the rows it uses.",
)
def full_batch_cost():
    net = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 2))
    flops = {}
    for n in (50, 5000):
        x, y = torch.randn(n, 20), torch.randint(0, 2, (n,))
        with FlopCounterMode(display=False) as counter:
            nn.functional.cross_entropy(net(x), y).backward()
        flops[n] = counter.get_total_flops()
    assert flops[5000] == 100 * flops[50], flops
    return f"FLOPs of one update: 50 rows {flops[50]:,}, all 5,000 rows {flops[5000]:,}"


@exact(
    "Q65.3",
    quote="即便陷入局部极小，梯度也可能不为 0",
    statement="Where the full loss has a minimum (zero gradient), the stochastic (mini-batch) "
    "gradient is generally not zero.",
    method="least squares at its exact minimiser: the full-batch gradient against the "
    "gradients of 31 mini-batches of 32 rows",
    note="Shown at the (global) minimum of a convex problem; the same holds at any minimum "
    "of an average of per-example losses whose gradients there do not all vanish.",
)
def minibatch_gradient_nonzero_at_minimum():
    g = np.random.default_rng(0)
    x = g.normal(size=(1000, 5))
    y = x @ g.normal(size=5) + g.normal(size=1000)
    w = np.linalg.lstsq(x, y, rcond=None)[0]
    full = np.linalg.norm(x.T @ (x @ w - y) / len(y))
    mini = [
        np.linalg.norm(x[i].T @ (x[i] @ w - y[i]) / len(i))
        for i in np.split(g.permutation(1000), np.arange(32, 1000, 32))
    ]
    assert full < 1e-12 and min(mini) > 1e-3, (full, min(mini))
    return (
        f"|full gradient| = {full:.1e}; mini-batch gradient norms {min(mini):.2f}-{max(mini):.2f}"
    )


claim(
    "Q65.4",
    quote="这样就有机会跳出局部极小继续搜索",
    kind=Kind.EMPIRICAL,
    statement=f"The stochastic gradient lets SGD escape local minima that full-batch descent "
    f"stays in: on XOR with a 2-2-1 sigmoid network, SGD with one row per step "
    f"solves the task from at least {ESCAPE} more initialisations than full-batch "
    f"gradient descent.",
    check=Empirical(
        MB, Compare(q41.SOLVED.at(arm="b1"), q41.SOLVED.at(arm="full"), min_effect=ESCAPE)
    ),
    note="q41_dynamics.minibatch: 16 initialisations per seed, the same in both arms; each "
    "arm at its pilot-tuned rate (0.3 both), 2,000 steps. A 'chance' to escape is read "
    "as: it happens measurably more often than without the noise. Observed: one-row SGD "
    "solves XOR from FEWER initialisations (-0.085 [-0.15, -0.02]); its noise knocks "
    "runs out of good basins as often as out of bad ones (cf. Q65.5).",
    expect=Verdict.REFUTED,
)


def _double_well(w, a=0.0):
    """Per-example loss (w² - 1)² + 0.3 w + a·w; the full loss (a averaged to 0) has its
    global minimum near w = -1.04 and a worse local minimum near w = 0.96."""
    return (w * w - 1) ** 2 + 0.3 * w + a * w


@exact(
    "Q65.5",
    quote="但也可能跳出全局最小",
    statement="SGD may also jump out of the global minimum: on a loss that is an average of "
    "per-example losses, SGD started at the global minimum can end in a worse "
    "local minimum.",
    method="two examples with losses (w² - 1)² + 0.3w ± 3w (mean: a tilted double well); SGD "
    "with one example per step, lr 0.05, from the global minimiser: k draws of the "
    "same example (the smallest k that works), then 400 alternating draws",
    note="An existence example (the claim is a possibility): the sequence has probability "
    "2^-k under uniform sampling; how often it happens in networks depends on the "
    "learning rate and the noise.",
)
def sgd_can_leave_global_minimum():
    grid = np.linspace(-2, 2, 400001)
    full = _double_well(grid)
    w_global = grid[np.argmin(full)]
    right = grid > 0.3
    w_local = grid[right][np.argmin(full[right])]
    grad = lambda w, a: 4 * w * (w * w - 1) + 0.3 + a  # noqa: E731

    def run(k):
        w = w_global
        for a in [-3.0] * k + [3.0, -3.0] * 200:
            w -= 0.05 * grad(w, a)
        return w

    ends = {k: run(k) for k in range(1, 41)}
    left = [k for k, w in ends.items() if abs(w - w_local) < 0.2]
    assert left, "no run of up to 40 equal draws moves SGD out of the global minimum's basin"
    k, w = left[0], ends[left[0]]
    assert _double_well(w) > _double_well(w_global) + 0.3
    return (
        f"global minimum w = {w_global:.2f} (loss {_double_well(w_global):.2f}); after {k} "
        f"equal draws SGD ends at w = {w:.2f}, the local minimum at {w_local:.2f} "
        f"(loss {_double_well(w_local):.2f})"
    )


claim(
    "Q65.6",
    quote="还有解决局部极小的方式：多组参数初始化",
    kind=Kind.EMPIRICAL,
    statement=f"Several initialisations are a way to deal with local minima: on XOR, the best "
    f"of 4 full-batch runs from different initialisations solves the task at least "
    f"{RESTART} more often than a single run.",
    check=Empirical(
        MB, Compare(q41.SOLVED_BEST.at(arm="full"), q41.SOLVED.at(arm="full"), min_effect=RESTART)
    ),
    note="minibatch: the 16 initialisations of a seed form 4 groups of 4.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q65.7",
    quote="使用模拟退火技术",
    kind=Kind.CITATION,
    statement="Simulated annealing is another way to deal with local minima.",
    check=cites("zhou2016machine", "escape-strategies"),
    note="Zhou: annealing accepts a worse solution with a probability that falls over time, "
    "which helps to jump out of local minima.",
    expect=Verdict.SUPPORTED,
)
