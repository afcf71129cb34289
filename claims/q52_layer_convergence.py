"""Q52. 不同层的权重是否以不同的速度收敛？ -- Do the weights of different layers converge at
different speeds?

Original protocol (protocols.md): the Q50 task (12-d Gaussian mixture, class-1 mean 1/i in
dimension i -- the seed says 1 -- s = 1, 500 rows, 400 train / 100 test); three sigmoid hidden
layers of 50 (weight layers W1..W4); 750 mini-batch (64) Adam steps on the MSE; the last 50 entries
of each weight matrix saved every 2 steps; convergence = norm of the change between saves; 1 run.

Convergence, made precise (experiments/q52_convergence.py): D_l(t) = |w_l(t) - w_l(750)| /
|w_l(0) - w_l(750)| is layer l's distance to its final weights as a fraction of its whole
journey; its convergence step is the first saved step after which D stays <= 0.1. This is a
fair reading of "layer l converges faster": it asks which layer reaches -- and stays at -- its
final values sooner, which is what convergence means and what the discussion ("converge ... to
their final values") describes. Normalising by each layer's own journey makes layers of
different sizes and step scales comparable; the original's raw change norm is not (a layer that
moves little has small changes from the start without having converged sooner), so it is
recorded and drawn but not tested. Its "rebound" max_t [D(t) - min_{s<=t} D(s)] -- how far the
layer ever moves back away from its final weights -- reads "(almost) monotone" and "complex".

The discussion's "third layer" is read as W3 (hidden 2 -> hidden 3, counting weight layers
from 1 as the method does: "4 层权重，包括从输入到第一层的权重"); the ``b`` variants of those
claims read it as W4, the last weight layer (zero-based "layer 3"), in case the original's
figure counted from 0.
"""
import re

import numpy as np

from harness import AllOf, Compare, Empirical, Exact, Kind, Trend, Verdict, claim
from harness.original import agrees, disagrees, protocols_path
from experiments.engine import BatchedMLP
from experiments.q52_convergence import LAYERS, layer_convergence

ORIGINAL = layer_convergence(separation="inverse")
SEED_WORDING = layer_convergence(separation="ones")
STEPS = 750
# Declared before any run:
# - "faster"/"longer": a convergence step at least 5 % of training (37.5 steps) earlier/later;
#   smaller differences are within a few saves and no practical difference in speed.
MIN_STEPS = 0.05 * STEPS
# - "almost monotone": the layer never moves back away from its final weights by more than 10 %
#   of its initial distance (rebound <= 0.1).
MONOTONE = 0.1
# - "very fast": converged within the first 20 % of the run (150 of 750 steps).
FAST = 0.2 * STEPS
# - "more complex": a rebound at least 0.05 (half the monotone tolerance) larger.
MIN_REBOUND = 0.05


def constant(value, label):
    def fn(trials):
        return np.full(len(trials), value)
    fn.__doc__ = label
    return fn


def later_faster(protocol):
    return Empirical(protocol, Trend("step_by_layer", LAYERS, "decreasing",
                                     min_effect=MIN_STEPS))


def convention(phrase):
    """The shared conventions of protocols.md say ``phrase`` (whitespace-insensitive)."""
    def check():
        text = re.sub(r"\s+", " ", protocols_path().read_text(encoding="utf-8"))
        if phrase in text:
            return True, f"protocols.md conventions: '{phrase}'"
        return False, f"protocols.md does not say '{phrase}'"
    return check


def both(*checks):
    def check():
        outcomes = [c() for c in checks]
        return all(o[0] for o in outcomes), "; ".join(o[1] for o in outcomes)
    return check


def four_weight_layers():
    net = BatchedMLP((12, 50, 50, 50, 2), 1)
    shapes = [tuple(w.shape[1:]) for w in net.weights]
    return len(shapes) == 4 and shapes[0] == (12, 50), f"weight matrices: {shapes}"


