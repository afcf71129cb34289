"""Q47. 无监督降维提供的是帮助还是摧毁？ -- Does unsupervised dimensionality reduction help or hurt?

Original protocol (protocols.md): d = 10, sep = 1 in every dimension, s = 0.2, n = 100 (80/20);
dummy dimensions 1 ... 2,000 uniform on [0, 1), then every row multiplied by a matrix with
entries uniform on [0, 1) (not a rotation); PCA to none, 10, 5, 1 dims fitted on train; 2 sigmoid
hidden layers of 100, 500 full-batch steps, cross-entropy; test accuracy.
The seed calls the matrix a rotation: that reading (a random orthogonal matrix) is ``b``.

Cost: about 5 s of CPU per seed and protocol (22 networks of input width up to 2,010), so the
empirical claims are capped at 5 seeds (``MAX_SEEDS``) to keep Q45 + Q47 + Q53 within about
120 s of CPU in the standard profile.
"""
import numpy as np

from harness import AllOf, Compare, Empirical, Equivalent, Exact, Kind, Trend, Verdict, claim
from harness.original import agrees, disagrees
from experiments.q47_pca import DUMMIES, pca_dummies

ORIGINAL = pca_dummies(mixing="uniform")
SEED_ROTATION = pca_dummies(mixing="orthogonal")
LARGE = (200, 500, 1000, 2000)       # "very large" / "above 100": the dummy counts above 100
SMALL = (1, 2, 5, 10, 20, 50)
# Declared before any run: on a 20-row test set one row is 0.05, so 0.05 is the smallest
# accuracy difference worth reporting (averaged over several D it is also ~1 SE per seed).
MIN_ACC = 0.05
# Declared before any run (Q47.12): the PCA-10 subspace "coincides" with the discriminative
# directions if the best linear rule in it loses less than MIN_ACC of the full space's
# (population) accuracy.
MAX_SEEDS = 5
CAP_NOTE = "capped at 5 seeds (max_seeds) to fit the standard profile's CPU budget"


def mean_over(pca, ds, what="accuracy"):
    def f(trials):
        return np.mean([trials[f"{what}[pca={pca},dummies={d}]"] for d in ds], axis=0)
    f.__doc__ = f"mean {what}, PCA {pca}, dummies {ds}"
    return f


def pca_helps_large(protocol, dims=("10",)):
    return Empirical(protocol, AllOf([Compare(mean_over(k, LARGE), mean_over("none", LARGE),
                                              "greater", min_effect=MIN_ACC) for k in dims],
                                     label="PCA helps above 100 dummies"), max_seeds=MAX_SEEDS)


def threshold(protocol):
    return Empirical(protocol, AllOf([
        Equivalent(mean_over("none", (1,)), mean_over("none", (50,)), margin=MIN_ACC),
        Compare(mean_over("none", LARGE), mean_over("none", (50,)), "less", min_effect=MIN_ACC)],
        label="flat up to 50, lower above 100"), max_seeds=MAX_SEEDS)


def pca_helps_all(protocol):
    return Empirical(protocol, Compare(mean_over("10", DUMMIES), mean_over("none", DUMMIES),
                                       "greater"), max_seeds=MAX_SEEDS)


claim("Q47.1", quote="当处理非常高维的数据时，神经网络可能难以学习正确的分类边界", kind=Kind.EMPIRICAL,
      statement=f"Without PCA, test accuracy falls as dummy dimensions are added (trend over "
                f"1-2,000 dummies, fitted drop of at least {MIN_ACC}).",
      check=Empirical(ORIGINAL, Trend("accuracy_by_dummies[pca=none]", DUMMIES, "decreasing",
                                      min_effect=MIN_ACC), max_seeds=MAX_SEEDS),
      expect=Verdict.SUPPORTED, note=CAP_NOTE)

claim("Q47.2", quote="可以考虑在将数据传递到神经网络之前进行无监督的降维", kind=Kind.OPINION,
      statement="Unsupervised dimensionality reduction before the network is worth considering.",
      reason="advice")

