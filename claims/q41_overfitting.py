"""Q41. 请简述应当从哪些方向上思考和解决深度学习中出现的的over fitting问题？
— Outline the directions from which to think about and solve overfitting in deep learning.

The answer first lists five things to get right when training goes badly (loss, mini-batch
size, activation, learning rate, momentum), then four remedies for overfitting. Mechanisms
stated as facts are checked exactly where they can be (non-convexity, sigmoid slopes, dropout,
weight decay) and by small experiments (experiments.training_dynamics) where they are
empirical.
"""
import math

import numpy as np
import torch
from hypothesis import given, settings, strategies as st
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from experiments import training_dynamics as td
from harness import Compare, Empirical, Exact, Kind, Trend, Verdict, claim

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


def zero(trials):
    """0"""
    return np.zeros(len(trials))


# ------------------------------------------------------------------------- exact checks
def nonconvex_loss():
    """f(x; a, b) = a·tanh(b·x) fitted to y = tanh(x): (a, b) = (1, 1) and (-1, -1) both have
    zero loss, their midpoint (0, 0) a positive one: the loss is not convex in the weights."""
    x = np.linspace(-2, 2, 41)
    loss = lambda a, b: float(np.mean((a * np.tanh(b * x) - np.tanh(x)) ** 2))
    l1, l2, mid = loss(1, 1), loss(-1, -1), loss(0, 0)
    assert mid > (l1 + l2) / 2
    return True, f"L(1,1) = {l1:g}, L(-1,-1) = {l2:g}, L(0,0) = {mid:.3f} > their mean"


def several_minima():
    """The two zero-loss points are separated: along the straight path between them the loss
    rises, so they are distinct minima (in different basins)."""
    x = np.linspace(-2, 2, 41)
    path = [float(np.mean((t * np.tanh(t * x) - np.tanh(x)) ** 2)) for t in np.linspace(-1, 1, 41)]
    assert path[0] < 1e-12 and path[-1] < 1e-12 and max(path) > 0.1
    return True, f"loss 0 at both ends, max {max(path):.3f} between"


def squared_loss_more_rugged():
    """Claim: cross-entropy is 'bumpier' than squared loss. Checked at the output: as a function
    of the logit z of a sigmoid output, CE(z) = -log σ(z) (target 1) is convex, while the
    squared loss (σ(z) - 1)² is not (its second derivative changes sign)."""
    z = np.linspace(-8, 8, 2001)
    s = 1 / (1 + np.exp(-z))
    d2_ce = s * (1 - s)                                   # d²/dz² of -log σ(z)
    d2_sq = np.gradient(np.gradient((s - 1) ** 2, z), z)  # numerically
    ce_convex = bool(np.all(d2_ce >= 0))
    sq_convex = bool(np.all(d2_sq >= -1e-9))
    assert not (ce_convex and not sq_convex), \
        "cross-entropy is convex in the logit and squared loss is not: CE is the smoother one"


def minibatch_less_compute():
    net = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 2))
    flops = {}
    for b in (64, 6400):
        x, y = torch.randn(b, 20), torch.randint(0, 2, (b,))
        with FlopCounterMode(display=False) as counter:
            nn.functional.cross_entropy(net(x), y).backward()
        flops[b] = counter.get_total_flops()
    assert flops[6400] == 100 * flops[64], flops
    return True, f"FLOPs per update: batch 64 {flops[64]:,}, full batch 6400 {flops[6400]:,}"


def sigmoid(x):
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def sigmoid_smooth():
    @SETTINGS
    @given(st.floats(-30, 30))
    def prop(x):
        h = 1e-5
        numeric = (sigmoid(x + h) - sigmoid(x - h)) / (2 * h)
        assert abs(numeric - sigmoid(x) * (1 - sigmoid(x))) < 1e-8
    prop()


