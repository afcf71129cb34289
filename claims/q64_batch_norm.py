"""Q64. 请写出 Batch Normalization 的计算方法及其应用 — Write down how Batch Normalization is
computed and what it is used for.

The BN algorithm is checked against torch.nn.BatchNorm1d (training mode) and its backward pass
against autograd; the arithmetic of the tanh and sigmoid examples exactly; the 0.25^n argument
on chains of sigmoid units with autograd; the empirical statements (BN speeds up training,
reduces vanishing/exploding gradients, shallow layers learn slowly) with the small experiments
of experiments.training_dynamics.
"""
import math

import numpy as np
import torch
from hypothesis import given, settings, strategies as st
from torch import nn

from experiments import training_dynamics as td
from harness import AllOf, Compare, Empirical, Exact, Kind, Verdict, claim

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)
FAST = settings(max_examples=50, deadline=None, derandomize=True)
batches = st.tuples(st.integers(2, 32), st.integers(1, 6), st.integers(0, 10_000))


def _batch(m, d, seed, scale=3.0):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(m, d, generator=g, dtype=torch.float64) * scale
            + torch.randn(d, generator=g, dtype=torch.float64) * 5)


def zero(trials):
    """0"""
    return np.zeros(len(trials))


def bn_standardises():
    @FAST
    @given(batches)
    def prop(case):
        x = _batch(*case)
        if (x.std(0) < 1e-3).any():
            return
        y = nn.BatchNorm1d(x.shape[1], dtype=torch.float64).train()(x)
        assert torch.allclose(y.mean(0), torch.zeros(x.shape[1], dtype=torch.float64), atol=1e-9)
        v = x.var(0, unbiased=False)           # variance 1 up to eps = 1e-5 in the denominator
        assert torch.allclose(y.var(0, unbiased=False), v / (v + 1e-5), atol=1e-9)
        assert torch.allclose(y.var(0, unbiased=False), torch.ones_like(v), atol=1e-2)
    prop()


def bn_learnable_parameters():
    bn = nn.BatchNorm1d(4)
    params = dict(bn.named_parameters())
    assert sorted(params) == ["bias", "weight"] and all(p.requires_grad for p in params.values())
    assert "running_mean" in dict(bn.named_buffers())   # statistics are buffers, not learned
    return True, "learnable: weight (γ) and bias (β); running mean/var are buffers"


def _manual_bn(x, gamma, beta, eps=1e-5):
    mu = x.mean(0)                               # 1. mini-batch mean
    var = ((x - mu) ** 2).mean(0)                # 2. mini-batch variance (biased)
    xhat = (x - mu) / torch.sqrt(var + eps)      # 3. normalise
    return gamma * xhat + beta, xhat, var        # 5. scale and shift


def bn_algorithm():
    @FAST
    @given(batches)
    def prop(case):
        x = _batch(*case)
        g = torch.Generator().manual_seed(case[2] + 1)
        bn = nn.BatchNorm1d(x.shape[1], dtype=torch.float64).train()
        with torch.no_grad():
            bn.weight.copy_(torch.randn(x.shape[1], generator=g, dtype=torch.float64))
            bn.bias.copy_(torch.randn(x.shape[1], generator=g, dtype=torch.float64))
        y, _, _ = _manual_bn(x, bn.weight.detach(), bn.bias.detach())
        assert torch.allclose(bn(x), y, atol=1e-10)
    prop()


