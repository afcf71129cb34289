"""Q43. 为什么更深的网络更好？ -- Why are deeper networks better?

Original protocol (protocols.md): 16 points x = 0, 1/16, ..., 15/16 with alternating labels; a
weight-shared ReLU net (input 1->10, one shared 10->10 layer applied `depth` = 1, 2, 3 times,
10->2 output; 152 parameters at every depth; TF-default Glorot-uniform weights, zero biases);
15,000 full-batch Adam steps (lr 0.003) on softmax cross-entropy; measured: training accuracy.

"Sharp turns" of the learned function are counted as the turning points (local extrema) of the
score f(x) = logit_1 - logit_0 along x in [0, 15/16]; its trajectory length is the length of the
output's path as x moves along that segment, the total variation of f.
"""
import numpy as np

from harness import Compare, Empirical, Exact, Kind, Trend, Verdict, claim
from harness.original import agrees
from experiments.q43_depth import DEPTHS, SharedDepthNet, shared_depth

ORIGINAL = shared_depth()
# Declared before any run. Accuracy on 16 points moves in steps of 1/16: the fitted rise from
# depth 1 to depth 3 must be at least one point (1/16) to count as "higher accuracy".
MIN_ACCURACY = 1 / 16
# Turning points are counts: at least one more turn from depth 1 to depth 3.
MIN_TURNS = 1.0
# Trajectory length is in logits (the score's total variation over the 16-point segment): a rise
# below one logit changes no classification and is not a longer trajectory in any useful sense.
MIN_LENGTH = 1.0


def accuracy_rises(protocol):
    return Empirical(protocol, Trend("accuracy_by_depth", DEPTHS, "increasing",
                                     min_effect=MIN_ACCURACY))


def half(trials):
    """one half (a majority of runs)"""
    return np.full(len(trials), 0.5)


def count_parameters():
    counts = {}
    for depth in DEPTHS:
        net = SharedDepthNet([depth])
        counts[depth] = net.parameters_per_model()
    by_hand = (1 * 10 + 10) + (10 * 10 + 10) + (10 * 2 + 2)
    unshared = {d: (1 * 10 + 10) + d * (10 * 10 + 10) + (10 * 2 + 2) for d in DEPTHS}
    holds = all(c == 152 for c in counts.values()) and by_hand == 152
    return holds, (f"parameters per model at depth {counts} (input 1->10: 20, shared 10->10: "
                   f"110, output 10->2: 22 = {by_hand}); without sharing it would be {unshared}")


claim("Q43.1", quote="在实践中，更深的多层感知器（具有超过一个隐藏层）在许多感兴趣的任务上的表现，在很大程度上都胜过浅层感知器",
      kind=Kind.OPINION,
      statement="In practice, deeper MLPs (more than one hidden layer) largely outperform shallow "
                "ones on many tasks of interest.",
      reason="a broad generalisation over unnamed tasks; no single experiment here can test it")

claim("Q43.2", quote="更深的神经网络仅需更少的参数就可以表达许多重要的函数类", kind=Kind.CITATION,
      statement="Some argue that deeper networks can express many important function classes "
                "with fewer parameters.",
      reason="attributes a view to others (the depth-separation literature cited below)")

claim("Q43.3", quote="表达简单的径向函数和组合函数需要使用浅层网络的指数级大量参数",
      kind=Kind.CITATION,
      statement="Theory shows that expressing simple radial functions with a shallow network "
                "needs exponentially many parameters.",
      reason="a result of Eldan & Shamir (2016, 'The power of depth for feedforward neural "
             "networks', arXiv:1512.03965): a radial function a 3-layer net expresses with "
             "polynomial width needs width exponential in the input dimension in a 2-layer net")

claim("Q43.4", quote="表达简单的径向函数和组合函数需要使用浅层网络的指数级大量参数",
      kind=Kind.CITATION,
      statement="Theory shows that expressing compositional functions with a shallow network "
                "needs exponentially many parameters.",
      reason="a result of Mhaskar, Liao & Poggio (2016, arXiv:1603.00988): for compositional "
             "(hierarchically local) functions shallow nets need exponentially more units")

claim("Q43.5", quote="但深度神经网络则不然", kind=Kind.CITATION,
      statement="Deep networks do not need exponentially many parameters for these functions.",
      reason="the other half of the cited depth-separation results")

claim("Q43.6", quote="我打算用实验来验证这些论文，但我不能这样做", kind=Kind.HISTORICAL,
      statement="The author tried to verify these papers experimentally and could not.",
      reason="the original author's own unreported attempts")

