"""Q48. 是否可以将任何非线性作为激活函数? -- Can any nonlinearity be used as an activation function?

Original protocol (protocols.md; Experiment7 of the original's experiments.py): two moons (500
rows, noise 0.1, 80/20 split), an MLP with two hidden layers of 30 with activation relu, tanh,
x², sin, sign or identity; 800 Adam steps (lr 0.003) on mini-batches of 64, cross-entropy; test
accuracy after 1, 81, ..., 721 updates (the ten points of its figure); 3 repeats. In the
original's figure the curves end near 1.0 for relu, tanh, x² and sin, at about 0.98 for sign and
about 0.89 for the identity.

Claims read the test accuracy at the original's last checkpoint (experiments/q48_activations.py).
"""

import torch
from hypothesis import given
from hypothesis import strategies as st

from experiments.engine import ACTIVATIONS as ACTIVATION_FNS
from experiments.q48_activations import ACCURACY, activations, identity_net_affinity
from experiments.variants import COMMON
from harness import (
    AllOf,
    Compare,
    Empirical,
    Equivalent,
    Kind,
    NonInferior,
    Value,
    Verdict,
    cites,
    claim,
    departure,
    exact,
    robustness,
    says,
)

ORIGINAL = activations()
NONLINEAR = ("relu", "tanh", "square", "sin")  # the nonlinearities the text calls effective
STANDARD = ("relu", "tanh")
NONSTANDARD = ("square", "sin", "sign", "identity")

# Declared before any run; test accuracy is on 100 rows (one row = 0.01):
GAIN = 0.02  # smallest difference of accuracy that counts as better or worse: 2 rows
POOR = 0.05  # "performs poorly": at least 5 points (rows) below each other activation
EFFECTIVE = 0.02  # "quite/very effective": within 2 points of perfect (at most 2 of 100
# test rows wrong) -- in the original's figure sign, which the text
# excludes, ends at ~0.98 and the others at ~1.0
AS_WELL = 0.02  # "as well as": within the smallest difference that counts (TOST)
ABOUT_EQUAL = 0.03  # "about equally effective": within 3 points (TOST), one row looser
ABOUT_88 = 0.03  # "about 88 %": 0.85 to 0.91 (a whole percentage said with 'about')


def acc(name):
    return ACCURACY.at(activation=name)


def effective(name):
    return NonInferior(acc(name), 1.0, margin=EFFECTIVE)


departure(
    48,
    "The original's method says 'We try 7 different activation functions' but lists "
    "and runs six; the seed's 'six' is right.",
    source="original notebook, section 7 (Method)",
    claims=("Q48.4",),
)
departure(
    48,
    "Translation: 'quite effective' became 非常有效 ('very effective'), 'about equally "
    "effective' became 同样有效 ('equally effective'), and 'x² seem to be performing "
    "as well as ReLUs' lost its 'seem'. The claims keep the original's hedges as "
    "margins (Q48.9, Q48.11, Q48.12).",
    source="original notebook, section 7",
    claims=("Q48.9", "Q48.11", "Q48.12"),
)
departure(
    48,
    "'All of the functions are about equally effective' is read in its paragraph: "
    "the conclusion just before sets sign(x) apart and the same paragraph sets the "
    "linear network apart ('even the almost completely linear network achieves about "
    "88 %'), so 'all' means relu, tanh, x² and sin.",
    source="original notebook, section 7 (Conclusion, Discussion)",
    claims=("Q48.11",),
)
departure(
    48,
    "Confound in the original design: TensorFlow's gradient of sign(x) is 0, so the "
    "sign network's hidden layers never leave their random initialisation and only "
    "the output layer learns; its shortfall says that a zero-gradient activation "
    "cannot be trained, not that the sign nonlinearity is a poor one. Kept as in the "
    "original.",
    source="original utils.py (tf.sign)",
    claims=("Q48.10",),
)
departure(
    48,
    "The figure's last point, which the text reads, is after 721 of the 800 steps "
    "(the original evaluates after the update of steps 0, 80, ..., 720).",
    source="original experiments.py, Experiment7.run",
)


