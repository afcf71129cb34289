"""Q64. 请写出 Batch Normalization 的计算方法及其应用 -- Write down how Batch Normalization is
computed and what it is used for.

Sources: the outline at the top follows CS231n's lecture 6 (references/cs231n2017.toml); the tanh
example is Morvan Zhou's tutorial word for word (morvan2016batch); the algorithm is Ioffe &
Szegedy (2015)'s Algorithm 1 (ioffe2015batch); the vanishing/exploding-gradient argument is
Nielsen's chapter 5 (nielsen2015neural), through a CSDN blog post.

The BN algorithm, its backward pass and its invariances are checked exactly against
torch.nn.BatchNorm1d (training mode) and autograd; the tanh and sigmoid arithmetic and the
0.25^n argument exactly, on chains of scalar sigmoid units. The empirical statements use
experiments/q64_dynamics.py: ``gradient_flow`` (gradients through 10-layer networks at
initialisation, with and without BN) and ``digits`` (the paper's section 4.1 experiment scaled
down to sklearn's 8x8 digits: three hidden layers of 100 sigmoid units, mini-batches of 60, with
and without BN, and a "noisy BN" ablation after Santurkar et al. 2018). Learning rates come from
a pilot on seeds no trial uses.
"""

import math

import numpy as np
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from torch import nn

from experiments import q64_dynamics as q64
from harness import (
    AllOf,
    Compare,
    Empirical,
    Equivalent,
    Kind,
    Verdict,
    cites,
    claim,
    departure,
    exact,
    miscites,
)

FLOW = q64.gradient_flow()
DIGITS = q64.digits()  # arms plain, bn, bn_noisy, se, adam: one protocol
PLAIN = q64.digits(arms=("plain",))  # Q64.9 alone: its effect sits near its threshold

# Declared before any run.
DECADE = 10.0  # vanishing / exploding: a factor of ten between layers (or from the normal size)
REDUCES = 2.0  # "reduces": at least halved
FASTER = 1.5  # "speeds up training": a usable minimum in at most 2/3 of the steps
STABLER = 2.0  # "solves the shifting distribution": the drift at least halved
OFTEN = 0.1  # "经常" (often): at least a tenth of the hidden pre-activations saturated
FEWER = 0.05  # BN "handles" saturation: at least 5 points fewer saturated pre-activations
GREATLY = 0.1  # "大大降低" (greatly reduced): at least ten points of test accuracy

batches = st.tuples(st.integers(2, 32), st.integers(1, 6), st.integers(0, 10_000))
few = settings(max_examples=50)
quick = settings(max_examples=25)  # BatchNorm1d checks: each example builds a module

departure(
    64,
    "The outline is CS231n's (lecture 6), but BN is moved into 'training dynamics'; "
    "CS231n lists training dynamics as babysitting the learning process, parameter "
    "updates and hyper-parameter optimisation, and treats BN with weight "
    "initialisation under setting up the model.",
    source="cs231n2017",
    claims=("Q64.1", "Q64.3"),
)
departure(
    64,
    "'为了让训练深度网络简单高效，研究者提出了随机梯度下降法（SGD）': SGD was not "
    "proposed for deep networks; stochastic approximation is Robbins & Monro's "
    "(1951). The BN paper's introduction only says SGD has proved effective for "
    "training deep networks.",
    source="robbins1951stochastic; ioffe2015batch",
    claims=("Q64.13",),
)
departure(
    64,
    "'在网络的每一层输入的时候，又插入了一个归一化层' (a normalisation layer at each "
    "layer's input) contradicts the text's own next lines and the paper: BN "
    "normalises x = Wu + b, the pre-activation, not the layer input u.",
    source="ioffe2015batch, Section 3.2",
    claims=("Q64.25", "Q64.27"),
)
departure(
    64,
    "'BN 保证每一层的输入分布稳定' (guarantees stable input distributions) and '解决"
    "...中间层数据分布发生改变的问题' (solves the shifting distributions) overstate "
    "the paper, which fixes the mean and variance of each pre-activation over a "
    "mini-batch and speaks of reducing internal covariate shift; Santurkar et al. "
    "(2018) found that BN's benefit has little to do with it (tested in Q64.12, "
    "Q64.33).",
    source="ioffe2015batch; santurkar2018how",
    claims=("Q64.4", "Q64.32", "Q64.33"),
)
departure(
    64,
    "'第一层的梯度小于 0.25 的 n 次方': the source (Nielsen, ch. 5) bounds each factor "
    "w_j σ'(z_j) by 1/4 because the weights are small (|w_j| < 1); the text drops that "
    "condition, and the bound fails without it (Q64.41 REFUTED, Q64.42 with it).",
    source="nielsen2015neural, chapter 5",
    claims=("Q64.41", "Q64.42"),
)
departure(
    64,
    "The exploding example (all weights 100, every slope 0.25) leaves out the "
    "source's condition that the biases keep every weighted input at 0; with weights "
    "of 100 and ordinary biases the units saturate and the gradient vanishes instead.",
    source="nielsen2015neural, chapter 5",
    claims=("Q64.47",),
)
departure(
    64,
    "'其斜率（梯度）在反向传播中是权值学习速率' calls the sigmoid's slope the weights' "
    "'learning rate'; it is a factor of the weight gradient (the learning rate is a "
    "separate constant).",
    claims=("Q64.38",),
)

claim(
    "Q64.1",
    quote="一次性设置（One time setup）",
    kind=Kind.DEFINITIONAL,
    statement="The ML workflow has one-time set-up steps: activation functions, data "
    "preprocessing, weight initialisation, regularisation, gradient checking.",
    reason="an organisation of topics (CS231n's lecture outline), not a fact",
)

claim(
    "Q64.2",
    quote="正则化（Regularization：避免过拟合的一种技术）",
    kind=Kind.DEFINITIONAL,
    statement="Regularisation is a technique to avoid overfitting.",
    reason="a definition",
)

