"""Q48. 是否可以将任何非线性作为激活函数? -- Can any nonlinearity be used as an activation function?

Original protocol (protocols.md): two moons (500 rows, noise 0.1, 80/20 split), an MLP with two
hidden layers of 30 with activation relu, tanh, x², sin, sign or identity; 800 Adam steps (lr
0.003) on mini-batches of 64, cross-entropy; test accuracy every 80 steps, 3 repeats.
"""
import numpy as np

from harness import AllOf, Compare, Empirical, Equivalent, Exact, Kind, Value, Verdict, claim
from harness.original import agrees
from experiments.q48_activations import activations, identity_net_is_affine

ORIGINAL = activations()
NONLINEAR = ("relu", "tanh", "square", "sin")          # every nonlinearity but sign
NONSTANDARD = ("square", "sin", "sign", "identity")
# Declared before any run (100 test rows; one row = 1 point):
MARGIN = 0.03          # "as well as" / "equally effective": within 3 points (TOST)
POOR = 0.05            # "performs poorly" / "less effective": at least 5 points worse
VERY_EFFECTIVE = 0.95  # "very effective" on two moons (noise 0.1): mean test accuracy above 0.95
ABOUT_88 = 0.03        # "about 88 %": 0.88 ± 0.03 (the per-seed sd of a 100-row test set is ~3)


def acc(name):
    return f"accuracy[{name}]"


def constant(value):
    def c(trials):
        return np.full(len(trials), value)
    c.__doc__ = f"{value:g}"
    return c


def above(level, names, protocol=ORIGINAL):
    return Empirical(protocol, AllOf([Compare(acc(a), constant(level), "greater")
                                      for a in names], label=f"each above {level:g}"))


def alike(a, b, protocol=ORIGINAL):
    return Empirical(protocol, Equivalent(acc(a), acc(b), margin=MARGIN))


claim("Q48.1", quote="在通过具有超出典型 ReLU() 和 tanh() 的特殊激活函数的神经网络获得小幅提高的研究，已有多篇论文报道",
      kind=Kind.CITATION,
      statement="Several papers report small gains from special activation functions beyond "
                "ReLU and tanh.",
      reason="refers to unnamed papers; no source to check")