@exact(
    "Q48.1",
    kind=Kind.CITATION,
    quote="在通过具有超出典型 ReLU() 和 tanh() 的特殊激活函数的神经网络获得小幅提高的研究，已有多篇论文报道",
    statement="Several papers report small gains from special activation functions beyond "
    "ReLU and tanh (e.g. PReLU: 1.2 points top-1 on ImageNet; Swish: 0.9 and 0.6 "
    "points).",
    method="two such papers checked against the references table",
)
def several_papers_report_small_gains():
    return "; ".join(
        cites(key, fact).fn()
        for key, fact in (
            ("he2015delving", "prelu-small-gain"),
            ("ramachandran2017searching", "swish-small-gain"),
        )
    )


claim(
    "Q48.2",
    quote="我们生成著名的二维卫星数据集",
    kind=Kind.PROTOCOL,
    statement="The original experiment used the two-dimensional two-moons data set.",
    check=says(48, "two moons"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q48.3",
    quote="训练一个具有两个隐藏层的神经网络",
    kind=Kind.PROTOCOL,
    statement="The network has two hidden layers (of 30 units).",
    check=says(48, "2 hidden layers of 30"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q48.4",
    quote="我们尝试了六种不同的激活函数",
    kind=Kind.PROTOCOL,
    statement="Six activation functions were tried: relu, tanh, x², sin, sign, identity.",
    check=says(48, "activation relu, tanh, x², sin, sign, identity"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q48.5",
    quote="我们预计恒等函数执行很差",
    kind=Kind.EMPIRICAL,
    statement=f"The identity activation performs poorly: its test accuracy is at least {POOR} "
    f"below that of each other activation (relu, tanh, x², sin, sign).",
    check=Empirical(
        ORIGINAL,
        AllOf(
            [Compare(acc(a), acc("identity"), min_effect=POOR) for a in (*NONLINEAR, "sign")],
            label="identity poor",
        ),
    ),
    expect=Verdict.SUPPORTED,
)


@exact(
    "Q48.6",
    quote="直到最后一个 softmax 层，网络仍然保持相当的线性",
    statement="With the identity activation the network is linear (affine) in its input up "
    "to the softmax: f(a x + (1-a) z) = a f(x) + (1-a) f(z).",
    method="affinity on random inputs and mixing weights, float64",
    note="Exactly affine, not only 'fairly linear': it can draw only a straight boundary.",
)
def identity_network_is_affine():
    worst = identity_net_affinity()
    assert worst < 1e-10, f"deviation from affinity {worst:.2e}"
    return f"largest deviation from affinity {worst:.1e} (float64)"


claim(
    "Q48.7",
    quote="我们可能会进一步期望标准的激活函数能够发挥最好的效果",
    kind=Kind.EMPIRICAL,
    statement=f"The standard activations (relu, tanh) work best: each has a test accuracy at "
    f"least {GAIN} above each non-standard one (x², sin, sign, identity).",
    check=Empirical(
        ORIGINAL,
        AllOf(
            [Compare(acc(s), acc(o), min_effect=GAIN) for s in STANDARD for o in NONSTANDARD],
            label="standard best",
        ),
    ),
    expect=Verdict.REFUTED,
    note="A hypothesis the text's own discussion gives up (x² does as well as ReLU).",
)

claim(
    "Q48.8",
    quote="运行实验所需的时间: `22.745 s`",
    kind=Kind.HISTORICAL,
    statement="The original experiment took 22.745 s.",
    reason="a runtime on the original 2018 machine",
)

Q48_9 = claim(
    "Q48.9",
    quote="除去 sign(x) 外，所有的非线性激活函数对分类任务都是非常有效的",
    kind=Kind.EMPIRICAL,
    statement=f"Every nonlinearity except sign (relu, tanh, x², sin) is very effective: each "
    f"has a mean test accuracy within {EFFECTIVE} of perfect.",
    check=Empirical(ORIGINAL, AllOf([effective(a) for a in NONLINEAR], label="each effective")),
    expect=Verdict.SUPPORTED,
    note="relu, tanh and x² pass the bar clearly; sin's mean is 0.995, but one seed in 50 at "
    "0.90 skews the sample, and the skew-corrected t-test decides it only with 200 seeds.",
)
robustness(
    Q48_9,
    {
        **{k: COMMON[k] for k in ("c", "d")},
        "f": ("width x2 (two hidden layers of 60)", {"hidden": (60, 60)}),
    },
)

claim(
    "Q48.10",
    quote="除去 sign(x) 外",
    kind=Kind.EMPIRICAL,
    statement=f"sign(x) is the exception: its mean test accuracy is more than {EFFECTIVE} "
    f"below perfect (the bar of Q48.9).",
    check=Empirical(ORIGINAL, Compare(acc("sign"), 1.0, "less", min_effect=EFFECTIVE)),
    expect=Verdict.SUPPORTED,
    note="sign has zero gradient: only its output layer learns (see the departure). Its mean "
    "(0.967) is below the bar, as in the original's figure (~0.98): decided at the "
    "schedule's late looks (200 seeds).",
)

claim(
    "Q48.11",
    quote="所有函数都同样有效",
    kind=Kind.EMPIRICAL,
    statement=f"The nonlinear activations the text found effective (relu, tanh, x², sin) are "
    f"about equally effective: each test accuracy is within {ABOUT_EQUAL} of "
    f"relu's (TOST).",
    check=Empirical(
        ORIGINAL,
        AllOf(
            [
                Equivalent(acc(a), acc("relu"), margin=ABOUT_EQUAL)
                for a in ("tanh", "square", "sin")
            ],
            label="alike",
        ),
    ),
    expect=Verdict.SUPPORTED,
    note="Read in its paragraph (see the departure): sign and the linear network are set "
    "apart there.",
)

Q48_12 = claim(
    "Q48.12",
    quote="像 x2 这样的对称激活函数表现得和 ReLUs 一样好",
    kind=Kind.EMPIRICAL,
    statement=f"The symmetric x² activation performs as well as ReLU: test accuracies within "
    f"{AS_WELL} (TOST).",
    check=Empirical(ORIGINAL, Equivalent(acc("square"), acc("relu"), margin=AS_WELL)),
    expect=Verdict.SUPPORTED,
)
robustness(
    Q48_12,
    {
        **{k: COMMON[k] for k in ("c", "d")},
        "f": ("width x2 (two hidden layers of 60)", {"hidden": (60, 60)}),
    },
)


@exact(
    "Q48.18",
    quote="像 x2 这样的对称激活函数",
    kind=Kind.DEFINITIONAL,
    statement="x² is a symmetric (even) function: f(-x) = f(x).",
    method="hypothesis: the activation used, on random float32 tensors",
)
@given(st.lists(st.floats(-1e3, 1e3, width=32), min_size=1, max_size=50))
def square_is_symmetric(values):
    x = torch.tensor(values, dtype=torch.float32)
    square = ACTIVATION_FNS["square"]
    assert torch.equal(square(-x), square(x)), "x² is not even"


claim(
    "Q48.13",
    quote="从这个实验中，我们应该谨慎地推断出太多的原因",
    kind=Kind.OPINION,
    statement="One should be careful not to infer too much from this experiment.",
    reason="advice about interpretation",
)

claim(
    "Q48.14",
    quote="这是一个相对较浅的神经网络",
    kind=Kind.PROTOCOL,
    statement="The network is relatively shallow (two hidden layers of 30).",
    check=says(48, "2 hidden layers of 30"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q48.15",
    quote="对这种网络有好处的激活函数可能与那些对深度网络有好处的函数非常不同",
    kind=Kind.OPINION,
    statement="Activations good for shallow networks may be very different from those good "
    "for deep networks.",
    reason="a possibility ('may') offered as a caution: no outcome could refute it, and this "
    "experiment has no deep network",
)

claim(
    "Q48.16",
    quote="这个任务可能过于简单",
    kind=Kind.OPINION,
    statement="The task may be too simple (to tell activation functions apart).",
    reason="a hedged judgement of the task; its evidence -- the linear network's accuracy -- "
    "is tested as Q48.17",
)

claim(
    "Q48.17",
    quote="即使几乎完全线性的神经网络 f(x)=x 也能达到约 88% 的正确率",
    kind=Kind.EMPIRICAL,
    statement=f"The (linear) identity network reaches a test accuracy of about 88 % "
    f"(0.88 ± {ABOUT_88}, TOST).",
    check=Empirical(ORIGINAL, Value(acc("identity"), target=0.88, tolerance=ABOUT_88)),
    expect=Verdict.SUPPORTED,
    note="'Almost completely linear' understates it: the network is exactly affine up to the "
    "softmax (Q48.6).",
)