def bn_backward_chain_rule():
    @FAST
    @given(batches)
    def prop(case):
        m, d, seed = case
        x = _batch(m, d, seed).requires_grad_()
        g = torch.Generator().manual_seed(seed + 2)
        gamma = torch.randn(d, generator=g, dtype=torch.float64, requires_grad=True)
        beta = torch.randn(d, generator=g, dtype=torch.float64, requires_grad=True)
        dy = torch.randn(m, d, generator=g, dtype=torch.float64)
        y, xhat, var = _manual_bn(x, gamma, beta)
        (y * dy).sum().backward()
        xhat, var = xhat.detach(), var.detach()
        # the paper's backward pass (Ioffe & Szegedy 2015), by the chain rule
        dgamma, dbeta = (dy * xhat).sum(0), dy.sum(0)
        dxhat = dy * gamma.detach()
        dx = (dxhat - dxhat.mean(0) - xhat * (dxhat * xhat).mean(0)) / torch.sqrt(var + 1e-5)
        assert torch.allclose(gamma.grad, dgamma, atol=1e-9)
        assert torch.allclose(beta.grad, dbeta, atol=1e-9)
        assert torch.allclose(x.grad, dx, atol=1e-8)
    prop()


def bn_stable_distribution():
    @FAST
    @given(batches, st.floats(0.01, 100), st.floats(-100, 100))
    def prop(case, a, b):
        x = _batch(*case)
        if (x.std(0) < 1e-3).any():
            return
        bn = nn.BatchNorm1d(x.shape[1], dtype=torch.float64, eps=1e-12).train()
        assert torch.allclose(bn(x), bn(a * x + b), atol=1e-7)
    prop()


def wx_arithmetic():
    assert math.isclose(0.1 * 1, 0.1) and math.isclose(0.1 * 20, 2.0)
    return True, "0.1·1 = 0.1, 0.1·20 = 2"


def tanh_values():
    t1, t2 = math.tanh(0.1), math.tanh(2.0)
    assert abs(t1 - 0.1) / 0.1 < 0.01 and abs(t2 - 1) < 0.04
    return True, f"tanh(0.1) = {t1:.4f}, tanh(2) = {t2:.4f}"


def tanh_saturated():
    slope = lambda x: 0.1 * (1 - math.tanh(0.1 * x) ** 2)     # d tanh(0.1x)/dx
    assert 1 - math.tanh(0.1 * 20) < 0.04                     # every x >= 20 gives > 0.96
    assert slope(20) < 0.1 * slope(1)
    return True, f"sensitivity d tanh(0.1x)/dx: {slope(1):.3f} at x=1, {slope(20):.4f} at x=20"


def normalising_inputs_desaturates():
    x = np.linspace(1, 20, 1000)
    z = (x - x.mean()) / x.std()
    sat = lambda v: float(np.mean(1 - np.tanh(0.1 * v) ** 2 < 0.5))
    assert sat(z) == 0.0 and sat(x) > sat(z)
    # and with a larger weight the raw inputs saturate badly
    return True, f"share with tanh'(0.1x) < 0.5: raw {sat(x):.2f}, standardised {sat(z):.2f}"


def normalising_equalises_train_and_test():
    rng = np.random.default_rng(0)
    train = rng.normal(0, 1, 5000)
    test = rng.exponential(1, 5000) + 1            # a different distribution
    z_train = (train - train.mean()) / train.std()
    z_test_train_stats = (test - train.mean()) / train.std()
    z_test_own_stats = (test - test.mean()) / test.std()
    from scipy.stats import ks_2samp
    d1 = ks_2samp(z_train, z_test_train_stats).statistic
    d2 = ks_2samp(z_train, z_test_own_stats).statistic
    assert max(d1, d2) < 0.05, (f"after normalising, train and test still differ: KS distance "
                                f"{d1:.2f} (train statistics), {d2:.2f} (each its own)")


def sigmoid_range():
    @SETTINGS
    @given(st.floats(-1e6, 1e6))
    def prop(x):
        y = torch.sigmoid(torch.tensor(x, dtype=torch.float64)).item()
        assert 0.0 <= y <= 1.0
    prop()


def sigmoid_output_range_small():
    width = 1.0 - 1 / (1 + math.exp(-5))
    assert width < 0.007
    return True, f"σ maps [5, ∞) into an interval of width {width:.4f}"


