"""Q58. 什么是非极大值抑制（NMS）？ -- What is non-maximum suppression (NMS)?

The seed describes greedy NMS on a worked example with six boxes A-F (ascending score): keep
the best box F, discard B and D which overlap F above a threshold, then keep E, and so on.
The algorithm under test is ``experiments.detection.nms``, written from that description (it
is also R-CNN's: rbgirshick/rcnn nms/nms.m drops a box whose IoU with a kept, higher-scoring
box exceeds the threshold). It is compared with an independently written formulation and,
where it imports, with torchvision.ops.nms (it does not beside the pinned CPU torch).
"""

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from experiments import detection as det
from harness import Kind, Verdict, cites, claim, departure, exact


@st.composite
def scored_boxes(draw, max_boxes=12):
    """Integer boxes on a 40 x 40 canvas (so overlaps are common) with distinct scores, and a
    threshold."""
    n = draw(st.integers(1, max_boxes))
    boxes = []
    for _ in range(n):
        x, y = draw(st.integers(0, 30)), draw(st.integers(0, 30))
        w, h = draw(st.integers(1, 15)), draw(st.integers(1, 15))
        boxes.append([x, y, x + w, y + h])
    scores = draw(st.lists(st.integers(0, 10_000), min_size=n, max_size=n, unique=True))
    thr = draw(st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.7, 0.9]))
    return np.asarray(boxes, float), np.asarray(scores, float) / 10_000, thr


# The seed's worked example: A..F in ascending score. B and D overlap F heavily, A overlaps E,
# C is alone. Threshold 0.5.
EXAMPLE = {
    "A": [21, 0, 31, 10],
    "B": [1, 0, 11, 10],
    "C": [40, 40, 50, 50],
    "D": [0, 1, 10, 11],
    "E": [20, 0, 30, 10],
    "F": [0, 0, 10, 10],
}
CHAIN = (
    np.asarray([[0, 0, 10, 10], [5, 0, 15, 10], [10, 0, 20, 10]], float),
    np.asarray([0.9, 0.8, 0.7]),
    0.3,
)  # X overlaps Y (IoU 1/3), Y overlaps Z, X misses Z

departure(
    58,
    "R-CNN scores boxes with class-specific linear SVMs: the scores NMS sorts are SVM "
    "margins, not the 'class probabilities' the answer names (NMS needs only their "
    "order).",
    source="Girshick et al. 2014, section 2",
    claims=("Q58.1", "Q58.2"),
)
departure(
    58,
    "'Search for local maxima' (搜索局部的极大值) overstates greedy NMS: it keeps every "
    "local maximum but can also keep a box whose better neighbour was itself "
    "suppressed (Q58.10).",
    claims=("Q58.10",),
)

claim(
    "Q58.1",
    quote="R-CNN 会从一张图片中找出 n 个可能是物体的矩形框，然后为每个矩形框为做类别分类概率",
    kind=Kind.CITATION,
    statement="R-CNN proposes n candidate boxes per image (about 2,000) and scores each box for "
    "every class.",
    check=cites("girshick2014rich", "pipeline"),
    expect=Verdict.SUPPORTED,
    note="The scores are SVM margins, not probabilities (see the departure above).",
)


@exact(
    "Q58.8",
    quote="非极大值抑制的方法是",
    statement="The greedy procedure the seed describes is standard NMS: it returns the same "
    "boxes, in the same order, as an independently written formulation (and as "
    "torchvision.ops.nms where torchvision imports).",
    method="hypothesis: a matrix-based NMS, and torchvision.ops.nms if importable",
)
def agrees_with_references():
    used = []

    @given(scored_boxes())
    def same_boxes(case):
        boxes, scores, thr = case
        ours = det.nms(boxes, scores, thr)
        other = det.nms_matrix(boxes, scores, thr)
        assert ours == other, (ours, other)
        tv = det.nms_torchvision(boxes, scores, thr)
        if tv is not None:
            used.append(1)
            assert ours == tv, (ours, tv)

    same_boxes()
    return "agrees with the matrix formulation" + (
        " and torchvision.ops.nms"
        if used
        else "; torchvision does not import here, so that comparison was not made"
    )


claim(
    "Q58.2",
    quote="根据分类器的类别分类概率做排序",
    kind=Kind.DEFINITIONAL,
    statement="NMS first orders the boxes by their class score.",
    reason="a step of the procedure; the procedure's consequences are checked in Q58.3-Q58.8",
)


@exact(
    "Q58.3",
    quote="从最大概率矩形框 F 开始",
    statement="Greedy NMS always keeps the highest-scoring box, and keeps it first.",
    method="hypothesis: random box sets, distinct scores, thresholds 0-0.9",
)
@given(scored_boxes())
def keeps_best(case):
    boxes, scores, thr = case
    kept = det.nms(boxes, scores, thr)
    assert kept[0] == int(np.argmax(scores)), (kept, scores)


@exact(
    "Q58.4",
    quote="假设 B、D 与 F 的重叠度超过阈值，那么就扔掉 B、D",
    statement="Every box NMS discards overlaps some kept, higher-scoring box with IoU above "
    "the threshold.",
    method="hypothesis: random box sets",
)
@given(scored_boxes())
def discarded_have_a_reason(case):
    boxes, scores, thr = case
    kept = det.nms(boxes, scores, thr)
    for d in set(range(len(boxes))) - set(kept):
        assert any(scores[k] > scores[d] and det.iou(boxes[k], boxes[d]) > thr for k in kept), (
            f"box {d} discarded with no kept, better, overlapping box"
        )


