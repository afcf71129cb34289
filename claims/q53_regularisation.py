"""Q53. 正则化如何影响权重？ -- How does regularisation affect the weights?

Original protocol (protocols.md; the notebook's Experiment 12): the Q50 task (d = 12,
sep_i = 1/i, s = 1, 500 rows, 400/100), 2 sigmoid hidden layers of 50, 750 mini-batch Adam steps
(lr 0.003); loss = MSE + strength x (mean |w| or mean w²) summed over the three weight matrices,
biases not penalised; strengths 0, 0.1, 1; the last 50 entries of the first weight matrix and
the test accuracy saved every 2 steps; 1 run per setting.

Measures per seed (experiments/q53_regularisation.py), declared before any run: weight magnitude
= mean |w| of the three weight matrices (each matrix once, as in the penalty); sparsity = the
share of first-layer weights with |w| < 0.01 (Adam leaves an L1-penalised weight jittering
within a step or two, ~0.003 each, of zero: below 0.01 a weight is effectively zero); test
accuracy at the end of training = the mean of the last 25 saves (the last 50 steps).
"Strong" is strength 1, "mild" strength 0.1.
"""

from experiments.q53_regularisation import ACCURACY, MAGNITUDE, SPARSITY, regularisation
from experiments.variants import COMMON
from harness import (
    CONVENTIONS,
    AllOf,
    Compare,
    Empirical,
    Equivalent,
    Kind,
    NonInferior,
    Verdict,
    claim,
    departure,
    differs,
    exact,
    robustness,
    says,
)

ORIGINAL = regularisation()
SEED_WORDING = regularisation(separation="ones")  # "means 1 apart in every dimension"
PENALTIES = ("l1=0.1", "l1=1", "l2=0.1", "l2=1")

# Declared before any run, one line of justification each:
GAIN = 0.02  # a change of test accuracy worth a word: 2 of 100 test rows
LOWER = 1.05  # weights "lower" / "smaller": mean |w| at least 5 % smaller (a factor 1.05)
DRAMATIC = 1.5  # a "dramatic" effect on the weights: mean |w| at least a third smaller
SOME_SPARSE = 0.05  # "a degree of sparsity": 5 points more first-layer weights effectively 0
NO_SPARSE = 0.05  # "no sparsity": within 5 points of the unpenalised share
MAJORITY = 0.05  # "sparse": more than half of the weights effectively 0, by at least 5 points


def smaller(settings, protocol=ORIGINAL, ratio=LOWER):
    return Empirical(
        protocol,
        AllOf(
            [
                Compare(
                    MAGNITUDE.at(setting=s), MAGNITUDE.at(setting="none"), "less", min_ratio=ratio
                )
                for s in settings
            ],
            label="smaller weights",
        ),
    )


def sparse(setting="l1=1"):
    return Compare(SPARSITY.at(setting=setting), 0.5, min_effect=MAJORITY)


def accuracy_change(settings, direction):
    return AllOf(
        [
            Compare(ACCURACY.at(setting=s), ACCURACY.at(setting="none"), direction, min_effect=GAIN)
            for s in settings
        ],
        label=f"accuracy {'falls' if direction == 'less' else 'rises'}",
    )


departure(
    53,
    "The text (like the original's prose) says the means are 1 apart in every "
    "dimension; the original's code separates them by 1/i in dimension i. Both are "
    "run (Q53.13b, Q53.14b).",
    source="original notebook, Experiment12.run",
    claims=("Q53.2",),
)
departure(
    53,
    "'对正确率似乎没有什么有害的影响' (seems to have no harmful effect on accuracy) "
    "translates 'the effect on accuracy seems to be less detrimental' -- less than "
    "L1's. Both are tested (Q53.21: less harmful than L1; Q53.21b: not harmful).",
    source="original notebook, Experiment 12 (Discussion)",
    claims=("Q53.21", "Q53.21b"),
)
departure(
    53,
    "'显著的影响' (a marked effect) translates 'a dramatic effect'.",
    source="original notebook, Experiment 12 (Discussion)",
    claims=("Q53.16",),
)
departure(
    53,
    "'50 weights' are the last 50 entries of the first weight matrix: its last row, "
    "the weights leaving input 12, the least informative input under sep_i = 1/i -- "
    "the weights a penalty can most readily remove.",
    source="original notebook, Experiment 12 (figure code)",
    claims=("Q53.5", "Q53.16"),
)
departure(
    53,
    "One run per setting, and strength 0 was run twice (once under each penalty's "
    "name): the original's two unpenalised runs differ by chance alone (first-layer "
    "weights within ±0.4 in one, up to -1.0 in the other, final accuracy 1.0 in both), "
    "so part of what its figure shows between settings is run-to-run variation; here "
    "one unpenalised model per seed serves both.",
    source="original notebook, Experiment 12 (figure)",
    claims=("Q53.13", "Q53.16", "Q53.21"),
)