def sigmoid_slope_decreases():
    @SETTINGS
    @given(st.floats(0, 30), st.floats(0, 30))
    def prop(a, b):
        s = lambda x: torch.sigmoid(torch.tensor(x, dtype=torch.float64))
        d = lambda x: (s(x) * (1 - s(x))).item()
        if a < b:
            assert d(a) >= d(b) and d(-a) >= d(-b)
    prop()


def slope_scales_weight_gradient():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(5, generator=g, dtype=torch.float64)
    ratios = []
    for scale in (0.1, 1.0, 5.0):
        w = (torch.randn(5, generator=g, dtype=torch.float64) * scale).requires_grad_()
        z = w @ x
        a = torch.sigmoid(z)
        (3.0 * a).backward()                       # dL/da = 3
        slope = (a * (1 - a)).item()
        assert torch.allclose(w.grad, 3.0 * slope * x)
        ratios.append(slope)
    return True, "dL/dw = dL/da · σ'(z) · x; slopes " + ", ".join(f"{r:.3g}" for r in ratios)


def saturated_units_small_gradient():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(64, 8, generator=g, dtype=torch.float64)
    w0 = torch.randn(8, 8, generator=g, dtype=torch.float64) / math.sqrt(8)
    norms = []
    for scale in (1.0, 10.0):
        w = (w0 * scale).requires_grad_()
        torch.sigmoid(x @ w).sum().backward()
        norms.append(w.grad.norm().item())
    assert norms[1] < norms[0]
    return True, f"weight-gradient norm {norms[0]:.2f} (normal) vs {norms[1]:.2f} (10x pre-activations)"


def max_slope_quarter():
    @SETTINGS
    @given(st.floats(-50, 50))
    def prop(x):
        s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
        assert s * (1 - s) <= 0.25 + 1e-15
    prop()
    return True, "σ'(x) <= 0.25 everywhere, = 0.25 at x = 0"


def chain_first_bias_grad(weights, biases, x0=0.5):
    """A chain of scalar sigmoid units a_k = σ(w_k a_{k-1} + b_k), loss = a_n; returns
    (dL/db_1 by autograd, the product formula σ'_1 w_2 σ'_2 ... w_n σ'_n)."""
    b = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in biases]
    a, slopes = torch.tensor(x0, dtype=torch.float64), []
    for w, bk in zip(weights, b):
        a = torch.sigmoid(w * a + bk)
        slopes.append((a * (1 - a)).item())
    a.backward()
    formula = slopes[0]
    for w, s in zip(weights[1:], slopes[1:]):
        formula *= w * s
    return b[0].grad.item(), formula


def cancelling_chain(n, w):
    """Biases chosen so that every pre-activation is 0 (slope 0.25 at every layer)."""
    weights, biases, a = [w] * n, [], 0.5
    for _ in range(n):
        biases.append(-w * a)
        a = 0.5
    return weights, biases


def first_layer_below_quarter_power():
    for n in range(2, 9):
        weights, biases = cancelling_chain(n, 8.0)
        grad, _ = chain_first_bias_grad(weights, biases)
        assert abs(grad) < 0.25 ** n, (f"n = {n}, weights 8: first-layer bias gradient "
                                       f"{grad:.3g} > 0.25^n = {0.25 ** n:.3g}")


def bound_with_small_weights():
    @FAST
    @given(st.integers(1, 10), st.integers(0, 10_000))
    def prop(n, seed):
        rng = np.random.default_rng(seed)
        grad, _ = chain_first_bias_grad(list(rng.uniform(-1, 1, n)), list(rng.normal(0, 2, n)))
        assert abs(grad) <= 0.25 ** n + 1e-18
    prop()


def bias_gradient_formula():
    @FAST
    @given(st.integers(1, 10), st.integers(0, 10_000))
    def prop(n, seed):
        rng = np.random.default_rng(seed)
        grad, formula = chain_first_bias_grad(list(rng.normal(0, 3, n)), list(rng.normal(0, 2, n)))
        assert math.isclose(grad, formula, rel_tol=1e-9, abs_tol=1e-300)
    prop()


