"""Q46. 你如何判断一个神经网络是记忆还是泛化? -- How can you tell whether a network memorises
or generalises?

Original protocol (protocols.md): 6-d Gaussian mixture (sep = 1 in every dimension, s = 1),
n = 50, 100, 150, 200, 250, 300 with true or randomly permuted labels; 3 sigmoid hidden layers
of 200, 2,500 mini-batch Adam steps (64 rows, lr 0.003), cross-entropy; training accuracy on all
rows every 250 steps (3 repeats); second panel: n = 150 over steps.

Definitions (declared before any run):
* a model *fits* its labels when its training accuracy reaches >= 0.99 at a checkpoint within
  the 2,500-step budget; *steps to fit* is the first such checkpoint (250-step checkpoints as in
  the original; a model that never fits is censored at 2,750, a lower bound);
* a seed's *memorisation capacity* is the largest n of the grid whose randomly permuted labels
  the network fits (0 if none); the grid resolves it to 50 points;
* the seed's wording "the accuracy at every epoch" runs on a 25-step grid (``_fine`` measures;
  at n = 150 an "epoch" is 150/64 = 2.3 steps, so 25 steps is ~11 epochs: the finest grid that
  the budget allows, 10x finer than the original's) -- the ``b`` claims;
* held-out accuracy: 500 rows of the same mixture with their true labels.
All sizes, both label kinds and all seeds are one batched model (``rows=`` padding). The network
(82,202 parameters) costs ~10x Q50's per model, so the standard profile caps it at 10 seeds.
"""
import numpy as np

from harness import AtChance, Compare, Empirical, Exact, Kind, Value, Verdict, claim
from harness.original import agrees, disagrees
from experiments.q46_memorisation import SIZES, memorisation

ORIGINAL = memorisation()
MAX_SEEDS = 10
# Declared before any run.
FIT = 0.99              # "fits / memorises": training accuracy >= 0.99
TOLERANCE = 50          # "about 150": within one step of the 50-point grid, i.e. 100..200
GENERALISATION = 0.05   # smallest held-out benefit of true labels worth the name "generalises"
CHANCE_MARGIN = 0.05    # "at chance": within 5 points of 0.5 (500 held-out rows: sd ~0.022)


def at(name, n):
    i = SIZES.index(n)

    def f(trials):
        return trials[name][:, i]
    f.__doc__ = f"{name} at n = {n}"
    return f


def mean_over_sizes(name):
    def f(trials):
        return trials[name].mean(axis=1)
    f.__doc__ = f"{name}, mean over n = {', '.join(map(str, SIZES))}"
    return f


def reaches_fit(n):
    """The threshold 0.99 expressed on an n-row accuracy: >= 0.99 iff > 0.99 - 0.5/n."""
    def f(trials):
        return np.full(len(trials), FIT - 0.5 / n)
    f.__doc__ = f"{FIT} (fit threshold)"
    return f


def slower(protocol, suffix="", n=150):
    return Empirical(protocol, Compare(at(f"steps_to_fit{suffix}[random]", n),
                                       at(f"steps_to_fit{suffix}[true]", n), "greater"),
                     max_seeds=MAX_SEEDS)


def slower_overall(protocol, suffix=""):
    return Empirical(protocol, Compare(mean_over_sizes(f"steps_to_fit{suffix}[random]"),
                                       mean_over_sizes(f"steps_to_fit{suffix}[true]"), "greater"),
                     max_seeds=MAX_SEEDS)


def capacity(protocol):
    return Empirical(protocol, Value("capacity", target=150, tolerance=TOLERANCE),
                     max_seeds=MAX_SEEDS)


claim("Q46.1", quote="具有许多参数的神经网络具有记忆大量训练样本的能力", kind=Kind.EMPIRICAL,
      statement="A network with many parameters (3 x 200 sigmoid units, 82,202 parameters) can "
                "memorise many training samples: on 100 points with randomly permuted labels its "
                f"training accuracy reaches >= {FIT} within 2,500 steps.",
      check=Empirical(ORIGINAL, Compare(at("max_accuracy[random]", 100), reaches_fit(100),
                                        "greater"), max_seeds=MAX_SEEDS),
      expect=Verdict.SUPPORTED)