claim("Q43.7", quote="这并不会使论文的结果无效——仅仅因为存在一组神经网络参数，并不意味着它们可以通过随机梯度下降来轻松习得",
      kind=Kind.OPINION,
      statement="Failing to reproduce them does not invalidate the papers: that suitable "
                "parameters exist does not mean SGD can easily learn them.",
      reason="a logical remark on existence versus learnability, not a measurement")

claim("Q43.8", quote="某种程度上可靠地再现来自论文《Representation Benefits of Deep Feedforward Networks》的唯一结果",
      kind=Kind.HISTORICAL,
      statement="The only result the author could reproduce, somewhat reliably, is the one from "
                "'Representation Benefits of Deep Feedforward Networks'.",
      reason="the original author's own experience; its reproduction is tested as Q43.18")

claim("Q43.9", quote="这篇论文提出了一系列困难的分类问题，这些问题对更深层的神经网络而言更容易",
      kind=Kind.CITATION,
      statement="That paper proposes a family of hard classification problems that are easier "
                "for deeper networks.",
      reason="describes Telgarsky (2015, arXiv:1509.08101): n-alternating-point problems that a "
             "deep ReLU net classifies exactly while shallow nets need exponentially many units")

claim("Q43.10", quote="Representation Benefits of Deep Feedforward Networks 论文地址：https://arxiv.org/pdf/1509.08101.pdf",
      kind=Kind.CITATION,
      statement="'Representation Benefits of Deep Feedforward Networks' is arXiv:1509.08101.",
      reason="a web address (arXiv 1509.08101 is Telgarsky's paper); not checkable offline")

claim("Q43.11", quote="简单径向函数论文：https://arxiv.org/pdf/1512.03965.pdf", kind=Kind.CITATION,
      statement="The radial-function paper is arXiv:1512.03965.",
      reason="a web address (Eldan & Shamir, 'The Power of Depth for Feedforward Neural "
             "Networks'); not checkable offline")

claim("Q43.12", quote="组合函数论文：https://arxiv.org/pdf/1603.00988.pdf", kind=Kind.CITATION,
      statement="The compositional-function paper is arXiv:1603.00988.",
      reason="a web address (Mhaskar, Liao & Poggio, 'Learning Functions: When Is Deep Better "
             "Than Shallow'); not checkable offline")

