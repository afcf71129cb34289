"""Q42. 神经网络中，是否隐藏层如果具有足够数量的单位，它就可以近似任何连续函数？ -- If a hidden
layer has enough units, can a neural network approximate any continuous function?

Original protocol (protocols.md): x = 100 evenly spaced points on [-1, 1] (the seed says 50),
targets sin(12x), -2x^4+x^3+x^2-2x and |x|; one sigmoid hidden layer of 2, 4 or 16 units;
10,000 full-batch Adam steps (lr 0.003) on the MSE; measured: the final training MSE.

Both point counts (100 = original, 50 = the seed's wording, the ``b`` claims) are trained in the
same batched run, so they share seeds and initial weights. The trend tests use log10 MSE: the
errors span orders of magnitude, and a fall is judged relative to the error's size.
"""
from harness import AllOf, Empirical, Exact, Kind, Trend, Verdict, claim
from harness.original import agrees, disagrees
from experiments.q42_approximation import TARGETS, UNITS, approximation

ORIGINAL = approximation()                       # 100 and 50 points, one batched run
TARGET_NAMES = tuple(TARGETS)
# Declared before any run: the fitted fall of log10 MSE from 2 to 16 units must be at least
# 0.1 decades (a ~21 % lower MSE); a smaller fall is no practical improvement of the fit.
MIN_FALL = 0.1


def falls(n, protocol=ORIGINAL, units=UNITS):
    """Every target's training MSE falls overall as the hidden units increase."""
    return Empirical(protocol, AllOf([
        Trend(f"log_mse_by_units[n={n},f={f}]", units, "decreasing", min_effect=MIN_FALL)
        for f in TARGET_NAMES], label="each target"))


def falls_generally(n, protocol=ORIGINAL, units=UNITS):
    """The average over the three targets of log10 MSE falls overall."""
    return Empirical(protocol, Trend(f"log_mse_by_units[n={n},mean]", units, "decreasing",
                                     min_effect=MIN_FALL))


claim("Q42.1", quote="通用逼近性定理指出，一个具有单个隐藏层和标准激活函数的简单前馈神经网络（即多层感知器），"
                     "如果隐藏层具有足够数量的单位，它就可以近似任何连续函数",
      kind=Kind.CITATION,
      statement="The universal approximation theorem says that a one-hidden-layer feed-forward "
                "network with a standard activation can approximate any continuous function, "
                "given enough hidden units.",
      reason="attributes a theorem (Cybenko 1989; Hornik, Stinchcombe & White 1989; Leshno et "
             "al. 1993 for any non-polynomial activation). It holds for continuous functions on "
             "a compact domain, uniformly -- a condition the sentence leaves out; an existence "
             "result that no finite experiment proves.")

claim("Q42.2", quote="50 个数据点", kind=Kind.PROTOCOL,
      statement="The original experiment trained on 50 data points.",
      check=Exact(disagrees(42, "x = 100 evenly spaced points"), method="compared with protocols.md"),
      expect=Verdict.REFUTED,
      note="The original used 100 evenly spaced points; the empirical claims run both (b = 50).")

