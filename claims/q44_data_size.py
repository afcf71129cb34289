"""Q44. 更多的数据是否有利于更深的神经网络？ -- Does more data favour deeper networks?

Original protocol (protocols.md; notebook Experiment 3): 12-d Gaussian mixture (sep_i = 1/i,
s = 1), total n = 20, 50, 100, 200, 500, 1k, 2k, 5k, 10k (80 % train, nested subsets of one
draw), one test set of 2,000 rows; scikit-learn defaults: SVC (RBF), DecisionTreeClassifier,
MLPClassifier(100), MLPClassifier(100, 100); test accuracy, 3 repeats; the figure plots the mean
of the repeats against the training-set size (0.8 n), with no error band. The seed (and the
original's own text) says "random forest" where the code fits a decision tree:
RandomForestClassifier (defaults) runs alongside, and claims that involve the tree have a ``b``
variant with the forest in its place.

Definitions (declared before any run):
* "deep" = MLP(100, 100); the intro counts the shallow network among the "other techniques"
  (其他技术（如浅层神经网络和随机森林）), so "non-deep" = MLP(100), SVM and the tree (forest in
  ``b``); "neural networks" = both MLPs;
* "small data sets" = n = 20, 50, 100 (16-80 training rows), averaged; "large" = n = 10,000;
* a classifier's *saturation size* is the smallest n from which its accuracy stays within 0.02
  of its accuracy at n = 10,000;
* the attainable accuracy of a seed is its Bayes accuracy (equal priors, known covariance); it
  varies with the random covariance.

Cost: ~10-14 s of CPU per seed (single thread; 12.6-13.7 s measured in standard runs on the
shared machine), ~4.8 s of it the MLPs and ~3.3 s the random forest; scikit-learn fits cannot be
batched across seeds (the one safe speed-up taken is described in experiments/q44_data_size.py).
The experiment is capped at 500 seeds, the standard schedule's last look (about two
CPU-hours; 15 s a seed in the run that added seeds 200-499), so the cap binds only the full
profile. It was first capped at 20 on cost alone, then at 50, then at 200; each cap left claims
open that more seeds could decide (at 200: Q44.11, Q44.11b and Q44.19, REFUTED at 500), and each
time all of Q44 was re-decided on the new schedule (the looks keep their shares, the cap takes
the rest), not only the open claims. The original ran 3.
"""

import numpy as np
from scipy.stats import norm

from experiments import data
from experiments.q44_data_size import (
    ACCURACY,
    BAYES,
    DEEP_ADVANTAGE,
    N_TEST,
    NETWORKS,
    SATURATION,
    SATURATION_TOLERANCE,
    SIZES,
    TRAIN_ACCURACY,
    data_size,
)
from harness import (
    CONVENTIONS,
    AllOf,
    Compare,
    Empirical,
    Kind,
    NonInferior,
    Trend,
    Value,
    Verdict,
    claim,
    departure,
    derived,
    differs,
    exact,
    real,
    recorded,
    robustness,
    says,
)

ORIGINAL = data_size()  # capped at 500 seeds by its cost (experiments/q44_data_size.py)
SMALL = (20, 50, 100)
LARGEST = SIZES[-1]
DEEP = "mlp2"
# Declared before any run. An accuracy on 2,000 test rows has a binomial SE of ~0.007 at 0.9:
BETTER = 0.01  # smallest accuracy difference between classifiers worth the name: 20 test rows
GRID_STEP = 2  # "saturates sooner": at least one step of the size grid (x2 to x2.5 per step)
RESPECTABLE = 0.8  # "respectable accuracy": 80 % of the way from chance to the Bayes accuracy
# "approaching 1.0": the original's SVM reached 0.945 at 8,000 training rows, which its author
# called approaching 1.0 -- so within 0.06 of 1.0
NEAR_ONE = 0.06
OVERFIT = 0.05  # "not significantly overfitting" (literally): train - test gap below 5 points
EASY = 0.75  # a dimension "easy" on its own: Bayes accuracy on it alone >= 0.75
USEFUL = 0.01  # dimensions 6-12 "useful": they add >= 1 point of Bayes accuracy
MONTE_CARLO = 20_000  # covariance draws for the exact checks of the data design


def others(forest=False):
    return ("mlp1", "svm", "forest" if forest else "tree")


def non_networks(forest=False):
    return ("svm", "forest" if forest else "tree")