claim(
    "Q64.3",
    quote="动态训练（Training dynamics）",
    kind=Kind.DEFINITIONAL,
    statement="Training dynamics covers babysitting, parameter updates, hyper-parameter "
    "optimisation and batch normalisation.",
    reason="an organisation of topics; its departure from CS231n is recorded",
)


@exact(
    "Q64.48",
    quote="加起来就是批量标准化",
    kind=Kind.DEFINITIONAL,
    statement="Batch normalisation is a batch standardisation: with γ = 1 and β = 0 its "
    "training-mode output is (x - batch mean) / sqrt(batch variance + ε) per "
    "feature.",
    method="hypothesis: torch.nn.BatchNorm1d (training mode, γ = 1, β = 0) against the "
    "z-score over the batch, 25 random batches",
)
@quick
@given(batches)
def bn_is_standardisation(case):
    x = _batch(*case)
    z = (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + 1e-5)
    y = nn.BatchNorm1d(x.shape[1], dtype=torch.float64).train()(x)
    assert torch.allclose(y, z, atol=1e-10)


def _batch(m, d, seed, scale=3.0):
    g = torch.Generator().manual_seed(seed)
    return (
        torch.randn(m, d, generator=g, dtype=torch.float64) * scale
        + torch.randn(d, generator=g, dtype=torch.float64) * 5
    )


claim(
    "Q64.4",
    quote="解决在训练过程中中间层数据分布发生改变的问题",
    kind=Kind.EMPIRICAL,
    statement=f"BN solves the shifting of intermediate layers' input distributions during "
    f"training: the 15/50/85th percentiles of the last hidden layer's sigmoid "
    f"inputs travel at least {STABLER:g} times less (in units of their initial "
    f"spread) with BN than without.",
    check=Empirical(
        DIGITS, Compare(q64.DG_DRIFT.at(arm="plain"), q64.DG_DRIFT.at(arm="bn"), min_ratio=STABLER)
    ),
    note="q64_dynamics.digits: the paper's Figure 1(b, c) measurement (percentiles of a "
    "sigmoid's input over training) on every unit of the last hidden layer, over the "
    "first 480 training rows, every 50 steps. With BN the percentiles are those of γx̂ + β, "
    "whose mean and spread BN sets by construction (Q64.32); Santurkar et al. (2018) "
    "argue this stability is not why BN helps (Q64.12, Q64.33).",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q64.5",
    quote="以防止梯度消失或爆炸",
    kind=Kind.EMPIRICAL,
    statement=f"BN prevents vanishing and exploding gradients: with BN, the 10-layer sigmoid "
    f"network's first and last hidden-layer gradients are within a factor "
    f"{DECADE:g} of each other, and the ReLU network with doubled weights has a "
    f"first-layer gradient within a factor {DECADE:g} of a normally initialised "
    f"ReLU network's.",
    check=Empirical(
        FLOW,
        AllOf(
            [
                Compare(q64.GRAD_IMBALANCE.at(net="sigmoid_bn"), 2 * DECADE, "less", min_ratio=2.0),
                Equivalent(
                    q64.GRAD_FIRST.at(net="relu_large_bn"),
                    q64.GRAD_FIRST.at(net="relu_he"),
                    margin=DECADE,
                ),
            ],
            label="neither vanishing nor exploding with BN",
        ),
    ),
    note="q64_dynamics.gradient_flow at initialisation: sigmoid with Glorot weights (which "
    "vanishes without BN, Q41.22); ReLU with He weights times 2 ('relu_large', the "
    "text's large-weights case, which explodes without BN) against ReLU with He weights. "
    "'Prevent' is read as: with BN neither happens (within a factor 10); the reduction "
    "itself is Q64.34.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q64.6",
    quote="加快训练速度",
    kind=Kind.EMPIRICAL,
    statement=f"BN speeds up training: without BN the digits network needs at least "
    f"{FASTER} times the SGD steps to reach 95 % training accuracy.",
    check=Empirical(
        DIGITS, Compare(q64.DG_STEPS.at(arm="plain"), q64.DG_STEPS.at(arm="bn"), min_ratio=FASTER)
    ),
    note="digits: each network at its own pilot-tuned rate (both 3.0: BN's larger usable "
    "rates are not an advantage here), the same initial weights and batches. The "
    "paper's measure (steps to a given accuracy; 14 times fewer for Inception).",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q64.7",
    quote="训练多个独立的模型，测试时，取这些模型结果的平均值",
    kind=Kind.DEFINITIONAL,
    statement="A model ensemble trains several independent models and averages their outputs "
    "at test time.",
    reason="a definition",
)

claim(
    "Q64.8",
    quote="神经网络学习过程本质就是为了学习数据分布",
    kind=Kind.OPINION,
    statement="Neural network learning is in essence learning the data distribution.",
    reason="a characterisation, not a checkable statement",
)

claim(
    "Q64.9",
    quote="一旦训练数据与测试数据的分布不同，那么网络的泛化能力也大大降低",
    kind=Kind.EMPIRICAL,
    statement=f"When the test distribution differs from the training one, generalisation "
    f"drops sharply: raising every test pixel by one training standard deviation "
    f"lowers the digits network's test accuracy by at least {GREATLY}.",
    check=Empirical(
        PLAIN,
        Compare(
            q64.DG_TEST_ACC.at(arm="plain"), q64.DG_SHIFTED_ACC.at(arm="plain"), min_effect=GREATLY
        ),
    ),
    note="digits, the network without BN: the same 360 test images, as they are and "
    "brightened (a covariate shift of the inputs, labels unchanged). How much accuracy "
    "falls depends on the kind and size of the shift; this one is moderate (one "
    "standard deviation). After 200 seeds it costs 0.095 [0.089, 0.100] against the "
    "10 points that 'greatly' is taken to mean: on the threshold.",
    expect=Verdict.INCONCLUSIVE,
)