claim(
    "Q53.1",
    quote="我们生成两个 12 维高斯混合",
    kind=Kind.PROTOCOL,
    statement="The data are a two-class 12-dimensional Gaussian mixture.",
    check=says(53, "d = 12"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.25",
    quote="高斯具有相同的协方差矩阵",
    kind=Kind.PROTOCOL,
    statement="The two Gaussians share one covariance matrix.",
    check=says(CONVENTIONS, "shared covariance is CᵀC"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.2",
    quote="但在每个维度上都有一个由 1 隔开的均值",
    kind=Kind.PROTOCOL,
    statement="In the original experiment the class means are 1 apart in every dimension.",
    check=differs(53, "sep_i = 1/i"),
    expect=Verdict.REFUTED,
    note="The original's code (as Q50) separates them by 1/i in dimension i; its prose says 1, "
    "as the text does. The text's reading runs as Q53.13b and Q53.14b.",
)


@exact(
    "Q53.3",
    quote="该数据集由 500 个高斯组成，其中 400 个用于训练，100 个用于测试",
    kind=Kind.PROTOCOL,
    statement="The data set has 500 points, 400 for training and 100 for testing.",
    method="compared with the original protocol (protocols.md)",
)
def five_hundred_rows_split_400_100():
    return "; ".join(
        [says(53, "n = 500").fn(), says(CONVENTIONS, "20 % of rows are held out for test").fn()]
    )


claim(
    "Q53.4",
    quote="具有 2 个隐藏层的神经网络",
    kind=Kind.PROTOCOL,
    statement="The network has 2 hidden layers.",
    check=says(53, "2 hidden layers of 50"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.5",
    quote="在整个训练过程中绘制 50 个权重值",
    kind=Kind.PROTOCOL,
    statement="50 weight values are plotted throughout training.",
    check=says(53, "last 50 entries of the first weight matrix over time"),
    expect=Verdict.SUPPORTED,
    note="All 50 from the first weight matrix.",
)

claim(
    "Q53.6",
    quote="在损失函数中包含 L1 或 L2 正则项之后重复这一过程",
    kind=Kind.PROTOCOL,
    statement="The runs are repeated with an L1 or L2 penalty added to the loss.",
    check=says(53, "L1 or L2 penalty"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.7",
    quote="我们研究这样是否会影响权重的收敛",
    kind=Kind.PROTOCOL,
    statement="The experiment examines whether the penalty affects how the weights converge: "
    "it follows the weights through training with and without it.",
    check=says(53, "last 50 entries of the first weight matrix over time"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.26",
    quote="我们还绘制了正确率的图像，并确定它在正则化的情况下是否发生了显著的变化",
    kind=Kind.PROTOCOL,
    statement="The test accuracy is plotted too, to see whether it changes markedly with "
    "regularisation.",
    check=says(53, "and test accuracy"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.8",
    quote="我们预计在正则化的情况下，权重的大小会降低",
    kind=Kind.EMPIRICAL,
    statement=f"With regularisation the weights are smaller: every penalty (L1 and L2 at 0.1 "
    f"and 1) gives a mean |w| at least {LOWER} times smaller than no penalty.",
    check=smaller(PENALTIES),
    note="Weakest: L2 = 0.1, mean |w| 11 % smaller (0.171 against 0.193).",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.9",
    quote="在 L1 正则化的情况下，我们可能会得到稀疏的权重",
    kind=Kind.EMPIRICAL,
    statement=f"With L1 regularisation the weights may become sparse: under the strong L1 "
    f"penalty more than half of the first-layer weights are effectively zero (by at "
    f"least {MAJORITY}).",
    check=Empirical(ORIGINAL, sparse()),
    note="A hedged hypothesis ('may'): tested where L1 is strongest. 'A degree of sparsity' "
    "at both strengths is Q53.17.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.10",
    quote="如果正则化强度很高，我们就会预计正确率下降",
    kind=Kind.EMPIRICAL,
    statement=f"Strong penalties (L1 = 1 and L2 = 1) lower the test accuracy at the end of "
    f"training, each by at least {GAIN}.",
    check=Empirical(ORIGINAL, accuracy_change(("l1=1", "l2=1"), "less")),
    note="L1 = 1 costs 15 points; L2 = 1 about 3 (2.9 [1.6, 4.1]), its interval reaching the "
    "2-point threshold.",
    expect=Verdict.INCONCLUSIVE,
)

claim(
    "Q53.11",
    quote="正确率实际上可能会随轻度正则化而上升",
    kind=Kind.EMPIRICAL,
    statement=f"Mild penalties (L1 = 0.1 and L2 = 0.1) raise the test accuracy at the end of "
    f"training, each by at least {GAIN}.",
    check=Empirical(ORIGINAL, accuracy_change(("l1=0.1", "l2=0.1"), "greater")),
    note="Hedged in the text ('may').",
    expect=Verdict.REFUTED,
)

claim(
    "Q53.12",
    quote="`17.761 s`",
    kind=Kind.HISTORICAL,
    statement="The original experiment took 17.761 s.",
    reason="a runtime on the original 2018 machine",
)

Q53_13 = claim(
    "Q53.13",
    quote="我们注意到正则化确实降低了权重的大小",
    kind=Kind.EMPIRICAL,
    statement=f"Regularisation does reduce the weights: every penalty gives a mean |w| at least "
    f"{LOWER} times smaller than no penalty.",
    check=smaller(PENALTIES),
    expect=Verdict.SUPPORTED,
)
robustness(Q53_13, COMMON)

claim(
    "Q53.13b",
    quote="我们注意到正则化确实降低了权重的大小",
    kind=Kind.EMPIRICAL,
    statement="As Q53.13, on the text's data (means 1 apart in every dimension).",
    check=smaller(PENALTIES, SEED_WORDING),
    expect=Verdict.SUPPORTED,
)

Q53_14 = claim(
    "Q53.14",
    quote="在强 L1 正则化的情况下导致了稀疏性",
    kind=Kind.EMPIRICAL,
    statement=f"Strong L1 regularisation (strength 1) leads to sparsity: more than half of the "
    f"first-layer weights are effectively zero (|w| < 0.01), by at least {MAJORITY}.",
    check=Empirical(ORIGINAL, sparse()),
    note="L1 = 1: 90 % of first-layer weights below 0.01 (unpenalised: 3 %).",
    expect=Verdict.SUPPORTED,
)
robustness(Q53_14, COMMON)

claim(
    "Q53.14b",
    quote="在强 L1 正则化的情况下导致了稀疏性",
    kind=Kind.EMPIRICAL,
    statement="As Q53.14, on the text's data.",
    check=Empirical(SEED_WORDING, sparse()),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.15",
    quote="对正确率带来什么样的影响尚未清楚",
    kind=Kind.OPINION,
    statement="The effect on accuracy is less clear.",
    reason="a judgement about what the original's single runs show; Q53.10, Q53.11, Q53.18 "
    "and Q53.21 test the effects",
)

claim(
    "Q53.16",
    quote="正则化对训练过程中习得的权重有着显著的影响",
    kind=Kind.EMPIRICAL,
    statement=f"Regularisation has a dramatic effect on the weights learned: every penalty "
    f"gives a mean |w| at least {DRAMATIC} times smaller than no penalty.",
    check=smaller(PENALTIES, ratio=DRAMATIC),
    note="'Dramatic' in the original; the text's '显著' (marked) is milder."
    " L1 = 1 shrinks mean |w| six-fold, L1 = 0.1 by 27 %, L2 = 1 by 43 %, L2 = 0.1 by 11 %: "
    "dramatic only for strong L1 (and arguably L2 = 1).",
    expect=Verdict.REFUTED,
)

claim(
    "Q53.17",
    quote="我们在 L1 正则化的情况下能够获得一定程度的稀疏性",
    kind=Kind.EMPIRICAL,
    statement=f"L1 regularisation gives a degree of sparsity: at both strengths (0.1 and 1) at "
    f"least {SOME_SPARSE} more of the first-layer weights are effectively zero than "
    f"without a penalty.",
    check=Empirical(
        ORIGINAL,
        AllOf(
            [
                Compare(SPARSITY.at(setting=s), SPARSITY.at(setting="none"), min_effect=SOME_SPARSE)
                for s in ("l1=0.1", "l1=1")
            ],
            label="L1 sparser",
        ),
    ),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.18",
    quote="看起来有较大的正则化强度，这就导致正确率的折衷",
    kind=Kind.EMPIRICAL,
    statement=f"With a large strength L1 compromises accuracy: at strength 1 the test "
    f"accuracy at the end of training is lower than without a penalty by at least "
    f"{GAIN}.",
    check=Empirical(ORIGINAL, accuracy_change(("l1=1",), "less")),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.19",
    quote="而 L2 正则化不会导致稀疏性",
    kind=Kind.EMPIRICAL,
    statement=f"L2 regularisation does not lead to sparsity: at both strengths the share of "
    f"first-layer weights that are effectively zero is within {NO_SPARSE} of the "
    f"unpenalised share.",
    check=Empirical(
        ORIGINAL,
        AllOf(
            [
                Equivalent(SPARSITY.at(setting=s), SPARSITY.at(setting="none"), margin=NO_SPARSE)
                for s in ("l2=0.1", "l2=1")
            ],
            label="L2 not sparser",
        ),
    ),
    note="L2 = 1 leaves 13 % of first-layer weights below 0.01 (unpenalised: 3 %): under Adam a "
    "weak, steady L2 pull moves weights the data barely use toward zero at up to lr per "
    "step.",
    expect=Verdict.REFUTED,
)

claim(
    "Q53.20",
    quote="它只有更小幅度的权重",
    kind=Kind.EMPIRICAL,
    statement=f"L2 only gives weights of smaller magnitude: at both strengths mean |w| is at "
    f"least {LOWER} times smaller than without a penalty.",
    check=smaller(("l2=0.1", "l2=1")),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.21",
    quote="对正确率似乎没有什么有害的影响",
    kind=Kind.EMPIRICAL,
    statement=f"L2's effect on accuracy is less detrimental than L1's (the original's "
    f"sentence): at the large strength (1) the test accuracy at the end of training "
    f"is higher under L2 than under L1 by at least {GAIN}.",
    check=Empirical(
        ORIGINAL, Compare(ACCURACY.at(setting="l2=1"), ACCURACY.at(setting="l1=1"), min_effect=GAIN)
    ),
    note="End accuracies (50 seeds): none 0.90, L1 = 1 0.75, L2 = 1 0.87.",
    expect=Verdict.SUPPORTED,
)

claim(
    "Q53.21b",
    quote="对正确率似乎没有什么有害的影响",
    kind=Kind.EMPIRICAL,
    statement=f"As the text says it, L2 seems to do accuracy no harm: at both strengths the "
    f"test accuracy at the end of training is not lower than without a penalty by "
    f"{GAIN} or more.",
    check=Empirical(
        ORIGINAL,
        AllOf(
            [
                NonInferior(ACCURACY.at(setting=s), ACCURACY.at(setting="none"), margin=GAIN)
                for s in ("l2=0.1", "l2=1")
            ],
            label="L2 not harmful",
        ),
    ),
    note="L2 = 1 costs about 3 points (2.9 [1.6, 4.1]); the 2-point margin is inside that "
    "interval.",
    expect=Verdict.INCONCLUSIVE,
)

claim(
    "Q53.27",
    quote="我们只是刚刚开始做了肤浅的研究",
    kind=Kind.OPINION,
    statement="These experiments only scratch the surface.",
    reason="a judgement about the study's scope",
)

claim(
    "Q53.22",
    quote="所有这些实验都涉及（不是那么深的）MLP",
    kind=Kind.PROTOCOL,
    statement="All these experiments (Q42-Q53) use fully connected networks (MLPs), none "
    "very deep.",
    check=says(CONVENTIONS, "Network: fully connected"),
    expect=Verdict.SUPPORTED,
    note="The deepest have three hidden layers (Q43's weight-shared net, Q46, Q52).",
)

claim(
    "Q53.23",
    quote="有很多实验如果用 CNN 或 RNN 来做会很有趣",
    kind=Kind.OPINION,
    statement="Many of these experiments would be interesting with CNNs or RNNs.",
    reason="a suggestion for further work",
)

claim(
    "Q53.24",
    quote="请考虑以下我认为值得探讨的一些观点",
    kind=Kind.OPINION,
    statement="Batch size vs learning rate, end-to-end learning, batch normalisation and "
    "transfer learning with limited data are worth exploring.",
    reason="suggestions for further experiments",
)