def sigmoid_nonlinear():
    @SETTINGS
    @given(st.floats(-5, 5), st.floats(-5, 5))
    def prop(a, b):
        if abs(a) > 0.1 and abs(b) > 0.1:   # additivity f(a+b)-f(0) = (f(a)-f(0)) + (f(b)-f(0)) fails
            assert abs((sigmoid(a + b) - 0.5) - (sigmoid(a) - 0.5) - (sigmoid(b) - 0.5)) > 1e-6
    prop()


def sigmoid_flat_tails():
    slopes = {x: sigmoid(x) * (1 - sigmoid(x)) for x in (0, 5, 10)}
    assert slopes[10] < 1e-4 < slopes[5] < slopes[0] == 0.25
    return True, "slope 0.25 at 0, %.1e at 5, %.1e at 10" % (slopes[5], slopes[10])


def relu_nonlinear_simple():
    relu = torch.relu
    x = torch.tensor([-1.0, 1.0])
    assert relu(x).sum() != relu(x.sum())          # not additive
    assert torch.equal(relu(x), torch.clamp(x, min=0))  # a single comparison
    return True, "relu(-1) + relu(1) = 1 != relu(0) = 0; relu(x) = max(x, 0)"


def weight_decay_late_slowdown():
    """torch.optim.SGD with weight_decay: is the update for the same weights and gradient
    smaller late in training than early? (It is not: w <- w - lr (g + λ w) at every step.)"""
    w = nn.Parameter(torch.tensor([2.0, -1.0]))
    opt = torch.optim.SGD([w], lr=0.1, weight_decay=0.01)
    steps = {}
    for t in range(1, 201):
        with torch.no_grad():
            w.copy_(torch.tensor([2.0, -1.0]))
        w.grad = torch.tensor([0.5, 0.5])
        before = w.detach().clone()
        opt.step()
        steps[t] = (w.detach() - before).norm().item()
    assert steps[200] < steps[1] * 0.99, \
        f"update at step 1 {steps[1]:.6f}, at step 200 {steps[200]:.6f}: weight decay " \
        "shrinks the weights by a constant factor every step; it does not slow descent late"


def dropout_probability():
    p, n = 0.3, 200_000
    drop = nn.Dropout(p)
    drop.train()
    with torch.random.fork_rng():     # nn.Dropout draws from the global generator
        torch.manual_seed(0)
        out = drop(torch.ones(n))
    frac = (out == 0).float().mean().item()
    se = math.sqrt(p * (1 - p) / n)
    assert abs(frac - p) < 5 * se, frac
    assert torch.allclose(out[out != 0], torch.tensor(1 / (1 - p)))
    return True, f"zeroed fraction {frac:.4f} (p = {p}); kept units scaled by 1/(1-p)"


def dropout_different_nets():
    drop = nn.Dropout(0.5)
    drop.train()
    with torch.random.fork_rng():
        torch.manual_seed(1)
        a, b = drop(torch.ones(1000)), drop(torch.ones(1000))
    assert not torch.equal(a == 0, b == 0)
    return True, f"two passes share {(a.eq(0) == b.eq(0)).float().mean():.2f} of their mask"


def dropout_average_is_eval_net():
    """Exact for one linear layer: averaging the outputs of all 2^n thinned networks (inverted
    dropout, keep prob q) gives the eval-mode network's output."""
    rng = np.random.default_rng(0)
    n, q = 8, 0.6
    W, x = rng.normal(size=(3, n)), rng.normal(size=n)
    avg = np.zeros(3)
    for bits in range(2 ** n):
        m = np.array([(bits >> i) & 1 for i in range(n)], float)
        prob = np.prod(np.where(m == 1, q, 1 - q))
        avg += prob * (W @ (m * x / q))
    assert np.allclose(avg, W @ x, atol=1e-12)
    return True, "the weighted average over all 256 thinned networks equals W·x exactly"


def log_jitter(trials):
    """log10 loss jitter at batch 1, 8, 64"""
    return np.log10(np.stack([trials[f"jitter_{b}"] for b in (1, 8, 64)], axis=1))


