"""Q52. 不同层的权重是否以不同的速度收敛？ -- Do the weights of different layers converge at
different speeds?

Original protocol (protocols.md; the notebook's Experiment 11): the Q50 task (12-d Gaussian
mixture, class-1 mean 1/i in dimension i -- the text says 1 -- s = 1, 500 rows, 400 train / 100
test); three sigmoid hidden layers of 50 (weight matrices W1..W4, which its figures title
"Layer 0" .. "Layer 3"); 750 mini-batch (64) Adam steps on the MSE; the weights saved right
after every update with step % 2 == 0 (its axes: "Epoch (x2)"); per layer the last 50 entries
of the weight matrix; convergence = the norm of the change between saves; 1 run.

Measures per seed (experiments/q52_convergence.py), declared before any run:
* settling step (the original's measure made into one number): the first step after which a
  layer's change between saves, averaged over 10 saves, stays below a quarter of the fastest
  change Adam makes (2 steps x lr x sqrt(50) = 0.042 for 50 weights) -- "converges";
* reaching step: the first step after which the distance to the final tracked weights stays
  within 10 % of the layer's journey -- "converges to their final values", a second reading;
* rebound: how far a layer ever moves back away from its final weights, as a share of its
  journey (0 for a monotone approach) -- "almost monotonically" / "more complicated";
* the backpropagated error signal per layer (RMS gradient of the loss w.r.t. its
  pre-activations) -- "changes get amplified as they propagate backwards".

"Layers 3" in the original's discussion is its figure's "Layer 3": the fourth weight matrix,
W4 (hidden 3 -> output); the text's 第三层 reads as the third, W3. The claims test W4, their
``b`` variants W3.
"""

import math

from experiments.engine import BatchedMLP
from experiments.q52_convergence import (
    LAYERS,
    REACH,
    REBOUND,
    SETTLE,
    SIGNAL,
    layer_convergence,
)
from experiments.variants import COMMON
from harness import (
    CONVENTIONS,
    AllOf,
    Compare,
    Empirical,
    Kind,
    Trend,
    Verdict,
    claim,
    departure,
    differs,
    exact,
    robustness,
    says,
)

ORIGINAL = layer_convergence()
SEED_WORDING = layer_convergence(separation="ones")  # "means 1 apart in every dimension"
STEPS = 750

# Declared before any run:
FASTER = 1.25  # "faster", "longer", "more": a ratio of at least 1.25 (a quarter more); on the
# trend, a fitted change of at least log(1.25) from W1 to W4
MONOTONE = 0.1  # "almost monotonically": the layer never moves back by 10 % of its journey
QUICK = 0.2 * STEPS  # "rather quickly": settled within the first fifth of training (150 steps)


def later_faster(measure=SETTLE):
    return Trend(measure.over("layer", LAYERS), "decreasing", min_effect=math.log(FASTER))


def below(measure, level):
    """The geometric mean lies below ``level``: at least twice below 2 x level."""
    return Compare(measure, 2 * level, "less", min_ratio=2)


def exceed(measure, others, than):
    return AllOf(
        [
            Compare(measure.at(layer=layer), measure.at(layer=than), min_ratio=FASTER)
            for layer in others
        ],
        label=f"earlier layers above W{than}",
    )


departure(
    52,
    "The text (like the original's prose) says the means are 1 apart in every "
    "dimension; the original's code separates them by 1/i in dimension i. Both are "
    "run (Q52.10b, Q52.13b).",
    source="original notebook, Experiment11.run",
    claims=("Q52.3",),
)
departure(
    52,
    "'两个轮数之间' (between two epochs): the original compares weights saved every 2 "
    "mini-batch steps and labels its axes 'Epoch (x2)'; an epoch of 400 rows would be "
    "6.25 steps.",
    source="original notebook, Experiment11.run and figures",
    claims=("Q52.9",),
)
departure(
    52,
    "'第三层' (the third layer) translates 'layers 3', which in the original's "
    "figures ('Layer 0' .. 'Layer 3') is the fourth weight matrix, W4 (hidden 3 -> "
    "output). The claims test W4; their b variants W3, as the text reads.",
    source="original notebook, Experiment 11 (figures, Discussion)",
    claims=("Q52.14", "Q52.15", "Q52.16", "Q52.17"),
)
departure(
    52,
    "The original's conclusions come from one run; it never defines 'converge "
    "faster'. We use its own measure (the change between saves) made into a settling "
    "step, and check the reading 'reaches its final weights' too (Q52.18).",
    claims=("Q52.13", "Q52.18"),
)
departure(
    52,
    "The hypothesis' reason -- changes 'amplified' as they propagate backwards -- is "
    "not what backpropagation through sigmoid layers does by default (each layer "
    "multiplies the error signal by sigmoid' <= 1/4 and by the weights); Q52.11 "
    "measures it.",
    claims=("Q52.11",),
)