def acc(name, n):
    return ACCURACY.at(classifier=name, n=n)


def mean_acc(name, sizes=SIZES):
    return ACCURACY.mean_over("n", sizes, classifier=name)


def empirical(test, protocol=ORIGINAL):
    return Empirical(protocol, test)


def _gain(name):
    return derived(
        f"accuracy gain of {name} from n = {SIZES[0]} to n = {LARGEST:,}",
        lambda t: (
            ACCURACY.values(t, classifier=name, n=LARGEST)
            - ACCURACY.values(t, classifier=name, n=SIZES[0])
        ),
        like=DEEP_ADVANTAGE.at(n=LARGEST),
    )


def _gap_growth(forest):
    other = non_networks(forest)

    def fn(trials):
        nets = np.mean(
            [ACCURACY.over_values(trials, "n", SIZES, classifier=c) for c in NETWORKS], axis=0
        )
        rest = np.mean(
            [ACCURACY.over_values(trials, "n", SIZES, classifier=c) for c in other], axis=0
        )
        gap = nets - rest
        # the saturation index of the networks' mean curve: from it on the curve stays within
        # the tolerance of its end (computed from the end backwards)
        within = nets >= nets[:, -1:] - SATURATION_TOLERANCE
        stays = np.flip(np.cumprod(np.flip(within, 1), 1), 1).astype(bool)
        first = np.argmax(stays, axis=1)
        return gap[np.arange(len(gap)), first] - gap[:, 0]

    return derived(
        f"gap (mean of the MLPs - mean of SVM and {other[1]}) at the MLPs' "
        f"saturation size minus the gap at n = {SIZES[0]}",
        fn,
        like=real("gap growth", resolution=1 / N_TEST),
    )


def _svm_share(trials):
    return (ACCURACY.values(trials, classifier="svm", n=LARGEST) - 0.5) / (
        trials[BAYES.key()] - 0.5
    )


SVM_SHARE = derived(
    f"SVM's share of the attainable gain at n = {LARGEST:,}: (accuracy - 0.5) / "
    f"(Bayes accuracy - 0.5)",
    _svm_share,
    like=real("share of attainable gain", resolution=2 / N_TEST),
)


def deep_beats(names, sizes, label):
    return AllOf(
        [
            Compare(
                ACCURACY.mean_over("n", sizes, classifier=DEEP),
                ACCURACY.mean_over("n", sizes, classifier=o),
                min_effect=BETTER,
            )
            for o in names
        ],
        label=label,
    )


# --- departures ---------------------------------------------------------------------------------
departure(
    44,
    "Decision tree, not random forest: the original's code fits "
    "DecisionTreeClassifier() (its legend: 'Decision Trees'); the original's own text "
    "and the seed say random forests. Both are run; the claims that involve the tree "
    "have a 'b' variant with RandomForestClassifier.",
    source="original notebook, Experiment 3 (code)",
    claims=(
        "Q44.15",
        "Q44.2b",
        "Q44.3b",
        "Q44.10b",
        "Q44.11b",
        "Q44.12b",
        "Q44.14b",
        "Q44.16b",
        "Q44.21b",
    ),
)
departure(
    44,
    "Translation: 'have means that are 1/i unit apart in the i-th dimension' became "
    "但也意味着在第 i 个维度上有 1/i 单位 ('but it also implies 1/i units in dimension "
    "i'): 意味着 ('signifies') replaces the class means.",
    source="original notebook, Experiment 3 (Method)",
    claims=("Q44.7",),
)
departure(
    44,
    "'Some dimensions allow models to easily discriminate': with the shared random "
    "covariance CᵀC (C uniform on [0, 1)), every coordinate has a variance of ~4 while "
    "the largest mean difference is 1, so no dimension is easy on its own; the classes "
    "separate only jointly.",
    source="original protocol (generate_mixture_of_gaussians)",
    claims=("Q44.8",),
)
departure(
    44,
    "Translation changes the hypothesis: the original expects that 'the accuracy of "
    "deep models will grow more than the non-deep models' (a larger gain with n); the "
    "seed says it will be higher (深度模型的正确率会比非深度模型的正确率要高). Both "
    "are tested: Q44.11 (the seed), Q44.25 (the original).",
    source="original notebook, Experiment 3 (Hypothesis)",
    claims=("Q44.11", "Q44.25"),
)
departure(
    44,
    "Translation drops a hedge: 'Deep networks perform a little bit better than "
    "shallow networks' became 深度网络比浅层网络的表现更好 ('perform better').",
    source="original notebook, Experiment 3 (Conclusion)",
    claims=("Q44.19",),
)
departure(
    44,
    "The text's opening belief (deep learning beats shallow nets and random forests "
    "only once the data set is large) is contradicted by its own discussion (the "
    "networks are already better on relatively small data sets); the opening presents "
    "it as what 'is usually said'.",
    source="seed text, Q44 intro and Discussion",
    claims=("Q44.3", "Q44.21"),
)
departure(
    44,
    "'SVM seems like it could have an approaching 1.0 with enough data' (an "
    "extrapolation, from the original's 0.945 at 8,000 training rows) became "
    "SVM 看上去似乎有足够的数据来接近于 1.0 ('seems to have enough data to approach "
    "1.0'). The original's single covariance draw had a Bayes accuracy near 1.0; under "
    "the protocol's random covariance the attainable accuracy varies by seed, and 1.0 "
    "is out of reach on some.",
    source="original notebook, Experiment 3 (Discussion and figure)",
    claims=("Q44.24",),
)
departure(
    44,
    "'Dataset size' is the total n, but the figure's x-axis is the training-set size "
    "0.8 n (16 to 8,000 rows); the 20 % 'test' share of n is never used (the test set "
    "is a separate 2,000 rows). The original plots means of 3 repeats without bands.",
    source="original notebook, Experiment 3 (figure code)",
)