GRAD = td.gradient_flow()
LR = td.lr_sweep()
BATCH = td.batch_noise()
WELL = td.double_well()
FAIR_GRAD = ("gradient_flow: a 10-layer, 32-wide MLP, Glorot-normal init for every activation, "
             "one batch of 64 Gaussian inputs, MSE to a teacher; first vs last hidden layer's "
             "weight-gradient norms at initialisation. The same init for both activations, as a "
             "practitioner switching activation would use; effect required: one decade.")

# ------------------------------------------------------------------------- the claims
claim("Q41.1", quote="如果模型的训练效果不好，可先考察以下几个方面是否有可以优化的地方",
      statement="When training goes badly, first examine the following aspects.",
      kind=Kind.OPINION, reason="advice, not a factual statement",
      note="The question asks about overfitting, but the first five points are about poor "
           "training (optimisation), not overfitting.")
claim("Q41.2", quote="选择合适的损失函数（choosing proper loss ）",
      statement="Choose a suitable loss function.", kind=Kind.OPINION, reason="advice")
claim("Q41.3", quote="神经网络的损失函数是非凸的",
      statement="A neural network's loss is a non-convex function of its weights.",
      kind=Kind.EXACT, check=Exact(nonconvex_loss, method="counterexample via the sign symmetry "
                                   "of a one-unit tanh net"),
      expect=Verdict.SUPPORTED,
      note="True for networks with a hidden layer (hidden-unit symmetries alone break "
           "convexity); a network without hidden layers and a convex loss is convex.")
claim("Q41.4", quote="有多个局部最低点",
      statement="The loss has several minima, in separate basins.",
      kind=Kind.EXACT, check=Exact(several_minima, method="loss along the path between two "
                                   "symmetric zero-loss weight settings"),
      expect=Verdict.SUPPORTED,
      note="The example's minima are both global (symmetric copies); that networks also have "
           "strictly worse local minima is true in general but not shown by this check.")
claim("Q41.5", quote="目标是找到一个可用的最低点",
      statement="The goal is to find a usable (good enough) minimum.", kind=Kind.OPINION,
      reason="states a goal, not a fact")
claim("Q41.6", quote="不同的损失函数凹凸起伏的程度不同",
      statement="Different losses give landscapes of different ruggedness.", kind=Kind.EMPIRICAL,
      note="'Ruggedness' is not defined in the text; the specific comparison is Q41.7. Pending.")
claim("Q41.7", quote="平方损失和交叉熵损失，后者起伏更大",
      statement="Cross-entropy is more rugged (less convex) than squared loss; tested at the "
                "output: as functions of the logit of a sigmoid output, is CE the non-convex one?",
      kind=Kind.EXACT, check=Exact(squared_loss_more_rugged,
                                   method="second derivatives in the logit over [-8, 8]"),
      expect=Verdict.REFUTED,
      note="The opposite holds where it can be checked exactly: -log σ(z) is convex in z, "
           "(σ(z)-1)² is not (flat, saturated regions where gradients vanish). The seed may "
           "mean that CE has larger gradients (it does, when wrong); as written it is false.")
claim("Q41.8", quote="后者更容易找到一个可用的最低点",
      statement="Training with cross-entropy reaches a good minimum more easily than with "
                "squared loss.", kind=Kind.EMPIRICAL,
      note="Q50 (loss functions) compares the losses on the notebook's task; a dedicated "
           "classification experiment is pending here.")
claim("Q41.9", quote="选择合适的 Mini-batch size",
      statement="Choose a suitable mini-batch size.", kind=Kind.OPINION, reason="advice")
claim("Q41.10", quote="一方面可以减少计算量",
      statement="A mini-batch update costs less computation than a full-batch one: FLOPs per "
                "update scale with the batch size.",
      kind=Kind.EXACT, check=Exact(minibatch_less_compute, method="torch FlopCounterMode, "
                                   "forward+backward of an MLP, batch 64 vs 6400"),
      expect=Verdict.SUPPORTED,
      note="Per update. Per epoch the computation is the same.")
