"""Q51. 初始化如何影响训练? -- How does initialisation affect training?

Original protocol (protocols.md, "as Q50"): 12-d Gaussian mixture (class-1 mean 1/i in dimension
i, s = 1, 500 rows, 400/100), two sigmoid hidden layers of 100, 500 Adam steps (lr 0.003) on
mini-batches of 64, MSE loss; weights AND biases initialised by Xavier, all 0, all 1, N(0, 0.01²)
or N(0, 1); test accuracy every 50 steps, 5 repeats. The seed says the means are 1 apart in every
dimension: that variant runs too (``b``). The experiment also trains the zero initialisation in
float64 on the same data and batches, and measures how different the hidden units become.
"""
import numpy as np

from harness import AllOf, AtChance, Compare, Empirical, Exact, Kind, Verdict, claim
from harness.original import agrees, disagrees
from experiments.q51_initialisation import constant_init_symmetry, initialisation

ORIGINAL = initialisation(separation="inverse")
SEED_WORDING = initialisation(separation="ones")
OTHERS = ("zeros", "ones", "normal_small", "normal_large")
# Declared before any run (100 test rows; one row = 1 point):
POOR = 0.03         # "performs poorly": at least 3 points below Xavier
ESPECIALLY = 0.10   # "especially" poor: at least 10 points below Xavier
WELL = 0.03         # "trains well": not more than 3 points below logistic regression (the Bayes
                    # boundary is linear, so it is a near-optimal reference); non-inferiority
TRAINS = 0.10       # "leads to training": at least 10 points above chance (0.5)
CHANCE = 0.10       # "does not train": within 10 points of chance (AtChance)
DIVERGED = 0.01     # "weights diverge": hidden units differ by at least 1 % of the weight scale
SATURATED_MOST = 0.5  # "most outputs": more than half of the hidden sigmoid outputs saturated


def acc(name):
    return f"accuracy[{name}]"


def constant(value):
    def c(trials):
        return np.full(len(trials), value)
    c.__doc__ = f"{value:g}"
    return c


def shifted(name, by):
    def s(trials):
        return trials[name] + by
    s.__doc__ = f"{name} + {by:g}"
    return s


def xavier_best(protocol):
    return Empirical(protocol, AllOf([Compare(acc("xavier"), acc(o), "greater") for o in OTHERS],
                                     label="Xavier best"))


def trains_well(names, protocol):
    return Empirical(protocol, AllOf([Compare(shifted(acc(n), WELL), acc("logistic"), "greater")
                                      for n in names], label="non-inferior to logistic"))


def trains(name, protocol, measure=None):
    return Empirical(protocol, Compare(measure or acc(name), constant(0.5), "greater",
                                       min_effect=TRAINS))


def at_chance(name, protocol):
    return Empirical(protocol, AtChance(acc(name), chance=0.5, margin=CHANCE))


def _both_symmetric():
    results = [constant_init_symmetry(scheme) for scheme in ("zeros", "ones")]
    return all(ok for ok, _ in results), "; ".join(detail for _, detail in results)


def step50_zeros(trials):
    """test accuracy of the zero initialisation at step 50"""
    return trials["curve[zeros]"][:, 0]