def exploding_with_weights_100():
    grads = []
    for n in range(1, 7):
        weights, biases = cancelling_chain(n, 100.0)
        grads.append(chain_first_bias_grad(weights, biases)[0])
    ratios = [b / a for a, b in zip(grads, grads[1:])]
    assert all(math.isclose(r, 25.0, rel_tol=1e-9) for r in ratios), ratios
    return True, "first-layer bias gradient for n = 1..6: " + ", ".join(f"{g:.3g}" for g in grads)


GRAD = td.gradient_flow()
DEEP = td.deep_training()
FAIR_GRAD = ("gradient_flow: 10-layer, 32-wide MLPs at initialisation on a batch of 64 (training-"
             "mode BN after every hidden linear layer in the BN variants); same weights with and "
             "without BN.")

claim("Q64.1", quote="一次性设置（One time setup）",
      statement="The ML workflow has one-time set-up steps: activation functions, data "
                "preprocessing, weight initialisation, regularisation, gradient checking.",
      kind=Kind.DEFINITIONAL, reason="an organisation of topics (after CS231n), not a fact")
claim("Q64.2", quote="正则化（Regularization：避免过拟合的一种技术）",
      statement="Regularisation is a technique to avoid overfitting.", kind=Kind.DEFINITIONAL,
      reason="a definition")
claim("Q64.3", quote="动态训练（Training dynamics）",
      statement="Training dynamics covers babysitting, parameter updates, hyper-parameter "
                "optimisation and batch normalisation.", kind=Kind.DEFINITIONAL,
      reason="an organisation of topics")
claim("Q64.4", quote="解决在训练过程中中间层数据分布发生改变的问题",
      statement="BN solves the problem of the distribution of intermediate layers' inputs "
                "changing during training (internal covariate shift).", kind=Kind.EMPIRICAL,
      note="The BN paper's motivation; later work (Santurkar et al. 2018) found BN's benefit is "
           "not explained by reduced covariate shift. The first two moments of a BN output are "
           "fixed by construction (Q64.29). Pending.")
claim("Q64.5", quote="以防止梯度消失或爆炸",
      statement="BN prevents vanishing and exploding gradients.", kind=Kind.EMPIRICAL,
      check=Empirical(GRAD, AllOf([Compare("logratio_sigmoid_bn", "logratio_sigmoid",
                                           min_effect=1.0),
                                   Compare("loggrad_explode_bn", "loggrad_explode_plain",
                                           alternative="less", min_effect=1.0)],
                                  label="vanishing and exploding")),
      expect=Verdict.SUPPORTED,
      note=FAIR_GRAD + " Vanishing: sigmoid net, first/last layer gradient ratio (log10) closer "
           "to 0 with BN by a decade. Exploding: ReLU net with He init x2 (activations and "
           "gradients grow 2x per layer), log10 of the first layer's gradient norm smaller with "
           "BN by a decade.")
claim("Q64.6", quote="加快训练速度",
      statement="BN speeds up training: after the same number of SGD steps a deep net with BN "
                "has a training loss at least 2x (0.3 decades) lower than without.",
      kind=Kind.EMPIRICAL,
      check=Empirical(DEEP, Compare("loss_plain", "loss_bn", min_effect=0.3), max_seeds=10),
      expect=Verdict.SUPPORTED,
      note="deep_training: 10-layer, 32-wide ReLU MLP with PyTorch's default init, full-batch "
           "SGD lr 0.05, 60 steps, cross-entropy on two Gaussian classes (128 rows); the same "
           "data, initial weights and learning rate with and without BN. One learning rate for "
           "both (not tuned for either); BN may also allow a larger rate, not tested.")
claim("Q64.7", quote="训练多个独立的模型，测试时，取这些模型结果的平均值",
      statement="A model ensemble trains several independent models and averages their outputs "
                "at test time.", kind=Kind.DEFINITIONAL, reason="a definition")