claim("Q41.11", quote="一方面有助于跳出局部最优点",
      statement="Mini-batch noise helps escape local optima (compared with full-batch descent).",
      kind=Kind.EMPIRICAL, note="Pending: needs a non-convex task with a known poor local "
                                "minimum; see also Q65.4.")
claim("Q41.12", quote="因此要使用 Mini-batch",
      statement="Therefore mini-batches should be used.", kind=Kind.OPINION, reason="advice")
claim("Q41.13", quote="batch 的选择非常重要",
      statement="The choice of batch size is very important.", kind=Kind.OPINION,
      reason="a judgement")
claim("Q41.14", quote="batch 取太大会陷入局部最小值",
      statement="Too large a batch gets stuck in local minima.", kind=Kind.EMPIRICAL,
      note="Pending (same experiment as Q41.11 would be needed).")
claim("Q41.15", quote="batch 取太小会抖动厉害",
      statement="Smaller batches make the training loss jitter more: at the same learning rate "
                "and number of steps, the step-to-step fluctuation of the full training loss "
                "falls as the batch grows 1 -> 8 -> 64.",
      kind=Kind.EMPIRICAL,
      check=Empirical(BATCH, Trend(log_jitter, levels=(1, 8, 64), direction="decreasing",
                                   min_effect=0.3), max_seeds=10),
      expect=Verdict.SUPPORTED,
      note="batch_noise: one tanh hidden layer (32), two Gaussian classes (256 rows, 10-d), SGD "
           "lr 0.3, 300 steps; jitter = std of the change of the full training loss over the "
           "last 100 steps, in log10; smallest effect: a factor 2 from batch 1 to 64. Same lr "
           "and steps for every batch, so only the gradient noise differs: a fair test.")
claim("Q41.16", quote="使用激活函数把卷积层输出结果做非线性映射",
      statement="Activation functions map the convolution outputs non-linearly.",
      kind=Kind.DEFINITIONAL, reason="describes the role of activations")
claim("Q41.17", quote="但是要选择合适的激活函数",
      statement="The activation function must be chosen well.", kind=Kind.OPINION,
      reason="advice")
claim("Q41.18", quote="Sigmoid 函数是一个平滑函数，且具有连续性和可微性",
      statement="The sigmoid is smooth, continuous and differentiable, with σ' = σ(1-σ).",
      kind=Kind.EXACT, check=Exact(sigmoid_smooth, method="hypothesis: central differences vs "
                                   "σ(1-σ) at 200 points in [-30, 30]"),
      expect=Verdict.SUPPORTED)
claim("Q41.19", quote="它的最大优点就是非线性",
      statement="The sigmoid is non-linear (not additive).",
      kind=Kind.EXACT, check=Exact(sigmoid_nonlinear, method="hypothesis: additivity fails"),
      expect=Verdict.SUPPORTED, note="That non-linearity is its 'biggest advantage' is Q41.20.")
claim("Q41.20", quote="最大优点",
      statement="Non-linearity is the sigmoid's biggest advantage.", kind=Kind.OPINION,
      reason="a judgement")
claim("Q41.21", quote="该函数的两端很缓",
      statement="The sigmoid is flat at both ends: its slope, 0.25 at 0, falls below 1e-4 by "
                "abs(x) = 10.",
      kind=Kind.EXACT, check=Exact(sigmoid_flat_tails, method="σ'(x) at 0, 5, 10"),
      expect=Verdict.SUPPORTED)
claim("Q41.22", quote="易发生学不动的情况，产生梯度弥散",
      statement="Deep sigmoid networks suffer vanishing gradients: at initialisation the first "
                "hidden layer's gradient is at least ten times smaller than the last one's.",
      kind=Kind.EMPIRICAL,
      check=Empirical(GRAD, Compare("logratio_sigmoid", zero, alternative="less",
                                    min_effect=1.0)),
      expect=Verdict.SUPPORTED, note=FAIR_GRAD)
claim("Q41.23", quote="ReLU 函数是如今设计神经网络时使用最广泛的激活函数",
      statement="ReLU is the most widely used activation function today.", kind=Kind.HISTORICAL,
      reason="a statement about practice in the field; no data here to count usage")
