"""Q50. 损失函数重要吗？ -- Does the loss function matter?

Original protocol (protocols.md): a two-class 12-d Gaussian mixture (class-1 mean 1/i in
dimension i, s = 1, 500 rows, 400 train / 100 test), an MLP with two sigmoid hidden layers of
100, 500 Adam steps (lr 0.003) on mini-batches of 64, test accuracy every 50 steps. Losses:
cross-entropy, MAE, MSE, mean fourth-power error, hinge, and a constant (0 × MSE) as a negative
control. The seed says the means are 1 apart in every dimension: that variant runs too (``b``).
"""
from harness import (AllOf, AtChance, Compare, Empirical, Equivalent, Exact, Kind, Verdict,
                     claim)
from harness.original import agrees, disagrees
from experiments.q50_losses import loss_functions

ORIGINAL = loss_functions(separation="inverse")
SEED_WORDING = loss_functions(separation="ones")
CE = "accuracy[cross_entropy]"
OTHERS = ("mae", "mse", "fourth", "hinge")   # every loss but cross-entropy and the control
# Declared before any run: on a 100-row test set, accuracies within 3 points are "alike".
MARGIN = 0.03


def all_alike(protocol):
    return Empirical(protocol, AllOf([Equivalent(f"accuracy[{l}]", CE, margin=MARGIN)
                                      for l in OTHERS], label="equivalence to cross-entropy"))


claim("Q50.1", quote="对于分类任务，通常使用交叉熵损失函数", kind=Kind.OPINION,
      statement="Cross-entropy is the loss usually used for classification.",
      reason="a statement about common practice, not about what a loss does")

claim("Q50.2", quote="在每个维度上都有一个由 1 隔开的均值", kind=Kind.PROTOCOL,
      statement="In the original experiment the class means are 1 apart in every dimension.",
      check=Exact(disagrees(50, "sep_i = 1/i"), method="compared with protocols.md"),
      expect=Verdict.REFUTED,
      note="The original used a separation of 1/i in dimension i; both variants are run below.")

claim("Q50.3", quote="该数据集由 500 个高斯组成，其中 400 个用于训练，100 个用于测试",
      kind=Kind.PROTOCOL,
      statement="The data set has 500 points, 400 for training and 100 for testing.",
      check=Exact(agrees(50, "n = 500"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q50.4", quote="作为阴性对照，包括一个不变的损失函数", kind=Kind.EMPIRICAL,
      statement="With a constant loss (the negative control) the network does not learn: its "
                "test accuracy stays within 0.10 of chance (0.5).",
      check=Empirical(ORIGINAL, AtChance("accuracy[constant]", chance=0.5, margin=0.10)),
      expect=Verdict.SUPPORTED)

claim("Q50.5", quote="我们预计交叉熵损失函数作为分类任务的标准损失函数，表现最好", kind=Kind.EMPIRICAL,
      statement="Cross-entropy gives a higher final test accuracy than each other loss.",
      check=Empirical(ORIGINAL, AllOf([Compare(CE, f"accuracy[{l}]", "greater")
                                       for l in OTHERS], label="cross-entropy best")),
      expect=Verdict.INCONCLUSIVE)

claim("Q50.6", quote="我们预计其他损失函数表现不佳", kind=Kind.EMPIRICAL,
      statement=f"Every other (non-control) loss is worse than cross-entropy by at least "
                f"{MARGIN} test accuracy.",
      check=Empirical(ORIGINAL, AllOf([Compare(CE, f"accuracy[{l}]", "greater",
                                               min_effect=MARGIN) for l in OTHERS],
                                      label="others worse")),
      expect=Verdict.REFUTED)

claim("Q50.7", quote="除去阴性对照外，所有的损失都有类似的表现", kind=Kind.EMPIRICAL,
      statement=f"Apart from the negative control, every loss reaches a final test accuracy "
                f"within {MARGIN} of cross-entropy's (equivalence, TOST).",
      check=all_alike(ORIGINAL), expect=Verdict.INCONCLUSIVE,
      note="The fourth-power loss trails cross-entropy by about the margin (see Q50.8).")

claim("Q50.7b", quote="除去阴性对照外，所有的损失都有类似的表现", kind=Kind.EMPIRICAL,
      statement="As Q50.7, on the seed's wording of the data (means 1 apart in every dimension).",
      check=all_alike(SEED_WORDING), expect=Verdict.INCONCLUSIVE)

claim("Q50.8", quote="提升到四次幂，其性能要比其他差一些", kind=Kind.EMPIRICAL,
      statement="The mean fourth-power loss gives a lower final test accuracy than each of the "
                "other (non-control) losses.",
      check=Empirical(ORIGINAL, AllOf([Compare("accuracy[fourth]", f"accuracy[{l}]", "less")
                                       for l in ("cross_entropy", "mae", "mse", "hinge")],
                                      label="fourth-power worst")),
      expect=Verdict.INCONCLUSIVE,
      note="The fourth-power loss trails cross-entropy by about 2-3 points; against each of "
           "the four other losses separately (intersection-union), 20 seeds do not reach the "
           "catalogue-wide Holm threshold.")

claim("Q50.9", quote="损失函数的选择对最终结果没有实质影响", kind=Kind.EMPIRICAL,
      statement="The choice among these losses has no material effect on final test accuracy "
                f"(each within {MARGIN} of cross-entropy).",
      check=all_alike(ORIGINAL), expect=Verdict.INCONCLUSIVE)

claim("Q50.10", quote="因为这些损失函数非常相似", kind=Kind.OPINION,
      statement="The losses behave alike because they are very similar functions.",
      reason="an explanation offered for the result, not a measured claim")

claim("Q50.11", quote="`36.652 s`", kind=Kind.HISTORICAL,
      statement="The original experiment took 36.652 s.",
      reason="a runtime on the original 2018 machine; our runtimes are in the report")