claim("Q48.2", quote="我们生成著名的二维卫星数据集", kind=Kind.PROTOCOL,
      statement="The original experiment used the two-dimensional two-moons data set.",
      check=Exact(agrees(48, "two moons"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q48.3", quote="训练一个具有两个隐藏层的神经网络", kind=Kind.PROTOCOL,
      statement="The network has two hidden layers (of 30 units).",
      check=Exact(agrees(48, "2 hidden layers of 30"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q48.4", quote="我们尝试了六种不同的激活函数", kind=Kind.PROTOCOL,
      statement="Six activation functions were tried: relu, tanh, x², sin, sign, identity.",
      check=Exact(agrees(48, "activation relu, tanh, x², sin, sign, identity"),
                  method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q48.5", quote="我们预计恒等函数执行很差", kind=Kind.EMPIRICAL,
      statement=f"The identity activation performs poorly: its final test accuracy is at least "
                f"{POOR} below that of each of relu, tanh, x² and sin.",
      check=Empirical(ORIGINAL, AllOf([Compare(acc(a), acc("identity"), "greater",
                                               min_effect=POOR) for a in NONLINEAR],
                                      label="identity poor")),
      expect=Verdict.SUPPORTED)

claim("Q48.6", quote="直到最后一个 softmax 层，网络仍然保持相当的线性", kind=Kind.EXACT,
      statement="With the identity activation the network is an affine function of its input "
                "up to the softmax (f(a x + (1-a) z) = a f(x) + (1-a) f(z), float64).",
      check=Exact(identity_net_is_affine, method="affinity check on random inputs, float64"),
      expect=Verdict.SUPPORTED,
      note="Exactly affine, not just 'fairly linear': it can only draw a straight boundary.")

claim("Q48.7", quote="我们可能会进一步期望标准的激活函数能够发挥最好的效果", kind=Kind.EMPIRICAL,
      statement="The standard activations (relu, tanh) work best: each has a higher final test "
                "accuracy than each non-standard one (x², sin, sign, identity).",
      check=Empirical(ORIGINAL, AllOf([Compare(acc(s), acc(o), "greater")
                                       for s in ("relu", "tanh") for o in NONSTANDARD],
                                      label="standard best")),
      expect=Verdict.INCONCLUSIVE)

claim("Q48.8", quote="运行实验所需的时间: `22.745 s`", kind=Kind.HISTORICAL,
      statement="The original experiment took 22.745 s.",
      reason="a runtime on the original 2018 machine; our runtimes are in the report")

claim("Q48.9", quote="除去 sign(x) 外，所有的非线性激活函数对分类任务都是非常有效的",
      kind=Kind.EMPIRICAL,
      statement=f"Every nonlinearity except sign (relu, tanh, x², sin) is very effective: "
                f"each reaches a mean final test accuracy above {VERY_EFFECTIVE}.",
      check=above(VERY_EFFECTIVE, NONLINEAR), expect=Verdict.SUPPORTED)

claim("Q48.10", quote="除去 sign(x) 外", kind=Kind.EMPIRICAL,
      statement=f"sign(x) is the exception: its final test accuracy is at least {POOR} below "
                f"that of each of relu, tanh, x² and sin.",
      check=Empirical(ORIGINAL, AllOf([Compare(acc(a), acc("sign"), "greater", min_effect=POOR)
                                       for a in NONLINEAR], label="sign worse")),
      expect=Verdict.INCONCLUSIVE,
      note="sign has zero gradient almost everywhere: its hidden layers never leave their "
           "initial values and only the output layer learns.")

claim("Q48.11", quote="所有函数都同样有效", kind=Kind.EMPIRICAL,
      statement=f"All six activation functions are equally effective: each final test accuracy "
                f"is within {MARGIN} of relu's (TOST).",
      check=Empirical(ORIGINAL, AllOf([Equivalent(acc(a), acc("relu"), margin=MARGIN)
                                       for a in ("tanh", "square", "sin", "sign", "identity")],
                                      label="all alike")),
      expect=Verdict.REFUTED,
      note="Taken literally (all functions); the identity network trails by ~12 points.")

claim("Q48.12", quote="像 x2 这样的对称激活函数表现得和 ReLUs 一样好", kind=Kind.EMPIRICAL,
      statement=f"The symmetric x² activation performs as well as ReLU: final test accuracies "
                f"within {MARGIN} (TOST).",
      check=alike("square", "relu"), expect=Verdict.SUPPORTED)

claim("Q48.13", quote="从这个实验中，我们应该谨慎地推断出太多的原因", kind=Kind.OPINION,
      statement="One should be careful not to infer too much from this experiment.",
      reason="advice about interpretation")

claim("Q48.14", quote="这是一个相对较浅的神经网络", kind=Kind.PROTOCOL,
      statement="The network is relatively shallow (two hidden layers).",
      check=Exact(agrees(48, "2 hidden layers of 30"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q48.15", quote="对这种网络有好处的激活函数可能与那些对深度网络有好处的函数非常不同",
      kind=Kind.OPINION,
      statement="Activations good for shallow networks may be very different from those good "
                "for deep networks.",
      reason="a hedged conjecture ('may') about deep networks, which this experiment has none of")

claim("Q48.16", quote="这个任务可能过于简单", kind=Kind.OPINION,
      statement="The task may be too simple (to tell activation functions apart).",
      reason="a hedged judgement; its evidence -- the linear network's accuracy -- is Q48.17, "
             "and the ceiling of the nonlinear ones is Q48.9")

claim("Q48.17", quote="即使几乎完全线性的神经网络 f(x)=x 也能达到约 88% 的正确率",
      kind=Kind.EMPIRICAL,
      statement=f"The (linear) identity network reaches a final test accuracy of about 88 % "
                f"(0.88 ± {ABOUT_88}).",
      check=Empirical(ORIGINAL, Value(acc("identity"), target=0.88, tolerance=ABOUT_88)),
      expect=Verdict.INCONCLUSIVE)

# Robustness of the main conclusions (full profile only; expects from one full-profile run).
FULL_EXPECT = {"Q48.9c": Verdict.SUPPORTED, "Q48.9d": Verdict.INCONCLUSIVE,
               "Q48.9f": Verdict.SUPPORTED, "Q48.12c": Verdict.SUPPORTED,
               "Q48.12d": Verdict.SUPPORTED, "Q48.12f": Verdict.SUPPORTED}
for letter, change, params in (("c", "lr ×3 (0.009)", dict(lr=0.009)),
                               ("d", "lr ÷3 (0.001)", dict(lr=0.001)),
                               ("f", "width ×2 (two hidden layers of 60)", dict(hidden=(60, 60)))):
    claim(f"Q48.9{letter}", quote="除去 sign(x) 外，所有的非线性激活函数对分类任务都是非常有效的",
          kind=Kind.EMPIRICAL, profiles=("full",), note=f"robustness: {change}",
          statement=f"As Q48.9 with {change}.",
          check=above(VERY_EFFECTIVE, NONLINEAR, activations(**params)),
          expect=FULL_EXPECT[f"Q48.9{letter}"])
    claim(f"Q48.12{letter}", quote="像 x2 这样的对称激活函数表现得和 ReLUs 一样好",
          kind=Kind.EMPIRICAL, profiles=("full",), note=f"robustness: {change}",
          statement=f"As Q48.12 with {change}.",
          check=alike("square", "relu", activations(**params)),
          expect=FULL_EXPECT[f"Q48.12{letter}"])