claim("Q64.8", quote="神经网络学习过程本质就是为了学习数据分布",
      statement="Neural network learning is in essence learning the data distribution.",
      kind=Kind.OPINION, reason="a characterisation, not a checkable statement")
claim("Q64.9", quote="一旦训练数据与测试数据的分布不同，那么网络的泛化能力也大大降低",
      statement="When training and test distributions differ, generalisation drops sharply.",
      kind=Kind.EMPIRICAL, note="Depends on the kind and size of the shift. Pending.")
claim("Q64.10", quote="使训练数据与测试数据的分布相同",
      statement="Normalising the inputs makes the training and test distributions the same.",
      kind=Kind.EXACT, check=Exact(normalising_equalises_train_and_test,
                                   method="standardise a Gaussian training set and an "
                                          "exponential test set; KS distance"),
      expect=Verdict.REFUTED,
      note="Normalisation is an affine map: it can match means and variances (when each set "
           "uses its own statistics), not distributions; a shifted test set stays shifted.")
claim("Q64.11", quote="那么这一层网络就需要去适应学习这个新的数据分布",
      statement="When a layer's input distribution changes, the layer has to adapt to it.",
      kind=Kind.EMPIRICAL, note="Pending.")
claim("Q64.12", quote="训练数据的分布一直在发生变化，那么将会影响网络的训练速度",
      statement="Input distributions that keep changing during training slow training down.",
      kind=Kind.EMPIRICAL, note="The internal-covariate-shift hypothesis; disputed (Santurkar "
                                "et al. 2018). Pending.")
claim("Q64.13", quote="为了让训练深度网络简单高效，研究者提出了随机梯度下降法（SGD）",
      statement="SGD was proposed to make training deep networks simple and efficient.",
      kind=Kind.HISTORICAL, reason="a historical statement",
      note="Inaccurate: stochastic approximation dates from Robbins & Monro (1951), long "
           "before deep networks.")
claim("Q64.14", quote="需要我们人为的去选择参数，比如学习率、参数初始化、权重衰减系数、Dropout 比例等",
      statement="SGD requires choosing hyper-parameters by hand: learning rate, initialisation, "
                "weight decay, dropout rate.", kind=Kind.OPINION,
      reason="a description of practice")
claim("Q64.15", quote="这些参数的选择对训练结果至关重要",
      statement="These choices are crucial for the result.", kind=Kind.OPINION,
      reason="a judgement")
claim("Q64.16", quote="`Wx = 0.1 * 20 = 2`",
      statement="With w = 0.1: x = 1 gives wx = 0.1 and x = 20 gives wx = 2.", kind=Kind.EXACT,
      check=Exact(wx_arithmetic, method="arithmetic"), expect=Verdict.SUPPORTED)
claim("Q64.17", quote="`Wx` 的激活值就变成了 `~0.1` 和 `~1`",
      statement="tanh(0.1) ≈ 0.1 (within 1 %) and tanh(2) ≈ 1 (within 0.04).", kind=Kind.EXACT,
      check=Exact(tanh_values, method="evaluate"), expect=Verdict.SUPPORTED)
claim("Q64.18", quote="x 无论再怎么扩大, tanh 激励函数输出值也还是接近1",
      statement="Beyond x = 20 (wx = 2), tanh(wx) stays within 0.04 of 1 however large x is.",
      kind=Kind.EXACT, check=Exact(tanh_saturated, method="evaluate"), expect=Verdict.SUPPORTED)
claim("Q64.19", quote="神经网络在初始阶段已经不对那些比较大的 x 特征范围敏感了",
      statement="The unit is insensitive to large x: d tanh(0.1x)/dx at x = 20 is less than a "
                "tenth of its value at x = 1.", kind=Kind.EXACT,
      check=Exact(tanh_saturated, method="evaluate"), expect=Verdict.SUPPORTED)