claim("Q52.1", quote="我们生成两个 12 维高斯混合", kind=Kind.PROTOCOL,
      statement="The data are a mixture of two 12-dimensional Gaussians.",
      check=Exact(agrees(52, "d = 12"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q52.2", quote="高斯具有相同的协方差矩阵", kind=Kind.PROTOCOL,
      statement="The two Gaussians share one covariance matrix.",
      check=Exact(convention("the shared covariance is CᵀC"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q52.3", quote="每个维度上都有一个由 1 隔开的均值", kind=Kind.PROTOCOL,
      statement="In the original experiment the class means are 1 apart in every dimension.",
      check=Exact(disagrees(52, "sep_i = 1/i"), method="compared with protocols.md"),
      expect=Verdict.REFUTED,
      note="The original (as Q50) used a separation of 1/i in dimension i; the main claims run "
           "both (b = the seed's separation of 1).")

claim("Q52.4", quote="该数据集由 500 个高斯组成，其中 400 个用于训练，100 个用于测试",
      kind=Kind.PROTOCOL,
      statement="The data set has 500 points, 400 for training and 100 for testing.",
      check=Exact(both(agrees(52, "n = 500"), convention("20 % of rows are held out for test")),
                  method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q52.5", quote="训练一个带有 3 个隐藏层", kind=Kind.PROTOCOL,
      statement="The network has 3 hidden layers.",
      check=Exact(agrees(52, "3 hidden layers of 50"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q52.6", quote="将导致 4 层权重，包括从输入到）第一层的权重", kind=Kind.EXACT,
      statement="Three hidden layers give four weight matrices, counting the one from the input "
                "to the first hidden layer.",
      check=Exact(four_weight_layers, method="counted the weight matrices of the MLP"),
      expect=Verdict.SUPPORTED)

claim("Q52.7", quote="我们在训练过程中绘制每层 50 个权重值", kind=Kind.PROTOCOL,
      statement="50 weight values of each layer are tracked during training.",
      check=Exact(agrees(52, "the last 50 entries of its weight matrix"),
                  method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q52.8", quote="我们通过绘制两个轮数之间的权重的差分来衡量收敛性", kind=Kind.PROTOCOL,
      statement="Convergence is measured by the change in the weights between saves.",
      check=Exact(agrees(52, "convergence = norm of the change between saves"),
                  method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q52.9", quote="两个轮数之间", kind=Kind.PROTOCOL,
      statement="The weights compared are one epoch (a full pass over the 400 training rows) "
                "apart.",
      check=Exact(disagrees(52, "weights saved every 2 steps"), method="compared with protocols.md"),
      expect=Verdict.REFUTED,
      note="The original saved the weights every 2 mini-batch steps of 64 rows; an epoch is "
           "400/64 = 6.25 steps.")

claim("Q52.10", quote="我们期望后一层的权重会更快地收敛", kind=Kind.EMPIRICAL,
      statement=f"The weights of later layers converge faster: the convergence step (D <= 0.1 for "
                f"good) falls from W1 to W4 (overall trend, at least {MIN_STEPS:g} steps).",
      check=later_faster(ORIGINAL), expect=Verdict.INCONCLUSIVE)

claim("Q52.10b", quote="我们期望后一层的权重会更快地收敛", kind=Kind.EMPIRICAL,
      statement="As Q52.10, on the seed's wording of the data (means 1 apart in every dimension).",
      check=later_faster(SEED_WORDING), expect=Verdict.INCONCLUSIVE)

claim("Q52.11", quote="因为它们在整个网络中进行反向传播时，后期阶段的变化会被放大", kind=Kind.OPINION,
      statement="Later layers converge faster because changes at later stages are amplified "
                "as they backpropagate through the network.",
      reason="an explanation offered for the expected result, not a measured claim")

claim("Q52.12", quote="运行实验所需的时间： `3.924 s`", kind=Kind.HISTORICAL,
      statement="The original experiment took 3.924 s.",
      reason="a runtime on the original 2018 machine; our runtimes are in the report")

claim("Q52.13", quote="我们发现后一层的权重比前一层收敛得更快", kind=Kind.EMPIRICAL,
      statement=f"Later layers' weights converge faster than earlier layers': the convergence "
                f"step falls from W1 to W4 (overall trend, at least {MIN_STEPS:g} steps).",
      check=later_faster(ORIGINAL), expect=Verdict.INCONCLUSIVE,
      note="Within 750 steps no layer settles: every layer's distance to its final weights "
           "falls almost linearly to the end, so the convergence steps (20 seeds: W1 ~630, "
           "W2 ~540, W3 ~570, W4 ~570) show no ordering beyond W1 being last. The original's "
           "raw measure tells a different story about LEVELS, not speed: after the first few "
           "steps the change between saves is largest for W1 and smallest for W3/W4 (second "
           "half of training vs the first save: W1 0.23, W2 0.11, W3 0.06, W4 0.07) -- the "
           "later layers move less, but they keep drifting like the others.")

claim("Q52.13b", quote="我们发现后一层的权重比前一层收敛得更快", kind=Kind.EMPIRICAL,
      statement="As Q52.13, on the seed's wording of the data (means 1 apart in every dimension).",
      check=later_faster(SEED_WORDING), expect=Verdict.INCONCLUSIVE)

claim("Q52.13c", quote="我们发现后一层的权重比前一层收敛得更快", kind=Kind.EMPIRICAL,
      statement="As Q52.13 with the learning rate tripled (0.009).",
      check=later_faster(layer_convergence(lr=0.009)),
      profiles=("full",), expect=Verdict.REFUTED,
      note="robustness: lr x3")

claim("Q52.13d", quote="我们发现后一层的权重比前一层收敛得更快", kind=Kind.EMPIRICAL,
      statement="As Q52.13 with the learning rate divided by 3 (0.001).",
      check=later_faster(layer_convergence(lr=0.001)),
      profiles=("full",), expect=Verdict.INCONCLUSIVE,
      note="robustness: lr / 3")

claim("Q52.13e", quote="我们发现后一层的权重比前一层收敛得更快", kind=Kind.EMPIRICAL,
      statement="As Q52.13 with ReLU hidden layers instead of sigmoid.",
      check=later_faster(layer_convergence(activation="relu")),
      profiles=("full",), expect=Verdict.REFUTED,
      note="robustness: ReLU instead of sigmoid")

claim("Q52.13f", quote="我们发现后一层的权重比前一层收敛得更快", kind=Kind.EMPIRICAL,
      statement="As Q52.13 with hidden layers of 100 (still 50 tracked weights per layer).",
      check=later_faster(layer_convergence(hidden=(100, 100, 100))),
      profiles=("full",), expect=Verdict.INCONCLUSIVE,
      note="robustness: width x2")

claim("Q52.14", quote="第三层的权重是几乎单调地收敛到它们的最终值", kind=Kind.EMPIRICAL,
      statement=f"The third weight layer (W3) converges almost monotonically to its final "
                f"values: its rebound (how far it ever moves back away from its final weights, "
                f"as a fraction of its initial distance) is below {MONOTONE}.",
      check=Empirical(ORIGINAL, Compare("rebound[W3]", constant(MONOTONE, "0.1"), "less")),
      expect=Verdict.INCONCLUSIVE)

claim("Q52.14b", quote="第三层的权重是几乎单调地收敛到它们的最终值", kind=Kind.EMPIRICAL,
      statement=f"As Q52.14, reading 'the third layer' as zero-based layer 3: W4 (hidden 3 -> "
                f"output) has a rebound below {MONOTONE}.",
      check=Empirical(ORIGINAL, Compare("rebound[W4]", constant(MONOTONE, "0.1"), "less")),
      expect=Verdict.INCONCLUSIVE, note="reading variant of 'the third layer'")

claim("Q52.15", quote="而且这一过程非常快", kind=Kind.EMPIRICAL,
      statement=f"W3 converges very fast: its convergence step is within the first 20 % of "
                f"training ({FAST:g} of {STEPS} steps).",
      check=Empirical(ORIGINAL, Compare("step[W3]", constant(FAST, "150 steps"), "less")),
      expect=Verdict.REFUTED)

claim("Q52.15b", quote="而且这一过程非常快", kind=Kind.EMPIRICAL,
      statement=f"As Q52.15 for W4 (zero-based 'layer 3'): convergence within {FAST:g} steps.",
      check=Empirical(ORIGINAL, Compare("step[W4]", constant(FAST, "150 steps"), "less")),
      expect=Verdict.REFUTED, note="reading variant of 'the third layer'")

claim("Q52.16", quote="至于前几层权重的收敛模式，比较复杂", kind=Kind.EMPIRICAL,
      statement=f"The earlier layers' convergence is more complex (less monotone) than W3's: the "
                f"rebound of W1 and of W2 each exceeds W3's by at least {MIN_REBOUND}.",
      check=Empirical(ORIGINAL, AllOf([
          Compare(f"rebound[W{l}]", "rebound[W3]", "greater", min_effect=MIN_REBOUND)
          for l in (1, 2)], label="earlier layers more complex")),
      expect=Verdict.INCONCLUSIVE)

claim("Q52.16b", quote="至于前几层权重的收敛模式，比较复杂", kind=Kind.EMPIRICAL,
      statement=f"As Q52.16 with W4 as 'the third layer': the rebound of W1, W2 and W3 each "
                f"exceeds W4's by at least {MIN_REBOUND}.",
      check=Empirical(ORIGINAL, AllOf([
          Compare(f"rebound[W{l}]", "rebound[W4]", "greater", min_effect=MIN_REBOUND)
          for l in (1, 2, 3)], label="earlier layers more complex")),
      expect=Verdict.INCONCLUSIVE, note="reading variant of 'the third layer'")

claim("Q52.17", quote="似乎需要更长的时间才能解决", kind=Kind.EMPIRICAL,
      statement=f"The earlier layers take longer to settle than W3: the convergence step of W1 "
                f"and of W2 each exceeds W3's by at least {MIN_STEPS:g} steps.",
      check=Empirical(ORIGINAL, AllOf([
          Compare(f"step[W{l}]", "step[W3]", "greater", min_effect=MIN_STEPS)
          for l in (1, 2)], label="earlier layers slower")),
      expect=Verdict.INCONCLUSIVE)

claim("Q52.17b", quote="似乎需要更长的时间才能解决", kind=Kind.EMPIRICAL,
      statement=f"As Q52.17 with W4 as 'the third layer': the convergence step of W1, W2 and W3 "
                f"each exceeds W4's by at least {MIN_STEPS:g} steps.",
      check=Empirical(ORIGINAL, AllOf([
          Compare(f"step[W{l}]", "step[W4]", "greater", min_effect=MIN_STEPS)
          for l in (1, 2, 3)], label="earlier layers slower")),
      expect=Verdict.INCONCLUSIVE, note="reading variant of 'the third layer'")