claim("Q42.3", quote="训练一个 1 层神经网络", kind=Kind.PROTOCOL,
      statement="The network has one (hidden) layer.",
      check=Exact(agrees(42, "1 hidden layer"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q42.4", quote="从域 `[-1,1]` 上的以下函数中绘制", kind=Kind.PROTOCOL,
      statement="The data points are drawn from the target functions on the domain [-1, 1].",
      check=Exact(agrees(42, "on [\u22121, 1]"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q42.5", quote="所得拟合的均方误差", kind=Kind.PROTOCOL,
      statement="What is measured is the mean squared error of the resulting fit (on the "
                "training points).",
      check=Exact(agrees(42, "final training MSE"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q42.6", quote="随着隐藏层中单位的数量增加，所得拟合的正确率（Accuracy）将会增加（误差将会减少）",
      kind=Kind.EMPIRICAL,
      statement=f"For each of the three targets, the final training MSE falls as the hidden "
                f"units go 2 -> 4 -> 16 (overall trend of log10 MSE, a fall of at least "
                f"{MIN_FALL} decades), 100 points as in the original.",
      check=falls(100), expect=Verdict.SUPPORTED,
      note="'Accuracy' of a regression fit is read as the parenthesis says: a lower error.")

claim("Q42.6b", quote="随着隐藏层中单位的数量增加，所得拟合的正确率（Accuracy）将会增加（误差将会减少）",
      kind=Kind.EMPIRICAL,
      statement="As Q42.6, on the seed's wording of the data: 50 evenly spaced points.",
      check=falls(50), expect=Verdict.SUPPORTED)

claim("Q42.7", quote="运行实验所需的时间： `91.595 s`", kind=Kind.HISTORICAL,
      statement="The original experiment took 91.595 s.",
      reason="a runtime on the original 2018 machine; our runtimes are in the report")

claim("Q42.8", quote="随着隐藏单位数量的增加，训练数据的逼近误差一般会减小", kind=Kind.EMPIRICAL,
      statement=f"In general -- averaged over the three targets -- the training error falls as "
                f"the hidden units go 2 -> 4 -> 16 (overall trend of the mean log10 MSE, a fall "
                f"of at least {MIN_FALL} decades), 100 points.",
      check=falls_generally(100), expect=Verdict.SUPPORTED)

claim("Q42.8b", quote="随着隐藏单位数量的增加，训练数据的逼近误差一般会减小", kind=Kind.EMPIRICAL,
      statement="As Q42.8, on the seed's 50 points.",
      check=falls_generally(50), expect=Verdict.SUPPORTED)

claim("Q42.8c", quote="随着隐藏单位数量的增加，训练数据的逼近误差一般会减小", kind=Kind.EMPIRICAL,
      statement="As Q42.8 with the learning rate tripled (0.009).",
      check=falls_generally(100, approximation(points=(100,), lr=0.009)),
      profiles=("full",), expect=Verdict.SUPPORTED, note="robustness: lr x3")

claim("Q42.8d", quote="随着隐藏单位数量的增加，训练数据的逼近误差一般会减小", kind=Kind.EMPIRICAL,
      statement="As Q42.8 with the learning rate divided by 3 (0.001).",
      check=falls_generally(100, approximation(points=(100,), lr=0.001)),
      profiles=("full",), expect=Verdict.SUPPORTED, note="robustness: lr / 3")

claim("Q42.8e", quote="随着隐藏单位数量的增加，训练数据的逼近误差一般会减小", kind=Kind.EMPIRICAL,
      statement="As Q42.8 with ReLU hidden units instead of sigmoid.",
      check=falls_generally(100, approximation(points=(100,), activation="relu")),
      profiles=("full",), expect=Verdict.SUPPORTED, note="robustness: ReLU instead of sigmoid")

claim("Q42.8f", quote="随着隐藏单位数量的增加，训练数据的逼近误差一般会减小", kind=Kind.EMPIRICAL,
      statement="As Q42.8 with twice the widths (4 -> 8 -> 32 hidden units).",
      check=falls_generally(100, approximation(points=(100,), units=(4, 8, 32)), (4, 8, 32)),
      profiles=("full",), expect=Verdict.SUPPORTED, note="robustness: width x2")

claim("Q42.9", quote="尽管通用逼近定理指出，具有足够参数的神经网络可以近似一个真实的分类 / 回归函数",
      kind=Kind.CITATION,
      statement="The universal approximation theorem says that a network with enough parameters "
                "can approximate a true classification / regression function.",
      reason="restates the theorem cited in Q42.1 (continuous targets on a compact domain)")

claim("Q42.10", quote="但它并没有说明这些参数是否可以通过随机梯度下降这样的过程来习得",
      kind=Kind.CITATION,
      statement="The theorem does not say whether such parameters can be learned by a procedure "
                "like stochastic gradient descent.",
      reason="a statement about the theorem's content: it is an existence result (Cybenko 1989; "
             "Hornik et al. 1989) and indeed says nothing about learnability by SGD")

claim("Q42.11", quote="你可参阅论文《NEURAL NETWORKS FOR OPTIMAL APPROXIMATION OFSMOOTH AND ANALYTIC "
                      "FUNCTIONS》对此的一些讨论",
      kind=Kind.CITATION,
      statement="The paper 'Neural networks for optimal approximation of smooth and analytic "
                "functions' discusses how many neurons are needed to approximate a function.",
      reason="a paper reference (H. N. Mhaskar, Neural Computation 8(1), 1996, on the number of "
             "neurons needed for a given accuracy); the seed's title drops a space ('OFSMOOTH')")

claim("Q42.12", quote="论文地址：https://pdfs.semanticscholar.org/694a/d455c119c0d07036792b80abbf5488a9a4ca.pdf",
      kind=Kind.CITATION,
      statement="The paper is available at the given Semantic Scholar PDF address.",
      reason="a web address; not checkable offline")