claim("Q41.24", quote="该函数为非线性映射，且简单",
      statement="ReLU is non-linear and simple (a single comparison with 0).",
      kind=Kind.EXACT, check=Exact(relu_nonlinear_simple, method="additivity fails; max(x, 0)"),
      expect=Verdict.SUPPORTED)
claim("Q41.25", quote="可缓解梯度弥散",
      statement="ReLU alleviates vanishing gradients: in the same deep net, the first/last layer "
                "gradient ratio is at least a decade closer to 1 with ReLU than with sigmoid.",
      kind=Kind.EMPIRICAL,
      check=Empirical(GRAD, Compare("logratio_relu", "logratio_sigmoid", min_effect=1.0)),
      expect=Verdict.SUPPORTED, note=FAIR_GRAD)
claim("Q41.26", quote="选择合适的自适应学习率",
      statement="Choose a suitable (adaptive) learning rate.", kind=Kind.OPINION,
      reason="advice")
LR_NOTE = ("lr_sweep: full-batch GD, one tanh hidden layer (32), two Gaussian classes (256 rows, "
           "10-d), cross-entropy, 200 steps, learning rates 0.01 / 0.3 / 30 fixed in advance "
           "(30 = 100x a working rate as 'too large', 0.01 = 30x smaller as 'too small'); the "
           "same data and initial weights for every rate.")
claim("Q41.27", quote="学习率过大，会抖动厉害",
      statement="With too large a learning rate (100x a working one) the training loss "
                "oscillates: a larger fraction of steps (by 0.05 at least) increase the loss.",
      kind=Kind.EMPIRICAL,
      check=Empirical(LR, Compare("ups_30", "ups_0.3", min_effect=0.05), max_seeds=10),
      expect=Verdict.INCONCLUSIVE,
      note=LR_NOTE + " Observed: mean difference 0.20 of the steps [0.12, 0.32], above the "
           "0.05 margin, but at the 10-seed cap it does not clear the multiplicity-adjusted "
           "threshold when run with the other claims (it did when Q41 ran alone).")
claim("Q41.28", quote="导致没有优化提升",
      statement="With too large a learning rate (100x a working one) training makes no "
                "progress: the final training loss is higher than with the working rate.",
      kind=Kind.EMPIRICAL,
      check=Empirical(LR, Compare("final_30", "final_0.3", min_effect=0.0), max_seeds=10),
      expect=Verdict.INCONCLUSIVE,
      note=LR_NOTE + " Observed over 10 seeds: lr 30 oscillates (Q41.27) but its final loss is "
           "sometimes near 0 and sometimes higher than lr 0.3's; the mean difference is not "
           "significant either way. 'Too large' is relative: some larger rate would diverge.")
claim("Q41.29", quote="学习率太小，下降太慢，训练会很慢",
      statement="With too small a learning rate the loss falls too slowly: after the same steps "
                "the training loss is higher (by 0.02 at least) than with a working rate.",
      kind=Kind.EMPIRICAL,
      check=Empirical(LR, Compare("final_0.01", "final_0.3", min_effect=0.02), max_seeds=10),
      expect=Verdict.SUPPORTED, note=LR_NOTE)
claim("Q41.30", quote="在梯度的基础上使用动量，有助于冲出局部最低点",
      statement="Momentum helps escape a shallow local minimum: on a tilted double well, heavy-"
                "ball descent (β = 0.9) started in the local basin reaches the global basin more "
                "often (by 0.2 at least) than plain gradient descent.",
      kind=Kind.EMPIRICAL,
      check=Empirical(WELL, Compare("escape_momentum", "escape_plain", min_effect=0.2)),
      expect=Verdict.SUPPORTED,
      note="double_well: f(x) = x⁴/4 - x²/2 + 0.2x, lr 0.05, 400 steps, 100 starts per seed "
           "uniform on [1.2, 2.2]. A 1-D illustration of the mechanism (the accumulated velocity "
           "carries over the barrier); plain GD with a small step is a descent method and cannot "
           "cross a barrier. It shows that momentum can escape, not how often it does in real "
           "networks, and momentum can equally leave a good minimum.")
