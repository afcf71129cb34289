"""Q56. 什么是边框回归 Bounding-Box regression，以及为什么要做、怎么做
— What is bounding-box regression, why is it done and how?

The transforms (1)-(4) and targets (6)-(9) of R-CNN are ``experiments.detection.decode`` and
``encode``; they are checked to be inverse to each other, property-based.
"""
import numpy as np
from hypothesis import given, settings, strategies as st

from experiments import detection as det
from harness import Exact, Kind, Verdict, claim

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)
coord = st.floats(-1e3, 1e3, allow_nan=False)
size = st.floats(1.0, 1e3, allow_nan=False)
centre_box = st.tuples(coord, coord, size, size)
delta = st.tuples(st.floats(-5, 5), st.floats(-5, 5), st.floats(-3, 3), st.floats(-3, 3))


def decode_of_targets_is_ground_truth():
    @SETTINGS
    @given(centre_box, centre_box)
    def prop(P, G):
        np.testing.assert_allclose(det.decode(P, det.encode(P, G)), G, rtol=1e-9, atol=1e-9)
    prop()


def targets_of_decode_are_deltas():
    @SETTINGS
    @given(centre_box, delta)
    def prop(P, d):
        np.testing.assert_allclose(det.encode(P, det.decode(P, d)), d, rtol=1e-9, atol=1e-9)
    prop()


def ridge_by_gd_or_least_squares():
    rng = np.random.default_rng(0)
    n, k, lam = 200, 20, 1.0          # proposals, feature size (a stand-in for pool5), lambda
    phi = rng.normal(size=(n, k))
    t = phi @ rng.normal(size=k) + 0.1 * rng.normal(size=n)
    closed = np.linalg.solve(phi.T @ phi + lam * np.eye(k), phi.T @ t)
    w = np.zeros(k)
    step = 1.0 / np.linalg.eigvalsh(2 * (phi.T @ phi + lam * np.eye(k))).max()
    for _ in range(5000):
        w -= step * 2 * (phi.T @ (phi @ w - t) + lam * w)
    gap = np.abs(w - closed).max()
    assert gap < 1e-8, gap
    return True, f"max |w_GD - w_closed-form| = {gap:.1e}"


ask = "posed as a sub-question; "
claim("Q56.1", quote="红色的框为 Selective Search 提取的候选区域/框 Region Proposal",
      statement="In figure 1 the green box is the ground truth and the red box a Selective "
                "Search region proposal.", kind=Kind.DEFINITIONAL,
      reason="describes a figure not in the text")
claim("Q56.2", quote="由于红色的框定位不准( IoU<0.5 )， 这张图也相当于没有正确的检测出飞机",
      statement="A detection whose IoU with the ground truth is below 0.5 counts as a miss even "
                "if its class is right.", kind=Kind.DEFINITIONAL,
      reason="the PASCAL VOC evaluation convention (a match needs IoU >= 0.5): a definition")
claim("Q56.3", quote="Bounding-box regression 就是用来微调这个窗口的",
      statement="Bounding-box regression fine-tunes (adjusts) a proposal window.",
      kind=Kind.DEFINITIONAL, reason="states the purpose of the method")
claim("Q56.4", quote="分别表示窗口的中心点坐标和宽高",
      statement="A window is written (x, y, w, h): centre coordinates, width and height.",
      kind=Kind.DEFINITIONAL, reason="a notation")
claim("Q56.5", quote="寻找一种映射f",
      statement="Bounding-box regression seeks a map f with f(P) = Ĝ ≈ G.",
      kind=Kind.DEFINITIONAL, reason="defines the goal of the method")
claim("Q56.6", quote="比较简单的思路就是: 平移+尺度放缩",
      statement="The map is a translation followed by a scaling.", kind=Kind.DEFINITIONAL,
      reason="describes the method")
claim("Q56.7", quote="这是 R-CNN 论文的",
      statement="The translation Ĝx = Pw dx(P) + Px, Ĝy = Ph dy(P) + Py is equations (1)-(2) "
                "of the R-CNN paper, and the scaling Ĝw = Pw exp(dw(P)), Ĝh = Ph exp(dh(P)) "
                "its equations (3)-(4).", kind=Kind.CITATION,
      reason="attributes formulas to Girshick et al. 2014 (appendix C), where they appear as "
             "stated; not re-checked against the paper here")
claim("Q56.8", quote="边框回归学习就是 `dx(P),dy(P),dw(P),dh(P)` 这四个变换",
      statement="What bounding-box regression learns is the four functions dx, dy, dw, dh.",
      kind=Kind.DEFINITIONAL, reason="describes the method")
