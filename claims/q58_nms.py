"""Q58. 什么是非极大值抑制（NMS）？ — What is non-maximum suppression (NMS)?

The seed describes greedy NMS on a worked example with six boxes A-F (ascending score): keep
the best box F, discard B and D which overlap F above a threshold, then keep E, and so on.
The algorithm under test is ``experiments.detection.nms``, written from that description; it
is compared with an independently written formulation and, when it imports, with
torchvision.ops.nms.
"""
import numpy as np
from hypothesis import Phase, example, given, settings, strategies as st

from experiments import detection as det
from harness import Exact, Kind, Verdict, claim

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


@st.composite
def scored_boxes(draw, max_boxes=12):
    """Integer boxes on a 40x40 canvas (so overlaps are common) with distinct scores."""
    n = draw(st.integers(1, max_boxes))
    boxes = []
    for _ in range(n):
        x, y = draw(st.integers(0, 30)), draw(st.integers(0, 30))
        w, h = draw(st.integers(1, 15)), draw(st.integers(1, 15))
        boxes.append([x, y, x + w, y + h])
    scores = draw(st.lists(st.integers(0, 10_000), min_size=n, max_size=n, unique=True))
    thr = draw(st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 0.9]))
    return np.asarray(boxes, float), np.asarray(scores, float) / 10_000, thr


def _property(body):
    @SETTINGS
    @given(scored_boxes())
    def run(case):
        body(*case)
    return run


def keeps_best():
    @_property
    def prop(boxes, scores, thr):
        kept = det.nms(boxes, scores, thr)
        assert kept[0] == int(np.argmax(scores)), (kept, scores)
    prop()


def kept_pairs_below_threshold():
    @_property
    def prop(boxes, scores, thr):
        kept = det.nms(boxes, scores, thr)
        for i, j in zip(*np.triu_indices(len(kept), 1)):
            assert det.iou(boxes[kept[i]], boxes[kept[j]]) <= thr
    prop()


def discarded_have_a_reason():
    @_property
    def prop(boxes, scores, thr):
        kept = det.nms(boxes, scores, thr)
        for d in set(range(len(boxes))) - set(kept):
            assert any(scores[k] > scores[d] and det.iou(boxes[k], boxes[d]) > thr
                       for k in kept), f"box {d} discarded with no kept, better, overlapping box"
    prop()


def kept_in_score_order():
    @_property
    def prop(boxes, scores, thr):
        kept = det.nms(boxes, scores, thr)
        assert list(scores[kept]) == sorted(scores[kept], reverse=True)
    prop()


# The seed's worked example: A..F in ascending score. B and D overlap F heavily, A overlaps E,
# C is alone. Threshold 0.5.
EXAMPLE = {"A": [21, 0, 31, 10], "B": [1, 0, 11, 10], "C": [40, 40, 50, 50],
           "D": [0, 1, 10, 11], "E": [20, 0, 30, 10], "F": [0, 0, 10, 10]}


def worked_example():
    names = list(EXAMPLE)
    boxes = np.asarray([EXAMPLE[k] for k in names], float)
    scores = np.arange(1, 7) / 10.0  # A < B < ... < F
    kept = [names[i] for i in det.nms(boxes, scores, 0.5)]
    over_f = [n for n in names[:5] if det.iou(EXAMPLE[n], EXAMPLE["F"]) > 0.5]
    assert over_f == ["B", "D"], over_f
    assert kept[:2] == ["F", "E"], kept
    assert "B" not in kept and "D" not in kept and "A" not in kept, kept
    return True, f"kept {kept}; boxes over the threshold with F: {over_f}"


def agrees_with_references():
    tv_used = []

    @_property
    def prop(boxes, scores, thr):
        ours = det.nms(boxes, scores, thr)
        assert ours == det.nms_matrix(boxes, scores, thr)
        tv = det.nms_torchvision(boxes, scores, thr)
        if tv is not None:
            tv_used.append(1)
            assert ours == tv, (ours, tv)
    prop()
    return True, ("agrees with the independent matrix formulation"
                  + (" and torchvision.ops.nms" if tv_used else
                     "; torchvision does not import here, so that comparison was skipped"))


def local_maxima_kept():
    @_property
    def prop(boxes, scores, thr):
        assert set(det.local_maxima(boxes, scores, thr)) <= set(det.nms(boxes, scores, thr))
    prop()


CHAIN = (np.asarray([[0, 0, 10, 10], [5, 0, 15, 10], [10, 0, 20, 10]], float),
         np.asarray([0.9, 0.8, 0.7]), 0.3)  # X overlaps Y (IoU 1/3), Y overlaps Z, X misses Z


def only_local_maxima_kept():
    # a refuted property: search without shrinking (slow), starting from the chain example
    @settings(max_examples=200, deadline=None, derandomize=True,
              phases=(Phase.explicit, Phase.generate))
    @example(CHAIN)
    @given(scored_boxes())
    def prop(case):
        boxes, scores, thr = case
        assert set(det.nms(boxes, scores, thr)) == set(det.local_maxima(boxes, scores, thr)), \
            "NMS keeps a box that has a higher-scoring neighbour (that neighbour was suppressed)"
    prop()


def sliding_windows_overlap():
    # square windows of side 64 sliding with stride 16 (a quarter window)
    w, s = 64, 16
    one_step = det.iou([0, 0, w, w], [s, 0, s + w, w])
    diagonal = det.iou([0, 0, w, w], [s, s, s + w, s + w])
    assert abs(one_step - (w - s) / (w + s)) < 1e-12
    assert one_step > 0.5 and diagonal > 0.3
    return True, f"IoU with the next window {one_step:.2f}, with the diagonal one {diagonal:.2f}"


