"""Q53. 正则化如何影响权重？ -- How does regularisation affect the weights?

Original protocol (protocols.md): the Q50 task (d = 12, sep_i = 1/i, s = 1, 500 rows, 400/100),
2 sigmoid hidden layers of 50, 750 mini-batch Adam steps (lr 0.003); loss = MSE + strength x
(mean |w| or mean w²) summed over the three weight matrices, biases not penalised; strengths 0,
0.1, 1; the last 50 entries of the first weight matrix over time, and test accuracy.
The seed says the means are 1 apart in every dimension: that variant runs too (``b``).

Definitions declared before any run. Weight magnitude: mean |w| over all three weight matrices.
Sparsity: the fraction of first-layer weights (the matrix the original plotted) with |w| < 0.01.
Why 0.01: Adam moves each weight by about lr = 0.003 per step whatever the gradient's size, so an
L1-penalised weight jitters around 0 instead of settling at exactly 0; 0.01 (~3 Adam steps, 3 %
of the layer's Xavier bound 0.31) is the resolution below which a weight is effectively zero.
"""
from harness import AllOf, Compare, Empirical, Equivalent, Exact, Kind, Verdict, claim
from harness.original import agrees, disagrees, protocols_path
from experiments.q53_regularisation import regularisation

ORIGINAL = regularisation()
SEED_WORDING = regularisation(separation="ones")
PENALTIES = ("l1=0.1", "l1=1", "l2=0.1", "l2=1")
# Declared before any run, one line of justification each:
MIN_ACC = 0.02        # 2 test rows of 100: the smallest accuracy change worth a word
NONINF = 0.02         # "no harmful effect": not worse than no penalty by 2 points or more
MIN_SHRINK = 0.10     # a "significant influence" on weights: mean |w| at least 10 % smaller
SOME_SPARSE = 0.05    # "some sparsity": >= 5 points more first-layer weights effectively zero
STRONG_SPARSE = 0.20  # "leads to sparsity": >= 20 points more weights effectively zero
NO_SPARSE = 0.05      # "no sparsity": within 5 points of the unpenalised fraction


def shrink(name):
    def f(trials):
        return 1 - trials[f"mean_abs[{name}]"] / trials["mean_abs[none]"]
    f.__doc__ = f"relative reduction of mean |w| under {name}"
    return f


def zero(trials):
    """0"""
    return 0 * trials["mean_abs[none]"]


def worse_by_margin(trials):
    """accuracy[none] - 0.02"""
    return trials["accuracy[none]"] - NONINF


def smaller(names, protocol=ORIGINAL, min_effect=0.0):
    return Empirical(protocol, AllOf([Compare(shrink(n), zero, "greater", min_effect=min_effect)
                                      for n in names], label="smaller weights"))


def sparser(names, min_effect, protocol=ORIGINAL):
    return Empirical(protocol, AllOf([Compare(f"sparsity[{n}]", "sparsity[none]", "greater",
                                              min_effect=min_effect) for n in names],
                                     label="sparser first layer"))


def fully_connected():
    import re
    text = re.sub(r"\s+", " ", protocols_path().read_text(encoding="utf-8"))
    return "Network: fully connected" in text, "protocols.md conventions: 'Network: fully connected'"