# --- what the standard run gave (500 seeds at most; the cap is in the module docstring) ----------
RESULTS = {
    "Q44.2": (
        Verdict.REFUTED,
        "Standard run (20 seeds): at n = 10,000 MLP(100, 100) is slightly "
        "below MLP(100), -0.005 [-0.008, -0.002]: both sit near the Bayes accuracy "
        "(0.968 on average); it beats the SVM by 0.048 and the tree by 0.30.",
    ),
    "Q44.3": (
        Verdict.REFUTED,
        "Standard run (10 seeds): on small data sets MLP(100, 100) beats "
        "the SVM by 0.110 [0.090, 0.130] and the tree by 0.112: deep learning is better "
        "there already (against MLP(100): +0.007, within the margin).",
    ),
    "Q44.4": (
        Verdict.REFUTED,
        "Standard run (100 seeds): the advantage shrinks rather than grows, "
        "fitted change -0.015 [-0.020, -0.010]: it peaks at n = 100-500 (+0.02-0.04) "
        "and is ~0 from n = 2,000 on, where both networks reach the Bayes accuracy. "
        "(At the first cap of 20 seeds: INCONCLUSIVE, -0.009 [-0.020, 0.001].)",
    ),
    "Q44.10": (
        Verdict.SUPPORTED,
        "Standard run (20 seeds): every technique rises; the tree "
        "least (0.53 to 0.66 mean test accuracy).",
    ),
    "Q44.11": (
        Verdict.REFUTED,
        "Standard run (500 seeds): MLP(100, 100) beats the SVM by about 0.09 and the tree "
        "by 0.21 (forest 0.16) on average over sizes (50 seeds), but MLP(100) only by "
        "0.007 [0.005, 0.008], below the smallest effect of 0.01. (At the earlier cap of "
        "200 seeds: INCONCLUSIVE, 0.006 [0.004, 0.008].)",
    ),
    "Q44.25": (
        Verdict.REFUTED,
        "Standard run (200 seeds): the deep network gains "
        "less than MLP(100) from n = 20 to 10,000 (-0.007 [-0.010, -0.004]; at 50 seeds "
        "+0.000 [-0.008, 0.008]) and no more than the SVM; only the tree gains less (0.25).",
    ),
    "Q44.12": (
        Verdict.REFUTED,
        "Standard run (20 seeds): the opposite -- the SVM saturates "
        "10^0.54 = 3.5 times later than MLP(100, 100) [2.3, 5.1], the tree 2.3 times "
        "(the forest 3.5 times); MLP(100) about when MLP(100, 100) does.",
    ),
    "Q44.14": (
        Verdict.SUPPORTED,
        "Standard run (500 seeds): all 36 differences are positive; the weakest, "
        "MLP(100, 100) - SVM at n = 10,000, is 0.022 [0.018, 0.026] (some seeds' SVM lags "
        "far behind: skewness 2.3).",
    ),
    "Q44.14b": (
        Verdict.SUPPORTED,
        "Standard run (500 seeds): all 36 differences are positive; the weakest, "
        "MLP(100, 100) - SVM at n = 10,000, is 0.022 [0.018, 0.026] (some seeds' SVM lags "
        "far behind).",
    ),
    "Q44.16": (
        Verdict.SUPPORTED,
        "Standard run (10 seeds): the gap grows by 0.175 [0.127, "
        "0.223] from n = 20 to the networks' saturation size.",
    ),
    "Q44.16b": (Verdict.SUPPORTED, "Standard run (20 seeds): +0.156 [0.117, 0.195]."),
    "Q44.18": (
        Verdict.SUPPORTED,
        "Standard run (200 seeds): the SVM covers 0.91 "
        "[0.89, 0.92] of the attainable gain at n = 10,000.",
    ),
    "Q44.19": (
        Verdict.REFUTED,
        "Standard run (500 seeds): +0.007 [0.005, 0.008], below the smallest effect: 'a "
        "little bit better' is under one point, most of it at n = 100-500. (At the earlier "
        "cap of 200 seeds: INCONCLUSIVE, +0.006 [0.004, 0.008].)",
    ),
    "Q44.20": (Verdict.SUPPORTED, "Standard run (20 seeds): both rise by ~0.40 (0.56 to 0.96)."),
    "Q44.21": (Verdict.SUPPORTED, "Standard run (10 seeds): +0.10 or more for each pair."),
    "Q44.21b": (Verdict.SUPPORTED, "Standard run (20 seeds): +0.09 or more for each pair."),
    "Q44.22": (
        Verdict.SUPPORTED,
        "Standard run (20 seeds): MLP(100, 100) - MLP(100) on small "
        "data sets = +0.007 [0.001, 0.013].",
    ),
    "Q44.26": (
        Verdict.REFUTED,
        "Standard run (10 seeds): test accuracy is 0.34 [0.30, 0.39] "
        "below training accuracy (which is ~1.0 on 16-80 rows): in the usual sense the "
        "network overfits massively; it just overfits no worse than MLP(100) (Q44.22).",
    ),
    "Q44.24": (
        Verdict.REFUTED,
        "Standard run (200 seeds): 0.904 [0.893, 0.916] "
        "against 0.94 (at 50 seeds below it but not at the family's level); the mean "
        "Bayes accuracy is 0.968.",
    ),
}
RESULTS["Q44.2b"] = (Verdict.REFUTED, RESULTS["Q44.2"][1] + " (The forest: 0.22 below.)")
RESULTS["Q44.3b"] = (Verdict.REFUTED, RESULTS["Q44.3"][1])
RESULTS["Q44.10b"] = (
    Verdict.SUPPORTED,
    "Standard run (20 seeds): every technique rises (the forest 0.53 to 0.74).",
)
RESULTS["Q44.11b"] = (Verdict.REFUTED, RESULTS["Q44.11"][1])
RESULTS["Q44.12b"] = (Verdict.REFUTED, RESULTS["Q44.12"][1])