@exact(
    "Q58.5",
    quote="选择概率最大的 E，然后判断 E 与 A、C 的重叠度",
    statement="In the seed's example (A..F ascending score; B and D overlap F above the "
    "threshold), NMS keeps F first, discards B and D, and keeps E second.",
    method="the worked example with concrete boxes: B, D overlap F (IoU 0.82), A overlaps E, "
    "C is alone; threshold 0.5",
)
def worked_example():
    names = list(EXAMPLE)
    boxes = np.asarray([EXAMPLE[k] for k in names], float)
    scores = np.arange(1, 7) / 10.0  # A < B < ... < F
    kept = [names[i] for i in det.nms(boxes, scores, 0.5)]
    over_f = [n for n in names[:5] if det.iou(EXAMPLE[n], EXAMPLE["F"]) > 0.5]
    assert over_f == ["B", "D"], over_f
    assert kept[:2] == ["F", "E"], kept
    assert "B" not in kept and "D" not in kept and "A" not in kept, kept
    return f"kept {kept}; boxes over the threshold with F: {over_f}"


@exact(
    "Q58.7",
    quote="标记 E 是我们保留下来的第二个矩形框",
    statement="Boxes are kept in descending order of score (the k-th kept box is the best box "
    "not suppressed by the first k - 1).",
    method="hypothesis: random box sets",
)
@given(scored_boxes())
def kept_in_score_order(case):
    boxes, scores, thr = case
    kept = det.nms(boxes, scores, thr)
    assert list(scores[kept]) == sorted(scores[kept], reverse=True), kept


@exact(
    "Q58.6",
    quote="就这样一直重复，找到所有被保留下来的矩形框",
    statement="When the repetition ends, no two kept boxes overlap with IoU above the threshold.",
    method="hypothesis: random box sets",
)
@given(scored_boxes())
def kept_pairs_below_threshold(case):
    boxes, scores, thr = case
    kept = det.nms(boxes, scores, thr)
    for i, j in zip(*np.triu_indices(len(kept), 1)):
        assert det.iou(boxes[kept[i]], boxes[kept[j]]) <= thr, (kept[i], kept[j])


@exact(
    "Q58.9",
    quote="抑制不是极大值的元素",
    statement="NMS never suppresses a local maximum: a box with no higher-scoring box "
    "overlapping it above the threshold is always kept.",
    method="hypothesis: random box sets",
)
@given(scored_boxes())
def local_maxima_kept(case):
    boxes, scores, thr = case
    assert set(det.local_maxima(boxes, scores, thr)) <= set(det.nms(boxes, scores, thr))


@exact(
    "Q58.10",
    quote="搜索局部的极大值",
    expect=Verdict.REFUTED,
    statement="Greedy NMS keeps exactly the local maxima, a box's neighbourhood being the boxes "
    "that overlap it with IoU above the threshold.",
    method="hypothesis: random box sets, starting from a chain of three boxes",
    note="False: in a chain X > Y > Z where X overlaps Y and Y overlaps Z but X does not "
    "overlap Z, NMS keeps X and Z; Z is not a local maximum (Y beats it) but Y was "
    "suppressed, so nothing suppresses Z. Greedy NMS keeps every local maximum (Q58.9) "
    "and possibly more.",
)
@example(CHAIN)
@given(scored_boxes())
def only_local_maxima_kept(case):
    boxes, scores, thr = case
    assert set(det.nms(boxes, scores, thr)) == set(det.local_maxima(boxes, scores, thr)), (
        "NMS keeps a box that has a higher-scoring neighbour (that neighbour was suppressed)"
    )


claim(
    "Q58.11",
    quote="邻域有两个参数可变，一是邻域的维数，二是邻域的大小",
    kind=Kind.DEFINITIONAL,
    statement="A general NMS neighbourhood has two parameters: its dimensionality and its size.",
    reason="describes generic NMS (e.g. Neubeck & Van Gool 2006), which the answer says it "
    "does not discuss; no property to compute",
)

claim(
    "Q58.12",
    quote="用于在目标检测中用于提取分数最高的窗口的",
    kind=Kind.DEFINITIONAL,
    statement="In object detection NMS is used to extract the highest-scoring windows.",
    reason="states the purpose of the method; its behaviour is checked in Q58.3-Q58.10",
)


@exact(
    "Q58.13",
    quote="滑动窗口会导致很多窗口与其他窗口存在包含或者大部分交叉的情况",
    statement="Sliding windows overlap heavily: with a stride of a quarter window, neighbouring "
    "windows have IoU (w - s)/(w + s) = 0.6 > 0.5, and diagonal neighbours above 0.3.",
    method="IoU of neighbouring windows (side 64, stride 16)",
    note="Holds for the usual small strides; with a stride as large as the window the windows "
    "would not overlap at all.",
)
def sliding_windows_overlap():
    w, s = 64, 16
    one_step = det.iou([0, 0, w, w], [s, 0, s + w, w])
    diagonal = det.iou([0, 0, w, w], [s, s, s + w, s + w])
    assert abs(one_step - (w - s) / (w + s)) < 1e-12, one_step
    assert one_step > 0.5 and diagonal > 0.3, (one_step, diagonal)
    return f"IoU with the next window {one_step:.2f}, with the diagonal one {diagonal:.2f}"


claim(
    "Q58.14",
    quote="这时就需要用到 NMS 来选取那些邻域里分数最高",
    kind=Kind.DEFINITIONAL,
    statement="NMS selects the highest-scoring window in each neighbourhood and suppresses the "
    "lower-scoring ones.",
    reason="states what NMS is used for; the algorithm's behaviour is checked in Q58.3-Q58.10",
)