claim("Q41.31", quote="如果以上五部分都选对了，效果还不好，那就是产生过拟合了",
      statement="If the five aspects above are right and results are still poor, the problem is "
                "overfitting.", kind=Kind.OPINION,
      reason="a diagnostic rule of thumb; no experiment decides it in general",
      note="Not true in general: poor results can also come from too small a model "
           "(underfitting), bad data or label noise; overfitting is diagnosed by a gap between "
           "training and validation error.")
claim("Q41.32", quote="早停法将数据分成训练集和验证集",
      statement="Early stopping splits the data into a training and a validation set.",
      kind=Kind.DEFINITIONAL, reason="describes the method")
claim("Q41.33", quote="训练集用来计算梯度、更新权重和阈值，验证集用来估计误差",
      statement="The training set computes gradients and updates weights and thresholds "
                "(biases); the validation set estimates the error.", kind=Kind.DEFINITIONAL,
      reason="describes the method")
claim("Q41.34", quote="若训练集误差降低但验证集误差升高，则停止训练",
      statement="Training stops when the training error falls but the validation error rises.",
      kind=Kind.DEFINITIONAL, reason="describes the method")
claim("Q41.35", quote="同时返回具有最小验证集误差的连接权和阈值",
      statement="Early stopping returns the weights and biases with the lowest validation error.",
      kind=Kind.DEFINITIONAL, reason="describes the method")
claim("Q41.36", quote="到训练的后期，通过衰减因子使权重的梯度下降地越来越缓",
      statement="Weight decay makes gradient descent on the weights slower and slower late in "
                "training, through a decay factor.",
      kind=Kind.EXACT, check=Exact(weight_decay_late_slowdown,
                                   method="torch.optim.SGD(weight_decay): size of the update for "
                                          "the same weights and gradient at step 1 and step 200"),
      expect=Verdict.REFUTED,
      note="Describes learning-rate decay, not weight decay. Weight decay adds λw to the "
           "gradient (w <- (1 - ηλ)w - ηg): it shrinks the weights by the same factor at every "
           "step, early or late, and is a regulariser (an L2 penalty), not a schedule.")
claim("Q41.37", quote="Dropout 是正则化的一种处理",
      statement="Dropout is a form of regularisation.", kind=Kind.DEFINITIONAL,
      reason="classifies the method")
claim("Q41.38", quote="以一定的概率关闭神经元的通路",
      statement="Dropout switches off each unit with a fixed probability p (training mode).",
      kind=Kind.EXACT, check=Exact(dropout_probability, method="torch.nn.Dropout(0.3) on 200,000 "
                                   "units: zero fraction within 5 standard errors of p"),
      expect=Verdict.SUPPORTED,
      note="PyTorch (inverted dropout) also scales the kept units by 1/(1-p).")
claim("Q41.39", quote="由于每次关闭的神经元不同，从而得到不同的网路模型",
      statement="Each pass switches off different units, giving a different thinned network.",
      kind=Kind.EXACT, check=Exact(dropout_different_nets, method="two training-mode passes "
                                   "have different masks"),
      expect=Verdict.SUPPORTED)
claim("Q41.40", quote="最终对这些模型进行融合",
      statement="The thinned networks are combined at test time: for one linear layer the "
                "eval-mode network equals the average of all thinned networks exactly.",
      kind=Kind.EXACT, check=Exact(dropout_average_is_eval_net,
                                   method="enumerate all 2^8 masks of a linear layer"),
      expect=Verdict.SUPPORTED,
      note="Exact only for a linear layer; for a deep non-linear net the weight-scaling rule is "
           "an approximation of the ensemble average.")
claim("Q41.41", quote="调整网络结构（Network Structure）",
      statement="Adjusting the network structure helps against overfitting.", kind=Kind.OPINION,
      reason="advice without a specific, checkable content")