result = recorded(RESULTS)  # expect= and note= of a claim: what the standard run gave


# --- claims, in the order of the text ------------------------------------------------------------
claim(
    "Q44.1",
    quote="深度学习和大数据密切相关",
    kind=Kind.OPINION,
    statement="Deep learning and big data are closely related.",
    reason="a general characterisation of the field, not a statement this experiment measures",
)

for v, forest in (("", False), ("b", True)):
    claim(
        f"Q44.2{v}",
        quote="深度学习只会比其他技术（如浅层神经网络和随机森林）更有效",
        kind=Kind.EMPIRICAL,
        statement=f"With a large data set (n = {LARGEST:,}), the deep network MLP(100, 100) is "
        f"more accurate than each other technique -- MLP(100), the SVM and the "
        f"{'random forest' if forest else 'decision tree'} -- by at least {BETTER}.",
        check=empirical(deep_beats(others(forest), (LARGEST,), "deep beats others, large n")),
        **result(
            f"Q44.2{v}",
            "The text reports this as what 'is usually said'; its content is what is tested.",
        ),
    )

for v, forest in (("", False), ("b", True)):
    claim(
        f"Q44.3{v}",
        quote="当数据集的规模大到足够克服过拟合时",
        kind=Kind.EMPIRICAL,
        statement=f"Deep learning is more effective ONLY once the data set is large enough: on "
        f"small data sets (mean over n = 20, 50, 100) MLP(100, 100) is not more "
        f"accurate than MLP(100), the SVM or the "
        f"{'random forest' if forest else 'decision tree'} by {BETTER} or more "
        f"(each other technique non-inferior to it with margin {BETTER}).",
        check=empirical(
            AllOf(
                [
                    NonInferior(mean_acc(o, SMALL), mean_acc(DEEP, SMALL), margin=BETTER)
                    for o in others(forest)
                ],
                label="deep not better on small data",
            )
        ),
        **result(f"Q44.3{v}"),
    )