claim("Q56.9", quote="即 `Y≈WX`",
      statement="Linear regression learns parameters W such that WX approximates Y.",
      kind=Kind.DEFINITIONAL, reason="a definition of linear regression")
claim("Q56.10", quote="也就是 R-CNN 中的 Pool5 feature（特征向量）",
      statement="The regression input is the proposal's CNN feature, R-CNN's pool5 feature.",
      kind=Kind.CITATION, reason="describes R-CNN (its regressors use pool5 features), which "
                                 "is correct but not re-checked here")
claim("Q56.11", quote="训练阶段输入还包括 Ground Truth",
      statement="In training, the ground-truth box (through the targets t*) is also an input.",
      kind=Kind.DEFINITIONAL, reason="describes the training set-up")
claim("Q56.12", quote="有了这四个变换我们就可以直接得到 Ground Truth",
      statement="Given the four exact transforms t* = (6)-(9), the transforms (1)-(4) recover the "
                "ground truth G exactly: decode(P, encode(P, G)) = G.",
      kind=Kind.EXACT, check=Exact(decode_of_targets_is_ground_truth,
                                   method="hypothesis: 200 random (P, G), rtol 1e-9"),
      expect=Verdict.SUPPORTED)
claim("Q56.13", quote="得到的并不是真实值 G，而是预测值 `G^`",
      statement="Applying predicted transforms d(P) gives a prediction Ĝ, not G itself.",
      kind=Kind.DEFINITIONAL, reason="a distinction of terms")
claim("Q56.14", quote="这也就是 R-CNN 中的 (6)~(9)",
      statement="The targets tx = (Gx-Px)/Pw, ty = (Gy-Py)/Ph, tw = log(Gw/Pw), th = log(Gh/Ph) "
                "are equations (6)-(9) of the R-CNN paper.", kind=Kind.CITATION,
      reason="an attribution to Girshick et al. 2014; their relation to (1)-(4) is checked in "
             "Q56.12 and Q56.15")
claim("Q56.15", quote="真正需要的平移量 `(tx,ty)` 和尺度缩放 `(tw,th)`",
      statement="The targets (6)-(9) are exactly the transforms that (1)-(4) need: "
                "encode(P, decode(P, d)) = d for every d.",
      kind=Kind.EXACT, check=Exact(targets_of_decode_are_deltas,
                                   method="hypothesis: 200 random (P, d), rtol 1e-9"),
      expect=Verdict.SUPPORTED)
claim("Q56.16", quote="那么目标函数可以表示为 `d∗(P)=wT∗Φ5(P)`",
      statement="Each transform is predicted as a linear function w*ᵀΦ5(P) of the pool5 feature.",
      kind=Kind.DEFINITIONAL, reason="describes the model")
claim("Q56.17", quote="也就是每一个变换对应一个目标函数",
      statement="There is one regressor (one weight vector) per transform x, y, w, h.",
      kind=Kind.DEFINITIONAL, reason="describes the model")
claim("Q56.18", quote="`Loss=∑iN(ti∗−w^T∗ϕ5(Pi))2`",
      statement="The loss is the sum of squared errors between targets and predictions; the "
                "objective adds a ridge penalty λ·norm(w*)².", kind=Kind.DEFINITIONAL,
      reason="defines the objective (R-CNN uses ridge regression with λ = 1000)")
claim("Q56.19", quote="利用梯度下降法或者最小二乘法就可以得到 `w∗`",
      statement="The ridge objective can be minimised by gradient descent or in closed form by "
                "(regularised) least squares, and both give the same w*.",
      kind=Kind.EXACT, check=Exact(ridge_by_gd_or_least_squares,
                                   method="GD vs (ΦᵀΦ+λI)⁻¹Φᵀt on random features"),
      expect=Verdict.SUPPORTED,
      note="The objective is strictly convex, so GD converges to the unique closed-form minimiser.")
claim("Q56.20", quote="为什么边框回归只能微调，在离真实值Ground Truth近的时候才能生效？",
      statement="Bounding-box regression only works as a small correction, for proposals "
                "already close to the ground truth (presupposed by the sub-question).",
      kind=Kind.EMPIRICAL,
      note="The text poses but does not answer this. R-CNN trains the regressors only on "
           "proposals with IoU > 0.6, because far from G the targets (log ratios) are no longer "
           "well approximated by a linear function of the features. A test would need a "
           "detector's features; left pending.")
claim("Q56.21", quote="本题解析来源：https://blog.csdn.net/zijin0802034/article/details/77685438",
      statement="The answer is taken from a CSDN blog post.", kind=Kind.CITATION,
      reason="a source attribution, not checked")