claim(
    "Q52.1",
    quote="我们生成两个 12 维高斯混合",
    kind=Kind.PROTOCOL,
    statement="The data are a mixture of two 12-dimensional Gaussians.",
    check=says(52, "d = 12"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q52.2",
    quote="高斯具有相同的协方差矩阵",
    kind=Kind.PROTOCOL,
    statement="The two Gaussians share one covariance matrix.",
    check=says(CONVENTIONS, "shared covariance is CᵀC"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q52.3",
    quote="每个维度上都有一个由 1 隔开的均值",
    kind=Kind.PROTOCOL,
    statement="In the original experiment the class means are 1 apart in every dimension.",
    check=differs(52, "sep_i = 1/i"),
    expect=Verdict.REFUTED,
    note="The original's code (as Q50) separates them by 1/i in dimension i; its prose says 1, "
    "as the text does. The main claims run both (b: the text's separation).",
)


@exact(
    "Q52.4",
    quote="该数据集由 500 个高斯组成，其中 400 个用于训练，100 个用于测试",
    kind=Kind.PROTOCOL,
    statement="The data set has 500 points, 400 for training and 100 for testing.",
    method="compared with the original protocol (protocols.md)",
)
def five_hundred_rows_split_400_100():
    return "; ".join(
        [says(52, "n = 500").fn(), says(CONVENTIONS, "20 % of rows are held out for test").fn()]
    )


claim(
    "Q52.5",
    quote="训练一个带有 3 个隐藏层",
    kind=Kind.PROTOCOL,
    statement="The network has 3 hidden layers.",
    check=says(52, "3 hidden layers of 50"),
    expect=Verdict.SUPPORTED,
)


@exact(
    "Q52.6",
    quote="将导致 4 层权重，包括从输入到）第一层的权重",
    statement="Three hidden layers give four weight matrices, counting the one from the input "
    "to the first hidden layer.",
    method="counted the weight matrices of the 12-50-50-50-2 MLP",
)
def four_weight_matrices():
    shapes = [tuple(w.shape[1:]) for w in BatchedMLP((12, 50, 50, 50, 2), 1).weights]
    assert len(shapes) == 4, f"{len(shapes)} weight matrices: {shapes}"
    assert shapes[0] == (12, 50), f"the first matrix is {shapes[0]}, not input -> hidden 1"
    return f"weight matrices: {shapes}"


claim(
    "Q52.7",
    quote="我们在训练过程中绘制每层 50 个权重值",
    kind=Kind.PROTOCOL,
    statement="50 weight values of each layer are tracked during training.",
    check=says(52, "the last 50 entries of its weight matrix"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q52.8",
    quote="我们通过绘制两个轮数之间的权重的差分来衡量收敛性",
    kind=Kind.PROTOCOL,
    statement="Convergence is measured by the (norm of the) change of the weights between saves.",
    check=says(52, "convergence = norm of the change between saves"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q52.9",
    quote="两个轮数之间",
    kind=Kind.PROTOCOL,
    statement="The weights compared are adjacent saves, which the text calls epochs: the "
    "original saves every 2 mini-batch steps.",
    check=says(52, "weights saved every 2 steps"),
    expect=Verdict.SUPPORTED,
    note="Read as the author used 'epoch' (its axes: 'Epoch (x2)'); an epoch in the usual "
    "sense, a pass over the 400 training rows, is 6.25 steps.",
)

claim(
    "Q52.10",
    quote="我们期望后一层的权重会更快地收敛",
    kind=Kind.EMPIRICAL,
    statement=f"The weights of later layers converge faster: the settling step falls from W1 "
    f"to W4 (fitted over the four layers, by a factor of at least {FASTER}).",
    check=Empirical(ORIGINAL, later_faster()),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q52.10b",
    quote="我们期望后一层的权重会更快地收敛",
    kind=Kind.EMPIRICAL,
    statement="As Q52.10, on the text's data (means 1 apart in every dimension).",
    check=Empirical(SEED_WORDING, later_faster()),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q52.11",
    quote="因为它们在整个网络中进行反向传播时，后期阶段的变化会被放大",
    kind=Kind.EMPIRICAL,
    statement=f"Changes at later stages are amplified as they propagate backwards: the "
    f"backpropagated error signal (RMS gradient of the loss w.r.t. each layer's "
    f"pre-activations, averaged over training) grows from the output back to the "
    f"first layer (fitted over W4 -> W1, by a factor of at least {FASTER}).",
    check=Empirical(
        ORIGINAL,
        Trend(
            SIGNAL.over("layer", tuple(reversed(LAYERS))), "increasing", min_effect=math.log(FASTER)
        ),
    ),
    note="The reason the hypothesis gives; measured on the full training set every 20 steps."
    " The error signal shrinks about 20-fold from the output (W4) back to the first layer: "
    "sigmoid layers attenuate, they do not amplify.",
    expect=Verdict.REFUTED,
)

claim(
    "Q52.12",
    quote="运行实验所需的时间： `3.924 s`",
    kind=Kind.HISTORICAL,
    statement="The original experiment took 3.924 s.",
    reason="a runtime on the original 2018 machine",
)

Q52_13 = claim(
    "Q52.13",
    quote="我们发现后一层的权重比前一层收敛得更快",
    kind=Kind.EMPIRICAL,
    statement=f"Later layers' weights converge faster than earlier layers': the settling step "
    f"falls from W1 to W4 (fitted, by a factor of at least {FASTER}).",
    check=Empirical(ORIGINAL, later_faster()),
    note="Settling steps, geometric means over 10 seeds: W1 ~580, W2 ~150, W3 ~18, W4 ~14.",
    expect=Verdict.SUPPORTED,
)
robustness(Q52_13, COMMON)

claim(
    "Q52.13b",
    quote="我们发现后一层的权重比前一层收敛得更快",
    kind=Kind.EMPIRICAL,
    statement="As Q52.13, on the text's data (means 1 apart in every dimension).",
    check=Empirical(SEED_WORDING, later_faster()),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q52.18",
    quote="我们发现后一层的权重比前一层收敛得更快",
    kind=Kind.EMPIRICAL,
    statement=f"As Q52.13, reading 'converge' as reaching the final weights: the step after "
    f"which a layer stays within 10 % of its journey from its final weights falls "
    f"from W1 to W4 (fitted, by a factor of at least {FASTER}).",
    check=Empirical(ORIGINAL, later_faster(REACH)),
    note="A second reading; the original measured convergence by the change between saves "
    "(Q52.13)."
    " Every layer reaches its final weights late (geometric means 530-620 steps of 750): "
    "the weights keep drifting slowly after their change between saves has settled.",
    expect=Verdict.REFUTED,
)

claim(
    "Q52.14",
    quote="第三层的权重是几乎单调地收敛到它们的最终值",
    kind=Kind.EMPIRICAL,
    statement=f"The weights of the original's 'layer 3' (W4, hidden 3 -> output) converge "
    f"almost monotonically to their final values: the layer never moves back away "
    f"from them by {MONOTONE:.0%} of its journey (geometric mean of the rebound "
    f"below {MONOTONE}).",
    check=Empirical(ORIGINAL, below(REBOUND.at(layer=4), MONOTONE)),
    note="Geometric mean rebound of W4: about 0.08, below 0.10 (decided at 200 seeds).",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q52.14b",
    quote="第三层的权重是几乎单调地收敛到它们的最终值",
    kind=Kind.EMPIRICAL,
    statement="As Q52.14 for W3 (hidden 2 -> hidden 3), the text's 'third layer'.",
    check=Empirical(ORIGINAL, below(REBOUND.at(layer=3), MONOTONE)),
    expect=Verdict.INCONCLUSIVE,
)

claim(
    "Q52.15",
    quote="而且这一过程非常快",
    kind=Kind.EMPIRICAL,
    statement=f"And W4 does so rather quickly: it settles within the first fifth of training "
    f"(geometric mean of the settling step below {QUICK:g} of {STEPS} steps).",
    check=Empirical(ORIGINAL, below(SETTLE.at(layer=4), QUICK)),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q52.15b",
    quote="而且这一过程非常快",
    kind=Kind.EMPIRICAL,
    statement=f"As Q52.15 for W3: settled within {QUICK:g} steps.",
    check=Empirical(ORIGINAL, below(SETTLE.at(layer=3), QUICK)),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q52.16",
    quote="至于前几层权重的收敛模式，比较复杂",
    kind=Kind.EMPIRICAL,
    statement=f"The convergence patterns of the earlier layers (W1, W2, W3) are more "
    f"complicated than W4's: each one's rebound is at least {FASTER} times W4's.",
    check=Empirical(ORIGINAL, exceed(REBOUND, (1, 2, 3), 4)),
    note="Rebounds (geometric means, 50 seeds): W1 0.13, W2 0.05, W3 0.09, W4 0.08 -- only W1's "
    "is larger than W4's.",
    expect=Verdict.REFUTED,
)

claim(
    "Q52.16b",
    quote="至于前几层权重的收敛模式，比较复杂",
    kind=Kind.EMPIRICAL,
    statement=f"As Q52.16 with W3 as the third layer: the rebound of W1 and of W2 each at least "
    f"{FASTER} times W3's.",
    check=Empirical(ORIGINAL, exceed(REBOUND, (1, 2), 3)),
    expect=Verdict.REFUTED,
)

claim(
    "Q52.17",
    quote="似乎需要更长的时间才能解决",
    kind=Kind.EMPIRICAL,
    statement=f"The earlier layers take longer to settle: the settling step of W1, W2 and W3 "
    f"each at least {FASTER} times W4's.",
    check=Empirical(ORIGINAL, exceed(SETTLE, (1, 2, 3), 4)),
    note="W1 (~580 steps) and W2 (~150) settle far later than W4 (~14); W3 (~18) barely later.",
    expect=Verdict.INCONCLUSIVE,
)

claim(
    "Q52.17b",
    quote="似乎需要更长的时间才能解决",
    kind=Kind.EMPIRICAL,
    statement=f"As Q52.17 with W3 as the third layer: the settling step of W1 and of W2 each "
    f"at least {FASTER} times W3's.",
    check=Empirical(ORIGINAL, exceed(SETTLE, (1, 2), 3)),
    expect=Verdict.SUPPORTED,
)
