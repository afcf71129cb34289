"""Q49. 批大小如何影响测试正确率？ -- How does batch size affect test accuracy?

Original protocol (protocols.md; Experiment8 of the original's experiments.py): a 12-d Gaussian
mixture (means 1 apart in every dimension, s = 1, 500 rows, 400 train / 100 test), two sigmoid
hidden layers of 100, Adam (lr 0.003), cross-entropy; batch sizes 1, 4, 16, 64, 256, 400 for 150
"epochs" = ``int(150 * 500 / b)`` steps (500 is the whole data set: an "epoch" is 1.25 passes
over the 400 training rows); 4 repeats. It recorded accuracy on the TRAINING rows at epochs
10, 20, ..., 140 and plotted it under the title "Test Accuracy"; its second panel is the wall
time of each setting (of the last repeat only) with a "time until acc = 0.8" curve.

Here (experiments/q49_batch_size.py) training and test accuracy are recorded at the original's
checkpoints, and the claims read the last one (epoch 140). Where the text says "test accuracy"
the claim (``Q49.m``) reads the test rows, as the text says; its ``b`` twin reads the training
rows, the quantity the original's figure actually shows. Runtimes are CPU seconds of one
network trained alone (experiment ``batch_size_timed``), on one thread of a shared machine.
"""

import math

from experiments.q49_batch_size import (
    BATCH_SIZES,
    SECONDS,
    TEST_ACCURACY,
    TEST_ACCURACY_ADJ,
    TRAIN_ACCURACY,
    TRAIN_ACCURACY_ADJ,
    batch_size,
    batch_size_timed,
    gradient_noise,
)
from experiments.variants import COMMON
from harness import (
    CONVENTIONS,
    AllOf,
    Compare,
    Empirical,
    Kind,
    NonInferior,
    Trend,
    Verdict,
    cites,
    claim,
    departure,
    differs,
    exact,
    robustness,
    says,
)

ORIGINAL = batch_size()
# Runtime: each (seed, batch size) trained alone and timed. 15 of the 150 epochs: a setting's
# time is its step count (150 * 500 / b, all divided by 10 here) times its cost per step, so
# which batch size runs faster does not depend on the number of epochs -- only the fixed
# set-up weighs more, which works against the claim. The full 150 epochs run in the full
# profile (Q49.9f).
TIMED = batch_size_timed(epochs=15)

MODERATE = (4, 16, 64, 256)  # the batch sizes between the two extremes
POSITIONS = tuple(math.log(b) for b in BATCH_SIZES)  # batch sizes are (nearly) geometric

# Declared before any run. Test accuracy is on 100 rows (one row = 0.01), training accuracy on
# 400 (one row = 0.0025):
GAIN = 0.02  # smallest rise or fall of accuracy worth the name: 2 test rows, 8 training rows
STEP = 0.01  # "monotonically": every step between neighbouring batch sizes falls by at least
# one test row (four training rows)
RUNTIME_FALL = 2.0  # "runtime falls": at least 2-fold from batch 1 to 400 (fitted, log scale)

READINGS = {
    "": (TEST_ACCURACY, TEST_ACCURACY_ADJ, "test"),
    "b": (TRAIN_ACCURACY, TRAIN_ACCURACY_ADJ, "training"),
}

SUP, REF = Verdict.SUPPORTED, Verdict.REFUTED
# Verdicts of the standard run, test rows ("") and training rows ("b"):
EXPECT = {
    "Q49.6": SUP,
    "Q49.6b": REF,
    "Q49.8": REF,
    "Q49.8b": SUP,
    "Q49.18": REF,
    "Q49.18b": SUP,
    "Q49.13": REF,
    "Q49.13b": REF,
    "Q49.14": REF,
    "Q49.14b": SUP,
    "Q49.15": REF,
    "Q49.15b": REF,
}


def moderate(acc):
    return acc.mean_over("batch", MODERATE)


def runtime_falls():
    return Empirical(
        TIMED,
        Trend(
            SECONDS.over("batch", BATCH_SIZES),
            "decreasing",
            min_effect=math.log(RUNTIME_FALL),
            positions=POSITIONS,
        ),
    )