claim("Q58.1", quote="R-CNN 会从一张图片中找出 n 个可能是物体的矩形框，然后为每个矩形框为做类别分类概率",
      statement="R-CNN proposes n candidate boxes per image and scores each box for every class.",
      kind=Kind.CITATION,
      reason="describes the R-CNN pipeline (Girshick et al. 2014): ~2000 Selective Search "
             "proposals per image, each scored by per-class SVMs; nothing to measure here",
      note="R-CNN scores boxes with linear SVMs, so the scores are not probabilities; NMS needs "
           "only an ordering, so this does not matter for the rest of the answer.")
claim("Q58.2", quote="根据分类器的类别分类概率做排序",
      statement="NMS first orders the boxes by their class score.", kind=Kind.DEFINITIONAL,
      reason="describes a step of the method; its consequences are checked in Q58.3-Q58.8")
claim("Q58.3", quote="从最大概率矩形框 F 开始",
      statement="Greedy NMS always keeps the highest-scoring box, and keeps it first.",
      kind=Kind.EXACT, check=Exact(keeps_best, method="hypothesis: 200 random box sets, "
                                   "distinct scores, thresholds 0-0.9"),
      expect=Verdict.SUPPORTED)
claim("Q58.4", quote="假设 B、D 与 F 的重叠度超过阈值，那么就扔掉 B、D",
      statement="Every box NMS discards overlaps some kept, higher-scoring box with IoU above "
                "the threshold.",
      kind=Kind.EXACT, check=Exact(discarded_have_a_reason, method="hypothesis property"),
      expect=Verdict.SUPPORTED)
claim("Q58.5", quote="选择概率最大的 E，然后判断 E 与 A、C 的重叠度",
      statement="In the seed's example (A..F ascending score; B and D overlap F above the "
                "threshold), NMS keeps F first, discards B and D, and keeps E second.",
      kind=Kind.EXACT, check=Exact(worked_example, method="the worked example with concrete "
                                   "boxes: B, D overlap F (IoU 0.82), A overlaps E, C is alone; "
                                   "threshold 0.5"),
      expect=Verdict.SUPPORTED)
claim("Q58.6", quote="就这样一直重复，找到所有被保留下来的矩形框",
      statement="When the repetition ends, no two kept boxes overlap with IoU above the "
                "threshold.",
      kind=Kind.EXACT, check=Exact(kept_pairs_below_threshold, method="hypothesis property"),
      expect=Verdict.SUPPORTED)
claim("Q58.7", quote="标记 E 是我们保留下来的第二个矩形框",
      statement="Boxes are kept in descending order of score (the k-th kept box is the best "
                "box not suppressed by the first k-1).",
      kind=Kind.EXACT, check=Exact(kept_in_score_order, method="hypothesis property"),
      expect=Verdict.SUPPORTED)
claim("Q58.8", quote="非极大值抑制的方法是",
      statement="The greedy procedure the seed describes is standard NMS: it returns the same "
                "boxes, in the same order, as an independently written formulation (and as "
                "torchvision.ops.nms where torchvision imports).",
      kind=Kind.EXACT, check=Exact(agrees_with_references, method="hypothesis: compare with a "
                                   "matrix-based NMS and torchvision.ops.nms if importable"),
      expect=Verdict.SUPPORTED)
claim("Q58.9", quote="抑制不是极大值的元素",
      statement="NMS never suppresses a local maximum: a box with no higher-scoring box "
                "overlapping it above the threshold is always kept.",
      kind=Kind.EXACT, check=Exact(local_maxima_kept, method="hypothesis property"),
      expect=Verdict.SUPPORTED)
claim("Q58.10", quote="搜索局部的极大值",
      statement="Greedy NMS keeps exactly the local maxima, a box's neighbourhood being the boxes "
                "that overlap it with IoU above the threshold.",
      kind=Kind.EXACT, check=Exact(only_local_maxima_kept, method="hypothesis property"),
      expect=Verdict.REFUTED,
      note="False: in a chain X > Y > Z where X overlaps Y and Y overlaps Z but X does not "
           "overlap Z, NMS keeps X and Z; Z is not a local maximum (Y beats it) but Y was "
           "suppressed, so nothing suppresses Z. Greedy NMS keeps every local maximum (Q58.9) "
           "and possibly more.")
claim("Q58.11", quote="邻域有两个参数可变，一是邻域的维数，二是邻域的大小",
      statement="A general NMS neighbourhood has two parameters: its dimensionality and its size.",
      kind=Kind.DEFINITIONAL, reason="describes generic NMS (e.g. Neubeck & Van Gool 2006), "
                                     "which the answer says it does not discuss")
claim("Q58.12", quote="用于在目标检测中用于提取分数最高的窗口的",
      statement="In object detection NMS is used to extract the highest-scoring windows.",
      kind=Kind.DEFINITIONAL, reason="states the purpose of the method: nothing to measure")
claim("Q58.13", quote="滑动窗口会导致很多窗口与其他窗口存在包含或者大部分交叉的情况",
      statement="Sliding windows overlap heavily: with a stride of a quarter window, neighbouring "
                "windows have IoU (w-s)/(w+s) = 0.6 > 0.5.",
      kind=Kind.EXACT, check=Exact(sliding_windows_overlap, method="IoU of neighbouring windows"),
      expect=Verdict.SUPPORTED,
      note="Holds for the usual small strides; with a stride as large as the window the windows "
           "would not overlap at all.")
claim("Q58.14", quote="这时就需要用到 NMS 来选取那些邻域里分数最高",
      statement="NMS selects the highest-scoring window in each neighbourhood and suppresses the "
                "lower-scoring ones.",
      kind=Kind.DEFINITIONAL, reason="states what NMS is used for; the algorithm's behaviour "
                                     "is checked in Q58.3-Q58.10")