claim("Q46.2", quote="神经网络学习随机分配标签不同于它学习重复标签的速度", kind=Kind.EMPIRICAL,
      statement="A network learns randomly assigned labels at a different speed from real ones: "
                "at n = 150 it needs more steps to fit random labels than true labels (the "
                "direction reported in the literature; 250-step checkpoints).",
      check=slower(ORIGINAL), expect=Verdict.INCONCLUSIVE,
      note="'重复标签' is read as the real (non-random) labels.")

claim("Q46.3", quote="这是 Arpit 等人在论文中使用的策略之一", kind=Kind.CITATION,
      statement="Comparing how fast a network learns random vs real labels is one of the "
                "strategies of Arpit et al. (2017), arXiv:1706.05394.",
      reason="attribution to a paper (A Closer Look at Memorization in Deep Networks, which does "
             "compare learning speed on real vs random data); not an experimental claim")

claim("Q46.4", quote="首先我们生成一个 6 维高斯混合", kind=Kind.PROTOCOL,
      statement="The data are a 6-dimensional Gaussian mixture.",
      check=Exact(agrees(46, "d = 6"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q46.5", quote="并随机分配它们的标签", kind=Kind.PROTOCOL,
      statement="The memorisation runs assign the labels at random (a random permutation).",
      check=Exact(agrees(46, "randomly permuted labels"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q46.6", quote="我们测量训练数据的正确率，以增加数据集的大小", kind=Kind.PROTOCOL,
      statement="The original measures training-set accuracy as the data set size grows.",
      check=Exact(agrees(46, "training accuracy"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q46.7", quote="我们选择一个神经网络能力范围之内的数据集大小", kind=Kind.EMPIRICAL,
      statement=f"The size chosen for the second panel (n = 150) is within the network's "
                f"memorisation capacity: with random labels it reaches >= {FIT} training "
                "accuracy within 2,500 steps.",
      check=Empirical(ORIGINAL, Compare(at("max_accuracy[random]", 150), reaches_fit(150),
                                        "greater"), max_seeds=MAX_SEEDS),
      expect=Verdict.INCONCLUSIVE, note="protocols.md: the second panel uses n = 150.")

claim("Q46.8", quote="我们观察每个轮数的正确率度", kind=Kind.PROTOCOL,
      statement="The original records the accuracy at every epoch.",
      check=Exact(disagrees(46, "every 250 steps"), method="compared with protocols.md"),
      expect=Verdict.REFUTED,
      note="The original records every 250 steps (~107 epochs at n = 150); the seed's wording "
           "runs as the b claims on a 25-step grid.")

claim("Q46.9", quote="对随机标签而言，训练应该耗费更长的时间", kind=Kind.EMPIRICAL,
      statement="Training takes longer on random labels than on true labels: steps to fit "
                "(censored at 2,750), averaged over n = 50..300, is larger for random labels.",
      check=slower_overall(ORIGINAL), expect=Verdict.INCONCLUSIVE,
      note='10 seeds: +642 steps [217, 1204], raw p = 0.04.')

claim("Q46.9b", quote="对随机标签而言，训练应该耗费更长的时间", kind=Kind.EMPIRICAL,
      statement="As Q46.9, with the accuracy recorded every 25 steps (the seed's 'every epoch' "
                "reading; censored at 2,525).",
      check=slower_overall(ORIGINAL, "_fine"), expect=Verdict.INCONCLUSIVE)

claim("Q46.10", quote="`432.275 s`", kind=Kind.HISTORICAL,
      statement="The original experiment took 432.275 s.",
      reason="a runtime on the original 2018 machine; our runtimes are in the report")

claim("Q46.11", quote="神经网络的记忆能力约为 150 个训练点", kind=Kind.EMPIRICAL,
      statement=f"The network's memorisation capacity (largest n whose random labels it fits to "
                f">= {FIT} within 2,500 steps) is about 150: mean over seeds within "
                f"150 ± {TOLERANCE}.",
      check=capacity(ORIGINAL), expect=Verdict.INCONCLUSIVE,
      note="10 seeds: mean capacity 130 [115, 145] (raw p = 0.005 for 150 ± 50; not significant after Holm over the project's claims).")

claim("Q46.12", quote="神经网络也需要更长的时间来学习随机标签，而不是真实值（ground truth）标签",
      kind=Kind.EMPIRICAL,
      statement="Even within capacity (n = 150), the network needs more steps to fit random "
                "labels than true labels (250-step checkpoints).",
      check=slower(ORIGINAL), expect=Verdict.INCONCLUSIVE,
      note="10 seeds: +625 steps [125, 1250], random slower on 6 of 10 seeds, ties elsewhere: with overlapping classes the true labels also need ~2,000 steps to reach 0.99 (they pass 0.9 within ~250 steps; see the figure's second panel).")

claim("Q46.12b", quote="神经网络也需要更长的时间来学习随机标签，而不是真实值（ground truth）标签",
      kind=Kind.EMPIRICAL,
      statement="As Q46.12, with the accuracy recorded every 25 steps (the seed's 'every epoch' "
                "reading).",
      check=slower(ORIGINAL, "_fine"), expect=Verdict.INCONCLUSIVE)

claim("Q46.13", quote="这个结果并不令人感到意外", kind=Kind.OPINION,
      statement="The result is not surprising.",
      reason="a judgement about the result")

claim("Q46.14", quote="我们希望真正的标签能够更快的学到", kind=Kind.EMPIRICAL,
      statement="True labels are learnt faster than random ones (as Q46.9: mean steps to fit "
                "over n = 50..300).",
      check=slower_overall(ORIGINAL), expect=Verdict.INCONCLUSIVE)

claim("Q46.15", quote="如果一个神经网络学会正确地分类一个特定的数据点时，它也将学会分类其他类似的数据点",
      kind=Kind.EMPIRICAL,
      statement=f"With meaningful labels, learning the training points also classifies similar "
                f"unseen points: at n = 150, held-out accuracy (500 rows, true labels) of the "
                f"network trained on true labels exceeds that of the network trained on random "
                f"labels by at least {GENERALISATION}.",
      check=Empirical(ORIGINAL, Compare(at("test_accuracy[true]", 150),
                                        at("test_accuracy[random]", 150), "greater",
                                        min_effect=GENERALISATION), max_seeds=MAX_SEEDS),
      expect=Verdict.SUPPORTED)

claim("Q46.16", quote="但前提它们不是随机的", kind=Kind.EMPIRICAL,
      statement=f"...but not when the labels are random: at n = 150 the network trained on "
                f"random labels classifies held-out points at chance (0.5 ± {CHANCE_MARGIN}).",
      check=Empirical(ORIGINAL, AtChance(at("test_accuracy[random]", 150), chance=0.5,
                                         margin=CHANCE_MARGIN), max_seeds=MAX_SEEDS),
      expect=Verdict.INCONCLUSIVE,
      note="a negative control: permuted labels are independent of x. 10 seeds: mean 0.525 "
           "[0.506, 0.562] (a finite permutation keeps some chance correlation with x).")

# Robustness of the two conclusions (capacity about 150; random labels slower at n = 150).
for letter, change, protocol in (
        ("c", "learning rate x3 (0.009)", memorisation(lr=0.009)),
        ("d", "learning rate /3 (0.001)", memorisation(lr=0.001)),
        ("e", "ReLU instead of sigmoid", memorisation(activation="relu")),
        ("f", "twice the width (3 x 400)", memorisation(hidden=(400, 400, 400)))):
    claim(f"Q46.11{letter}", quote="神经网络的记忆能力约为 150 个训练点", kind=Kind.EMPIRICAL,
          statement=f"As Q46.11 (capacity 150 ± {TOLERANCE}), with {change}.",
          check=capacity(protocol), expect=None, note=f"robustness: {change}",
          profiles=("full",))
    claim(f"Q46.12{letter}", quote="神经网络也需要更长的时间来学习随机标签", kind=Kind.EMPIRICAL,
          statement=f"As Q46.12 (random labels need more steps to fit at n = 150), with "
                    f"{change}.",
          check=slower(protocol), expect=None, note=f"robustness: {change}",
          profiles=("full",))
