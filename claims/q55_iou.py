"""Q55. 请简单解释下目标检测中的这个IOU评价函数（intersection-over-union）
-- Explain the IoU (intersection-over-union) measure used in object detection.

No experiment: IoU is ``experiments.detection.iou`` (the box formula), checked against the
definition computed literally (counting pixels) and for the properties the answer states.
The measure is the one of the PASCAL VOC evaluation (references/everingham2015pascal.toml).
"""

from hypothesis import given
from hypothesis import strategies as st

from experiments import detection as det
from harness import Kind, Verdict, cites, claim, departure, exact


@st.composite
def int_box(draw, canvas=30):
    """An integer box on a canvas of ``canvas`` pixels, at least one pixel wide and high."""
    x, y = draw(st.integers(0, canvas - 1)), draw(st.integers(0, canvas - 1))
    w, h = draw(st.integers(1, canvas - x)), draw(st.integers(1, canvas - y))
    return (x, y, x + w, y + h)


@st.composite
def real_box(draw):
    f = st.floats(-1e3, 1e3, allow_nan=False)
    x, y = draw(f), draw(f)
    w, h = draw(st.floats(1e-2, 1e3)), draw(st.floats(1e-2, 1e3))
    return (x, y, x + w, y + h)


departure(
    55,
    "The answer calls IoU 'the accuracy of the detection' (检测的准确率); in the PASCAL VOC "
    "evaluation it describes, IoU only decides whether a detection matches a ground-truth "
    "box (IoU > 0.5), and detection accuracy is average precision over ranked detections.",
    source="Everingham et al. 2015, section 2.4.3",
    claims=("Q55.3",),
)
departure(
    55,
    "The figure's green outline is called DR ∪ GT: the union of two boxes is not a box; "
    "the figure outlines the union's region.",
    source="the seed's figure IOU-02.png",
    claims=("Q55.4",),
)

claim(
    "Q55.8",
    quote="在目标检测的评价体系中，有一个参数叫做 IoU",
    kind=Kind.CITATION,
    statement="IoU is part of the evaluation of object detection: in the PASCAL VOC benchmark a "
    "detection counts as correct only if its IoU with a ground-truth box exceeds 0.5.",
    check=cites("everingham2015pascal", "match-over-half"),
    expect=Verdict.SUPPORTED,
)

claim(
    "Q55.1",
    quote="简单来讲就是模型产生的目标窗口和原来标记窗口的交叠率",
    kind=Kind.DEFINITIONAL,
    statement="IoU is the overlap rate between a box the model produces and the labelled box.",
    reason="names the measure; its formula is checked in Q55.2",
)


@exact(
    "Q55.2",
    quote="检测结果 DetectionResult 与真实值 Ground Truth 的交集比上它们的并集",
    kind=Kind.DEFINITIONAL,
    statement="IoU = area(DR ∩ GT) / area(DR ∪ GT); the box formula equals this ratio counted "
    "pixel by pixel, and it is symmetric and lies in [0, 1].",
    method="hypothesis: integer box pairs on a 30-pixel canvas, box formula vs pixel counting",
)
@given(int_box(), int_box())
def iou_is_intersection_over_union(a, b):
    v = det.iou(a, b)
    assert abs(v - det.pixel_iou(a, b)) < 1e-12, (
        f"box formula {v} vs pixel count {det.pixel_iou(a, b)}"
    )
    assert 0.0 <= v <= 1.0 and abs(v - det.iou(b, a)) < 1e-12, f"IoU({a}, {b}) = {v}"


claim(
    "Q55.3",
    quote="即为检测的准确率 IoU",
    kind=Kind.DEFINITIONAL,
    statement="The answer calls IoU the 'accuracy' of a detection.",
    reason="a name for the measure",
    note="Loose: IoU measures how well one box overlaps another; in the PASCAL VOC evaluation "
    "detection accuracy is average precision, with IoU > 0.5 deciding whether a detection "
    "matches (everingham2015pascal, 'accuracy-is-ap'; Q55.8).",
)

claim(
    "Q55.4",
    quote="黄色边框框起来的是",
    kind=Kind.DEFINITIONAL,
    statement="In the figure, the yellow outline marks DR ∩ GT and the green one DR ∪ GT.",
    reason="describes the layout of a figure (an image not in the text)",
)


@exact(
    "Q55.6",
    quote="最理想的情况就是 DR 与 GT 完全重合",
    statement="Coincidence is the ideal case: IoU never exceeds 1, and any two different boxes "
    "have IoU < 1.",
    method="hypothesis: integer box pairs",
)
@given(int_box(), int_box())
def only_coinciding_boxes_reach_one(a, b):
    v = det.iou(a, b)
    assert v <= 1.0, f"IoU({a}, {b}) = {v} > 1"
    if a != b:
        assert v < 1.0, f"different boxes {a}, {b} have IoU {v}"


@exact(
    "Q55.5",
    quote="DR 与 GT 完全重合，即 IoU = 1",
    statement="When DR and GT coincide, IoU = 1.",
    method="hypothesis: real-valued boxes",
)
@given(real_box())
def coinciding_boxes_have_iou_one(a):
    assert abs(det.iou(a, a) - 1.0) < 1e-12, f"IoU of {a} with itself is {det.iou(a, a)}"


claim(
    "Q55.7",
    quote="本题解析来源：https://blog.csdn.net/Eddy_zheng/article/details/52126641",
    kind=Kind.CITATION,
    statement="The answer is taken from a CSDN blog post by Eddy_zheng.",
    reason="a source attribution to a blog post that is not in the stored pages, so its "
    "content cannot be compared",
)
