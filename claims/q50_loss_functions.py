"""Q50. 损失函数重要吗？ -- Does the loss function matter?

Original protocol (protocols.md; Experiment9 of the original's experiments.py): a two-class 12-d
Gaussian mixture (class-1 mean 1/i in dimension i, s = 1, 500 rows, 400 train / 100 test), an
MLP with two sigmoid hidden layers of 100, 500 Adam steps (lr 0.003) on mini-batches of 64;
losses cross-entropy, MAE, MSE, mean fourth-power error, hinge, and a constant (0 x MSE) as a
negative control; test accuracy after 1, 51, ..., 451 updates (the ten points of its figure); 5
repeats. In the original's figure every loss but the control ends near 0.90-0.91, the
fourth-power curve lies below the others until the last points, and the control stays at 0.51.

The seed says the means are 1 apart in every dimension: the claims that depend on the data run
on both, the original's 1/i (``Q50.m``) and the seed's wording (``Q50.mb``). Claims read the test
accuracy at the original's last checkpoint (experiments/q50_losses.py).
"""

import torch
from hypothesis import given
from hypothesis import strategies as st

from experiments.engine import LOSSES as LOSS_FNS
from experiments.q50_losses import ACCURACY, CURVE, loss_functions
from experiments.variants import COMMON
from harness import (
    CONVENTIONS,
    AllOf,
    AtChance,
    Compare,
    Empirical,
    Equivalent,
    Kind,
    Verdict,
    claim,
    departure,
    derived,
    differs,
    exact,
    robustness,
    says,
)

PROTOCOLS = {
    "": loss_functions(separation="inverse"),  # the original: sep_i = 1/i
    "b": loss_functions(separation="ones"),
}  # the seed: 1 in every dimension

SUP, REF, INC = Verdict.SUPPORTED, Verdict.REFUTED, Verdict.INCONCLUSIVE
# Verdicts of the standard run, original data ("") and the seed's wording ("b"):
EXPECT = {
    "Q50.4": SUP,
    "Q50.4b": SUP,
    "Q50.5": REF,
    "Q50.5b": REF,
    "Q50.6": REF,
    "Q50.6b": REF,
    "Q50.7": INC,
    "Q50.7b": REF,
    "Q50.8": SUP,
    "Q50.8b": INC,
    "Q50.9": INC,
    "Q50.9b": REF,
}
OTHERS = ("mae", "mse", "fourth", "hinge")  # every loss but cross-entropy and the control
CE = ACCURACY.at(loss="cross_entropy")

# Declared before any run; test accuracy is on 100 rows (one row = 0.01):
GAIN = 0.02  # smallest difference of accuracy that counts as better or worse: 2 rows
SIMILAR = 0.03  # "similar performance" / "no substantial effect": within 3 points (TOST)
SLIGHTLY = 0.01  # "slightly worse": lower by at least one test row
CHANCE = 0.05  # the negative control "does not learn": within 5 points of chance (0.5)


def acc(loss):
    return ACCURACY.at(loss=loss)


def curve_mean(loss):
    """The mean of the loss's test-accuracy curve over the original's ten checkpoints."""
    return derived(
        f"mean test accuracy over the checkpoints ({loss})",
        lambda trials: trials[CURVE.key(loss=loss)].mean(axis=1),
        like=acc(loss),
    )


def all_similar(protocol):
    return Empirical(
        protocol,
        AllOf(
            [Equivalent(acc(other), CE, margin=SIMILAR) for other in OTHERS],
            label="each loss like CE",
        ),
    )


def ce_best(protocol):
    return Empirical(
        protocol,
        AllOf(
            [Compare(CE, acc(other), min_effect=GAIN) for other in OTHERS],
            label="cross-entropy best",
        ),
    )


departure(
    50,
    "The seed (and the original's prose) says the class means are 1 apart in every "
    "dimension; the original's code (Experiment9) uses 1/i in dimension i. The claims "
    "that depend on the data are tested on both (Q50.m: 1/i, Q50.mb: 1).",
    source="original experiments.py, Experiment9.run",
    claims=("Q50.2",),
)
departure(
    50,
    "Translation: 'the difference between the labels and logits raised to the fourth "
    "power' became 标签与逻辑之间的区别 ('between labels and logic'): 'logits' was "
    "rendered as 逻辑.",
    source="original notebook, section 9 (Conclusion)",
    claims=("Q50.8",),
)
departure(
    50,
    "'Slightly worse than the others' reads the figure, where the fourth-power curve "
    "lies below the others through training and meets them at the end; the method "
    "says the comparison is of the 'final accuracy'. Both are tested: the last "
    "checkpoint (Q50.8) and the mean over the ten checkpoints (Q50.14).",
    source="original notebook, cell 57 (figure)",
    claims=("Q50.8", "Q50.14"),
)
departure(
    50,
    "The figure's last point, which the text reads, is after 451 of the 500 steps "
    "(the original evaluates after the update of steps 0, 50, ..., 450).",
    source="original experiments.py, Experiment9.run",
)
departure(
    50,
    "'The dataset consists of 500 Gaussians' (500 个高斯组成) is the original's own "
    "wording for 500 points drawn from the two Gaussians.",
    source="original notebook, section 9 (Method)",
    claims=("Q50.3",),
)