claim(
    "Q44.4",
    quote="更有利于增强深层网络的表达性",
    kind=Kind.EMPIRICAL,
    statement=f"More data favours the deep network's expressivity: the accuracy advantage of "
    f"MLP(100, 100) over MLP(100) grows with the data set size (fitted change from "
    f"n = 20 to n = {LARGEST:,} at least {BETTER}).",
    check=empirical(Trend(DEEP_ADVANTAGE.over("n", SIZES), "increasing", min_effect=BETTER)),
    **result("Q44.4"),
)

claim(
    "Q44.5",
    quote="数据集由两个 12 维的高斯混合而成",
    kind=Kind.PROTOCOL,
    statement="The data set is a mixture of two 12-dimensional Gaussians.",
    check=says(44, "d = 12"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q44.6",
    quote="两个高斯具有相同的协方差矩阵",
    kind=Kind.PROTOCOL,
    statement="The two Gaussians share one covariance matrix.",
    check=says(CONVENTIONS, "shared covariance is CᵀC"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q44.7",
    quote="在第 `i` 个维度上有 `1/i`  单位",
    kind=Kind.PROTOCOL,
    statement="The class means are 1/i apart in dimension i.",
    check=says(44, "sep_i = 1/i"),
    expect=Verdict.SUPPORTED,
)


def _covariance_draws(draws=MONTE_CARLO, d=12):
    g = np.random.default_rng(44)
    c = g.random((draws, d, d))
    return np.einsum("kij,kil->kjl", c, c)  # CᵀC per draw


def _bayes(cov, sep, dims):
    dims = list(dims)
    sub = cov[:, dims][:, :, dims]
    s = sep[dims]
    rhs = np.broadcast_to(s[:, None], (len(sub), len(s), 1))
    delta2 = np.einsum("i,ki->k", s, np.linalg.solve(sub, rhs)[..., 0])
    return norm.cdf(np.sqrt(delta2) / 2)


@exact(
    "Q44.8",
    quote="有一些维度，允许模型很容易区分不同的类",
    statement=f"Some dimensions let a model tell the classes apart easily: for most covariance "
    f"draws of the protocol, the best single dimension alone allows a Bayes-optimal "
    f"accuracy of at least {EASY}.",
    method=f"Bayes accuracy Φ(sep_i / 2σ_i) per dimension over {MONTE_CARLO:,} draws of C "
    f"(entries uniform on [0, 1), covariance CᵀC)",
    expect=Verdict.REFUTED,
)
def easy_dimensions():
    cov, sep = _covariance_draws(), data.separation("inverse", 12)
    best = np.max([_bayes(cov, sep, [i]) for i in range(12)], axis=0)
    share = float(np.mean(best >= EASY))
    assert share > 0.5, (
        f"the best single dimension reaches {EASY} in {share:.1%} of draws "
        f"(median {np.median(best):.3f}); all 12 together: median "
        f"{np.median(_bayes(cov, sep, range(12))):.3f}"
    )
    return f"best single dimension >= {EASY} in {share:.1%} of draws"


@exact(
    "Q44.9",
    quote="而其他维度则更为困难，但对区别能力还是有用的",
    statement=f"The other dimensions are harder but still useful: dimensions 6-12 each allow "
    f"a lower single-dimension Bayes accuracy than dimension 1 (median over draws), "
    f"and adding them to dimensions 1-5 raises the Bayes accuracy by at least "
    f"{USEFUL} on average.",
    method=f"Bayes accuracies over {MONTE_CARLO:,} draws of C (as Q44.8)",
)
def hard_dimensions_useful():
    cov, sep = _covariance_draws(), data.separation("inverse", 12)
    single = [np.median(_bayes(cov, sep, [i])) for i in range(12)]
    assert max(single[5:]) < single[0], f"median single-dimension accuracies {np.round(single, 3)}"
    gain = float(np.mean(_bayes(cov, sep, range(12)) - _bayes(cov, sep, range(5))))
    assert gain >= USEFUL, f"dimensions 6-12 add {gain:.4f} of Bayes accuracy on average"
    return (
        f"single-dimension medians {single[0]:.3f} (dim 1) vs <= {max(single[5:]):.3f} "
        f"(dims 6-12); dims 6-12 add {gain:.3f} on average"
    )


for v, forest in (("", False), ("b", True)):
    names = ("svm", "forest" if forest else "tree", "mlp1", "mlp2")
    claim(
        f"Q44.10{v}",
        quote="随着数据集大小的增加，所有技术方法的测试正确率都会提高",
        kind=Kind.EMPIRICAL,
        statement=f"The test accuracy of every technique (SVM, "
        f"{'random forest' if forest else 'decision tree'}, both MLPs) rises with "
        f"the data set size: fitted change from n = 20 to n = {LARGEST:,} at least "
        f"{BETTER} for each.",
        check=empirical(
            AllOf(
                [
                    Trend(ACCURACY.over("n", SIZES, classifier=c), "increasing", min_effect=BETTER)
                    for c in names
                ],
                label="every technique rises with n",
            )
        ),
        **result(f"Q44.10{v}"),
    )

for v, forest in (("", False), ("b", True)):
    claim(
        f"Q44.11{v}",
        quote="但深度模型的正确率会比非深度模型的正确率要高",
        kind=Kind.EMPIRICAL,
        statement=f"The deep model's accuracy is higher than the non-deep models': MLP(100, 100)"
        f" beats MLP(100), the SVM and the "
        f"{'random forest' if forest else 'decision tree'}, each by at least "
        f"{BETTER}, in accuracy averaged over the nine sizes.",
        check=empirical(deep_beats(others(forest), SIZES, "deep beats non-deep, mean over n")),
        **result(
            f"Q44.11{v}",
            "The seed's wording; the original's hypothesis ('will grow "
            "more') is Q44.25. 'Deep' is MLP(100, 100) as in the intro, "
            "which counts shallow networks among the other techniques.",
        ),
    )

claim(
    "Q44.25",
    quote="但深度模型的正确率会比非深度模型的正确率要高",
    kind=Kind.EMPIRICAL,
    statement=f"(The original's hypothesis.) The accuracy of the deep model grows more with the "
    f"data set than the non-deep models': its gain from n = 20 to n = {LARGEST:,} "
    f"exceeds that of MLP(100), the SVM and the decision tree, each by at least "
    f"{BETTER}.",
    check=empirical(
        AllOf(
            [Compare(_gain(DEEP), _gain(o), min_effect=BETTER) for o in others()],
            label="deep gains more",
        )
    ),
    **result(
        "Q44.25",
        "The original reads 'the accuracy of deep models will grow more than "
        "the non-deep models'; the seed translated it as 'higher' (Q44.11).",
    ),
)

for v, forest in (("", False), ("b", True)):
    claim(
        f"Q44.12{v}",
        quote="我们进一步预计非深度学习技术的正确率将更快地饱和",
        kind=Kind.EMPIRICAL,
        statement=f"The non-deep techniques saturate sooner: MLP(100), the SVM and the "
        f"{'random forest' if forest else 'decision tree'} each reach their plateau "
        f"(within {SATURATION_TOLERANCE} of their n = {LARGEST:,} accuracy, staying "
        f"there) at a data set size at least {GRID_STEP} times smaller than "
        f"MLP(100, 100)'s.",
        check=empirical(
            AllOf(
                [
                    Compare(
                        SATURATION.at(classifier=o),
                        SATURATION.at(classifier=DEEP),
                        "less",
                        min_effect=float(np.log10(GRID_STEP)),
                    )
                    for o in others(forest)
                ],
                label="non-deep saturate sooner",
            )
        ),
        **result(
            f"Q44.12{v}",
            "Saturation sizes are compared as log10(n) (a difference of "
            "log10(2) is a factor 2), mean over seeds.",
        ),
    )

claim(
    "Q44.13",
    quote="`138.239 s`",
    kind=Kind.HISTORICAL,
    statement="The original experiment took 138.239 s.",
    reason="a runtime on the original 2018 machine; our runtimes are in the report",
)

Q44_14 = None
for v, forest in (("", False), ("b", True)):
    c = claim(
        f"Q44.14{v}",
        quote="神经网络在数据集大小方面上表现始终优于 SVM 和随机森林",
        kind=Kind.EMPIRICAL,
        statement=f"At every data set size (n = 20 to {LARGEST:,}), each MLP is more "
        f"accurate than the SVM and the "
        f"{'random forest' if forest else 'decision tree'}, by at least {BETTER}.",
        check=empirical(
            AllOf(
                [
                    Compare(acc(w, n), acc(o, n), min_effect=BETTER)
                    for n in SIZES
                    for w in NETWORKS
                    for o in non_networks(forest)
                ],
                label="networks beat the others at every size",
            )
        ),
        **result(f"Q44.14{v}"),
    )
    Q44_14 = Q44_14 or c

claim(
    "Q44.15",
    quote="SVM 和随机森林",
    kind=Kind.PROTOCOL,
    statement="The non-network techniques of the original experiment were an SVM and a "
    "random forest.",
    check=differs(44, "DecisionTreeClassifier"),
    expect=Verdict.REFUTED,
    note="The original fits a single decision tree (its own text says random forests); the "
    "forest runs in the b claims.",
)

for v, forest in (("", False), ("b", True)):
    claim(
        f"Q44.16{v}",
        quote="随着数据集大小的增加，性能上的差距也随之增加，至少在神经网络的正确率开始饱和之前",
        kind=Kind.EMPIRICAL,
        statement=f"The gap (mean of the MLPs minus mean of the SVM and the "
        f"{'random forest' if forest else 'decision tree'}) grows with the data set "
        f"size until the networks saturate: at the size where the MLPs' mean "
        f"accuracy saturates it is larger than at n = 20 by at least {BETTER}.",
        check=empirical(Compare(_gap_growth(forest), 0.0, min_effect=BETTER)),
        **result(f"Q44.16{v}"),
    )

claim(
    "Q44.17",
    quote="这表明神经网络更有效地利用了不断增加的数据集",
    kind=Kind.OPINION,
    statement="Neural networks use the growing data set more effectively.",
    reason="an interpretation of the growing gap, which Q44.16 tests",
)

claim(
    "Q44.18",
    quote="然而，如果有足够的数据，即使是 SVM 也会有可观的正确率",
    kind=Kind.EMPIRICAL,
    statement=f"With enough data (n = {LARGEST:,}) even the SVM reaches a respectable "
    f"accuracy: at least {RESPECTABLE:.0%} of the way from chance (0.5) to the "
    f"seed's Bayes accuracy, on average.",
    check=empirical(Compare(SVM_SHARE, 0.0, min_effect=RESPECTABLE)),
    **result(
        "Q44.18",
        "Measured against each seed's attainable accuracy, which varies with "
        "the random covariance.",
    ),
)

Q44_19 = claim(
    "Q44.19",
    quote="深度网络比浅层网络的表现更好",
    kind=Kind.EMPIRICAL,
    statement=f"The deep network MLP(100, 100) performs better than the shallow MLP(100): higher "
    f"accuracy averaged over the nine sizes, by at least {BETTER}.",
    check=empirical(Compare(mean_acc(DEEP), mean_acc("mlp1"), min_effect=BETTER)),
    **result("Q44.19", "The original says 'a little bit better'; the seed drops the hedge."),
)

claim(
    "Q44.20",
    quote="虽然增加的数据集大小确实会像我们预计的那样有利于神经网络",
    kind=Kind.EMPIRICAL,
    statement=f"Larger data sets benefit the neural networks: the accuracy of each MLP rises "
    f"with the data set size (fitted change from n = 20 to {LARGEST:,} at least "
    f"{BETTER}).",
    check=empirical(
        AllOf(
            [
                Trend(ACCURACY.over("n", SIZES, classifier=c), "increasing", min_effect=BETTER)
                for c in NETWORKS
            ],
            label="networks rise with n",
        )
    ),
    **result("Q44.20"),
)

for v, forest in (("", False), ("b", True)):
    claim(
        f"Q44.21{v}",
        quote="在相对较小的数据集上，神经网络已经比其他技术表现得更好",
        kind=Kind.EMPIRICAL,
        statement=f"On relatively small data sets (mean over n = 20, 50, 100) each MLP is "
        f"already more accurate than the SVM and the "
        f"{'random forest' if forest else 'decision tree'}, by at least {BETTER}.",
        check=empirical(
            AllOf(
                [
                    Compare(mean_acc(w, SMALL), mean_acc(o, SMALL), min_effect=BETTER)
                    for w in NETWORKS
                    for o in non_networks(forest)
                ],
                label="networks beat the others on small data",
            )
        ),
        **result(f"Q44.21{v}"),
    )

claim(
    "Q44.22",
    quote="似乎 2 层网络并没有显著的过拟合",
    kind=Kind.EMPIRICAL,
    statement=f"The two-layer network does not overfit noticeably more than the one-layer "
    f"network on small data sets: its test accuracy (mean over n = 20, 50, 100) is "
    f"not below MLP(100)'s by more than {BETTER} (non-inferiority).",
    check=empirical(NonInferior(mean_acc(DEEP, SMALL), mean_acc("mlp1", SMALL), margin=BETTER)),
    **result(
        "Q44.22",
        "The reading the original's figure (test accuracy only) can support: "
        "depth costs nothing on small data. The literal reading -- a small "
        "train-test gap -- is Q44.26.",
    ),
)

claim(
    "Q44.26",
    quote="似乎 2 层网络并没有显著的过拟合",
    kind=Kind.EMPIRICAL,
    statement=f"(Literal reading.) The two-layer network does not overfit significantly on "
    f"small data sets: its test accuracy (mean over n = 20, 50, 100) is below its "
    f"training accuracy by less than {OVERFIT}.",
    check=empirical(
        NonInferior(
            mean_acc(DEEP, SMALL),
            TRAIN_ACCURACY.mean_over("n", SMALL, classifier=DEEP),
            margin=OVERFIT,
        )
    ),
    **result(
        "Q44.26", "Overfitting in its usual sense: the gap between training and test accuracy."
    ),
)


@exact(
    "Q44.23",
    quote="6-12 特征，信号水平低",
    statement="Features 6-12 have a low signal level: their mean separation 1/i is at most 1/6 "
    "of feature 1's.",
    method="computed from the generator's sep_i = 1/i",
)
def low_signal_dimensions():
    sep = data.separation("inverse", 12)
    ratio = float(sep[5:].max() / sep[0])
    assert ratio <= 1 / 6 + 1e-12, f"max sep_i / sep_1 over i = 6..12 is {ratio:.3f}"
    return f"max sep_i / sep_1 over i = 6..12 is {ratio:.3f}"


claim(
    "Q44.24",
    quote="SVM 看上去似乎有足够的数据来接近于 1.0",
    kind=Kind.EMPIRICAL,
    statement=f"With the most data (n = {LARGEST:,}) the SVM's accuracy approaches 1.0: its "
    f"mean is within {NEAR_ONE} of 1.0.",
    check=empirical(Value(acc("svm", LARGEST), target=1.0, tolerance=NEAR_ONE)),
    **result(
        "Q44.24",
        f"{NEAR_ONE}: the original's SVM reached 0.945 at 8,000 training rows "
        "and its author called that approaching 1.0. The Bayes accuracy "
        "varies with the seed's random covariance, so 1.0 is out of reach on "
        "some seeds.",
    ),
)

# Robustness of the two main conclusions (full profile): the MLP settings are scikit-learn's.
# The variants leave the random forest out (Q44.14 and Q44.19 do not read it).
NO_FOREST = {"classifiers": ("svm", "tree", "mlp1", "mlp2")}
MLP_VARIANTS = {
    "c": ("MLP learning rate x3 (0.003)", {"mlp_lr": 0.003, **NO_FOREST}),
    "d": ("MLP learning rate /3 (0.000333)", {"mlp_lr": 0.001 / 3, **NO_FOREST}),
    "e": (
        "sigmoid ('logistic') instead of ReLU in the MLPs",
        {"mlp_activation": "logistic", **NO_FOREST},
    ),
    "f": ("twice the width (MLP(200), MLP(200, 200))", {"mlp_width": 200, **NO_FOREST}),
}
robustness(Q44_14, MLP_VARIANTS)
robustness(Q44_19, MLP_VARIANTS)