claim("Q64.20", quote="让输入值经过激励函数的敏感部分",
      statement="Normalising the inputs keeps pre-activations in the sensitive range: for x "
                "uniform on [1, 20] and w = 0.1, standardising removes every input with "
                "tanh' < 0.5.", kind=Kind.EXACT,
      check=Exact(normalising_inputs_desaturates, method="share of saturated inputs before "
                                                         "and after standardising"),
      expect=Verdict.SUPPORTED)
claim("Q64.21", quote="而且在隐藏层中也经常会发生",
      statement="Saturation also happens often in hidden layers.", kind=Kind.EMPIRICAL,
      note="Pending: would measure the share of saturated hidden units during training.")
claim("Q64.22", quote="我们能不能对隐藏层的输入结果进行像之前那样的 normalization 处理呢? 答案是可以的",
      statement="Hidden-layer inputs can be normalised like the network's inputs.",
      kind=Kind.DEFINITIONAL, reason="introduces the method")
claim("Q64.23", quote="Batch Normalization 由 Google 提出",
      statement="BN was proposed by Google researchers in 'Batch Normalization: Accelerating "
                "Deep Network Training by Reducing Internal Covariate Shift'.",
      kind=Kind.CITATION, reason="a correct attribution (Ioffe & Szegedy, Google, ICML 2015); "
                                 "not checkable by computation")
claim("Q64.24", quote="BN(Batch Normalization)也属于网络的一层",
      statement="BN is a layer of the network, like activation, convolution, dense and pooling "
                "layers.", kind=Kind.DEFINITIONAL, reason="a description")
claim("Q64.25", quote="归一化至：均值0、方差为1",
      statement="BN first normalises each feature over the batch to mean 0 and variance 1.",
      kind=Kind.EXACT, check=Exact(bn_standardises, method="hypothesis: torch BatchNorm1d in "
                                   "training mode (γ=1, β=0) on 50 random batches"),
      expect=Verdict.SUPPORTED,
      note="Variance exactly v/(v + ε) with ε = 1e-5, i.e. 1 unless the batch variance v is "
           "tiny (a batch of two nearly equal values).")
claim("Q64.26", quote="它是一个可学习、有参数`（γ、β）`的网络层",
      statement="BN is a learnable layer whose parameters are γ and β.", kind=Kind.EXACT,
      check=Exact(bn_learnable_parameters, method="named_parameters of torch BatchNorm1d"),
      expect=Verdict.SUPPORTED)
claim("Q64.27", quote="这些数据是准备进入激活函数的数据",
      statement="BN's inputs are the pre-activations (BN comes before the non-linearity).",
      kind=Kind.DEFINITIONAL, reason="the placement the BN paper uses; a design choice")
claim("Q64.28", quote="求数据均值",
      statement="BN computes the batch mean, the batch (biased) variance, standardises, then "
                "outputs y = γ·x̂ + β; this equals torch's BatchNorm1d in training mode.",
      kind=Kind.EXACT, check=Exact(bn_algorithm, method="hypothesis: the four steps by hand vs "
                                   "BatchNorm1d with random γ, β on 50 batches"),
      expect=Verdict.SUPPORTED)
claim("Q64.29", quote="个人认为称作正态化也可以",
      statement="The standardisation step could be called 'normalisation to a normal "
                "distribution'.", kind=Kind.OPINION, reason="the author's naming preference",
      note="Misleading: standardising shifts and scales; it does not make data Gaussian "
           "(skewness and shape are unchanged).")
claim("Q64.30", quote="在反向传播的时候，通过链式求导方式，修正 `γ` 与 `β` 以及相关权值",
      statement="BN's parameters are learned by backpropagation: the chain-rule gradients of "
                "γ, β and the input (the BN paper's formulas) equal autograd's.",
      kind=Kind.EXACT, check=Exact(bn_backward_chain_rule,
                                   method="hypothesis: hand-derived backward vs autograd"),
      expect=Verdict.SUPPORTED)
