"""Q55. 请简单解释下目标检测中的这个IOU评价函数（intersection-over-union）
— Explain the IoU (intersection-over-union) measure used in object detection.

IoU is ``experiments.detection.iou``; it is checked against the definition computed literally
(counting pixels) and for the properties the answer states.
"""
from hypothesis import given, settings, strategies as st

from experiments import detection as det
from harness import Exact, Kind, Verdict, claim

SETTINGS = settings(max_examples=200, deadline=None, derandomize=True)


@st.composite
def int_box(draw, canvas=30):
    x, y = draw(st.integers(0, canvas - 1)), draw(st.integers(0, canvas - 1))
    w, h = draw(st.integers(1, canvas - x)), draw(st.integers(1, canvas - y))
    return (x, y, x + w, y + h)


@st.composite
def real_box(draw):
    f = st.floats(-1e3, 1e3, allow_nan=False)
    x, y = draw(f), draw(f)
    w, h = draw(st.floats(1e-2, 1e3)), draw(st.floats(1e-2, 1e3))
    return (x, y, x + w, y + h)


def matches_definition():
    @SETTINGS
    @given(int_box(), int_box())
    def prop(a, b):
        v = det.iou(a, b)
        assert abs(v - det.pixel_iou(a, b)) < 1e-12
        assert 0.0 <= v <= 1.0 and abs(v - det.iou(b, a)) < 1e-12
    prop()


def one_when_coincide():
    @SETTINGS
    @given(real_box())
    def prop(a):
        assert abs(det.iou(a, a) - 1.0) < 1e-12
    prop()


def one_only_when_coincide():
    @SETTINGS
    @given(int_box(), int_box())
    def prop(a, b):
        if a != b:
            assert det.iou(a, b) < 1.0
        assert det.iou(a, b) <= 1.0
    prop()


claim("Q55.1", quote="简单来讲就是模型产生的目标窗口和原来标记窗口的交叠率",
      statement="IoU is the overlap rate between a box the model produces and the labelled box.",
      kind=Kind.DEFINITIONAL, reason="defines the term; its formula is checked in Q55.2")
claim("Q55.2", quote="检测结果 DetectionResult 与真实值 Ground Truth 的交集比上它们的并集",
      statement="IoU = area(DR ∩ GT) / area(DR ∪ GT); computed this way it is symmetric and lies "
                "in [0, 1] (checked: the box formula equals a literal pixel count).",
      kind=Kind.EXACT, check=Exact(matches_definition, method="hypothesis: 200 integer box pairs, "
                                   "box formula vs pixel counting"),
      expect=Verdict.SUPPORTED)
claim("Q55.3", quote="即为检测的准确率 IoU",
      statement="The answer calls IoU the 'accuracy' of a detection.", kind=Kind.DEFINITIONAL,
      reason="a name for the measure, nothing to measure",
      note="Loose wording: IoU measures localisation overlap of one box pair; detection "
           "accuracy/precision is computed over many detections, with IoU only deciding "
           "whether a detection matches (e.g. IoU >= 0.5 in PASCAL VOC).")
claim("Q55.4", quote="黄色边框框起来的是",
      statement="In the figure, the yellow box marks DR ∩ GT and the green box DR ∪ GT.",
      kind=Kind.DEFINITIONAL, reason="describes a figure that is not part of the text")
claim("Q55.5", quote="DR 与 GT 完全重合，即 IoU = 1",
      statement="When DR and GT coincide, IoU = 1.",
      kind=Kind.EXACT, check=Exact(one_when_coincide, method="hypothesis: 200 real-valued boxes"),
      expect=Verdict.SUPPORTED)
claim("Q55.6", quote="最理想的情况就是 DR 与 GT 完全重合",
      statement="Coinciding boxes are the ideal case: IoU never exceeds 1, and any two different "
                "boxes have IoU < 1.",
      kind=Kind.EXACT, check=Exact(one_only_when_coincide, method="hypothesis: 200 box pairs"),
      expect=Verdict.SUPPORTED)
claim("Q55.7", quote="本题解析来源：https://blog.csdn.net/Eddy_zheng/article/details/52126641",
      statement="The answer is taken from a CSDN blog post by Eddy_zheng.", kind=Kind.CITATION,
      reason="a source attribution, not checked")