@exact(
    "Q64.10",
    quote="使训练数据与测试数据的分布相同",
    statement="Normalising the inputs makes the training and test distributions the same.",
    method="standardise a Gaussian training set and an exponential test set (each with its "
    "own statistics, and the test set with the training statistics): two-sample "
    "Kolmogorov-Smirnov distance",
    expect=Verdict.REFUTED,
    note="Normalisation is an affine map: it can match means and variances, not "
    "distributions; a test set of another shape stays another shape.",
)
def normalising_equalises_train_and_test():
    g = np.random.default_rng(0)
    train, test = g.normal(0, 1, 5000), g.exponential(1, 5000) + 1
    z_train = (train - train.mean()) / train.std()
    d1 = stats.ks_2samp(z_train, (test - train.mean()) / train.std()).statistic
    d2 = stats.ks_2samp(z_train, (test - test.mean()) / test.std()).statistic
    assert max(d1, d2) < 0.05, (
        f"after normalising, train and test still differ: KS distance "
        f"{d1:.2f} (training statistics), {d2:.2f} (each its own)"
    )


@exact(
    "Q64.11",
    quote="那么这一层网络就需要去适应学习这个新的数据分布",
    statement="When a layer's input distribution changes, the layer must adapt: the best "
    "weights for the shifted inputs differ from the old ones, and the old weights "
    "do worse on the shifted inputs until refitted.",
    method="a linear layer fitted by least squares to y = w·x + noise; inputs shifted by "
    "c = 1 per feature: refitted bias, and the old weights' loss on the shifted data",
    note="Exact for a linear layer (its optimal bias moves by -wᵀc); it holds a fortiori "
    "for a layer followed by a saturating non-linearity.",
)
def layer_must_adapt():
    g = np.random.default_rng(0)
    x = g.normal(size=(2000, 5))
    w = g.normal(size=5)
    y = x @ w + 0.1 * g.normal(size=2000)
    design = lambda a: np.c_[a, np.ones(len(a))]  # noqa: E731
    old = np.linalg.lstsq(design(x), y, rcond=None)[0]
    shifted = x + 1.0
    new = np.linalg.lstsq(design(shifted), y, rcond=None)[0]
    loss = lambda coef, a: float(np.mean((design(a) @ coef - y) ** 2))  # noqa: E731
    assert abs(new[-1] - old[-1]) > 0.1 and loss(old, shifted) > 10 * loss(new, shifted)
    return (
        f"bias {old[-1]:.2f} -> {new[-1]:.2f} (-wᵀc = {-w.sum():.2f}); old weights' loss on "
        f"shifted inputs {loss(old, shifted):.2f}, refitted {loss(new, shifted):.3f}"
    )


claim(
    "Q64.12",
    quote="训练数据的分布一直在发生变化，那么将会影响网络的训练速度",
    kind=Kind.EMPIRICAL,
    statement=f"Layer input distributions that keep changing during training slow training "
    f"down: when every BN output is shifted and rescaled at random at every step, "
    f"the digits network needs at least {FASTER} times the steps to reach 95 % "
    f"training accuracy.",
    check=Empirical(
        DIGITS,
        Compare(q64.DG_STEPS.at(arm="bn_noisy"), q64.DG_STEPS.at(arm="bn"), min_ratio=FASTER),
    ),
    note="digits, Santurkar et al. (2018)'s 'noisy BatchNorm' (simplified: per step, per unit "
    "a scale U(0.5, 1.5) and a shift U(-1, 1) after BN), the same learning rate, weights "
    "and batches as BN. It makes every layer's input distribution change at every step "
    "while keeping BN itself. Observed: the noisy network reaches 95 % as fast as BN "
    "(ratio 1.05 [0.95, 1.17]), as Santurkar et al. found: the stable distributions are "
    "not what makes BN fast here.",
    expect=Verdict.REFUTED,
)

claim(
    "Q64.13",
    quote="为了让训练深度网络简单高效，研究者提出了随机梯度下降法（SGD）",
    kind=Kind.CITATION,
    statement="SGD was proposed by researchers to make training deep networks simple and "
    "efficient.",
    check=miscites("robbins1951stochastic", "sgd-origin"),
    expect=Verdict.REFUTED,
)

claim(
    "Q64.14",
    quote="需要我们人为的去选择参数，比如学习率、参数初始化、权重衰减系数、Dropout 比例等",
    kind=Kind.OPINION,
    statement="SGD requires choosing hyper-parameters by hand: learning rate, "
    "initialisation, weight decay, dropout rate.",
    reason="a description of practice",
    note="The learning rate and the initialisation are SGD's (the BN paper's introduction); "
    "the weight-decay coefficient and the dropout rate belong to the model's "
    "regularisation, whatever the optimiser.",
)

claim(
    "Q64.15",
    quote="这些参数的选择对训练结果至关重要",
    kind=Kind.OPINION,
    statement="These choices are crucial for the result.",
    reason="a judgement",
)


@exact(
    "Q64.16",
    quote="`Wx = 0.1 * 20 = 2`",
    statement="With w = 0.1: x = 1 gives wx = 0.1 and x = 20 gives wx = 2.",
    method="arithmetic",
)
def wx_arithmetic():
    assert math.isclose(0.1 * 1, 0.1) and math.isclose(0.1 * 20, 2.0)
    return "0.1·1 = 0.1, 0.1·20 = 2"


@exact(
    "Q64.17",
    quote="`Wx` 的激活值就变成了 `~0.1` 和 `~1`",
    statement="tanh(0.1) ≈ 0.1 (within 1 %) and tanh(2) ≈ 1 (within 0.04).",
    method="evaluate",
)
def tanh_values():
    t1, t2 = math.tanh(0.1), math.tanh(2.0)
    assert abs(t1 - 0.1) / 0.1 < 0.01 and abs(t2 - 1) < 0.04
    return f"tanh(0.1) = {t1:.4f}, tanh(2) = {t2:.4f}"