claim("Q47.3", quote="我们生成两个 10 维高斯混合", kind=Kind.PROTOCOL,
      statement="The data are a two-class 10-dimensional Gaussian mixture.",
      check=Exact(agrees(47, "d = 10"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q47.4", quote="但在每个维度上都有一个由 1 隔开的均值", kind=Kind.PROTOCOL,
      statement="The class means are 1 apart in every dimension.",
      check=Exact(agrees(47, "sep = 1 in every dimension"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q47.5", quote="这些特征对于两种类型的高斯都是非常低的随机值", kind=Kind.PROTOCOL,
      statement="The dummy features are random values with the same distribution for both "
                "classes (uniform on [0, 1)).",
      check=Exact(agrees(47, "dummy features uniform on [0, 1)"),
                  method="compared with protocols.md"),
      expect=Verdict.SUPPORTED,
      note="'very low' is not quantified; uniform [0, 1) values are not small next to the "
           "signal's noise (s = 0.2, per-coordinate sd ~0.37)")

claim("Q47.6", quote="因此对分类来说没有用处", kind=Kind.DEFINITIONAL,
      statement="The dummy features carry no information about the class.",
      reason="true by construction: they are drawn independently of the label")

claim("Q47.7", quote="我们将结果数据乘以一个随机旋转矩阵来混淆虚拟维度", kind=Kind.PROTOCOL,
      statement="The data are multiplied by a random rotation (orthogonal) matrix.",
      check=Exact(disagrees(47, "not an orthogonal rotation"), method="compared with protocols.md"),
      expect=Verdict.REFUTED,
      note="the original matrix has entries uniform on [0, 1); the seed's reading is the b "
           "variant (scipy.stats.ortho_group)")

claim("Q47.8", quote="小型数据集大小 (n=100)", kind=Kind.PROTOCOL,
      statement="The data set has n = 100 rows.",
      check=Exact(agrees(47, "n = 100 total"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q47.9", quote="使神经网络难以学习分类边界", kind=Kind.OPINION,
      statement="The small data set makes the boundary hard to learn.",
      reason="a motivation; n is not varied in this experiment (Q47.1 tests the dimension)")

claim("Q47.10", quote="我们将数据 PCA 为更小的维数，并查看分类正确率是否提高", kind=Kind.PROTOCOL,
      statement="The data are reduced by PCA to fewer dimensions (10, 5, 1) before the network.",
      check=Exact(agrees(47, "PCA to none, 10, 5, 1 dims"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED)

claim("Q47.11", quote="我们预计 PCA 将会有所帮助", kind=Kind.EMPIRICAL,
      statement="PCA to 10 dimensions raises test accuracy, averaged over all dummy counts.",
      check=pca_helps_all(ORIGINAL), expect=Verdict.SUPPORTED, note=CAP_NOTE)

claim("Q47.12", quote="因为变异最多的方向（可能）与最有利于分类的方向相一致", kind=Kind.EMPIRICAL,
      statement=f"The directions of largest variance coincide with the discriminative ones: "
                f"with 200-2,000 dummies, the best linear rule in the PCA-10 subspace (fitted "
                f"on the training rows; population means and covariance) is within {MIN_ACC} "
                f"of the full space's accuracy (equivalence, TOST, mean over those counts).",
      check=Empirical(ORIGINAL, Equivalent(mean_over("10", LARGE, "kept_separation"),
                                           mean_over("none", LARGE, "kept_separation"),
                                           margin=MIN_ACC), max_seeds=MAX_SEEDS),
      expect=Verdict.INCONCLUSIVE,
      note="tested directly on the geometry rather than through accuracy (which would also "
           "reward PCA for merely removing inputs); the many-dummy regime is where the "
           "hypothesis matters (with 1 dummy, PCA to 10 of 11 dims keeps nearly everything). "
           "Result: the PCA-10 subspace keeps a rule ~0.074 [0.070, 0.077] worse than the full "
           "space's (~0.93 vs ~1.00), outside the margin but not significantly so after the "
           "catalogue-wide correction with 5 seeds. " + CAP_NOTE)

claim("Q47.13", quote="`182.938 s`", kind=Kind.HISTORICAL,
      statement="The original experiment took 182.938 s.",
      reason="a runtime on the original 2018 machine; our runtimes are in the report")

claim("Q47.15", quote="当维度非常大时，无监督的 PCA 步骤可以显著改善下游分类", kind=Kind.EMPIRICAL,
      statement=f"With 200-2,000 dummy dimensions, PCA to 10 raises mean test accuracy (by at "
                f"least {MIN_ACC}).",
      check=pca_helps_large(ORIGINAL), expect=Verdict.SUPPORTED, note=CAP_NOTE)

claim("Q47.15b", quote="当维度非常大时，无监督的 PCA 步骤可以显著改善下游分类", kind=Kind.EMPIRICAL,
      statement="As Q47.15, with a random orthogonal rotation (the seed's reading).",
      check=pca_helps_large(SEED_ROTATION), expect=Verdict.INCONCLUSIVE,
      note="with a true rotation the network without PCA does not collapse (~0.89-0.95 "
           "accuracy at 200-2,000 dummies, vs ~0.42-0.48 under the original's uniform matrix), "
           "so PCA gains only ~0.01; " + CAP_NOTE)

claim("Q47.16", quote="我们观察到一个有趣的阈值行为", kind=Kind.EMPIRICAL,
      statement=f"Accuracy without PCA shows a threshold: flat up to 50 dummies (1 vs 50 "
                f"within {MIN_ACC}) and lower above 100 (as Q47.17).",
      check=threshold(ORIGINAL), expect=Verdict.INCONCLUSIVE, note=CAP_NOTE)

claim("Q47.17", quote="当维数超过 100 时（有趣的是，这数字是数据集中数据点的数量——这值得进一步探讨），"
                      "分类的质量会有显著的下降", kind=Kind.EMPIRICAL,
      statement=f"Without PCA, accuracy is flat up to 50 dummies (1 vs 50 within {MIN_ACC}) and "
                f"lower above 100 (mean over 200-2,000 below 50 dummies by at least {MIN_ACC}).",
      check=threshold(ORIGINAL), expect=Verdict.INCONCLUSIVE,
      note="'dimension' read as the number of dummy dimensions (the text's 100 = n). Accuracy "
           "without PCA is already lower at 50 dummies (0.83 vs 0.99 at 1), then ~0.42-0.48 "
           "above 100: a drop, but not 'flat up to 50'. " + CAP_NOTE)

claim("Q47.17b", quote="当维数超过 100 时（有趣的是，这数字是数据集中数据点的数量——这值得进一步探讨），"
                       "分类的质量会有显著的下降", kind=Kind.EMPIRICAL,
      statement="As Q47.17, with a random orthogonal rotation.",
      check=threshold(SEED_ROTATION), expect=Verdict.INCONCLUSIVE,
      note="no collapse above 100 with a true rotation (see Q47.15b); " + CAP_NOTE)

claim("Q47.18", quote="这数字是数据集中数据点的数量", kind=Kind.PROTOCOL,
      statement="100 is the number of data points in the data set.",
      check=Exact(agrees(47, "n = 100 total"), method="compared with protocols.md"),
      expect=Verdict.SUPPORTED, note="of which 80 are training rows")

claim("Q47.19", quote="这值得进一步探讨", kind=Kind.OPINION,
      statement="The coincidence deserves further study.", reason="a suggestion")

claim("Q47.20", quote="5~10 维的 PCA 可显著地改善下游分类", kind=Kind.EMPIRICAL,
      statement=f"With 200-2,000 dummy dimensions, PCA to 5 and to 10 each raise mean test "
                f"accuracy (by at least {MIN_ACC}).",
      check=pca_helps_large(ORIGINAL, ("5", "10")), expect=Verdict.SUPPORTED, note=CAP_NOTE)

claim("Q47.20b", quote="5~10 维的 PCA 可显著地改善下游分类", kind=Kind.EMPIRICAL,
      statement="As Q47.20, with a random orthogonal rotation.",
      check=pca_helps_large(SEED_ROTATION, ("5", "10")), expect=Verdict.INCONCLUSIVE, note=CAP_NOTE)