departure(
    49,
    "The figure the conclusion reads is titled 'Test Accuracy', but the original's "
    "code computed it on the 400 TRAINING rows (the test accuracy it computed after "
    "training was discarded). Every accuracy claim is tested on both sets: Q49.m on "
    "the test rows (as the text says), Q49.mb on the training rows (what the figure "
    "shows).",
    source="original experiments.py, Experiment8.run; notebook cell 52",
    claims=("Q49.12",),
)
departure(
    49,
    "An 'epoch' in the original is 500 rows (the whole data set, test rows included) "
    "while 400 rows are trained on: 150 'epochs' are 187.5 passes over the training "
    "set; kept as in the original.",
    source="original experiments.py, Experiment8.run",
)
departure(
    49,
    "The original's method sentence is cut off ('We measure both the accuracy after "
    "'); the seed renders it as 'we measured the accuracy afterwards', dropping the "
    "'both' that announced the runtime measurement.",
    source="original notebook, section 8 (Method)",
    claims=("Q49.5",),
)
departure(
    49,
    "Translation: 'larger batch sizes will increase test accuracy ..., up to a "
    "certain extent, after which the test accuracy will decrease' became "
    "'在一定程度上，测试的正确率将会下降' ('to some extent, test accuracy will "
    "decrease'), losing the rise-then-fall the hypothesis states. Q49.6 and Q49.8 test "
    "the original's shape.",
    source="original notebook, section 8 (Hypothesis)",
    claims=("Q49.6", "Q49.8"),
)
departure(
    49,
    "The original's run-time panel shows one repeat (each repeat overwrote the "
    "last), and its 'time until acc = 0.8' is run time / 10 x the index of the first "
    "checkpoint where the mean training accuracy passes 0.8 (index 0 = epoch 10, so "
    "a setting past 0.8 at epoch 10 -- or never past it -- gets 0). Our panel shows "
    "every seed's CPU time to its first checkpoint at or above 0.8.",
    source="original notebook, cell 52",
)
departure(
    49,
    "The accuracy curves end at epoch 140 of the 150 trained (the original records at "
    "the first step past each tenth of 'epochs' 10-140); the claims read epoch 140, the "
    "last point the text's author saw.",
    source="original experiments.py, Experiment8",
)
departure(
    49,
    "Runtime here is CPU time of one network on one thread of a shared machine "
    "(wall time would measure the other jobs), over 15 of the 150 epochs in the "
    "standard profile (150 in the full profile); the original timed wall time on its "
    "2018 CPU.",
    claims=("Q49.9", "Q49.11", "Q49.16"),
)
departure(
    49,
    "'The best compromise seems to be ABOUT a batch size of 64' lost its 'about' in "
    "translation (对批大小的最佳折衷似乎是为 64 的批大小).",
    source="original notebook, section 8 (Discussion)",
    claims=("Q49.17",),
)