claim("Q64.31", quote="在正向传播的时候，通过可学习的 `γ` 与 `β` 参数求出新的分布值",
      statement="In the forward pass γ and β turn the standardised values into the output.",
      kind=Kind.DEFINITIONAL, reason="describes the forward pass (checked in Q64.28)")
claim("Q64.32", quote="因为 BN 保证每一层的输入分布稳定",
      statement="BN keeps each layer's input distribution stable: in training mode its output is "
                "unchanged by any per-feature shift and positive scaling of its input.",
      kind=Kind.EXACT, check=Exact(bn_stable_distribution,
                                   method="hypothesis: BN(ax + b) = BN(x), a > 0"),
      expect=Verdict.SUPPORTED,
      note="Only the first two moments are stabilised; changes in shape pass through.")
claim("Q64.33", quote="这一点本身可以使得训练加速",
      statement="That stability speeds up training.", kind=Kind.EMPIRICAL,
      check=Empirical(DEEP, Compare("loss_plain", "loss_bn", min_effect=0.3), max_seeds=10),
      expect=Verdict.SUPPORTED,
      note="Same experiment as Q64.6. It shows BN speeds up training, not that it does so "
           "*because* of stable distributions (the mechanism is disputed).")
claim("Q64.34", quote="它也可以帮助减少梯度消失和梯度爆炸的现象",
      statement="BN reduces vanishing and exploding gradients.", kind=Kind.EMPIRICAL,
      check=Empirical(GRAD, AllOf([Compare("logratio_sigmoid_bn", "logratio_sigmoid",
                                           min_effect=1.0),
                                   Compare("loggrad_explode_bn", "loggrad_explode_plain",
                                           alternative="less", min_effect=1.0)],
                                  label="vanishing and exploding")),
      expect=Verdict.SUPPORTED, note="Same test as Q64.5.")
claim("Q64.35", quote="sigmoid 函数使得输出在 `[0,1]` 之间",
      statement="The sigmoid's output lies in [0, 1].", kind=Kind.EXACT,
      check=Exact(sigmoid_range, method="hypothesis: 200 inputs in [-1e6, 1e6], float64"),
      expect=Verdict.SUPPORTED, note="Mathematically in (0, 1); floating point reaches 0 and 1.")
claim("Q64.36", quote="经过 sigmoid 函数的输出范围就很小了",
      statement="Beyond a certain input the sigmoid's outputs span a tiny range: σ([5, ∞)) has "
                "width below 0.007.", kind=Kind.EXACT,
      check=Exact(sigmoid_output_range_small, method="evaluate"), expect=Verdict.SUPPORTED)
claim("Q64.37", quote="如果输入很大，其对应的斜率就很小",
      statement="The sigmoid's slope decreases as abs(x) grows.", kind=Kind.EXACT,
      check=Exact(sigmoid_slope_decreases, method="hypothesis: monotone in |x|"),
      expect=Verdict.SUPPORTED)
claim("Q64.38", quote="其斜率（梯度）在反向传播中是权值学习速率",
      statement="The sigmoid's slope is a factor of the weight gradient (dL/dw = dL/da·σ'(z)·x), "
                "so it scales the weight updates.", kind=Kind.EXACT,
      check=Exact(slope_scales_weight_gradient, method="autograd on one unit"),
      expect=Verdict.SUPPORTED,
      note="The seed calls it the 'learning rate'; it scales the gradient, which has the same "
           "effect on the step size as a smaller learning rate.")
claim("Q64.39", quote="如果网络的激活输出很大，其梯度就很小，学习速率就很慢",
      statement="When pre-activations are large (saturated units), the weight gradients are "
                "small.", kind=Kind.EXACT,
      check=Exact(saturated_units_small_gradient, method="autograd: gradient norm with "
                                                          "pre-activations scaled 10x"),
      expect=Verdict.SUPPORTED)