@exact(
    "Q64.49",
    quote="接近于 1 的部已经处在了 激励函数的饱和阶段",
    statement="At wx = 2 tanh is in its saturated phase: its slope there is below a tenth of "
    "its maximum (1 at 0).",
    method="tanh'(2) = 1 - tanh²(2)",
)
def tanh_saturated_at_two():
    slope = 1 - math.tanh(2.0) ** 2
    assert slope < 0.1, slope
    return f"tanh'(2) = {slope:.3f}"


@exact(
    "Q64.18",
    quote="x 无论再怎么扩大, tanh 激励函数输出值也还是接近1",
    statement="However large x grows beyond 20 (wx = 2), tanh(0.1 x) stays within 0.04 of 1.",
    method="hypothesis: x in [20, 1e6]",
)
@given(st.floats(20, 1e6))
def tanh_stays_near_one(x):
    assert 1 - math.tanh(0.1 * x) < 0.04


@exact(
    "Q64.19",
    quote="神经网络在初始阶段已经不对那些比较大的 x 特征范围敏感了",
    statement="The unit is insensitive to large x: d tanh(0.1 x)/dx at x = 20 is less than "
    "a tenth of its value at x = 1.",
    method="evaluate the derivative",
)
def tanh_insensitive():
    slope = lambda x: 0.1 * (1 - math.tanh(0.1 * x) ** 2)  # noqa: E731
    assert slope(20) < 0.1 * slope(1)
    return f"d tanh(0.1x)/dx: {slope(1):.3f} at x = 1, {slope(20):.4f} at x = 20"


claim(
    "Q64.50",
    quote="想象我轻轻拍自己的感觉和重重打自己的感觉居然没什么差别",
    kind=Kind.OPINION,
    statement="Saturation is as bad as feeling no difference between a light pat and a hard blow.",
    reason="an analogy",
)


@exact(
    "Q64.20",
    quote="让输入值经过激励函数的敏感部分",
    statement="Normalising the inputs keeps them in the sensitive part of the activation: for "
    "x uniform on [1, 20] and w = 0.1, standardising x leaves no input where "
    "tanh'(w x) < 0.5, while raw inputs have some.",
    method="share of inputs with tanh'(0.1 x) < 0.5 before and after standardising",
)
def normalising_inputs_desaturates():
    x = np.linspace(1, 20, 1000)
    z = (x - x.mean()) / x.std()
    sat = lambda v: float(np.mean(1 - np.tanh(0.1 * v) ** 2 < 0.5))  # noqa: E731
    assert sat(z) == 0.0 and sat(x) > 0
    return f"share with tanh'(0.1x) < 0.5: raw {sat(x):.2f}, standardised {sat(z):.2f}"