claim("Q51.1", quote="我们生成两个 12 维高斯混合", kind=Kind.PROTOCOL,
      statement="The data are a mixture of two 12-dimensional Gaussians.",
      check=Exact(agrees(51, "d = 12"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q51.2", quote="在每个维度都有一个由 1 隔开的均值", kind=Kind.PROTOCOL,
      statement="In the original experiment the class means are 1 apart in every dimension.",
      check=Exact(disagrees(51, "sep_i = 1/i"), method="compared with protocols.md"),
      expect=Verdict.REFUTED,
      note="The original used a separation of 1/i in dimension i; both variants are run.")

claim("Q51.3", quote="该数据集由 500 个高斯组成，其中 400 个用于训练，100 个用于测试",
      kind=Kind.PROTOCOL,
      statement="The data set has 500 points, 400 for training and 100 for testing.",
      check=Exact(agrees(51, "n = 500"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q51.4", quote="我们在这个神经网络中初始化权重值", kind=Kind.PROTOCOL,
      statement="The initialisers were applied to the network's weights (the original applied "
                "them to weights and biases alike).",
      check=Exact(agrees(51, "initialiser for weights and biases"),
                  method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q51.5", quote="我们期望 Xavier 损失具有最好的性能", kind=Kind.EMPIRICAL,
      statement="Xavier initialisation gives a higher final test accuracy than each other "
                "initialiser (all 0, all 1, N(0, 0.01²), N(0, 1)).",
      check=xavier_best(ORIGINAL), expect=Verdict.INCONCLUSIVE,
      note="The seed calls it 'Xavier loss'; it is an initialisation, not a loss.")

claim("Q51.5b", quote="我们期望 Xavier 损失具有最好的性能", kind=Kind.EMPIRICAL,
      statement="As Q51.5, on the seed's wording of the data (means 1 apart in every dimension).",
      check=xavier_best(SEED_WORDING), expect=Verdict.INCONCLUSIVE)

claim("Q51.6", quote="它是 tensorflow 中使用的默认值", kind=Kind.CITATION,
      statement="Xavier (Glorot uniform) is TensorFlow's default initialiser.",
      reason="a statement about TensorFlow's API (its dense layers default to Glorot-uniform "
             "kernels but zero biases -- the original drew biases from Xavier too); TensorFlow "
             "is not installed here to check")

claim("Q51.7", quote="而其他方法性能不佳", kind=Kind.EMPIRICAL,
      statement=f"Every other initialiser performs poorly: its final test accuracy is at least "
                f"{POOR} below Xavier's.",
      check=Empirical(ORIGINAL, AllOf([Compare(acc("xavier"), acc(o), "greater", min_effect=POOR)
                                       for o in OTHERS], label="others poor")),
      expect=Verdict.INCONCLUSIVE)

claim("Q51.8", quote="尤其是不断的初始化", kind=Kind.EMPIRICAL,
      statement=f"The constant initialisations (all 0, all 1) perform especially poorly: each "
                f"at least {ESPECIALLY} below Xavier.",
      check=Empirical(ORIGINAL, AllOf([Compare(acc("xavier"), acc(o), "greater",
                                               min_effect=ESPECIALLY) for o in ("zeros", "ones")],
                                      label="constants especially poor")),
      expect=Verdict.SUPPORTED)

claim("Q51.9", quote="运行实验所需的时间： `34.137 s`", kind=Kind.HISTORICAL,
      statement="The original experiment took 34.137 s.",
      reason="a runtime on the original 2018 machine; our runtimes are in the report")

claim("Q51.10", quote="Xavier 和高斯（具有较低的方差）初始化会得到很好的训练", kind=Kind.EMPIRICAL,
      statement=f"Xavier and N(0, 0.01²) both train well: each final test accuracy is no more "
                f"than {WELL} below logistic regression's on the same data (non-inferiority).",
      check=trains_well(("xavier", "normal_small"), ORIGINAL), expect=Verdict.INCONCLUSIVE)

claim("Q51.10b", quote="Xavier 和高斯（具有较低的方差）初始化会得到很好的训练",
      kind=Kind.EMPIRICAL, statement="As Q51.10, on the seed's wording of the data.",
      check=trains_well(("xavier", "normal_small"), SEED_WORDING), expect=Verdict.INCONCLUSIVE)

claim("Q51.11", quote="常数 0 的初始化最终导致训练", kind=Kind.EMPIRICAL,
      statement=f"The all-zero initialisation eventually trains: final test accuracy at least "
                f"{TRAINS} above chance (0.5).",
      check=trains("zeros", ORIGINAL), expect=Verdict.SUPPORTED)

claim("Q51.11b", quote="常数 0 的初始化最终导致训练", kind=Kind.EMPIRICAL,
      statement="As Q51.11, on the seed's wording of the data.",
      check=trains("zeros", SEED_WORDING), expect=Verdict.INCONCLUSIVE)

claim("Q51.12", quote="而其他初始化并不会", kind=Kind.EMPIRICAL,
      statement=f"The other constant initialisation (all 1) does not train: final test "
                f"accuracy within {CHANCE} of chance.",
      check=at_chance("ones", ORIGINAL), expect=Verdict.SUPPORTED,
      note="Read as 'the other constant initialisation'; taken literally ('the other "
           "initialisations do not train') it would contradict the previous sentence, since "
           "Xavier and N(0, 0.01²) train (Q51.10).")

claim("Q51.13", quote="Xavire 初始化提供了最好的性能", kind=Kind.EMPIRICAL,
      statement="Xavier initialisation gives the best final test accuracy (higher than each "
                "other initialiser).",
      check=xavier_best(ORIGINAL), expect=Verdict.INCONCLUSIVE)

claim("Q51.14", quote="标准偏差小的高斯也适用", kind=Kind.EMPIRICAL,
      statement=f"N(0, 0.01²) also works: final test accuracy no more than {WELL} below "
                f"logistic regression's (non-inferiority).",
      check=trains_well(("normal_small",), ORIGINAL), expect=Verdict.INCONCLUSIVE)

claim("Q51.15", quote="但不像 Xavire 那样好", kind=Kind.EMPIRICAL,
      statement="N(0, 0.01²) is not as good as Xavier: lower final test accuracy.",
      check=Empirical(ORIGINAL, Compare(acc("normal_small"), acc("xavier"), "less")),
      expect=Verdict.INCONCLUSIVE)

claim("Q51.16", quote="如果方差变得太大，那么训练速度就会变得较慢", kind=Kind.EMPIRICAL,
      statement="With N(0, 1) training is slower than with Xavier: lower test accuracy averaged "
                "over the 10 recorded steps (area under the learning curve).",
      check=Empirical(ORIGINAL, Compare("auc[normal_large]", "auc[xavier]", "less")),
      expect=Verdict.SUPPORTED)

claim("Q51.17", quote="这可能是因为神经网络的大部分输出都发生了爆炸", kind=Kind.EMPIRICAL,
      statement=f"With N(0, 1) most hidden outputs 'explode' at initialisation: more than "
                f"{SATURATED_MOST:g} of the hidden sigmoid outputs (both layers, training rows) "
                f"are saturated (within 0.02 of 0 or 1).",
      check=Empirical(ORIGINAL, Compare("saturation[normal_large]", constant(SATURATED_MOST),
                                        "greater")),
      expect=Verdict.INCONCLUSIVE,
      note="Sigmoid outputs cannot explode; the pre-activations do, which saturates the units.")

claim("Q51.18", quote="持续的初始化（理论上不应该能够训练神经网络）", kind=Kind.EXACT,
      statement="In exact arithmetic a constant initialisation keeps every hidden unit of a layer "
                "an exact copy of the others (checked in float64 for all-0 and all-1 after 20 "
                "Adam steps: relative spread < 1e-12 while the weights move).",
      check=Exact(lambda: _both_symmetric(), method="float64 training, unit spread"),
      expect=Verdict.SUPPORTED,
      note="Symmetry does not stop training: the copies act as one unit per layer, and one "
           "unit per layer can still draw the (linear) Bayes boundary -- see Q51.19-Q51.22.")

claim("Q51.19", quote="在几个轮数之后就会导致训练进行", kind=Kind.EMPIRICAL,
      statement=f"After a few epochs the constant-0 initialisation trains: test accuracy at step "
                f"50 (8 passes over the training rows) at least {TRAINS} above chance.",
      check=trains("zeros", ORIGINAL, step50_zeros), expect=Verdict.REFUTED,
      note="At step 50 the zero-initialised network is still at chance on every seed; it "
           "leaves chance later (see the learning curves) and ends well above it (Q51.11).")

claim("Q51.20", quote="最终导致了不同权重的散度", kind=Kind.EMPIRICAL,
      statement=f"From the zero initialisation, numerical error eventually makes the hidden units "
                f"diverge: after training they differ by at least {DIVERGED:g} of the weight "
                f"scale (largest relative spread between units, float32).",
      check=Empirical(ORIGINAL, Compare("unit_spread[zeros]", constant(0.0), "greater",
                                        min_effect=DIVERGED)),
      expect=Verdict.REFUTED)

claim("Q51.20b", quote="最终导致了不同权重的散度", kind=Kind.EMPIRICAL,
      statement="As Q51.20, on the seed's wording of the data.",
      check=Empirical(SEED_WORDING, Compare("unit_spread[zeros]", constant(0.0), "greater",
                                            min_effect=DIVERGED)),
      expect=Verdict.REFUTED)

claim("Q51.21", quote="这可能是由于核心并行化导致小的数值误差", kind=Kind.EMPIRICAL,
      statement="The zero initialisation trains because of small numerical errors: trained in "
                "float64 (same data and batches; units stay copies to ~1e-12) it reaches a "
                f"final test accuracy at least {POOR} below the float32 run's.",
      check=Empirical(ORIGINAL, Compare(acc("zeros"), acc("zeros_float64"), "greater",
                                        min_effect=POOR)),
      expect=Verdict.REFUTED,
      note="Symmetric units are one unit per layer in disguise; that network can learn this "
           "(linearly separable) task without any symmetry breaking.")

claim("Q51.22", quote="当权重都为 1 时，这些就都不起作用了", kind=Kind.EMPIRICAL,
      statement=f"With all weights (and biases) 1 the network does not train: final test "
                f"accuracy within {CHANCE} of chance.",
      check=at_chance("ones", ORIGINAL), expect=Verdict.SUPPORTED)

claim("Q51.22b", quote="当权重都为 1 时，这些就都不起作用了", kind=Kind.EMPIRICAL,
      statement="As Q51.22, on the seed's wording of the data.",
      check=at_chance("ones", SEED_WORDING), expect=Verdict.SUPPORTED)

# Robustness of the main conclusions (full profile only; expects from one full-profile run).
# With lr ÷3 nothing reaches the logistic baseline in 500 steps and the zero initialisation
# has not left chance yet; with ReLU the zero initialisation never trains (relu(0) = 0 gives
# every hidden weight a zero gradient).
FULL_EXPECT = {"Q51.10c": Verdict.SUPPORTED, "Q51.10d": Verdict.REFUTED,
               "Q51.10e": Verdict.INCONCLUSIVE, "Q51.10f": Verdict.INCONCLUSIVE,
               "Q51.11c": Verdict.SUPPORTED, "Q51.11d": Verdict.REFUTED,
               "Q51.11e": Verdict.REFUTED, "Q51.11f": Verdict.SUPPORTED}
for letter, change, params in (("c", "lr ×3 (0.009)", dict(lr=0.009)),
                               ("d", "lr ÷3 (0.001)", dict(lr=0.001)),
                               ("e", "ReLU hidden layers", dict(activation="relu")),
                               ("f", "width ×2 (two hidden layers of 200)",
                                dict(hidden=(200, 200)))):
    variant = initialisation(separation="inverse", **params)
    claim(f"Q51.10{letter}", quote="Xavier 和高斯（具有较低的方差）初始化会得到很好的训练",
          kind=Kind.EMPIRICAL, profiles=("full",), note=f"robustness: {change}",
          statement=f"As Q51.10 with {change}.",
          check=trains_well(("xavier", "normal_small"), variant),
          expect=FULL_EXPECT[f"Q51.10{letter}"])
    claim(f"Q51.11{letter}", quote="常数 0 的初始化最终导致训练", kind=Kind.EMPIRICAL,
          profiles=("full",), note=f"robustness: {change}", statement=f"As Q51.11 with {change}.",
          check=trains("zeros", variant), expect=FULL_EXPECT[f"Q51.11{letter}"])