claim("Q64.40", quote="假设每层学习梯度都小于最大值 0.25",
      statement="The sigmoid's slope is at most 0.25.", kind=Kind.EXACT,
      check=Exact(max_slope_quarter, method="hypothesis: 200 points"), expect=Verdict.SUPPORTED)
claim("Q64.41", quote="第一层的梯度小于 0.25 的 n 次方",
      statement="In an n-layer sigmoid network the first layer's gradient is below 0.25^n.",
      kind=Kind.EXACT, check=Exact(first_layer_below_quarter_power,
                                   method="autograd on chains of scalar sigmoid units with "
                                          "weights 8 and biases cancelling the pre-activations"),
      expect=Verdict.REFUTED,
      note="Does not follow: the gradient multiplies slopes AND weights (the seed's own formula "
           "in Q64.45). With weights of 8 and slopes of 0.25 it is 0.25·2^(n-1), far above "
           "0.25^n. The bound holds when |weights| <= 1 (Q64.42).")
claim("Q64.42", quote="因为链式求导的原因",
      statement="If every abs(weight) <= 1 (and dL/d(output) = 1), the first layer's bias gradient "
                "of an n-layer sigmoid chain is at most 0.25^n.", kind=Kind.EXACT,
      check=Exact(bound_with_small_weights, method="hypothesis: random chains, n <= 10"),
      expect=Verdict.SUPPORTED, note="The condition under which Q64.41's argument is valid.")
claim("Q64.43", quote="对于最后一层只需对自身求导 1 次，梯度就大，学习速率就快",
      statement="In a deep sigmoid net the last layer's gradient is larger than the first "
                "layer's.", kind=Kind.EMPIRICAL,
      check=Empirical(GRAD, Compare("logratio_sigmoid", zero, alternative="less")),
      expect=Verdict.SUPPORTED, note=FAIR_GRAD)
claim("Q64.44", quote="浅层基本不学习，权值变化小，后面几层一直在学习",
      statement="In a deep sigmoid net the shallow layers barely change while the last layers "
                "learn: relative weight change of the first hidden layer at least 10x smaller "
                "than the last one's.", kind=Kind.EMPIRICAL,
      check=Empirical(GRAD, Compare("log_relchange_ratio", zero, alternative="less",
                                    min_effect=1.0)),
      expect=Verdict.SUPPORTED,
      note="gradient_flow: the sigmoid net (10 x 32, Glorot) after 50 full-batch SGD steps "
           "(lr 0.5) on a teacher regression; ||ΔW||/||W|| of the first vs last hidden layer.")
claim("Q64.45", quote="后面几层基本可以表示整个网络，失去了深度的意义",
      statement="The last layers then represent the whole network and depth is wasted.",
      kind=Kind.OPINION, reason="an interpretation")
claim("Q64.46", quote="第一层偏移量的梯度 = 激活层斜率 1x 权值 1x 激活层斜率 2x",
      statement="The first layer's bias gradient equals slope₁·w₂·slope₂·…·w_n·slope_n (times "
                "dL/d(output)).", kind=Kind.EXACT,
      check=Exact(bias_gradient_formula, method="hypothesis: autograd vs the product on random "
                                                "scalar sigmoid chains"),
      expect=Verdict.SUPPORTED,
      note="The seed numbers weight k as the weight after slope k; the product has n slopes and "
           "n-1 weights.")
claim("Q64.47", quote="假如激活层斜率均为最大值 0.25，所有层的权值为 100，这样梯度就会指数增加",
      statement="With every slope 0.25 and every weight 100, the first layer's gradient grows "
                "exponentially with depth (x25 per layer).", kind=Kind.EXACT,
      check=Exact(exploding_with_weights_100, method="autograd on chains with biases "
                                                      "cancelling the pre-activations"),
      expect=Verdict.SUPPORTED,
      note="Requires biases that keep the pre-activations at 0; with weights 100 and ordinary "
           "biases the units saturate and the gradient vanishes instead.")