claim(
    "Q49.1",
    quote="我们生成两个 12 维高斯混合",
    kind=Kind.PROTOCOL,
    statement="The data are a mixture of two 12-dimensional Gaussians.",
    check=says(49, "d = 12"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q49.20",
    quote="高斯具有相同的协方差矩阵",
    kind=Kind.PROTOCOL,
    statement="The two Gaussians share one covariance matrix.",
    check=says(CONVENTIONS, "shared covariance is CᵀC"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q49.2",
    quote="但在每个维度上都有一个由 1 隔开的均值",
    kind=Kind.PROTOCOL,
    statement="The class means are 1 apart in every dimension.",
    check=says(49, "sep = 1 in every dimension"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q49.3",
    quote="该数据集由 500 个高斯组成，其中 400 个用于训练，100 个用于测试",
    kind=Kind.PROTOCOL,
    statement="The data set has 500 points, 400 for training and 100 for testing.",
    check=says(49, "n = 500 (400/100)"),
    expect=Verdict.SUPPORTED,
    note="'500 Gaussians' is the original's own wording for 500 points.",
)

claim(
    "Q49.4",
    quote="使用不同的批大小，从 1 到 400",
    kind=Kind.PROTOCOL,
    statement="Batch sizes from 1 to 400 were used (1, 4, 16, 64, 256, 400).",
    check=says(49, "batch size 1, 4, 16, 64, 256, 400"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q49.5",
    quote="我们测量了之后的正确率",
    kind=Kind.PROTOCOL,
    statement="Accuracy was measured during and after training (every 10 epochs).",
    check=says(49, "accuracy every 10 epochs"),
    expect=Verdict.SUPPORTED,
)

for suffix, (acc, _, rows) in READINGS.items():
    claim(
        f"Q49.6{suffix}",
        quote="我们期望较大的批大小会增加正确率",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q49.6{suffix}"],
        statement=f"Larger batch sizes increase accuracy (up to a point): the mean {rows} "
        f"accuracy of the moderate batch sizes (4, 16, 64, 256) exceeds that of "
        f"batch 1 by at least {GAIN}.",
        check=Empirical(ORIGINAL, Compare(moderate(acc), acc.at(batch=1), min_effect=GAIN)),
        note="The rising half of the original's hypothesis (rise, then fall after some "
        "point): no peak is named, so the moderate sizes are averaged rather than one "
        "chosen." + (" Training rows: what the original's figure shows." if suffix else ""),
    )


@exact(
    "Q49.7",
    quote="较少的噪声梯度更新",
    statement="Larger batches give less noisy gradient updates: the total variance of the "
    "mini-batch gradient (rows drawn without replacement) falls strictly from batch "
    "1 to 400 (to 0), as sigma^2 / b * (n - b) / (n - 1); sampled batches agree.",
    method="per-row gradients (float64) at a seed's initialisation; 4,000 sampled batches per size",
)
def gradient_noise_falls():
    formula, sampled, error = gradient_noise()
    assert all(a > c for a, c in zip(formula, formula[1:])), f"not falling: {formula}"
    assert all(a > c for a, c in zip(sampled, sampled[1:])), f"sampled not falling: {sampled}"
    # the sampled variance is a mean of 4,000 draws: it must lie within 4 standard errors
    worst = max(abs(s - f) / max(e, 1e-300) for s, f, e in zip(sampled, formula, error) if f > 0)
    # the full batch's variance is 0 up to float64 rounding through the 400 x 400 Gram matrix,
    # which depends on the CPU's kernels: allow 400 ulps of the batch-1 variance
    zero = 400 * math.ulp(1.0) * sampled[0]
    assert worst < 4 and sampled[-1] <= zero, f"sampling disagrees ({worst:.1f} SE): {sampled}"
    return "total gradient variance by batch size: " + ", ".join(
        f"{b}: {f:.3g} (sampled {s:.3g})" for b, f, s in zip(BATCH_SIZES, formula, sampled)
    )


for suffix, (acc, _, rows) in READINGS.items():
    claim(
        f"Q49.8{suffix}",
        quote="在一定程度上，测试的正确率将会下降",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q49.8{suffix}"],
        statement=f"Beyond a point, accuracy falls with batch size: the mean {rows} accuracy "
        f"of the moderate batch sizes (4, 16, 64, 256) exceeds that of batch 400 by "
        f"at least {GAIN}.",
        check=Empirical(ORIGINAL, Compare(moderate(acc), acc.at(batch=400), min_effect=GAIN)),
        note="The falling half of the original's hypothesis (see the translation departure).",
    )

Q49_9 = claim(
    "Q49.9",
    quote="我们预计随着批大小的增加，运行时间应有所下降",
    kind=Kind.EMPIRICAL,
    statement=f"Runtime falls as batch size grows: the CPU time of a setting falls "
    f"at least {RUNTIME_FALL:g}-fold from batch 1 to 400 (fitted on log "
    f"time against log batch size).",
    check=runtime_falls(),
    expect=Verdict.SUPPORTED,
    note="Each (seed, batch size) is one network trained alone, as in the original; "
    "15 epochs in the standard profile (see TIMED).",
)
robustness(Q49_9, {"f": ("the full 150 epochs timed", {"epochs": 150})})

claim(
    "Q49.10",
    quote="运行实验所需的时间： `293.145 s`",
    kind=Kind.HISTORICAL,
    statement="The original experiment took 293.145 s.",
    reason="a runtime on the original 2018 machine",
)

claim(
    "Q49.11",
    quote="运行时间确实随着批大小的增加而下降",
    kind=Kind.EMPIRICAL,
    statement="Runtime does fall as batch size grows (the test of Q49.9).",
    check=runtime_falls(),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q49.12",
    quote="这导致了测试正确率的妥协",
    kind=Kind.PROTOCOL,
    statement="The accuracy the original saw fall with batch size was a test accuracy.",
    check=differs(49, "computed on the **training** set"),
    expect=Verdict.REFUTED,
    note="The original's 'test accuracy' figure was computed on the training rows; the "
    "empirical claims are tested on both sets (b = training rows).",
)

for suffix, (acc, _, rows) in READINGS.items():
    claim(
        f"Q49.18{suffix}",
        quote="这导致了测试正确率的妥协",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q49.18{suffix}"],
        statement=f"The faster, larger batches cost accuracy: {rows} accuracy falls with batch "
        f"size by at least {GAIN} from batch 1 to 400 (fitted against log batch "
        f"size).",
        check=Empirical(
            ORIGINAL,
            Trend(
                acc.over("batch", BATCH_SIZES), "decreasing", min_effect=GAIN, positions=POSITIONS
            ),
        ),
    )

for suffix, (acc, _, rows) in READINGS.items():
    q49_13 = claim(
        f"Q49.13{suffix}",
        quote="测试正确率随着批大小的增加而单调递减",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q49.13{suffix}"],
        statement=f"{rows.capitalize()} accuracy decreases monotonically with batch size: every "
        f"step 1 → 4 → 16 → 64 → 256 → 400 lowers it by at least {STEP}.",
        check=Empirical(
            ORIGINAL,
            Trend(acc.over("batch", BATCH_SIZES), "decreasing", min_effect=STEP, every_step=True),
        ),
        note=(
            "Training rows: batches 1 and 4 both end near 0.99, so the first step cannot "
            "fall by a row's worth."
            if suffix
            else "Test rows: test accuracy rises from batch 4 to 16 (and on to 64)."
        ),
    )
    if not suffix:
        robustness(q49_13, {k: COMMON[k] for k in ("c", "d")})

for suffix, (acc, _, rows) in READINGS.items():
    claim(
        f"Q49.14{suffix}",
        quote="这与普遍的观点不一致，严格来说，即中等规模的批大小更适用于训练",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q49.14{suffix}"],
        statement=f"The result disagrees with the view that moderate batch sizes train better: "
        f"batch 1 beats the moderate batch sizes (4, 16, 64, 256, mean) in {rows} "
        f"accuracy by at least {GAIN}.",
        check=Empirical(ORIGINAL, Compare(acc.at(batch=1), moderate(acc), min_effect=GAIN)),
        note="What the sentence asserts is a disagreement: the smallest batch does better "
        "than the moderate ones, the opposite of the view it cites.",
    )

for suffix, (acc, adj, rows) in READINGS.items():
    claim(
        f"Q49.15{suffix}",
        quote="这可能是由于我们没有调整不同批大小的学习率",
        kind=Kind.EMPIRICAL,
        expect=EXPECT[f"Q49.15{suffix}"],
        statement=f"The fall is due to the learning rate not being adjusted: with lr 0.003·√b "
        f"batch 400 gains at least {GAIN} of {rows} accuracy over lr 0.003, and is "
        f"then not worse than batch 1 by more than {GAIN}.",
        check=Empirical(
            ORIGINAL,
            AllOf(
                [
                    Compare(adj.at(batch=400), acc.at(batch=400), min_effect=GAIN),
                    NonInferior(adj.at(batch=400), acc.at(batch=1), margin=GAIN),
                ],
                label="adjusting the lr removes the fall",
            ),
        ),
        note="The smallest fair test of the hedged explanation: one standard adjustment (for "
        "Adam the square-root rule; batch 1 keeps the original 0.003), at the batch size "
        "where the fall is largest. If the adjusted large batch catches up with batch 1, "
        "the fixed lr caused the fall; a rule other than √b could still do better."
        + (
            " Training rows: the √b rate lifts batch 400 by about 0.10 but leaves it "
            "about 0.04 below batch 1."
            if suffix
            else " Test rows: there is no fall to explain (Q49.18), and the √b rate lowers "
            "batch 400's test accuracy."
        ),
    )

claim(
    "Q49.16",
    quote="因为更大的批大小运行速度更快",
    kind=Kind.EMPIRICAL,
    statement="Larger batch sizes run faster (the test of Q49.9).",
    check=runtime_falls(),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q49.17",
    quote="对批大小的最佳折衷似乎是为 64 的批大小",
    kind=Kind.OPINION,
    statement="Overall, the best compromise between speed and accuracy seems to be a batch "
    "size of about 64.",
    reason="a value judgement trading accuracy against time, with no stated exchange rate; "
    "the figures show both sides of the trade",
)

claim(
    "Q49.19",
    quote="相关论文：https://arxiv.org/abs/1508.02788",
    kind=Kind.CITATION,
    statement="arXiv:1508.02788 (Breuel 2015) is a study of how SGD hyperparameters -- "
    "learning rate, momentum, batching -- affect training: the related paper on "
    "adjusting the learning rate.",
    check=cites("breuel2015effects", "hyperparameters-batching"),
    expect=Verdict.SUPPORTED,
)