claim("Q43.13", quote="沿着 x 轴的 16 个等距点", kind=Kind.PROTOCOL,
      statement="The data set is 16 equally spaced points along the x axis.",
      check=Exact(agrees(43, "16 points x = 0, 1/16, …, 15/16"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q43.14", quote="每对相邻点都属于相反的类", kind=Kind.PROTOCOL,
      statement="Adjacent points belong to opposite classes.",
      check=Exact(agrees(43, "labels alternating"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q43.15", quote="一种跨层共享权重的神经网络", kind=Kind.PROTOCOL,
      statement="The network shares its weights across layers.",
      check=Exact(agrees(43, "weight-shared net"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q43.16", quote="具有固定数量（152）的参数", kind=Kind.EXACT,
      statement="The weight-shared network (1->10, shared 10->10 applied depth times, 10->2, "
                "with biases) has exactly 152 parameters at every depth 1, 2, 3.",
      check=Exact(count_parameters, method="counted the parameters of the batched module"),
      expect=Verdict.SUPPORTED)

claim("Q43.17", quote="但测试了层的不同数量", kind=Kind.PROTOCOL,
      statement="Different numbers of layers are tested.",
      check=Exact(agrees(43, "depth 1, 2, 3"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q43.18", quote="随着具有固定数量参数的神经网络中层数的增加，困难的分类问题的正确率将得到提高",
      kind=Kind.EMPIRICAL,
      statement=f"At a fixed 152 parameters, training accuracy on the 16 alternating points rises "
                f"with depth 1 -> 2 -> 3 (overall trend, a rise of at least {MIN_ACCURACY:.4f} = "
                f"one point).",
      check=accuracy_rises(ORIGINAL), expect=Verdict.INCONCLUSIVE,
      note="Most runs fit only 10-11 of the 16 points at any depth (a few ReLU nets, with TF's "
           "zero biases and x >= 0, are dead: a constant score); the mean rise from depth 1 to "
           "3 (0.06 at 20 seeds, 0.09 [0.05, 0.12] at 40) is about the one point required.")

claim("Q43.18c", quote="随着具有固定数量参数的神经网络中层数的增加，困难的分类问题的正确率将得到提高",
      kind=Kind.EMPIRICAL, statement="As Q43.18 with the learning rate tripled (0.009).",
      check=accuracy_rises(shared_depth(lr=0.009)), profiles=("full",), expect=Verdict.SUPPORTED,
      note="robustness: lr x3")

claim("Q43.18d", quote="随着具有固定数量参数的神经网络中层数的增加，困难的分类问题的正确率将得到提高",
      kind=Kind.EMPIRICAL, statement="As Q43.18 with the learning rate divided by 3 (0.001).",
      check=accuracy_rises(shared_depth(lr=0.001)), profiles=("full",), expect=Verdict.SUPPORTED,
      note="robustness: lr / 3")

claim("Q43.18e", quote="随着具有固定数量参数的神经网络中层数的增加，困难的分类问题的正确率将得到提高",
      kind=Kind.EMPIRICAL,
      statement="As Q43.18 with sigmoid units (the original is already ReLU, so the activation "
                "variant swaps the other way).",
      check=accuracy_rises(shared_depth(activation="sigmoid")), profiles=("full",), expect=Verdict.INCONCLUSIVE,
      note="robustness: sigmoid instead of ReLU (the original uses ReLU)")

claim("Q43.18f", quote="随着具有固定数量参数的神经网络中层数的增加，困难的分类问题的正确率将得到提高",
      kind=Kind.EMPIRICAL,
      statement="As Q43.18 with width 20 instead of 10 (502 parameters at every depth).",
      check=accuracy_rises(shared_depth(width=20)), profiles=("full",), expect=Verdict.SUPPORTED,
      note="robustness: width x2")

claim("Q43.19", quote="运行实验所需的时间： `28.688 s`", kind=Kind.HISTORICAL,
      statement="The original experiment took 28.688 s.",
      reason="a runtime on the original 2018 machine; our runtimes are in the report")

claim("Q43.20", quote="红点和蓝点代表属于不同类别的点", kind=Kind.DEFINITIONAL,
      statement="In the figure, red and blue dots are points of the two classes.",
      reason="describes the original figure")

claim("Q43.21", quote="若神经网络分配的分数大于零，则被预测为红点；否则，被预测为蓝点", kind=Kind.DEFINITIONAL,
      statement="A point is predicted red when the network's score is above zero, else blue; the "
                "dashed line is the learned score and the zero line is drawn in black.",
      reason="describes how the original figure reads the network's output")

claim("Q43.22", quote="在大多实验中，正确率随深度的增加而增加", kind=Kind.EMPIRICAL,
      statement="In most runs (more than half of the seeds) training accuracy rises with depth: "
                "it never falls from one depth to the next and is higher at depth 3 than at "
                "depth 1.",
      check=Empirical(ORIGINAL, Compare("rises_with_depth", half, "greater")),
      expect=Verdict.INCONCLUSIVE)

claim("Q43.23", quote="似乎更深的层允许从输入到输出的学习到的函数出现更多“急弯”", kind=Kind.EMPIRICAL,
      statement=f"The learned function has more sharp turns at greater depth: the number of "
                f"turning points of the score along x in [0, 15/16] rises with depth 1 -> 2 -> 3 "
                f"(overall trend, at least {MIN_TURNS:g} more).",
      check=Empirical(ORIGINAL, Trend("turns_by_depth", DEPTHS, "increasing",
                                      min_effect=MIN_TURNS)),
      expect=Verdict.INCONCLUSIVE,
      note="Borderline at 20 seeds (about 3 more turns from depth 1 to 3, p near the Holm "
           "threshold: SUPPORTED in one run, INCONCLUSIVE in another after rounding-level "
           "changes); the full profile's 40 seeds give 3.25 [2.15, 4.47] turns, SUPPORTED.")

claim("Q43.24", quote="这似乎跟神经网络的轨迹长度有关", kind=Kind.EMPIRICAL,
      statement=f"The sharper functions of deeper nets go with a longer trajectory: the length "
                f"of the score's trajectory as x moves along [0, 15/16] rises with depth "
                f"1 -> 2 -> 3 (overall trend, at least {MIN_LENGTH:g} logit longer).",
      check=Empirical(ORIGINAL, Trend("trajectory_by_depth", DEPTHS, "increasing",
                                      min_effect=MIN_LENGTH)),
      expect=Verdict.SUPPORTED,
      note="Raghu et al. (2017) show trajectory length growing with depth; 'related' is read as "
           "'trajectory length grows with depth as the turns do'.")

claim("Q43.25", quote="即衡量输入沿着固定长度的一维路径变化时，神经网络的输出量是多少", kind=Kind.DEFINITIONAL,
      statement="Trajectory length measures how much a network's output changes as its input "
                "moves along a one-dimensional path of fixed length.",
      reason="a definition; it matches Raghu et al.'s (arc length of the output's trajectory "
             "for an input moving along a 1-d path)")

claim("Q43.26", quote="轨迹长度论文：https://arxiv.org/pdf/1606.05336.pdf", kind=Kind.CITATION,
      statement="The trajectory-length paper is arXiv:1606.05336.",
      reason="a web address (Raghu et al., 'On the Expressive Power of Deep Neural Networks'); "
             "not checkable offline")