claim(
    "Q64.21",
    quote="而且在隐藏层中也经常会发生",
    kind=Kind.EMPIRICAL,
    statement=f"Saturation also happens often in hidden layers: in the trained digits network "
    f"without BN, at least {OFTEN} of the hidden pre-activations lie where the "
    f"sigmoid's slope is below a tenth of its maximum (|z| > 3.64).",
    check=Empirical(DIGITS, Compare(q64.DG_SATURATED.at(arm="plain"), 0.0, min_effect=OFTEN)),
    note="digits, after the last step, over the 1,437 training rows and all three hidden layers.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q64.22",
    quote="答案是可以的, 因为大牛们发明了一种技术, 叫做 batch normalization, 正是处理这种情况",
    kind=Kind.EMPIRICAL,
    statement=f"Batch normalisation handles exactly this: with BN at least {FEWER} fewer of "
    f"the trained network's hidden pre-activations are saturated.",
    check=Empirical(
        DIGITS,
        Compare(q64.DG_SATURATED.at(arm="plain"), q64.DG_SATURATED.at(arm="bn"), min_effect=FEWER),
    ),
    note="digits: the share of saturated sigmoid inputs (after BN's γx̂ + β where there is "
    "BN), with and without BN.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q64.23",
    quote="Batch Normalization 由 Google 提出",
    kind=Kind.CITATION,
    statement="BN was proposed by Google researchers in 'Batch Normalization: Accelerating "
    "Deep Network Training by Reducing Internal Covariate Shift'.",
    check=cites("ioffe2015batch", "google"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q64.24",
    quote="BN(Batch Normalization)也属于网络的一层",
    kind=Kind.DEFINITIONAL,
    statement="BN is a layer of the network, like activation, convolution, dense and "
    "pooling layers.",
    reason="a description of how BN is implemented",
)


@exact(
    "Q64.25",
    quote="归一化至：均值0、方差为1",
    statement="BN first normalises each feature over the batch to mean 0 and variance 1.",
    method="hypothesis: torch BatchNorm1d in training mode (γ = 1, β = 0), 25 random "
    "batches; the variance is v / (v + ε)",
    note="The variance is exactly v / (v + ε), ε = 1e-5, i.e. 1 unless the batch variance v "
    "is tiny (e.g. a batch of two nearly equal values).",
)
@quick
@given(batches)
def bn_standardises(case):
    x = _batch(*case)
    if (x.std(0) < 1e-3).any():
        return
    y = nn.BatchNorm1d(x.shape[1], dtype=torch.float64).train()(x)
    v = x.var(0, unbiased=False)
    assert torch.allclose(y.mean(0), torch.zeros_like(v), atol=1e-9)
    assert torch.allclose(y.var(0, unbiased=False), v / (v + 1e-5), atol=1e-9)
    assert torch.allclose(y.var(0, unbiased=False), torch.ones_like(v), atol=1e-2)


@exact(
    "Q64.26",
    quote="它是一个可学习、有参数`（γ、β）`的网络层",
    statement="BN is a learnable layer whose parameters are γ and β.",
    method="named_parameters and buffers of torch.nn.BatchNorm1d",
)
def bn_learnable_parameters():
    bn = nn.BatchNorm1d(4)
    params = dict(bn.named_parameters())
    assert sorted(params) == ["bias", "weight"] and all(p.requires_grad for p in params.values())
    assert {"running_mean", "running_var"} <= set(dict(bn.named_buffers()))
    return "learnable: weight (γ) and bias (β); the running mean and variance are buffers"


claim(
    "Q64.51",
    quote="以下是 Normalization 过程（引用 Google 论文中的解释）",
    kind=Kind.CITATION,
    statement="The normalisation procedure shown is the Google paper's (its Algorithm 1).",
    check=cites("ioffe2015batch", "algorithm-1"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q64.27",
    quote="这些数据是准备进入激活函数的数据",
    kind=Kind.CITATION,
    statement="BN's inputs are the data about to enter the activation function (the "
    "pre-activations): the paper places BN before the non-linearity.",
    check=cites("ioffe2015batch", "before-nonlinearity"),
    expect=Verdict.SUPPORTED,
)


def _manual_bn(x, gamma, beta, eps=1e-5):
    mu = x.mean(0)  # 1. mini-batch mean
    var = ((x - mu) ** 2).mean(0)  # 2. mini-batch variance (biased)
    xhat = (x - mu) / torch.sqrt(var + eps)  # 3. normalise
    return gamma * xhat + beta, xhat, var  # 5. scale and shift


@exact(
    "Q64.28",
    quote="求数据均值",
    statement="Step 1: BN computes the mean of each feature over the mini-batch.",
    method="hypothesis: a BatchNorm1d with momentum 1 stores exactly the batch mean as its "
    "running mean, 25 batches",
)
@quick
@given(batches)
def bn_step_mean(case):
    x = _batch(*case)
    bn = nn.BatchNorm1d(x.shape[1], momentum=1.0, dtype=torch.float64).train()
    bn(x)
    assert torch.allclose(bn.running_mean, x.mean(0), atol=1e-12)


@exact(
    "Q64.52",
    quote="求数据方差",
    statement="Step 2: BN computes the variance of each feature over the mini-batch (the "
    "biased one, divided by m, in the normalisation).",
    method="hypothesis: with ε = 1 (so that the variance shows in the output), the output "
    "variance of BatchNorm1d is v/(v + 1) for the biased batch variance v and not for "
    "the unbiased one, 25 batches of 2 to 32 rows",
    note="PyTorch's running variance (used at test time) is the unbiased one; the "
    "normalisation in training uses the biased variance, as the paper's Algorithm 1.",
)
@quick
@given(batches)
def bn_step_variance(case):
    x = _batch(*case, scale=0.5)
    y = nn.BatchNorm1d(x.shape[1], eps=1.0, dtype=torch.float64).train()(x).detach()
    biased, unbiased = x.var(0, unbiased=False), x.var(0, unbiased=True)
    out = y.var(0, unbiased=False)
    assert torch.allclose(out, biased / (biased + 1), atol=1e-12)
    assert not torch.allclose(out, unbiased / (unbiased + 1), atol=1e-9, rtol=0)


@exact(
    "Q64.53",
    quote="数据进行标准化",
    statement="Step 3: BN standardises each value: x̂ = (x - μ) / sqrt(σ² + ε).",
    method="hypothesis: (x - μ)/sqrt(σ² + ε) by hand against BatchNorm1d with γ = 1, "
    "β = 0, 25 batches",
)
@quick
@given(batches)
def bn_step_standardise(case):
    x = _batch(*case)
    _, xhat, _ = _manual_bn(x, 1.0, 0.0)
    y = nn.BatchNorm1d(x.shape[1], dtype=torch.float64).train()(x)
    assert torch.allclose(y, xhat, atol=1e-10)


@exact(
    "Q64.29",
    quote="个人认为称作正态化也可以",
    kind=Kind.DEFINITIONAL,
    statement="The standardisation step could be called 'normal-isation' (正态化: making "
    "the data normally distributed).",
    method="standardise a skewed (exponential) batch of 10,000: skewness and a normality "
    "test before and after",
    expect=Verdict.REFUTED,
    note="Standardising shifts and scales; it leaves the shape (skewness, kurtosis) as it "
    "was, so it makes nothing Gaussian.",
)
def standardising_is_not_normalising():
    x = np.random.default_rng(0).exponential(1.0, 10_000)
    z = (x - x.mean()) / x.std()
    skew_before, skew_after = stats.skew(x), stats.skew(z)
    p = stats.normaltest(z).pvalue
    assert abs(skew_after) < 0.1 and p > 0.01, (
        f"the standardised data are not normal: skewness {skew_before:.2f} before, "
        f"{skew_after:.2f} after; normality test p = {p:.1e}"
    )


@exact(
    "Q64.54",
    quote="训练参数 `γ，β`",
    statement="Step 4: γ and β are trained: they receive gradients and one SGD step changes them.",
    method="one SGD step on BatchNorm1d's parameters for a random loss",
)
def bn_step_parameters_trained():
    torch.manual_seed(0)
    bn = nn.BatchNorm1d(3).train()
    before = [p.detach().clone() for p in bn.parameters()]
    opt = torch.optim.SGD(bn.parameters(), lr=0.1)
    (bn(torch.randn(16, 3) * 2 + 1) * torch.randn(16, 3)).sum().backward()
    opt.step()
    changed = [not torch.equal(a, p.detach()) for a, p in zip(before, bn.parameters())]
    assert all(changed), changed
    return "γ and β both change after one step"


@exact(
    "Q64.55",
    quote="输出 `y` 通过 `γ` 与 `β` 的线性变换得到新的值",
    statement="Step 5: the output is the linear transform y = γ x̂ + β of the standardised "
    "values; the four steps by hand equal torch's BatchNorm1d in training mode.",
    method="hypothesis: the steps by hand against BatchNorm1d with random γ and β, 25 batches",
)
@quick
@given(batches)
def bn_algorithm(case):
    x = _batch(*case)
    g = torch.Generator().manual_seed(case[2] + 1)
    bn = nn.BatchNorm1d(x.shape[1], dtype=torch.float64).train()
    with torch.no_grad():
        bn.weight.copy_(torch.randn(x.shape[1], generator=g, dtype=torch.float64))
        bn.bias.copy_(torch.randn(x.shape[1], generator=g, dtype=torch.float64))
    y, _, _ = _manual_bn(x, bn.weight.detach(), bn.bias.detach())
    assert torch.allclose(bn(x), y, atol=1e-10)


def _backward_matches_chain_rule(case):
    m, d, seed = case
    x = _batch(m, d, seed).requires_grad_()
    g = torch.Generator().manual_seed(seed + 2)
    gamma = torch.randn(d, generator=g, dtype=torch.float64, requires_grad=True)
    beta = torch.randn(d, generator=g, dtype=torch.float64, requires_grad=True)
    dy = torch.randn(m, d, generator=g, dtype=torch.float64)
    y, xhat, var = _manual_bn(x, gamma, beta)
    (y * dy).sum().backward()
    xhat, var = xhat.detach(), var.detach()
    # the paper's backward pass (Ioffe & Szegedy 2015, Section 3), by the chain rule
    dgamma, dbeta = (dy * xhat).sum(0), dy.sum(0)
    dxhat = dy * gamma.detach()
    dx = (dxhat - dxhat.mean(0) - xhat * (dxhat * xhat).mean(0)) / torch.sqrt(var + 1e-5)
    assert torch.allclose(gamma.grad, dgamma, atol=1e-9)
    assert torch.allclose(beta.grad, dbeta, atol=1e-9)
    assert torch.allclose(x.grad, dx, atol=1e-8)


@exact(
    "Q64.56",
    quote="怎样学 BN 的参数就是经典的 chain rule",
    statement="BN's parameters are learned with the classic chain rule: the chain-rule "
    "gradients of γ, β and the input (the paper's formulas) equal autograd's.",
    method="hypothesis: hand-derived backward against autograd, 50 batches",
)
@few
@given(batches)
def bn_learned_by_chain_rule(case):
    _backward_matches_chain_rule(case)


@exact(
    "Q64.31",
    quote="在正向传播的时候，通过可学习的 `γ` 与 `β` 参数求出新的分布值",
    statement="In the forward pass the learnable γ and β turn the standardised values into "
    "the new ones: the output's batch mean is β and its batch standard deviation "
    "|γ|·sqrt(v/(v + ε)).",
    method="hypothesis: output moments of BatchNorm1d with random γ, β, 25 batches",
)
@quick
@given(batches)
def bn_forward_sets_distribution(case):
    x = _batch(*case)
    g = torch.Generator().manual_seed(case[2] + 3)
    bn = nn.BatchNorm1d(x.shape[1], dtype=torch.float64).train()
    with torch.no_grad():
        bn.weight.copy_(torch.randn(x.shape[1], generator=g, dtype=torch.float64))
        bn.bias.copy_(torch.randn(x.shape[1], generator=g, dtype=torch.float64))
    y = bn(x).detach()
    v = x.var(0, unbiased=False)
    assert torch.allclose(y.mean(0), bn.bias.detach(), atol=1e-9)
    assert torch.allclose(
        y.std(0, unbiased=False), bn.weight.detach().abs() * torch.sqrt(v / (v + 1e-5)), atol=1e-9
    )


@exact(
    "Q64.30",
    quote="在反向传播的时候，通过链式求导方式，修正 `γ` 与 `β` 以及相关权值",
    statement="In the backward pass the chain rule gives the gradients of γ, β and of the "
    "inputs (hence of the weights below): the paper's formulas equal autograd's.",
    method="hypothesis: hand-derived backward against autograd, 50 batches",
)
@few
@given(batches)
def bn_backward_chain_rule(case):
    _backward_matches_chain_rule(case)


@exact(
    "Q64.32",
    quote="因为 BN 保证每一层的输入分布稳定",
    statement="BN keeps each layer's input distribution stable: in training mode its output "
    "is unchanged by any per-feature shift and positive rescaling of its input, so "
    "its batch mean and variance are fixed by β and γ alone.",
    method="hypothesis: BN(a x + b) = BN(x) for a in [0.01, 100], b in [-100, 100], 25 batches",
    note="Only the first two moments are fixed; a change of shape passes through (Q64.29). "
    "How far the percentiles still move during training is Q64.4.",
)
@quick
@given(batches, st.floats(0.01, 100), st.floats(-100, 100))
def bn_stable_distribution(case, a, b):
    x = _batch(*case)
    if (x.std(0) < 1e-3).any():
        return
    bn = nn.BatchNorm1d(x.shape[1], dtype=torch.float64, eps=1e-12).train()
    assert torch.allclose(bn(x), bn(a * x + b), atol=1e-7)


claim(
    "Q64.33",
    quote="这一点本身可以使得训练加速",
    kind=Kind.EMPIRICAL,
    statement=f"That stability by itself speeds up training: destroying it (BN outputs "
    f"shifted and rescaled at random at every step) makes the digits network need "
    f"at least {FASTER} times the steps to reach 95 % training accuracy.",
    check=Empirical(
        DIGITS,
        Compare(q64.DG_STEPS.at(arm="bn_noisy"), q64.DG_STEPS.at(arm="bn"), min_ratio=FASTER),
    ),
    note="The test of Q64.12: 'this point itself' is tested by removing the stability while "
    "keeping everything else of BN (Santurkar et al. 2018's ablation). That BN speeds up "
    "training at all is Q64.6.",
    expect=Verdict.REFUTED,
)

claim(
    "Q64.34",
    quote="它也可以帮助减少梯度消失和梯度爆炸的现象",
    kind=Kind.EMPIRICAL,
    statement=f"BN reduces vanishing and exploding gradients: in the 10-layer sigmoid "
    f"network the first/last hidden-layer gradient imbalance is at least "
    f"{REDUCES:g} times smaller with BN, and in the ReLU network with doubled "
    f"weights the first layer's gradient is at least {REDUCES:g} times smaller "
    f"with BN.",
    check=Empirical(
        FLOW,
        AllOf(
            [
                Compare(
                    q64.GRAD_IMBALANCE.at(net="sigmoid_bn"),
                    q64.GRAD_IMBALANCE.at(net="sigmoid"),
                    "less",
                    min_ratio=REDUCES,
                ),
                Compare(
                    q64.GRAD_FIRST.at(net="relu_large_bn"),
                    q64.GRAD_FIRST.at(net="relu_large"),
                    "less",
                    min_ratio=REDUCES,
                ),
            ],
            label="vanishing and exploding reduced",
        ),
    ),
    note="gradient_flow at initialisation, the same weights with and without BN. In a ReLU "
    "network that neither vanishes nor explodes (He weights) BN need not help: Yang et "
    "al. (2019) show deep BN networks' gradients explode at initialisation; the "
    "figure shows relu_he and relu_he_bn for comparison (references/yang2019mean.toml).",
    expect=Verdict.SUPPORTED,
)


@exact(
    "Q64.35",
    quote="sigmoid 函数使得输出在 `[0,1]` 之间",
    statement="The sigmoid's output lies in [0, 1].",
    method="hypothesis: 200 inputs in [-1e6, 1e6], float64",
    note="Mathematically in (0, 1); floating point reaches 0 and 1.",
)
@given(st.floats(-1e6, 1e6))
def sigmoid_range(x):
    y = torch.sigmoid(torch.tensor(x, dtype=torch.float64)).item()
    assert 0.0 <= y <= 1.0


@exact(
    "Q64.36",
    quote="经过 sigmoid 函数的输出范围就很小了",
    statement="Beyond a certain input the sigmoid's outputs span a tiny range: σ maps "
    "[5, ∞) into an interval narrower than 0.007.",
    method="evaluate",
)
def sigmoid_output_range_small():
    width = 1.0 - 1 / (1 + math.exp(-5))
    assert width < 0.007
    return f"σ maps [5, ∞) into an interval of width {width:.4f}"


@exact(
    "Q64.37",
    quote="如果输入很大，其对应的斜率就很小",
    statement="The sigmoid's slope decreases as |x| grows.",
    method="hypothesis: σ'(a) >= σ'(b) and σ'(-a) >= σ'(-b) for 0 <= a < b",
)
@given(st.floats(0, 30), st.floats(0, 30))
def sigmoid_slope_decreases(a, b):
    s = lambda x: torch.sigmoid(torch.tensor(x, dtype=torch.float64))  # noqa: E731
    d = lambda x: (s(x) * (1 - s(x))).item()  # noqa: E731
    if a < b:
        assert d(a) >= d(b) and d(-a) >= d(-b)


@exact(
    "Q64.38",
    quote="其斜率（梯度）在反向传播中是权值学习速率",
    statement="The sigmoid's slope is a factor of the weight gradient (dL/dw = dL/da · σ'(z) "
    "· x), so it scales the weight updates as a smaller learning rate would.",
    method="autograd on one sigmoid unit at three weight scales",
)
def slope_scales_weight_gradient():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(5, generator=g, dtype=torch.float64)
    slopes = []
    for scale in (0.1, 1.0, 5.0):
        w = (torch.randn(5, generator=g, dtype=torch.float64) * scale).requires_grad_()
        a = torch.sigmoid(w @ x)
        (3.0 * a).backward()  # dL/da = 3
        slope = (a * (1 - a)).item()
        assert torch.allclose(w.grad, 3.0 * slope * x)
        slopes.append(slope)
    return "dL/dw = dL/da · σ'(z) · x; slopes " + ", ".join(f"{r:.3g}" for r in slopes)


@exact(
    "Q64.39",
    quote="在深度网络中，如果网络的激活输出很大，其梯度就很小，学习速率就很慢",
    statement="When pre-activations are large (saturated units), the weight gradients are "
    "small: scaling a sigmoid layer's pre-activations by 10 shrinks its weight "
    "gradient.",
    method="autograd: the weight-gradient norm of one sigmoid layer with weights x1 and x10",
)
def saturated_units_small_gradient():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(64, 8, generator=g, dtype=torch.float64)
    w0 = torch.randn(8, 8, generator=g, dtype=torch.float64) / math.sqrt(8)
    norms = []
    for scale in (1.0, 10.0):
        w = (w0 * scale).requires_grad_()
        torch.sigmoid(x @ w).sum().backward()
        norms.append(w.grad.norm().item())
    assert norms[1] < norms[0], norms
    return f"weight-gradient norm {norms[0]:.2f} (weights x1) vs {norms[1]:.2f} (x10)"


@exact(
    "Q64.40",
    quote="假设每层学习梯度都小于最大值 0.25",
    statement="The sigmoid's slope is at most 0.25.",
    method="hypothesis: σ'(x) <= 0.25 at 200 points of [-50, 50]",
)
@given(st.floats(-50, 50))
def max_slope_quarter(x):
    s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
    assert s * (1 - s) <= 0.25 + 1e-15


def chain_first_bias_grad(weights, biases, x0=0.5):
    """A chain of scalar sigmoid units a_k = σ(w_k a_{k-1} + b_k), loss = a_n: (dL/db_1 by
    autograd, the product σ'_1 · w_2 σ'_2 ··· w_n σ'_n)."""
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
    """Weights w and biases that put every pre-activation at 0 (slope 0.25 everywhere)."""
    return [w] * n, [-w * 0.5] * n


@exact(
    "Q64.42",
    quote="因为链式求导的原因",
    statement="By the chain rule, if every |weight| <= 1 the first layer's bias gradient of "
    "an n-layer sigmoid chain is at most 0.25^n (with dL/d(output) = 1).",
    method="hypothesis: random chains, n <= 10, weights in [-1, 1]",
    note="The condition under which the text's 0.25^n bound holds (Nielsen's |w_j| < 1).",
)
@few
@given(st.integers(1, 10), st.integers(0, 10_000))
def bound_with_small_weights(n, seed):
    g = np.random.default_rng(seed)
    grad, _ = chain_first_bias_grad(list(g.uniform(-1, 1, n)), list(g.normal(0, 2, n)))
    assert abs(grad) <= 0.25**n + 1e-18


@exact(
    "Q64.41",
    quote="第一层的梯度小于 0.25 的 n 次方",
    statement="In an n-layer sigmoid network the first layer's gradient is below 0.25^n.",
    method="autograd on chains of scalar sigmoid units, n = 2..8, weights 8, biases putting "
    "every pre-activation at 0",
    expect=Verdict.REFUTED,
    note="Does not follow: the gradient multiplies slopes AND weights (the text's own "
    "formula, Q64.46). With weights of 8 and slopes of 0.25 it is 0.25·2^(n-1), far "
    "above 0.25^n. The bound needs |weights| <= 1 (Q64.42).",
)
def first_layer_below_quarter_power():
    for n in range(2, 9):
        grad, _ = chain_first_bias_grad(*cancelling_chain(n, 8.0))
        assert abs(grad) < 0.25**n, (
            f"n = {n}, weights 8: first-layer bias gradient {grad:.3g} > 0.25^n = {0.25**n:.3g}"
        )


claim(
    "Q64.43",
    quote="对于最后一层只需对自身求导 1 次，梯度就大，学习速率就快",
    kind=Kind.EMPIRICAL,
    statement=f"In a deep sigmoid network the last layer's gradient is large compared with "
    f"the first's: at initialisation the last hidden layer's weight gradient is at "
    f"least {DECADE:g} times the first's.",
    check=Empirical(FLOW, Compare(q64.GRAD_RATIO.at(net="sigmoid"), 1.0, "less", min_ratio=DECADE)),
    note="gradient_flow: 10 hidden layers of 32 sigmoid units (the test of Q41.22).",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q64.44",
    quote="浅层基本不学习，权值变化小，后面几层一直在学习",
    kind=Kind.EMPIRICAL,
    statement=f"In a deep sigmoid network the shallow layers barely change while the last "
    f"ones learn: after 100 steps of gradient descent the first hidden layer's "
    f"relative weight change is at least {DECADE:g} times smaller than the last "
    f"hidden layer's.",
    check=Empirical(
        FLOW, Compare(q64.CHANGE_RATIO.at(net="sigmoid"), 1.0, "less", min_ratio=DECADE)
    ),
    note="gradient_flow: the 10-layer sigmoid network trained by full-batch gradient "
    "descent (lr 0.5, 100 steps); ||W_end - W_0|| / ||W_0|| per layer. Nielsen (ch. 5) "
    "measured the same on MNIST.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q64.45",
    quote="后面几层基本可以表示整个网络，失去了深度的意义",
    kind=Kind.OPINION,
    statement="The last layers then represent the whole network and depth is wasted.",
    reason="an interpretation",
)


@exact(
    "Q64.46",
    quote="第一层偏移量的梯度 = 激活层斜率 1x 权值 1x 激活层斜率 2x",
    statement="The first layer's bias gradient equals slope₁ · w₂ · slope₂ ··· w_n · slope_n "
    "(times dL/d(output)).",
    method="hypothesis: autograd against the product on random scalar sigmoid chains",
    note="The text numbers the weight after slope k as weight k; the product has n slopes "
    "and n - 1 weights (Nielsen's formula).",
)
@few
@given(st.integers(1, 10), st.integers(0, 10_000))
def bias_gradient_formula(n, seed):
    g = np.random.default_rng(seed)
    grad, formula = chain_first_bias_grad(list(g.normal(0, 3, n)), list(g.normal(0, 2, n)))
    assert math.isclose(grad, formula, rel_tol=1e-9, abs_tol=1e-300)


@exact(
    "Q64.47",
    quote="假如激活层斜率均为最大值 0.25，所有层的权值为 100，这样梯度就会指数增加",
    statement="With every slope 0.25 and every weight 100, the first layer's gradient grows "
    "exponentially with depth (x25 per layer).",
    method="autograd on chains with biases that put every pre-activation at 0, n = 1..6",
    note="Requires biases that keep the pre-activations at 0 (Nielsen's condition); with "
    "weights of 100 and ordinary biases the units saturate and the gradient vanishes.",
)
def exploding_with_weights_100():
    grads = [chain_first_bias_grad(*cancelling_chain(n, 100.0))[0] for n in range(1, 7)]
    ratios = [b / a for a, b in zip(grads, grads[1:])]
    assert all(math.isclose(r, 25.0, rel_tol=1e-9) for r in ratios), ratios
    return "first-layer bias gradient for n = 1..6: " + ", ".join(f"{g:.3g}" for g in grads)


claim(
    "Q64.57",
    quote="https://blog.csdn.net/myarrow/article/details/51848285",
    kind=Kind.CITATION,
    statement="The text's source for the BN explanation is a CSDN blog post.",
    reason="a link to a blog post that is not among the stored pages",
)

claim(
    "Q64.58",
    quote="https://morvanzhou.github.io/tutorials/machine-learning/ML-intro/3-08-batch-normalization/",
    kind=Kind.CITATION,
    statement="The tanh example comes from Morvan Zhou's batch-normalisation tutorial.",
    check=cites("morvan2016batch", "tanh-example"),
    expect=Verdict.SUPPORTED,
)