claim(
    "Q50.1",
    quote="对于分类任务，通常使用交叉熵损失函数",
    kind=Kind.OPINION,
    statement="Cross-entropy is the loss usually used for classification.",
    reason="a statement about common practice",
)

claim(
    "Q50.12",
    quote="如果我们像通常在回归任务中那样使用均方差",
    kind=Kind.OPINION,
    statement="Mean squared error is the loss usually used for regression.",
    reason="a statement about common practice",
)

claim(
    "Q50.13",
    quote="我们生成两个 12 维高斯混合",
    kind=Kind.PROTOCOL,
    statement="The data are a mixture of two 12-dimensional Gaussians.",
    check=says(50, "d = 12"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q50.18",
    quote="高斯具有相同的协方差矩阵",
    kind=Kind.PROTOCOL,
    statement="The two Gaussians share one covariance matrix.",
    check=says(CONVENTIONS, "shared covariance is CᵀC"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q50.2",
    quote="在每个维度上都有一个由 1 隔开的均值",
    kind=Kind.PROTOCOL,
    statement="In the original experiment the class means are 1 apart in every dimension.",
    check=differs(50, "sep_i = 1/i"),
    expect=Verdict.REFUTED,
    note="The original's code used 1/i in dimension i; both are run.",
)

claim(
    "Q50.3",
    quote="该数据集由 500 个高斯组成，其中 400 个用于训练，100 个用于测试",
    kind=Kind.PROTOCOL,
    statement="The data set has 500 points, 400 for training and 100 for testing.",
    check=says(50, "n = 500"),
    expect=Verdict.SUPPORTED,
    note="400/100 is the shared 20 % test split (protocols.md, conventions).",
)

claim(
    "Q50.15",
    quote="我们使用几种不同的函数在这个数据集上训练一个神经网络",
    kind=Kind.PROTOCOL,
    statement="The network was trained with several loss functions: cross-entropy, MAE, MSE, "
    "mean fourth-power error, hinge, and a constant.",
    check=says(50, "loss: cross-entropy, MAE, MSE, mean fourth-power error, hinge, constant"),
    expect=Verdict.SUPPORTED,
)

for suffix, protocol in PROTOCOLS.items():
    claim(
        f"Q50.4{suffix}",
        quote="作为阴性对照，包括一个不变的损失函数",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q50.4{suffix}"],
        statement=f"With the constant loss (0 x MSE, the negative control) the network does "
        f"not learn: its test accuracy stays within {CHANCE} of chance (0.5)."
        + (" Means 1 apart in every dimension." if suffix else ""),
        check=Empirical(protocol, AtChance(acc("constant"), chance=0.5, margin=CHANCE)),
    )


@exact(
    "Q50.16",
    quote="作为阴性对照，包括一个不变的损失函数",
    kind=Kind.DEFINITIONAL,
    statement="The constant loss gives no learning signal: 0 x MSE has gradient exactly 0 "
    "with respect to the network's outputs.",
    method="hypothesis: autograd of the loss used, on random outputs and one-hot labels",
)
@given(st.integers(1, 20), st.integers(0, 2**31 - 1))
def constant_loss_has_no_gradient(rows, seed):
    g = torch.Generator().manual_seed(seed)
    out = (torch.randn(1, rows, 2, generator=g) * 10).requires_grad_()
    t = torch.nn.functional.one_hot(torch.randint(0, 2, (1, rows), generator=g), 2).float()
    (grad,) = torch.autograd.grad(LOSS_FNS["constant"](out, t).sum(), out)
    assert torch.count_nonzero(grad) == 0, "the constant loss has a non-zero gradient"


for suffix, protocol in PROTOCOLS.items():
    claim(
        f"Q50.5{suffix}",
        quote="我们预计交叉熵损失函数作为分类任务的标准损失函数，表现最好",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q50.5{suffix}"],
        statement=f"Cross-entropy performs best: its test accuracy is at least {GAIN} above "
        f"that of each other loss (MAE, MSE, fourth power, hinge)."
        + (" Means 1 apart in every dimension." if suffix else ""),
        check=ce_best(protocol),
    )

for suffix, protocol in PROTOCOLS.items():
    claim(
        f"Q50.6{suffix}",
        quote="我们预计其他损失函数表现不佳",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q50.6{suffix}"],
        statement=f"The other losses do not perform as well: each is at least {GAIN} below "
        f"cross-entropy in test accuracy (the test of Q50.5)."
        + (" Means 1 apart in every dimension." if suffix else ""),
        check=ce_best(protocol),
    )

for suffix, protocol in PROTOCOLS.items():
    q50_7 = claim(
        f"Q50.7{suffix}",
        quote="除去阴性对照外，所有的损失都有类似的表现",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q50.7{suffix}"],
        statement=f"Apart from the negative control, every loss performs alike: each "
        f"test accuracy is within {SIMILAR} of cross-entropy's (TOST)."
        + (" Means 1 apart in every dimension." if suffix else ""),
        check=all_similar(protocol),
        note="MAE, MSE and hinge are alike with cross-entropy; the fourth-power "
        "loss trails it by about the margin itself (see Q50.8)"
        + (", and with means 1 apart MAE trails by 0.03 too." if suffix else "."),
    )
    if not suffix:
        robustness(q50_7, COMMON)

for suffix, protocol in PROTOCOLS.items():
    claim(
        f"Q50.8{suffix}",
        quote="提升到四次幂，其性能要比其他差一些",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q50.8{suffix}"],
        statement=f"The mean fourth-power loss performs slightly worse than the others: its "
        f"final test accuracy is at least {SLIGHTLY} below that of each other "
        f"non-control loss." + (" Means 1 apart in every dimension." if suffix else ""),
        check=Empirical(
            protocol,
            AllOf(
                [
                    Compare(acc("fourth"), acc(other), "less", min_effect=SLIGHTLY)
                    for other in ("cross_entropy", "mae", "mse", "hinge")
                ],
                label="fourth power worst",
            ),
        ),
    )

claim(
    "Q50.14",
    quote="提升到四次幂，其性能要比其他差一些",
    kind=Kind.EMPIRICAL,
    statement=f"Read on the figure's curves: the fourth-power loss's test accuracy, averaged "
    f"over the ten checkpoints, is at least {SLIGHTLY} below that of each other "
    f"non-control loss.",
    check=Empirical(
        PROTOCOLS[""],
        AllOf(
            [
                Compare(curve_mean("fourth"), curve_mean(other), "less", min_effect=SLIGHTLY)
                for other in ("cross_entropy", "mae", "mse", "hinge")
            ],
            label="fourth-power curve lowest",
        ),
    ),
    expect=Verdict.SUPPORTED,
)


@exact(
    "Q50.17",
    quote="损失函数是标签与逻辑之间的区别，提升到四次幂",
    kind=Kind.DEFINITIONAL,
    statement="The fourth-power loss is the mean over the two outputs of (logit - label)^4: "
    "never negative, and 0 where the logits equal the one-hot labels.",
    method="hypothesis: the loss used against the formula, on random logits and labels",
)
@given(st.lists(st.floats(-10, 10, width=32), min_size=2, max_size=2), st.integers(0, 1))
def fourth_power_loss_is_the_formula(logits, label):
    out = torch.tensor([[logits]], dtype=torch.float32)
    t = torch.nn.functional.one_hot(torch.tensor([[label]]), 2).float()
    value = float(LOSS_FNS["fourth"](out, t))
    formula = sum((o - float(y)) ** 4 for o, y in zip(out[0, 0].tolist(), t[0, 0].tolist())) / 2
    assert abs(value - formula) <= 1e-5 * max(1.0, formula), f"{value} != {formula}"
    assert value >= 0 and float(LOSS_FNS["fourth"](t, t)) == 0, "not zero exactly at the labels"


for suffix, protocol in PROTOCOLS.items():
    claim(
        f"Q50.9{suffix}",
        quote="损失函数的选择对最终结果没有实质影响",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q50.9{suffix}"],
        statement=f"The choice among these losses has no substantial effect on the final "
        f"test accuracy: each is within {SIMILAR} of cross-entropy's (the test of "
        f"Q50.7)." + (" Means 1 apart in every dimension." if suffix else ""),
        check=all_similar(protocol),
    )

claim(
    "Q50.10",
    quote="因为这些损失函数非常相似",
    kind=Kind.OPINION,
    statement="The losses behave alike because they are very similar functions.",
    reason="an explanation resting on a judgement of similarity, with no measure of it stated",
)

claim(
    "Q50.11",
    quote="`36.652 s`",
    kind=Kind.HISTORICAL,
    statement="The original experiment took 36.652 s.",
    reason="a runtime on the original 2018 machine",
)