claim("Q53.1", quote="我们生成两个 12 维高斯混合", kind=Kind.PROTOCOL,
      statement="The data are a two-class 12-dimensional Gaussian mixture.",
      check=Exact(agrees(53, "d = 12"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q53.2", quote="但在每个维度上都有一个由 1 隔开的均值", kind=Kind.PROTOCOL,
      statement="In the original experiment the class means are 1 apart in every dimension.",
      check=Exact(disagrees(53, "sep_i = 1/i"), method="compared with protocols.md"),
      expect=Verdict.REFUTED,
      note="The original (as Q50) used 1/i in dimension i; the seed's reading runs as Q53.13b.")

claim("Q53.3", quote="该数据集由 500 个高斯组成，其中 400 个用于训练，100 个用于测试",
      kind=Kind.PROTOCOL,
      statement="The data set has 500 points, 400 for training and 100 for testing.",
      check=Exact(agrees(53, "n = 500"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q53.4", quote="具有 2 个隐藏层的神经网络", kind=Kind.PROTOCOL,
      statement="The network has 2 hidden layers.",
      check=Exact(agrees(53, "2 hidden layers of 50"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q53.5", quote="在整个训练过程中绘制 50 个权重值", kind=Kind.PROTOCOL,
      statement="50 weight values are plotted throughout training.",
      check=Exact(agrees(53, "last 50 entries of the first weight matrix over time"),
                  method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q53.6", quote="在损失函数中包含 L1 或 L2 正则项之后重复这一过程", kind=Kind.PROTOCOL,
      statement="The runs are repeated with an L1 or L2 penalty added to the loss.",
      check=Exact(agrees(53, "L1 or L2 penalty"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q53.7", quote="我们研究这样是否会影响权重的收敛", kind=Kind.DEFINITIONAL,
      statement="The experiment studies whether the penalty affects the weights' convergence.",
      reason="states the aim of the experiment")

claim("Q53.8", quote="我们预计在正则化的情况下，权重的大小会降低", kind=Kind.EMPIRICAL,
      statement="Every penalty (L1/L2 at 0.1 and 1) gives a smaller mean |w| (all three weight "
                "matrices) than no penalty.",
      check=smaller(PENALTIES), expect=Verdict.SUPPORTED)

claim("Q53.9", quote="在 L1 正则化的情况下，我们可能会得到稀疏的权重", kind=Kind.EMPIRICAL,
      statement=f"L1 penalties (0.1 and 1) make the first layer sparser: at least {SOME_SPARSE} "
                "more of its weights have |w| < 0.01 than without a penalty.",
      check=sparser(("l1=0.1", "l1=1"), SOME_SPARSE), expect=Verdict.SUPPORTED)

claim("Q53.10", quote="如果正则化强度很高，我们就会预计正确率下降", kind=Kind.EMPIRICAL,
      statement="Strong penalties (L1 = 1 and L2 = 1) lower test accuracy compared with no "
                f"penalty (by at least {MIN_ACC}).",
      check=Empirical(ORIGINAL, AllOf([Compare(f"accuracy[{n}]", "accuracy[none]", "less",
                                               min_effect=MIN_ACC) for n in ("l1=1", "l2=1")],
                                      label="strong penalties cost accuracy")),
      expect=Verdict.INCONCLUSIVE,
      note=("L1 = 1 costs ~0.17 accuracy; L2 = 1 only ~0.026 (20 seeds), not decisively above "
           "the 0.02 margin"))

claim("Q53.11", quote="正确率实际上可能会随轻度正则化而上升", kind=Kind.EMPIRICAL,
      statement="Mild penalties (L1 = 0.1 and L2 = 0.1) raise test accuracy compared with no "
                "penalty.",
      check=Empirical(ORIGINAL, AllOf([Compare(f"accuracy[{n}]", "accuracy[none]", "greater")
                                       for n in ("l1=0.1", "l2=0.1")],
                                      label="mild penalties raise accuracy")),
      expect=Verdict.INCONCLUSIVE,
      note=("the seed hedges ('may'); both mild penalties are tested. Both are slightly worse "
            "(L1 = 0.1: -0.010, L2 = 0.1: -0.002 accuracy, 20 seeds), not better"))

claim("Q53.12", quote="`17.761 s`", kind=Kind.HISTORICAL,
      statement="The original experiment took 17.761 s.",
      reason="a runtime on the original 2018 machine; our runtimes are in the report")

claim("Q53.13", quote="我们注意到正则化确实降低了权重的大小", kind=Kind.EMPIRICAL,
      statement="Regularisation reduces weight magnitude: every penalty gives a smaller mean |w| "
                "than no penalty.",
      check=smaller(PENALTIES), expect=Verdict.SUPPORTED)

claim("Q53.13b", quote="我们注意到正则化确实降低了权重的大小", kind=Kind.EMPIRICAL,
      statement="As Q53.13, on the seed's wording of the data (means 1 apart in every "
                "dimension).",
      check=smaller(PENALTIES, SEED_WORDING), expect=Verdict.SUPPORTED)

claim("Q53.14", quote="在强 L1 正则化的情况下导致了稀疏性", kind=Kind.EMPIRICAL,
      statement=f"Strong L1 (strength 1) makes the first layer sparse: at least {STRONG_SPARSE} "
                "more of its weights have |w| < 0.01 than without a penalty.",
      check=sparser(("l1=1",), STRONG_SPARSE), expect=Verdict.SUPPORTED)

claim("Q53.14b", quote="在强 L1 正则化的情况下导致了稀疏性", kind=Kind.EMPIRICAL,
      statement="As Q53.14, on the seed's wording of the data.",
      check=sparser(("l1=1",), STRONG_SPARSE, SEED_WORDING), expect=Verdict.SUPPORTED)

ROBUST = {"c": ("learning rate x3 (0.009)", dict(lr=0.009)),
          "d": ("learning rate /3 (0.001)", dict(lr=0.001)),
          "e": ("ReLU instead of sigmoid", dict(activation="relu")),
          "f": ("twice the width (2 x 100)", dict(hidden=(100, 100)))}
for letter, (change, params) in ROBUST.items():
    claim(f"Q53.14{letter}", quote="在强 L1 正则化的情况下导致了稀疏性", kind=Kind.EMPIRICAL,
          statement="As Q53.14, with " + change + ".",
          check=sparser(("l1=1",), STRONG_SPARSE, regularisation(**params)),
          profiles=("full",), note=change)

claim("Q53.15", quote="对正确率带来什么样的影响尚未清楚", kind=Kind.OPINION,
      statement="The effect on accuracy is unclear.",
      reason="a statement about what the original single runs could show; the accuracy "
             "claims Q53.10, Q53.11, Q53.18 and Q53.21 test the effects themselves")

claim("Q53.16", quote="正则化对训练过程中习得的权重有着显著的影响", kind=Kind.EMPIRICAL,
      statement=f"Each penalty has a marked effect on the learned weights: mean |w| at least "
                f"{MIN_SHRINK:.0%} smaller than without a penalty.",
      check=smaller(PENALTIES, min_effect=MIN_SHRINK), expect=Verdict.INCONCLUSIVE,
      note=("the weakest penalty, L2 = 0.1, shrinks mean |w| by ~8.6 % [7.7, 9.6] (20 seeds), "
           "below the declared 10 %: its own interval excludes the effect the claim needs, so "
           "it is not shown as SUPPORTED, though the catalogue-wide correction stops short of "
           "refuting it"))

claim("Q53.17", quote="我们在 L1 正则化的情况下能够获得一定程度的稀疏性", kind=Kind.EMPIRICAL,
      statement=f"L1 (0.1 and 1) gives some sparsity: at least {SOME_SPARSE} more first-layer "
                "weights with |w| < 0.01 than without a penalty.",
      check=sparser(("l1=0.1", "l1=1"), SOME_SPARSE), expect=Verdict.SUPPORTED)

claim("Q53.18", quote="看起来有较大的正则化强度，这就导致正确率的折衷", kind=Kind.EMPIRICAL,
      statement=f"Strong L1 (strength 1) costs test accuracy (by at least {MIN_ACC}).",
      check=Empirical(ORIGINAL, Compare("accuracy[l1=1]", "accuracy[none]", "less",
                                        min_effect=MIN_ACC)),
      expect=Verdict.SUPPORTED)

claim("Q53.19", quote="而 L2 正则化不会导致稀疏性", kind=Kind.EMPIRICAL,
      statement=f"L2 (0.1 and 1) gives no sparsity: the fraction of first-layer weights with "
                f"|w| < 0.01 is within {NO_SPARSE} of the unpenalised one (equivalence).",
      check=Empirical(ORIGINAL, AllOf([Equivalent(f"sparsity[{n}]", "sparsity[none]",
                                                  margin=NO_SPARSE) for n in ("l2=0.1", "l2=1")],
                                      label="L2 not sparser")),
      expect=Verdict.INCONCLUSIVE,
      note=("L2 = 1 raises the fraction of first-layer weights below 0.01 by ~0.11 (L2 = 0.1: "
           "~0.01), outside the 0.05 margin, but not significantly so after correction"))

claim("Q53.20", quote="它只有更小幅度的权重", kind=Kind.EMPIRICAL,
      statement="L2 (0.1 and 1) gives smaller weights: mean |w| smaller than without a penalty.",
      check=smaller(("l2=0.1", "l2=1")), expect=Verdict.SUPPORTED)

claim("Q53.21", quote="对正确率似乎没有什么有害的影响", kind=Kind.EMPIRICAL,
      statement=f"L2 (0.1 and 1) does not hurt test accuracy: non-inferiority, accuracy not "
                f"lower than without a penalty by {NONINF} or more.",
      check=Empirical(ORIGINAL, AllOf([Compare(f"accuracy[{n}]", worse_by_margin, "greater")
                                       for n in ("l2=0.1", "l2=1")],
                                      label="L2 non-inferior")),
      expect=Verdict.INCONCLUSIVE,
      note="'no harmful effect' is one-sided: a non-inferiority test (A > B - margin), so an "
           "accuracy gain does not count against the claim as it would in a two-sided TOST")

claim("Q53.22", quote="所有这些实验都涉及（不是那么深的）MLP", kind=Kind.PROTOCOL,
      statement="All these experiments (Q42-Q53) use fully connected networks (MLPs).",
      check=Exact(fully_connected, method="compared with protocols.md (conventions)"),
      expect=Verdict.SUPPORTED)

claim("Q53.23", quote="有很多实验如果用 CNN 或 RNN 来做会很有趣", kind=Kind.OPINION,
      statement="Many of these experiments would be interesting with CNNs or RNNs.",
      reason="a suggestion for further work")

claim("Q53.24", quote="请考虑以下我认为值得探讨的一些观点", kind=Kind.OPINION,
      statement="Batch size vs learning rate, end-to-end learning, batch normalisation and "
                "transfer learning with limited data are worth exploring.",
      reason="suggestions for further experiments")
